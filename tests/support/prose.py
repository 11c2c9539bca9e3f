"""A deterministic generator of prose for tests that need overlaps known exactly.

It makes long, distinct paragraphs from a fixed vocabulary of pseudo-words (no two
paragraphs share a word), so tests can build copies, excerpts and rolling stories.

Example:
    >>> prose = ProseMaker()
    >>> first, second = prose.make(5), prose.make(5)
    >>> set(first.lower().rstrip(".").split()) & set(second.lower().rstrip(".").split())
    set()
"""

from __future__ import annotations

import itertools

import numpy as np

_SYLLABLES = (
    "ka lo mi ren tu vos bar del fin gor hal jun kel mar nor pel quin ros sal tar ul ven wil yor zan"
).split()


def vocabulary(seed: int = 7) -> list[str]:
    """15,625 distinct three-syllable pseudo-words in a fixed shuffled order."""
    words = ["".join(parts) for parts in itertools.product(_SYLLABLES, repeat=3)]
    order = np.random.RandomState(seed).permutation(len(words))
    return [words[i] for i in order]


class ProseMaker:
    """Hands out paragraphs of never-before-used words: ``make(40)`` -> one sentence."""

    def __init__(self, seed: int = 7) -> None:
        self._words = vocabulary(seed)
        self._next = 0

    def words(self, count: int) -> list[str]:
        chunk = self._words[self._next : self._next + count]
        if len(chunk) < count:
            raise RuntimeError("vocabulary exhausted")
        self._next += count
        return chunk

    def make(self, count: int = 40) -> str:
        words = self.words(count)
        return (" ".join(words)).capitalize() + "."
