"""The batch pipeline: articles in, :class:`Result` out.

Stages, each timed and counted: prepare (repair, clean, normalise, shingle) ->
minhash -> lsh -> verify -> cluster (with canonical election).

Memory stays bounded on large inputs: the first pass (in two worker processes from
one chunk of articles up) keeps per article only its facts, the junk removed and its
signatures, never its text or shingles. When the input can be read again (a list,
:class:`dedup.io.readers.ArticleFiles`), the articles in candidate pairs are read and
prepared a second time for verification; a one-shot iterator, or an input of less
than one chunk, keeps its shingle sets from the first pass instead. Same result
either way. An input that can pick items by position (:class:`dedup.models.Pickable`,
as ``ArticleFiles`` can) is asked for only the articles wanted, and parses only those.

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

import functools
import itertools
import math
import os
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import xxhash

from dedup import _kernels, beginnings
from dedup import canonical as canon
from dedup.cluster import group_rows
from dedup.config import DedupConfig
from dedup.dates import epoch_hours, iso_utc
from dedup.errors import InputError
from dedup.families import Links, story_families
from dedup.heading import heading
from dedup.lsh import candidate_pairs
from dedup.memory import release_freed_memory
from dedup.minhash import permutations, signatures
from dedup.models import Article, Cluster, Member, Pickable, Rejection, Removed, Result
from dedup.shingle import EMPTY, body_figures, body_passages, body_shingles, shingles
from dedup.text.clean import CleanedText, clean, passthrough
from dedup.text.normalize import needs_repair, normalize, repair
from dedup.text.template import BlockTables, block_tables, learn, without_template
from dedup.verify import (
    NONE,
    CopyRule,
    OwnSets,
    PackedSets,
    Score,
    pair_scores,
    score,
    verify_pairs,
)
from dedup.workers import ordered_map

R = TypeVar("R")


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
    head: np.ndarray
    """The first shingles in reading order (where the text begins)."""
    lede_passages: np.ndarray = field(default_factory=lambda: EMPTY)
    """Passage keys of the lede (:func:`dedup.shingle.passage_keys`)."""
    passages: np.ndarray | None = None
    """Passage keys of the whole body, when known (:func:`passages_of` finds them)."""

    @property
    def facts(self) -> canon.ArticleFacts:
        """What the canonical policy looks at, and the headline and site reports show."""
        named = heading(self.article, self.cleaned.headlines)
        return canon.ArticleFacts(
            self.article.id, self.cleaned.body_words, self.article.published, self.cleaned.boilerplate_share,
            named.headline, named.site,
        )


@dataclass(frozen=True)
class Sketch:
    """What the first pass keeps of a chunk of articles: per usable row its facts,
    removed junk and signatures, never its text or shingles (unless ``prepared`` is
    kept because the input cannot be read twice)."""

    outcomes: list[int]
    """Per article of the chunk, its row within the chunk, or -1 when rejected."""
    rejected: list[Rejection]
    facts: list[canon.ArticleFacts]
    removed: list[tuple[Removed, ...]]
    signatures: np.ndarray
    lede_signatures: np.ndarray | None
    set_sizes: np.ndarray
    """``int64[rows, 4]``: sizes of each row's shingle, own-words and figure sets and head."""
    lede_passages: PackedSets
    """Per row, the passage keys of its lede (packed: a few keys a row, kept for every row)."""
    minhash_seconds: float
    prepared: list[Prepared] | None
    blocks: BlockTables | None = None
    """The template blocks of each row's body, when the template is still to be learned."""


def _sketch_chunk(
    config: DedupConfig, articles: list[Article], keep_prepared: bool, template: np.ndarray | None = None
) -> Sketch:
    """Prepare a chunk of articles and sketch it (see :class:`Sketch`); runs in a worker
    process when there are several chunks. Without a ``template`` yet (the first pass),
    the blocks of every body are listed for learning one."""
    dedup = Deduplicator(config)
    outcomes: list[int] = []
    rejected: list[Rejection] = []
    prepared: list[Prepared] = []
    for article in articles:
        outcome = dedup.prepare(article, template)
        if isinstance(outcome, Rejection):
            outcomes.append(-1)
            rejected.append(outcome)
        else:
            outcomes.append(len(prepared))
            prepared.append(outcome)
    started = time.perf_counter()
    matrix = signatures([p.shingles for p in prepared], config.minhash.num_perm, config.minhash.seed)
    lede = (
        signatures([p.lede for p in prepared], config.lsh.lede_perm, config.minhash.seed) if config.lsh.lede_shingles else None
    )
    return Sketch(
        outcomes=outcomes,
        rejected=rejected,
        facts=[p.facts for p in prepared],
        removed=[removed_junk(p) for p in prepared],
        signatures=matrix,
        lede_signatures=lede,
        set_sizes=np.array(
            [(p.shingles.size, p.own.size, p.figures.size, p.head.size) for p in prepared], dtype=np.int64
        ).reshape(-1, 4),
        lede_passages=PackedSets([p.lede_passages for p in prepared]),
        minhash_seconds=time.perf_counter() - started,
        prepared=prepared if keep_prepared else None,
        blocks=block_tables([p.cleaned.body for p in prepared])
        if template is None and config.clean.learn_template else None,
    )


def removed_junk(prepared: Prepared) -> tuple[Removed, ...]:
    """What was removed from an article: its HTML page chrome, then the cleaner's junk."""
    chrome = tuple(Removed(block, "page chrome") for block in prepared.article.chrome)
    return chrome + prepared.cleaned.removed if chrome else prepared.cleaned.removed


Sets = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""An article's shingle, own-words and figure sets and its head."""


def _sets_chunk(config: DedupConfig, articles: list[Article], template: np.ndarray) -> list[Sets | None]:
    """The sets of each article of a chunk (None when it is rejected), in a worker process."""
    dedup = Deduplicator(config)
    outcomes = (dedup.prepare(a, template) for a in articles)
    return [(p.shingles, p.own, p.figures, p.head) if isinstance(p, Prepared) else None for p in outcomes]


def passages_of(prepared: Prepared, casefold: bool) -> np.ndarray:
    """The passage keys of a prepared article's whole body (:func:`dedup.shingle.body_passages`)."""
    return prepared.passages if prepared.passages is not None else body_passages(prepared.cleaned.body, casefold)


def _passages_chunk(config: DedupConfig, articles: list[Article], template: np.ndarray) -> list[np.ndarray | None]:
    """The passage keys of each article of a chunk (None when it is rejected), in a worker process."""
    dedup = Deduplicator(config)
    outcomes = (dedup.prepare(a, template) for a in articles)
    casefold = config.normalize.casefold
    return [passages_of(p, casefold) if isinstance(p, Prepared) else None for p in outcomes]


def _in_order(
    task: Callable[..., R], config: DedupConfig, chunks: Iterable[list[Article]], workers: int, *args: Any
) -> Iterator[R]:
    """``task(config, chunk, *args)`` of every chunk, in input order; in worker processes
    when there is more than one chunk and more than one worker, a few chunks ahead."""
    chunks = iter(chunks)
    first = next(chunks, None)
    second = next(chunks, None)
    ahead = [c for c in (first, second) if c is not None]
    if workers <= 1 or second is None:
        yield from (task(config, chunk, *args) for chunk in itertools.chain(ahead, chunks))
        return
    yield from ordered_map(_ChunkTask(task, config, args), itertools.chain(ahead, chunks), workers)


@dataclass(frozen=True)
class _ChunkTask:
    """``task(config, chunk, *args)`` as a picklable one-argument callable for the workers."""

    task: Callable[..., Any]
    config: DedupConfig
    args: tuple[Any, ...]

    def __call__(self, chunk: list[Article]) -> Any:
        return self.task(self.config, chunk, *self.args)


def sketch_chunks(config: DedupConfig, chunks: Iterable[list[Article]], workers: int) -> Iterator[Sketch]:
    """Prepare and sketch chunks of articles, keeping their sets, in input order: in
    worker processes when ``workers`` > 1, else one chunk at a time as it arrives (a
    trickling stream gets each chunk's result before the next chunk is read)."""
    if workers > 1:
        yield from _in_order(_sketch_chunk, config, chunks, workers, True)
    else:
        yield from (_sketch_chunk(config, chunk, True) for chunk in chunks)


class Batch:
    """A batch after the first pass: per usable row its facts, signatures and set
    sizes, plus the rejections. Shingle sets are loaded only for the rows that need
    verifying (:meth:`load_sets`): kept from the first pass for small or one-shot
    inputs, read and prepared again from a re-iterable input otherwise.

    Row ``i`` of every array is the ``i``-th usable article in input order.
    """

    def __init__(
        self,
        facts: list[canon.ArticleFacts],
        removed: dict[str, tuple[Removed, ...]],
        matrix: np.ndarray,
        lede_matrix: np.ndarray | None,
        rejected: list[Rejection],
        set_sizes: np.ndarray,
        prepared: list[Prepared] | None,
        reread: Callable[[np.ndarray, Any], Iterator[tuple[int, Any]]] | None = None,
        lede_passages: PackedSets | None = None,
    ) -> None:
        self.facts = facts
        self.ids = [f.id for f in facts]
        self.removed = removed
        self.signatures: np.ndarray | None = matrix
        self.lede_signatures = lede_matrix
        self.rejected = rejected
        self.set_sizes = set_sizes
        self.lede_passages = lede_passages if lede_passages is not None else PackedSets([EMPTY] * len(facts))
        """Per row, the passage keys of its lede (every row: any row's beginning may be held)."""
        self.prepared = prepared
        self._reread = reread
        self.template = np.empty(0, dtype=np.uint64)
        """Keys of the template blocks learned from the batch (:mod:`dedup.text.template`)."""
        self.published_hours = np.array([epoch_hours(f.published) for f in facts], dtype=np.float64)
        # Rank of each row by id: orders rows inside oversized LSH buckets.
        self.id_rank = np.argsort(np.argsort(np.array(self.ids, dtype=object), kind="stable"), kind="stable")
        self.seconds: dict[str, float] = {}
        self.counters: dict[str, int] = {}
        if prepared is not None:
            self.shingle_sets = PackedSets([p.shingles for p in prepared])
            self.own_sets = OwnSets(self.shingle_sets, [p.own for p in prepared])
            self.figure_sets = PackedSets([p.figures for p in prepared])
            self.heads = PackedSets([p.head for p in prepared])
            self.loaded = np.ones(len(facts), dtype=bool)
        else:
            self.shingle_sets = self.figure_sets = self.heads = PackedSets([EMPTY] * len(facts))
            self.own_sets = OwnSets(self.shingle_sets)
            self.loaded = np.zeros(len(facts), dtype=bool)

    def __len__(self) -> int:
        return len(self.facts)

    def release_signatures(self) -> None:
        """Free the signature matrices once the candidates are found."""
        self.signatures = self.lede_signatures = None

    def load_sets(self, rows: np.ndarray) -> None:
        """Make the shingle, own-words and figure sets of ``rows`` available: kept from
        the first pass, or read and prepared again from a re-iterable input (packed
        straight into arrays sized from the first pass)."""
        rows = np.unique(rows)
        missing = rows[~self.loaded[rows]]
        if missing.size == 0:
            return
        if self._reread is None:
            raise RuntimeError("shingle sets were not kept and the input cannot be read again")
        started = time.perf_counter()
        wanted = self.loaded.copy()
        wanted[missing] = True
        sizes = np.where(wanted[:, None], self.set_sizes, 0)
        whole = self.set_sizes[:, 1] == self.set_sizes[:, 0]  # own words are all the shingles
        shingles = PackedSets.allocate(sizes[:, 0])
        own = OwnSets.allocate(shingles, whole, np.where(whole, 0, sizes[:, 1]))
        packed: tuple[Any, ...] = (  # each has put()
            shingles, own, PackedSets.allocate(sizes[:, 2]), PackedSets.allocate(sizes[:, 3])
        )
        old: tuple[Any, ...] = (self.shingle_sets, self.own_sets, self.figure_sets, self.heads)
        for row in np.flatnonzero(self.loaded).tolist():
            for new, before in zip(packed, old):
                new.put(row, before[row])
        for row, sets in self._reread(missing, _sets_chunk):
            if not all(new.put(row, values) for new, values in zip(packed, sets)):
                raise InputError(
                    f"the input changed while it was read twice: {self.ids[row]!r} has other text now"
                )
        self.shingle_sets, self.own_sets, self.figure_sets, self.heads = packed
        self.loaded = wanted
        self.seconds["reread"] = self.seconds.get("reread", 0.0) + time.perf_counter() - started

    def passages(self, rows: np.ndarray, casefold: bool = True) -> dict[int, np.ndarray]:
        """The passage keys of the whole body of each of ``rows``: from the kept articles,
        or read and prepared again (only the holders of a copy need them)."""
        rows = np.unique(rows)
        if self.prepared is not None:
            return {r: passages_of(self.prepared[r], casefold) for r in rows.tolist()}
        if self._reread is None:
            raise RuntimeError("the articles were not kept and the input cannot be read again")
        return dict(self._reread(rows, _passages_chunk)) if rows.size else {}

    def score(self, a: int, b: int) -> Score:
        """Overlap of rows ``a`` and ``b`` (all shingles, own words and figures) and
        the hours between their dates (both rows' sets must be loaded)."""
        apart = abs(float(self.published_hours[a] - self.published_hours[b]))
        return score(
            self.shingle_sets[a], self.shingle_sets[b], self.own_sets[a], self.own_sets[b],
            self.figure_sets[a], self.figure_sets[b], None if math.isnan(apart) else apart,
        )

    def scores(self, pairs: np.ndarray) -> list[Score]:
        """:meth:`score` of every row pair, counted in one compiled pass."""
        hours = np.abs(self.published_hours[pairs[:, 0]] - self.published_hours[pairs[:, 1]])
        return pair_scores(pairs, self.shingle_sets, self.own_sets, self.figure_sets, hours)


# Articles per task for the worker processes, and the input size from which the
# first pass keeps only signatures and the second reads candidates again.
_PREPARE_CHUNK = 2000


@dataclass
class _FirstPass:
    """What the first pass keeps, row-aligned (``row_of``: per usable article, its row or
    -1; ``item_of``: per usable article, its position among the input's items, when the
    input can pick items by position)."""

    facts: list[canon.ArticleFacts]
    removed: dict[str, tuple[Removed, ...]]
    matrix: np.ndarray
    lede: np.ndarray | None
    set_sizes: np.ndarray
    prepared: list[Prepared] | None
    rejected: list[Rejection]
    row_of: np.ndarray
    item_of: np.ndarray | None
    lede_passages: PackedSets


def _picked(
    articles: Iterable[Article | Rejection], row_of: np.ndarray, item_of: np.ndarray | None,
    facts: list[canon.ArticleFacts], rows: np.ndarray, picked_rows: list[int],
) -> Iterator[Article]:
    """Read the input again and yield the articles of ``rows`` in input order, appending
    each one's row to ``picked_rows``: only those items when the input can pick them
    (``item_of`` known), else all of it. Fails when the input changed since the first pass."""
    wanted = np.zeros(len(facts), dtype=bool)
    wanted[rows] = True
    found: Iterable[tuple[int, Article | Rejection]]  # (usable position, item)
    if item_of is not None and isinstance(articles, Pickable):
        usable = np.flatnonzero((row_of >= 0) & wanted[np.maximum(row_of, 0)])
        usable_at = dict(zip(item_of[usable].tolist(), usable.tolist()))
        found = ((usable_at[item], article) for item, article in articles.pick(item_of[usable]))
    else:
        found = enumerate(_usable(articles, []))
    count = 0
    for position, article in found:
        row = int(row_of[position]) if position < row_of.size else -1
        if row >= 0 and wanted[row]:
            if not isinstance(article, Article) or article.id != facts[row].id:
                now = f"rejected ({article.reason})" if isinstance(article, Rejection) else repr(article.id)
                raise InputError(
                    f"the input changed while it was read twice: article {position + 1} is now "
                    f"{now}, was {facts[row].id!r}; pass a list or files that stay the same"
                )
            picked_rows.append(row)
            count += 1
            yield article
    if count < int(wanted.sum()):
        raise InputError("the input changed while it was read twice: it has fewer articles now")


def _cores() -> int:
    """Cores to use for large inputs: two at most (the results never depend on it)."""
    return min(2, os.cpu_count() or 1)


def _lsh_workers(rows: int) -> int:
    """Threads for LSH: two cores pay from about 50,000 rows (the result is the same)."""
    return _cores() if rows >= 50_000 else 1


def _usable(
    items: Iterable[Article | Rejection], rejected: list[Rejection], positions: array[int] | None = None
) -> Iterator[Article]:
    """The articles of ``items``; reader rejections and repeated ids go to ``rejected``
    (the first record with an id is kept), and each article's position among the items
    to ``positions``, if given."""
    first_seen: dict[str, str] = {}
    for position, item in enumerate(items):
        if isinstance(item, Rejection):
            rejected.append(item)
            continue
        if item.id in first_seen:
            where = first_seen[item.id] or "an earlier record"
            rejected.append(Rejection(item.id, f"duplicate id: already used by {where}; ids must be unique", item.origin))
            continue
        first_seen[item.id] = item.origin or ""
        if positions is not None:
            positions.append(position)
        yield item


def _chunks(items: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _stack(matrices: Sequence[np.ndarray | None], width: int) -> np.ndarray:
    present = [m for m in matrices if m is not None]
    return np.concatenate(present) if present else np.empty((0, width), dtype=np.uint32)


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

    def prepare(self, article: Article, template: np.ndarray | None = None) -> Prepared | Rejection:
        """Clean, normalise and shingle one article, or say why it cannot be used.

        ``template``: sorted keys of the corpus's template blocks (:mod:`dedup.text.template`),
        left out of the body."""
        cfg = self.config
        if len(article.text) > cfg.clean.max_chars:
            return Rejection(
                article.id,
                f"text of {len(article.text):,} characters, over clean.max_chars ({cfg.clean.max_chars:,}); "
                "no news article is this long (raise the limit if it really is one)",
                article.origin,
            )
        if not article.text.strip():
            return Rejection(article.id, "empty text (nothing but whitespace)", article.origin)
        repaired = repair(article.text, fix_mojibake=cfg.normalize.fix_mojibake)
        cleaned = clean(repaired) if cfg.clean.enabled else passthrough(repaired)
        return self.prepare_cleaned(article, cleaned, template)

    def prepare_cleaned(
        self, article: Article, cleaned: CleanedText, template: np.ndarray | None = None
    ) -> Prepared | Rejection:
        """:meth:`prepare` from the cleaned text on (the index prepares a stored body
        again when the template it learned changes)."""
        cfg = self.config
        if template is not None and template.size:
            cleaned = without_template(cleaned, template)
        if cleaned.body_words == 0:
            if cleaned.total_words == 0:
                return Rejection(article.id, "no words in the text (only symbols or punctuation)", article.origin)
            kinds = Counter(r.kind for r in cleaned.removed)
            listing = ", ".join(f"{kind} x{count}" for kind, count in sorted(kinds.items()))
            if "template" in kinds:
                return Rejection(
                    article.id,
                    f"nothing left but site template text, found on unrelated pages of the corpus ({listing}); "
                    "turn learn_template off to keep it as it is",
                    article.origin,
                )
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
        return Prepared(
            article, cleaned, sets.shingles, sets.own, sets.lede, body_figures(cleaned.body), sets.head,
            sets.lede_passages,
        )

    def run(self, articles: Iterable[Article | Rejection]) -> Result:
        """Deduplicate a batch.

        Args:
            articles: Articles, and rejections from a reader (passed through to the
                result). A list, or any input that can be iterated twice (such as
                :class:`dedup.io.readers.ArticleFiles`), keeps memory bounded on large
                inputs: only signatures are held, and the articles in candidate pairs
                are read again. A one-shot iterator keeps every prepared article.

        Returns:
            Clusters with canonicals and reasons, singletons and rejections.
        """
        batch = self.prepare_batch(articles)
        pairs = self.find_candidates(batch)
        batch.release_signatures()  # the second pass holds shingle sets instead
        return self.finish(batch, pairs)

    def prepare_batch(self, articles: Iterable[Article | Rejection], workers: int | None = None) -> Batch:
        """Stage 1 (first pass): reject the unusable articles, clean, shingle and sketch
        the rest (MinHash signatures included).

        Args:
            articles: Articles and reader rejections.
            workers: Processes that prepare articles; None picks two cores for inputs
                of more than one chunk. The result is the same for any number.
        """
        started = time.perf_counter()
        rereadable = iter(articles) is not articles  # asked before reading: an iterator is its own iter()
        rejected: list[Rejection] = []
        items = array("q") if isinstance(articles, Pickable) else None  # per usable article: its item position
        chunks = _chunks(_usable(articles, rejected, items), _PREPARE_CHUNK)
        first = next(chunks, [])
        # Small inputs, and inputs that cannot be read twice, keep their shingle sets.
        keep = len(first) < _PREPARE_CHUNK or not rereadable
        workers = _cores() if workers is None else workers
        chunks = itertools.chain([first], chunks)

        positions: list[int] = []  # per usable article: its row, or -1
        facts: list[canon.ArticleFacts] = []
        removed: dict[str, tuple[Removed, ...]] = {}
        matrices: list[np.ndarray] = []
        ledes: list[np.ndarray | None] = []
        sizes: list[np.ndarray] = []
        lede_passages: list[PackedSets] = []
        prepared: list[Prepared] = []
        tables: list[BlockTables] = []
        minhash_seconds = 0.0
        for sketch in _in_order(_sketch_chunk, self.config, chunks, workers, keep):
            if sketch.blocks is not None:
                tables.append(sketch.blocks)
            positions.extend(-1 if row < 0 else len(facts) + row for row in sketch.outcomes)
            rejected.extend(sketch.rejected)
            removed.update((f.id, r) for f, r in zip(sketch.facts, sketch.removed) if r)
            facts.extend(sketch.facts)
            matrices.append(sketch.signatures)
            ledes.append(sketch.lede_signatures)
            sizes.append(sketch.set_sizes)
            lede_passages.append(sketch.lede_passages)
            prepared.extend(sketch.prepared or [])
            minhash_seconds += sketch.minhash_seconds
        cfg = self.config
        matrix = _stack(matrices, cfg.minhash.num_perm)
        del matrices
        lede = _stack(ledes, cfg.lsh.lede_perm) if cfg.lsh.lede_shingles else None
        set_sizes = np.concatenate(sizes) if sizes else np.empty((0, 4), dtype=np.int64)
        row_of = np.array(positions, dtype=np.int64)
        del positions
        item_of = None if items is None else np.frombuffer(items, dtype=np.int64)
        sketched = _FirstPass(
            facts, removed, matrix, lede, set_sizes, prepared if keep else None, rejected, row_of, item_of,
            PackedSets.join(lede_passages),
        )
        template = np.empty(0, dtype=np.uint64)
        template_seconds = 0.0
        if cfg.clean.learn_template:
            t = time.perf_counter()
            packed = BlockTables.join(tables)
            del tables
            template = learn(packed, [f.id.encode("utf-8") for f in facts])
            rows = packed.holding(template)
            del packed
            release_freed_memory()  # the chunks' arrays and the block tables, before reading again
            if rows.size:
                sketched = self._without_template(sketched, articles, rows, template, workers)
            template_seconds = time.perf_counter() - t
        facts, removed, matrix, lede, set_sizes, row_of = (
            sketched.facts, sketched.removed, sketched.matrix, sketched.lede, sketched.set_sizes, sketched.row_of
        )
        reread = None if keep else functools.partial(
            self._reread, articles, row_of, sketched.item_of, facts, workers, template
        )
        batch = Batch(
            facts, removed, matrix, lede, rejected, set_sizes, sketched.prepared, reread,
            sketched.lede_passages,
        )
        batch.template = template
        batch.seconds["prepare"] = time.perf_counter() - started
        batch.seconds["minhash"] = minhash_seconds
        if cfg.clean.learn_template:
            batch.seconds["template"] = template_seconds
            batch.counters["template_blocks"] = int(template.size)
        batch.counters["articles_in"] = len(facts) + len(rejected)
        batch.counters["shingles"] = int(set_sizes[:, 0].sum())
        return batch

    def _without_template(
        self, first: _FirstPass, articles: Iterable[Article | Rejection], rows: np.ndarray, template: np.ndarray,
        workers: int,
    ) -> _FirstPass:
        """The first pass with the rows that hold template text prepared and sketched
        again without it; rows left with nothing but template text become rejections."""
        if first.prepared is not None:
            picked_rows = rows.tolist()
            chunks = _chunks(iter([first.prepared[r].article for r in picked_rows]), _PREPARE_CHUNK)
        else:
            picked_rows = []
            chunks = _chunks(
                _picked(articles, first.row_of, first.item_of, first.facts, rows, picked_rows), _PREPARE_CHUNK
            )
        keep = first.prepared is not None
        done = 0
        gone = np.zeros(len(first.facts), dtype=bool)
        ledes: dict[int, np.ndarray] = {}  # row -> its lede passage keys now
        for sketch in _in_order(_sketch_chunk, self.config, chunks, workers, keep, template):
            rejections = iter(sketch.rejected)
            for outcome in sketch.outcomes:
                row = picked_rows[done]
                done += 1
                if outcome < 0:
                    gone[row] = True
                    first.rejected.append(next(rejections))
                    first.removed.pop(first.facts[row].id, None)
                    continue
                first.facts[row] = sketch.facts[outcome]
                first.removed[first.facts[row].id] = sketch.removed[outcome]
                first.matrix[row] = sketch.signatures[outcome]
                if first.lede is not None and sketch.lede_signatures is not None:
                    first.lede[row] = sketch.lede_signatures[outcome]
                first.set_sizes[row] = sketch.set_sizes[outcome]
                ledes[row] = sketch.lede_passages[outcome]
                if first.prepared is not None and sketch.prepared is not None:
                    first.prepared[row] = sketch.prepared[outcome]
        stay = ~gone
        if ledes or gone.any():
            first.lede_passages = PackedSets(
                [ledes.get(row, first.lede_passages[row]) for row in np.flatnonzero(stay).tolist()]
            )
        if not gone.any():
            return first
        new_row = np.where(stay, np.cumsum(stay) - 1, -1)
        row_of = np.where(first.row_of >= 0, new_row[np.maximum(first.row_of, 0)], -1)
        return _FirstPass(
            [f for f, s in zip(first.facts, stay.tolist()) if s], first.removed, first.matrix[stay],
            None if first.lede is None else first.lede[stay], first.set_sizes[stay],
            None if first.prepared is None else [p for p, s in zip(first.prepared, stay.tolist()) if s],
            first.rejected, row_of, first.item_of, first.lede_passages,
        )

    def _reread(
        self, articles: Iterable[Article | Rejection], row_of: np.ndarray, item_of: np.ndarray | None,
        facts: list[canon.ArticleFacts], workers: int, template: np.ndarray, rows: np.ndarray,
        task: Callable[[DedupConfig, list[Article], np.ndarray], list[Any]],
    ) -> Iterator[tuple[int, Any]]:
        """Second pass: read the input again and yield what ``task`` makes of each article of
        ``rows`` (its sets, its passage keys)."""
        picked_rows: list[int] = []
        picked = _picked(articles, row_of, item_of, facts, rows, picked_rows)
        results = _in_order(task, self.config, _chunks(picked, _PREPARE_CHUNK), workers, template)
        done = 0
        for outcomes in results:
            for sets in outcomes:
                row = picked_rows[done]
                if sets is None:
                    raise InputError(f"the input changed while it was read twice: {facts[row].id!r} is now rejected")
                yield row, sets
                done += 1

    def find_candidates(self, batch: Batch) -> np.ndarray:
        """Stage 3: LSH over the first pass's signatures; returns candidate row pairs ``int64[m, 2]``."""
        cfg = self.config
        matrix = batch.signatures
        if matrix is None:
            raise RuntimeError("the batch's signatures were released; prepare it again")
        t = time.perf_counter()
        bands, rows = cfg.lsh_params()
        workers = _lsh_workers(matrix.shape[0])
        candidates = candidate_pairs(matrix, bands, rows, cfg.lsh.max_bucket, order=batch.id_rank, workers=workers)
        found = [candidates.pairs]
        oversized, largest = candidates.oversized_buckets, candidates.largest_bucket
        if batch.lede_signatures is not None:
            lede = candidate_pairs(
                batch.lede_signatures, cfg.lsh.lede_perm // cfg.lsh.lede_rows, cfg.lsh.lede_rows, cfg.lsh.max_bucket,
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
        batch.load_sets(pairs.ravel())
        t = time.perf_counter()
        timings = dict(batch.seconds)
        counters = dict(batch.counters)
        rule = cfg.verify.rule
        edges = verify_pairs(pairs, batch.scores(pairs), rule, batch.heads)
        copy_edges = edges.copies()
        timings["verify"] = time.perf_counter() - t
        counters["verified_copies"] = int(copy_edges.shape[0])

        t = time.perf_counter()
        facts = batch.facts
        policy = cfg.canonical.policy
        rank = np.array(canon.policy_rank(facts, policy), dtype=np.int64)
        checks = 0

        def shared(a: int, b: int) -> int:
            nonlocal checks
            checks += 1
            return batch.score(a, b).intersection

        links = Links.of(edges)
        holders, held = held_beginnings(batch, links, cfg.lsh.lede_shingles, cfg.normalize.casefold)
        links = links.with_beginnings(holders, held)
        counters["held_beginnings"] = int(held.size)
        families = story_families(len(batch), links, batch.set_sizes[:, 0], shared, rank, cfg.cluster.rendering_share)
        clusters = [
            build_cluster(members, batch.ids, facts, policy, rule, batch.score)
            for members in group_rows(families.labels)
        ]
        clusters.sort(key=lambda c: c.canonical)
        timings["cluster"] = time.perf_counter() - t
        counters["direct_checks"] = checks
        counters["compilations"] = len(families.compilations)

        clustered = {m.id for c in clusters for m in c.members}
        singletons = tuple(sorted(i for i in batch.ids if i not in clustered))
        contains = contained_ids(families.contains, batch.ids)
        short = batch.set_sizes[:, 0] < cfg.verify.min_shared_shingles
        too_short = tuple(sorted(batch.ids[row] for row in np.flatnonzero(short).tolist()))
        timings["total"] = sum(timings.values())
        return Result(
            clusters=tuple(clusters),
            singletons=singletons,
            rejected=tuple(sorted(batch.rejected, key=lambda r: (r.id, r.origin or ""))),
            removed=dict(batch.removed),
            stage_seconds=timings,
            counters=counters,
            too_short=too_short,
            contains=contains,
        )



def held_beginnings(batch: Batch, links: Links, lede: int, casefold: bool) -> tuple[np.ndarray, np.ndarray]:
    """The (holder, owner) rows where a text that holds another (a possible compilation)
    holds the beginning of a text no copy pair ties it to, and the lede shingles it holds
    (:mod:`dedup.beginnings`)."""
    inside = links.inside
    holders = np.unique(np.concatenate([links.pairs[inside == 1, 1], links.pairs[inside == 2, 0]]))
    if holders.size == 0 or lede <= 0:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int64)
    passages = batch.passages(holders, casefold)
    counts = np.array([passages[h].size for h in holders.tolist()], dtype=np.int64)
    holder_keys = np.concatenate([passages[h] for h in holders.tolist()] + [EMPTY])
    owners = np.repeat(np.arange(len(batch), dtype=np.int64), batch.lede_passages.sizes)
    found = beginnings.candidate_pairs(np.repeat(holders, counts), holder_keys, owners, batch.lede_passages.flat)
    copies = {(a, b) for a, b in links.pairs.tolist()}
    found = np.array(
        [(c, o) for c, o in found.tolist() if (c, o) not in copies and (o, c) not in copies], dtype=np.int64
    ).reshape(-1, 2)
    batch.load_sets(found[:, 1])
    hits = np.array(
        [beginnings.held(batch.shingle_sets[c], batch.heads[o], lede) for c, o in found.tolist()], dtype=np.int64
    ).reshape(-1)
    keep = hits > 0
    return found[keep], hits[keep]


def build_cluster(
    rows: Sequence[int],
    ids: Sequence[str],
    facts: Sequence[canon.ArticleFacts],
    policy: tuple[str, ...],
    rule: CopyRule,
    pair_score: Callable[[int, int], Score],
) -> Cluster:
    """One cluster from its member rows: elect the canonical, score every copy against it.

    Args:
        rows: The member rows (two or more).
        ids: Article id of each row.
        facts: Canonical-policy facts of each row.
        policy: The canonical policy.
        rule: The copy rule (:attr:`dedup.config.VerifyConfig.rule`).
        pair_score: Scores row ``a`` against row ``b``.
    """
    head, reason = canon.elect(rows, facts, policy)
    members = [Member(ids[head], 1.0, 1.0, 1.0, "canonical", 1.0, *_named(facts[head]))]
    for row in sorted((r for r in rows if r != head), key=lambda r: canon.time_order(facts[r])):
        s = pair_score(row, head)
        members.append(
            Member(
                ids[row],
                round(s.jaccard, 4),
                round(s.containment_a, 4),
                round(s.containment_b, 4),
                rule.relation(s) if rule.code(s) != NONE else "version",
                round(s.own_containment_a, 4),
                *_named(facts[row]),
            )
        )
    return Cluster(cluster_id_for(ids[head]), ids[head], reason, tuple(members))


def _named(facts: canon.ArticleFacts) -> tuple[str | None, str | None, str | None]:
    """A member's publication time (ISO-8601, UTC), site and headline, as reports show them."""
    return (None if facts.published is None else iso_utc(facts.published)), facts.site, facts.headline


def contained_ids(pairs: Iterable[tuple[int, int]], ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """``(container, contained)`` row pairs as :attr:`Result.contains`: per container id
    (in id order) the sorted ids it holds."""
    held: dict[str, list[str]] = {}
    for container, contained in pairs:
        held.setdefault(ids[container], []).append(ids[contained])
    return {container: tuple(sorted(held[container])) for container in sorted(held)}


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


__all__ = ["Deduplicator", "cluster_id_for", "contained_ids", "deduplicate", "sketch_chunks"]
