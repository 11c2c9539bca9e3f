"""Reading back chosen records of an input by position, without reading the others.

A position counts every item a reader yields, articles and rejections alike, from 0.
:func:`picked` takes the records at wanted positions from any sequence of records;
:func:`records_at` does it for JSONL, whose records are its non-blank lines (blank lines
are skipped by the reader and are not records; line numbers count them all, from 1). A
JSONL stream is read a block at a time into one buffer and split there with ``find``,
so only the wanted lines are copied out of it.

Example:
    >>> import io
    >>> feed = io.BytesIO(b'{"id": 1}\\n\\n  \\n{"id": 2}\\n{"id": 3}')
    >>> list(records_at(feed, np.array([11, 12]), 10, lambda line, number: (number, line.strip())))
    [(11, (4, b'{"id": 2}')), (12, (5, b'{"id": 3}'))]
"""

from __future__ import annotations

import io
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import IO, TypeVar, cast

import numpy as np

from dedup.models import Article, Rejection

R = TypeVar("R")
T = TypeVar("T")

Picks = Generator[tuple[int, Article | Rejection], None, int]
"""Items picked from one input as (position, item); returns the position after its last item passed."""

_WHITESPACE = frozenset(b" \t\n\r\x0b\x0c")
"""The bytes ``bytes.strip()`` and ``bytes.isspace()`` take for white space."""

_BLOCK = 1 << 20
"""Bytes read at a time from a JSONL stream (more when a line is longer)."""


def picked(
    records: Iterable[R], wanted: np.ndarray, first: int, read: Callable[[R], T]
) -> Generator[tuple[int, T], None, int]:
    """The records at positions ``wanted`` (ascending, unique) of ``records``, whose first
    is at position ``first``, each made an item by ``read``; the others are passed by.

    Yields:
        (position, item) of each wanted record there is.

    Returns:
        The position after the last record passed: after the last record of all when
        they end before the last one wanted.

    Example:
        >>> list(picked("abcd", np.array([5, 7, 9]), 4, str.upper))
        [(5, 'B'), (7, 'D')]
    """
    chosen = (np.asarray(wanted, dtype=np.int64) - first).tolist()
    if not chosen:
        return first
    k = 0
    index = -1
    for index, record in enumerate(records):
        if index == chosen[k]:
            yield first + index, read(record)
            k += 1
            if k == len(chosen):
                break
    return first + index + 1


def records_at(
    handle: IO[bytes], wanted: np.ndarray, first: int, read: Callable[[bytes, int], T]
) -> Generator[tuple[int, T], None, int]:
    """:func:`picked` over the records of a JSONL stream (at its start), each read from
    its line (newline included) and line number."""
    return (yield from picked(_lines(handle), wanted, first, lambda line: read(bytes(line[1]), line[0])))


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, memoryview]]:
    """(line number, line) of each non-blank line of ``stream``, split where iterating a
    binary stream splits it (after each newline). The stream is read a block at a time
    into one buffer: a line is a view of it, valid until the next line is asked for."""
    reader = cast(io.BufferedIOBase, stream)  # files, gzip and the stdin spool all are
    buffer = bytearray(_BLOCK)
    start = end = 0  # buffer[start:end]: read, not split yet
    number = 0
    while True:
        if start:  # the unfinished line to the front
            buffer[: end - start] = buffer[start:end]
            start, end = 0, end - start
        if end == len(buffer):  # a line longer than the buffer
            buffer = buffer + bytes(len(buffer))
        got = reader.readinto(memoryview(buffer)[end:])
        if not got:
            break
        end += got
        while (stop := buffer.find(b"\n", start, end) + 1) > 0:
            number += 1
            if not _blank(buffer, start, stop):
                yield number, memoryview(buffer)[start:stop]
            start = stop
    if start < end and not _blank(buffer, start, end):  # the last line, without a newline
        yield number + 1, memoryview(buffer)[start:end]


def _blank(buffer: bytearray, start: int, stop: int) -> bool:
    """Whether ``buffer[start:stop]`` is white space only (looked at whole only when it
    starts with some)."""
    return buffer[start] in _WHITESPACE and buffer[start:stop].isspace()
