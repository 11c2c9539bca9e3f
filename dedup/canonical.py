"""Canonical election: which copy of a cluster to keep, and a sentence saying why.

A policy is an ordered list of rules; the first rule on which the best copy beats
the runner-up decides, and the reason names it with the numbers:

* ``most_complete``: most body words after page junk is removed.
* ``earliest_published``: earliest ``published`` time; undated copies rank last.
* ``least_boilerplate``: smallest share of the page removed as junk.
* ``smallest_id``: smallest id (string order) — always the final tie-break, so
  the election is a total order and never depends on input order.

Example:
    >>> facts = [ArticleFacts("a", 120, None, 0.1), ArticleFacts("b", 300, None, 0.4)]
    >>> elect([0, 1], facts, ("most_complete", "smallest_id"))[0]
    1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dedup.dates import iso_utc, utc


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What the policy looks at for one article, and what reports name it by
    (:mod:`dedup.heading`: never used for matching or election)."""

    id: str
    body_words: int
    published: datetime | None
    boilerplate_share: float
    headline: str | None = None
    site: str | None = None


def _rule_key(rule: str, facts: ArticleFacts) -> Any:
    if rule == "most_complete":
        return -facts.body_words
    if rule == "earliest_published":
        if facts.published is None:
            return (1, 0.0)
        return (0, utc(facts.published).timestamp())
    if rule == "least_boilerplate":
        return round(facts.boilerplate_share, 6)
    return facts.id


def time_order(facts: ArticleFacts) -> tuple[int, float, str]:
    """Where an article stands when a family is listed in time order: dated ones by
    publication time, then the undated; ties by id.

    Example:
        >>> time_order(ArticleFacts("b", 10, None, 0.0)) > time_order(ArticleFacts("a", 10, None, 0.0))
        True
    """
    if facts.published is None:
        return (1, 0.0, facts.id)
    return (0, utc(facts.published).timestamp(), facts.id)


def sort_key(facts: ArticleFacts, policy: Sequence[str]) -> tuple[Any, ...]:
    """The article's key under the policy: smaller is a better canonical."""
    return tuple(_rule_key(rule, facts) for rule in policy)


def policy_rank(all_facts: Sequence[ArticleFacts], policy: Sequence[str]) -> list[int]:
    """Each article's position when all are ordered by the policy (0 = best)."""
    order = sorted(range(len(all_facts)), key=lambda i: sort_key(all_facts[i], policy))
    rank = [0] * len(all_facts)
    for position, index in enumerate(order):
        rank[index] = position
    return rank


def _describe(rule: str, best: ArticleFacts, runner_up: ArticleFacts) -> str:
    if rule == "most_complete":
        return (
            f"most complete body: {best.body_words} words after page junk was removed, "
            f"against {runner_up.body_words} for the next fullest copy ({runner_up.id})"
        )
    if rule == "earliest_published":
        assert best.published is not None
        when = iso_utc(best.published)
        if runner_up.published is None:
            return f"published first: dated {when}, the next copy ({runner_up.id}) has no date"
        other = iso_utc(runner_up.published)
        return f"published first: {when}, before {other} ({runner_up.id})"
    if rule == "least_boilerplate":
        return (
            f"cleanest page: {best.boilerplate_share:.1%} of it was page junk, "
            f"against {runner_up.boilerplate_share:.1%} for {runner_up.id}"
        )
    return f"smallest id (final tie-break), before {runner_up.id}"


def _tie_words(rule: str, facts: ArticleFacts) -> str | None:
    """How to say that the copies tie on a rule, or None for the final tie-break."""
    if rule == "most_complete":
        return f"the same body length ({facts.body_words} words)"
    if rule == "earliest_published":
        return "no publication date" if facts.published is None else "the same publication time"
    if rule == "least_boilerplate":
        return "the same share of page junk"
    return None


def elect(members: Sequence[int], all_facts: Sequence[ArticleFacts], policy: Sequence[str]) -> tuple[int, str]:
    """Pick the canonical of a cluster and explain the choice.

    Args:
        members: Row indices of the cluster (two or more).
        all_facts: Facts of every row.
        policy: Rule names, ending with ``smallest_id``.

    Returns:
        ``(canonical_row, reason)``.
    """
    ordered = sorted(members, key=lambda i: sort_key(all_facts[i], policy))
    best, runner_up = all_facts[ordered[0]], all_facts[ordered[1]]
    tied: list[str] = []
    for rule in policy:
        if _rule_key(rule, best) != _rule_key(rule, runner_up):
            reason = _describe(rule, best, runner_up)
            break
        words = _tie_words(rule, best)
        if words:
            tied.append(words)
    else:  # pragma: no cover - ids are unique, so smallest_id always decides
        reason = "identical on every rule"
    if tied:
        reason += f" (the copies have {' and '.join(tied)})"
    return ordered[0], f"{best.id}: {reason}"
