"""The in-memory band-key map of the SQLite index, against a plain dictionary."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup._kernels import KeyTable
from dedup.index import bands as bands_module
from dedup.index.bands import BandIndex

ADDS = st.lists(
    st.tuples(st.integers(0, 10_000), st.lists(st.integers(-50, 50), min_size=0, max_size=12)), max_size=300
)


@settings(max_examples=200, deadline=None)
@given(ADDS, st.lists(st.integers(-60, 60), max_size=20), st.sampled_from([1, 3, 16, 4096]))
def test_lookups_equal_a_dictionary(adds, probe, buffer_size):
    original = bands_module._BUFFER
    bands_module._BUFFER = buffer_size  # small buffers exercise the runs and their merging
    try:
        index = BandIndex()
        truth: dict[int, set[int]] = defaultdict(set)
        for row, keys in adds:
            index.add_many(np.full(len(keys), row), np.array(keys, dtype=np.int64))
            for key in keys:
                truth[key].add(row)
        want = sorted(set().union(*(truth[k] for k in probe))) if probe else []
        assert index.rows(np.array(probe, dtype=np.int64)).tolist() == want
        assert index.entries == sum(len(keys) for _, keys in adds)
    finally:
        bands_module._BUFFER = original


def test_runs_stay_few_as_the_map_grows():
    index = BandIndex()
    rng = np.random.default_rng(0)
    for row in range(20_000):
        index.add_many(np.full(40, row), rng.integers(-(2**62), 2**62, size=40))
    assert len(index._runs) <= 2 * np.log2(index.entries / bands_module._BUFFER) + 2
    keys = np.concatenate([run[0] for run in index._runs])
    assert keys.size + index._buffered == index.entries == 800_000


@settings(max_examples=200, deadline=None)
@given(ADDS, st.lists(st.integers(-60, 60), max_size=20), st.sampled_from([1, 4, 1 << 16]))
def test_the_compiled_key_table_finds_every_row_of_a_key(adds, probe, capacity):
    table = KeyTable(capacity)
    truth: dict[int, set[int]] = defaultdict(set)
    for row, keys in adds:
        # Spread the small test keys over the high bits, which the table keeps.
        spread = [k << 32 for k in keys]
        table.add_many(np.full(len(spread), row), np.array(spread, dtype=np.int64))
        for key in keys:
            truth[key].add(row)
    want = sorted(set().union(*(truth[k] for k in probe))) if probe else []
    assert table.rows(np.array([k << 32 for k in probe], dtype=np.int64)).tolist() == want
    assert table.entries == sum(len(keys) for _, keys in adds)
    assert table.entries * 8 <= table.slots.size * 5  # grew by doubling instead of filling up


def test_the_key_table_may_return_rows_of_keys_sharing_the_high_bits_only():
    table = KeyTable()
    table.add_many(np.array([1, 2]), np.array([(5 << 32) | 1, (5 << 32) | 2], dtype=np.int64))
    assert table.rows(np.array([(5 << 32) | 3], dtype=np.int64)).tolist() == [1, 2]  # verified later
    assert table.rows(np.array([6 << 32], dtype=np.int64)).tolist() == []
