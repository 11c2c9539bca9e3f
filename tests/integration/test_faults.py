"""Faults, in real processes: a full disk and an interrupted run leave no output that
looks complete and no broken index; a 100 MB article is rejected within bounded memory.

Each interruption waits for a state of the child (a progress line, a printed verdict)
before pressing Ctrl-C, never for a fixed time.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import HANG_GUARD, dedup_command, read_until, run_process
from tests.support.paths import ROOT
from tests.support.prose import ProseMaker

pytestmark = pytest.mark.slow

_FULL_DISK = """
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (256, 256))  # files can hold 256 bytes: the disk is full
sys.argv = ["dedup", *sys.argv[1:]]
runpy.run_module("dedup", run_name="__main__")
"""


def _on_full_disk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _FULL_DISK, *args], capture_output=True, text=True, cwd=ROOT, timeout=HANG_GUARD
    )


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
def big_feed(tmp_path_factory: pytest.TempPathFactory, generated) -> Path:  # noqa: ANN001
    """20,000 generated articles: a run of several seconds to interrupt."""
    corpus = generated(20_000, seed=8)
    path = tmp_path_factory.mktemp("big") / "feed.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for article_id, text in zip(corpus.ids, corpus.texts):
            handle.write(json.dumps({"id": article_id, "text": text}) + "\n")
    return path


PREPARING = b"articles read and prepared ("
"""A progress line written while articles are still being read (the last one says 'matching')."""


def _interrupt(args: list[str], when: bytes, on_stdout: bool = False) -> tuple[int, bytes, str]:
    """Run ``dedup ARGS``; once ``when`` has appeared on its stderr (or stdout), press Ctrl-C
    (SIGINT to its process group). Returns the exit code, all of stdout, and stderr."""
    process = subprocess.Popen(
        [*dedup_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True,
    )
    assert process.stdout is not None and process.stderr is not None
    watched = process.stdout if on_stdout else process.stderr
    try:
        seen = read_until(watched, when)
    except AssertionError:
        process.kill()
        process.communicate(timeout=HANG_GUARD)
        raise
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=HANG_GUARD)
    if on_stdout:
        stdout = seen + stdout
    else:
        stderr = seen + stderr
    return process.returncode, stdout, stderr.decode()


def test_ctrl_c_during_a_report_leaves_no_output(tmp_path: Path, big_feed: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, _, stderr = _interrupt(
        ["report", str(big_feed), "--format", "json", "--progress", "-o", str(out / "report.json")], PREPARING
    )
    assert code == 130, stderr
    assert "error: interrupted" in stderr and "Traceback" not in stderr
    assert list(out.iterdir()) == []


def test_ctrl_c_during_filter_leaves_no_output(tmp_path: Path, big_feed: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, _, stderr = _interrupt(
        ["filter", str(big_feed), "--progress", "-o", str(out / "kept.jsonl"), "--decisions", str(out / "d.jsonl")],
        PREPARING,
    )
    assert code == 130, stderr
    assert "error: interrupted" in stderr and "Traceback" not in stderr
    assert list(out.iterdir()) == []


def test_ctrl_c_during_an_ingest_leaves_a_sound_index(tmp_path: Path, big_feed: Path) -> None:
    db = tmp_path / "news.db"
    code, stdout, stderr = _interrupt(["index", "add", "--db", str(db), str(big_feed)], b"\n", on_stdout=True)
    assert code == 130, stderr
    assert "Traceback" not in stderr
    printed = [json.loads(line) for line in stdout.decode().splitlines() if line.strip()]
    assert printed and len(printed) < 20_000  # interrupted after the first verdict, before the end
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in connection.execute("SELECT id FROM articles")}
    assert {v["id"] for v in printed if v["stored"]} <= stored  # every printed verdict is in the index
    again = run_process("index", "stats", "--db", str(db))
    assert again.returncode == 0 and json.loads(again.stdout)["articles"] == len(stored)


def test_a_100_mb_article_is_rejected_with_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(100):
            handle.write("word " * 200_000 + "\n")  # 100 MB, one "article"
    story = "\n\n".join(ProseMaker(seed=21).make(40) for _ in range(3))
    (tmp_path / "story.txt").write_text(story, encoding="utf-8")
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['dedup', 'report', {str(tmp_path)!r}, '--format', 'json']\n"
        "try:\n    runpy.run_module('dedup', run_name='__main__')\n"
        "finally:\n    sys.stderr.write('PEAK_KB ' + open('/proc/self/status').read().split('VmHWM:')[1].split()[0])\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=HANG_GUARD)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["rejected"][0]["id"] == "big.txt" and "over clean.max_chars" in report["rejected"][0]["reason"]
    peak_gb = int(proc.stderr.rsplit("PEAK_KB ", 1)[1].split()[0]) / 1e6
    assert peak_gb < 1.5, f"peak RSS {peak_gb:.2f} GB for a 100 MB input"  # a guard against blow-up, not a target
