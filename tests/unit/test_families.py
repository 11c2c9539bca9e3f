"""Story families: versions tied by renderings, compilations that tie nobody, enough evidence."""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np
import pytest

import dedup
from dedup.families import Links, story_families
from dedup.report import render_text
from dedup.verify import is_truncation
from tests.support.prose import ProseMaker


def para(prose: ProseMaker, n: int = 40) -> str:
    return prose.make(n)


def family_of(result: dedup.Result) -> dict[str, str]:
    return {m.id: c.cluster_id for c in result.clusters for m in c.members}


def in_three_orders(articles: list[dedup.Article]) -> Iterator[dedup.Result]:
    """The result of ``articles`` in three shuffled orders (the families never depend on it)."""
    for order in range(3):
        shuffled = list(articles)
        random.Random(order).shuffle(shuffled)
        yield dedup.deduplicate(shuffled)


def together(result: dedup.Result, *ids: str) -> bool:
    families = family_of(result)
    return all(i in families for i in ids) and len({families[i] for i in ids}) == 1


# --- the family stage on its own -------------------------------------------------------------


def test_truncation_is_where_the_shorter_text_begins():
    text = np.arange(200, dtype=np.uint64)
    assert is_truncation(text[:40], 40, text, 200)  # the first paragraphs
    assert not is_truncation(text[100:140], 40, text, 200)  # a passage from the middle
    assert not is_truncation(text[:190], 190, text, 200)  # nearly all of it: a trimmed copy, not a teaser


def test_weakly_held_text_hangs_on_one_family_only():
    # Row 1 is only half inside row 0 and half inside row 2, which share nothing.
    links = Links.build([[1, 0], [1, 2]], [20, 20], [1, 1], [False, False])
    sizes = np.array([60, 40, 60])  # not under half of either: not an item
    families = story_families(3, links, sizes, lambda a, b: 0, rank=np.array([1, 2, 0]))
    assert families.labels[1] == families.labels[2] != families.labels[0]  # row 2 is the better canonical


def test_rendering_mostly_inside_two_versions_ties_them():
    # Row 1 is wholly inside row 0 and mostly inside row 2: a site's rendering of two versions,
    # which share much more with each other than the rendering shares with row 2.
    links = Links.build([[1, 0], [1, 2]], [40, 25], [1, 1], [True, False])
    families = story_families(3, links, np.array([100, 40, 100]), lambda a, b: 50)
    assert len(set(families.labels.tolist())) == 1
    # A passage that nothing else ties to row 2 is an item of it, not a copy.
    alone = story_families(3, links, np.array([100, 40, 100]), lambda a, b: 0)
    assert alone.labels.tolist() == [0, 0, 2] and alone.contains == ((2, 1),)


# --- end to end -------------------------------------------------------------------------------


def test_versions_refiled_through_the_day_are_one_family(prose):
    p = [para(prose) for _ in range(8)]
    new = [para(prose) for _ in range(4)]
    first = "\n\n".join(p[:6])
    # The refiled version has new top paragraphs and a trimmed tail: a third of the first.
    refiled = "\n\n".join(new[:2] + p[2:4] + new[2:])
    rendering = "\n\n".join([p[0], p[2], p[3]])  # a site's trimmed rendering of the first version
    articles = [dedup.Article("v1", first), dedup.Article("v2", refiled), dedup.Article("site", rendering)]
    result = dedup.deduplicate(articles)
    assert together(result, "v1", "v2", "site")
    relations = {m.id: m.relation for m in result.clusters[0].members}
    assert "version" in relations.values()  # the version not directly a copy of the canonical says so
    # Without the rendering nothing ties the versions.
    assert not dedup.deduplicate(articles[:2]).clusters


def test_live_blog_and_digest_absorb_none_of_their_briefs(prose):
    briefs = {f"brief{k}": "\n\n".join(para(prose, 30) for _ in range(2)) for k in range(4)}
    header = para(prose, 20)
    blog = "\n\n".join([header] + list(briefs.values()))
    digest = "\n\n".join([para(prose, 15)] + [b.split("\n\n")[0] for b in briefs.values()])
    copy_of_brief0 = briefs["brief0"] + "\n\n" + para(prose, 12)
    articles = [dedup.Article(k, v) for k, v in briefs.items()] + [
        dedup.Article("blog", blog), dedup.Article("digest", digest), dedup.Article("brief0-site", copy_of_brief0),
    ]
    for result in in_three_orders(articles):
        families = family_of(result)
        assert "blog" not in families and "digest" not in families
        assert together(result, "brief0", "brief0-site")
        assert sum(1 for i in briefs if i in families) == 1


def test_first_print_of_a_live_blog_is_a_compilation_like_its_later_ones(prose):
    # The first print opens with a brief, then a second brief and one long brief that is most
    # of it; the later print adds three briefs on top. On its own the first print holds only
    # one short item, but it is an earlier state of a page of briefs, so it absorbs nothing.
    long_brief = "\n\n".join(para(prose) for _ in range(5))
    briefs = {f"brief{k}": "\n\n".join(para(prose, 30) for _ in range(2)) for k in range(5)}
    briefs["brief4"] += " Officials counted 4,200 homes, 17 towns, 38 bridges and 960 farms."  # not in the long brief
    first = "\n\n".join([briefs["brief4"], briefs["brief0"], long_brief])
    later = "\n\n".join([briefs["brief3"], briefs["brief2"], briefs["brief1"], first])
    articles = [dedup.Article(k, v) for k, v in briefs.items()] + [
        dedup.Article("long", long_brief), dedup.Article("long-site", long_brief + "\n\n" + para(prose, 15)),
        dedup.Article("blog-first", first), dedup.Article("blog-later", later),
    ]
    for result in in_three_orders(articles):
        assert together(result, "blog-first", "blog-later")
        assert together(result, "long", "long-site")
        families = family_of(result)
        assert families["long"] != families["blog-first"]
        assert not any(i in families for i in briefs)
        assert {"long", "brief0"} <= set(result.contains["blog-first"])


def test_page_opening_with_two_whole_unrelated_briefs_ties_neither(prose):
    # A live blog's first print (or an aggregator page) begins with two briefs, each printed
    # whole; nothing else shows it to be a page of briefs, but both cannot be its beginning.
    brief_a, brief_b = para(prose, 30), para(prose, 30)
    page = "\n\n".join([brief_a, brief_b, para(prose, 60)])
    articles = [
        dedup.Article("a", brief_a), dedup.Article("a-site", brief_a + "\n\n" + para(prose, 6)),
        dedup.Article("b", brief_b), dedup.Article("page", page),
    ]
    for result in in_three_orders(articles):
        assert together(result, "a", "a-site")
        families = family_of(result)
        assert "page" not in families and "b" not in families
        assert set(result.contains["page"]) >= {"a", "b"}


def test_digest_led_by_one_story_and_holding_another_ties_neither(prose):
    story_a = [para(prose) for _ in range(6)]
    story_b = [para(prose) for _ in range(6)]
    # The digest opens with story A's lede and lists story B's lede further down.
    digest = "\n\n".join([story_a[0], para(prose, 25), story_b[0], para(prose, 25)])
    articles = [
        dedup.Article("a", "\n\n".join(story_a)), dedup.Article("a-teaser", story_a[0]),
        dedup.Article("b", "\n\n".join(story_b)), dedup.Article("b-teaser", story_b[0]),
        dedup.Article("digest", digest),
    ]
    for result in in_three_orders(articles):
        assert together(result, "a", "a-teaser") and together(result, "b", "b-teaser")
        assert "digest" not in family_of(result)


def test_digest_holding_only_the_ledes_of_stories_ties_nobody(prose):
    # The digest opens with story A's lede (A's teaser is wholly inside it) and quotes the
    # one-sentence ledes of stories B and C, which run whole elsewhere; no teaser of B or C
    # exists, so only their beginnings show that the digest is a page of other stories.
    stories = {name: [para(prose, 22)] + [para(prose) for _ in range(5)] for name in ("a", "b", "c")}
    digest = "\n\n".join([stories["a"][0], stories["b"][0], stories["c"][0], para(prose, 20)])
    articles = [dedup.Article(name, "\n\n".join(p)) for name, p in stories.items()] + [
        dedup.Article("a-teaser", stories["a"][0]), dedup.Article("digest", digest),
    ]
    for result in in_three_orders(articles):
        assert together(result, "a", "a-teaser")
        assert "digest" not in family_of(result)
        assert "a-teaser" in result.contains["digest"]


def test_story_reusing_an_older_stories_lede_as_background_keeps_its_copies(prose):
    # A wire story quotes the lede of an older story as background: one beginning of another
    # story is no digest (a passage from its middle is no other story), so its teaser stays.
    older = [para(prose) for _ in range(6)]
    story = [para(prose) for _ in range(3)] + [older[0]] + [para(prose) for _ in range(4)]
    articles = [
        dedup.Article("story", "\n\n".join(story)), dedup.Article("teaser", story[0]),
        dedup.Article("passage", "\n\n".join(story[5:7])), dedup.Article("older", "\n\n".join(older)),
    ]
    for result in in_three_orders(articles):
        assert together(result, "story", "teaser")
        assert not together(result, "story", "older")


def test_refiled_version_keeping_the_old_lede_and_quoting_another_story_stays_a_version(prose):
    # The refiled version keeps the first version's lede and two of its paragraphs (too little
    # to be a copy of it) and quotes an older story's lede: it shares more with the first
    # version than a beginning, so it is not a page of two stories and keeps its teaser.
    older = [para(prose, 22)] + [para(prose) for _ in range(5)]
    first = [para(prose, 22)] + [para(prose) for _ in range(5)]
    refiled = [para(prose), para(prose, 60), first[0], first[3], first[4], older[0]] + [para(prose) for _ in range(4)]
    articles = [
        dedup.Article("v1", "\n\n".join(first)), dedup.Article("v2", "\n\n".join(refiled)),
        dedup.Article("v2-teaser", refiled[0]), dedup.Article("site", "\n\n".join(first[3:5])),
        dedup.Article("older", "\n\n".join(older)),
    ]
    for result in in_three_orders(articles):
        assert together(result, "v2", "v2-teaser")
        assert "v2-teaser" not in result.contains.get("v2", ()) and not together(result, "v2", "older")


def test_two_aggregator_pages_listing_some_of_the_same_stories_stay_apart(prose):
    ledes = [para(prose, 30) for _ in range(10)]
    stories = [dedup.Article(f"s{k}", "\n\n".join([lede] + [para(prose) for _ in range(4)])) for k, lede in enumerate(ledes)]
    teasers = [dedup.Article(f"t{k}", ledes[k]) for k in (0, 1, 8, 9)]
    # The second page lists four of the ten stories the first lists, and two of its own.
    first = "\n\n".join(ledes[:6] + [para(prose, 30) for _ in range(4)])
    second = "\n\n".join(ledes[2:6] + ledes[8:10])
    articles = stories + teasers + [dedup.Article("page1", first), dedup.Article("page2", second)]
    for result in in_three_orders(articles):
        assert not together(result, "page1", "page2")
        assert all(together(result, f"s{k}", f"t{k}") for k in (0, 1, 8, 9))
        assert "page2" in result.contains["page1"]


def test_teaser_inside_a_story_and_a_page_of_other_stories_stays_with_the_story(prose):
    story = [para(prose) for _ in range(6)]
    teaser = story[0]
    # Four prints of one gallery of twenty photos whose only matched caption is the teaser's text.
    gallery = "\n\n".join([teaser] + [para(prose, 30) for _ in range(19)])
    articles = [
        dedup.Article("story", "\n\n".join(story)),
        dedup.Article("story-trimmed", "\n\n".join(story[:5])),
        dedup.Article("teaser", teaser),
    ] + [dedup.Article(f"gallery{k}", gallery) for k in range(4)]
    for result in in_three_orders(articles):
        assert together(result, "story", "story-trimmed", "teaser")
        families = family_of(result)
        assert together(result, *(f"gallery{k}" for k in range(4)))
        assert families["gallery0"] != families["story"]


@pytest.mark.parametrize(
    "words",
    ["See all photos ({n})", "Alle Fotos ansehen ({n})", "Voir les {n} photos", "Zobacz wszystkie zdjęcia ({n})"],
)
def test_pages_of_a_few_words_are_never_merged(prose, words):
    story = "\n\n".join(para(prose) for _ in range(3))
    articles = [
        dedup.Article("page-a", words.format(n=18)), dedup.Article("page-b", words.format(n=12)),
        dedup.Article("story", story + "\n\n" + words.format(n=7)),
    ]
    result = dedup.deduplicate(articles)
    assert not together(result, "page-a", "story") and not together(result, "page-b", "story")
    assert not together(result, "page-a", "page-b")


def test_pages_too_short_to_judge_are_kept_and_reported_even_when_identical(prose):
    story = "\n\n".join(para(prose) for _ in range(2))
    articles = [dedup.Article("a", "Leggi anche"), dedup.Article("b", "Leggi anche"), dedup.Article("s1", story),
                dedup.Article("s2", story)]
    result = dedup.deduplicate(articles)
    assert result.too_short == ("a", "b")
    assert set(result.singletons) == {"a", "b"} and [c.canonical for c in result.clusters] == ["s1"]
    assert "too short to judge" in render_text(result)
    # With no evidence floor, two identical words are an exact copy.
    assert dedup.deduplicate(articles, min_shared_shingles=0).stats["clusters"] == 2


def test_members_are_listed_in_time_order_after_the_canonical(prose):
    from datetime import datetime, timedelta, timezone

    text = "\n\n".join(para(prose) for _ in range(3))
    start = datetime(2024, 5, 1, 7, 13, tzinfo=timezone.utc)
    articles = [
        dedup.Article("a-late", text + " Updated.", published=start + timedelta(hours=4)),
        dedup.Article("b-early", text, published=start),
        dedup.Article("c-undated", text + " More."),
        dedup.Article("d-middle", text, published=start + timedelta(hours=1)),
    ]
    [cluster] = dedup.deduplicate(articles, canonical_policy=["most_complete"]).clusters
    others = [m.id for m in cluster.members[1:]]
    dated = [i for i in ("b-early", "d-middle", "a-late", "c-undated") if i != cluster.canonical]
    assert others == dated
