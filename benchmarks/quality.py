"""Quality evaluation shared by the benchmarks: dedup and the anchor recipes on the
labelled dev sets and on the syndication simulator."""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import dedup
from benchmarks.recipes import RECIPES, datasketch_recipe
from dedup.evaluate import Pair, Scores, load_ignore, load_labels, predicted_labels, score_clusters
from tests.support import newsday, simulator

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
LABELS = ROOT / "benchmarks" / "data"
DEV_SETS = {
    "scrape_dev": ("scrape_dev.jsonl", "scrape_dev"),
    "bbc": ("bbc.jsonl", "bbc"),
    "reuters": ("reuters21578.jsonl", "reuters"),
}


@dataclass
class Run:
    """One method on one data set."""

    method: str
    data: str
    scores: Scores
    seconds: float
    predicted: Mapping[str, str]


def read_dev(name: str) -> tuple[list[dedup.Article], dict[str, str], list[Pair]]:
    """Articles of a dev corpus (all of them), its labels and its ignore pairs."""
    corpus, stem = DEV_SETS[name]
    path = SHARED / corpus
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the benchmarks read the dev corpora from ../shared/data")
    articles = [a for a in dedup.read_articles([path]) if isinstance(a, dedup.Article)]
    return articles, load_labels(LABELS / f"{stem}_labels.csv"), load_ignore(LABELS / f"{stem}_ignore.csv")


def run_dedup(articles: list[dedup.Article], **options: object) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    result = dedup.deduplicate(articles, **options)  # type: ignore[arg-type]
    return predicted_labels(result), time.perf_counter() - started


def run_recipe(articles: list[dedup.Article], recipe: Mapping[str, object]) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    predicted = datasketch_recipe([a.id for a in articles], [a.text for a in articles], **recipe)  # type: ignore[arg-type]
    return predicted, time.perf_counter() - started


def evaluate_all(
    data: str, articles: list[dedup.Article], truth: Mapping[str, str], ignore: list[Pair],
    methods: Mapping[str, Callable[[], tuple[dict[str, str], float]]] | None = None,
) -> list[Run]:
    """dedup (defaults) and every anchor recipe on one data set."""
    todo: dict[str, Callable[[], tuple[dict[str, str], float]]] = {"dedup (defaults)": lambda: run_dedup(articles)}
    for name, recipe in RECIPES.items():
        todo[name] = lambda recipe=recipe: run_recipe(articles, recipe)  # type: ignore[misc]
    if methods:
        todo.update(methods)
    runs = []
    for method, call in todo.items():
        predicted, seconds = call()
        runs.append(Run(method, data, score_clusters(truth, predicted, ignore), seconds, predicted))
    return runs


def table(runs: list[Run]) -> str:
    """A Markdown table of the runs."""
    lines = [
        "| data | method | pairwise P | pairwise R | pairwise F1 | ARI | B-cubed F1 | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        s = r.scores
        lines.append(
            f"| {r.data} | {r.method} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.ari:.3f} "
            f"| {s.bcubed_f1:.3f} | {r.seconds:.1f} |"
        )
    return "\n".join(lines)


def simulated(n_stories: int = 300, seed: int = 0) -> tuple[list[dedup.Article], simulator.SimulatedCorpus]:
    """The simulated corpus as dedup Articles (read through the JSONL reader) and its ground truth."""
    corpus = simulator.simulate(SHARED / "bbc.jsonl", n_stories=n_stories, seed=seed)
    lines = "\n".join(json.dumps(record) for record in corpus.articles).encode("utf-8")
    articles = [a for a in dedup.read_articles(["-"], stdin=io.BytesIO(lines)) if isinstance(a, dedup.Article)]
    return articles, corpus


def recall_by_edit(corpus, predicted: Mapping[str, str]) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    """Per edit type: (copies found with their story's original, copies). Also the
    row ``keeps-half`` over every copy that keeps at least half of the base text."""
    original_of = {}
    for article_id, edit in corpus.edit.items():
        if edit == "original":
            original_of[corpus.labels[article_id]] = article_id
    found: dict[str, list[int]] = {}
    for article_id, edit in corpus.edit.items():
        if edit in ("original", "negative-template", "negative-same-topic"):
            continue
        original = original_of[corpus.labels[article_id]]
        hit = article_id in predicted and predicted.get(original) == predicted[article_id]
        for key in (edit, "all copies") + (("keeps-half",) if corpus.keeps_half[article_id] else ()):
            cell = found.setdefault(key, [0, 0])
            cell[0] += int(hit)
            cell[1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(found.items())}


def merged_negatives(corpus, predicted: Mapping[str, str]) -> list[tuple[str, str]]:  # noqa: ANN001
    """Hard-negative pairs that a method put in one cluster."""
    return [
        (a, b) for a, b in corpus.hard_negative_pairs if a in predicted and predicted.get(a) == predicted.get(b)
    ]


PLAIN_RECIPE = "datasketch 0.3 + exact Jaccard"
"""The plain recipe every set is measured against: raw-text word 5-grams, MinHashLSH,
exact Jaccard >= 0.3, union-find."""


def news_day_articles(day: newsday.NewsDay) -> list[dedup.Article]:
    """A simulated news day as dedup Articles, read through the JSONL reader."""
    lines = "\n".join(json.dumps(record) for record in day.articles).encode("utf-8")
    return [a for a in dedup.read_articles(["-"], stdin=io.BytesIO(lines)) if isinstance(a, dedup.Article)]


TRUNCATIONS = ("version-teaser", "version-trimmed", "template-teaser")
"""Structures that are truncations of their family's text (plus classic teaser/trimmed copies)."""


def structure_scores(day: newsday.NewsDay, predicted: Mapping[str, str]) -> dict[str, tuple[int, int]]:
    """Per structure of the news day: (cases handled right, cases).

    * ``version chain``: pairs of one version chain's pages (versions and renderings) in one cluster;
    * ``truncation``: teasers and trimmed renderings clustered with at least one page of their family;
    * ``compilation member left alone``: compilation-member pairs in different clusters;
    * ``template page left alone``: pairs of one template site's pages of different families apart;
    * ``different stories kept apart``: predicted same-cluster pairs whose labels agree;
    * ``families of one story``: predicted clusters whose members all have one label
      (a cluster that fails merges different stories).
    """
    def together(a: str, b: str) -> bool:
        return a in predicted and predicted.get(a) == predicted.get(b)

    families = day.families()
    chain_pairs = [
        (a, b) for label, members in families.items() if label.startswith("chain-")
        for i, a in enumerate(sorted(members)) for b in sorted(members)[i + 1:]
    ]
    truncations = [
        i for i, kind in day.structure.items()
        if kind in TRUNCATIONS or (kind == "copy" and day.edit[i] in ("teaser", "trimmed"))
    ]
    found_truncations = sum(
        any(together(i, other) for other in families.get(day.labels[i], []) if other != i) for i in truncations
    )
    rows = {
        "version chain": (sum(together(a, b) for a, b in chain_pairs), len(chain_pairs)),
        "truncation": (found_truncations, len(truncations)),
    }
    for why, name in (("compilation", "compilation member left alone"), ("template", "template page left alone")):
        pairs = [(a, b) for a, b, w in day.must_not_link if w == why]
        rows[name] = (sum(not together(a, b) for a, b in pairs), len(pairs))
    groups: dict[str, list[str]] = {}
    for article_id, cluster in predicted.items():
        groups.setdefault(cluster, []).append(article_id)
    predicted_pairs = [(a, b) for members in groups.values() for i, a in enumerate(members) for b in members[i + 1:]]
    rows["different stories kept apart"] = (
        sum(day.labels.get(a) == day.labels.get(b) for a, b in predicted_pairs), len(predicted_pairs)
    )
    clusters = [members for members in groups.values() if len(members) > 1]
    rows["families of one story"] = (
        sum(len({day.labels.get(i) for i in members}) == 1 for members in clusters), len(clusters)
    )
    return rows
