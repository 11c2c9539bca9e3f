"""Faults: a full disk and an interrupted run leave no output that looks complete and
no broken index."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_run import ROOT

from benchmarks.corpus import generate

_FULL_DISK = """
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (256, 256))  # files can hold 256 bytes: the disk is full
sys.argv = ["dedup", *sys.argv[1:]]
runpy.run_module("dedup", run_name="__main__")
"""


def _on_full_disk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _FULL_DISK, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_report_on_a_full_disk_fails_cleanly_and_leaves_nothing(tmp_path: Path) -> None:
    proc = _on_full_disk("report", "seeds/", "--format", "json", "-o", str(tmp_path / "report.json"))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("error: ") and "File too large" in proc.stderr and "nothing was written" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_filter_on_a_full_disk_fails_cleanly_and_leaves_nothing(tmp_path: Path) -> None:
    proc = _on_full_disk("filter", "seeds/", "-o", str(tmp_path / "kept"), "--decisions", str(tmp_path / "d.jsonl"))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def big_feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 generated articles: a run of several seconds to interrupt."""
    corpus = generate(20_000, seed=8)
    path = tmp_path_factory.mktemp("big") / "feed.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for article_id, text in zip(corpus.ids, corpus.texts):
            handle.write(json.dumps({"id": article_id, "text": text}) + "\n")
    return path


def _interrupt(args: list[str], after: float) -> tuple[subprocess.CompletedProcess, str]:
    """Run ``dedup ARGS``, press Ctrl-C (SIGINT to its process group) after ``after`` seconds."""
    process = subprocess.Popen(
        [sys.executable, "-m", "dedup", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
        start_new_session=True,
    )
    time.sleep(after)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), stderr.decode()


def test_ctrl_c_during_a_report_leaves_no_output(tmp_path: Path, big_feed: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    proc, stderr = _interrupt(["report", str(big_feed), "--format", "json", "-o", str(out / "report.json")], 3.0)
    assert proc.returncode == 130, stderr
    assert "error: interrupted" in stderr and "Traceback" not in stderr
    assert list(out.iterdir()) == []


def test_ctrl_c_during_filter_leaves_no_output(tmp_path: Path, big_feed: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    proc, stderr = _interrupt(["filter", str(big_feed), "-o", str(out / "kept.jsonl"), "--decisions", str(out / "d.jsonl")], 3.0)
    assert proc.returncode == 130, stderr
    assert list(out.iterdir()) == []


def test_ctrl_c_during_an_ingest_leaves_a_sound_index(tmp_path: Path, big_feed: Path) -> None:
    db = tmp_path / "news.db"
    proc, stderr = _interrupt(["index", "add", "--db", str(db), str(big_feed)], 4.0)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    printed = [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]
    assert printed, "the ingest was interrupted before it printed anything; interrupt later"
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in connection.execute("SELECT id FROM articles")}
    assert {v["id"] for v in printed if v["stored"]} <= stored  # every printed verdict is in the index
    again = subprocess.run([sys.executable, "-m", "dedup", "index", "stats", "--db", str(db)], capture_output=True,
                           text=True, cwd=ROOT, timeout=60)
    assert again.returncode == 0 and json.loads(again.stdout)["articles"] == len(stored)


def test_an_unwritable_output_path_is_a_clear_error() -> None:
    for target in ("/proc/report.json", "/proc/self/report.json"):  # not writable, even for root
        proc = subprocess.run([sys.executable, "-m", "dedup", "report", "seeds/", "-o", target], capture_output=True,
                              text=True, cwd=ROOT, timeout=60)
        assert proc.returncode in (1, 2), proc.stderr
        assert proc.stderr.startswith("error: ") and target in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "dedup", "filter", "seeds/", "-o", "/dev/null/kept"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "does not exist" in proc.stderr, proc.stderr
