"""MinHash: golden values, bit-for-bit datasketch equivalence, batch == one-by-one, accuracy."""

from __future__ import annotations

import datasketch
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.minhash import (
    EMPTY_VALUE,
    datasketch_input,
    permutations,
    signature,
    signatures,
    to_datasketch,
)
from dedup.shingle import shingles
from dedup.text.normalize import normalize

GOLDEN_TEXT = "The mayor opened the new bridge on Monday morning"
# signatures([shingles(normalize(GOLDEN_TEXT), 5)], num_perm=128, seed=1)[0, :8], frozen.
GOLDEN_SIGNATURE_HEAD = [
    413358411,
    1126758982,
    101972902,
    301078588,
    1720641395,
    1034916605,
    896241614,
    1128723764,
]


def golden_shingles() -> np.ndarray:
    return shingles(normalize(GOLDEN_TEXT), 5)


def datasketch_minhash(
    shingle_hashes: np.ndarray, num_perm: int = 128, seed: int = 1
) -> datasketch.MinHash:
    m = datasketch.MinHash(num_perm=num_perm, seed=seed, scheme="affine32", hashfunc=lambda x: x)
    m.update_batch(datasketch_input(shingle_hashes))
    return m


def random_sets(rng: np.random.Generator, count: int, max_size: int = 300) -> list[np.ndarray]:
    return [
        np.unique(rng.integers(0, 2**64 - 1, size=int(rng.integers(1, max_size)), dtype=np.uint64))
        for _ in range(count)
    ]


# --- golden ------------------------------------------------------------------------


def test_golden_signature_head():
    sig = signatures([golden_shingles()], num_perm=128, seed=1)
    assert sig.shape == (1, 128)
    assert sig.dtype == np.uint32
    assert [int(v) for v in sig[0, :8]] == GOLDEN_SIGNATURE_HEAD


def test_permutations_are_datasketch_draws():
    a, b = permutations(128, 1)
    reference = datasketch.MinHash(num_perm=128, seed=1, scheme="affine32")
    assert a.dtype == np.uint32 and b.dtype == np.uint32
    assert np.all(a % 2 == 1)
    # datasketch stores the affine32 permutation parameters as (a, b) rows.
    ref_a, ref_b = (np.asarray(x, dtype=np.uint32) for x in reference.permutations)
    assert np.array_equal(a, ref_a)
    assert np.array_equal(b, ref_b)


# --- datasketch equivalence ------------------------------------------------------------


def test_golden_signature_equals_datasketch():
    sig = signatures([golden_shingles()], num_perm=128, seed=1)[0]
    reference = datasketch_minhash(golden_shingles())
    assert np.array_equal(reference.hashvalues.astype(np.uint32), sig)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=2**64 - 1), min_size=1, max_size=200, unique=True),
    st.sampled_from([1, 2, 42, 2**32 - 1]),
    st.sampled_from([1, 16, 128]),
)
def test_signature_equals_datasketch_for_any_set(values, seed, num_perm):
    hashes = np.array(sorted(values), dtype=np.uint64)
    sig = signatures([hashes], num_perm=num_perm, seed=seed)[0]
    reference = datasketch_minhash(hashes, num_perm=num_perm, seed=seed)
    assert np.array_equal(reference.hashvalues.astype(np.uint32), sig)


def test_to_datasketch_round_trips_as_lean_minhash():
    sig = signatures([golden_shingles()], num_perm=128, seed=1)[0]
    lean = to_datasketch(sig, seed=1)
    reference = datasketch.LeanMinHash(datasketch_minhash(golden_shingles()))
    assert isinstance(lean, datasketch.LeanMinHash)
    assert lean.seed == 1
    assert np.array_equal(lean.hashvalues, reference.hashvalues)
    assert lean.jaccard(reference) == 1.0
    assert reference.jaccard(lean) == 1.0


def test_to_datasketch_jaccard_matches_signature_agreement():
    rng = np.random.default_rng(5)
    base = np.unique(rng.integers(0, 2**64 - 1, size=400, dtype=np.uint64))
    other = np.unique(
        np.concatenate([base[:250], rng.integers(0, 2**64 - 1, size=150, dtype=np.uint64)])
    )
    sig = signatures([base, other], num_perm=128, seed=1)
    lean_a, lean_b = to_datasketch(sig[0], 1), to_datasketch(sig[1], 1)
    assert lean_a.jaccard(lean_b) == float(np.mean(sig[0] == sig[1]))
    ds_b = datasketch.LeanMinHash(datasketch_minhash(other))
    assert lean_a.jaccard(ds_b) == lean_a.jaccard(lean_b)


# --- batch == one-by-one -------------------------------------------------------------


def test_batch_equals_one_by_one():
    rng = np.random.default_rng(11)
    sets = random_sets(rng, 3) + [np.empty(0, dtype=np.uint64)]
    batch = signatures(sets, num_perm=64, seed=3)
    assert batch.shape == (4, 64)
    for row, hashes in enumerate(sets):
        assert np.array_equal(batch[row], signatures([hashes], num_perm=64, seed=3)[0])
        a, b = permutations(64, 3)
        assert np.array_equal(batch[row], signature(hashes, a, b))


def test_batch_order_does_not_change_rows():
    rng = np.random.default_rng(12)
    sets = random_sets(rng, 6)
    forward = signatures(sets, num_perm=32, seed=1)
    backward = signatures(sets[::-1], num_perm=32, seed=1)
    assert np.array_equal(forward, backward[::-1])


def test_empty_batch_has_shape_zero_rows():
    out = signatures([], num_perm=16, seed=1)
    assert out.shape == (0, 16)
    assert out.dtype == np.uint32


# --- seeds and empty sets -------------------------------------------------------------


def test_seed_changes_the_signature():
    hashes = golden_shingles()
    one = signatures([hashes], num_perm=128, seed=1)[0]
    two = signatures([hashes], num_perm=128, seed=2)[0]
    assert not np.array_equal(one, two)
    assert np.mean(one == two) < 0.2


def test_empty_set_gives_all_max_values():
    sig = signatures([np.empty(0, dtype=np.uint64)], num_perm=128, seed=1)[0]
    assert sig.dtype == np.uint32
    assert np.all(sig == np.uint32(0xFFFFFFFF))
    assert EMPTY_VALUE == 0xFFFFFFFF


def test_equal_sets_give_equal_signatures_and_subsets_never_smaller_minima():
    rng = np.random.default_rng(3)
    big = np.unique(rng.integers(0, 2**64 - 1, size=200, dtype=np.uint64))
    small = big[::3]
    sig = signatures([big, small, big.copy()], num_perm=128, seed=1)
    assert np.array_equal(sig[0], sig[2])
    # The minimum over a superset is never larger than over a subset.
    assert np.all(sig[0] <= sig[1])


# --- estimation accuracy --------------------------------------------------------------


def pair_with_jaccard(
    rng: np.random.Generator, union: int, shared: int
) -> tuple[np.ndarray, np.ndarray]:
    """Two sets over ``union`` distinct elements sharing exactly ``shared`` of them."""
    elements = np.unique(rng.integers(0, 2**64 - 1, size=union * 2, dtype=np.uint64))[:union]
    assert elements.size == union
    rng.shuffle(elements)
    only_a = int(rng.integers(0, union - shared + 1))
    a = np.sort(elements[: only_a + shared])
    b = np.sort(elements[only_a:])
    return a, b


def test_minhash_estimate_is_accurate_and_unbiased():
    rng = np.random.default_rng(2024)
    num_perm, union, pairs = 256, 500, 50
    sets: list[np.ndarray] = []
    truths: list[float] = []
    for _ in range(pairs):
        shared = int(rng.integers(25, union - 24))
        a, b = pair_with_jaccard(rng, union, shared)
        exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        assert exact == shared / union
        sets += [a, b]
        truths.append(exact)
    sig = signatures(sets, num_perm=num_perm, seed=1)
    z_scores = []
    for k, truth in enumerate(truths):
        estimate = float(np.mean(sig[2 * k] == sig[2 * k + 1]))
        stderr = np.sqrt(truth * (1 - truth) / num_perm)
        z = (estimate - truth) / stderr
        assert abs(z) < 4, f"pair {k}: J={truth:.3f} estimated {estimate:.3f} (z={z:.2f})"
        z_scores.append(z)
    assert abs(float(np.mean(z_scores))) < 0.6, (
        f"biased estimates: mean z = {np.mean(z_scores):.3f}"
    )


def test_disjoint_and_identical_sets_estimate_zero_and_one():
    rng = np.random.default_rng(8)
    a, b = pair_with_jaccard(rng, 400, 0)
    sig = signatures([a, b, a], num_perm=256, seed=1)
    assert np.mean(sig[0] == sig[1]) < 0.02
    assert np.mean(sig[0] == sig[2]) == 1.0
