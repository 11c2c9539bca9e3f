"""The persistent index: the batch engine with state, for ingestion pipelines.

Each article is prepared exactly as in a batch run (the same cleaning, shingles,
MinHash and band keys); its candidates are the stored articles that share a band
key; every candidate is verified on the stored shingle sets with the batch's copy
rule. Then, like the batch's clustering, without chaining:

* the article joins a story only if it is a verified copy of the story's
  canonical article (a copy of a mere member is not enough);
* of several such stories, it joins the one whose canonical ranks first under the
  canonical policy (the batch lets the best canonical claim its copies first);
* when the article ranks before the canonical it joined, it becomes the canonical
  (``supersedes``): a fuller version arrived. The cluster id stays.

Cluster ids are those of the batch (``c`` + xxh3 of the first article's id) and
never change while the story has articles; a new story never takes an id in use
(it gets a derived one when its first article's id founded another story).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from dedup import canonical as canon
from dedup._hashing import sorted_unique
from dedup.config import DedupConfig
from dedup.dates import epoch_hours
from dedup.errors import StorageError
from dedup.index.store import SCHEMA_VERSION, Entry, Store, Stored, from_microseconds, to_microseconds
from dedup.lsh import band_keys
from dedup.models import Article, Cluster, Member, Rejection, Verdict
from dedup.pipeline import Prepared, Sketch, cluster_id_for, sketch_chunks
from dedup.verify import RELATIONS, OwnSets, PackedSets, Score, pair_scores

# Lede band keys are salted so that they never meet the whole-text band keys.
_LEDE_SALT = np.uint64(0x9E3779B97F4A7C15)
# Articles per transaction in add_many (and per prepared chunk).
_CHUNK = 500


def open_store(location: str | os.PathLike[str]) -> Store:
    """The backend for a location: a ``postgresql://`` URL or a SQLite file path."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from dedup.index.postgres import PostgresStore

        return PostgresStore(text)
    from dedup.index.sqlite import SQLiteStore

    return SQLiteStore(location)


@dataclass(frozen=True)
class _Sketched:
    """A prepared article, ready to be matched and stored."""

    article: Article
    prepared: Prepared
    facts: canon.ArticleFacts
    keys: np.ndarray


class Index:
    """A persistent, incremental index of articles: SQLite file by default, PostgreSQL
    for many workers.

    Args:
        location: A SQLite file (created when missing) or a ``postgresql://`` URL.
        config: Settings for a new index. An existing index keeps the settings it was
            built with; giving other ones is an error (None uses the stored ones).
        workers: Processes that prepare articles in :meth:`add_many` (None: two
            cores for large inputs). Verdicts do not depend on it.

    Example:
        >>> import tempfile, os
        >>> text = "The city council approved the new budget on Tuesday after a long debate."
        >>> with tempfile.TemporaryDirectory() as folder, Index(os.path.join(folder, "news.db")) as index:
        ...     [index.add(Article(i, text)).status for i in ("a", "b")]
        ['new', 'duplicate']
    """

    def __init__(
        self, location: str | os.PathLike[str], config: DedupConfig | None = None, *, workers: int | None = None
    ) -> None:
        self.location = str(location)
        self._store = open_store(location)
        try:
            self.config = self._settle_config(config)
        except BaseException:
            self._store.close()
            raise
        self._workers = workers
        self._bands, self._rows = self.config.lsh_params()

    def _settle_config(self, config: DedupConfig | None) -> DedupConfig:
        stored = self._store.meta("config")
        if stored is None:
            chosen = config if config is not None else DedupConfig()
            with self._store.write(np.empty(0, dtype=np.int64)):  # another process may be first
                self._store.set_meta_once("schema", SCHEMA_VERSION)
                self._store.set_meta_once("config", json.dumps(chosen.as_dict(), sort_keys=True))
            stored = self._store.meta("config")
        assert stored is not None
        schema = self._store.meta("schema")
        if schema != SCHEMA_VERSION:
            raise StorageError(f"{self.location}: index schema {schema}, this dedup reads schema {SCHEMA_VERSION}")
        built_with = DedupConfig.from_dict(json.loads(stored), origin=f"{self.location} (stored settings)")
        if config is not None and config != built_with:
            theirs, ours = built_with.as_dict(), config.as_dict()
            changed = [
                f"{stage}.{key} {theirs[stage][key]!r} != {ours[stage][key]!r}"
                for stage in ours for key in ours[stage] if ours[stage][key] != theirs[stage][key]
            ]
            raise StorageError(
                f"{self.location}: the index was built with other settings ({'; '.join(changed)}); "
                f"open it without a config to use its own, or build a new index"
            )
        return built_with

    # -- context manager -------------------------------------------------------------

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the storage (an unfinished write is rolled back)."""
        self._store.close()

    # -- public operations -----------------------------------------------------------

    def check(self, article: Article | Rejection) -> Verdict:
        """What :meth:`add` would say about ``article``, without storing it."""
        outcome = self._sketch([article])[0]
        if isinstance(outcome, Verdict):
            return outcome
        return self._decide(outcome, write=False)

    def add(self, article: Article | Rejection) -> Verdict:
        """Match ``article`` against the index and store it (one transaction)."""
        return self.add_many([article])[0]

    def add_many(self, articles: Iterable[Article | Rejection]) -> list[Verdict]:
        """:meth:`add` each article in order (one transaction per chunk of articles:
        an article sees the ones before it, in the same chunk too)."""
        return list(self.stream(articles))

    def stream(self, articles: Iterable[Article | Rejection]) -> Iterator[Verdict]:
        """:meth:`add_many`, yielding each chunk's verdicts once its transaction is
        committed: every verdict seen is in the index, even if the process dies next."""
        items = iter(articles)
        chunks = _chunks(items, _CHUNK)
        workers = self._workers if self._workers is not None else 2
        for outcomes in self._sketch_chunks(chunks, workers):
            yield from self._store_chunk(outcomes)

    def remove(self, article_id: str) -> bool:
        """Remove an article; returns False if it is not in the index. When it was its
        story's canonical, the best remaining copy under the policy takes its place."""
        row = self._store.row_of(article_id)
        if row is None:
            return False
        stored = self._store.load([row])[0]
        with self._store.write(stored.keys):
            again = self._store.row_of(article_id)
            if again is None:  # removed by another process meanwhile
                return False
            self._remove(self._store.load([again])[0])
        return True

    def expire(self, before: datetime) -> int:
        """Remove every article published (or, when undated, added) before ``before``;
        returns how many were removed."""
        rows = self._store.rows_before(to_microseconds(before) or 0)
        removed = 0
        for first in range(0, len(rows), _CHUNK):
            articles = self._store.load(rows[first : first + _CHUNK])
            keys = np.concatenate([a.keys for a in articles]) if articles else np.empty(0, np.int64)
            with self._store.write(keys):
                for article in articles:
                    if self._store.row_of(article.id) == article.rid:
                        self._remove(article)
                        removed += 1
        return removed

    def clusters(self) -> list[Cluster]:
        """The stories with two or more articles, by cluster id: canonical first, then
        the other members by id (scores and reasons are in the verdicts)."""
        return [
            Cluster(cluster_id, head, "", tuple(Member(m, 1.0, 1.0, 1.0, "canonical" if m == head else "member")
                                                 for m in [head] + [m for m in members if m != head]))
            for cluster_id, head, members in self._store.stories()
        ]

    def stats(self) -> dict[str, Any]:
        """Articles, stories with copies, duplicates, disk size and the settings."""
        counts = self._store.counts()
        return {
            **counts,
            "location": _safe_location(self.location),
            "disk_bytes": self._store.size_bytes(),
            "config": self.config.as_dict(),
        }

    # -- preparing -------------------------------------------------------------------

    def _sketch(self, articles: list[Article | Rejection]) -> list[_Sketched | Verdict]:
        return next(self._sketch_chunks(iter([articles]), 1))

    def _sketch_chunks(
        self, chunks: Iterator[list[Article | Rejection]], workers: int
    ) -> Iterator[list[_Sketched | Verdict]]:
        """Per chunk, each article prepared with its band keys, or its rejection."""
        pending: list[list[Article | Rejection]] = []

        def usable() -> Iterator[list[Article]]:
            for chunk in chunks:
                pending.append(chunk)
                yield [a for a in chunk if isinstance(a, Article)]

        for sketch in sketch_chunks(self.config, usable(), workers):
            chunk = pending.pop(0)
            yield self._with_keys(chunk, sketch)

    def _with_keys(self, chunk: list[Article | Rejection], sketch: Sketch) -> list[_Sketched | Verdict]:
        cfg = self.config
        keys = band_keys(sketch.signatures, self._bands, self._rows).astype(np.uint64)
        if sketch.lede_signatures is not None and sketch.lede_signatures.shape[0]:
            lede_rows = cfg.lsh.lede_rows
            lede = band_keys(sketch.lede_signatures, cfg.lsh.lede_perm // lede_rows, lede_rows) ^ _LEDE_SALT
            keys = np.concatenate([keys, lede], axis=1)
        signed = keys.view(np.int64)
        prepared = sketch.prepared or []
        rejected = iter(sketch.rejected)
        outcomes = iter(sketch.outcomes)
        result: list[_Sketched | Verdict] = []
        for item in chunk:
            if isinstance(item, Rejection):
                result.append(Verdict(item.id, "rejected", reason=item.reason))
                continue
            row = next(outcomes)
            if row < 0:
                rejection = next(rejected)
                result.append(Verdict(rejection.id, "rejected", reason=rejection.reason))
            else:
                result.append(_Sketched(item, prepared[row], sketch.facts[row], sorted_unique(signed[row])))
        return result

    # -- matching and storing ----------------------------------------------------------

    def _store_chunk(self, outcomes: list[_Sketched | Verdict]) -> list[Verdict]:
        sketched = [o for o in outcomes if isinstance(o, _Sketched)]
        if not sketched:
            return [o for o in outcomes if isinstance(o, Verdict)]
        verdicts: list[Verdict] = []
        for part in self._transactions(outcomes):
            keys = np.concatenate([o.keys for o in part if isinstance(o, _Sketched)] or [np.empty(0, np.int64)])
            with self._store.write(keys):
                for outcome in part:
                    verdicts.append(outcome if isinstance(outcome, Verdict) else self._decide(outcome, write=True))
        return verdicts

    def _transactions(self, outcomes: list[_Sketched | Verdict]) -> Iterator[list[_Sketched | Verdict]]:
        """Runs of articles written in one transaction: the whole chunk, or as many as
        keep the keys a backend locks per transaction under its limit."""
        limit = self._store.max_locked_keys
        part: list[_Sketched | Verdict] = []
        locked = 0
        for outcome in outcomes:
            size = outcome.keys.size if isinstance(outcome, _Sketched) else 0
            if part and locked + size > limit:
                yield part
                part, locked = [], 0
            part.append(outcome)
            locked += size
        if part:
            yield part

    def _scores(self, new: _Sketched, olds: list[Stored]) -> list[Score]:
        """The article scored against each stored one, all in one compiled pass."""
        if not olds:
            return []
        p = new.prepared
        shingles = PackedSets([p.shingles] + [o.shingles for o in olds])
        own = OwnSets(shingles, [p.own] + [o.own for o in olds])
        figures = PackedSets([p.figures] + [o.figures for o in olds])
        pairs = np.stack([np.zeros(len(olds), dtype=np.int64), np.arange(1, len(olds) + 1, dtype=np.int64)], axis=1)
        published = epoch_hours(new.article.published)
        hours = np.abs(np.array([epoch_hours(from_microseconds(o.published_us)) for o in olds]) - published)
        return pair_scores(pairs, shingles, own, figures, hours)

    def _decide(self, new: _Sketched, write: bool) -> Verdict:
        """The verdict on one prepared article; stored when ``write`` (inside a write)."""
        store, cfg = self._store, self.config
        article_id = new.article.id
        if store.row_of(article_id) is not None:
            return Verdict(
                article_id, "rejected",
                reason=f"id {article_id!r} is already in the index; ids must be unique (remove it first to replace it)",
            )
        rule = cfg.verify.rule
        candidates = store.load(store.rows_sharing(new.keys))
        scored = {c.rid: (c, s) for c, s in zip(candidates, self._scores(new, candidates))}
        stories = sorted({c.cluster_id for c, s in scored.values() if rule.code(s)})
        policy = cfg.canonical.policy
        choices: list[tuple[tuple[Any, ...], str, Stored, Score, int]] = []
        for cluster_id in stories:
            if write:
                store.lock_cluster(cluster_id)
            head = store.canonical_row(cluster_id)
            if head is None:
                continue
            if head in scored:  # scored already as a candidate
                canonical, s = scored[head]
            else:
                [canonical] = store.load([head])
                [s] = self._scores(new, [canonical])
            code = rule.code(s)
            if code:
                choices.append((canon.sort_key(canonical.facts, policy), cluster_id, canonical, s, code))
        if not choices:
            cluster_id = self._free_cluster_id(article_id)
            if write:
                store.add_cluster(cluster_id, store.insert(self._entry(new, cluster_id)))
            return Verdict(article_id, "new", cluster_id, article_id, stored=write)
        _, cluster_id, canonical, s, code = min(choices, key=lambda c: (c[0], c[1]))
        winner, reason = canon.elect([0, 1], [new.facts, canonical.facts], policy)
        supersedes = canonical.id if winner == 0 else None
        if write:
            row = store.insert(self._entry(new, cluster_id))
            store.grow_cluster(cluster_id, row if supersedes else None)
        return Verdict(
            article_id, "duplicate", cluster_id, article_id if supersedes else canonical.id, matched=canonical.id,
            jaccard=round(s.jaccard, 4), containment=round(s.containment_a, 4),
            matched_containment=round(s.containment_b, 4), relation=RELATIONS[code], supersedes=supersedes,
            reason=reason, stored=write,
        )

    def _free_cluster_id(self, article_id: str) -> str:
        """``cluster_id_for(article_id)``, or a derived id when a story holds it already
        (its founder was removed and the id came back)."""
        cluster_id, attempt = cluster_id_for(article_id), 0
        while self._store.cluster_exists(cluster_id):
            attempt += 1
            cluster_id = cluster_id_for(f"{article_id}\x00{attempt}")
        return cluster_id

    def _entry(self, new: _Sketched, cluster_id: str) -> Entry:
        p = new.prepared
        return Entry(
            id=new.article.id,
            cluster_id=cluster_id,
            published_us=to_microseconds(new.article.published),
            added_us=to_microseconds(datetime.now().astimezone()) or 0,
            body_words=p.cleaned.body_words,
            boilerplate_share=p.cleaned.boilerplate_share,
            shingles=p.shingles,
            own=p.own,
            figures=p.figures,
            keys=new.keys,
        )

    def _remove(self, article: Stored) -> None:
        """Delete an article and keep its story's canonical and size right (inside a write)."""
        store = self._store
        store.lock_cluster(article.cluster_id)
        head = store.canonical_row(article.cluster_id)
        store.delete(article)
        rest = [r for r in store.member_rows(article.cluster_id) if r != article.rid]
        if not rest:
            store.shrink_cluster(article.cluster_id, None)
            return
        if head == article.rid:
            policy = self.config.canonical.policy
            head = min(store.load(rest), key=lambda m: canon.sort_key(m.facts, policy)).rid
        store.shrink_cluster(article.cluster_id, head)


def _chunks(items: Iterator[Article | Rejection], size: int) -> Iterator[list[Article | Rejection]]:
    """Chunks of up to ``size`` items; the first chunks are small so that a slow,
    trickling input gets its first verdicts at once."""
    chunk: list[Article | Rejection] = []
    limit = 1
    started = time.monotonic()
    for item in items:
        chunk.append(item)
        if len(chunk) >= limit or time.monotonic() - started > 1.0:
            yield chunk
            chunk, limit, started = [], min(size, limit * 4), time.monotonic()
    if chunk:
        yield chunk


def _safe_location(location: str) -> str:
    if location.startswith(("postgresql://", "postgres://")):
        from dedup.index.postgres import _redacted

        return _redacted(location)
    return str(Path(location))
