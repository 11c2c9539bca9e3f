"""LSH banding: signatures -> candidate pairs, by grouping band keys with numpy.

Each band of ``rows`` signature values is hashed to one uint64 key; rows whose key
is equal in any band become a candidate pair. Grouping is a sort per band, so
memory and time stay linear in the batch. A bucket of more than ``max_bucket``
rows (a template or a junk text shared by many pages) emits only the pairs within
a sliding window of ``max_bucket`` rows in id order instead of all of its pairs;
such buckets are counted and reported. Every candidate is verified afterwards.

Example:
    >>> sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
    >>> candidate_pairs(sig, bands=2, rows=2).pairs.tolist()
    [[0, 1]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup._hashing import CHAIN, U64, fmix64


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs and how they were found.

    Args:
        pairs: ``int64[m, 2]`` row pairs with ``i < j``, sorted, unique.
        oversized_buckets: Buckets larger than ``max_bucket`` (windowed, not all pairs).
        largest_bucket: Size of the largest bucket seen.
    """

    pairs: np.ndarray
    oversized_buckets: int
    largest_bucket: int


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``uint64[n, bands]``: one hash key per row and band."""
    n = signatures.shape[0]
    keys = np.empty((n, bands), dtype=U64)
    for band in range(bands):
        block = signatures[:, band * rows : (band + 1) * rows].astype(U64)
        acc = fmix64(block[:, 0] + U64(band))
        for column in range(1, rows):
            acc = fmix64(acc * CHAIN + block[:, column])
        keys[:, band] = acc
    return keys


def candidate_pairs(
    signatures: np.ndarray, bands: int, rows: int, max_bucket: int = 500, order: np.ndarray | None = None
) -> Candidates:
    """Rows that share at least one band key.

    Args:
        signatures: ``uint32[n, num_perm]`` MinHash matrix.
        bands: Number of bands; ``bands * rows <= num_perm``.
        rows: Signature values per band.
        max_bucket: Buckets above this size emit a sliding window of pairs only.
        order: Optional rank of each row (e.g. by article id) that orders rows inside
            a bucket, so windowing does not depend on input order.

    Returns:
        The candidates, with bucket statistics.
    """
    n = signatures.shape[0]
    if n < 2:
        return Candidates(np.empty((0, 2), dtype=np.int64), 0, 1 if n else 0)
    rank = np.arange(n, dtype=np.int64) if order is None else np.asarray(order, dtype=np.int64)
    keys = band_keys(signatures, bands, rows)
    found: list[np.ndarray] = []
    oversized = 0
    largest = 1
    for band in range(bands):
        # Sort by (key, rank): equal keys form runs, ordered by rank inside a run.
        sorter = np.lexsort((rank, keys[:, band]))
        sorted_keys = keys[sorter, band]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, n])
        biggest = int(sizes.max())
        largest = max(largest, biggest)
        if biggest < 2:
            continue
        oversized += int(np.count_nonzero(sizes > max_bucket))
        run_of = np.repeat(np.arange(starts.size), sizes)
        for distance in range(1, min(biggest, max_bucket)):
            same = run_of[distance:] == run_of[:-distance]
            if not same.any():
                break
            left = sorter[:-distance][same]
            right = sorter[distance:][same]
            found.append(np.stack([np.minimum(left, right), np.maximum(left, right)], axis=1))
    if not found:
        return Candidates(np.empty((0, 2), dtype=np.int64), oversized, largest)
    pairs = np.unique(np.concatenate(found).astype(np.int64), axis=0)
    return Candidates(pairs, oversized, largest)


def collision_probability(jaccard: float, bands: int, rows: int) -> float:
    """Probability that a pair with this Jaccard similarity becomes a candidate."""
    return 1.0 - (1.0 - jaccard**rows) ** bands
