"""Speed benchmark: signatures from raw article text, dedup beside datasketch and rensa.

Run: ``python -m pytest benchmarks/test_speed.py`` (plain ``pytest`` never runs
benchmarks). Same generated corpus (10,000 articles of ~3 KB, seeded), same shingles
(word 5-grams of the lowercased text), 128 permutations, one core, tokenising and
normalisation included for everyone. The summary prints docs/s and dedup's ratio to
each; the machine is noisy, so read the ratios, not the lone times.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
import rensa
from datasketch import MinHash

from dedup.pipeline import text_signatures
from tests.support.corpus import generate

N_ARTICLES = 10_000
NUM_PERM = 128
SIZE = 5
_WORD = re.compile(r"\w+")
RATES: dict[str, float] = {}


def _word_shingles(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    return [" ".join(words[i : i + SIZE]) for i in range(max(1, len(words) - SIZE + 1))]


def dedup_signatures(texts: list[str]) -> np.ndarray:
    return text_signatures(texts, SIZE, NUM_PERM, 1)


def datasketch_bulk(texts: list[str]) -> list[MinHash]:
    return MinHash.bulk([[s.encode("utf-8") for s in _word_shingles(t)] for t in texts], num_perm=NUM_PERM)


def rensa_signatures(texts: list[str]) -> list[list[int]]:
    out = []
    for text in texts:
        sketch = rensa.RMinHash(num_perm=NUM_PERM, seed=1)
        sketch.update(_word_shingles(text))
        out.append(sketch.digest())
    return out


METHODS: dict[str, tuple[Callable[[list[str]], object], int]] = {
    "dedup (compiled)": (dedup_signatures, 5),
    "rensa RMinHash": (rensa_signatures, 3),
    "datasketch MinHash.bulk": (datasketch_bulk, 1),
}


@pytest.fixture(scope="module")
def texts(report_table) -> list[str]:  # noqa: ANN001
    corpus = generate(N_ARTICLES, seed=0).texts
    dedup_signatures(corpus[:10])  # compile (or load the cached kernels) before timing
    yield corpus
    if len(RATES) == len(METHODS):
        ours = RATES["dedup (compiled)"]
        lines = [
            f"### Signatures from article text ({N_ARTICLES:,} generated articles, "
            f"{np.mean([len(t) for t in corpus]) / 1000:.1f} KB mean, {NUM_PERM} permutations, one core)",
            "| method | docs/s | dedup is faster by |",
            "|---|---|---|",
        ]
        for name, rate in sorted(RATES.items(), key=lambda item: -item[1]):
            lines.append(f"| {name} | {rate:,.0f} | {ours / rate:.1f}x |")
        report_table("\n".join(lines))


@pytest.mark.parametrize("name", list(METHODS))
def test_signatures_from_text(benchmark, texts, name):  # noqa: ANN001
    function, rounds = METHODS[name]
    benchmark.group = "signatures from text"
    result = benchmark.pedantic(function, args=(texts,), rounds=rounds, iterations=1)
    assert len(result) == len(texts)
    RATES[name] = len(texts) / benchmark.stats.stats.min
    benchmark.extra_info["docs_per_second"] = round(RATES[name])
