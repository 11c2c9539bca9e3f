"""Readers: paths -> a stream of :class:`Article` (or :class:`Rejection` for bad records).

Supported inputs:

* a directory, read recursively: every ``.txt`` and ``.md`` file is one article,
  its id the path relative to that directory (``/``-separated), files in sorted order;
* a ``.txt`` / ``.md`` file: one article, its id the file name;
* a ``.jsonl`` / ``.ndjson`` file: one JSON object per line with ``id`` and
  ``text`` (optional ``title``, ``url``, ``source``, and ``published`` or else
  ``date``, read by :func:`dedup.dates.parse_published`; other fields pass through
  as ``meta``);
* ``-``: JSONL on standard input.

:class:`ArticleFiles` is the same input as an iterable that can be read more than
once (standard input is spooled to a temporary file on the first read), which lets
the batch pipeline hold only signatures and read the candidates again.

A bad record never stops the run: it becomes a :class:`Rejection` naming the file
and line. An input with nothing usable in it raises :class:`InputError`.

Example:
    >>> import io
    >>> feed = io.BytesIO(b'{"id": "a1", "text": "Hello"}\\nnot json\\n')
    >>> [type(item).__name__ for item in read_articles(["-"], stdin=feed)]
    ['Article', 'Rejection']
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from dedup.dates import parse_published
from dedup.errors import InputError
from dedup.models import Article, Rejection

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
_OPTIONAL_STRINGS = ("title", "url", "source")


class ArticleFiles:
    """The articles of ``paths`` (as :func:`read_articles`), readable again and again.

    Args:
        paths: Directories, ``.txt``/``.md``/``.jsonl`` files, or ``-`` for JSONL on stdin.
        stdin: Byte stream to read for ``-`` (defaults to ``sys.stdin.buffer``).

    Example:
        >>> import io
        >>> files = ArticleFiles(["-"], stdin=io.BytesIO(b'{"id": "a1", "text": "Hello"}\\n'))
        >>> [a.id for a in files] == [a.id for a in files] == ["a1"]
        True
    """

    def __init__(self, paths: Iterable[str | Path], stdin: IO[bytes] | None = None) -> None:
        self.paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
        self._stdin = stdin
        self._spool: IO[bytes] | None = None

    def __iter__(self) -> Iterator[Article | Rejection]:
        if "-" not in map(str, self.paths):
            return read_articles(self.paths)
        if self._spool is None:
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as this object)
            shutil.copyfileobj(self._stdin if self._stdin is not None else sys.stdin.buffer, self._spool)
        self._spool.seek(0)
        return read_articles(self.paths, stdin=self._spool)

    def __del__(self) -> None:
        if self._spool is not None:
            self._spool.close()


def read_articles(paths: Iterable[str | Path], stdin: IO[bytes] | None = None) -> Iterator[Article | Rejection]:
    """Read articles from files, directories and ``-`` (stdin), in the order given.

    Args:
        paths: Directories, ``.txt``/``.md``/``.jsonl`` files, or ``-`` for JSONL on stdin.
        stdin: Byte stream to read for ``-`` (defaults to ``sys.stdin.buffer``).

    Yields:
        An :class:`Article` per usable record, a :class:`Rejection` per bad one.

    Raises:
        InputError: A path is missing, of an unsupported type, or holds nothing usable.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for raw in paths:
        if str(raw) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_jsonl(stream, "<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _read_directory(path)
        elif not path.exists():
            raise InputError(f"{path}: no such file or directory")
        elif path.suffix.lower() in JSONL_SUFFIXES:
            with path.open("rb") as handle:
                yield from _read_jsonl(handle, str(path))
        elif path.suffix.lower() in TEXT_SUFFIXES:
            yield _read_text_file(path, path.name)
        else:
            raise InputError(
                f"{path}: unsupported file type {path.suffix or '(none)'!r}; give a directory of "
                f".txt/.md files, a .txt/.md/.jsonl file, or - for JSONL on stdin"
            )


def _read_directory(root: Path) -> Iterator[Article | Rejection]:
    files = sorted(
        (p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
         and not any(part.startswith(".") for part in p.relative_to(root).parts)),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    if not files:
        raise InputError(f"{root}: no .txt or .md files found (the directory is searched recursively)")
    for file in files:
        yield _read_text_file(file, file.relative_to(root).as_posix())


def _read_text_file(path: Path, article_id: str) -> Article | Rejection:
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Rejection(article_id, f"cannot read file: {exc.strerror or exc}", origin)
    problem = _binary_problem(data)
    if problem:
        return Rejection(article_id, problem, origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Rejection(article_id, _utf8_reason(exc), origin)
    return Article(id=article_id, text=text, origin=origin)


def _binary_problem(data: bytes) -> str | None:
    if b"\x00" in data:
        return "binary file (contains NUL bytes); only UTF-8 text can be read"
    return None


def _utf8_reason(exc: UnicodeDecodeError) -> str:
    bad = exc.object[exc.start : exc.start + 1].hex()
    return f"not valid UTF-8 (byte 0x{bad} at offset {exc.start}); re-encode the text as UTF-8"


def _read_jsonl(stream: IO[bytes], name: str) -> Iterator[Article | Rejection]:
    records = 0
    first_problem: str | None = None
    lines = 0
    for lineno, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        lines += 1
        origin = f"{name}:{lineno}"
        item = _parse_jsonl_line(raw, origin)
        if isinstance(item, Article):
            records += 1
        elif first_problem is None:
            first_problem = f"{origin}: {item.reason}"
        yield item
    if records == 0:
        if lines == 0:
            raise InputError(f"{name}: no records (the file is empty); expected one JSON object per line")
        raise InputError(
            f"{first_problem}; no line of {name} is a usable article "
            f"(each line must be a JSON object with string 'id' and 'text')"
        )


def _parse_jsonl_line(raw: bytes, origin: str) -> Article | Rejection:
    if b"\x00" in raw:
        return Rejection(origin, "line contains NUL bytes; only UTF-8 JSON text can be read", origin)
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Rejection(origin, _utf8_reason(exc), origin)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(origin, f"not valid JSON ({exc.msg} at column {exc.colno})", origin)
    if not isinstance(record, dict):
        return Rejection(origin, f"expected a JSON object, got {type(record).__name__}", origin)
    raw_id = record.get("id")
    if raw_id is None:
        return Rejection(origin, "missing 'id' field", origin)
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        return Rejection(origin, f"'id' must be a string or an integer, got {type(raw_id).__name__}", origin)
    article_id = str(raw_id)
    if not article_id.strip():
        return Rejection(origin, "'id' is empty", origin)
    if "text" not in record or record["text"] is None:
        return Rejection(article_id, "missing 'text' field", origin)
    text = record["text"]
    if not isinstance(text, str):
        return Rejection(article_id, f"'text' must be a string, got {type(text).__name__}", origin)
    fields: dict[str, Any] = {}
    for key in _OPTIONAL_STRINGS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return Rejection(article_id, f"'{key}' must be a string, got {type(value).__name__}", origin)
        fields[key] = value
    date_field = "published" if record.get("published") is not None else "date"
    published = record.get(date_field)
    if published is not None:
        parsed = parse_published(published)
        if parsed is None:
            return Rejection(
                article_id,
                f"'{date_field}' is not a date: {published!r} (use ISO-8601 such as 2023-07-13 or "
                "2023-07-13T23:14:00Z, or RFC 2822 such as Thu, 13 Jul 2023 23:14:00 GMT)",
                origin,
            )
        fields["published"] = parsed
    meta = {k: v for k, v in record.items() if k not in {"id", "text", date_field, *_OPTIONAL_STRINGS}}
    return Article(id=article_id, text=text, meta=meta, origin=origin, **fields)
