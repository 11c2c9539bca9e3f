"""Same input and settings -> byte-identical output: across runs, input orders and
worker counts. Across hash seeds (a process each): tests/integration/test_console.py."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from dedup import Article, Deduplicator
from dedup.report import render_json
from tests.support.cli import err, out, run
from tests.support.paths import dev_corpus


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """scrape_dev.jsonl as it is, reversed, and shuffled."""
    lines = dev_corpus().read_text(encoding="utf-8").splitlines(keepends=True)
    folder = tmp_path_factory.mktemp("orders")
    shuffled = lines[:]
    random.Random(7).shuffle(shuffled)
    paths = {}
    for name, ordered in (("original", lines), ("reversed", lines[::-1]), ("shuffled", shuffled)):
        paths[name] = folder / f"{name}.jsonl"
        paths[name].write_text("".join(ordered), encoding="utf-8")
    return paths


def test_report_is_byte_identical_in_any_input_order(orders: dict[str, Path]) -> None:
    outputs = set()
    for path in orders.values():
        proc = run("report", str(path), "--format", "json")
        assert proc.returncode == 0, err(proc)
        outputs.add(out(proc))
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["stats"]["clusters"] > 0


def test_filter_decides_the_same_for_every_article_in_any_order(orders: dict[str, Path], tmp_path: Path) -> None:
    decided = []
    for name, path in orders.items():
        proc = run("filter", str(path), "-o", str(tmp_path / f"{name}-kept.jsonl"), "--decisions", str(tmp_path / f"{name}.jsonl"))
        assert proc.returncode == 0, err(proc)
        lines = [json.loads(line) for line in (tmp_path / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
        decided.append(sorted((d["id"], d["decision"], d["of"], d["cluster_id"], d["reason"]) for d in lines))
    assert decided[0] == decided[1] == decided[2]


def test_one_and_two_worker_processes_give_the_same_bytes(generated) -> None:  # noqa: ANN001
    corpus = generated(5000, seed=5)
    articles = [Article(i, t) for i, t in zip(corpus.ids, corpus.texts)]
    reports = []
    for workers in (1, 2):
        dedup = Deduplicator()
        batch = dedup.prepare_batch(articles, workers=workers)
        reports.append(render_json(dedup.finish(batch, dedup.find_candidates(batch))))
    assert reports[0] == reports[1]
    assert json.loads(reports[0])["stats"]["clusters"] > 100
