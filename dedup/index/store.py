"""Storage of an index: one small protocol, two SQL backends (SQLite, PostgreSQL).

Tables (the same on both backends):

* ``meta(name, value)``: the schema version and the settings the index was built with.
* ``articles``: per article its row number ``rid``, id, cluster, dates, the facts the
  canonical policy looks at, its shingle, own-words and figure sets (sorted uint64,
  as bytes; own words only where they differ from the shingles) and its band keys.
* ``bands(key, rid)`` (PostgreSQL): the LSH band keys of every article, the key
  first so that the articles sharing a key are one index range. SQLite keeps the
  keys with each article only and looks them up in memory
  (:mod:`dedup.index.bands`): one writer at a time, so it can read the new keys in
  row order, and a table of keys costs it ~40 random page writes per article.
* ``clusters(cluster_id, canonical_rid, size)``: every story, new ones included.

Writes happen inside :meth:`Store.write`, one transaction that the backend makes
exclusive for the keys it touches (SQLite: the database write lock; PostgreSQL:
advisory locks on the band keys, so only writers of overlapping stories wait).
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from dedup.canonical import ArticleFacts
from dedup.dates import utc
from dedup.verify import EMPTY

SCHEMA_VERSION = "2"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_microseconds(moment: datetime | None) -> int | None:
    """Microseconds since 1970-01-01 UTC (exact integer arithmetic), or None."""
    return None if moment is None else (utc(moment) - _EPOCH) // timedelta(microseconds=1)


def from_microseconds(value: int | None) -> datetime | None:
    """The UTC time ``value`` microseconds after 1970-01-01, or None."""
    return None if value is None else _EPOCH + timedelta(microseconds=int(value))


def _array(blob: Any) -> np.ndarray:
    """A stored set (sorted uint64, little-endian bytes) as an array."""
    return np.frombuffer(bytes(blob), dtype="<u8").astype(np.uint64, copy=False) if blob else EMPTY


def _blob(values: np.ndarray) -> bytes:
    """A set as stored: its uint64 values as little-endian bytes."""
    return np.ascontiguousarray(values, dtype="<u8").tobytes()


def keys_array(blob: Any) -> np.ndarray:
    """Stored band keys (int64, little-endian bytes) as an array."""
    return np.frombuffer(bytes(blob), dtype="<i8").astype(np.int64, copy=False)


def keys_blob(keys: np.ndarray) -> bytes:
    """Band keys as stored: int64 values as little-endian bytes."""
    return np.ascontiguousarray(keys, dtype="<i8").tobytes()


@dataclass(frozen=True)
class Entry:
    """A prepared article as it is written to the index."""

    id: str
    cluster_id: str
    published_us: int | None
    added_us: int
    body_words: int
    boilerplate_share: float
    shingles: np.ndarray
    own: np.ndarray
    figures: np.ndarray
    keys: np.ndarray
    """``int64[k]``: its band keys, unique."""


@dataclass(frozen=True)
class Stored(Entry):
    """An article read back from the index, with its row number."""

    rid: int = -1

    @property
    def facts(self) -> ArticleFacts:
        """What the canonical policy looks at."""
        return ArticleFacts(self.id, self.body_words, from_microseconds(self.published_us), self.boilerplate_share)


_COLUMNS = "rid, id, cluster_id, published_us, added_us, body_words, boilerplate, shingles, own, figures, keys"


class Store(abc.ABC):
    """The storage protocol: SQL shared by both backends, with ``?`` placeholders
    (rewritten for drivers that use another style)."""

    placeholder = "?"
    location: str
    max_locked_keys: int = 1 << 62
    """Most band keys one write may lock (PostgreSQL's lock table is bounded)."""

    @abc.abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement and return the cursor."""

    @abc.abstractmethod
    def _begin_write(self, keys: np.ndarray) -> None:
        """Start a write transaction, exclusive for ``keys`` against other writers."""

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def _rollback(self) -> None: ...

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection (an open transaction is rolled back)."""

    @abc.abstractmethod
    def size_bytes(self) -> int:
        """Bytes the index takes on disk."""

    @abc.abstractmethod
    def rows_sharing(self, keys: np.ndarray) -> list[int]:
        """Rows of the articles that share at least one band key with ``keys``, sorted."""

    @abc.abstractmethod
    def lock_cluster(self, cluster_id: str) -> None:
        """Inside a write: hold the cluster's row until the transaction ends."""

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._execute(sql, params).fetchone()
        return None if row is None else row[0]

    @contextmanager
    def write(self, keys: np.ndarray) -> Iterator[None]:
        """A write transaction, exclusive for ``keys``: committed when the block ends,
        rolled back when it raises."""
        self._begin_write(np.unique(np.asarray(keys, dtype=np.int64)))
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self._commit()

    def meta(self, name: str) -> str | None:
        """A value of the ``meta`` table, or None."""
        return self._one("SELECT value FROM meta WHERE name = ?", (name,))

    def set_meta_once(self, name: str, value: str) -> None:
        """Set a value of the ``meta`` table unless it is set (inside a write). Atomic:
        of processes creating one index at once, the first writer's value stands."""
        self._execute("INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", (name, value))

    def row_of(self, article_id: str) -> int | None:
        """The row of an article id, or None."""
        return self._one("SELECT rid FROM articles WHERE id = ?", (article_id,))

    def load(self, rows: Sequence[int]) -> list[Stored]:
        """The articles of ``rows`` (in row order), sets included."""
        found: list[Stored] = []
        rows = sorted(set(int(r) for r in rows))
        for first in range(0, len(rows), 500):
            part = rows[first : first + 500]
            marks = ", ".join("?" * len(part))
            cursor = self._execute(f"SELECT {_COLUMNS} FROM articles WHERE rid IN ({marks}) ORDER BY rid", part)
            found.extend(self._stored(row) for row in cursor.fetchall())
        return found

    @staticmethod
    def _stored(row: Sequence[Any]) -> Stored:
        rid, article_id, cluster_id, published_us, added_us, words, share, shingles, own, figures, keys = row
        shingle_set = _array(shingles)
        return Stored(
            article_id, cluster_id, published_us, int(added_us), int(words), float(share), shingle_set,
            shingle_set if own is None else _array(own), _array(figures),
            keys_array(keys), rid=int(rid),
        )

    def canonical_row(self, cluster_id: str) -> int | None:
        """The row of a cluster's canonical article, or None for an unknown cluster."""
        return self._one("SELECT canonical_rid FROM clusters WHERE cluster_id = ?", (cluster_id,))

    def member_rows(self, cluster_id: str) -> list[int]:
        """The rows of a cluster's articles."""
        return [r[0] for r in self._execute("SELECT rid FROM articles WHERE cluster_id = ?", (cluster_id,)).fetchall()]

    def insert(self, entry: Entry) -> int:
        """Store an article and its band keys (inside a write); returns its row."""
        own = None if entry.own.size == entry.shingles.size else _blob(entry.own)
        rid = self._one(
            "INSERT INTO articles (id, cluster_id, published_us, added_us, body_words, boilerplate, shingles, own, "
            "figures, keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid",
            (
                entry.id, entry.cluster_id, entry.published_us, entry.added_us, entry.body_words,
                entry.boilerplate_share, _blob(entry.shingles), own, _blob(entry.figures),
                keys_blob(entry.keys),
            ),
        )
        self._insert_keys(int(rid), entry.keys)
        return int(rid)

    def _insert_keys(self, rid: int, keys: np.ndarray) -> None:
        """Make an article findable by its band keys."""
        self._executemany("INSERT INTO bands (key, rid) VALUES (?, ?)", [(int(k), rid) for k in keys])

    def _delete_keys(self, article: Stored) -> None:
        """Forget an article's band keys."""
        self._executemany("DELETE FROM bands WHERE key = ? AND rid = ?", [(int(k), article.rid) for k in article.keys])

    @abc.abstractmethod
    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...

    def add_cluster(self, cluster_id: str, canonical_rid: int) -> None:
        """Start a cluster with one article (inside a write)."""
        self._execute("INSERT INTO clusters (cluster_id, canonical_rid, size) VALUES (?, ?, 1)", (cluster_id, canonical_rid))

    def cluster_exists(self, cluster_id: str) -> bool:
        """Whether a cluster id is taken."""
        return self._one("SELECT 1 FROM clusters WHERE cluster_id = ?", (cluster_id,)) is not None

    def grow_cluster(self, cluster_id: str, canonical_rid: int | None) -> None:
        """Count one more member, and set a new canonical if given (inside a write)."""
        if canonical_rid is None:
            self._execute("UPDATE clusters SET size = size + 1 WHERE cluster_id = ?", (cluster_id,))
        else:
            self._execute(
                "UPDATE clusters SET size = size + 1, canonical_rid = ? WHERE cluster_id = ?", (canonical_rid, cluster_id)
            )

    def shrink_cluster(self, cluster_id: str, canonical_rid: int | None) -> None:
        """Count one member less, with a new canonical; None drops the cluster (its
        last member is gone). Inside a write."""
        if canonical_rid is None:
            self._execute("DELETE FROM clusters WHERE cluster_id = ?", (cluster_id,))
        else:
            self._execute(
                "UPDATE clusters SET size = size - 1, canonical_rid = ? WHERE cluster_id = ?", (canonical_rid, cluster_id)
            )

    def delete(self, article: Stored) -> None:
        """Delete an article and its band keys (inside a write)."""
        self._delete_keys(article)
        self._execute("DELETE FROM articles WHERE rid = ?", (article.rid,))

    def rows_before(self, microseconds: int) -> list[int]:
        """Rows of the articles published (or, when undated, added) before a time."""
        cursor = self._execute(
            "SELECT rid FROM articles WHERE COALESCE(published_us, added_us) < ? ORDER BY rid", (microseconds,)
        )
        return [r[0] for r in cursor.fetchall()]

    def stories(self) -> Iterator[tuple[str, str, list[str]]]:
        """Each cluster of two or more articles: its id, its canonical's id and its
        members' ids (sorted), by cluster id."""
        cursor = self._execute(
            "SELECT a.cluster_id, a.id, a.rid = c.canonical_rid FROM articles a JOIN clusters c "
            "ON a.cluster_id = c.cluster_id WHERE c.size > 1 ORDER BY a.cluster_id, a.id"
        )
        current: tuple[str, str, list[str]] | None = None
        for cluster_id, article_id, is_canonical in cursor.fetchall():
            if current is None or current[0] != cluster_id:
                if current is not None:
                    yield current
                current = (cluster_id, "", [])
            current[2].append(article_id)
            if is_canonical:
                current = (cluster_id, article_id, current[2])
        if current is not None:
            yield current

    def counts(self) -> dict[str, int]:
        """Articles, clusters of two or more, duplicates and band keys stored."""
        articles = int(self._one("SELECT COUNT(*) FROM articles") or 0)
        clusters = int(self._one("SELECT COUNT(*) FROM clusters WHERE size > 1") or 0)
        duplicates = int(self._one("SELECT COALESCE(SUM(size - 1), 0) FROM clusters WHERE size > 1") or 0)
        return {"articles": articles, "clusters": clusters, "duplicates": duplicates}

    def _schema(self, row_type: str, blob: str, bands: str | None) -> list[str]:
        """The tables; ``bands`` is the suffix of the band table's definition, or None
        for a backend that keeps no band table."""
        band_table = (
            [f"CREATE TABLE IF NOT EXISTS bands (key BIGINT NOT NULL, rid BIGINT NOT NULL, PRIMARY KEY (key, rid)){bands}"]
            if bands is not None else []
        )
        return band_table + [
            "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS articles (rid {row_type}, id TEXT NOT NULL UNIQUE, cluster_id TEXT NOT NULL, "
            "published_us BIGINT, added_us BIGINT NOT NULL, body_words INTEGER NOT NULL, boilerplate DOUBLE PRECISION "
            f"NOT NULL, shingles {blob} NOT NULL, own {blob}, figures {blob} NOT NULL, keys {blob} NOT NULL)",
            "CREATE INDEX IF NOT EXISTS articles_cluster ON articles (cluster_id)",
            "CREATE INDEX IF NOT EXISTS articles_time ON articles ((COALESCE(published_us, added_us)))",
            "CREATE TABLE IF NOT EXISTS clusters (cluster_id TEXT PRIMARY KEY, canonical_rid BIGINT NOT NULL, "
            "size INTEGER NOT NULL)",
        ]
