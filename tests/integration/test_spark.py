"""The Spark engine against the local one, on the run's one real local[2] session: same
clusters, canonicals, relations, scores and rejections. The command line runs in
process on that session (``dedup report --engine spark``)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from dedup import Article, DedupConfig, deduplicate, read_articles
from dedup.cluster import connected_components as local_components
from dedup.report import render_json
from dedup.spark import OUTPUT_COLUMNS, connected_components, read_input, to_result
from dedup.spark import deduplicate as spark_deduplicate
from tests.support.cli import err, out, run
from tests.support import newsday, simulator
from tests.support.paths import BBC, SEEDS, dev_corpus, shared_file
from tests.support.prose import ProseMaker


def _frame(spark, articles: list[Article]):  # noqa: ANN001, ANN202
    rows = [(a.id, a.text, a.published.isoformat() if a.published else None) for a in articles]
    return spark.createDataFrame(rows, "id string, text string, published string")


def _articles(paths: list[Path | str]) -> list[Article]:
    return [a for a in read_articles(paths) if isinstance(a, Article)]


def test_seeds_give_the_local_result_and_one_row_per_article(spark) -> None:  # noqa: ANN001
    articles = _articles([SEEDS])
    frame = _frame(spark, articles)
    assert render_json(to_result(frame)) == render_json(deduplicate(articles))
    rows = {r["id"]: r.asDict() for r in spark_deduplicate(frame).collect()}
    assert list(next(iter(rows.values()))) == list(OUTPUT_COLUMNS)
    assert len(rows) == 5
    copy, canonical = rows["001_86997ac36c104c62.txt"], rows["002_58e187858871e751.txt"]
    assert (copy["is_canonical"], copy["canonical_id"], copy["relation"]) == (False, canonical["id"], "near")
    assert (canonical["is_canonical"], canonical["relation"]) == (True, "canonical")
    assert copy["cluster_id"] == canonical["cluster_id"] and copy["reason"] == canonical["reason"]
    for alone in ("000_68aecc16d4db32ab.txt", "003_f17e34197052f82b.txt", "004_fe8099629fd8fa10.txt"):
        assert rows[alone]["is_canonical"] and rows[alone]["cluster_id"] is None and rows[alone]["reason"] == "no copy found"


def test_scrape_dev_through_the_cli_is_byte_identical_to_local(spark) -> None:  # noqa: ANN001
    feed = dev_corpus()
    local = run("report", str(feed), "--format", "json")
    on_spark = run("report", str(feed), "--format", "json", "--engine", "spark", "--master", "local[2]")
    assert on_spark.returncode == 0, err(on_spark)
    assert out(on_spark) == out(local)


def test_news_day_families_and_template_text_as_locally(spark, tmp_path: Path) -> None:  # noqa: ANN001
    # Version chains, compilations and template sites in six languages, in shuffled order.
    day = newsday.news_day(shared_file(BBC), seed=newsday.TEST_SEEDS[0], split="test", stories=40)
    records = list(day.articles)
    random.Random(7).shuffle(records)
    feed = tmp_path / "day.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    local = run("report", str(feed), "--format", "json")
    on_spark = run("report", str(feed), "--format", "json", "--engine", "spark", "--master", "local[2]")
    assert on_spark.returncode == 0, err(on_spark)
    assert out(on_spark) == out(local)
    report = json.loads(out(local))
    relations = {m["relation"] for c in report["clusters"] for m in c["members"]}
    assert "version" in relations  # not an empty comparison: chains were tied
    assert any("template" in r["reason"] for r in report["rejected"])  # and template learned


def test_parquet_through_the_cli_with_mapped_columns(spark, tmp_path: Path) -> None:  # noqa: ANN001
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [json.loads(line) for line in dev_corpus().read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "feed.parquet"
    # Sites from a mapped source column on some records, from a mapped URL column on others.
    outlet = [r["publisher"] if k % 2 else None for k, r in enumerate(records)]
    link = [f"https://www.site{k % 5}.example/{k}" if k % 3 else None for k in range(len(records))]
    pq.write_table(pa.table({"doc": [r["id"] for r in records], "body": [r["text"] for r in records],
                             "outlet": outlet, "link": link}), path)
    args = (str(path), "--format", "json", "--id-field", "doc", "--text-field", "body", "--source-field", "outlet",
            "--url-field", "link")
    on_spark = run("report", *args, "--engine", "spark", "--master", "local[2]")
    assert on_spark.returncode == 0, err(on_spark)
    assert out(on_spark) == out(run("report", *args))
    sites = {m["site"] for c in json.loads(out(on_spark))["clusters"] for m in c["members"]}
    assert any(s and s.startswith("site") for s in sites) and any(s in outlet for s in sites if s)


def test_bad_records_repeated_ids_and_dates_are_treated_as_locally(spark, tmp_path: Path) -> None:  # noqa: ANN001
    prose = ProseMaker(seed=5)
    story, other = "\n\n".join(prose.make(40) for _ in range(3)), "\n\n".join(prose.make(40) for _ in range(3))
    figures = "Prices rose 4.5 percent to 120.25 dollars, 3,400 tonnes were sold and 17 ships waited. "
    lines = [
        {"id": "a", "text": story, "published": "2024-01-01T08:00:00Z"},
        {"id": "b", "text": story + " Updated.", "published": "2024-01-01T10:30:00Z"},
        {"id": "a", "text": "a repeated id"},
        "not json",
        {"id": "empty", "text": "   "},
        {"id": "no-date", "text": other, "published": "13/07/2023"},
        {"id": "weekly-1", "text": figures + story, "published": "2024-01-01T08:00:00Z"},
        {"id": "weekly-2", "text": figures.replace("4.5", "2.5").replace("120.25", "99.75") + story, "published": "2024-01-15T08:00:00Z"},
        {"text": "no id"},
        {"id": "c", "text": other},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join((json.dumps(x) if isinstance(x, dict) else x) + "\n" for x in lines), encoding="utf-8")
    expected = render_json(deduplicate(read_articles([feed])))
    assert render_json(to_result(read_input(spark, [str(feed)]))) == expected
    assert json.loads(expected)["stats"]["rejected"] == 5


def test_oversized_buckets_use_the_local_window(spark) -> None:  # noqa: ANN001
    prose = ProseMaker(seed=9)
    text = "\n\n".join(prose.make(40) for _ in range(3))
    articles = [Article(f"copy-{i:02d}", text + f" Edition {i}.") for i in range(12)]
    config = DedupConfig().with_options(max_bucket=3)
    assert render_json(to_result(_frame(spark, articles), config=config)) == render_json(deduplicate(articles, config))


def test_large_star_small_star_finds_the_union_find_components(spark) -> None:  # noqa: ANN001
    rng = np.random.default_rng(4)
    nodes = 400
    edges = rng.integers(0, nodes, size=(260, 2))
    names = [f"n{i:04d}" for i in range(nodes)]  # names sort as the numbers do
    frame = spark.createDataFrame([(names[a], names[b]) for a, b in edges], "a string, b string")
    found = {r["node"]: r["component"] for r in connected_components(frame).collect()}
    labels = local_components(nodes, edges)
    touched = {int(x) for a, b in edges if a != b for x in (a, b)}  # self-loops join nothing
    expected = {names[i]: names[int(labels[i])] for i in touched}
    assert found == expected


@pytest.mark.parametrize("size", [3_000, pytest.param(100_000, marks=pytest.mark.slow)])
def test_generated_corpus_gives_the_local_result(spark, generated, size: int) -> None:  # noqa: ANN001
    corpus = generated(size, seed=3)
    articles = [Article(i, t) for i, t in zip(corpus.ids, corpus.texts)]
    frame = spark.createDataFrame(list(zip(corpus.ids, corpus.texts)), "id string, text string").repartition(8)
    local = deduplicate(articles)
    assert local.stats["clusters"] > size // 20  # a corpus with many copies to find
    assert render_json(to_result(frame)) == render_json(local)


def test_parquet_timestamps_reach_the_date_rule_as_locally(spark, tmp_path: Path) -> None:  # noqa: ANN001
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    prose = ProseMaker(seed=12)
    story = "\n\n".join(prose.make(40) for _ in range(3))
    figures = "Prices rose 4.5 percent to 120.25 dollars, 3,400 tonnes were sold and 17 ships waited. "
    later = figures.replace("4.5", "2.5").replace("120.25", "99.75")
    day = dt.datetime(2024, 1, 1, 8, tzinfo=dt.timezone.utc)
    rows = [("w1", figures + story, day), ("w1-copy", figures + story + " More.", day + dt.timedelta(hours=3)),
            ("w2", later + story, day + dt.timedelta(days=14)), ("undated", later + story + " Again.", None)]
    path = tmp_path / "dated.parquet"
    pq.write_table(pa.table({
        "id": [r[0] for r in rows], "text": [r[1] for r in rows],
        "published": pa.array([r[2] for r in rows], pa.timestamp("us", tz="UTC")),
    }), path)
    expected = render_json(deduplicate(read_articles([path])))
    assert render_json(to_result(read_input(spark, [str(path)]))) == expected
    assert len(json.loads(expected)["clusters"]) >= 1


def test_simulated_syndication_gives_the_local_families_in_any_order(spark) -> None:  # noqa: ANN001
    # Copies with OCR noise held 60% by several others: the family stage must see exactly
    # the batch's pairs (no pair of an article with itself, none missing).
    records = simulator.simulate(shared_file(BBC), n_stories=100, seed=0).articles
    articles = [Article(r["id"], r["text"]) for r in records]
    expected = render_json(deduplicate(articles))
    assert json.loads(expected)["clusters"]  # not an empty comparison
    for seed in (0, 1):
        order = list(articles)
        random.Random(seed).shuffle(order)
        assert render_json(to_result(_frame(spark, order))) == expected, f"arrival order {seed}"
