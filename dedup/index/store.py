"""Storage of an index: one small protocol, two SQL backends (SQLite, PostgreSQL).

Tables (the same on both backends):

* ``meta(name, value)``: the schema version and the settings the index was built with.
* ``articles``: per article its row number ``rid``, id, cluster, dates, the facts the
  canonical policy looks at, the headline and site reports show, its shingle, own-words and figure sets (sorted uint64,
  as bytes; own words only where they differ from the shingles), its band keys and its passage keys (which find
  the texts whose beginning it holds, and those that hold its beginning: :mod:`dedup.beginnings`).
* ``bands(key, rid)`` (PostgreSQL): the LSH band keys and passage keys of every article, the key
  first so that the articles sharing a key are one index range. SQLite keeps the
  keys with each article only and looks them up in memory
  (:mod:`dedup.index.bands`): one writer at a time, so it can read the new keys in
  row order, and a table of keys costs it ~40 random page writes per article.
* ``clusters(cluster_id, canonical_rid, size, founded)``: every family, new ones
  included; ``founded`` is the row of its first article (the older family has the smaller).
* ``links(a, b, shared, inside, truncation)``: the verified copy pairs between stored
  articles, as the family stage reads them (:class:`dedup.families.Links`).
* ``blocks(key, rid, rank)``: the template block keys of every article, with the rank
  that decides which pages of a key are sampled; ``block_keys(key, pages, version)``:
  how many articles hold each key, kept as articles come and go, so that learning the
  template again reads only the frequent keys (:mod:`dedup.text.template`);
  ``template_keys(key)``: the template learned so far.

Writes happen inside :meth:`Store.write`, one transaction that the backend makes
exclusive for the keys it touches (SQLite: the database write lock; PostgreSQL:
advisory locks on the band keys, so only writers of overlapping stories wait).
"""

from __future__ import annotations

import abc
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from dedup import beginnings
from dedup.canonical import ArticleFacts
from dedup.dates import utc
from dedup.text.template import EMPTY_BLOCKS, Blocks, sample_rank
from dedup.verify import EMPTY

SCHEMA_VERSION = "5"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_microseconds(moment: datetime | None) -> int | None:
    """Microseconds since 1970-01-01 UTC (exact integer arithmetic), or None."""
    return None if moment is None else (utc(moment) - _EPOCH) // timedelta(microseconds=1)


def from_microseconds(value: int | None) -> datetime | None:
    """The UTC time ``value`` microseconds after 1970-01-01, or None."""
    return None if value is None else _EPOCH + timedelta(microseconds=int(value))


_UINT64 = (1 << 64) - 1


def _signed(value: int) -> int:
    """A uint64 as the int64 with the same bits (SQL integers are signed)."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _signed_rank(value: int) -> int:
    """A uint64 as an int64 that sorts the same way (the sign bit flipped)."""
    return value - (1 << 63)


def _array(blob: Any) -> np.ndarray:
    """A stored set (sorted uint64, little-endian bytes) as an array."""
    return np.frombuffer(bytes(blob), dtype="<u8").astype(np.uint64, copy=False) if blob else EMPTY


def _blob(values: np.ndarray) -> bytes:
    """A set as stored: its uint64 values as little-endian bytes."""
    return np.ascontiguousarray(values, dtype="<u8").tobytes()


def _blocks_blob(blocks: Blocks) -> bytes:
    return np.stack([blocks.keys.view(np.int64), blocks.words.astype(np.int64), blocks.simhash.view(np.int64)]).astype(
        "<i8"
    ).tobytes()


def _blocks_of(blob: Any) -> Blocks:
    values = np.frombuffer(bytes(blob), dtype="<i8").reshape(3, -1)
    return Blocks(values[0].astype(np.int64).view(np.uint64), values[1].astype(np.int64), values[2].astype(np.int64).view(np.uint64))


def keys_array(blob: Any) -> np.ndarray:
    """Stored band keys (int64, little-endian bytes) as an array."""
    return np.frombuffer(bytes(blob), dtype="<i8").astype(np.int64, copy=False)


def keys_blob(keys: np.ndarray) -> bytes:
    """Band keys as stored: int64 values as little-endian bytes."""
    return np.ascontiguousarray(keys, dtype="<i8").tobytes()


def lookup_keys(entry: Entry) -> np.ndarray:
    """The keys an article is found by: its band keys and its passage keys (:func:`dedup.beginnings.lookup_keys`)."""
    return np.union1d(entry.keys, beginnings.lookup_keys(entry.passages, entry.lede_passages))


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
    head: np.ndarray = field(default_factory=lambda: EMPTY)
    """Its first shingles in reading order (where the text begins)."""
    passages: np.ndarray = field(default_factory=lambda: EMPTY)
    """Its passage keys (:func:`dedup.shingle.passage_keys`)."""
    lede_passages: np.ndarray = field(default_factory=lambda: EMPTY)
    """The passage keys of its lede."""
    body: str = ""
    """Its cleaned body before template text is left out (to prepare it again when the
    learned template changes)."""
    total_words: int = 0
    blocks: Blocks = field(default_factory=lambda: EMPTY_BLOCKS)
    """The template blocks of its body (:mod:`dedup.text.template`)."""
    headline: str | None = None
    """Its headline, as reports show it (:mod:`dedup.heading`)."""
    site: str | None = None
    """Its site, as reports show it."""


@dataclass(frozen=True)
class Stored(Entry):
    """An article read back from the index, with its row number."""

    rid: int = -1

    @property
    def facts(self) -> ArticleFacts:
        """What the canonical policy looks at."""
        return ArticleFacts(
            self.id, self.body_words, from_microseconds(self.published_us), self.boilerplate_share, self.headline,
            self.site,
        )


_COLUMNS = (
    "rid, id, cluster_id, published_us, added_us, body_words, boilerplate, shingles, own, figures, keys, head, "
    "headline, site, passages, lede_passages"
)


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

    def lock_families(self) -> None:
        """Inside a write: be the only writer that regroups families until the transaction
        ends (a family may reach beyond the band keys the write holds)."""

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
        (rid, article_id, cluster_id, published_us, added_us, words, share, shingles, own, figures, keys, head,
         headline, site, passages, lede_passages) = row
        shingle_set = _array(shingles)
        return Stored(
            article_id, cluster_id, published_us, int(added_us), int(words), float(share), shingle_set,
            shingle_set if own is None else _array(own), _array(figures),
            keys_array(keys), _array(head), _array(passages), _array(lede_passages), headline=headline, site=site,
            rid=int(rid),
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
            "figures, keys, head, body, total_words, blocks, headline, site, passages, lede_passages) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid",
            (
                entry.id, entry.cluster_id, entry.published_us, entry.added_us, entry.body_words,
                entry.boilerplate_share, _blob(entry.shingles), own, _blob(entry.figures),
                keys_blob(entry.keys), _blob(entry.head), zlib.compress(entry.body.encode("utf-8")),
                entry.total_words, _blocks_blob(entry.blocks), entry.headline, entry.site, _blob(entry.passages),
                _blob(entry.lede_passages),
            ),
        )
        self._insert_keys(int(rid), lookup_keys(entry))
        keys = [int(k) for k in np.unique(entry.blocks.keys).view(np.int64)]
        rank = _signed_rank(sample_rank(entry.id.encode("utf-8")))
        self._executemany("INSERT INTO blocks (key, rid, rank) VALUES (?, ?, ?)", [(k, int(rid), rank) for k in keys])
        self._executemany(
            "INSERT INTO block_keys (key, pages, version) VALUES (?, 1, 1) "
            "ON CONFLICT (key) DO UPDATE SET pages = block_keys.pages + 1, version = block_keys.version + 1",
            [(k,) for k in keys],
        )
        return int(rid)

    def replace_sets(self, rid: int, entry: Entry, old: Entry) -> None:
        """An article prepared again (the learned template changed): its sets, facts,
        band and passage keys (inside a write); ``old`` is what was stored."""
        own = None if entry.own.size == entry.shingles.size else _blob(entry.own)
        self._execute(
            "UPDATE articles SET body_words = ?, boilerplate = ?, shingles = ?, own = ?, figures = ?, keys = ?, "
            "head = ?, passages = ?, lede_passages = ? WHERE rid = ?",
            (entry.body_words, entry.boilerplate_share, _blob(entry.shingles), own, _blob(entry.figures),
             keys_blob(entry.keys), _blob(entry.head), _blob(entry.passages), _blob(entry.lede_passages), rid),
        )
        self._execute("DELETE FROM links WHERE a = ? OR b = ?", (rid, rid))
        self._replace_keys(rid, lookup_keys(old), lookup_keys(entry))

    def _replace_keys(self, rid: int, old: np.ndarray, new: np.ndarray) -> None:
        self._executemany("DELETE FROM bands WHERE key = ? AND rid = ?", [(int(k), rid) for k in old])
        self._executemany("INSERT INTO bands (key, rid) VALUES (?, ?)", [(int(k), rid) for k in new])

    def bodies(self, rows: Sequence[int]) -> dict[int, tuple[str, int]]:
        """Each row's cleaned body (before template removal) and its page's word count."""
        found: dict[int, tuple[str, int]] = {}
        rows = sorted(set(int(r) for r in rows))
        for first in range(0, len(rows), 500):
            part = rows[first : first + 500]
            marks = ", ".join("?" * len(part))
            cursor = self._execute(f"SELECT rid, body, total_words FROM articles WHERE rid IN ({marks})", part)
            found.update((int(r), (zlib.decompress(bytes(b)).decode("utf-8"), int(t))) for r, b, t in cursor.fetchall())
        return found

    def holds_frequent(self, rid: int, min_docs: int) -> bool:
        """Whether a row holds a template block key found on at least ``min_docs`` rows."""
        return self._one(
            "SELECT 1 FROM blocks b JOIN block_keys k ON k.key = b.key WHERE b.rid = ? AND k.pages >= ? LIMIT 1",
            (rid, min_docs),
        ) is not None

    def frequent_block_keys(self, min_docs: int) -> list[tuple[int, int, int]]:
        """Each block key found on ``min_docs`` rows or more: the key (uint64), its rows
        and a version that changes whenever a row holding it comes or goes."""
        cursor = self._execute("SELECT key, pages, version FROM block_keys WHERE pages >= ?", (min_docs,))
        return [(int(k) & _UINT64, int(pages), int(version)) for k, pages, version in cursor.fetchall()]

    def block_sample(self, key: int, size: int) -> list[int]:
        """The first ``size`` rows holding a block key, in :func:`sample_rank` order."""
        cursor = self._execute(
            "SELECT rid FROM blocks WHERE key = ? ORDER BY rank, rid LIMIT ?", (_signed(key), size),
        )
        return [int(r[0]) for r in cursor.fetchall()]

    def block_tables(self, rows: Sequence[int]) -> dict[int, Blocks]:
        """The template blocks of each of ``rows`` (a row's blocks never change)."""
        found: dict[int, Blocks] = {}
        rows = sorted(set(int(r) for r in rows))
        for first in range(0, len(rows), 500):
            part = rows[first : first + 500]
            marks = ", ".join("?" * len(part))
            cursor = self._execute(f"SELECT rid, blocks FROM articles WHERE rid IN ({marks})", part)
            found.update((int(rid), _blocks_of(blob)) for rid, blob in cursor.fetchall())
        return found

    def block_holders(self, keys: np.ndarray) -> list[int]:
        """Rows holding any of the block ``keys``."""
        found: set[int] = set()
        values = [int(k) for k in np.asarray(keys, dtype=np.uint64).view(np.int64)]
        for first in range(0, len(values), 500):
            part = values[first : first + 500]
            marks = ", ".join("?" * len(part))
            found.update(int(r[0]) for r in self._execute(f"SELECT rid FROM blocks WHERE key IN ({marks})", part).fetchall())
        return sorted(found)

    def template(self) -> np.ndarray:
        """The template block keys learned so far (sorted uint64)."""
        keys = [int(r[0]) for r in self._execute("SELECT key FROM template_keys").fetchall()]
        return np.unique(np.array(keys, dtype=np.int64).view(np.uint64))

    def set_template(self, keys: np.ndarray) -> None:
        """Replace the learned template block keys (inside a write)."""
        self._execute("DELETE FROM template_keys")
        self._executemany("INSERT INTO template_keys (key) VALUES (?)",
                          [(int(k),) for k in np.asarray(keys, dtype=np.uint64).view(np.int64)])

    def _insert_keys(self, rid: int, keys: np.ndarray) -> None:
        """Make an article findable by its band keys."""
        self._executemany("INSERT INTO bands (key, rid) VALUES (?, ?)", [(int(k), rid) for k in keys])

    def _delete_keys(self, article: Stored) -> None:
        """Forget an article's band keys."""
        self._executemany(
            "DELETE FROM bands WHERE key = ? AND rid = ?", [(int(k), article.rid) for k in lookup_keys(article)]
        )

    @abc.abstractmethod
    def _executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...

    def add_links(self, links: list[tuple[int, int, int, int, bool]]) -> None:
        """Store verified copy pairs ``(rid_a, rid_b, shared, inside, truncation)`` (inside a write)."""
        self._executemany(
            "INSERT INTO links (a, b, shared, inside, truncation) VALUES (?, ?, ?, ?, ?)",
            [(a, b, shared, inside, int(truncation)) for a, b, shared, inside, truncation in links],
        )

    def links_of(self, rows: Sequence[int]) -> list[tuple[int, int, int, int, bool]]:
        """The stored copy pairs that touch ``rows``."""
        found: list[tuple[int, int, int, int, bool]] = []
        rows = sorted(set(int(r) for r in rows))
        for first in range(0, len(rows), 500):
            part = rows[first : first + 500]
            marks = ", ".join("?" * len(part))
            cursor = self._execute(
                f"SELECT a, b, shared, inside, truncation FROM links WHERE a IN ({marks}) "
                f"UNION SELECT a, b, shared, inside, truncation FROM links WHERE b IN ({marks})", part + part,
            )
            found.extend((int(a), int(b), int(s), int(i), bool(t)) for a, b, s, i, t in cursor.fetchall())
        return sorted(set(found))

    def inclusion_rows(self) -> list[int]:
        """The rows of the stored copy pairs where one text is inside the other, sorted."""
        cursor = self._execute("SELECT a FROM links WHERE inside IN (1, 2) UNION SELECT b FROM links WHERE inside IN (1, 2)")
        return sorted(int(r[0]) for r in cursor.fetchall())

    def founded(self, cluster_ids: Sequence[str]) -> dict[str, int]:
        """The founding row of each cluster (the older cluster has the smaller)."""
        found: dict[str, int] = {}
        ids = sorted(set(cluster_ids))
        for first in range(0, len(ids), 500):
            part = ids[first : first + 500]
            marks = ", ".join("?" * len(part))
            cursor = self._execute(f"SELECT cluster_id, founded FROM clusters WHERE cluster_id IN ({marks})", part)
            found.update((c, int(f)) for c, f in cursor.fetchall())
        return found

    def set_cluster(self, cluster_id: str, canonical_rid: int, members: Sequence[int], founded: int) -> None:
        """Make ``members`` the whole of a cluster with its canonical (inside a write)."""
        self._execute("DELETE FROM clusters WHERE cluster_id = ?", (cluster_id,))
        self._execute(
            "INSERT INTO clusters (cluster_id, canonical_rid, size, founded) VALUES (?, ?, ?, ?)",
            (cluster_id, canonical_rid, len(members), founded),
        )
        self._executemany("UPDATE articles SET cluster_id = ? WHERE rid = ?", [(cluster_id, int(r)) for r in members])

    def drop_cluster(self, cluster_id: str) -> None:
        """Forget a cluster that has no members any more (inside a write)."""
        self._execute("DELETE FROM clusters WHERE cluster_id = ?", (cluster_id,))

    def cluster_exists(self, cluster_id: str) -> bool:
        """Whether a cluster id is taken."""
        return self._one("SELECT 1 FROM clusters WHERE cluster_id = ?", (cluster_id,)) is not None

    def delete(self, article: Stored) -> None:
        """Delete an article and its band keys (inside a write)."""
        self._delete_keys(article)
        self._execute("DELETE FROM links WHERE a = ? OR b = ?", (article.rid, article.rid))
        self._execute(
            "UPDATE block_keys SET pages = pages - 1, version = version + 1 "
            "WHERE key IN (SELECT key FROM blocks WHERE rid = ?)", (article.rid,),
        )
        self._execute("DELETE FROM blocks WHERE rid = ?", (article.rid,))
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
            f"NOT NULL, shingles {blob} NOT NULL, own {blob}, figures {blob} NOT NULL, keys {blob} NOT NULL, "
            f"head {blob} NOT NULL, body {blob} NOT NULL, total_words BIGINT NOT NULL, blocks {blob} NOT NULL, "
            f"headline TEXT, site TEXT, passages {blob} NOT NULL, lede_passages {blob} NOT NULL)",
            "CREATE INDEX IF NOT EXISTS articles_cluster ON articles (cluster_id)",
            "CREATE INDEX IF NOT EXISTS articles_time ON articles ((COALESCE(published_us, added_us)))",
            "CREATE TABLE IF NOT EXISTS clusters (cluster_id TEXT PRIMARY KEY, canonical_rid BIGINT NOT NULL, "
            "size INTEGER NOT NULL, founded BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS links (a BIGINT NOT NULL, b BIGINT NOT NULL, shared BIGINT NOT NULL, "
            "inside INTEGER NOT NULL, truncation INTEGER NOT NULL, PRIMARY KEY (a, b))",
            "CREATE INDEX IF NOT EXISTS links_b ON links (b)",
            "CREATE TABLE IF NOT EXISTS blocks (key BIGINT NOT NULL, rid BIGINT NOT NULL, rank BIGINT NOT NULL, "
            "PRIMARY KEY (key, rid))",
            "CREATE INDEX IF NOT EXISTS blocks_rid ON blocks (rid)",
            "CREATE INDEX IF NOT EXISTS blocks_sample ON blocks (key, rank, rid)",
            # Rows per block key, kept as rows come and go; the version never repeats.
            "CREATE TABLE IF NOT EXISTS block_keys (key BIGINT PRIMARY KEY, pages BIGINT NOT NULL, "
            "version BIGINT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS block_keys_pages ON block_keys (pages)",
            "CREATE TABLE IF NOT EXISTS template_keys (key BIGINT PRIMARY KEY)",
        ]
