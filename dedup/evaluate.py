"""Evaluation: score a clustering against labels.

Labels are a CSV with columns ``id,cluster``: articles with the same ``cluster``
value are copies of one text. Only labelled ids are scored; a labelled id that the
result does not cluster counts as a predicted singleton. An optional CSV of pairs to
ignore (``id_a,id_b[,reason]``) removes judgement calls from the pairwise counts.

Metrics:

* pairwise precision, recall and F1 over "same cluster" pairs (ignored pairs left out);
* ARI, the adjusted Rand index (scikit-learn), over all labelled ids;
* B-cubed precision, recall and F1 (per-article averages).

Example:
    >>> s = score_clusters({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "x", "c": "x"})
    >>> round(s.precision, 3), s.recall
    (0.333, 1.0)
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedup.errors import InputError
from dedup.models import Result

Pair = tuple[str, str]


@dataclass(frozen=True)
class Scores:
    """Agreement of a predicted clustering with the labels."""

    articles: int
    true_pairs: int
    predicted_pairs: int
    true_positives: int
    ignored_pairs: int
    precision: float
    recall: float
    f1: float
    ari: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    false_positives: tuple[Pair, ...] = field(default=(), repr=False)
    false_negatives: tuple[Pair, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (pair lists included)."""
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in ("false_positives", "false_negatives")}
        data["false_positives"] = [list(p) for p in self.false_positives]
        data["false_negatives"] = [list(p) for p in self.false_negatives]
        return data


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs_within(groups: Mapping[str, list[str]]) -> set[Pair]:
    pairs: set[Pair] = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            pairs.add((a, b))
    return pairs


def _groups(mapping: Mapping[str, str], ids: Iterable[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        groups[mapping.get(i, "\x00singleton:" + i)].append(i)
    return groups


def score_clusters(
    truth: Mapping[str, str], predicted: Mapping[str, str], ignore: Iterable[Pair] = ()
) -> Scores:
    """Score predicted cluster labels against true ones, over the labelled ids.

    Args:
        truth: Labelled id -> true cluster.
        predicted: Id -> predicted cluster (ids missing here are predicted singletons).
        ignore: Pairs to leave out of the pairwise counts.

    Returns:
        The scores, with the wrong pairs listed.
    """
    ids = sorted(truth)
    true_groups = _groups(truth, ids)
    pred_groups = _groups(predicted, ids)
    labelled = set(ids)
    ignored = {_pair(a, b) for a, b in ignore if a in labelled and b in labelled}
    true_pairs = _pairs_within(true_groups) - ignored
    pred_pairs = _pairs_within(pred_groups) - ignored
    hits = true_pairs & pred_pairs
    precision = len(hits) / len(pred_pairs) if pred_pairs else 1.0
    recall = len(hits) / len(true_pairs) if true_pairs else 1.0

    true_of = {i: truth[i] for i in ids}
    pred_of = {i: predicted.get(i, "\x00singleton:" + i) for i in ids}
    b_precision = b_recall = 0.0
    for i in ids:
        pred_members = set(pred_groups[pred_of[i]])
        true_members = set(true_groups[true_of[i]])
        common = len(pred_members & true_members)
        b_precision += common / len(pred_members)
        b_recall += common / len(true_members)
    n = len(ids)
    b_precision = b_precision / n if n else 1.0
    b_recall = b_recall / n if n else 1.0

    return Scores(
        articles=n,
        true_pairs=len(true_pairs),
        predicted_pairs=len(pred_pairs),
        true_positives=len(hits),
        ignored_pairs=len(ignored),
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        ari=_ari([true_of[i] for i in ids], [pred_of[i] for i in ids]),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        false_positives=tuple(sorted(pred_pairs - true_pairs)),
        false_negatives=tuple(sorted(true_pairs - pred_pairs)),
    )


def _ari(true_labels: list[str], pred_labels: list[str]) -> float:
    try:
        from sklearn.metrics import adjusted_rand_score
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError(
            "evaluation needs scikit-learn for the adjusted Rand index; install it with "
            "pip install 'dedup[eval]'"
        ) from None
    if len(true_labels) < 2:
        return 1.0
    return float(adjusted_rand_score(true_labels, pred_labels))


def predicted_labels(result: Result | Mapping[str, Any]) -> dict[str, str]:
    """Id -> cluster id of every clustered article, from a Result or its JSON form."""
    mapping: dict[str, str] = {}
    if isinstance(result, Result):
        for cluster in result.clusters:
            for member in cluster.members:
                mapping[member.id] = cluster.cluster_id
        return mapping
    if not isinstance(result, Mapping) or not isinstance(result.get("clusters", []), list):
        raise InputError("not a dedup JSON report: expected an object with a 'clusters' list")
    for cluster in result.get("clusters", []):
        for member in cluster["members"]:
            mapping[str(member["id"])] = str(cluster["cluster_id"])
    return mapping


def _read_csv(path: str | Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """``(line number, row)`` for every row, with the required columns checked and non-empty."""
    path = Path(path)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        # utf-8-sig: spreadsheet exports start with a byte order mark.
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(
                    f"{path}: missing column(s) {', '.join(missing)}; the header must include {','.join(required)}"
                )
            for row in reader:
                if any(not (row.get(c) or "").strip() for c in required):
                    raise InputError(f"{path}:{reader.line_num}: empty {' or '.join(required)} value")
                rows.append((reader.line_num, row))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read CSV: {exc}") from None
    return rows


def load_labels(path: str | Path) -> dict[str, str]:
    """Read an ``id,cluster`` CSV; an id listed twice with different clusters is an error."""
    labels: dict[str, str] = {}
    for line, row in _read_csv(path, ("id", "cluster")):
        key, cluster = row["id"].strip(), row["cluster"].strip()
        if labels.get(key, cluster) != cluster:
            raise InputError(f"{path}:{line}: id {key!r} is labelled twice with different clusters")
        labels[key] = cluster
    return labels


def load_ignore(path: str | Path) -> list[Pair]:
    """Read an ``id_a,id_b[,reason]`` CSV of pairs to leave out of scoring."""
    return [_pair(r["id_a"].strip(), r["id_b"].strip()) for _, r in _read_csv(path, ("id_a", "id_b"))]


def format_scores(name: str, s: Scores) -> str:
    """One readable block of scores."""
    return (
        f"{name}: {s.articles} labelled articles, {s.true_pairs} true pairs, "
        f"{s.predicted_pairs} predicted pairs ({s.ignored_pairs} ignored)\n"
        f"  pairwise  precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}\n"
        f"  B-cubed   precision {s.bcubed_precision:.4f}  recall {s.bcubed_recall:.4f}  F1 {s.bcubed_f1:.4f}\n"
        f"  ARI {s.ari:.4f}\n"
    )
