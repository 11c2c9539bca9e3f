"""Story families: verified copy pairs -> every rendering and every version of one text.

A family is a connected component of the copy pairs that tie texts to one story.
Chains are welcome: a site's trimmed rendering that is mostly inside two versions of
a wire story ties those versions. What must not tie anything is a text that merely
*contains* others. Where the shared text sits decides:

* A **truncation** of *h* (teaser, headline and lede, first paragraphs) is inside *h*
  and begins where *h* begins (:func:`dedup.verify.is_truncation`); it is a copy however short.
* An **item** of *c* is a passage inside *c* that is neither a truncation of *c* nor
  part of a larger shared text: *x* is under half of *c*, and no other text that *x*
  is a truncation of (other than a compilation) shares much more with *c* than *x*
  does (``> 1.5 × shared + 5`` shingles). A brief in a live blog, a lede in a digest,
  a snippet on an aggregator page. The older lede inside a newer version is not an
  item: the older version that begins with it shares much more with the newer one.
* A **compilation** holds two items that are not copies of each other (they share
  under 10% of the smaller). Two unrelated texts wholly inside *c* that both begin it
  (within the truncation window) count as such items too: *c* opens with neither
  alone. Once a text is known to be a compilation, the texts it holds are items of its
  other versions too, so compilations are found as a fixpoint.
  A text one of whose sides is inside a compilation, and that is not its item, is a
  version of it: the compilation's items that it holds are its items, whatever their
  size or place (the first print of a live blog, mostly one long brief).
* A digest or an aggregator page quotes only the headline and lede of each story, so
  the stories are not inside it. A text whose beginning *c* holds
  (:mod:`dedup.beginnings`), that no copy pair ties to *c*, and that (with every text
  it is a truncation of) shares little more with *c* than that lede (``<= 1.5 × held + 5``
  shingles) *begins another story* in *c*. Two such texts that are not copies of
  each other, or one beside a lead, make *c* a compilation. One alone does not: a wire
  story that reuses an older story's lede as background is not a digest.
* A compilation ties another compilation only when it is wholly inside it
  (``rendering_share``): a live blog's later print holds the earlier one whole; two
  aggregator pages that list some of the same stories are neighbours.

The family graph drops every inclusion of a text in a compilation and every item
pair; what was dropped is reported as ``contains``, outside family membership.

Example:
    >>> links = Links.build([[0, 1]], [30], [3], [False])
    >>> story_families(3, links, np.array([30, 30, 5]), lambda a, b: 0).labels.tolist()
    [0, 0, 2]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.cluster import connected_components
from dedup.verify import NONE, Edges

BEGINS = 4
"""``Links.inside`` of a pair that is no copy: the first row holds the second's beginning."""
ITEM_SHARE = 0.5
"""An item is under this share of its container's shingles."""
LARGER_SHARE = (1.5, 5)
"""A truncation-home of *x* sharing more than ``1.5 × shared(x, c) + 5`` with *c* makes *x*
part of that larger shared text, not an item of *c*."""
UNRELATED_ITEMS = 0.1
"""Two items sharing under this share of the smaller are different stories."""
SAME_STORY = 0.2
"""Two texts that hold one text are one story when they share at least this share of the
smaller (versions of a wire story share 23-41%; a story and a page of other stories
that quotes its lede, under 10%)."""
ITEMS_COMPARED = 40
"""Items of one container compared pairwise to find two unrelated ones (the first by row)."""
TRUNCATION_SIZE = 0.8
"""A truncation has at most this share of the longer text's shingles."""
TRUNCATION_START = 80
"""Shingles of the shorter text's beginning that are looked for at the start of the longer."""


@dataclass(frozen=True)
class Links:
    """Verified copy pairs, index-aligned arrays.

    Args:
        pairs: ``int64[m, 2]`` row pairs.
        shared: ``int64[m]`` shingles each pair shares.
        inside: ``int8[m]`` bit 1: the first row is in the second; bit 2: the second in the first;
            4 (alone): not a copy pair, the first row holds the second's beginning
            (:mod:`dedup.beginnings`; ``shared`` is then the lede shingles it holds).
        truncation: ``bool[m]`` the contained side begins where the other begins.
    """

    pairs: np.ndarray
    shared: np.ndarray
    inside: np.ndarray
    truncation: np.ndarray

    @classmethod
    def of(cls, edges: Edges) -> Links:
        """The copy pairs of verified ``edges``."""
        copies = edges.relation != NONE
        return cls(edges.pairs[copies], edges.intersection[copies], edges.inside[copies], edges.truncation[copies])

    @classmethod
    def build(
        cls, pairs: Sequence[Sequence[int]] | np.ndarray, shared: Sequence[int] | np.ndarray,
        inside: Sequence[int] | np.ndarray, truncation: Sequence[bool] | np.ndarray,
    ) -> Links:
        return cls(
            np.asarray(pairs, dtype=np.int64).reshape(-1, 2), np.asarray(shared, dtype=np.int64),
            np.asarray(inside, dtype=np.int8), np.asarray(truncation, dtype=bool),
        )

    def with_beginnings(self, pairs: np.ndarray, held: np.ndarray) -> Links:
        """These links and the (holder, owner) ``pairs`` of held beginnings (``held`` lede shingles each)."""
        if pairs.shape[0] == 0:
            return self
        return Links(
            np.concatenate([self.pairs, pairs.astype(np.int64)]), np.concatenate([self.shared, held.astype(np.int64)]),
            np.concatenate([self.inside, np.full(pairs.shape[0], BEGINS, dtype=np.int8)]),
            np.concatenate([self.truncation, np.zeros(pairs.shape[0], dtype=bool)]),
        )


@dataclass(frozen=True)
class Families:
    """The families of a batch.

    Args:
        labels: ``int64[n]`` family of each row: the smallest row of its family.
        compilations: Rows found to be compilations.
        contains: ``(container, contained)`` row pairs left out of the families (a
            compilation and what it holds, a text and its item).
    """

    labels: np.ndarray
    compilations: frozenset[int]
    contains: tuple[tuple[int, int], ...]


def _ambiguous(links: Links, sizes: np.ndarray, rank: np.ndarray, whole: float) -> np.ndarray:
    """Pairs that would chain texts through a text that no other holds most of.

    A text never ``whole`` inside any other is *weakly held*: it is not a rendering
    of anything, only partly shared. It is a leaf: it keeps only the pair to the text
    holding the largest share of it (then the most shingles, then the other's rank),
    and not even that one when that text is itself a leaf hanging on a third."""
    drop = np.zeros(links.pairs.shape[0], dtype=bool)
    best: dict[int, tuple[float, int, int, int]] = {}  # text -> (share, shared, -rank, edge)
    ins: dict[int, list[int]] = {}
    for k, ((a, b), count, inside) in enumerate(zip(links.pairs.tolist(), links.shared.tolist(), links.inside.tolist())):
        for side, x, other in ((1, a, b), (2, b, a)):
            if inside & side:
                ins.setdefault(x, []).append(k)
                key = (count / sizes[x], count, -int(rank[other]), k)
                if x not in best or key > best[x]:
                    best[x] = key
    weak = {x for x, key in best.items() if key[0] < whole}
    target = {}
    for x in weak:
        a, b = links.pairs[best[x][3]].tolist()
        target[x] = b if a == x else a
    for x in weak:
        for k in ins[x]:
            if k != best[x][3]:
                drop[k] = True
        t = target[x]
        if t in weak and target[t] != x:
            drop[best[x][3]] = True  # a leaf does not hang on another leaf
    return drop


def _between_stories(
    links: Links, keep: np.ndarray, sizes: np.ndarray, overlap: Callable[[int, int], int], rank: np.ndarray
) -> np.ndarray:
    """Pairs that would chain two different stories through a text inside both.

    Texts that hold one text are the same story only when they share at least
    ``SAME_STORY`` of the smaller: a teaser inside a story and inside
    an aggregator page whose only matched snippet it is, a caption inside a story and
    a gallery. The held text stays with the group of related containers that holds it
    most often (texts with the same shingles counted once; then with the most shared
    shingles, then the better canonical)."""
    drop = np.zeros(links.pairs.shape[0], dtype=bool)
    held: dict[int, list[tuple[int, int]]] = {}  # text -> [(container, edge)]
    same = (links.inside == 3) & (links.shared == sizes[links.pairs[:, 0]]) & (links.shared == sizes[links.pairs[:, 1]])
    twin = connected_components(sizes.size, links.pairs[same])  # texts with the same shingles: one label
    for k, ((a, b), inside) in enumerate(zip(links.pairs.tolist(), links.inside.tolist())):
        if keep[k] and inside in (1, 2):
            x, c = (a, b) if inside == 1 else (b, a)
            held.setdefault(x, []).append((c, k))
    for x in sorted(held):
        containers = sorted(held[x], key=lambda ck: (int(rank[ck[0]]), ck[0]))
        if len(containers) < 2:
            continue
        groups: list[list[tuple[int, int]]] = []
        for c, k in containers:
            for group in groups:
                first = group[0][0]
                if overlap(first, c) >= SAME_STORY * min(sizes[first], sizes[c]):
                    group.append((c, k))
                    break
            else:
                groups.append([(c, k)])
        if len(groups) < 2:
            continue
        best = max(
            groups,
            key=lambda g: (len({int(twin[c]) for c, _ in g}), sum(int(links.shared[k]) for _, k in g), -int(rank[g[0][0]])),
        )
        for group in groups:
            if group is not best:
                for _, k in group:
                    drop[k] = True
    return drop


def story_families(
    n: int, links: Links, sizes: np.ndarray, shared: Callable[[int, int], int], rank: np.ndarray | None = None,
    whole: float = 0.7,
) -> Families:
    """The families of ``n`` rows from their verified copy pairs.

    Args:
        n: Number of rows.
        links: The copy pairs.
        sizes: ``int64[n]`` shingle set size of each row.
        shared: Shingles two rows share (asked for pairs that need not be among the links).
        rank: ``int64[n]`` the canonical policy order of the rows (0 = best): a weakly held text
            hangs on the better canonical when two hold as much of it.
        whole: :attr:`dedup.config.ClusterConfig.rendering_share`.
    """
    rank = np.arange(n, dtype=np.int64) if rank is None else rank
    cache: dict[tuple[int, int], int] = {}

    def overlap(a: int, b: int) -> int:
        key = (a, b) if a < b else (b, a)
        if key not in cache:
            cache[key] = shared(*key)
        return cache[key]

    inclusions: dict[int, list[tuple[int, int, bool]]] = {}  # container -> [(contained, shared, truncation)]
    homes: dict[int, set[int]] = {}  # text -> texts it is a truncation of
    keep = np.ones(links.pairs.shape[0], dtype=bool)
    edge_of: dict[tuple[int, int], int] = {}
    beginnings: dict[int, list[tuple[int, int]]] = {}  # holder -> [(text whose beginning it holds, held)]
    for k, ((a, b), count, inside, truncation) in enumerate(
        zip(links.pairs.tolist(), links.shared.tolist(), links.inside.tolist(), links.truncation.tolist())
    ):
        if inside & BEGINS:
            beginnings.setdefault(a, []).append((b, count))
            keep[k] = False
            continue
        cache[(min(a, b), max(a, b))] = count
        if inside == 3 or inside == 0:
            continue
        x, c = (a, b) if inside == 1 else (b, a)
        edge_of[(x, c)] = k
        inclusions.setdefault(c, []).append((x, count, truncation))
        if truncation:
            homes.setdefault(x, set()).add(c)

    def passages_of(c: int, compilations: set[int], known: set[int]) -> tuple[list[int], list[int]]:
        """The items of ``c`` (``known`` ones whatever their size or place), and its leads:
        truncations of ``c`` that begin another story (a text they are a truncation of,
        not inside ``c``, that shares nothing else with it), or that are wholly inside
        ``c`` beside another such truncation unrelated to them."""
        items, leads, whole_starts = [], [], []
        for x, count, truncation in inclusions.get(c, []):
            if x in known:
                items.append(x)
                continue
            if sizes[x] >= ITEM_SHARE * sizes[c]:
                continue
            bound = LARGER_SHARE[0] * count + LARGER_SHARE[1]
            others = [h for h in sorted(homes.get(x, ())) if h != c and h not in compilations]
            larger = any(overlap(h, c) > bound for h in others)
            if truncation:
                if any((h, c) not in edge_of and overlap(h, c) <= bound for h in others):
                    leads.append(x)
                if count == sizes[x] and not larger:
                    whole_starts.append(x)
            elif not larger:
                items.append(x)
        if unrelated_pair(sorted(whole_starts)):
            leads += [x for x in whole_starts if x not in leads]
        begun = other_beginnings(c, compilations)
        if begun and unrelated_pair(sorted(set(begun) | set(leads))):
            leads += [s for s in begun if s not in leads]
        return sorted(items), sorted(leads)

    def other_beginnings(c: int, compilations: set[int]) -> list[int]:
        """Texts that begin another story in ``c``: ``c`` holds their beginning, no copy pair
        ties them to it, and neither they nor a text they are a truncation of shares more
        with ``c`` than the larger-text bound; one per group of copies."""
        begun: list[int] = []
        for s, count in sorted(beginnings.get(c, ())):
            if s in compilations or s in linked_any.get(c, ()):
                continue
            bound = LARGER_SHARE[0] * count + LARGER_SHARE[1]
            if any(overlap(h, c) > bound for h in [s, *sorted(homes.get(s, ()))] if h != c):
                continue
            if any(t in linked_any.get(s, ()) for t in begun):
                continue
            begun.append(s)
        return begun

    def unrelated_pair(items: list[int]) -> bool:
        for x, y in itertools.combinations(items[:ITEMS_COMPARED], 2):
            if overlap(x, y) < UNRELATED_ITEMS * min(sizes[x], sizes[y]):
                return True
        return False

    linked: dict[int, set[int]] = {}  # text -> texts one is inside of
    linked_any: dict[int, set[int]] = {}  # text -> texts a copy pair ties it to
    for (a, b), inside in zip(links.pairs.tolist(), links.inside.tolist()):
        if inside & BEGINS:
            continue
        linked_any.setdefault(a, set()).add(b)
        linked_any.setdefault(b, set()).add(a)
        if inside:
            linked.setdefault(a, set()).add(b)
            linked.setdefault(b, set()).add(a)

    def items_of_versions(c: int, compilations: set[int], items: dict[int, list[int]]) -> set[int]:
        """Items of the compilations that ``c`` is a version of (linked, and not their item)."""
        return {x for v in sorted(linked.get(c, ())) if v in compilations and c not in items[v] for x in items[v]}

    compilations: set[int] = set()
    items: dict[int, list[int]] = {}
    while True:
        passages = {c: passages_of(c, compilations, items_of_versions(c, compilations, items)) for c in sorted(inclusions)}
        items = {c: its for c, (its, _) in passages.items()}
        found = {
            c for c, (its, leads) in passages.items() if c not in compilations and unrelated_pair(sorted(its + leads))
        }
        if not found:
            break
        compilations |= found

    contains: set[tuple[int, int]] = set()
    for c, held in inclusions.items():
        for x, count, _ in held:
            partly = x in compilations and count < whole * sizes[x]  # a compilation not wholly inside
            if (c in compilations and (x not in compilations or partly)) or x in items.get(c, ()):
                contains.add((c, x))
                keep[edge_of[(x, c)]] = False
    keep &= ~_between_stories(links, keep, sizes, overlap, rank)
    keep &= ~_ambiguous(links, sizes, rank, whole)
    labels = connected_components(n, links.pairs[keep])
    return Families(labels, frozenset(compilations), tuple(sorted(contains)))


__all__ = ["Families", "Links", "story_families"]
