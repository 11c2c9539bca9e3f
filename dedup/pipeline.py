"""The batch pipeline: articles in, :class:`Result` out.

Stages, each timed and counted: prepare (repair, clean, normalise, shingle) ->
minhash -> lsh -> verify -> cluster (with canonical election).

Tie-breaks that make the output independent of input order: the canonical policy
ends in ``smallest_id``; LSH windows inside oversized buckets follow id order;
clusters are listed by canonical id, copies by id, singletons and rejections by id.
The one order-dependent rule: when two records share an id, the first one read is
kept and later ones are rejected.

Example:
    >>> from dedup import Article
    >>> text = "The city council approved the new budget on Tuesday after a long debate."
    >>> r = Deduplicator().run([Article("a", text), Article("b", text + " More soon.")])
    >>> r.stats["clusters"], r.clusters[0].canonical
    (1, 'b')
"""

from __future__ import annotations

import itertools
import math
import os
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import xxhash

from dedup import _kernels
from dedup import canonical as canon
from dedup.cluster import star_clusters
from dedup.config import DedupConfig
from dedup.dates import epoch_hours
from dedup.lsh import candidate_pairs
from dedup.minhash import permutations, signatures
from dedup.models import Article, Cluster, Member, Rejection, Result
from dedup.shingle import body_figures, body_shingles, shingles
from dedup.text.clean import CleanedText, clean, passthrough
from dedup.text.normalize import needs_repair, normalize, repair
from dedup.verify import RELATIONS, PackedSets, Score, pair_scores, score, verify_pairs


@dataclass(frozen=True)
class Prepared:
    """One article after cleaning and shingling."""

    article: Article
    cleaned: CleanedText
    shingles: np.ndarray
    own: np.ndarray
    """The shingles made only of words outside quotation marks (a subset of ``shingles``)."""
    lede: np.ndarray
    """The first shingles of the body (what a teaser or a trimmed copy keeps)."""
    figures: np.ndarray
    """Hashes of the figures (numbers) in the body."""


class Batch:
    """A prepared batch: usable articles as index-aligned arrays, plus the rejections.

    Row ``i`` of every array is ``prepared[i]``.
    """

    def __init__(self, prepared: list[Prepared], rejected: list[Rejection]) -> None:
        self.prepared = prepared
        self.rejected = rejected
        self.shingle_sets = PackedSets([p.shingles for p in prepared])
        self.own_sets = PackedSets([p.own for p in prepared])
        self.figure_sets = PackedSets([p.figures for p in prepared])
        self.published_hours = np.array([epoch_hours(p.article.published) for p in prepared], dtype=np.float64)
        ids = np.array([p.article.id for p in prepared], dtype=object)
        # Rank of each row by id: orders rows inside oversized LSH buckets.
        self.id_rank = np.argsort(np.argsort(ids, kind="stable"), kind="stable")
        self.seconds: dict[str, float] = {}
        self.counters: dict[str, int] = {}

    def score(self, a: int, b: int) -> Score:
        """Overlap of rows ``a`` and ``b`` (all shingles, own words and figures) and
        the hours between their dates."""
        apart = abs(float(self.published_hours[a] - self.published_hours[b]))
        return score(
            self.shingle_sets[a], self.shingle_sets[b], self.own_sets[a], self.own_sets[b],
            self.figure_sets[a], self.figure_sets[b], None if math.isnan(apart) else apart,
        )

    def scores(self, pairs: np.ndarray) -> list[Score]:
        """:meth:`score` of every row pair, counted in one compiled pass."""
        hours = np.abs(self.published_hours[pairs[:, 0]] - self.published_hours[pairs[:, 1]])
        return pair_scores(pairs, self.shingle_sets, self.own_sets, self.figure_sets, hours)


# Articles per task for the worker processes.
_PREPARE_CHUNK = 2000


def _prepare_chunk(config: DedupConfig, articles: list[Article]) -> list[Prepared | Rejection]:
    """:meth:`Deduplicator.prepare` of a chunk (runs in a worker process)."""
    dedup = Deduplicator(config)
    return [dedup.prepare(a) for a in articles]


def _cores() -> int:
    """Cores to use for large inputs: two at most (the results never depend on it)."""
    return min(2, os.cpu_count() or 1)


def _lsh_workers(rows: int) -> int:
    """Threads for LSH: two cores pay from about 50,000 rows (the result is the same)."""
    return _cores() if rows >= 50_000 else 1


def cluster_id_for(canonical_id: str) -> str:
    """Stable cluster id: ``c`` + 16 hex digits of xxh3-64 of the canonical's id."""
    return "c" + xxhash.xxh3_64_hexdigest(canonical_id.encode("utf-8"))


class Deduplicator:
    """Finds copies in a batch of articles.

    Args:
        config: The configuration; defaults to :class:`DedupConfig` defaults.

    Example:
        >>> Deduplicator().run([]).stats["articles"]
        0
    """

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config if config is not None else DedupConfig()

    def prepare(self, article: Article) -> Prepared | Rejection:
        """Clean, normalise and shingle one article, or say why it cannot be used."""
        cfg = self.config
        if not article.text.strip():
            return Rejection(article.id, "empty text (nothing but whitespace)", article.origin)
        repaired = repair(article.text, fix_mojibake=cfg.normalize.fix_mojibake)
        cleaned = clean(repaired) if cfg.clean.enabled else passthrough(repaired)
        if cleaned.body_words == 0:
            if cleaned.total_words == 0:
                return Rejection(article.id, "no words in the text (only symbols or punctuation)", article.origin)
            kinds = Counter(r.kind for r in cleaned.removed)
            listing = ", ".join(f"{kind} x{count}" for kind, count in sorted(kinds.items()))
            return Rejection(
                article.id,
                f"no article text left after removing page junk ({listing}); "
                f"run with clean disabled to keep it as it is",
                article.origin,
            )
        sets = body_shingles(
            cleaned.body, cfg.shingle.size, casefold=cfg.normalize.casefold, lede=cfg.lsh.lede_shingles
        )
        if sets.shingles.size == 0:
            return Rejection(article.id, "no words in the text (only symbols or punctuation)", article.origin)
        return Prepared(article, cleaned, sets.shingles, sets.own, sets.lede, body_figures(cleaned.body))

    def run(self, articles: Iterable[Article | Rejection]) -> Result:
        """Deduplicate a batch.

        Args:
            articles: Articles, and rejections from a reader (passed through to the result).

        Returns:
            Clusters with canonicals and reasons, singletons and rejections.
        """
        batch = self.prepare_batch(articles)
        return self.finish(batch, self.find_candidates(batch))

    def prepare_batch(self, articles: Iterable[Article | Rejection], workers: int | None = None) -> Batch:
        """Stage 1: read through the articles, reject the unusable ones, clean and shingle the rest.

        Args:
            articles: Articles and reader rejections.
            workers: Processes that prepare articles; None picks two cores for inputs
                of more than one chunk. The result is the same for any number.
        """
        started = time.perf_counter()
        rejected: list[Rejection] = []
        prepared: list[Prepared] = []
        first_seen: dict[str, str] = {}

        def usable() -> Iterator[Article]:
            for item in articles:
                if isinstance(item, Rejection):
                    rejected.append(item)
                    continue
                if item.id in first_seen:
                    where = first_seen[item.id] or "an earlier record"
                    rejected.append(
                        Rejection(item.id, f"duplicate id: already used by {where}; ids must be unique", item.origin)
                    )
                    continue
                first_seen[item.id] = item.origin or ""
                yield item

        for outcome in self._prepare_all(usable(), workers):
            if isinstance(outcome, Rejection):
                rejected.append(outcome)
            else:
                prepared.append(outcome)
        batch = Batch(prepared, rejected)
        batch.seconds["prepare"] = time.perf_counter() - started
        batch.counters["articles_in"] = len(prepared) + len(rejected)
        batch.counters["shingles"] = int(sum(p.shingles.size for p in prepared))
        return batch

    def _prepare_all(self, articles: Iterator[Article], workers: int | None) -> Iterator[Prepared | Rejection]:
        """:meth:`prepare` of every article, in input order; chunks go to worker
        processes when there is more than one chunk and more than one worker."""
        first = list(itertools.islice(articles, _PREPARE_CHUNK))
        workers = _cores() if workers is None else workers
        if workers <= 1 or len(first) < _PREPARE_CHUNK:
            yield from (self.prepare(a) for a in itertools.chain(first, articles))
            return
        chunks = itertools.chain([first], iter(lambda: list(itertools.islice(articles, _PREPARE_CHUNK)), []))
        with ProcessPoolExecutor(workers) as pool:
            in_flight: deque[Future[list[Prepared | Rejection]]] = deque()
            for chunk in chunks:
                in_flight.append(pool.submit(_prepare_chunk, self.config, chunk))
                if len(in_flight) > 2 * workers:  # bounded: a few chunks read ahead
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()

    def find_candidates(self, batch: Batch) -> np.ndarray:
        """Stages 2-3: MinHash signatures and LSH; returns candidate row pairs ``int64[m, 2]``."""
        cfg = self.config
        t = time.perf_counter()
        matrix = signatures([p.shingles for p in batch.prepared], cfg.minhash.num_perm, cfg.minhash.seed)
        batch.seconds["minhash"] = time.perf_counter() - t

        t = time.perf_counter()
        bands, rows = cfg.lsh_params()
        workers = _lsh_workers(matrix.shape[0])
        candidates = candidate_pairs(matrix, bands, rows, cfg.lsh.max_bucket, order=batch.id_rank, workers=workers)
        found = [candidates.pairs]
        oversized, largest = candidates.oversized_buckets, candidates.largest_bucket
        if cfg.lsh.lede_shingles:
            lede_matrix = signatures([p.lede for p in batch.prepared], cfg.lsh.lede_perm, cfg.minhash.seed)
            lede = candidate_pairs(
                lede_matrix, cfg.lsh.lede_perm // cfg.lsh.lede_rows, cfg.lsh.lede_rows, cfg.lsh.max_bucket,
                order=batch.id_rank, workers=workers,
            )
            found.append(lede.pairs)
            oversized += lede.oversized_buckets
            largest = max(largest, lede.largest_bucket)
            batch.counters["lede_candidates"] = int(lede.pairs.shape[0])
        pairs = np.unique(np.concatenate(found), axis=0) if len(found) > 1 else found[0]
        batch.seconds["lsh"] = time.perf_counter() - t
        batch.counters.update(
            lsh_bands=bands,
            lsh_rows=rows,
            candidates=int(pairs.shape[0]),
            oversized_buckets=oversized,
            largest_bucket=largest,
        )
        return pairs

    def finish(self, batch: Batch, pairs: np.ndarray) -> Result:
        """Stages 4-6: verify candidate pairs, cluster without chaining, elect canonicals.

        ``batch`` is not changed, so one prepared batch can be finished under several
        verify/cluster/canonical settings (as ``dedup eval --calibrate`` does).
        """
        cfg = self.config
        timings = dict(batch.seconds)
        counters = dict(batch.counters)
        prepared = batch.prepared

        t = time.perf_counter()
        rule = cfg.verify.rule
        edges = verify_pairs(pairs, batch.scores(pairs), rule)
        copy_edges = edges.copies()
        timings["verify"] = time.perf_counter() - t
        counters["verified_copies"] = int(copy_edges.shape[0])

        t = time.perf_counter()
        facts = [
            canon.ArticleFacts(p.article.id, p.cleaned.body_words, p.article.published, p.cleaned.boilerplate_share)
            for p in prepared
        ]
        policy = cfg.canonical.policy
        rank = np.array(canon.policy_rank(facts, policy), dtype=np.int64)
        direct_checks = 0

        def is_copy(a: int, b: int) -> bool:
            nonlocal direct_checks
            direct_checks += 1
            return batch.score(a, b).relation_code(*rule) != 0

        groups = star_clusters(len(prepared), copy_edges, rank, is_copy, cfg.cluster.verify_component_limit)
        clusters = [self._cluster(members, batch, facts, policy, rule) for _, members in groups]
        clusters.sort(key=lambda c: c.canonical)
        timings["cluster"] = time.perf_counter() - t
        counters["direct_checks"] = direct_checks

        clustered = {m.id for c in clusters for m in c.members}
        singletons = tuple(sorted(p.article.id for p in prepared if p.article.id not in clustered))
        removed = {p.article.id: p.cleaned.removed for p in prepared if p.cleaned.removed}
        timings["total"] = sum(timings.values())
        return Result(
            clusters=tuple(clusters),
            singletons=singletons,
            rejected=tuple(sorted(batch.rejected, key=lambda r: (r.id, r.origin or ""))),
            removed=removed,
            stage_seconds=timings,
            counters=counters,
        )

    def _cluster(
        self,
        rows: list[int],
        batch: Batch,
        facts: list[canon.ArticleFacts],
        policy: tuple[str, ...],
        rule: tuple[float, int, int, int, float],
    ) -> Cluster:
        head, reason = canon.elect(rows, facts, policy)
        prepared = batch.prepared
        members = [Member(prepared[head].article.id, 1.0, 1.0, 1.0, "canonical", 1.0)]
        for row in sorted((r for r in rows if r != head), key=lambda r: prepared[r].article.id):
            s = batch.score(row, head)
            code = s.relation_code(*rule)
            members.append(
                Member(
                    id=prepared[row].article.id,
                    jaccard=round(s.jaccard, 4),
                    containment=round(s.containment_a, 4),
                    canonical_containment=round(s.containment_b, 4),
                    relation=RELATIONS[code],
                    own_containment=round(s.own_containment_a, 4),
                )
            )
        canonical_id = prepared[head].article.id
        return Cluster(cluster_id_for(canonical_id), canonical_id, reason, tuple(members))


def text_signatures(texts: Sequence[str], size: int, num_perm: int, seed: int) -> np.ndarray:
    """Signatures straight from raw article texts (normalisation included, no cleaning).

    The compiled kernel (:mod:`dedup._kernels`) does it in one pass when numba is
    present; ASCII texts without HTML entities skip the Python normalisation, since
    for them it changes no word but its case, which the kernel folds. Without numba
    the reference path (:func:`dedup.text.normalize.normalize`,
    :func:`dedup.shingle.shingles`, :func:`signatures`) gives the same bits.

    Args:
        texts: Raw texts.
        size: Words per shingle.
        num_perm: Permutations per signature.
        seed: Permutation seed.

    Returns:
        ``uint32[len(texts), num_perm]``.

    Example:
        >>> text_signatures(["The mayor opened the bridge"], 5, 4, 1).shape
        (1, 4)
    """
    if not _kernels.AVAILABLE:
        return signatures([shingles(normalize(t), size) for t in texts], num_perm, seed)
    a, b = permutations(num_perm, seed)
    ready = [t if not needs_repair(t) else normalize(t) for t in texts]
    return _kernels.text_signatures(ready, size, a, b)


def deduplicate(articles: Iterable[Article | Rejection], config: DedupConfig | None = None, **options: Any) -> Result:
    """Deduplicate a batch of articles in one call.

    Args:
        articles: Articles (and reader rejections, passed through).
        config: A full configuration; ``options`` are applied on top of it.
        **options: Flat options such as ``threshold=0.6`` or ``shingle_size=4``
            (see :meth:`DedupConfig.with_options`).

    Returns:
        The :class:`Result`.

    Example:
        >>> from dedup import Article
        >>> deduplicate([Article("x", "only one article here")]).singletons
        ('x',)
    """
    base = config if config is not None else DedupConfig()
    return Deduplicator(base.with_options(**options) if options else base).run(articles)


__all__ = ["Deduplicator", "cluster_id_for", "deduplicate"]
