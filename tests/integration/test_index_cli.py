"""``dedup index`` end to end on a real SQLite file and a real PostgreSQL server: the same
clusters as ``dedup report`` (in process), and in real processes crash safety under
``kill -9`` and exactly one ``new`` per story with four processes adding at once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from dedup.index import Index
from tests.support.cli import HANG_GUARD, dedup_command, out, run
from tests.support.corpus import GeneratedCorpus
from tests.support.paths import ROOT, dev_corpus


def _final_clusters(verdict_lines: list[str]) -> set[tuple[str, frozenset[str]]]:
    """(canonical, members) of each story with two or more articles, from the verdicts alone."""
    members: dict[str, list[str]] = defaultdict(list)
    canonical: dict[str, str] = {}
    for line in verdict_lines:
        verdict = json.loads(line)
        if verdict["status"] in ("new", "duplicate"):
            members[verdict["cluster_id"]].append(verdict["id"])
            canonical[verdict["cluster_id"]] = verdict["canonical_id"]
    return {(canonical[c], frozenset(ids)) for c, ids in members.items() if len(ids) > 1}


def test_streaming_through_the_index_gives_the_clusters_of_a_batch_report(index_location, seeds_dir):
    inputs = [str(seeds_dir), str(dev_corpus())]
    added = run("index", "add", "--db", index_location, *inputs, "--workers", "1")
    assert added.returncode == 0, added.stderr.decode()
    lines = out(added).splitlines()
    report = json.loads(out(run("report", "--format", "json", *inputs)))
    assert len(lines) == report["stats"]["articles"]
    expected = {(c["canonical"], frozenset(m["id"] for m in c["members"])) for c in report["clusters"]}
    assert _final_clusters(lines) == expected
    assert len(expected) >= 5  # the seeds' pair and the dev set's wire copies
    assert ("002_58e187858871e751.txt", frozenset({"001_86997ac36c104c62.txt", "002_58e187858871e751.txt"})) in expected
    statuses = Counter(json.loads(line)["status"] for line in lines)
    assert statuses["rejected"] == report["stats"]["rejected"]
    stats = json.loads(out(run("index", "stats", "--db", index_location)))
    assert (stats["clusters"], stats["duplicates"]) == (report["stats"]["clusters"], report["stats"]["duplicates"])
    # 'index clusters' lists the families in the report's form (cluster ids are the index's own).
    listed = json.loads(out(run("index", "clusters", "--db", index_location)))["clusters"]
    without_ids = [{k: v for k, v in c.items() if k != "cluster_id"} for c in listed]
    assert sorted(without_ids, key=lambda c: c["canonical"]) == [
        {k: v for k, v in c.items() if k != "cluster_id"} for c in report["clusters"]
    ]


def test_check_remove_and_expire_commands(tmp_path, seeds_dir):
    db = str(tmp_path / "news.db")
    assert run("index", "add", "--db", db, str(seeds_dir)).returncode == 0
    checked = [json.loads(line) for line in out(run("index", "check", "--db", db, str(seeds_dir))).splitlines()]
    assert {v["status"] for v in checked} == {"rejected"} and all("already in the index" in v["reason"] for v in checked)
    removed = json.loads(out(run("index", "remove", "--db", db, "002_58e187858871e751.txt", "nope")))
    assert removed == {"removed": ["002_58e187858871e751.txt"], "missing": ["nope"]}
    assert json.loads(out(run("index", "stats", "--db", db)))["articles"] == 4
    assert json.loads(out(run("index", "expire", "--db", db, "--before", "2999-01-01")))["expired"] == 4
    bad = run("index", "expire", "--db", db, "--before", "soon")
    assert bad.returncode == 2 and "not a date" in bad.stderr.decode()


def _big_input(path: Path, corpus: GeneratedCorpus) -> list[str]:
    with path.open("w", encoding="utf-8") as handle:
        for article_id, text in zip(corpus.ids, corpus.texts):
            handle.write(json.dumps({"id": article_id, "text": text}) + "\n")
    return corpus.ids


@pytest.mark.slow
def test_kill_9_during_a_large_add_leaves_an_intact_index_holding_every_printed_verdict(tmp_path, generated):
    feed = tmp_path / "feed.jsonl"
    ids = _big_input(feed, generated(3000, seed=5))
    db = tmp_path / "news.db"
    process = subprocess.Popen(
        [*dedup_command(), "index", "add", "--db", str(db), str(feed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True,
    )
    printed: list[dict] = []
    assert process.stdout is not None
    while len(printed) < 700:
        line = process.stdout.readline()
        assert line, process.stderr.read().decode() if process.stderr else "no output"
        printed.append(json.loads(line))
    os.killpg(process.pid, signal.SIGKILL)  # the command and its worker processes, mid-run
    printed.extend(json.loads(line) for line in process.stdout.read().splitlines())
    process.wait(timeout=HANG_GUARD)
    assert process.returncode == -signal.SIGKILL
    assert 700 <= len(printed) < len(ids)  # killed in the middle

    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = dict(connection.execute("SELECT id, cluster_id FROM articles").fetchall())
    connection.close()
    for verdict in printed:
        assert stored.get(verdict["id"]) == verdict["cluster_id"], verdict["id"]
    # The index still works: adding the feed again stores the rest and rejects what is in.
    again = run("index", "add", "--db", str(db), str(feed), "--workers", "1")
    verdicts = [json.loads(line) for line in out(again).splitlines()]
    assert sum(v["status"] == "rejected" for v in verdicts) == len(stored)
    with Index(db) as index:
        assert index.stats()["articles"] == len(ids)


def _copies_for(worker: int, stories: list[str]) -> list[dict]:
    """Worker ``worker``'s copies of every story, lightly edited, in its own shuffled order."""
    records = []
    for s, text in enumerate(stories):
        paragraphs = text.split("\n\n")
        if worker % 2:
            paragraphs = paragraphs[:-1]  # trimmed
        if worker == 2:
            paragraphs[0] = paragraphs[0].replace(" ", " and ", 1)  # a word added
        records.append({"id": f"story{s:03d}-worker{worker}", "text": "\n\n".join(paragraphs)})
    random.Random(worker).shuffle(records)
    return records


@pytest.mark.slow
def test_four_processes_adding_copies_of_the_same_stories_admit_each_story_once(index_location, tmp_path, generated):
    stories = generated(200, seed=11, copy_share=0.0).texts
    feeds = []
    for worker in range(4):
        feed = tmp_path / f"worker{worker}.jsonl"
        feed.write_text("".join(json.dumps(r) + "\n" for r in _copies_for(worker, stories)), encoding="utf-8")
        feeds.append(feed)
    processes = [
        subprocess.Popen(
            [*dedup_command(), "index", "add", "--db", index_location, str(feed), "--workers", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
        )
        for feed in feeds
    ]
    verdicts = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=HANG_GUARD)
        assert process.returncode == 0, stderr.decode()
        verdicts.extend(json.loads(line) for line in stdout.decode().splitlines())
    assert len(verdicts) == 800
    new_per_story = Counter(v["id"].split("-")[0] for v in verdicts if v["status"] == "new")
    assert new_per_story == {f"story{s:03d}": 1 for s in range(200)}
    clusters_per_story = defaultdict(set)
    for v in verdicts:
        clusters_per_story[v["id"].split("-")[0]].add(v["cluster_id"])
    assert all(len(c) == 1 for c in clusters_per_story.values())
    with Index(index_location) as index:
        stats = index.stats()
        assert (stats["articles"], stats["clusters"], stats["duplicates"]) == (800, 200, 600)
        assert all(len(c.members) == 4 for c in index.clusters())


def test_add_reads_jsonl_from_stdin_and_reports_bad_lines_as_rejected(tmp_path, generated):
    text = generated(1, seed=2).texts[0]
    feed = (
        json.dumps({"id": "a", "text": text}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "b", "text": text}) + "\n"
        + json.dumps({"id": "c", "text": "   "}) + "\n"
    ).encode()
    done = run("index", "add", "--db", str(tmp_path / "news.db"), "-", stdin=feed)
    assert done.returncode == 0, done.stderr.decode()
    verdicts = [json.loads(line) for line in out(done).splitlines()]
    assert [(v["id"], v["status"]) for v in verdicts] == [
        ("a", "new"), ("<stdin>:2", "rejected"), ("b", "duplicate"), ("c", "rejected")
    ]
    assert verdicts[1]["reason"].startswith("not valid JSON") and "empty text" in verdicts[3]["reason"]
    with Index(tmp_path / "news.db") as index:
        assert index.stats()["articles"] == 2
