"""The simulated news day (tests/support/newsday.py): determinism, the tune/test split and
the ground truth of each structure, checked on the texts themselves (nothing here uses
dedup's matching code)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.support import newsday
from tests.support.paths import BBC, shared_file


@pytest.fixture(scope="module")
def tune() -> newsday.NewsDay:
    return newsday.news_day(shared_file(BBC), seed=newsday.TUNE_SEEDS[0], split="tune")


@pytest.fixture(scope="module")
def test_day() -> newsday.NewsDay:
    return newsday.news_day(shared_file(BBC), seed=newsday.TEST_SEEDS[0], split="test")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_same_seed_same_day_and_other_seeds_differ(tune: newsday.NewsDay) -> None:
    again = newsday.news_day(shared_file(BBC), seed=newsday.TUNE_SEEDS[0], split="tune")
    assert again.digest() == tune.digest()
    other = newsday.news_day(shared_file(BBC), seed=newsday.TUNE_SEEDS[1], split="tune")
    assert other.digest() != tune.digest()


def test_tune_and_test_days_draw_on_disjoint_articles(tune: newsday.NewsDay, test_day: newsday.NewsDay) -> None:
    assert set(newsday.TUNE_SEEDS).isdisjoint(newsday.TEST_SEEDS)
    assert set(tune.base_id.values()).isdisjoint(test_day.base_id.values())
    with pytest.raises(ValueError, match="split"):
        newsday.news_day(shared_file(BBC), split="train")


def test_every_page_has_a_family_a_structure_and_a_record(tune: newsday.NewsDay) -> None:
    ids = [r["id"] for r in tune.articles]
    assert len(ids) == len(set(ids)) == len(tune.labels) == len(tune.structure)
    assert set(tune.structure.values()) == set(newsday.STRUCTURES)  # every structure occurs
    assert [r["published"] for r in tune.articles] == sorted(r["published"] for r in tune.articles)
    for a, b, why in tune.must_not_link:
        assert tune.labels[a] != tune.labels[b] and why in ("compilation", "template")


def test_version_chains_are_refiled_and_rendered(tune: newsday.NewsDay) -> None:
    chains = {k: v for k, v in tune.families().items() if k.startswith("chain-")}
    assert len(chains) == 12
    by_id = {r["id"]: r for r in tune.articles}
    apart = []
    for members in chains.values():
        versions = sorted((m for m in members if tune.structure[m] == "version"), key=lambda m: by_id[m]["published"])
        renderings = [m for m in members if tune.structure[m].startswith("version-")]
        assert 3 <= len(versions) <= 8 and 5 <= len(renderings) <= 20
        texts = [by_id[v]["text"] for v in versions]
        assert len(set(texts)) == len(texts)  # every refiling changes the text
        first, last = _shingles(texts[0]), _shingles(texts[-1])
        apart.append(len(first & last) / len(first | last))
    # The first and the last filing of most chains share well under half of their text
    # (page chrome included, which they share).
    assert sorted(apart)[len(apart) // 2] < 0.6


def test_compilations_hold_text_of_every_story_they_list(tune: newsday.NewsDay) -> None:
    by_id = {r["id"]: r for r in tune.articles}
    shingles = {i: _shingles(r["text"]) for i, r in by_id.items()}
    frequency: dict[tuple[str, ...], int] = defaultdict(int)
    for found in shingles.values():
        for shingle in found:
            frequency[shingle] += 1
    listed: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for page, member, why in tune.must_not_link:
        if why == "compilation":
            listed[page][tune.labels[member]].append(member)
    assert {tune.structure[p] for p in listed} == {"liveblog", "digest", "gallery", "aggregator"}
    for page, families in listed.items():
        rare = {x for x in shingles[page] if frequency[x] <= 30}  # not page chrome
        for family, pages in families.items():
            assert any(len(rare & shingles[m]) >= 3 for m in pages), (page, family)


def test_template_sites_write_in_eight_languages(tune: newsday.NewsDay) -> None:
    assert {site.language for site in newsday.TEMPLATE_SITES} == {"en", "de", "fr", "es", "it", "pl", "pt", "nl"}
    by_id = {r["id"]: r for r in tune.articles}
    for page, kind in tune.structure.items():
        if kind == "few-words":
            menu_free = [line for line in by_id[page]["text"].split("\n\n") if "|" not in line]
            assert all(len(_words(line)) <= 6 for line in menu_free)
        if kind in ("template-teaser", "template-blurb"):
            site = next(s for s in newsday.TEMPLATE_SITES if s.name == by_id[page]["source"])
            template = len(_words(site.consent + site.paywall + site.newsletter))
            assert template > len(_words(by_id[page]["text"])) - template  # the template outweighs the article
