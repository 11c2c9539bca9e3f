"""The SQLite backend: one file, no server; the default.

WAL journal, so readers never wait for the writer; each write is one ``BEGIN
IMMEDIATE`` transaction, which takes the database's write lock before reading the
candidates, so check-and-add is atomic across processes sharing the file (others
wait up to ``busy_timeout``). Band keys are kept with each article and looked up in
memory (:mod:`dedup.index.bands`), brought up to date from the file's new rows before
every lookup: ~13 bytes per key, ~0.5 GB per million articles. ``synchronous=NORMAL``: a committed write survives a
killed process; a power cut may lose the last commits but never corrupts the file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dedup.errors import StorageError
from dedup import _kernels
from dedup.index.bands import BandIndex, band_map
from dedup.index.store import Store, Stored, keys_array, keys_blob

_BUSY_TIMEOUT_MS = 120_000


class SQLiteStore(Store):
    """An index in a SQLite file (created when missing)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.location = str(path)
        self.path = Path(path)
        self._bands: _kernels.KeyTable | BandIndex | None = None  # loaded at the first lookup
        self._seen = 0
        if self.path.is_dir():
            raise StorageError(f"{self.path}: is a directory; give a file name for the index, e.g. {self.path / 'news.db'}")
        if not self.path.parent.exists():
            raise StorageError(f"{self.path}: folder {self.path.parent} does not exist; create it first")
        try:
            self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000)
            self.connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            mode = self.connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            self.connection.execute("PRAGMA synchronous = NORMAL")
            self.connection.execute("PRAGMA cache_size = -262144")  # 256 MB of page cache
            self.connection.execute("PRAGMA mmap_size = 1073741824")
            # Checkpoints (which sync the whole file) every ~64 MB of log, not every 4 MB.
            self.connection.execute("PRAGMA wal_autocheckpoint = 16384")
            if mode.lower() != "wal":
                raise StorageError(f"{self.path}: SQLite cannot use a write-ahead log here (journal mode {mode})")
            with self.write(np.empty(0, dtype=np.int64)):
                for statement in self._schema("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", bands=None):
                    self.connection.execute(statement)
                # The band keys again, in a narrow table: reading them from the articles
                # would walk every article's shingle blob.
                self.connection.execute("CREATE TABLE IF NOT EXISTS band_keys (rid INTEGER PRIMARY KEY, keys BLOB NOT NULL)")
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{self.path}: not a usable SQLite index ({exc})") from None

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.connection.execute(sql, params)

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.connection.executemany(sql, rows)

    def _begin_write(self, keys: np.ndarray) -> None:
        self.connection.execute("BEGIN IMMEDIATE")
        if self._bands is not None:
            self._sync()  # what others committed; this write's own rows are added as they go

    def _commit(self) -> None:
        self.connection.execute("COMMIT")

    def _rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
            self._bands = None  # it may hold rows that were never committed: read it afresh

    def _insert_keys(self, rid: int, keys: np.ndarray) -> None:
        self.connection.execute(
            "INSERT INTO band_keys (rid, keys) VALUES (?, ?)", (rid, keys_blob(keys))
        )
        if self._bands is None:
            self._sync()  # loads every committed row, this write's new one included
            return
        self._bands.add_many(np.full(keys.size, rid, dtype=np.int64), keys)
        self._seen = max(self._seen, rid)

    def _replace_keys(self, rid: int, old: np.ndarray, new: np.ndarray) -> None:
        """New band keys for a row prepared again; the in-memory map is read afresh at
        the next lookup (it cannot forget a row's old keys)."""
        self.connection.execute("UPDATE band_keys SET keys = ? WHERE rid = ?", (keys_blob(new), rid))
        self._bands = None

    def _delete_keys(self, article: Stored) -> None:
        """Out of the key table; a removed row may stay in the in-memory map (its
        lookups find no article)."""
        self.connection.execute("DELETE FROM band_keys WHERE rid = ?", (article.rid,))

    def _sync(self) -> None:
        """Bring the in-memory key map up to date with the committed rows (all of them
        the first time). Rows only grow (AUTOINCREMENT) and one process writes at a
        time, so the rows after the last one seen are exactly the new ones."""
        if self._bands is None:
            self._bands, self._seen = band_map(), 0
        cursor = self.connection.execute("SELECT rid, keys FROM band_keys WHERE rid > ? ORDER BY rid", (self._seen,))
        found = cursor.fetchall()
        if not found:
            return
        rows = np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found))
        keys = b"".join(r[1] for r in found)
        counts = np.fromiter((len(r[1]) // 8 for r in found), dtype=np.int64, count=len(found))
        del found
        self._bands.add_many(np.repeat(rows, counts), keys_array(keys))
        self._seen = int(rows[-1])

    def close(self) -> None:
        self._rollback()
        self.connection.close()

    def rows_sharing(self, keys: np.ndarray) -> list[int]:
        if self._bands is None or not self.connection.in_transaction:
            self._sync()  # a write synced when it began
        assert self._bands is not None
        return self._bands.rows(keys).tolist() if keys.size else []

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
