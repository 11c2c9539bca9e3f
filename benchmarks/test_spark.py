"""Spark local[2] beside the local engine: ``dedup report FILE --format json`` run both ways.

Run: ``python -m pytest benchmarks/test_spark.py`` (needs Java and the ``spark`` extra).
``DEDUP_BENCH_SPARK_SIZES`` (default ``100000``) picks the generated corpus sizes; add
``1000000`` for the million-article run. Each run is a child process (Spark's JVM is
its child), timed by wall clock; both engines must print the same report. Ratios, not
lone times: the machine is noisy.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.corpus import corpus_file

SIZES = [int(s) for s in os.environ.get("DEDUP_BENCH_SPARK_SIZES", "100000").split(",") if s.strip()]
CACHE = Path(os.environ.get("DEDUP_BENCH_CACHE", Path.home() / ".cache" / "dedup-bench"))
ENGINES = {
    "local": [],
    "spark": ["--engine", "spark", "--master", "local[2]", "--spark-conf", "spark.driver.memory=12g"],
}
RESULTS: dict[int, dict[str, float]] = {}
OUTPUTS: dict[int, dict[str, str]] = {}


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("engine", list(ENGINES))
def test_engine(benchmark, engine: str, n: int) -> None:  # noqa: ANN001
    path = corpus_file(n, CACHE)
    command = [sys.executable, "-m", "dedup", "report", str(path), "--format", "json", "--quiet", *ENGINES[engine]]

    def run() -> str:
        proc = subprocess.run(command, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout

    benchmark.group = f"engines, {n:,} generated articles"
    report = benchmark.pedantic(run, rounds=1, iterations=1)
    RESULTS.setdefault(n, {})[engine] = benchmark.stats.stats.min
    OUTPUTS.setdefault(n, {})[engine] = hashlib.sha256(report.encode()).hexdigest()
    if len(OUTPUTS[n]) == len(ENGINES):
        assert len(set(OUTPUTS[n].values())) == 1, f"the engines disagree at {n:,} articles"


@pytest.fixture(scope="module", autouse=True)
def _summary(report_table):  # noqa: ANN001, ANN202
    yield
    lines = ["### Spark local[2] beside the local engine (`dedup report`, one run each, same machine)",
             "| articles | local | Spark local[2] | Spark / local | same report |", "|---|---|---|---|---|"]
    for n, times in sorted(RESULTS.items()):
        local, spark = times.get("local"), times.get("spark")
        ratio = f"{spark / local:.1f}x" if local and spark else "-"
        same = "yes" if len(set(OUTPUTS[n].values())) == 1 and len(OUTPUTS[n]) == len(ENGINES) else "-"
        lines.append(f"| {n:,} | {local or 0:.1f} s | {spark or 0:.1f} s | {ratio} | {same} |")
    report_table("\n".join(lines))
