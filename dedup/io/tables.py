"""Tabular inputs: CSV (with a header row, optionally gzip-compressed) and Parquet.

Rows are named ``FILE:row N``: for CSV the header is row 1, so N is the row a
spreadsheet shows; for Parquet N counts data rows from 1. A bad row is a
:class:`Rejection`; a file that cannot be read as a table at all, or lacks the id or
text column, raises :class:`InputError` naming the columns it has and the fix.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "feed.csv"
    >>> _ = path.write_text("doc,body\\n7,Hello there\\n", encoding="utf-8")
    >>> [a.id for a in read_csv(path, FieldMap(id="doc", text="body"))]
    ['7']
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from dedup.errors import InputError
from dedup.io.fields import FieldMap, article_from_record
from dedup.io.files import open_bytes
from dedup.io.picking import Picks, picked
from dedup.models import Article, Rejection

_FIELD_FLAGS = {"id": "--id-field", "text": "--text-field"}


def _raise_field_limit() -> None:
    """Articles can be longer than the csv module's default 128 KiB cell limit."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


def _check_columns(name: str, columns: Sequence[str], fields: FieldMap) -> None:
    for role, column in zip(("id", "text"), fields.required()):
        if column not in columns:
            shown = ", ".join(repr(c) for c in columns[:20]) or "(none)"
            raise InputError(
                f"{name}: no column {column!r} for the article {role}; the columns are {shown}; "
                f"name yours with {_FIELD_FLAGS[role]}"
            )


def open_csv_text(path: Path) -> IO[str]:
    """A CSV file as text for :mod:`csv`: UTF-8 (a BOM is skipped), undecodable bytes kept
    as surrogates so that only their rows are rejected; decompressed when ``.gz``."""
    return io.TextIOWrapper(open_bytes(path), encoding="utf-8-sig", errors="surrogateescape", newline="")


def csv_rows(handle: IO[str], name: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file as (row number, cells), the header as row 1.

    Raises:
        InputError: The CSV cannot be parsed at some line (an unrecoverable quoting error).
    """
    _raise_field_limit()
    reader = csv.reader(handle)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except csv.Error as exc:
        raise InputError(f"{name}:row {number + 1} (line {reader.line_num}): malformed CSV ({exc})") from None


def read_csv(path: Path, fields: FieldMap) -> Iterator[Article | Rejection]:
    """The articles of a CSV file with a header row."""
    name = str(path)
    with open_csv_text(path) as handle:
        columns, rows = _data_rows(handle, name, fields)
        usable = 0
        for number, cells in rows:
            item = _csv_article(cells, columns, fields, f"{name}:row {number}")
            usable += isinstance(item, Article)
            yield item
    if not usable:
        raise InputError(f"{name}: no usable row (each row needs a {fields.id!r} and a {fields.text!r} value)")


def pick_csv(path: Path, fields: FieldMap, wanted: np.ndarray, first: int) -> Picks:
    """The rows of a CSV file at positions ``wanted`` (its first row at ``first``): every
    row is split, only the wanted ones read as articles."""
    name = str(path)
    with open_csv_text(path) as handle:
        columns, rows = _data_rows(handle, name, fields)

        def read(row: tuple[int, list[str]]) -> Article | Rejection:
            return _csv_article(row[1], columns, fields, f"{name}:row {row[0]}")

        return (yield from picked(rows, wanted, first, read))


def _data_rows(handle: IO[str], name: str, fields: FieldMap) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The checked header of a CSV file and its data rows (empty ones skipped) as (row number, cells)."""
    rows = csv_rows(handle, name)
    header = next(rows, None)
    if header is None:
        raise InputError(f"{name}: the file is empty; expected a header row, e.g. id,text")
    columns = header[1]
    if len(set(columns)) != len(columns):
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        raise InputError(f"{name}: the header repeats column(s) {', '.join(map(repr, repeated))}; names must be unique")
    _check_columns(name, columns, fields)
    return columns, ((number, cells) for number, cells in rows if cells)


def _csv_article(cells: list[str], columns: Sequence[str], fields: FieldMap, origin: str) -> Article | Rejection:
    if len(cells) != len(columns):
        return Rejection(origin, f"the row has {len(cells)} cells and the header {len(columns)}; quote cells holding commas", origin)
    for column, cell in zip(columns, cells):
        if "\x00" in cell:
            return Rejection(origin, f"column {column!r} contains NUL bytes; only UTF-8 text can be read", origin)
        if any("\udc80" <= ch <= "\udcff" for ch in cell):
            return Rejection(origin, f"column {column!r} is not valid UTF-8; re-encode the file as UTF-8", origin)
    return article_from_record(dict(zip(columns, cells)), fields, origin)


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as parquet
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise InputError(f"reading Parquet needs pyarrow ({exc}); install it with: pip install 'dedup[parquet]'") from None
    return parquet


def open_parquet(path: Path) -> Any:
    """A ``pyarrow.parquet.ParquetFile``, or an InputError saying why it cannot be read."""
    parquet = _pyarrow_parquet()
    try:
        return parquet.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for unreadable files
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None


def read_parquet(path: Path, fields: FieldMap) -> Iterator[Article | Rejection]:
    """The articles of a Parquet file, a batch of rows at a time."""
    name = str(path)
    table = open_parquet(path)
    _check_columns(name, table.schema_arrow.names, fields)
    number = 0
    usable = 0
    for batch in table.iter_batches(batch_size=2048):
        for record in batch.to_pylist():
            number += 1
            item = article_from_record(record, fields, f"{name}:row {number}")
            usable += isinstance(item, Article)
            yield item
    if not usable:
        raise InputError(f"{name}: no usable row (each row needs a {fields.id!r} and a {fields.text!r} value)")


def pick_parquet(path: Path, fields: FieldMap, wanted: np.ndarray, first: int) -> Picks:
    """The rows of a Parquet file at positions ``wanted`` (its first row at ``first``):
    only the row groups holding them are read, and only the wanted rows of those made
    articles."""
    name = str(path)
    table = open_parquet(path)
    _check_columns(name, table.schema_arrow.names, fields)
    sizes = [table.metadata.row_group(g).num_rows for g in range(table.num_row_groups)]
    starts = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
    rows = np.asarray(wanted, dtype=np.int64) - first
    rows = rows[rows < starts[-1]]
    groups = np.searchsorted(starts, rows, side="right") - 1
    for group in np.unique(groups).tolist():
        inside = rows[groups == group]
        records = table.read_row_group(group).take(inside - starts[group]).to_pylist()
        for row, record in zip(inside.tolist(), records):
            yield first + row, article_from_record(record, fields, f"{name}:row {row + 1}")
    return first + int(starts[-1])
