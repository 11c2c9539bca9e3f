"""Batch, index (SQLite and PostgreSQL) and Spark give the same story families.

On every named set (seeds, scrape_dev, bbc, reuters and the syndication simulator) and
in three shuffled arrival orders, ``dedup.deduplicate`` is run once and each other
engine must give the same families, canonicals and member relations.

Run: ``python -m pytest benchmarks/test_engines_agree.py`` (needs Java and
PostgreSQL, set up by ``bash .ci/system-packages``; the whole Reuters corpus goes
through the index six times: about half an hour on 2 cores). Prints the seconds each
engine took beside the batch's.
"""

from __future__ import annotations

import os
import random
import time

import pytest

from benchmarks.quality import simulated
from dedup import Article, DedupConfig, deduplicate, read_articles
from dedup.index import Index
from dedup.spark import to_result
from tests.integration.test_index_families import families
from tests.support.paths import BBC, SCRAPE_DEV, SEEDS, SHARED_DATA, shared_file

HEADER = ("\n### engines against the batch\n\n| set | engine | articles | families | families and canonicals | "
          "batch | engine, per order |\n|---|---|---|---|---|---|---|")
ORDERS = (0, 1, 2)
SETS = ("seeds", "scrape_dev", "bbc", "reuters", "simulator")
REUTERS = SHARED_DATA / "reuters21578.jsonl"
_HEADED: list[bool] = []


def articles_of(name: str) -> list[Article]:
    if name == "simulator":
        return simulated(n_stories=300, seed=0)[0]
    path = SEEDS if name == "seeds" else shared_file({"scrape_dev": SCRAPE_DEV, "bbc": BBC, "reuters": REUTERS}[name])
    return [a for a in read_articles([path]) if isinstance(a, Article)]


def through_index(location: str, articles: list[Article]) -> dict:  # type: ignore[type-arg]
    with Index(location, DedupConfig()) as index:
        index.add_many(articles)
        return families(index.clusters())


def through_spark(spark, articles: list[Article]) -> dict:  # type: ignore[no-untyped-def, type-arg]  # noqa: ANN001
    rows = [(a.id, a.text, a.published.isoformat() if a.published else None) for a in articles]
    frame = spark.createDataFrame(rows, "id string, text string, published string")
    return families(to_result(frame).clusters)


@pytest.mark.parametrize("engine", ["sqlite", "postgres", "spark"])
@pytest.mark.parametrize("name", SETS)
def test_engines_give_the_batch_families(request, tmp_path, report_table, name: str, engine: str) -> None:  # noqa: ANN001
    articles = articles_of(name)
    started = time.perf_counter()
    expected = families(deduplicate(articles).clusters)
    batch_seconds = time.perf_counter() - started
    assert expected  # not an empty comparison
    seconds = []
    for seed in ORDERS:
        order = list(articles)
        random.Random(seed).shuffle(order)
        started = time.perf_counter()
        if engine == "sqlite":
            got = through_index(str(tmp_path / f"order{seed}.db"), order)
        elif engine == "postgres":
            server = request.getfixturevalue("postgres_server")
            got = through_index(str(server.database(f"agree_{os.getpid()}_{name}_{seed}")), order)
        else:
            got = through_spark(request.getfixturevalue("spark"), order)
        seconds.append(time.perf_counter() - started)
        assert got == expected, f"{engine} on {name}, arrival order {seed}"
    if not _HEADED:
        report_table(HEADER)
        _HEADED.append(True)
    report_table(
        f"| {name} | {engine} | {len(articles):,} | {len(expected):,} | equal in {len(ORDERS)} orders | "
        f"{batch_seconds:.1f} s | {' / '.join(f'{s:.1f}' for s in seconds)} s |"
    )
