"""Verification: score candidate pairs on their exact shingle sets.

For sets A and B: Jaccard ``|A∩B| / |A∪B|`` and containment both ways,
``|A∩B| / |A|`` (how much of A is in B) and ``|A∩B| / |B|``. The copy rule:
the shorter text is mostly contained in the other.

"A is in B" when at least ``threshold`` of A's shingles are in B **and**:

* if A has at least ``min_own_shingles`` own-words shingles (words outside
  quotation marks), at least ``threshold / 2`` of those are in B too. Independent
  write-ups of one statement share its quotations, not the reporters' own
  sentences (on the dev pages: 11% of own words against 52% of all); copies share
  both, though an editor's rewording touches the prose more than the quotes
  (39-48% of own words in lightly edited copies at 50-58% overall), hence half;
* if A has at least ``min_figures`` distinct figures (numbers), at least
  ``threshold`` of them occur in B. A copy repeats the facts; a template item
  with the same words and other figures (another day's rates, another company's
  results) is another report;
* if both are dated more than ``recurring_after_hours`` apart, every one of A's
  figures occurs in B. Wire copies, corrections and updates follow their story
  within hours (within 2 hours at the median and 20 at the 95th percentile on the
  labelled Reuters pairs); the same words with other figures days later are a
  recurring report (a weekly market estimate, a monthly price notice).

With a time window (``window_days``), two articles dated further apart are never
copies; undated articles are never affected.

Relations:
    ``exact``: the same shingle set.
    ``near``: each side is in the other.
    ``excerpt``: one side is in the other (a teaser, a trimmed copy, an earlier
        version) and the shorter has at least ``min_excerpt_shingles`` shingles.
    ``none``: not a copy.

Example:
    >>> a = np.arange(4, dtype=np.uint64); b = np.arange(10, dtype=np.uint64)
    >>> CopyRule(threshold=0.5, min_excerpt_shingles=2).relation(score(a, b))
    'excerpt'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup import _kernels

RELATIONS = ("none", "excerpt", "near", "exact")
EMPTY = np.empty(0, dtype=np.uint64)
NONE, EXCERPT, NEAR, EXACT = range(4)


@dataclass(frozen=True)
class Score:
    """Overlap of two shingle sets, and of each side's own words with the other side."""

    intersection: int
    size_a: int
    size_b: int
    own_a: int = 0
    own_b: int = 0
    own_shared_a: int = 0
    own_shared_b: int = 0
    figures_a: int = 0
    figures_b: int = 0
    figures_shared: int = 0
    hours_apart: float | None = None
    """Hours between the two publication dates, None when either is undated."""

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

    @property
    def own_containment_a(self) -> float:
        """Share of A's own-words shingles found in B (1.0 when A has none)."""
        return self.own_shared_a / self.own_a if self.own_a else 1.0

    @property
    def own_containment_b(self) -> float:
        """Share of B's own-words shingles found in A (1.0 when B has none)."""
        return self.own_shared_b / self.own_b if self.own_b else 1.0

    @property
    def figure_containment_a(self) -> float:
        """Share of A's figures found in B (1.0 when A has none)."""
        return self.figures_shared / self.figures_a if self.figures_a else 1.0

    @property
    def figure_containment_b(self) -> float:
        """Share of B's figures found in A (1.0 when B has none)."""
        return self.figures_shared / self.figures_b if self.figures_b else 1.0

    def a_in_b(
        self, threshold: float, min_own_shingles: int, min_figures: int = 3, recurring_after_hours: float = 0.0
    ) -> bool:
        """Whether A is mostly contained in B, own words and figures included."""
        side = (self.containment_a, self.own_a, self.own_containment_a, self.figures_a, self.figure_containment_a)
        return _contained(side, threshold, min_own_shingles, min_figures, self._recurring(recurring_after_hours))

    def b_in_a(
        self, threshold: float, min_own_shingles: int, min_figures: int = 3, recurring_after_hours: float = 0.0
    ) -> bool:
        """Whether B is mostly contained in A, own words and figures included."""
        side = (self.containment_b, self.own_b, self.own_containment_b, self.figures_b, self.figure_containment_b)
        return _contained(side, threshold, min_own_shingles, min_figures, self._recurring(recurring_after_hours))

    def failed_rules(
        self, threshold: float, min_own_shingles: int, min_figures: int = 3, recurring_after_hours: float = 0.0
    ) -> tuple[str | None, str | None]:
        """For A in B and for B in A, the copy-rule test that fails (see :func:`failed_rule`), or None."""
        recurring = self._recurring(recurring_after_hours)
        a = (self.containment_a, self.own_a, self.own_containment_a, self.figures_a, self.figure_containment_a)
        b = (self.containment_b, self.own_b, self.own_containment_b, self.figures_b, self.figure_containment_b)
        return (
            failed_rule(a, threshold, min_own_shingles, min_figures, recurring),
            failed_rule(b, threshold, min_own_shingles, min_figures, recurring),
        )

    def _recurring(self, recurring_after_hours: float) -> bool:
        """Whether the pair is dated far enough apart that changed figures mean another report."""
        return bool(recurring_after_hours) and self.hours_apart is not None and self.hours_apart > recurring_after_hours


@dataclass(frozen=True)
class CopyRule:
    """The copy rule: decides a pair's relation from its :class:`Score`.

    Args:
        threshold: Minimum containment of the contained side.
        min_excerpt_shingles: Shingles the shorter side needs for ``excerpt``.
        min_own_shingles: From this many own-words shingles, half the threshold of
            them must be in the other side too.
        min_figures: From this many figures, ``threshold`` of them must be in the other side.
        recurring_after_hours: Dated further apart than this, every figure must recur (0: off).
        window_hours: Dated further apart than this, never a copy (0: no window).
        min_shared_shingles: Shingles two texts must share to be a copy unless they are
            identical: the evidence floor (0: none).

    Example:
        >>> CopyRule(min_shared_shingles=8).relation(Score(5, 5, 6))
        'none'
    """

    threshold: float = 0.5
    min_excerpt_shingles: int = 10
    min_own_shingles: int = 10
    min_figures: int = 3
    recurring_after_hours: float = 0.0
    window_hours: float = 0.0
    min_shared_shingles: int = 0

    def sides(self, s: Score) -> tuple[bool, bool]:
        """Whether A is in B and whether B is in A (the relation's directions)."""
        if s.size_a == 0 or s.size_b == 0:
            return False, False
        if self.window_hours and s.hours_apart is not None and s.hours_apart > self.window_hours:
            return False, False
        if min(s.size_a, s.size_b) < self.min_shared_shingles:
            return False, False  # too short to judge, even when identical
        if s.intersection == s.size_a == s.size_b:
            return True, True
        if s.intersection < self.min_shared_shingles:
            return False, False
        args = (self.threshold, self.min_own_shingles, self.min_figures, self.recurring_after_hours)
        return s.a_in_b(*args), s.b_in_a(*args)

    def code(self, s: Score) -> int:
        """The relation as an index into :data:`RELATIONS`."""
        a_in, b_in = self.sides(s)
        if a_in and b_in:
            return EXACT if s.intersection == s.size_a == s.size_b else NEAR
        if (a_in or b_in) and min(s.size_a, s.size_b) >= self.min_excerpt_shingles:
            return EXCERPT
        return NONE

    def relation(self, s: Score) -> str:
        """``exact``, ``near``, ``excerpt`` or ``none``."""
        return RELATIONS[self.code(s)]

    def failed_rules(self, s: Score) -> tuple[str | None, str | None]:
        """For A in B and for B in A, the test that fails (see :func:`failed_rule`)."""
        return s.failed_rules(self.threshold, self.min_own_shingles, self.min_figures, self.recurring_after_hours)


def failed_rule(
    side: tuple[float, int, float, int, float], threshold: float, min_own: int, min_figures: int, recurring: bool
) -> str | None:
    """The copy rule for one direction, all in one place: which test the side fails,
    or None when it is mostly contained, not by quotations alone, and with most of its
    figures (all of them when the pair is dated days apart).

    ``side`` is (containment, own-words size, own-words containment, figures, figure containment).
    The tests, in order: ``containment``, ``own_words``, ``recurring_figures``, ``figures``.
    """
    containment, own_size, own_containment, figures, figure_containment = side
    if containment < threshold:
        return "containment"
    if own_size >= min_own and own_containment < threshold / 2:
        return "own_words"
    if recurring and figure_containment < 1.0:
        return "recurring_figures"
    if figures >= min_figures and figure_containment < threshold:
        return "figures"
    return None


def _contained(
    side: tuple[float, int, float, int, float], threshold: float, min_own: int, min_figures: int, recurring: bool
) -> bool:
    return failed_rule(side, threshold, min_own, min_figures, recurring) is None


def count_shared(small: np.ndarray, large: np.ndarray) -> int:
    """How many values of sorted unique ``small`` are in sorted unique ``large``."""
    if small.size == 0 or large.size == 0:
        return 0
    positions = np.searchsorted(large, small)
    positions[positions == large.size] = 0
    return int(np.count_nonzero(large[positions] == small))


def score(
    a: np.ndarray,
    b: np.ndarray,
    own_a: np.ndarray | None = None,
    own_b: np.ndarray | None = None,
    figures_a: np.ndarray | None = None,
    figures_b: np.ndarray | None = None,
    hours_apart: float | None = None,
) -> Score:
    """Score two sorted unique uint64 shingle arrays (and, optionally, their own-words
    subsets, figure hashes and the hours between their publication dates)."""
    small, large = (a, b) if a.size <= b.size else (b, a)
    inter = count_shared(small, large)
    own_a = EMPTY if own_a is None else own_a
    own_b = EMPTY if own_b is None else own_b
    figures_a = EMPTY if figures_a is None else figures_a
    figures_b = EMPTY if figures_b is None else figures_b
    return Score(
        inter,
        int(a.size),
        int(b.size),
        int(own_a.size),
        int(own_b.size),
        count_shared(own_a, b),
        count_shared(own_b, a),
        int(figures_a.size),
        int(figures_b.size),
        count_shared(figures_a, figures_b),
        hours_apart,
    )


TRUNCATION_SIZE = 0.8
"""A truncation has at most this share of the longer text's shingles."""
TRUNCATION_START = 80
"""Shingles of the shorter text's beginning that are looked for at the start of the longer."""


def is_truncation(head: np.ndarray, size: int, other_head: np.ndarray, other_size: int) -> bool:
    """Whether a text (its head: first shingles in reading order, and its set size) is a
    truncation of a longer one: at most 80% of it, and half of its first shingles among
    the other's first ``1.5 × k + 10``.

    Example:
        >>> h = np.arange(100, dtype=np.uint64)
        >>> is_truncation(h[:30], 30, h, 100), is_truncation(h[50:80], 30, h, 100)
        (True, False)
    """
    if size > TRUNCATION_SIZE * other_size or head.size == 0:
        return False
    first = head[:TRUNCATION_START]
    window = other_head[: int(1.5 * first.size) + 10]
    return 2 * int(np.count_nonzero(np.isin(first, window))) >= first.size


@dataclass(frozen=True)
class Edges:
    """Verified pairs, index-aligned arrays.

    Args:
        pairs: ``int64[m, 2]`` row pairs.
        intersection: ``int64[m]`` shared shingles.
        relation: ``int8[m]`` relation codes (index into :data:`RELATIONS`).
        inside: ``int8[m]`` which side is in the other: bit 1 the first, bit 2 the second.
        truncation: ``bool[m]`` in a one-sided pair, the contained side begins where
            the other begins (:func:`is_truncation`).
    """

    pairs: np.ndarray
    intersection: np.ndarray
    relation: np.ndarray
    inside: np.ndarray
    truncation: np.ndarray

    def copies(self) -> np.ndarray:
        """The pairs whose relation is a copy (anything but ``none``)."""
        return self.pairs[self.relation != NONE]


def link(s: Score, rule: CopyRule, head_a: np.ndarray, head_b: np.ndarray) -> tuple[int, int, bool]:
    """A scored pair's relation code, which side is in the other (bit 1: A, bit 2: B; 0
    when not a copy) and, for a one-sided pair, whether the contained side is a
    truncation of the other (heads: each side's first shingles in reading order)."""
    code = rule.code(s)
    if code == NONE:
        return code, 0, False
    a_in, b_in = rule.sides(s)
    inside = int(a_in) | (int(b_in) << 1)
    if inside == 1:
        return code, inside, is_truncation(head_a, s.size_a, head_b, s.size_b)
    if inside == 2:
        return code, inside, is_truncation(head_b, s.size_b, head_a, s.size_a)
    return code, inside, False


def verify_pairs(
    pairs: np.ndarray, scores: Iterable[Score], rule: CopyRule, heads: PackedSets | None = None
) -> Edges:
    """Decide the relation of every candidate pair from its score.

    Args:
        pairs: ``int64[m, 2]`` row pairs.
        scores: The score of each pair, in order (see :meth:`PackedSets.scores`).
        rule: The copy rule.
        heads: Each row's first shingles in reading order, to tell truncations (none: no truncation).
    """
    m = pairs.shape[0]
    intersection = np.zeros(m, dtype=np.int64)
    relation = np.zeros(m, dtype=np.int8)
    inside = np.zeros(m, dtype=np.int8)
    truncation = np.zeros(m, dtype=bool)
    for k, ((a, b), s) in enumerate(zip(pairs.tolist(), scores)):
        intersection[k] = s.intersection
        head_a, head_b = (heads[a], heads[b]) if heads is not None else (EMPTY, EMPTY)
        relation[k], inside[k], truncation[k] = link(s, rule, head_a, head_b)
    return Edges(pairs, intersection, relation, inside, truncation)


class PackedSets:
    """One sorted unique uint64 array per row, packed end to end (``flat`` and
    ``offsets``): a batch's shingle, own-words or figure sets in two arrays.

    Example:
        >>> packed = PackedSets([np.array([1, 5], dtype=np.uint64), EMPTY])
        >>> packed[0].tolist(), packed[1].size, len(packed)
        ([1, 5], 0, 2)
    """

    def __init__(self, sets: Sequence[np.ndarray]) -> None:
        self.offsets = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, sets), dtype=np.int64, count=len(sets)), out=self.offsets[1:])
        self.flat = np.concatenate([*sets, EMPTY]).astype(np.uint64, copy=False)

    @classmethod
    def allocate(cls, sizes: np.ndarray) -> PackedSets:
        """Room for rows of the given sizes, to be filled with :meth:`put`."""
        packed = cls.__new__(cls)
        packed.offsets = np.zeros(sizes.size + 1, dtype=np.int64)
        np.cumsum(sizes, out=packed.offsets[1:])
        packed.flat = np.empty(int(packed.offsets[-1]), dtype=np.uint64)
        return packed

    @classmethod
    def join(cls, parts: Sequence[PackedSets]) -> PackedSets:
        """The rows of ``parts``, one after another."""
        packed = cls.allocate(np.concatenate([p.sizes for p in parts] + [np.empty(0, dtype=np.int64)]))
        packed.flat = np.concatenate([p.flat for p in parts] + [EMPTY]).astype(np.uint64, copy=False)
        return packed

    def put(self, row: int, values: np.ndarray) -> bool:
        """Fill an allocated row; False (and nothing written) when the size differs."""
        start, end = self.offsets[row], self.offsets[row + 1]
        if values.size != end - start:
            return False
        self.flat[start:end] = values
        return True

    def __len__(self) -> int:
        return self.offsets.size - 1

    def __getitem__(self, row: int) -> np.ndarray:
        return self.flat[self.offsets[row] : self.offsets[row + 1]]

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)


class OwnSets:
    """Own-words sets beside their shingle sets, stored compactly: a row whose own
    words are all of its shingles (no quotation in the article: the usual case) stores
    nothing, since own words are a subset of the shingles and the sizes are equal.

    Example:
        >>> shingles = PackedSets([np.array([1, 5], dtype=np.uint64), np.array([2, 3], dtype=np.uint64)])
        >>> own = OwnSets(shingles, [np.array([1, 5], dtype=np.uint64), np.array([3], dtype=np.uint64)])
        >>> own[0].tolist(), own[1].tolist(), own.partial.flat.tolist(), own.sizes.tolist()
        ([1, 5], [3], [3], [2, 1])
    """

    def __init__(self, shingles: PackedSets, own: Sequence[np.ndarray] | None = None) -> None:
        self.shingles = shingles
        if own is None:
            own = [EMPTY] * len(shingles)
        self.whole = np.fromiter(map(len, own), dtype=np.int64, count=len(own)) == shingles.sizes
        self.partial = PackedSets([EMPTY if whole else values for whole, values in zip(self.whole.tolist(), own)])

    @classmethod
    def allocate(cls, shingles: PackedSets, whole: np.ndarray, partial_sizes: np.ndarray) -> OwnSets:
        """Rows marked ``whole`` take their shingles; the others get room for
        ``partial_sizes``, filled with :meth:`put`."""
        own = cls.__new__(cls)
        own.shingles, own.whole, own.partial = shingles, whole.copy(), PackedSets.allocate(partial_sizes)
        return own

    def put(self, row: int, values: np.ndarray) -> bool:
        """Fill an allocated row (nothing to store for a whole row); False when the size differs."""
        if self.whole[row]:
            return values.size == self.shingles.offsets[row + 1] - self.shingles.offsets[row]
        return self.partial.put(row, values)

    def __len__(self) -> int:
        return len(self.shingles)

    def __getitem__(self, row: int) -> np.ndarray:
        return self.shingles[row] if self.whole[row] else self.partial[row]

    @property
    def sizes(self) -> np.ndarray:
        return np.where(self.whole, self.shingles.sizes, self.partial.sizes)


def pair_scores(
    pairs: np.ndarray, shingles: PackedSets, own: OwnSets, figures: PackedSets, hours_apart: np.ndarray
) -> list[Score]:
    """The :class:`Score` of every pair ``(a, b)``: overlaps counted in one compiled pass
    over the sorted arrays (numpy, pair by pair, without numba); ``hours_apart`` is
    per pair, NaN when either side is undated."""
    if _kernels.AVAILABLE:
        counts = _kernels.pair_overlaps(
            pairs, (shingles.flat, shingles.offsets), (own.partial.flat, own.partial.offsets, own.whole),
            (figures.flat, figures.offsets),
        )
    else:
        counts = np.array(
            [
                (
                    count_shared(shingles[a], shingles[b]), count_shared(own[a], shingles[b]),
                    count_shared(own[b], shingles[a]), count_shared(figures[a], figures[b]),
                )
                for a, b in pairs.tolist()
            ],
            dtype=np.int64,
        ).reshape(-1, 4)
    sizes, own_sizes, figure_sizes = shingles.sizes, own.sizes, figures.sizes
    scores = []
    for (a, b), (shared, own_a_in_b, own_b_in_a, figures_shared), hours in zip(
        pairs.tolist(), counts.tolist(), hours_apart.tolist()
    ):
        scores.append(
            Score(
                shared, int(sizes[a]), int(sizes[b]), int(own_sizes[a]), int(own_sizes[b]), own_a_in_b, own_b_in_a,
                int(figure_sizes[a]), int(figure_sizes[b]), figures_shared, None if math.isnan(hours) else hours,
            )
        )
    return scores
