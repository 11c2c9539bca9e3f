"""Readers: paths -> a stream of :class:`Article` (or :class:`Rejection` for bad records).

Supported inputs:

* a directory, read recursively: every ``.txt``, ``.md``, ``.html`` and ``.htm``
  file is one article, its id the path relative to that directory
  (``/``-separated), files in sorted order; hidden files and folders are skipped;
* a ``.txt`` / ``.md`` file: one article, its id the file name;
* a ``.html`` / ``.htm`` page: one article; main text, title, date, canonical URL
  and site name are extracted with trafilatura (:mod:`dedup.text.extract`);
* a ``.jsonl`` / ``.ndjson`` file (or the same gzip-compressed, ``.gz``): one JSON
  object per line;
* a ``.csv`` file (or ``.csv.gz``) with a header row;
* a ``.parquet`` file (needs pyarrow: ``pip install 'dedup[parquet]'``);
* ``-``: JSONL on standard input.

Records (JSONL, CSV, Parquet) are mapped by a :class:`FieldMap`: by default ``id``
and ``text``, optional ``title``, ``url``, ``source``, and ``published`` or else
``date`` (read by :func:`dedup.dates.parse_published`); other fields pass through
as ``meta``.

:class:`ArticleFiles` is the same input as an iterable that can be read more than
once (standard input is spooled to a temporary file on the first read), which lets
the batch pipeline hold only signatures and read the candidates again;
:meth:`ArticleFiles.pick` reads back only the items at given positions, parsing only
those records (or files) where the format allows.

A bad record never stops the run: it becomes a :class:`Rejection` naming the file
and line (or row). An input with nothing usable in it raises :class:`InputError`.

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
from typing import IO

import numpy as np

from dedup.errors import InputError
from dedup.io.fields import FieldMap, article_from_record
from dedup.io.files import open_bytes
from dedup.io.picking import Picks, picked, records_at
from dedup.io.tables import open_parquet, pick_csv, pick_parquet, read_csv, read_parquet
from dedup.models import Article, Rejection
from dedup.text.extract import HTML_SUFFIXES, extract_page

TEXT_SUFFIXES = (".txt", ".md")
PAGE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FORMATS = ("files", "jsonl", "csv", "parquet")
_SUPPORTED = ("a directory of .txt/.md/.html files, a .txt/.md/.html page, a .jsonl/.csv file "
              "(optionally .gz), a .parquet file, or - for JSONL on stdin")


def input_format(path: str | Path) -> str:
    """The format of one input: ``files`` (a directory, a text file or a page),
    ``jsonl`` (also ``-``), ``csv`` or ``parquet``.

    Raises:
        InputError: The path's type is not supported.

    Example:
        >>> input_format("feed.jsonl.gz"), input_format("-"), input_format("x.parquet")
        ('jsonl', 'jsonl', 'parquet')
    """
    if str(path) == "-":
        return "jsonl"
    path = Path(path)
    if path.is_dir():
        return "files"
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    kind = suffixes[-2] if len(suffixes) == 2 and suffixes[-1] == ".gz" else (suffixes[-1] if suffixes else "")
    if kind in JSONL_SUFFIXES:
        return "jsonl"
    if kind == ".csv":
        return "csv"
    if kind == ".parquet" and suffixes[-1] != ".gz":
        return "parquet"
    if kind in PAGE_SUFFIXES and suffixes[-1] != ".gz":
        return "files"
    raise InputError(f"{path}: unsupported file type {''.join(path.suffixes) or '(none)'!r}; give {_SUPPORTED}")


class ArticleFiles:
    """The articles of ``paths`` (as :func:`read_articles`), readable again and again.

    Args:
        paths: Directories, files, or ``-`` for JSONL on stdin (see the module docs).
        stdin: Byte stream to read for ``-`` (defaults to ``sys.stdin.buffer``).
        fields: Which record fields hold the id, text, title, date, source and URL.

    Example:
        >>> import io
        >>> files = ArticleFiles(["-"], stdin=io.BytesIO(b'{"id": "a1", "text": "Hello"}\\n'))
        >>> [a.id for a in files] == [a.id for a in files] == ["a1"]
        True
    """

    def __init__(
        self, paths: Iterable[str | Path], stdin: IO[bytes] | None = None, fields: FieldMap | None = None
    ) -> None:
        self.paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
        self.fields = fields if fields is not None else FieldMap()
        self._stdin = stdin
        self._spool: IO[bytes] | None = None

    def __iter__(self) -> Iterator[Article | Rejection]:
        if "-" not in map(str, self.paths):
            return read_articles(self.paths, fields=self.fields)
        return read_articles(self.paths, stdin=self.stdin(), fields=self.fields)

    def pick(self, positions: np.ndarray) -> Iterator[tuple[int, Article | Rejection]]:
        """The items at ``positions`` (indices among all that iterating yields, articles and
        rejections alike), as (position, item) in ascending order. Only those records are
        parsed: JSONL lines are split as bytes, Parquet rows read by row group, only the
        wanted files of a directory opened (CSV is split whole, only the wanted rows read).
        An input that holds fewer items now yields fewer.

        Example:
            >>> import io
            >>> files = ArticleFiles(["-"], stdin=io.BytesIO(b'{"id": "a", "text": "x"}\\n\\n{"id": "b", "text": "y"}\\n'))
            >>> [(position, item.id) for position, item in files.pick(np.array([1]))]
            [(1, 'b')]
        """
        wanted = np.unique(np.asarray(positions, dtype=np.int64))
        first = 0
        for raw in self.paths:
            wanted = wanted[np.searchsorted(wanted, first):]
            if wanted.size == 0:
                return
            first = yield from self._pick_from(raw, wanted, first)

    def _pick_from(self, raw: str | Path, wanted: np.ndarray, first: int) -> Picks:
        """The wanted items of one input whose first item is at position ``first``."""
        if str(raw) == "-":
            return (yield from pick_jsonl(self.stdin(), "<stdin>", self.fields, wanted, first))
        path = _existing(raw)
        kind = input_format(path)
        if kind == "jsonl":
            with open_bytes(path) as handle:
                return (yield from pick_jsonl(handle, str(path), self.fields, wanted, first))
        if kind == "csv":
            return (yield from pick_csv(path, self.fields, wanted, first))
        if kind == "parquet":
            return (yield from pick_parquet(path, self.fields, wanted, first))
        return (yield from picked(_pages(path), wanted, first, lambda page: _read_page_file(*page)))

    def stdin(self) -> IO[bytes]:
        """Standard input, spooled on the first call, at its start."""
        if self._spool is None:
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as this object)
            shutil.copyfileobj(self._stdin if self._stdin is not None else sys.stdin.buffer, self._spool)
        self._spool.seek(0)
        return self._spool

    def __del__(self) -> None:
        if self._spool is not None:
            self._spool.close()


def read_articles(
    paths: Iterable[str | Path], stdin: IO[bytes] | None = None, fields: FieldMap | None = None
) -> Iterator[Article | Rejection]:
    """Read articles from files, directories and ``-`` (stdin), in the order given.

    Args:
        paths: Directories, files, or ``-`` for JSONL on stdin (see the module docs).
        stdin: Byte stream to read for ``-`` (defaults to ``sys.stdin.buffer``).
        fields: Which record fields hold the id, text, title, date, source and URL.

    Yields:
        An :class:`Article` per usable record, a :class:`Rejection` per bad one.

    Raises:
        InputError: A path is missing, of an unsupported type, or holds nothing usable.
    """
    fields = fields if fields is not None else FieldMap()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for raw in paths:
        if str(raw) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_jsonl(stream, "<stdin>", fields)
            continue
        path = _existing(raw)
        kind = input_format(path)
        if kind == "files":
            yield from _read_pages(path)
        elif kind == "jsonl":
            with open_bytes(path) as handle:
                yield from _read_jsonl(handle, str(path), fields)
        elif kind == "csv":
            yield from read_csv(path, fields)
        else:
            yield from read_parquet(path, fields)


def _existing(raw: str | Path) -> Path:
    """``raw`` as a path that exists, or an InputError."""
    path = Path(raw)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    return path


def page_files(root: Path) -> list[Path]:
    """The article files of a directory (see the module docs), in id order."""
    return sorted(
        (p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES
         and not any(part.startswith(".") for part in p.relative_to(root).parts)),
        key=lambda p: p.relative_to(root).as_posix(),
    )


def _pages(path: Path) -> list[tuple[Path, str]]:
    """The article files of a directory, or the one page file, each with its article id."""
    if not path.is_dir():
        return [(path, path.name)]
    return [(file, file.relative_to(path).as_posix()) for file in page_files(path)]


def _read_pages(path: Path) -> Iterator[Article | Rejection]:
    pages = _pages(path)
    if not pages:
        raise InputError(f"{path}: no .txt, .md or .html files found (the directory is searched recursively)")
    for file, article_id in pages:
        yield _read_page_file(file, article_id)


def _read_page_file(path: Path, article_id: str) -> Article | Rejection:
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Rejection(article_id, f"cannot read file: {exc.strerror or exc}", origin)
    problem = _binary_problem(data)
    if problem:
        return Rejection(article_id, problem, origin)
    if path.suffix.lower() in HTML_SUFFIXES:
        return _read_html(data, article_id, origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Rejection(article_id, _utf8_reason(exc), origin)
    return Article(id=article_id, text=text, origin=origin)


def _read_html(data: bytes, article_id: str, origin: str) -> Article | Rejection:
    try:
        page = extract_page(data)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser failure on one page must not stop the run
        return Rejection(article_id, f"cannot parse the HTML page ({type(exc).__name__}: {exc})", origin)
    if page is None:
        return Rejection(article_id, "no article text found in the HTML page (trafilatura extracted nothing)", origin)
    return Article(
        id=article_id, text=page.text, title=page.title, url=page.url, source=page.site,
        published=page.published, origin=origin, chrome=page.chrome,
    )


def _binary_problem(data: bytes) -> str | None:
    if b"\x00" in data:
        return "binary file (contains NUL bytes); only UTF-8 text can be read"
    return None


def _utf8_reason(exc: UnicodeDecodeError) -> str:
    bad = exc.object[exc.start : exc.start + 1].hex()
    return f"not valid UTF-8 (byte 0x{bad} at offset {exc.start}); re-encode the text as UTF-8"


def _read_jsonl(stream: IO[bytes], name: str, fields: FieldMap) -> Iterator[Article | Rejection]:
    records = 0
    first_problem: str | None = None
    lines = 0
    for lineno, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        lines += 1
        origin = f"{name}:{lineno}"
        item = parse_jsonl_line(raw, origin, fields)
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
            f"(each line must be a JSON object with string '{fields.id}' and '{fields.text}')"
        )


def pick_jsonl(stream: IO[bytes], name: str, fields: FieldMap, wanted: np.ndarray, first: int) -> Picks:
    """The records of a JSONL stream at positions ``wanted`` (ascending; the stream's first
    record is at ``first``), parsed as :func:`read_articles` parses them; the others are
    only split off as bytes."""
    def read(raw: bytes, lineno: int) -> Article | Rejection:
        return parse_jsonl_line(raw, f"{name}:{lineno}", fields)

    return (yield from records_at(stream, wanted, first, read))


def parse_jsonl_line(raw: bytes, origin: str, fields: FieldMap) -> Article | Rejection:
    """One JSONL line (``origin`` names it) as an Article, or a Rejection saying what is wrong."""
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
    return article_from_record(record, fields, origin)


def count_records(paths: Iterable[str | Path]) -> int | None:
    """How many records the inputs hold, when that is cheap to know (for a progress bar):
    files in folders, lines of plain JSONL files, rows of Parquet files; None for
    standard input, CSV and compressed files."""
    total = 0
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-" or not path.exists():
            return None
        kind = input_format(path)
        if kind == "files":
            total += len(page_files(path)) if path.is_dir() else 1
        elif kind == "jsonl" and path.suffix.lower() != ".gz":
            with path.open("rb") as handle:
                total += sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
        elif kind == "parquet":
            total += open_parquet(path).metadata.num_rows
        else:
            return None
    return total
