"""Held beginnings: where a text holds the beginning (the lede) of another text.

A digest, an aggregator page or a live blog quotes the headline and lede of each story it
lists. The story itself is not inside the page (only its beginning is), so no copy pair
ties the two, yet the page holds the beginning of two stories that are not copies of
each other, and that is what makes it a compilation (:mod:`dedup.families`).

*c holds the beginning of s* when at least :data:`BEGINNING_HELD` of s's lede shingles
(its first ``lede`` shingles in reading order; only a text with a full lede has one) are
among c's shingles (the pair keeps how many: the family stage tells a page that quotes
s's beginning from a text that shares more of s). Candidates are found by passage keys (:func:`dedup.shingle.passage_keys`):
one of s's lede keys among c's keys. Every engine finds them the same way and counts the
shingles the same way, so they agree on the pairs.

Example:
    >>> from dedup.shingle import body_shingles
    >>> story = body_shingles("Argonaut founder rebuilds empire. " + " ".join(f"word{i}" for i in range(40)), 5)
    >>> digest = body_shingles("Catch up on the news. 1. " + " ".join(f"word{i}" for i in range(30)) + " 2. More.", 5)
    >>> held(digest.shingles, story.head, 20) > 0, held(story.shingles, digest.head, 20)
    (True, 0)
"""

from __future__ import annotations

import math

import numpy as np

from dedup._hashing import fmix64, sorted_unique
from dedup.verify import EMPTY, count_shared

BEGINNING_HELD = 0.8
"""Share of a lede's shingles a text must hold to hold its beginning (a headline or one word
changed keeps 16 of 20; chosen on the tune news days, see docs/families.md)."""


def needed(lede: int) -> int:
    """Lede shingles a holder must hold of a lede of ``lede`` distinct shingles."""
    return math.ceil(BEGINNING_HELD * lede)


def lede_set(head: np.ndarray, lede: int) -> np.ndarray:
    """The lede shingles of a text (sorted unique) from its head, or empty when it has no full lede."""
    if lede <= 0 or head.size < lede:
        return EMPTY
    return sorted_unique(head[:lede])


def held(shingles: np.ndarray, head: np.ndarray, lede: int) -> int:
    """The lede shingles of a text (from its ``head``, its first shingles in reading order)
    that sorted unique ``shingles`` hold, when that is at least :data:`BEGINNING_HELD` of
    them; else 0 (also when it has no full lede)."""
    own = lede_set(head, lede)
    found = count_shared(own, shingles)
    return found if own.size and found >= needed(own.size) else 0


_HOLDER_SALT = np.uint64(0xD6E8FEB86659FD93)
_OWNER_SALT = np.uint64(0xA0761D6478BD642F)


def holder_keys(passages: np.ndarray) -> np.ndarray:
    """``int64`` keys under which a text is found as a possible holder of a beginning (one per passage key)."""
    return fmix64(passages.astype(np.uint64) ^ _HOLDER_SALT).view(np.int64)


def owner_keys(lede_passages: np.ndarray) -> np.ndarray:
    """``int64`` keys under which a text is found as the owner of a beginning (one per lede passage key)."""
    return fmix64(lede_passages.astype(np.uint64) ^ _OWNER_SALT).view(np.int64)


def lookup_keys(passages: np.ndarray, lede_passages: np.ndarray) -> np.ndarray:
    """Sorted unique keys a key table (the index's band keys) stores for a text: a text
    that may hold its beginning looks up :func:`holder_keys` of its lede passages; a text
    whose beginning it may hold, :func:`owner_keys` of its passages."""
    return np.union1d(holder_keys(passages), owner_keys(lede_passages))


def candidate_pairs(
    holder_rows: np.ndarray, held_keys: np.ndarray, lede_rows: np.ndarray, lede_keys: np.ndarray
) -> np.ndarray:
    """``int64[m, 2]`` sorted unique (holder, owner) pairs that share a passage key: a holder
    row (one per entry of ``held_keys``) holds one of the owner's lede keys. A row is never
    paired with itself."""
    if held_keys.size == 0 or lede_keys.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(lede_keys, kind="stable")
    keys, owners = lede_keys[order], lede_rows[order]
    start = np.searchsorted(keys, held_keys, side="left")
    end = np.searchsorted(keys, held_keys, side="right")
    counts = end - start
    if not counts.any():
        return np.empty((0, 2), dtype=np.int64)
    holders = np.repeat(holder_rows, counts)
    before = np.cumsum(counts) - counts  # entries of the earlier holder keys
    positions = np.repeat(start - before, counts) + np.arange(holders.size)
    pairs = np.stack([holders.astype(np.int64), owners[positions].astype(np.int64)], axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0) if pairs.size else pairs.reshape(0, 2)


__all__ = ["BEGINNING_HELD", "candidate_pairs", "held", "holder_keys", "lede_set", "lookup_keys", "needed", "owner_keys"]
