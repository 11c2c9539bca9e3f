"""Shared passages of two texts, aligned: which run of words in A is which run in B.

For showing people *why* two articles match (``dedup explain``, the HTML report);
the scores themselves come from :mod:`dedup.verify`. Words are compared
case-folded after NFKC; a passage is a run of at least ``size`` words (the
shingle size) that occurs in both texts, found by seeding on shared ``size``-word
n-grams and extending both ways as far as the words agree. Passages may come in
any order in B (a re-ordered copy).

Example:
    >>> a = "The mayor said on Monday that the bridge will close for repairs. Other news."
    >>> b = "Breaking: the mayor said on Monday that the bridge will close for repairs!"
    >>> [(p.a_text(a), p.words) for p in shared_passages(words(a), words(b), 5)]
    [('The mayor said on Monday that the bridge will close for repairs', 12)]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_MAX_SEEDS = 16
"""Occurrences in B of one n-gram tried per seed (bounds the work on repetitive text)."""


@dataclass(frozen=True)
class Word:
    """A word of a text: its character span and its comparison key."""

    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Passage:
    """A run of words shared by two texts.

    Args:
        a_first: Index of the passage's first word in A's word list.
        b_first: Index of its first word in B's word list.
        words: How many words it has.
        a_start, a_end: Its character span in A.
        b_start, b_end: Its character span in B.
    """

    a_first: int
    b_first: int
    words: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    def a_text(self, a: str) -> str:
        """The passage as it reads in A."""
        return a[self.a_start : self.a_end]

    def b_text(self, b: str) -> str:
        """The passage as it reads in B."""
        return b[self.b_start : self.b_end]


def words(text: str) -> list[Word]:
    """The words of ``text`` with their spans (``\\w+`` runs), keyed for comparison."""
    return [Word(m.start(), m.end(), unicodedata.normalize("NFKC", m.group()).casefold()) for m in _WORD.finditer(text)]


def shared_passages(a: list[Word], b: list[Word], size: int = 5) -> list[Passage]:
    """The maximal runs of at least ``size`` words of A that occur in B, in A's order.

    Each word of A is in at most one passage; a passage of B may serve several of A
    (a paragraph repeated in A).
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    a_keys = [w.key for w in a]
    b_keys = [w.key for w in b]
    seeds: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(b_keys) - size + 1):
        seeds.setdefault(tuple(b_keys[j : j + size]), []).append(j)
    passages: list[Passage] = []
    i = 0
    while i <= len(a_keys) - size:
        starts = seeds.get(tuple(a_keys[i : i + size]))
        if not starts:
            i += 1
            continue
        best_j, best_length = starts[0], 0
        for j in starts[:_MAX_SEEDS]:
            length = size
            while i + length < len(a_keys) and j + length < len(b_keys) and a_keys[i + length] == b_keys[j + length]:
                length += 1
            if length > best_length:
                best_j, best_length = j, length
        end_i, end_j = i + best_length - 1, best_j + best_length - 1
        passages.append(
            Passage(i, best_j, best_length, a[i].start, a[end_i].end, b[best_j].start, b[end_j].end)
        )
        i += best_length
    return passages

