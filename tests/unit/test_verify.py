"""Verification: exact overlap scores and the copy relation rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.verify import RELATIONS, CopyRule, Score, count_shared, score, verify_pairs

U64 = np.uint64


def arr(values) -> np.ndarray:
    return np.array(sorted(set(values)), dtype=U64)


def relation(a, b, threshold=0.5, min_excerpt=10, min_own=10, own_a=None, own_b=None) -> str:
    own_a = None if own_a is None else arr(own_a)
    own_b = None if own_b is None else arr(own_b)
    rule = CopyRule(threshold=threshold, min_excerpt_shingles=min_excerpt, min_own_shingles=min_own)
    return rule.relation(score(arr(a), arr(b), own_a, own_b))


# --- scores against a Python set reference ---------------------------------------------

VALUES = st.lists(st.integers(min_value=0, max_value=60), max_size=50)
BIG_VALUES = st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=30)


@settings(max_examples=200, deadline=None)
@given(VALUES | BIG_VALUES, VALUES | BIG_VALUES, st.data())
def test_score_matches_python_sets(a_values, b_values, data):
    a, b = set(a_values), set(b_values)
    own_a = set(data.draw(st.sets(st.sampled_from(sorted(a)))) if a else set())
    own_b = set(data.draw(st.sets(st.sampled_from(sorted(b)))) if b else set())
    s = score(arr(a), arr(b), arr(own_a), arr(own_b))
    inter = len(a & b)
    union = len(a | b)
    assert (s.intersection, s.size_a, s.size_b) == (inter, len(a), len(b))
    assert s.jaccard == (inter / union if union else 0.0)
    assert s.containment_a == (inter / len(a) if a else 0.0)
    assert s.containment_b == (inter / len(b) if b else 0.0)
    assert (s.own_a, s.own_b) == (len(own_a), len(own_b))
    assert s.own_shared_a == len(own_a & b)
    assert s.own_shared_b == len(own_b & a)
    assert s.own_containment_a == (len(own_a & b) / len(own_a) if own_a else 1.0)


@settings(max_examples=200, deadline=None)
@given(VALUES | BIG_VALUES, VALUES | BIG_VALUES)
def test_count_shared_matches_python_sets(a_values, b_values):
    a, b = set(a_values), set(b_values)
    assert count_shared(arr(a), arr(b)) == len(a & b)
    assert count_shared(arr(b), arr(a)) == len(a & b)


@settings(max_examples=150, deadline=None)
@given(VALUES, VALUES, st.floats(min_value=0.05, max_value=1.0), st.integers(1, 20))
def test_relation_is_symmetric(a_values, b_values, threshold, min_excerpt):
    ab = relation(a_values, b_values, threshold, min_excerpt)
    ba = relation(b_values, a_values, threshold, min_excerpt)
    assert ab == ba


def test_score_of_empty_sets():
    s = score(arr([]), arr([1, 2, 3]))
    assert (s.intersection, s.size_a, s.size_b) == (0, 0, 3)
    assert s.jaccard == 0.0 and s.containment_a == 0.0 and s.containment_b == 0.0
    assert score(arr([]), arr([])).jaccard == 0.0


def test_score_value_larger_than_all_of_other_set():
    # Values past the end of the larger array must not be counted as shared.
    s = score(arr([5, 100]), arr([1, 2, 3, 4, 5]))
    assert s.intersection == 1


# --- relation rules ----------------------------------------------------------------------


def test_exact():
    assert relation(range(20), range(20)) == "exact"
    # Exact even for tiny sets, where excerpt would be refused.
    assert relation([1], [1], min_excerpt=10) == "exact"


def test_near_needs_both_sides_mostly_in_the_other():
    a = range(0, 20)
    b = range(5, 25)  # 15 of 20 shared each way
    assert relation(a, b, threshold=0.5) == "near"
    assert relation(a, b, threshold=0.75) == "near"
    assert relation(a, b, threshold=0.76) == "none"


def test_excerpt_when_only_the_shorter_side_is_contained():
    short = range(0, 12)
    long = range(0, 100)
    assert relation(short, long) == "excerpt"
    assert relation(long, short) == "excerpt"


def test_min_excerpt_shingles_guard():
    short = range(0, 9)  # fewer than 10 shingles
    long = range(0, 100)
    assert relation(short, long, min_excerpt=10) == "none"
    assert relation(short, long, min_excerpt=9) == "excerpt"


def test_min_excerpt_guard_does_not_apply_to_near():
    # Tiny texts match when each side is mostly in the other.
    assert relation([1, 2, 3], [1, 2, 3, 4], min_excerpt=10) == "near"


def test_none_below_threshold():
    assert relation(range(0, 20), range(11, 40)) == "none"  # 9/20 and 9/29
    assert relation(range(0, 20), range(100, 120)) == "none"
    assert relation([], range(10)) == "none"


def test_threshold_boundary_is_inclusive():
    a = range(0, 20)
    b = list(range(0, 10)) + list(range(100, 110))  # exactly half of each
    assert relation(a, b, threshold=0.5) == "near"
    assert relation(a, b, threshold=0.51) == "none"


def test_own_words_must_also_be_contained():
    # A's shingles are 60% in B overall, but its 20 own-words shingles are not in B.
    a = list(range(0, 30)) + list(range(1000, 1020))
    b = list(range(0, 30)) + list(range(2000, 2100))
    own_a = range(1000, 1020)
    assert relation(a, b, own_a=own_a, own_b=range(2000, 2100)) == "none"
    # With fewer own-words shingles than min_own_shingles, all words decide.
    assert relation(a, b, own_a=own_a, own_b=range(2000, 2100), min_own=21) == "excerpt"


def test_own_words_contained_keeps_the_copy():
    a = range(0, 40)
    b = range(0, 100)
    assert relation(a, b, own_a=range(10, 40), own_b=range(10, 100)) == "excerpt"


def test_relations_table():
    assert RELATIONS == ("none", "excerpt", "near", "exact")
    s = Score(5, 10, 10)
    assert RELATIONS[CopyRule(0.5, 10, 10).code(s)] == CopyRule(0.5, 10, 10).relation(s) == "near"


def test_verify_pairs_scores_every_pair():
    sets = [arr(range(0, 20)), arr(range(0, 20)), arr(range(5, 25)), arr(range(100, 130))]
    own = [arr([])] * 4
    pairs = np.array([[0, 1], [0, 2], [0, 3], [2, 3]], dtype=np.int64)
    edges = verify_pairs(pairs, [score(sets[i], sets[j], own[i], own[j]) for i, j in pairs.tolist()], CopyRule())
    assert edges.intersection.tolist() == [20, 15, 0, 0]
    assert [RELATIONS[c] for c in edges.relation] == ["exact", "near", "none", "none"]
    assert edges.copies().tolist() == [[0, 1], [0, 2]]


def test_verify_pairs_empty():
    edges = verify_pairs(np.empty((0, 2), dtype=np.int64), [], (0.5, 10, 10, 3, 0.0))
    assert edges.copies().shape == (0, 2)


# --- end to end: shared quotations alone never make a copy -----------------------------


def test_independent_writeups_of_one_quote_are_not_copies(prose):
    quote = prose.make(60)[:-1]
    a = f'{prose.make(30)}\n\nThe minister said: "{quote}," in a statement.'
    b = f'{prose.make(30)}\n\nAccording to the ministry, "{quote}."'
    articles = [dedup.Article("a", a), dedup.Article("b", b)]
    result = dedup.deduplicate(articles)
    assert result.clusters == ()
    # The overall overlap alone would be a copy: only the own-words rule keeps them apart.
    loose = dedup.deduplicate(articles, min_own_shingles=10**9)
    assert [sorted(m.id for m in c.members) for c in loose.clusters] == [["a", "b"]]


def test_copy_with_quotes_and_own_words_is_a_copy(prose):
    quote = prose.make(40)[:-1]
    own = prose.make(40)
    text = f'{own}\n\nThe minister said: "{quote}."'
    result = dedup.deduplicate(
        [dedup.Article("a", text), dedup.Article("b", text + "\n\n" + prose.make(10))]
    )
    assert len(result.clusters) == 1
    member = result.clusters[0].members[1]
    assert member.own_containment == pytest.approx(1.0)


# --- figures: a template item with other figures is another report -------------------

TEMPLATE = (
    "The Federal Reserve entered the government securities market to arrange {amount} billion "
    "dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said federal funds "
    "were trading at {rate} pct when the Fed began its temporary and indirect supply of reserves "
    "to the banking system, after averaging {avg} pct on {day} in a quiet session."
)


def _relation(text_a, text_b, **options):
    from dedup.config import DedupConfig
    from dedup.models import Article
    from dedup.pipeline import Deduplicator

    engine = Deduplicator(DedupConfig().with_options(**options))
    a, b = engine.prepare(Article("a", text_a)), engine.prepare(Article("b", text_b))
    s = score(a.shingles, b.shingles, a.own, b.own, a.figures, b.figures)
    return engine.config.verify.rule.relation(s)


def test_template_item_with_other_figures_is_not_a_copy():
    monday = TEMPLATE.format(amount="1.5", rate="6-1/8", avg="6.02", day="Monday 12")
    tuesday = TEMPLATE.format(amount="2.25", rate="6-3/16", avg="6.11", day="Tuesday 13")
    assert _relation(monday, tuesday) == "none"
    # The words alone would call it a copy: the figures rule is what separates them.
    assert _relation(monday, tuesday, min_figures=10**6) == "near"


def test_correction_of_one_figure_is_still_a_copy():
    original = TEMPLATE.format(amount="1.5", rate="6-1/8", avg="6.02", day="Monday 12")
    corrected = TEMPLATE.format(amount="1.5", rate="6-1/8", avg="6.05", day="Monday 12")
    assert _relation(original, corrected) == "near"


def test_figures_ignore_thousands_separators():
    from dedup.shingle import body_figures

    assert body_figures("sales of 1,000 units").tolist() == body_figures("sales of 1000 units").tolist()


# --- dates: the same words with other figures days later are a recurring report ---------

NOTICE = (
    "Asarco Incorporated said it is raising its base spot sales price for refined lead by "
    "one half cent to {price} cents a pound, delivered in carload lots, effective immediately, "
    "the company said in a statement issued to customers and metal traders in New York."
)


def _dated_relation(text_a, text_b, hours_apart, **options):
    from dedup import deduplicate
    from dedup.models import Article

    start = datetime(2024, 4, 9, 10, 0, tzinfo=timezone.utc)
    articles = [Article("a", text_a, published=start), Article("b", text_b, published=start + timedelta(hours=hours_apart))]
    result = deduplicate(articles, **options)
    return "none" if not result.clusters else result.clusters[0].members[1].relation


def test_other_figures_days_later_are_a_recurring_report():
    monday, friday = NOTICE.format(price="26.50"), NOTICE.format(price="27.00")
    # One figure of two changed: the figures rule alone (three or more figures) lets it through.
    assert _dated_relation(monday, friday, hours_apart=2) == "near"
    assert _dated_relation(monday, friday, hours_apart=96) == "none"
    assert _dated_relation(monday, friday, hours_apart=96, recurring_after_hours=0) == "near"
    assert _dated_relation(monday, friday, hours_apart=96, recurring_after_hours=100) == "near"


def test_same_figures_days_later_is_still_a_copy():
    text = NOTICE.format(price="26.50")
    assert _dated_relation(text, text + " Other producers were expected to follow.", hours_apart=240) != "none"


def test_undated_articles_are_untouched_by_the_date_rule():
    s = score(arr(range(20)), arr(range(20, 40)), figures_a=arr([1, 2]), figures_b=arr([1, 3]))
    assert s.hours_apart is None
    shifted = score(arr(range(20)), arr(range(2, 22)), figures_a=arr([1, 2]), figures_b=arr([1, 3]))
    assert CopyRule(0.5, 10, 10, 3, 48.0).relation(shifted) == "near"
    later = score(arr(range(20)), arr(range(2, 22)), figures_a=arr([1, 2]), figures_b=arr([1, 3]), hours_apart=49.0)
    assert CopyRule(0.5, 10, 10, 3, 48.0).relation(later) == "none"
    assert CopyRule(0.5, 10, 10, 3, 0.0).relation(later) == "near"


def test_pair_scores_equal_score_pair_by_pair_with_and_without_numba(monkeypatch):
    from dedup import _kernels
    from dedup.verify import OwnSets, PackedSets, pair_scores

    rng = np.random.default_rng(3)
    sets = [np.unique(rng.integers(0, 60, n).astype(np.uint64)) for n in (0, 1, 5, 30, 40, 55)]
    own = [s if k % 2 else s[: s.size // 2] for k, s in enumerate(sets)]  # whole and partial own words
    figures = [np.unique(rng.integers(0, 5, 3).astype(np.uint64)) for _ in sets]
    pairs = np.array([(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))], dtype=np.int64)
    hours = np.where(pairs[:, 0] % 2 == 0, np.nan, 3.0)
    want = [
        score(sets[i], sets[j], own[i], own[j], figures[i], figures[j], None if i % 2 == 0 else 3.0)
        for i, j in pairs.tolist()
    ]
    shingles = PackedSets(sets)
    packed = (shingles, OwnSets(shingles, own), PackedSets(figures))
    assert packed[1].whole.tolist() == [True, True, False, True, False, True]  # empty, odd rows, ...
    assert pair_scores(pairs, *packed, hours) == want
    monkeypatch.setattr(_kernels, "AVAILABLE", False)
    assert pair_scores(pairs, *packed, hours) == want
