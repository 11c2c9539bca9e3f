"""Verification: score candidate pairs on their exact shingle sets.

For sets A and B: Jaccard ``|A∩B| / |A∪B|`` and containment both ways,
``|A∩B| / |A|`` (how much of A is in B) and ``|A∩B| / |B|``. The copy rule:
the shorter text is mostly contained in the other.

Relations:
    ``exact``: the same shingle set.
    ``near``: each side has at least ``threshold`` of its shingles in the other.
    ``excerpt``: only the shorter side does (a teaser, a trimmed copy, an
        earlier version), and it has at least ``min_excerpt_shingles`` shingles.
    ``none``: not a copy.

Example:
    >>> a = np.arange(4, dtype=np.uint64); b = np.arange(10, dtype=np.uint64)
    >>> score(a, b).relation(threshold=0.5, min_excerpt_shingles=2)
    'excerpt'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

RELATIONS = ("none", "excerpt", "near", "exact")
NONE, EXCERPT, NEAR, EXACT = range(4)


@dataclass(frozen=True)
class Score:
    """Overlap of two shingle sets."""

    intersection: int
    size_a: int
    size_b: int

    @property
    def jaccard(self) -> float:
        union = self.size_a + self.size_b - self.intersection
        return self.intersection / union if union else 0.0

    @property
    def containment_a(self) -> float:
        """Share of A found in B."""
        return self.intersection / self.size_a if self.size_a else 0.0

    @property
    def containment_b(self) -> float:
        """Share of B found in A."""
        return self.intersection / self.size_b if self.size_b else 0.0

    def relation_code(self, threshold: float, min_excerpt_shingles: int) -> int:
        """The relation as an index into :data:`RELATIONS`."""
        if self.size_a == 0 or self.size_b == 0:
            return NONE
        if self.intersection == self.size_a == self.size_b:
            return EXACT
        low, high = sorted((self.containment_a, self.containment_b))
        if low >= threshold:
            return NEAR
        if high >= threshold and min(self.size_a, self.size_b) >= min_excerpt_shingles:
            return EXCERPT
        return NONE

    def relation(self, threshold: float, min_excerpt_shingles: int) -> str:
        """``exact``, ``near``, ``excerpt`` or ``none`` (see module docs)."""
        return RELATIONS[self.relation_code(threshold, min_excerpt_shingles)]


def score(a: np.ndarray, b: np.ndarray) -> Score:
    """Score two sorted unique uint64 shingle arrays."""
    if a.size == 0 or b.size == 0:
        return Score(0, int(a.size), int(b.size))
    small, large = (a, b) if a.size <= b.size else (b, a)
    positions = np.searchsorted(large, small)
    positions[positions == large.size] = 0
    inter = int(np.count_nonzero(large[positions] == small))
    return Score(inter, int(a.size), int(b.size))


@dataclass(frozen=True)
class Edges:
    """Verified pairs, index-aligned arrays.

    Args:
        pairs: ``int64[m, 2]`` row pairs.
        intersection: ``int64[m]`` shared shingles.
        relation: ``int8[m]`` relation codes (index into :data:`RELATIONS`).
    """

    pairs: np.ndarray
    intersection: np.ndarray
    relation: np.ndarray

    def copies(self) -> np.ndarray:
        """The pairs whose relation is a copy (anything but ``none``)."""
        return self.pairs[self.relation != NONE]


def verify_pairs(
    pairs: np.ndarray, shingle_sets: Sequence[np.ndarray], threshold: float, min_excerpt_shingles: int
) -> Edges:
    """Score every candidate pair and decide its relation."""
    m = pairs.shape[0]
    intersection = np.zeros(m, dtype=np.int64)
    relation = np.zeros(m, dtype=np.int8)
    for k in range(m):
        s = score(shingle_sets[pairs[k, 0]], shingle_sets[pairs[k, 1]])
        intersection[k] = s.intersection
        relation[k] = s.relation_code(threshold, min_excerpt_shingles)
    return Edges(pairs, intersection, relation)
