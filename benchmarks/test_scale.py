"""Stage, end-to-end and scaling benchmarks, dedup beside the datasketch recipe.

Run: ``python -m pytest benchmarks/test_scale.py`` (plain ``pytest`` never runs
benchmarks). ``DEDUP_BENCH_SCALES`` (default ``10000,100000``) picks the corpus sizes
of the scaling table; add ``1000000`` for the million-article run. Everything runs
in this process except the scaling rows, which run ``dedup report`` in a child
process so its wall time and peak RSS are its own. Ratios, not lone times: the
machine is noisy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from benchmarks.recipes import datasketch_recipe
from dedup import Article, Deduplicator
from dedup.evaluate import predicted_labels, score_clusters
from dedup.io.readers import read_articles
from dedup.lsh import candidate_pairs
from dedup.minhash import signatures
from tests.support.corpus import corpus_file, generate

N_STAGE = 10_000
N_LSH = 1_000_000
SCALES = [int(s) for s in os.environ.get("DEDUP_BENCH_SCALES", "10000,100000").split(",") if s.strip()]
CACHE = Path(os.environ.get("DEDUP_BENCH_CACHE", Path.home() / ".cache" / "dedup-bench"))
RESULTS: dict[str, dict[str, float]] = {}


@pytest.fixture(scope="module")
def corpus():  # noqa: ANN201
    return generate(N_STAGE, seed=0)


@pytest.fixture(scope="module")
def batch(corpus):  # noqa: ANN001, ANN201
    dedup = Deduplicator()
    prepared = dedup.prepare_batch(Article(i, t) for i, t in zip(corpus.ids, corpus.texts))
    return dedup, prepared


def test_stage_prepare(benchmark, corpus):  # noqa: ANN001
    """Repair, clean, normalise, shingle (Python, per article): the slowest stage."""
    dedup = Deduplicator()
    articles = [Article(i, t) for i, t in zip(corpus.ids[:2000], corpus.texts[:2000])]
    benchmark.group = "stages (10k generated articles)"
    benchmark.pedantic(lambda: [dedup.prepare(a) for a in articles], rounds=1, iterations=1)
    RESULTS.setdefault("stages", {})["prepare docs/s"] = len(articles) / benchmark.stats.stats.min


def test_stage_signatures(benchmark, batch):  # noqa: ANN001
    dedup, prepared = batch
    sets = [p.shingles for p in prepared.prepared]
    benchmark.group = "stages (10k generated articles)"
    matrix = benchmark.pedantic(signatures, args=(sets, 128, 1), rounds=5, iterations=1)
    assert matrix.shape == (len(sets), 128)
    RESULTS.setdefault("stages", {})["minhash docs/s"] = len(sets) / benchmark.stats.stats.min


def test_stage_verify(benchmark, batch):  # noqa: ANN001
    dedup, prepared = batch
    pairs = dedup.find_candidates(prepared)
    benchmark.group = "stages (10k generated articles)"
    scores = benchmark.pedantic(prepared.scores, args=(pairs,), rounds=5, iterations=1)
    assert len(scores) == pairs.shape[0] > 0
    RESULTS.setdefault("stages", {})["verify pairs/s"] = pairs.shape[0] / benchmark.stats.stats.min


def _planted_signatures(n: int) -> np.ndarray:
    """``n`` random signatures, 10% of them copies of another with 40 of 128 values changed."""
    rng = np.random.default_rng(0)
    sig = rng.integers(0, 2**32, (n, 128), dtype=np.uint32)
    copies = rng.choice(n, n // 10, replace=False)
    half = n // 20
    sig[copies[:half]] = sig[copies[half:]]
    sig[copies[:half], :40] = rng.integers(0, 2**32, (half, 40), dtype=np.uint32)
    return sig


def test_candidate_generation_1m(benchmark):  # noqa: ANN001
    """LSH at the default banding (64 x 2) on 1M signatures: docs/s and the memory of
    signatures plus index (the matrix, and the peak numpy allocation while banding)."""
    sig = _planted_signatures(N_LSH)
    order = np.random.default_rng(1).permutation(N_LSH)
    candidate_pairs(sig[:1000], 64, 2)  # load the kernels
    benchmark.group = "candidate generation (1M signatures)"
    result = benchmark.pedantic(
        candidate_pairs, args=(sig, 64, 2), kwargs=dict(order=order, workers=2), rounds=3, iterations=1
    )
    assert result.pairs.shape[0] >= N_LSH // 20  # every planted copy shares many bands
    tracemalloc.start()
    candidate_pairs(sig, 64, 2, order=order, workers=2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    RESULTS["lsh"] = {
        "docs/s": N_LSH / benchmark.stats.stats.min,
        "GB": (sig.nbytes + peak) / 1e9,
    }


def test_datasketch_lsh_100k(benchmark):  # noqa: ANN001
    """datasketch MinHashLSH insert + query on 100k of the same signatures (1M would
    take minutes): its docs/s, for the ratio."""
    n = 100_000
    sig = _planted_signatures(n)
    sketches = [MinHash(num_perm=128, hashvalues=row, scheme="affine32") for row in sig]

    def run() -> int:
        lsh = MinHashLSH(threshold=0.3, num_perm=128, params=(64, 2))
        for i, sketch in enumerate(sketches):
            lsh.insert(i, sketch)
        return sum(len(lsh.query(s)) for s in sketches)

    benchmark.group = "candidate generation (1M signatures)"
    assert benchmark.pedantic(run, rounds=1, iterations=1) > n
    RESULTS["datasketch lsh"] = {"docs/s": n / benchmark.stats.stats.min}


def _f1(corpus, mapping) -> float:  # noqa: ANN001
    truth = dict(zip(corpus.ids, corpus.labels))
    return score_clusters(truth, mapping).f1


def test_end_to_end_dedup(benchmark, corpus):  # noqa: ANN001
    articles = [Article(i, t) for i, t in zip(corpus.ids, corpus.texts)]
    benchmark.group = "end to end (10k generated articles)"
    result = benchmark.pedantic(Deduplicator().run, args=(articles,), rounds=1, iterations=1)
    RESULTS["dedup"] = {"seconds": benchmark.stats.stats.min, "f1": _f1(corpus, predicted_labels(result))}


def test_end_to_end_datasketch_recipe(benchmark, corpus):  # noqa: ANN001
    """MinHash.bulk + MinHashLSH (0.3, dedup's LSH threshold) + union-find."""
    benchmark.group = "end to end (10k generated articles)"
    mapping = benchmark.pedantic(
        datasketch_recipe, args=(corpus.ids, corpus.texts), kwargs=dict(threshold=0.3, verify=False),
        rounds=1, iterations=1,
    )
    RESULTS["datasketch recipe"] = {"seconds": benchmark.stats.stats.min, "f1": _f1(corpus, mapping)}


def test_reuters_dedup_and_recipe(benchmark, shared_data):  # noqa: ANN001
    """The whole Reuters corpus (21,578 wire items): dedup, then the recipe, same run."""
    items = list(read_articles([shared_data / "reuters21578.jsonl"]))
    articles = [a for a in items if isinstance(a, Article)]
    benchmark.group = "reuters21578 end to end"
    started = time.perf_counter()
    result = benchmark.pedantic(Deduplicator().run, args=(items,), rounds=1, iterations=1)
    assert result.stats["articles"] == len(items)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    datasketch_recipe([a.id for a in articles], [a.text for a in articles], threshold=0.3, verify=False)
    RESULTS["reuters"] = {"dedup": ours, "recipe": time.perf_counter() - started}


_REPORT_WITH_PEAK = """
import resource, runpy, sys
sys.argv = ["dedup", "report", sys.argv[1], "--format", "json", "--no-progress"]
try:
    runpy.run_module("dedup", run_name="__main__")
except SystemExit as done:
    if done.code:
        raise
finally:
    # VmHWM, not getrusage: Linux carries ru_maxrss over exec from the parent.
    status = open("/proc/self/status").read()
    sys.stderr.write("PEAK_KB " + status.split("VmHWM:")[1].split()[0] + "\\n")
"""


@pytest.mark.parametrize("n", SCALES)
def test_scaling_dedup_report(benchmark, n):  # noqa: ANN001
    """``dedup report FILE --format json`` in a child process: wall time and the main
    process's peak RSS (its ``VmHWM``; the two prepare workers hold one chunk each)."""
    path = corpus_file(n, CACHE)
    command = [sys.executable, "-c", _REPORT_WITH_PEAK, str(path)]

    def run() -> dict:
        proc = subprocess.run(command, capture_output=True, text=True, check=True)
        peak_kb = max(int(v) for v in proc.stderr.rsplit("PEAK_KB", 1)[1].split())
        return {"report": json.loads(proc.stdout), "peak_kb": peak_kb}

    benchmark.group = "scaling: dedup report"
    out = benchmark.pedantic(run, rounds=1, iterations=1)
    assert out["report"]["stats"]["articles"] == n
    RESULTS.setdefault("scaling", {})[f"{n}"] = benchmark.stats.stats.min
    RESULTS.setdefault("scaling_rss", {})[f"{n}"] = out["peak_kb"] / 1e6


@pytest.fixture(scope="module", autouse=True)
def _summary(report_table):  # noqa: ANN001, ANN202
    yield
    lines = ["### Stages, end to end and scaling (one run, same machine)"]
    if "stages" in RESULTS:
        lines.append(
            ", ".join(f"{name}: {value:,.0f}" for name, value in RESULTS["stages"].items())
        )
    if "lsh" in RESULTS:
        lsh = RESULTS["lsh"]
        ratio = f"; datasketch MinHashLSH {RESULTS['datasketch lsh']['docs/s']:,.0f} docs/s, dedup is " \
            f"{lsh['docs/s'] / RESULTS['datasketch lsh']['docs/s']:.0f}x faster" if "datasketch lsh" in RESULTS else ""
        lines.append(
            f"candidate generation, 1M signatures: {lsh['docs/s']:,.0f} docs/s, signatures + index "
            f"{lsh['GB']:.2f} GB{ratio}"
        )
    if "dedup" in RESULTS and "datasketch recipe" in RESULTS:
        ours, theirs = RESULTS["dedup"], RESULTS["datasketch recipe"]
        lines.append(
            f"end to end, {N_STAGE:,} generated: dedup {ours['seconds']:.1f} s (F1 {ours['f1']:.3f}), "
            f"datasketch recipe {theirs['seconds']:.1f} s (F1 {theirs['f1']:.3f}): "
            f"{theirs['seconds'] / ours['seconds']:.1f}x"
        )
    if "reuters" in RESULTS:
        r = RESULTS["reuters"]
        lines.append(f"reuters21578: dedup {r['dedup']:.1f} s, datasketch recipe {r['recipe']:.1f} s")
    if "scaling" in RESULTS:
        lines += ["| articles | dedup report wall s | peak RSS GB |", "|---|---|---|"]
        for n, seconds in RESULTS["scaling"].items():
            lines.append(f"| {int(n):,} | {seconds:.1f} | {RESULTS['scaling_rss'][n]:.2f} |")
    report_table("\n".join(lines))
