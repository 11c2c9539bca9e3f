"""Quotation detection: which characters of a text are inside quotation marks.

Quotations are what every outlet covering a statement shares, so they cannot by
themselves show that one article copied another; the verifier also looks at the
reporter's own words (the text outside quotes).

Rules, applied to repaired text (quotes already unified to ``"`` and ``'``), one
paragraph (line) at a time — a quotation left open runs to the end of its
paragraph, as in news style where a long quote spans paragraphs:

* ``"`` toggles in and out of a quotation;
* in a paragraph without ``"``, ``'`` opens a quotation when it follows a space or
  an opening bracket and precedes a letter or digit, and closes it when it follows
  a non-space and precedes a space, punctuation or the end (apostrophes inside
  words never count).

Example:
    >>> text = 'He said "we rolled this out wrong" on Monday.'
    >>> [text[a:b] for a, b in quoted_spans(text)]
    ['"we rolled this out wrong"']
"""

from __future__ import annotations

import re

_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[]))'(?=\w)")
_SINGLE_CLOSE = re.compile(r"(?<=\S)'(?=[\s.,;:!?)\]]|$)")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans of the quotations in ``text``, quotes included."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend((offset + a, offset + b) for a, b in _line_spans(line))
        offset += len(line) + 1
    return spans


def _line_spans(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if '"' in line:
        start = -1
        for position, char in enumerate(line):
            if char != '"':
                continue
            if start < 0:
                start = position
            else:
                spans.append((start, position + 1))
                start = -1
        if start >= 0:
            spans.append((start, len(line)))
        return spans
    if "'" not in line:
        return spans
    opens = [m.start() for m in _SINGLE_OPEN.finditer(line)]
    closes = [m.start() for m in _SINGLE_CLOSE.finditer(line)]
    position = 0
    while True:
        opening = next((o for o in opens if o >= position), None)
        if opening is None:
            return spans
        close = next((c for c in closes if c > opening), None)
        if close is None:
            spans.append((opening, len(line)))
            return spans
        spans.append((opening, close + 1))
        position = close + 1
