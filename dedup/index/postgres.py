"""The PostgreSQL backend (psycopg 3): one index shared by many ingestion workers.

Check-and-add is atomic across processes: a write transaction first takes a
transaction-scoped advisory lock on each of the article's band keys, in ascending
order (no deadlock between two writers), then reads the candidates. Two workers
adding copies of one story share a band key, so the second waits for the first to
commit and then sees its article: the story is admitted once. Writers of unrelated
stories share no key and do not wait for each other while they prepare and match.
Regrouping families (a family may reach beyond the keys a write holds) takes one
more advisory lock, so families are regrouped by one writer at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dedup.errors import StorageError
from dedup.index.store import Store


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StorageError(
            "a postgresql:// index needs psycopg 3: pip install 'dedup[postgres]' (or pip install 'psycopg[binary]')"
        ) from None
    return psycopg


class PostgresStore(Store):
    """An index in a PostgreSQL database, given by a ``postgresql://`` URL."""

    placeholder = "%s"
    # Advisory locks live in the server's shared lock table (max_locks_per_transaction
    # x max_connections entries): a few articles' keys per transaction, not a chunk's.
    max_locked_keys = 256

    def __init__(self, url: str) -> None:
        psycopg = _driver()
        self.location = url
        try:
            self.connection = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to PostgreSQL at {_redacted(url)}: {str(exc).strip()}") from None
        self._transaction: Any = None
        with self.write(np.empty(0, dtype=np.int64)):
            # One schema creation at a time, however many workers start together.
            self._execute("SELECT pg_advisory_xact_lock(0)")
            for statement in self._schema("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA", bands=""):
                self._execute(statement)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.connection.execute(self._sql(sql), params)

    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)

    def _begin_write(self, keys: np.ndarray) -> None:
        self._transaction = self.connection.transaction()
        self._transaction.__enter__()
        if keys.size:
            # Ascending order: two writers never wait for each other in a cycle.
            self.connection.execute(
                "SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM unnest(%s::bigint[]) AS k ORDER BY k) AS ordered",
                (keys.tolist(),),
            )

    def _commit(self) -> None:
        transaction, self._transaction = self._transaction, None
        transaction.__exit__(None, None, None)

    def _rollback(self) -> None:
        transaction, self._transaction = self._transaction, None
        if transaction is not None:
            error = RuntimeError("rolled back")
            transaction.__exit__(type(error), error, None)

    def close(self) -> None:
        self._rollback()
        self.connection.close()

    def lock_families(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(1)")

    def rows_sharing(self, keys: np.ndarray) -> list[int]:
        if keys.size == 0:
            return []
        cursor = self.connection.execute(
            "SELECT DISTINCT rid FROM bands WHERE key = ANY(%s::bigint[]) ORDER BY rid", (keys.tolist(),)
        )
        return [r[0] for r in cursor.fetchall()]

    def size_bytes(self) -> int:
        total = self._one(
            "SELECT SUM(pg_total_relation_size(c)) FROM unnest(ARRAY['meta', 'articles', 'bands', 'clusters', 'links']) AS c"
        )
        return int(total or 0)


def _redacted(url: str) -> str:
    """The URL without its password."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"
