"""Threshold calibration: the precision/recall curve on a labelled sample.

The batch is prepared and its LSH candidates found once, tuned for the lowest
threshold of the sweep; each threshold then only re-verifies and re-clusters.

Example:
    >>> from dedup import Article
    >>> text = "The council approved the new budget on Tuesday after a long debate."
    >>> arts = [Article("a", text), Article("b", text + " More soon.")]
    >>> curve = precision_recall_curve(arts, {"a": "1", "b": "1"}, thresholds=(0.5, 0.9))
    >>> [(t, s.recall) for t, s in curve]
    [(0.5, 1.0), (0.9, 0.0)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from dedup.config import DedupConfig
from dedup.evaluate import Pair, Scores, predicted_labels, score_clusters
from dedup.models import Article, Rejection
from dedup.pipeline import Deduplicator

DEFAULT_THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(16))  # 0.20 .. 0.95


def precision_recall_curve(
    articles: Iterable[Article | Rejection],
    truth: Mapping[str, str],
    ignore: Iterable[Pair] = (),
    config: DedupConfig | None = None,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
) -> list[tuple[float, Scores]]:
    """Scores at each copy threshold, all other settings as in ``config``.

    Args:
        articles: The labelled sample (unlabelled articles may be included; only labelled
            ids are scored).
        truth: Id -> true cluster.
        ignore: Pairs to leave out of scoring.
        config: Base configuration (defaults if None).
        thresholds: Copy thresholds to try.

    Returns:
        ``(threshold, scores)`` in increasing threshold order.
    """
    base = config if config is not None else DedupConfig()
    grid = sorted(set(thresholds))
    ignored = list(ignore)
    lowest = base.with_options(threshold=grid[0])
    if base.lsh.bands is None:
        lowest = lowest.with_options(lsh_threshold=base.lsh.threshold or grid[0] / 2)
    engine = Deduplicator(lowest)
    batch = engine.prepare_batch(articles)
    pairs = engine.find_candidates(batch)
    curve = []
    for threshold in grid:
        result = Deduplicator(base.with_options(threshold=threshold)).finish(batch, pairs)
        curve.append((threshold, score_clusters(truth, predicted_labels(result), ignored)))
    return curve


def suggest_threshold(curve: Sequence[tuple[float, Scores]], target_precision: float) -> float | None:
    """The lowest threshold (most recall) whose pairwise precision reaches the target, or None."""
    for threshold, scores in curve:
        if scores.precision >= target_precision:
            return threshold
    return None
