"""The SQLite backend: one file, no server; the default.

WAL journal, so readers never wait for the writer; each write is one ``BEGIN
IMMEDIATE`` transaction, which takes the database's write lock before reading the
candidates, so check-and-add is atomic across processes sharing the file (others
wait up to ``busy_timeout``). ``synchronous=NORMAL``: a committed write survives a
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
from dedup.index.store import Store

_BUSY_TIMEOUT_MS = 120_000


class SQLiteStore(Store):
    """An index in a SQLite file (created when missing)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.location = str(path)
        self.path = Path(path)
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
            if mode.lower() != "wal":
                raise StorageError(f"{self.path}: SQLite cannot use a write-ahead log here (journal mode {mode})")
            with self.write(np.empty(0, dtype=np.int64)):
                for statement in self._schema("INTEGER PRIMARY KEY", "BLOB", " WITHOUT ROWID"):
                    self.connection.execute(statement)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{self.path}: not a usable SQLite index ({exc})") from None

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.connection.execute(sql, params)

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.connection.executemany(sql, rows)

    def _begin_write(self, keys: np.ndarray) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self.connection.execute("COMMIT")

    def _rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def close(self) -> None:
        self._rollback()
        self.connection.close()

    def lock_cluster(self, cluster_id: str) -> None:
        """Nothing to do: a SQLite write holds the whole database."""

    def rows_sharing(self, keys: np.ndarray) -> list[int]:
        if keys.size == 0:
            return []
        marks = ", ".join("?" * keys.size)
        cursor = self.connection.execute(f"SELECT DISTINCT rid FROM bands WHERE key IN ({marks}) ORDER BY rid", keys.tolist())
        return [r[0] for r in cursor.fetchall()]

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())

    def integrity(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: ``ok`` or the problems found."""
        return "; ".join(r[0] for r in self.connection.execute("PRAGMA integrity_check").fetchall())
