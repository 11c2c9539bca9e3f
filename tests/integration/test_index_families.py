"""The index holds the batch's families in any arrival order, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import random

import pytest

from dedup import Article, DedupConfig, deduplicate, read_articles
from dedup.dates import parse_published
from dedup.index import Index
from dedup.models import Cluster
from tests.support import newsday, simulator
from tests.support.paths import BBC, SEEDS, dev_corpus, shared_file


def families(clusters: tuple[Cluster, ...] | list[Cluster]) -> dict[frozenset[str], tuple[str, tuple[tuple[str, str], ...]]]:
    """Each family's members -> its canonical and each member's relation."""
    return {
        frozenset(m.id for m in c.members): (c.canonical, tuple(sorted((m.id, m.relation) for m in c.members)))
        for c in clusters
    }


def news_day_records(stories: int = 30) -> list[dict]:  # type: ignore[type-arg]
    return list(newsday.news_day(shared_file(BBC), seed=newsday.TEST_SEEDS[1], split="test", stories=stories).articles)


def news_day_articles(stories: int = 30) -> list[Article]:
    return [Article(r["id"], r["text"], title=r.get("title"), url=r.get("url"), source=r.get("source"))
            for r in news_day_records(stories)]


def corpus(name: str) -> list[Article]:
    if name == "seeds":
        return [a for a in read_articles([SEEDS]) if isinstance(a, Article)]
    if name == "scrape_dev":
        return [a for a in read_articles([dev_corpus()]) if isinstance(a, Article)]
    if name == "bbc":
        return [a for a in read_articles([shared_file(BBC)]) if isinstance(a, Article)]
    if name == "simulator":
        records = simulator.simulate(shared_file(BBC), n_stories=100, seed=0).articles
        feed = io.BytesIO("".join(json.dumps(r) + "\n" for r in records).encode("utf-8"))
        return [a for a in read_articles(["-"], stdin=feed) if isinstance(a, Article)]
    return news_day_articles()


def index_families(location: str, articles: list[Article], config: DedupConfig) -> dict:  # type: ignore[type-arg]
    with Index(location, config) as index:
        index.add_many(articles)
        return families(index.clusters())


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@pytest.mark.parametrize(
    "name", ["seeds", "scrape_dev", "news_day", *(pytest.param(n, marks=pytest.mark.slow) for n in ("bbc", "simulator"))]
)
def test_index_holds_the_reports_families_in_any_order(request, tmp_path, backend: str, name: str) -> None:  # noqa: ANN001
    articles = corpus(name)
    config = DedupConfig()
    expected = families(deduplicate(articles, config).clusters)
    assert expected  # not an empty comparison
    for seed in (0, 1, 2):
        order = list(articles)
        random.Random(seed).shuffle(order)
        if backend == "sqlite":
            location = str(tmp_path / f"order{seed}.db")
        else:
            location = request.getfixturevalue("postgres_server").database(f"families_{os.getpid()}_{name}_{seed}")
        assert index_families(location, order, config) == expected, f"arrival order {seed}"


def test_index_lists_the_reports_members_and_contains_in_any_order(tmp_path) -> None:  # noqa: ANN001
    # Headlines and sites from titles, sources and URLs, dates, and the live blogs and digests.
    articles = [dataclasses.replace(a, published=parse_published(r["published"]))
                for a, r in zip(news_day_articles(), news_day_records())]
    result = deduplicate(articles)
    assert result.contains and any(m.headline and m.site and m.published for c in result.clusters for m in c.members)
    expected = [dataclasses.replace(c, cluster_id="") for c in result.clusters]
    for seed in (0, 1):
        order = list(articles)
        random.Random(seed).shuffle(order)
        with Index(str(tmp_path / f"order{seed}.db")) as index:
            index.add_many(order)
            listed = sorted((dataclasses.replace(c, cluster_id="") for c in index.clusters()), key=lambda c: c.canonical)
            assert listed == expected, f"arrival order {seed}"
            assert index.contains() == dict(result.contains), f"arrival order {seed}"
