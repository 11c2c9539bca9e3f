"""Canonical election: deterministic tie-breaks, reasons, and custom policies."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import dedup
from dedup.canonical import ArticleFacts, elect, policy_rank
from dedup.config import CanonicalConfig

POLICY = ("most_complete", "earliest_published", "least_boilerplate", "smallest_id")


def facts(id_, words=100, published=None, junk=0.0) -> ArticleFacts:
    return ArticleFacts(id_, words, published, junk)


# --- unit: elect ------------------------------------------------------------------------


def test_most_complete_wins_first():
    rows = [facts("a", 100), facts("b", 300), facts("c", 200)]
    head, reason = elect([0, 1, 2], rows, POLICY)
    assert head == 1
    assert reason.startswith("b: most complete body: 300 words")
    assert "against 200 for the next fullest copy (c)" in reason


def test_equal_length_earliest_published_wins():
    early = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)
    rows = [facts("a", published=early + timedelta(hours=1)), facts("z", published=early)]
    head, reason = elect([0, 1], rows, POLICY)
    assert head == 1
    assert "published first: 2024-03-01T08:00:00Z, before 2024-03-01T09:00:00Z (a)" in reason
    assert "same body length" in reason


def test_dated_beats_undated():
    rows = [facts("a"), facts("z", published=datetime(2030, 1, 1))]
    head, reason = elect([0, 1], rows, POLICY)
    assert head == 1
    assert "the next copy (a) has no date" in reason


def test_naive_datetimes_are_utc_and_compare_with_aware_ones():
    naive_ten = datetime(2024, 1, 2, 10, 0)  # 10:00 UTC
    aware_nine = datetime(2024, 1, 2, 12, 0, tzinfo=timezone(timedelta(hours=3)))  # 09:00 UTC
    rows = [facts("a", published=naive_ten), facts("b", published=aware_nine)]
    head, reason = elect([0, 1], rows, POLICY)
    assert head == 1
    assert "2024-01-02T09:00:00Z, before 2024-01-02T10:00:00Z" in reason


def test_equal_and_undated_least_boilerplate_wins():
    rows = [facts("a", junk=0.30), facts("z", junk=0.05)]
    head, reason = elect([0, 1], rows, POLICY)
    assert head == 1
    assert "cleanest page: 5.0% of it was page junk, against 30.0% for a" in reason


def test_all_equal_smallest_id_wins():
    rows = [facts("m"), facts("b"), facts("x")]
    head, reason = elect([0, 1, 2], rows, POLICY)
    assert head == 1
    assert reason.startswith("b: smallest id (final tie-break), before m")


def test_policy_rank_is_a_total_order():
    rows = [facts("c"), facts("a"), facts("b", words=50), facts("d", words=500)]
    assert policy_rank(rows, POLICY) == [2, 1, 3, 0]


def test_custom_policy_order_changes_the_winner():
    rows = [facts("long", 500, datetime(2024, 1, 2)), facts("early", 100, datetime(2024, 1, 1))]
    assert elect([0, 1], rows, POLICY)[0] == 0
    assert elect([0, 1], rows, ("earliest_published", "smallest_id"))[0] == 1


# --- end to end through deduplicate --------------------------------------------------------

BODY = (
    "The city council approved the new budget on Tuesday after a long debate that ran late "
    "into the night and ended with a narrow vote.\n"
    "Critics said the plan would raise property taxes for most homeowners while cutting funds "
    "for libraries and parks across the city."
)
EXTRA = "Supporters argued that the cuts were unavoidable because state aid had fallen for a third year in a row."


def only_cluster(result: dedup.Result) -> dedup.Cluster:
    assert len(result.clusters) == 1, result.clusters
    return result.clusters[0]


def test_e2e_longest_copy_wins():
    result = dedup.deduplicate([dedup.Article("a", BODY), dedup.Article("b", BODY + "\n" + EXTRA)])
    cluster = only_cluster(result)
    assert cluster.canonical == "b"
    assert "most complete" in cluster.reason


def test_e2e_equal_body_earliest_published_wins():
    articles = [
        dedup.Article("a", BODY, published=datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)),
        dedup.Article("b", BODY, published=datetime(2024, 5, 2, 8, 59, tzinfo=timezone.utc)),
    ]
    cluster = only_cluster(dedup.deduplicate(articles))
    assert cluster.canonical == "b"
    assert "published first" in cluster.reason
    assert cluster.reason.startswith("b: ")


def test_e2e_equal_undated_least_boilerplate_wins():
    articles = [
        dedup.Article("a", "Share on Facebook\nFollow us on Twitter\n" + BODY),
        dedup.Article("b", BODY),
    ]
    cluster = only_cluster(dedup.deduplicate(articles))
    assert cluster.canonical == "b"
    assert "cleanest page" in cluster.reason


def test_e2e_all_equal_smallest_id_wins():
    articles = [dedup.Article(i, BODY) for i in ("delta", "alpha", "charlie")]
    cluster = only_cluster(dedup.deduplicate(articles))
    assert cluster.canonical == "alpha"
    assert "smallest id" in cluster.reason
    assert [m.id for m in cluster.members] == ["alpha", "charlie", "delta"]


def test_e2e_custom_policy_changes_the_winner():
    articles = [
        dedup.Article("long", BODY + "\n" + EXTRA, published=datetime(2024, 5, 3)),
        dedup.Article("short", BODY, published=datetime(2024, 5, 1)),
    ]
    assert only_cluster(dedup.deduplicate(articles)).canonical == "long"
    custom = only_cluster(dedup.deduplicate(articles, canonical_policy=("earliest_published",)))
    assert custom.canonical == "short"
    assert "published first" in custom.reason
    # The flat option also accepts a comma-separated string (CLI/TOML style).
    assert (
        only_cluster(
            dedup.deduplicate(articles, canonical_policy="earliest_published, most_complete")
        ).canonical
        == "short"
    )


def test_e2e_election_independent_of_input_order():
    articles = [dedup.Article(i, BODY) for i in ("b", "c", "a")]
    assert dedup.deduplicate(articles) == dedup.deduplicate(articles[::-1])


def test_cluster_id_derives_from_canonical_id():
    from dedup.pipeline import cluster_id_for

    cluster = only_cluster(
        dedup.deduplicate([dedup.Article("x1", BODY), dedup.Article("x2", BODY)])
    )
    assert cluster.cluster_id == cluster_id_for("x1")
    assert cluster.cluster_id.startswith("c") and len(cluster.cluster_id) == 17


# --- configuration ----------------------------------------------------------------------


def test_unknown_rule_raises():
    with pytest.raises(dedup.ConfigError, match="unknown rule 'newest'"):
        dedup.deduplicate([], canonical_policy=("newest",))
    with pytest.raises(dedup.ConfigError, match="unknown rule 'bogus'"):
        CanonicalConfig(policy=("most_complete", "bogus"))


def test_empty_or_repeated_policy_raises():
    with pytest.raises(dedup.ConfigError, match="non-empty list"):
        CanonicalConfig(policy=())
    with pytest.raises(dedup.ConfigError, match="lists a rule twice"):
        CanonicalConfig(policy=("most_complete", "most_complete"))


def test_smallest_id_is_always_last():
    assert CanonicalConfig(policy=("earliest_published",)).policy == (
        "earliest_published",
        "smallest_id",
    )
    assert CanonicalConfig(policy=("smallest_id", "most_complete")).policy == (
        "most_complete",
        "smallest_id",
    )
