"""In-memory maps from LSH band keys to article rows, for the SQLite index.

Why not a table: every article adds ~40 band keys at random places of the key
order, so a B-tree of band keys dirties ~40 pages per article and each commit
writes them all (measured on SQLite with 100,000 articles indexed: commits took 0.76 ms
per article, 750 articles/s in all). The
keys are stored with each article instead (one sequential row) and looked up here.

:func:`band_map` gives the compiled hash table (:class:`dedup._kernels.KeyTable`, 8
bytes a slot, ~12 µs for an article's 40 keys), or without numba :class:`BandIndex`, a
log-structured set of sorted runs (16 bytes an entry; a lookup searches O(log n) runs).
With a million articles indexed, a whole ``check`` took p50 0.8 ms / p99 1.1-1.3 ms with
the table and p50 1.9 ms / p99 7.2 ms with the runs.

:class:`BandIndex`: new entries go to a small buffer;
a full buffer becomes a sorted run, and runs of similar size merge (a binary
counter), so each entry is merged O(log n) times and a lookup searches O(log n)
runs. Removed rows may stay in the map: a lookup returns candidates, which the
caller reads from storage, where a removed row no longer exists.

Example:
    >>> index = BandIndex()
    >>> index.add_many(np.array([7, 7, 8]), np.array([5, 9, 9])); index.rows(np.array([9, 1])).tolist()
    [7, 8]
"""

from __future__ import annotations

import numpy as np

from dedup import _kernels
from dedup._hashing import sorted_unique

_BUFFER = 4096


def _merge(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Two runs sorted by key -> one, in O(len(a) + len(b) log len(a))."""
    a_keys, a_rows = a
    b_keys, b_rows = b
    at = np.searchsorted(a_keys, b_keys, side="right") + np.arange(b_keys.size)
    keys = np.empty(a_keys.size + b_keys.size, dtype=np.int64)
    rows = np.empty(keys.size, dtype=np.int64)
    from_a = np.ones(keys.size, dtype=bool)
    from_a[at] = False
    keys[at], rows[at] = b_keys, b_rows
    keys[from_a], rows[from_a] = a_keys, a_rows
    return keys, rows


def _sorted_run(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    return keys[order], rows[order]


class BandIndex:
    """Band key -> rows, in memory (see the module notes)."""

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []
        self._buffer_keys: list[np.ndarray] = []
        self._buffer_rows: list[np.ndarray] = []
        self._buffer: dict[int, list[int]] = {}  # the buffer again, for lookups
        self._buffered = 0
        self.entries = 0

    def add_many(self, rows: np.ndarray, keys: np.ndarray) -> None:
        """Map ``keys[i]`` to ``rows[i]`` for every i."""
        keys = np.asarray(keys, dtype=np.int64)
        rows = np.asarray(rows, dtype=np.int64)
        self.entries += keys.size
        if keys.size >= _BUFFER:  # a bulk load: a run of its own
            self._flush()
            self._push(_sorted_run(keys, rows))
            return
        self._buffer_keys.append(keys)
        self._buffer_rows.append(rows)
        for key, row in zip(keys.tolist(), rows.tolist()):
            self._buffer.setdefault(key, []).append(row)
        self._buffered += keys.size
        if self._buffered >= _BUFFER:
            self._flush()

    def _flush(self) -> None:
        if not self._buffered:
            return
        run = _sorted_run(np.concatenate(self._buffer_keys), np.concatenate(self._buffer_rows))
        self._buffer_keys, self._buffer_rows, self._buffer, self._buffered = [], [], {}, 0
        self._push(run)

    def _push(self, run: tuple[np.ndarray, np.ndarray]) -> None:
        """Add a sorted run, merging runs of similar size (a run merges with the one
        before it while that one is at most twice its size)."""
        self._runs.append(run)
        while len(self._runs) > 1 and self._runs[-2][0].size <= 2 * self._runs[-1][0].size:
            newer = self._runs.pop()
            self._runs[-1] = _merge(self._runs[-1], newer)

    def rows(self, keys: np.ndarray) -> np.ndarray:
        """The rows mapped from any of ``keys``: sorted, without repeats."""
        keys = np.asarray(keys, dtype=np.int64)
        found: list[np.ndarray] = []
        for run_keys, run_rows in self._runs:
            starts = np.minimum(np.searchsorted(run_keys, keys), run_keys.size - 1)
            hits = run_keys[starts] == keys
            for start, key in zip(starts[hits].tolist(), keys[hits].tolist()):
                end = start + 1
                while end < run_keys.size and run_keys[end] == key:  # a key shared by several rows
                    end += 1
                found.append(run_rows[start:end])
        buffered = [row for key in keys.tolist() for row in self._buffer.get(key, ())]
        if buffered:
            found.append(np.array(buffered, dtype=np.int64))
        if not found:
            return np.empty(0, dtype=np.int64)
        return sorted_unique(np.concatenate(found))


def band_map() -> _kernels.KeyTable | BandIndex:
    """An empty map: the compiled hash table when numba is present."""
    return _kernels.KeyTable() if _kernels.AVAILABLE else BandIndex()
