"""LSH banding: candidate pairs, bucket caps, order independence, derived parameters."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import DedupConfig
from dedup.errors import ConfigError
from dedup.lsh import band_keys, candidate_pairs, collision_probability
from dedup.minhash import signatures


def brute_force_pairs(sig: np.ndarray, bands: int, rows: int) -> set[tuple[int, int]]:
    """Every pair of rows that agrees on all values of at least one band."""
    n = sig.shape[0]
    found = set()
    for i in range(n):
        for j in range(i + 1, n):
            for band in range(bands):
                cols = slice(band * rows, (band + 1) * rows)
                if np.array_equal(sig[i, cols], sig[j, cols]):
                    found.add((i, j))
                    break
    return found


def as_set(pairs: np.ndarray) -> set[tuple[int, int]]:
    return {(int(a), int(b)) for a, b in pairs}


def assert_canonical_pairs(pairs: np.ndarray) -> None:
    assert pairs.dtype == np.int64
    assert pairs.ndim == 2 and pairs.shape[1] == 2
    assert np.all(pairs[:, 0] < pairs[:, 1])
    keys = [tuple(p) for p in pairs.tolist()]
    assert keys == sorted(set(keys)), "pairs must be sorted and unique"


def test_docstring_example():
    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
    assert candidate_pairs(sig, bands=2, rows=2).pairs.tolist() == [[0, 1]]


def test_identical_rows_are_found():
    rng = np.random.default_rng(1)
    sig = rng.integers(0, 2**32, size=(20, 32), dtype=np.uint32)
    sig[13] = sig[4]
    sig[19] = sig[4]
    result = candidate_pairs(sig, bands=8, rows=4)
    assert as_set(result.pairs) == {(4, 13), (4, 19), (13, 19)}
    assert result.oversized_buckets == 0
    assert result.largest_bucket == 3


def test_rows_sharing_no_band_are_never_paired():
    # Row 1 agrees with row 0 on 3 of 4 values in every band, but never on a whole band.
    sig = np.array([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 0, 5, 6, 7, 0]], dtype=np.uint32)
    assert candidate_pairs(sig, bands=2, rows=4).pairs.shape == (0, 2)
    assert as_set(candidate_pairs(sig, bands=4, rows=2).pairs) == {(0, 1)}


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=2, max_value=25),
    st.sampled_from([(4, 1), (2, 2), (4, 2), (3, 3)]),
    st.integers(min_value=2, max_value=4),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_candidates_equal_brute_force(n, shape, alphabet, seed):
    bands, rows = shape
    rng = np.random.default_rng(seed)
    # A tiny value range makes shared bands common.
    sig = rng.integers(0, alphabet, size=(n, bands * rows), dtype=np.uint32)
    result = candidate_pairs(sig, bands, rows, max_bucket=1000)
    assert_canonical_pairs(result.pairs)
    assert as_set(result.pairs) == brute_force_pairs(sig, bands, rows)
    assert result.oversized_buckets == 0


def test_fewer_than_two_rows():
    empty = candidate_pairs(np.empty((0, 8), dtype=np.uint32), 4, 2)
    one = candidate_pairs(np.zeros((1, 8), dtype=np.uint32), 4, 2)
    assert empty.pairs.shape == (0, 2) and one.pairs.shape == (0, 2)
    assert empty.largest_bucket == 0 and one.largest_bucket == 1


def test_band_keys_shape_and_band_dependence():
    sig = np.zeros((3, 8), dtype=np.uint32)
    keys = band_keys(sig, bands=4, rows=2)
    assert keys.shape == (3, 4) and keys.dtype == np.uint64
    # Equal values in different bands still give different keys (the band is mixed in).
    assert len(set(keys[0].tolist())) == 4
    assert np.array_equal(keys[0], keys[1])


# --- oversized buckets -----------------------------------------------------------------


def test_oversized_bucket_emits_only_window_pairs():
    n, cap, bands = 10, 4, 4
    sig = np.tile(np.arange(8, dtype=np.uint32), (n, 1))  # ten identical rows
    result = candidate_pairs(sig, bands=bands, rows=2, max_bucket=cap)
    assert_canonical_pairs(result.pairs)
    # One bucket of 10 > cap in each band.
    assert result.oversized_buckets == bands
    assert result.largest_bucket == n
    expected = {(i, j) for i in range(n) for j in range(i + 1, n) if j - i < cap}
    assert as_set(result.pairs) == expected


def test_bucket_at_the_cap_emits_all_pairs():
    n = 5
    sig = np.tile(np.arange(4, dtype=np.uint32), (n, 1))
    result = candidate_pairs(sig, bands=2, rows=2, max_bucket=n)
    assert result.oversized_buckets == 0
    assert len(result.pairs) == n * (n - 1) // 2


def test_oversized_window_follows_order_not_row_position():
    n, cap = 8, 3
    sig = np.tile(np.arange(4, dtype=np.uint32), (n, 1))
    order = np.array([7, 6, 5, 4, 3, 2, 1, 0])  # rank of each row: reversed
    result = candidate_pairs(sig, bands=2, rows=2, max_bucket=cap, order=order)
    expected = {
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if abs(int(order[i]) - int(order[j])) < cap
    }
    assert as_set(result.pairs) == expected


def test_oversized_bucket_does_not_hide_other_buckets():
    rng = np.random.default_rng(4)
    junk = np.tile(rng.integers(0, 2**32, 16, dtype=np.uint32), (12, 1))
    others = rng.integers(0, 2**32, size=(4, 16), dtype=np.uint32)
    others[3] = others[1]
    sig = np.vstack([junk, others])
    result = candidate_pairs(sig, bands=4, rows=4, max_bucket=3)
    pairs = as_set(result.pairs)
    assert (13, 15) in pairs
    assert result.oversized_buckets == 4
    assert all(j - i < 3 for i, j in pairs if j < 12)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=2, max_value=6))
def test_output_independent_of_row_permutation_given_order(seed, cap):
    rng = np.random.default_rng(seed)
    n, bands, rows = 30, 4, 2
    sig = rng.integers(0, 2, size=(n, bands * rows), dtype=np.uint32)  # big buckets
    ids = [f"doc-{rng.integers(0, 10**9):09d}-{k}" for k in range(n)]

    def pairs_by_id(perm: np.ndarray) -> set[tuple[str, str]]:
        rows_ids = [ids[p] for p in perm]
        rank = np.argsort(np.argsort(np.array(rows_ids, dtype=object)))
        result = candidate_pairs(sig[perm], bands, rows, max_bucket=cap, order=rank)
        return {tuple(sorted((rows_ids[a], rows_ids[b]))) for a, b in result.pairs.tolist()}

    identity = pairs_by_id(np.arange(n))
    shuffled = pairs_by_id(rng.permutation(n))
    reversed_ = pairs_by_id(np.arange(n)[::-1])
    assert identity == shuffled == reversed_


# --- collision probability ---------------------------------------------------------------


def test_collision_probability_formula():
    assert collision_probability(1.0, 16, 8) == 1.0
    assert collision_probability(0.0, 16, 8) == 0.0
    assert collision_probability(0.5, 1, 1) == pytest.approx(0.5)
    assert collision_probability(0.5, 2, 2) == pytest.approx(1 - 0.75**2)


def test_collision_probability_matches_empirical_rate():
    rng = np.random.default_rng(99)
    bands, rows, union, shared, trials = 32, 4, 200, 80, 300  # J = 0.4
    sets = []
    for _ in range(trials):
        elements = np.unique(rng.integers(0, 2**64 - 1, size=2 * union, dtype=np.uint64))[:union]
        rng.shuffle(elements)
        extra = (union - shared) // 2
        sets += [np.sort(elements[: shared + extra]), np.sort(elements[extra:])]
    sig = signatures(sets, num_perm=bands * rows, seed=1)
    hits = 0
    for k in range(trials):
        hits += len(candidate_pairs(sig[2 * k : 2 * k + 2], bands, rows).pairs)
    expected = collision_probability(shared / union, bands, rows)
    stderr = np.sqrt(expected * (1 - expected) / trials)
    assert abs(hits / trials - expected) < 4 * stderr, (hits / trials, expected)


# --- derived parameters ---------------------------------------------------------------------


@pytest.mark.parametrize("num_perm", [16, 64, 100, 128, 256])
@pytest.mark.parametrize("threshold", [0.2, 0.5, 0.8, 1.0])
def test_derived_bands_times_rows_equals_num_perm(num_perm, threshold):
    cfg = DedupConfig().with_options(num_perm=num_perm, threshold=threshold)
    bands, rows = cfg.lsh_params()
    assert bands * rows == num_perm
    reachable = collision_probability(cfg.lsh_threshold, num_perm, 1) >= cfg.lsh.min_recall
    if reachable:
        assert collision_probability(cfg.lsh_threshold, bands, rows) >= cfg.lsh.min_recall
    else:
        # No split reaches the recall target: the one with the highest recall is used.
        assert (bands, rows) == (num_perm, 1)


def test_default_lsh_params():
    cfg = DedupConfig()
    assert cfg.lsh_threshold == 0.25
    assert cfg.lsh_params() == (64, 2)


def test_derived_params_take_the_most_rows_that_reach_recall():
    cfg = DedupConfig().with_options(threshold=0.7)
    bands, rows = cfg.lsh_params()
    # Any split with more rows would miss the recall target.
    for more_rows in range(rows + 1, cfg.minhash.num_perm + 1):
        if cfg.minhash.num_perm % more_rows == 0:
            assert (
                collision_probability(
                    cfg.lsh_threshold, cfg.minhash.num_perm // more_rows, more_rows
                )
                < 0.95
            )


def test_user_bands_rows_are_used():
    cfg = DedupConfig().with_options(bands=16, rows=8)
    assert cfg.lsh_params() == (16, 8)


def test_user_bands_rows_mismatch_raises():
    with pytest.raises(ConfigError, match=r"must equal num_perm \(16 \* 8 != 100\)"):
        DedupConfig().with_options(bands=16, rows=8, num_perm=100)
    with pytest.raises(ConfigError, match="must equal num_perm"):
        DedupConfig().with_options(bands=10, rows=10)


def test_bands_without_rows_raises():
    with pytest.raises(ConfigError, match="lsh.bands and lsh.rows go together"):
        DedupConfig().with_options(bands=16)


def test_threads_and_numpy_fallback_give_the_same_candidates(monkeypatch):
    from dedup import _kernels, lsh

    rng = np.random.default_rng(8)
    sig = rng.integers(0, 3, size=(300, 32), dtype=np.uint32)  # many shared bands
    order = rng.permutation(300)
    one = candidate_pairs(sig, 16, 2, max_bucket=20, order=order)
    monkeypatch.setattr(lsh, "_BANDS_PER_PASS", 3)  # several passes, one band group per thread
    two = candidate_pairs(sig, 16, 2, max_bucket=20, order=order, workers=2)
    monkeypatch.setattr(_kernels, "AVAILABLE", False)
    plain = candidate_pairs(sig, 16, 2, max_bucket=20, order=order)
    for other in (two, plain):
        assert np.array_equal(one.pairs, other.pairs)
        assert (one.oversized_buckets, one.largest_bucket) == (other.oversized_buckets, other.largest_bucket)
    assert one.oversized_buckets > 0


def test_keys_equal_in_their_high_bits_only_are_not_paired(monkeypatch):
    from dedup import lsh

    keys = np.array([[0x1000_0000_0000_0001], [0x1000_0000_0000_0002], [0x1000_0000_0000_0001]], dtype=np.uint64)
    monkeypatch.setattr(lsh, "band_keys", lambda sig, count, rows, first_band=0: keys)
    result = candidate_pairs(np.zeros((3, 1), dtype=np.uint32), bands=1, rows=1)
    assert as_set(result.pairs) == {(0, 2)}
