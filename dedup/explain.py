"""Why two articles are, or are not, copies: the engine's scores for one pair, the rule
that decided, and the passages they share.

Example:
    >>> from dedup import Article
    >>> text = "The council voted on Monday to close the old bridge for a year of repairs."
    >>> found = explain_pair(Article("a", text), Article("b", "Update: " + text))
    >>> found.relation, len(found.passages)
    ('near', 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dedup.align import Passage, shared_passages, words
from dedup.config import DedupConfig
from dedup.dates import epoch_hours
from dedup.errors import InputError
from dedup.models import Article
from dedup.pipeline import Deduplicator, Prepared, removed_junk
from dedup.verify import Score, score


@dataclass(frozen=True)
class Side:
    """One article of the pair, as the engine saw it."""

    id: str
    body: str
    body_words: int
    shingles: int
    removed: int
    contained: float
    """Share of its shingles found in the other article."""
    own_contained: float
    figures: int
    figures_contained: float
    in_other: bool
    """Whether it counts as contained in the other under the copy rule."""
    why_not: str | None
    """When not contained, the rule that failed."""
    shared_words: float
    """Share of its body's words inside shared passages."""


@dataclass(frozen=True)
class Explanation:
    """The verdict on a pair, with the evidence.

    Args:
        a, b: The two articles' sides.
        jaccard: Jaccard similarity of the shingle sets.
        relation: ``exact``, ``near``, ``excerpt`` or ``none``.
        summary: One sentence saying what the relation means here.
        passages: The shared passages, in A's order.
        hours_apart: Hours between the publication dates, when both are dated.
    """

    a: Side
    b: Side
    jaccard: float
    relation: str
    summary: str
    passages: tuple[Passage, ...]
    hours_apart: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (``dedup explain --format json``)."""
        sides = {}
        for name, side in (("a", self.a), ("b", self.b)):
            sides[name] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(side).items() if k != "body"}
        return {
            **sides,
            "jaccard": round(self.jaccard, 4),
            "relation": self.relation,
            "summary": self.summary,
            "hours_apart": self.hours_apart,
            "passages": [
                {"words": p.words, "a_word": p.a_first, "b_word": p.b_first, "text": p.a_text(self.a.body)}
                for p in self.passages
            ],
        }


def _prepared(dedup: Deduplicator, article: Article) -> Prepared:
    outcome = dedup.prepare(article)
    if not isinstance(outcome, Prepared):
        raise InputError(f"{article.origin or article.id}: cannot be compared: {outcome.reason}")
    return outcome


def _why_not(failed: str | None, contained: float, own: float, figures: tuple[int, float],
             config: DedupConfig) -> str | None:
    """The failed copy-rule test (:func:`dedup.verify.failed_rule`) in words."""
    rule = config.verify
    if failed == "containment":
        return f"only {contained:.0%} of its shingles are in the other (threshold {rule.threshold:.0%})"
    if failed == "own_words":
        return (
            f"its own words (outside quotations) are only {own:.0%} in the other, under half the threshold: "
            "the shared text is quotations"
        )
    if failed == "recurring_figures":
        return (
            f"dated more than {rule.recurring_after_hours:g} hours apart and not all of its figures recur "
            f"({figures[1]:.0%}): a recurring report"
        )
    if failed == "figures":
        return f"only {figures[1]:.0%} of its {figures[0]} figures are in the other: another report with the same words"
    return None


def _side(prepared: Prepared, contained: float, own: tuple[int, float], figures: tuple[int, float],
          failed: str | None, passages_words: int, config: DedupConfig) -> Side:
    body_words = len(words(prepared.cleaned.body))
    return Side(
        id=prepared.article.id, body=prepared.cleaned.body, body_words=prepared.cleaned.body_words,
        shingles=int(prepared.shingles.size), removed=len(removed_junk(prepared)), contained=contained,
        own_contained=own[1], figures=figures[0], figures_contained=figures[1], in_other=failed is None,
        why_not=_why_not(failed, contained, own[1], figures, config), shared_words=passages_words / body_words if body_words else 0.0,
    )


def explain_pair(a: Article, b: Article, config: DedupConfig | None = None) -> Explanation:
    """Score one pair exactly as the batch engine would, and find their shared passages.

    Raises:
        InputError: Either article is unusable (empty, or nothing left after cleaning).
    """
    config = config if config is not None else DedupConfig()
    dedup = Deduplicator(config)
    first, second = _prepared(dedup, a), _prepared(dedup, b)
    apart = abs(epoch_hours(a.published) - epoch_hours(b.published))
    hours = None if math.isnan(apart) else apart
    result: Score = score(first.shingles, second.shingles, first.own, second.own, first.figures, second.figures, hours)
    rule = config.verify.rule
    relation = rule.relation(result)
    failed_a, failed_b = rule.failed_rules(result)
    passages = tuple(shared_passages(words(first.cleaned.body), words(second.cleaned.body), config.shingle.size))
    side_a = _side(first, result.containment_a, (result.own_a, result.own_containment_a),
                   (result.figures_a, result.figure_containment_a), failed_a, sum(p.words for p in passages), config)
    side_b = _side(second, result.containment_b, (result.own_b, result.own_containment_b),
                   (result.figures_b, result.figure_containment_b), failed_b, _b_words(passages), config)
    return Explanation(side_a, side_b, result.jaccard, relation, _summary(relation, side_a, side_b, hours, config),
                       passages, hours)


def _b_words(passages: tuple[Passage, ...]) -> int:
    """Words of B covered by passages (a B run used twice counts once)."""
    covered: set[int] = set()
    for p in passages:
        covered.update(range(p.b_first, p.b_first + p.words))
    return len(covered)


def _summary(relation: str, a: Side, b: Side, hours: float | None, config: DedupConfig) -> str:
    window = config.verify.window_days
    if relation == "exact":
        return "exact copies: the same text after page junk is removed"
    if relation == "near":
        return "near copies: each is mostly contained in the other"
    if relation == "excerpt":
        short, long = (a, b) if a.in_other else (b, a)
        return f"{short.id} is an excerpt of {long.id}: most of it is in {long.id}, not the other way round"
    if window and hours is not None and hours > window * 24:
        return f"not copies: dated {hours / 24:.1f} days apart, outside the {window:g}-day window"
    if a.in_other or b.in_other:
        short = a if a.in_other else b
        return (f"not copies: {short.id} is contained in the other but has fewer than "
                f"{config.verify.min_excerpt_shingles} shingles, too short to call an excerpt")
    return f"not copies: {a.id}: {a.why_not}; {b.id}: {b.why_not}"

