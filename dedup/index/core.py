"""The persistent index: the batch engine with state, for ingestion pipelines.

Each article is prepared exactly as in a batch run (the same cleaning, shingles,
MinHash and band keys); its candidates are the stored articles that share a band
key; every candidate is verified on the stored shingle sets with the batch's copy
rule, and the verified pairs are stored. Families are the batch's
(:func:`dedup.families.story_families`) over the stored pairs of the component the
article joins, so the index holds the batch's families whatever the arrival order:

* an article may join a family, or tie several into one (``merged``: the oldest
  cluster id survives, the others are named in the verdict);
* when the article ranks before the family's canonical, it becomes the canonical
  (``supersedes``): a fuller version arrived. The cluster id stays;
* a family may split when an arrival shows that a text only contains others (a
  compilation), or when an article is removed: the older part keeps the id.

Cluster ids are ``c`` + xxh3 of the first article's id and never change while the
family has articles; a new family never takes an id in use (it gets a derived one).
"""

from __future__ import annotations

import dataclasses
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

from dedup import beginnings
from dedup import canonical as canon
from dedup._hashing import sorted_unique
from dedup.config import DedupConfig
from dedup.dates import epoch_hours
from dedup.errors import StorageError
from dedup.families import BEGINS, Families, Links, story_families
from dedup.index.store import (
    SCHEMA_VERSION,
    Entry,
    Store,
    Stored,
    from_microseconds,
    to_microseconds,
)
from dedup.lsh import band_keys
from dedup.minhash import signatures
from dedup.models import Article, Cluster, Rejection, Verdict
from dedup.pipeline import (
    Deduplicator,
    Prepared,
    Sketch,
    build_cluster,
    cluster_id_for,
    contained_ids,
    passages_of,
    sketch_chunks,
)
from dedup.text.clean import CleanedText, word_count
from dedup.text.template import (
    EMPTY_BLOCKS,
    MIN_DOCS,
    SAMPLE,
    Blocks,
    FrequentKey,
    choose,
    holds_template,
    judge,
)
from dedup.verify import (
    EMPTY,
    RELATIONS,
    OwnSets,
    PackedSets,
    Score,
    count_shared,
    link,
    pair_scores,
    score,
)

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
    blocks: Blocks = EMPTY_BLOCKS
    """The template blocks of its body (before any template is left out)."""
    body: str = ""
    """Its cleaned body before any template is left out."""


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
        self._verdicts: dict[bytes, tuple[bool, np.ndarray]] = {}  # template group verdicts seen
        self._tables: dict[int, Blocks] = {}  # stored rows' template blocks (they never change)
        self._samples: dict[int, tuple[int, np.ndarray]] = {}  # frequent block key -> (version, sampled rows)

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
            raise StorageError(
                f"{self.location}: index schema {schema}, this dedup reads schema {SCHEMA_VERSION}; "
                "build the index again (dedup index add) into a new file or database"
            )
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
        """What :meth:`add` would say about ``article``, without storing it. The template
        is the one learned from the stored articles: an article that would make one of its
        blocks frequent is judged with that block still in (``add`` learns again first)."""
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
        """The families with two or more articles, by cluster id, in the report's form:
        canonical first with the reason it was elected, then the others in time order
        with their scores against the canonical and their relation (``version`` when tied
        through other members); each with its date, site and headline."""
        cfg = self.config
        found = []
        for cluster_id, _, members in self._store.stories():
            stored = self._store.load([r for r in (self._store.row_of(m) for m in members) if r is not None])
            part = _Component(stored, [], None, cfg)
            rows = list(range(len(stored)))
            cluster = build_cluster(rows, part.ids, part.facts, cfg.canonical.policy, cfg.verify.rule, part.score)
            found.append(dataclasses.replace(cluster, cluster_id=cluster_id))
        return found

    def contains(self) -> dict[str, tuple[str, ...]]:
        """What each text holding passages of other stories (a live blog, a digest) holds
        outside its family, in the form of :attr:`dedup.Result.contains`: the family stage
        run again on every component with a stored inclusion."""
        done: set[int] = set()
        pairs: list[tuple[int, int]] = []
        ids: list[str] = []
        for row in self._store.inclusion_rows():
            if row in done:
                continue
            component = self._component([row], [], None)
            done.update(component.rids)
            pairs.extend((len(ids) + c, len(ids) + x) for c, x in component.families().contains)
            ids.extend(component.ids)
        return contained_ids(pairs, ids)

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

    def _band_keys(self, matrix: np.ndarray, lede_matrix: np.ndarray | None) -> np.ndarray:
        """``int64[rows, k]``: the band keys of each row (whole text, then salted lede)."""
        cfg = self.config
        keys = band_keys(matrix, self._bands, self._rows).astype(np.uint64)
        if lede_matrix is not None and lede_matrix.shape[0]:
            lede_rows = cfg.lsh.lede_rows
            lede = band_keys(lede_matrix, cfg.lsh.lede_perm // lede_rows, lede_rows) ^ _LEDE_SALT
            keys = np.concatenate([keys, lede], axis=1)
        return keys.view(np.int64)

    def _sketched(self, article: Article, prepared: Prepared, blocks: Blocks, body: str) -> _Sketched:
        """One prepared article with its facts and band keys."""
        cfg = self.config
        matrix = signatures([prepared.shingles], cfg.minhash.num_perm, cfg.minhash.seed)
        lede = signatures([prepared.lede], cfg.lsh.lede_perm, cfg.minhash.seed) if cfg.lsh.lede_shingles else None
        prepared = self._with_passages(prepared)
        return _Sketched(article, prepared, prepared.facts, sorted_unique(self._band_keys(matrix, lede)[0]), blocks, body)

    def _with_passages(self, prepared: Prepared) -> Prepared:
        """The article with its body's passage keys found once (stored, and looked up both ways)."""
        return dataclasses.replace(prepared, passages=passages_of(prepared, self.config.normalize.casefold))

    def _with_keys(self, chunk: list[Article | Rejection], sketch: Sketch) -> list[_Sketched | Verdict]:
        signed = self._band_keys(sketch.signatures, sketch.lede_signatures)
        blocks = sketch.blocks
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
                table = blocks[row] if blocks is not None else EMPTY_BLOCKS
                result.append(_Sketched(
                    item, self._with_passages(prepared[row]), sketch.facts[row], sorted_unique(signed[row]), table, prepared[row].cleaned.body
                ))
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
        store = self._store
        article_id = new.article.id
        if store.row_of(article_id) is not None:
            return Verdict(
                article_id, "rejected",
                reason=f"id {article_id!r} is already in the index; ids must be unique (remove it first to replace it)",
            )
        if write:
            store.lock_families()
        template = store.template() if self.config.clean.learn_template else _NO_TEMPLATE
        ready = self._without_template(new, template)
        if not write:
            if isinstance(ready, Rejection):
                return Verdict(article_id, "rejected", reason=ready.reason)
            found = self._links(ready, _UNSTORED, set())
            others = sorted({row for pair in found for row in pair[:2]} - {_UNSTORED})  # a held beginning may point either way
            component = self._component(others, found, ready)
            return self._verdict(ready, _UNSTORED, self._assign(component, write=False), write=False)
        usable = isinstance(ready, _Sketched)
        rid = store.insert(self._entry(ready if isinstance(ready, _Sketched) else new, "", usable=usable))
        relink, neighbours = {rid}, set[int]()
        if self.config.clean.learn_template and store.holds_frequent(rid, MIN_DOCS):
            learned = self._learn()
            if not np.array_equal(learned, template):
                store.set_template(learned)
                again, neighbours = self._prepare_again(store.block_holders(np.setxor1d(learned, template)), learned)
                relink |= again
                ready = self._without_template(new, learned)
        assigned = self._regroup(relink, neighbours, focus=rid)
        if isinstance(ready, Rejection):
            return Verdict(article_id, "rejected", reason=ready.reason, stored=True)
        assert assigned is not None
        return self._verdict(ready, rid, assigned, write=True)

    def _learn(self) -> np.ndarray:
        """The template learned from the stored articles, as a batch run learns it.

        Only the frequent keys are read; a key's sample is read again only when an
        article holding it came or went, and a group is judged again only when its
        sample changed."""
        store = self._store
        if len(self._verdicts) > _VERDICTS_KEPT or len(self._tables) > _VERDICTS_KEPT:
            self._verdicts.clear()
            self._tables.clear()
        frequent = []
        for key, pages, version in store.frequent_block_keys(MIN_DOCS):
            known = self._samples.get(key)
            if known is None or known[0] != version:
                known = (version, np.array(store.block_sample(key, SAMPLE), dtype=np.int64))
                self._samples[key] = known
            frequent.append(FrequentKey(key, pages, known[1]))

        def verdict_of(rows: np.ndarray) -> tuple[bool, np.ndarray]:
            memo = rows.tobytes()
            if memo not in self._verdicts:
                self._tables.update(store.block_tables([r for r in rows.tolist() if r not in self._tables]))
                tables = [self._tables[r] for r in rows.tolist()]
                self._verdicts[memo] = judge(tables, np.arange(len(tables)))
            return self._verdicts[memo]

        return choose(frequent, verdict_of)

    def _without_template(self, new: _Sketched, template: np.ndarray) -> _Sketched | Rejection:
        """The article with the template's blocks left out (itself when it holds none)."""
        if not holds_template(new.blocks, template):
            return new
        again = Deduplicator(self.config).prepare_cleaned(new.article, new.prepared.cleaned, template)
        return again if isinstance(again, Rejection) else self._sketched(new.article, again, new.blocks, new.body)

    def _prepare_again(self, rows: list[int], template: np.ndarray) -> tuple[set[int], set[int]]:
        """Prepare stored rows again under a changed template (inside a write; their
        copy pairs are forgotten); returns them, and the rows they were linked to."""
        store = self._store
        neighbours = {r for a, b, *_ in store.links_of(rows) for r in (a, b)} - set(rows)
        bodies = store.bodies(rows)
        engine = Deduplicator(self.config)
        for old in store.load(rows):
            body, total = bodies[old.rid]
            # Its stored headline and site stand in for the record's title and source.
            article = Article(old.id, body, old.headline, source=old.site, published=from_microseconds(old.published_us))
            cleaned = CleanedText(body, (), word_count(body), total)
            again = engine.prepare_cleaned(article, cleaned, template)
            entry: Entry
            if isinstance(again, Rejection):
                entry = dataclasses.replace(old, body_words=0, shingles=EMPTY, own=EMPTY, figures=EMPTY,
                                            keys=np.empty(0, np.int64), head=EMPTY, passages=EMPTY,
                                            lede_passages=EMPTY)
            else:
                entry = self._entry(self._sketched(article, again, old.blocks, body), old.cluster_id)
            store.replace_sets(old.rid, entry, old)
        return set(rows), neighbours

    def _links(self, new: _Sketched, rid: int, skip: set[int]) -> list[tuple[int, int, int, int, bool]]:
        """The verified copy pairs of an article with the stored ones sharing a band key,
        and the held beginnings (:mod:`dedup.beginnings`) between it and the stored ones
        that no copy pair ties it to."""
        store = self._store
        rule = self.config.verify.rule
        candidates = [c for c in store.load(store.rows_sharing(new.keys)) if c.rid != rid and c.rid not in skip]
        found = []
        for old, s in zip(candidates, self._scores(new, candidates)):
            code, inside, truncation = link(s, rule, new.prepared.head, old.head)
            if code:
                found.append((rid, old.rid, s.intersection, inside, truncation))
        lede = self.config.lsh.lede_shingles
        p = new.prepared
        copies = {old for _, old, *_ in found} | skip | {rid}
        holders = set(store.rows_sharing(beginnings.holder_keys(p.lede_passages))) if p.lede_passages.size else set()
        passages = passages_of(p, self.config.normalize.casefold)
        owners = set(store.rows_sharing(beginnings.owner_keys(passages))) if passages.size else set()
        wanted = sorted((holders | owners) - copies)
        for old in store.load(wanted):
            if old.rid in holders:
                held = beginnings.held(old.shingles, p.head, lede)
                if held:
                    found.append((old.rid, rid, held, BEGINS, False))
            if old.rid in owners:
                held = beginnings.held(p.shingles, old.head, lede)
                if held:
                    found.append((rid, old.rid, held, BEGINS, False))
        return found

    def _regroup(self, relink: set[int], others: set[int], focus: int | None = None) -> _Assigned | None:
        """Link the stored rows of ``relink`` (which have no stored pairs) to their
        candidates, then find the families of every component that they or ``others``
        are in (inside a write). Returns the assignment of ``focus``'s component."""
        store = self._store
        done: set[int] = set()
        for old in store.load(sorted(relink)):
            if old.shingles.size:
                sketched = _Sketched(
                    Article(old.id, "x", published=old.facts.published), _stored_prepared(old), old.facts, old.keys
                )
                store.add_links(self._links(sketched, old.rid, done))
            done.add(old.rid)
        grouped: set[int] = set()
        taken: set[str] = set()
        before: set[str] = set()
        found = None
        for row in sorted(relink | others):
            if row in grouped:
                continue
            component = self._component([row], [], None)
            grouped.update(component.rids)
            before.update(c for c in component.cluster_ids if c)
            assigned = self._assign(component, write=True, taken=taken)
            if focus in component.index:
                found = assigned
        for gone in sorted(before - taken):
            if not store.member_rows(gone):
                store.drop_cluster(gone)
        return found

    def _verdict(self, new: _Sketched, rid: int, assigned: _Assigned, write: bool) -> Verdict:
        """The verdict on an article from the families of its component."""
        cfg = self.config
        component = assigned.component
        article_id = new.article.id
        family = assigned.family_of(rid)
        members = family.rows
        cluster_id = family.cluster_id
        if len(members) == 1:
            floor = cfg.verify.min_shared_shingles
            size = new.prepared.shingles.size
            short = f"too short to judge ({size} shingles, under the {floor} a copy must share)" if size < floor else None
            return Verdict(article_id, "new", cluster_id, article_id, reason=short, stored=write)
        head, reason = canon.elect(members, component.facts, cfg.canonical.policy)
        me = component.index[rid]
        before = family.old_canonical
        supersedes = component.ids[before] if head == me and before is not None and before != me else None
        other = head if head != me else (before if before != me else None)
        if other is None:  # the family was made now, with this article as its canonical
            other = max((m for m in members if m != me), key=lambda m: (component.shared(me, m), -component.rids[m]))
        s = component.score(me, other)
        code = cfg.verify.rule.code(s)
        return Verdict(
            article_id, "duplicate", cluster_id, component.ids[head], matched=component.ids[other],
            jaccard=round(s.jaccard, 4), containment=round(s.containment_a, 4),
            matched_containment=round(s.containment_b, 4), relation=RELATIONS[code] if code else "version",
            supersedes=supersedes, reason=reason, stored=write, merged=family.merged,
        )

    def _component(
        self, start: list[int], extra: list[tuple[int, int, int, int, bool]], unstored: _Sketched | None
    ) -> _Component:
        """The stored articles connected to ``start`` by stored copy pairs (plus ``extra``
        pairs, and an ``unstored`` article as row ``_UNSTORED``)."""
        seen = {r for r in start if r != _UNSTORED}
        frontier = sorted(seen)
        links: set[tuple[int, int, int, int, bool]] = set(extra)
        while frontier:
            reached = self._store.links_of(frontier)
            frontier = []
            for link_row in reached:
                links.add(link_row)
                for r in link_row[:2]:
                    if r not in seen:
                        seen.add(r)
                        frontier.append(r)
        stored = self._store.load(sorted(seen))
        return _Component(stored, sorted(links), unstored, self.config)

    def _assign(self, component: _Component, write: bool, taken: set[str] | None = None) -> _Assigned:
        """The families of a component with their cluster ids: each family keeps the
        oldest cluster id of its members that no older family (nor one in ``taken``,
        which it extends) kept; the others are merged into it. Written to the store when
        ``write``; a cluster id left without members is dropped by the caller."""
        store = self._store
        labels = component.families().labels
        groups: dict[int, list[int]] = {}
        for row, label in enumerate(labels.tolist()):
            groups.setdefault(label, []).append(row)
        old_ids = sorted({c for c in component.cluster_ids if c})
        founded = store.founded(old_ids)
        canonical_rows = {c: store.canonical_row(c) for c in old_ids}

        def age(rows: list[int]) -> tuple[int, int]:
            mine = [founded[c] for c in {component.cluster_ids[r] for r in rows} if c in founded]
            return (min(mine) if mine else 1 << 62, min(component.rids[r] for r in rows))

        families: list[_Family] = []
        taken = set() if taken is None else taken
        for rows in sorted(groups.values(), key=age):
            mine = sorted({component.cluster_ids[r] for r in rows if component.cluster_ids[r] in founded},
                          key=lambda c: (founded[c], c))
            free = [c for c in mine if c not in taken]
            if free:
                cluster_id, since = free[0], founded[free[0]]
            else:
                first = min(rows, key=lambda r: component.rids[r])
                cluster_id, since = self._free_cluster_id(component.ids[first], taken), component.rids[first]
            taken.add(cluster_id)
            before_rid = canonical_rows.get(cluster_id)
            before = component.index.get(before_rid) if before_rid is not None else None
            families.append(_Family(rows, cluster_id, since, tuple(c for c in mine if c != cluster_id), before))
        if write:
            policy = self.config.canonical.policy
            for family in families:
                head, _ = canon.elect(family.rows, component.facts, policy) if len(family.rows) > 1 else (family.rows[0], "")
                store.set_cluster(family.cluster_id, component.rids[head], [component.rids[r] for r in family.rows],
                                  family.founded)
        return _Assigned(component, families)

    def _free_cluster_id(self, article_id: str, taken: set[str] | None = None) -> str:
        """``cluster_id_for(article_id)``, or a derived id when a story holds it already
        (its founder was removed and the id came back, or a family split off)."""
        cluster_id, attempt = cluster_id_for(article_id), 0
        while self._store.cluster_exists(cluster_id) or cluster_id in (taken or ()):
            attempt += 1
            cluster_id = cluster_id_for(f"{article_id}\x00{attempt}")
        return cluster_id

    def _entry(self, new: _Sketched, cluster_id: str, usable: bool = True) -> Entry:
        """What is stored of an article; an unusable one (nothing but template text)
        keeps only its body and blocks, to count and to be prepared again."""
        p = new.prepared
        if not usable:
            return Entry(
                id=new.article.id, cluster_id=cluster_id, published_us=to_microseconds(new.article.published),
                added_us=to_microseconds(datetime.now().astimezone()) or 0, body_words=0, boilerplate_share=1.0,
                shingles=EMPTY, own=EMPTY, figures=EMPTY, keys=np.empty(0, np.int64), head=EMPTY,
                body=new.body, total_words=p.cleaned.total_words, blocks=new.blocks,
                headline=new.facts.headline, site=new.facts.site,
            )
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
            head=p.head,
            passages=passages_of(p, self.config.normalize.casefold),
            lede_passages=p.lede_passages,
            body=new.body,
            total_words=p.cleaned.total_words,
            blocks=new.blocks,
            headline=new.facts.headline,
            site=new.facts.site,
        )

    def _remove(self, article: Stored) -> None:
        """Delete an article; the families of what it touched are found again (a family
        it tied may split), and the template is learned again without it. Inside a write."""
        store = self._store
        store.lock_families()
        neighbours = {r for a, b, *_ in store.links_of([article.rid]) for r in (a, b)} - {article.rid}
        store.delete(article)
        if not store.member_rows(article.cluster_id):
            store.drop_cluster(article.cluster_id)
        relink: set[int] = set()
        if self.config.clean.learn_template:
            template, learned = store.template(), self._learn()
            if not np.array_equal(learned, template):
                store.set_template(learned)
                relink, more = self._prepare_again(store.block_holders(np.setxor1d(learned, template)), learned)
                neighbours |= more
        self._regroup(relink, neighbours - relink)


def _stored_prepared(stored: Stored) -> Prepared:
    """A stored article's sets in the shape of a freshly prepared one (for scoring)."""
    cleaned = CleanedText("", (), stored.body_words, 0)
    return Prepared(
        Article(stored.id, "x"), cleaned, stored.shingles, stored.own, EMPTY, stored.figures, stored.head,
        stored.lede_passages, stored.passages,
    )


_NO_TEMPLATE = np.empty(0, dtype=np.uint64)
_VERDICTS_KEPT = 100_000
"""Template group verdicts an index remembers before it starts afresh."""
_UNSTORED = -1
"""The row of an article that is checked, not stored."""


class _Component:
    """Stored articles tied by copy pairs (and possibly one unstored article), as the
    family stage reads them: local rows in row order, the unstored one last."""

    def __init__(
        self, stored: list[Stored], links: list[tuple[int, int, int, int, bool]], unstored: _Sketched | None,
        config: DedupConfig,
    ) -> None:
        self.config = config
        self.rids = [s.rid for s in stored]
        self.ids = [s.id for s in stored]
        self.cluster_ids = [s.cluster_id for s in stored]
        self.facts = [s.facts for s in stored]
        self.sets = [(s.shingles, s.own, s.figures) for s in stored]
        self.hours = [epoch_hours(from_microseconds(s.published_us)) for s in stored]
        if unstored is not None:
            p = unstored.prepared
            self.rids.append(_UNSTORED)
            self.ids.append(unstored.article.id)
            self.cluster_ids.append("")
            self.facts.append(unstored.facts)
            self.sets.append((p.shingles, p.own, p.figures))
            self.hours.append(epoch_hours(unstored.article.published))
        self.index = {rid: row for row, rid in enumerate(self.rids)}
        self.links = [link_row for link_row in links if link_row[0] in self.index and link_row[1] in self.index]

    def shared(self, a: int, b: int) -> int:
        return count_shared(self.sets[a][0], self.sets[b][0])

    def score(self, a: int, b: int) -> Score:
        apart = abs(self.hours[a] - self.hours[b])
        (sa, oa, fa), (sb, ob, fb) = self.sets[a], self.sets[b]
        return score(sa, sb, oa, ob, fa, fb, None if np.isnan(apart) else apart)

    def families(self) -> Families:
        """The families of the local rows (:func:`dedup.families.story_families`)."""
        cfg = self.config
        links = Links.build(
            [(self.index[a], self.index[b]) for a, b, *_ in self.links] or np.empty((0, 2)),
            [s for _, _, s, _, _ in self.links], [i for _, _, _, i, _ in self.links],
            [t for *_, t in self.links],
        )
        sizes = np.array([s[0].size for s in self.sets], dtype=np.int64)
        rank = np.array(canon.policy_rank(self.facts, cfg.canonical.policy), dtype=np.int64)
        return story_families(len(self.rids), links, sizes, self.shared, rank, cfg.cluster.rendering_share)


@dataclass(frozen=True)
class _Family:
    rows: list[int]
    cluster_id: str
    founded: int
    merged: tuple[str, ...]
    """Cluster ids of members that this family absorbed."""
    old_canonical: int | None
    """The local row of the canonical its cluster id had before, if it is in the component."""


@dataclass(frozen=True)
class _Assigned:
    component: _Component
    families: list[_Family]

    def family_of(self, rid: int) -> _Family:
        row = self.component.index[rid]
        return next(f for f in self.families if row in f.rows)


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
