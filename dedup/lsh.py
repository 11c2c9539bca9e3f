"""LSH banding: signatures -> candidate pairs, by grouping band keys with numpy.

Each band of ``rows`` signature values is hashed to one uint64 key; rows whose key
is equal in any band become a candidate pair. Grouping is a sort per band (one
band's keys in memory at a time), so memory stays linear in the batch. A bucket of more than ``max_bucket``
rows (a template or a junk text shared by many pages) emits only the pairs within
a sliding window of ``max_bucket`` rows in id order instead of all of its pairs;
such buckets are counted and reported. Every candidate is verified afterwards.

Example:
    >>> sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
    >>> candidate_pairs(sig, bands=2, rows=2).pairs.tolist()
    [[0, 1]]
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from dedup import _kernels
from dedup._hashing import CHAIN, U64, fmix64, sorted_unique


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


def band_key(signatures: np.ndarray, band: int, rows: int) -> np.ndarray:
    """``uint64[n]``: the hash key of one band of every row."""
    block = signatures[:, band * rows : (band + 1) * rows]
    acc = fmix64(block[:, 0].astype(U64) + U64(band))
    for column in range(1, rows):
        acc = fmix64(acc * CHAIN + block[:, column].astype(U64))
    return acc


def band_keys(signatures: np.ndarray, bands: int, rows: int, first_band: int = 0) -> np.ndarray:
    """``uint64[n, bands]``: the keys of ``bands`` bands from ``first_band`` for every
    row (compiled when numba is present; the same values either way)."""
    if _kernels.AVAILABLE:
        return _kernels.band_keys(signatures, first_band, bands, rows).T
    keys = np.empty((signatures.shape[0], bands), dtype=U64)
    for j in range(bands):
        keys[:, j] = band_key(signatures, first_band + j, rows)
    return keys


# Bands keyed per pass over the signature matrix: fewer passes, bounded memory.
_BANDS_PER_PASS = 4


def _runs(keys: np.ndarray, ranks: np.ndarray, rank_bits: int, max_bucket: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """See :func:`dedup._kernels.band_runs`; this is its numpy twin."""
    if _kernels.AVAILABLE:
        return _kernels.band_runs(keys, ranks, rank_bits, max_bucket)
    shift = U64(rank_bits)
    packed = np.sort(((keys >> shift) << shift) | ranks)
    high = packed >> shift
    in_run = high[1:] == high[:-1]
    if not in_run.any():
        return np.empty(0, np.int64), np.empty(0, np.int64), 1, 0
    starts = np.flatnonzero(np.r_[True, ~in_run])
    sizes = np.diff(np.r_[starts, keys.size])
    member = np.repeat(sizes > 1, sizes)
    run_of = np.repeat(np.arange(starts.size), sizes)[member]
    member_rank = (packed[member] & ((U64(1) << shift) - U64(1))).astype(np.int64)
    return member_rank, run_of, int(sizes.max()), int(np.count_nonzero(sizes > max_bucket))


def _band_pairs(
    keys: np.ndarray, ranks: np.ndarray, row_at: np.ndarray, rank_bits: int, max_bucket: int
) -> tuple[np.ndarray, int, int]:
    """One band's pairs as codes ``low * n + high``, its largest bucket and its count of
    oversized buckets."""
    n = keys.size
    member_rank, run_of, largest, oversized = _runs(keys, ranks, rank_bits, max_bucket)
    in_order = row_at[member_rank]
    found = [np.empty(0, np.int64)]
    for distance in range(1, min(largest, max_bucket)):
        same = run_of[distance:] == run_of[:-distance]
        if not same.any():
            break
        left = in_order[:-distance][same]
        right = in_order[distance:][same]
        exact = keys[left] == keys[right]  # the dropped low bits must agree too
        left, right = left[exact], right[exact]
        found.append(np.minimum(left, right) * n + np.maximum(left, right))
    return np.concatenate(found), largest, oversized


def candidate_pairs(
    signatures: np.ndarray, bands: int, rows: int, max_bucket: int = 500, order: np.ndarray | None = None,
    workers: int = 1,
) -> Candidates:
    """Rows that share at least one band key.

    One band at a time, each row's key and its rank are packed into one uint64 (the
    key's high bits above the rank's bits) and sorted with numpy's plain sort, the
    fastest it has: equal keys form runs, ordered by rank. A run can mix keys that
    differ only in the dropped low bits; pairs are kept only when the whole keys are
    equal. Memory beyond the signatures: a few arrays of n per band in flight.

    Args:
        signatures: ``uint32[n, num_perm]`` MinHash matrix.
        bands: Number of bands; ``bands * rows <= num_perm``.
        rows: Signature values per band.
        max_bucket: Buckets above this size emit a sliding window of pairs only.
        order: Optional rank of each row (e.g. by article id) that orders rows inside
            a bucket, so windowing does not depend on input order.
        workers: Threads over the bands (the kernels and the sort release the GIL);
            the result does not depend on it.

    Returns:
        The candidates, with bucket statistics.
    """
    n = signatures.shape[0]
    if n < 2:
        return Candidates(np.empty((0, 2), dtype=np.int64), 0, 1 if n else 0)
    rank = np.arange(n, dtype=np.int64) if order is None else np.asarray(order, dtype=np.int64)
    row_at = np.empty(n, dtype=np.int64)
    row_at[rank] = np.arange(n, dtype=np.int64)  # the row holding each rank
    rank_bits = max(1, int(n - 1).bit_length())
    ranks = rank.view(U64)  # the same bits: ranks are not negative

    def group(first: int) -> tuple[np.ndarray, int, int]:
        """The pairs of a group of bands, deduplicated (a copy shares most bands)."""
        count = min(_BANDS_PER_PASS, bands - first)
        keys = band_keys(signatures, count, rows, first_band=first)
        found = [
            _band_pairs(np.ascontiguousarray(keys[:, j]), ranks, row_at, rank_bits, max_bucket) for j in range(count)
        ]
        del keys
        codes = sorted_unique(np.concatenate([codes for codes, _, _ in found]))
        return codes, max(largest for _, largest, _ in found), sum(oversized for _, _, oversized in found)

    firsts = range(0, bands, _BANDS_PER_PASS)
    if workers > 1 and len(firsts) > 1:
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(group, firsts))
    else:
        results = [group(first) for first in firsts]
    codes = sorted_unique(np.concatenate([codes for codes, _, _ in results]))
    largest = max(largest for _, largest, _ in results)
    oversized = sum(oversized for _, _, oversized in results)
    return Candidates(np.stack([codes // n, codes % n], axis=1).astype(np.int64), oversized, largest)



def collision_probability(jaccard: float, bands: int, rows: int) -> float:
    """Probability that a pair with this Jaccard similarity becomes a candidate."""
    return 1.0 - (1.0 - jaccard**rows) ** bands
