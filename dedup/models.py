"""The objects at the edges of the pipeline: articles in, a result out.

Inside the pipeline stages exchange index-aligned numpy arrays; only these frozen
dataclasses cross the public API.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Article:
    """One input article.

    Args:
        id: Unique identifier (a relative path for files, the ``id`` field for JSONL).
        text: The article text as scraped; page junk is removed by the pipeline.
        title: Headline, if known. Not used for matching: re-headlined copies are copies.
        url: Where the article was found, if known.
        source: Publisher or feed name, if known.
        published: Publication time, if known. Naive datetimes are taken as UTC.
        meta: Any other fields of the input record, passed through untouched.

    Example:
        >>> Article(id="a1", text="Stocks rose on Monday.").id
        'a1'
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: datetime | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    origin: str | None = field(default=None, compare=False, repr=False)
    """Where the record came from, e.g. ``feed.jsonl:12`` (used in messages only)."""
    chrome: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """For an HTML page, the text blocks of the page chrome left out of ``text``
    (menus, share bars, footers); reports show them as removed. Not used for matching."""


@dataclass(frozen=True)
class Rejection:
    """An input record that could not be used, and why.

    Args:
        id: The record's id, or its location (``file:line``) when it has no usable id.
        reason: What is wrong and, where possible, how to fix it.
        origin: Where the record came from (``file:line``), if known.
    """

    id: str
    reason: str
    origin: str | None = None


@runtime_checkable
class Pickable(Protocol):
    """An input that can be read again and hand back only the items at chosen positions
    (indices among all that iterating it yields, articles and rejections alike), as
    :class:`dedup.io.readers.ArticleFiles` does: the batch pipeline reads the articles it
    needs again through :meth:`pick` instead of reading the whole input."""

    def __iter__(self) -> Iterator[Article | Rejection]: ...

    def pick(self, positions: np.ndarray) -> Iterator[tuple[int, Article | Rejection]]:
        """(position, item) of the items at ``positions``, in ascending order; fewer when
        the input holds fewer items now."""
        ...


@dataclass(frozen=True)
class Member:
    """One article of a cluster, scored against the cluster's canonical article.

    Args:
        id: Article id.
        jaccard: Jaccard similarity of the two cleaned shingle sets.
        containment: Fraction of this article's shingles found in the canonical.
        canonical_containment: Fraction of the canonical's shingles found in this article.
        relation: ``canonical`` for the canonical itself, else ``exact``, ``near`` or ``excerpt``.
        own_containment: Fraction of this article's own words (outside quotations) found
            in the canonical.
        published: Publication time in UTC, ISO-8601 (``2024-05-01T07:30:00Z``), if known.
        site: The record's source, else its URL's host, if known (:mod:`dedup.heading`).
        headline: The record's title, else the page's headline line, if found.
    """

    id: str
    jaccard: float
    containment: float
    canonical_containment: float
    relation: str
    own_containment: float = 1.0
    published: str | None = None
    site: str | None = None
    headline: str | None = None


@dataclass(frozen=True)
class Cluster:
    """A group of copies of one underlying text.

    Args:
        cluster_id: Stable id derived from the canonical article's id.
        canonical: Id of the copy to keep.
        reason: Human-readable account of why the canonical was chosen.
        members: Every member, canonical first, then the others in time order
            (publication date, undated last, ties by id).
    """

    cluster_id: str
    canonical: str
    reason: str
    members: tuple[Member, ...]

    @property
    def duplicates(self) -> tuple[Member, ...]:
        """The members other than the canonical."""
        return self.members[1:]


@dataclass(frozen=True)
class Verdict:
    """What an index says about one article: new, a copy of a story it holds, or rejected.

    Args:
        id: The article's id.
        status: ``new`` (the first of its story), ``duplicate`` (a copy of a story
            already in the index) or ``rejected`` (unusable; see ``reason``).
        cluster_id: The story's cluster id, the same for ever, whichever copy is
            canonical (None when rejected).
        canonical_id: The story's canonical article after this one: the article
            itself when it is new or supersedes the old canonical.
        matched: For a duplicate, the canonical it is compared with.
        jaccard: Jaccard similarity with ``matched``.
        containment: Share of this article's shingles found in ``matched``.
        matched_containment: Share of ``matched``'s shingles found in this article.
        relation: ``exact``, ``near`` or ``excerpt`` for a duplicate, ``version`` when it
            is tied to the canonical only through other members of its family.
        supersedes: The old canonical, when this article takes its place under the
            canonical policy (a fuller version arrived).
        reason: Why the canonical is the canonical (duplicates), or why the article
            was rejected.
        stored: Whether the article is now in the index (``add``) or not (``check``,
            rejections).
        merged: Cluster ids of families this article tied to its own: they are part
            of ``cluster_id`` now (the oldest of them survives).

    Example:
        >>> Verdict("a", "new", "c1", "a").keep
        True
    """

    id: str
    status: str
    cluster_id: str | None = None
    canonical_id: str | None = None
    matched: str | None = None
    jaccard: float | None = None
    containment: float | None = None
    matched_containment: float | None = None
    relation: str | None = None
    supersedes: str | None = None
    reason: str | None = None
    stored: bool = False
    merged: tuple[str, ...] = ()

    @property
    def keep(self) -> bool:
        """Whether a pipeline should keep the article: it is new, or the story's new canonical."""
        return self.status == "new" or self.supersedes is not None

    def as_dict(self) -> dict[str, Any]:
        """The verdict as a JSON-ready mapping (what ``dedup index add`` prints)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Removed:
    """A piece of page junk the cleaner removed from an article, with its kind."""

    text: str
    kind: str


@dataclass(frozen=True)
class Result:
    """What one deduplication run found.

    Args:
        clusters: Clusters of two or more copies, ordered by canonical id.
        singletons: Ids of usable articles that are in no cluster, sorted.
        rejected: Records that could not be used, with reasons, sorted by id.
        removed: Per article id, the boilerplate the cleaner removed (for reports).
        stage_seconds: Wall time of each stage, for diagnostics (not part of the JSON).
        counters: Per-stage counts (candidates, verified edges, oversized buckets, ...).
        too_short: Singletons too short to judge (fewer shingles than a copy must share,
            ``verify.min_shared_shingles``): kept, never matched, sorted.
        contains: Per compilation (a live blog, a digest) or other text holding passages
            of other stories, the ids of the texts it holds that were left out of its
            family, sorted; keys in id order. Not cluster membership.

    Example:
        >>> from dedup import deduplicate, Article
        >>> text = "The city council approved the new budget on Tuesday after a long debate."
        >>> r = deduplicate([Article("a", text), Article("b", text)])
        >>> [c.canonical for c in r.clusters]
        ['a']
    """

    clusters: tuple[Cluster, ...]
    singletons: tuple[str, ...]
    rejected: tuple[Rejection, ...]
    removed: Mapping[str, tuple[Removed, ...]] = field(default_factory=dict, repr=False)
    stage_seconds: Mapping[str, float] = field(default_factory=dict, repr=False, compare=False)
    counters: Mapping[str, int] = field(default_factory=dict, repr=False)
    too_short: tuple[str, ...] = ()
    contains: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def stats(self) -> dict[str, int]:
        """Totals: ``articles = singletons + clustered + rejected`` always holds."""
        clustered = sum(len(c.members) for c in self.clusters)
        return {
            "articles": len(self.singletons) + clustered + len(self.rejected),
            "clusters": len(self.clusters),
            "duplicates": clustered - len(self.clusters),
            "rejected": len(self.rejected),
            "singletons": len(self.singletons),
        }

    def cluster_of(self, article_id: str) -> Cluster | None:
        """The cluster an article belongs to, or None for singletons and rejected ids."""
        for cluster in self.clusters:
            if any(m.id == article_id for m in cluster.members):
                return cluster
        return None
