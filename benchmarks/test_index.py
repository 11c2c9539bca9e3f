"""The persistent index under load: ingest rate and single-check latency with a large
index already built, on SQLite and on PostgreSQL, and the disk it takes.

Run: ``python -m pytest benchmarks/test_index.py`` (plain ``pytest`` never runs
benchmarks). ``DEDUP_BENCH_INDEX_BASE`` (default 100000) articles from the seeded
generated corpus are indexed first (built once per size and cached in
``~/.cache/dedup-bench``; set it to 1000000 for the issue's figure), then:

* a first ``check`` after opening (SQLite loads its in-memory key map then);
* ``add_many`` ingests 10,000 further articles (9,000 new stories, 1,000 trimmed
  copies of indexed ones) into a copy of that index;
* 1,000 single ``check`` calls (half of them copies) give p50/p99 latency.

PostgreSQL runs the same steps on ``DEDUP_BENCH_PG_BASE`` (default 20000) articles,
on a throw-away server started like the tests' one. Ratios and figures are printed
in one table at the end.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from dedup import Article
from dedup.index import Index
from tests.support.corpus import generate

CACHE = Path(os.environ.get("DEDUP_BENCH_CACHE", Path.home() / ".cache" / "dedup-bench"))
BASE = int(os.environ.get("DEDUP_BENCH_INDEX_BASE", "100000"))
PG_BASE = int(os.environ.get("DEDUP_BENCH_PG_BASE", "20000"))
N_INGEST = 10_000
N_CHECK = 1_000
RESULTS: dict[str, dict[str, float]] = {}


def _base_articles(n: int) -> Iterator[Article]:
    """The first ``n`` generated articles, streamed from the cached corpus file."""
    path = CACHE / f"generated-{n}-seed0.jsonl"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        corpus = generate(n, seed=0)
        with path.open("w", encoding="utf-8") as handle:
            for article_id, text in zip(corpus.ids, corpus.texts):
                handle.write(json.dumps({"id": article_id, "text": text}) + "\n")
    with path.open(encoding="utf-8") as handle:
        for record in map(json.loads, handle):
            yield Article(record["id"], record["text"])


def _incoming(base_size: int) -> list[Article]:
    """9,000 new stories and 1,000 trimmed copies of indexed articles, mixed."""
    fresh = generate(N_INGEST - 1000, seed=99)
    articles = [Article(f"new-{i}", text) for i, text in zip(fresh.ids, fresh.texts)]
    rng = np.random.default_rng(3)
    picked = set(rng.choice(base_size, size=1000, replace=False).tolist())
    for row, article in enumerate(_base_articles(base_size)):
        if row in picked:
            paragraphs = article.text.split("\n\n")
            articles.append(Article(f"copy-{len(articles)}", "\n\n".join(paragraphs[:-1] or paragraphs)))
    order = rng.permutation(len(articles))
    return [articles[i] for i in order]


def _built(location: str, base: Iterator[Article]) -> float:
    started = time.perf_counter()
    with Index(location) as index:
        for _ in index.stream(base):
            pass
    return time.perf_counter() - started


def _measure(name: str, location: str, base_size: int) -> None:
    incoming = _incoming(base_size)
    with Index(location) as index:
        started = time.perf_counter()
        index.check(incoming[0])  # the first lookup loads SQLite's in-memory key map
        first_lookup = time.perf_counter() - started
        started = time.perf_counter()
        verdicts = index.add_many(incoming)
        ingest = time.perf_counter() - started
        copies_found = sum(v.status == "duplicate" for v in verdicts if v.id.startswith("copy-"))
        probes = [Article(f"probe-{i}", a.text) for i, a in enumerate(incoming[:N_CHECK])]
        latencies = []
        for probe in probes:
            t = time.perf_counter()
            index.check(probe)
            latencies.append(time.perf_counter() - t)
        stats = index.stats()
    RESULTS[name] = {
        "indexed before": base_size,
        "first lookup s": first_lookup,
        "add_many articles/s": N_INGEST / ingest,
        "check p50 ms": float(np.percentile(latencies, 50) * 1000),
        "check p99 ms": float(np.percentile(latencies, 99) * 1000),
        "copies found of 1000": copies_found,
        "disk GB per 1M articles": stats["disk_bytes"] / stats["articles"] * 1e6 / 1e9,
    }


@pytest.mark.benchmark(group="index")
def test_sqlite_index(benchmark, tmp_path):  # noqa: ANN001
    cached = CACHE / f"index-{BASE}.db"
    if not cached.exists():
        building = str(cached) + ".building"
        for leftover in Path(building).parent.glob(Path(building).name + "*"):
            leftover.unlink()
        seconds = _built(building, _base_articles(BASE))
        RESULTS["sqlite build"] = {"articles": BASE, "articles/s": BASE / seconds}
        with Index(building):
            pass  # checkpoints the write-ahead log into the file
        os.replace(building, cached)
    working = tmp_path / "index.db"
    shutil.copyfile(cached, working)
    os.sync()  # the copy's write-back must not run during the measurement
    benchmark.pedantic(_measure, args=("sqlite", str(working), BASE), rounds=1, iterations=1)


@pytest.mark.benchmark(group="index")
def test_postgres_index(benchmark):  # noqa: ANN001
    from tests.support.postgres import PostgresServer

    server = PostgresServer()
    try:
        location = server.database("bench")
        seconds = _built(location, itertools.islice(_base_articles(BASE), PG_BASE))
        RESULTS["postgres build"] = {"articles": PG_BASE, "articles/s": PG_BASE / seconds}
        benchmark.pedantic(_measure, args=("postgres", location, PG_BASE), rounds=1, iterations=1)
    finally:
        server.stop()


def teardown_module(module: object) -> None:
    for name, figures in RESULTS.items():
        print(f"\n{name}: " + ", ".join(f"{k} {v:,.2f}" for k, v in figures.items()))
