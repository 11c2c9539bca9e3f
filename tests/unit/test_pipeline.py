"""The batch pipeline end to end: seeds, accounting, rejections, determinism."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dedup
from dedup import Article, Rejection
from dedup.report import render_json, render_text, result_to_dict
from dedup.verify import score
from tests.support.paths import SEED_IDS, SEEDS
from tests.support.prose import ProseMaker


@pytest.fixture(scope="module")
def seeds_result():
    return dedup.deduplicate(dedup.read_articles([SEEDS]))


def seed_articles():
    return list(dedup.read_articles([SEEDS]))


# --- seeds ------------------------------------------------------------------------------


def test_seeds_one_cluster_with_canonical_002(seeds_result):
    result = seeds_result
    assert len(result.clusters) == 1
    cluster = result.clusters[0]
    assert {m.id for m in cluster.members} == {SEED_IDS[1], SEED_IDS[2]}
    assert cluster.canonical == SEED_IDS[2]
    assert cluster.members[0].id == SEED_IDS[2]
    assert cluster.members[0].relation == "canonical"
    assert "most complete" in cluster.reason
    assert cluster.reason.startswith(f"{SEED_IDS[2]}: ")


def test_seeds_singletons_and_stats(seeds_result):
    result = seeds_result
    assert result.singletons == (SEED_IDS[0], SEED_IDS[3], SEED_IDS[4])
    assert result.rejected == ()
    assert result.stats == {
        "articles": 5,
        "clusters": 1,
        "duplicates": 1,
        "rejected": 0,
        "singletons": 3,
    }
    assert result.cluster_of(SEED_IDS[1]) is result.clusters[0]
    assert result.cluster_of(SEED_IDS[0]) is None


def test_seeds_copy_is_scored_against_canonical(seeds_result):
    (copy,) = seeds_result.clusters[0].duplicates
    assert copy.id == SEED_IDS[1]
    assert copy.relation == "near"
    assert copy.containment >= 0.9  # nearly all of 001's body is in 002
    assert 0.5 <= copy.canonical_containment < copy.containment
    assert copy.jaccard < copy.canonical_containment


def test_seeds_removed_junk_is_reported(seeds_result):
    removed = seeds_result.removed
    assert SEED_IDS[2] not in removed  # nothing to remove from a plain article
    kinds = {r.kind for r in removed[SEED_IDS[1]]}
    assert {"section", "credit", "disclaimer"} <= kinds


def test_seeds_through_deduplicator_with_config(seeds_result):
    result = dedup.Deduplicator(dedup.DedupConfig()).run(dedup.read_articles([SEEDS]))
    assert result == seeds_result


def test_seeds_counters(seeds_result):
    counters = seeds_result.counters
    assert counters["articles_in"] == 5
    assert counters["lsh_bands"] * counters["lsh_rows"] == 128
    assert counters["candidates"] >= counters["verified_copies"] >= 1
    assert set(seeds_result.stage_seconds) >= {
        "prepare",
        "minhash",
        "lsh",
        "verify",
        "cluster",
        "total",
    }


# --- accounting and rejections --------------------------------------------------------------

BODY = (
    "The city council approved the new budget on Tuesday after a long debate that ran late "
    "into the night and ended with a narrow vote of five to four."
)
OTHER = (
    "Heavy rain flooded several streets in the old town on Wednesday, and firefighters pumped "
    "water out of dozens of basements until the early hours of the morning."
)


def test_accounting_on_mixed_input(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "copy1", "text": BODY}),
        json.dumps({"id": "copy2", "text": BODY + " Share on Facebook"}),
        json.dumps({"id": "other", "text": OTHER}),
        "{broken json",
        json.dumps({"id": "blank", "text": "   \n\t"}),
        json.dumps(
            {"id": "junk", "text": "Share on Facebook\nFollow us on Twitter\n© 2024 News Co"}
        ),
        json.dumps({"id": "copy1", "text": OTHER}),
        json.dumps({"id": "nodate", "text": BODY, "published": "last week"}),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "bin.txt").write_bytes(b"\x00\x01")
    (tmp_path / "dir" / "copy3.txt").write_text(BODY, encoding="utf-8")

    result = dedup.deduplicate(dedup.read_articles([feed, tmp_path / "dir"]))
    stats = result.stats
    clustered = sum(len(c.members) for c in result.clusters)
    assert stats["articles"] == len(lines) + 2
    assert stats["articles"] == stats["singletons"] + clustered + stats["rejected"]
    assert stats["duplicates"] == clustered - stats["clusters"]
    assert [sorted(m.id for m in c.members) for c in result.clusters] == [
        ["copy1", "copy2", "copy3.txt"]
    ]
    assert result.singletons == ("other",)
    reasons = {r.id: r.reason for r in result.rejected}
    assert set(reasons) == {f"{feed}:4", "blank", "junk", "copy1", "nodate", "bin.txt"}
    assert "duplicate id" in reasons["copy1"]
    assert "empty text" in reasons["blank"]
    assert "page junk" in reasons["junk"]
    assert "binary" in reasons["bin.txt"]


def test_every_input_is_accounted_for_exactly_once(prose):
    texts = [prose.make(30) for _ in range(6)]
    articles = [Article(f"a{i}", t) for i, t in enumerate(texts)]
    articles += [Article(f"c{i}", texts[i]) for i in range(3)]
    articles += [Article("e", ""), Article("a0", "dup"), Rejection("r:1", "bad")]
    result = dedup.deduplicate(articles)
    ids = [m.id for c in result.clusters for m in c.members] + list(result.singletons)
    ids += [r.id for r in result.rejected]
    assert sorted(ids) == sorted(a.id for a in articles)
    assert result.stats["articles"] == len(articles)


def test_duplicate_id_second_record_rejected():
    result = dedup.deduplicate(
        [Article("x", BODY, origin="feed.jsonl:1"), Article("x", OTHER, origin="feed.jsonl:9")]
    )
    assert result.singletons == ("x",)
    (rejection,) = result.rejected
    assert rejection.id == "x"
    assert rejection.origin == "feed.jsonl:9"
    assert "duplicate id: already used by feed.jsonl:1" in rejection.reason
    assert result.clusters == ()


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n"])
def test_empty_or_whitespace_article_rejected(text):
    result = dedup.deduplicate([Article("e", text)])
    (rejection,) = result.rejected
    assert rejection.id == "e"
    assert "empty text" in rejection.reason


def test_symbols_only_article_rejected():
    (rejection,) = dedup.deduplicate([Article("s", "!!! ??? --- ...")]).rejected
    assert "no words" in rejection.reason


def test_all_junk_article_rejected_with_kinds():
    page = "Share on Facebook\nFollow us on Twitter\n© 2024 Daily News. All rights reserved."
    (rejection,) = dedup.deduplicate([Article("junk", page)]).rejected
    assert rejection.id == "junk"
    assert "no article text left after removing page junk" in rejection.reason
    assert "copyright x1" in rejection.reason and "widget x2" in rejection.reason
    # With cleaning off, the same page is a usable article.
    assert dedup.deduplicate([Article("junk", page)], clean=False).singletons == ("junk",)


def test_reader_rejections_pass_through():
    result = dedup.deduplicate(
        [Rejection("feed.jsonl:3", "not valid JSON", "feed.jsonl:3"), Article("a", BODY)]
    )
    assert result.rejected == (Rejection("feed.jsonl:3", "not valid JSON", "feed.jsonl:3"),)
    assert result.singletons == ("a",)


def test_empty_input():
    result = dedup.deduplicate([])
    assert result.clusters == () and result.singletons == () and result.rejected == ()
    assert result.stats["articles"] == 0


def test_headline_changes_do_not_matter():
    result = dedup.deduplicate(
        [
            Article("a", "Council passes budget\n" + BODY),
            Article("b", "Budget approved after long night\n" + BODY),
        ]
    )
    assert [c.members[1].relation for c in result.clusters] == ["exact"]


def test_mojibake_copy_matches_clean_copy():
    clean_text = "It’s a £600m deal, the company’s chief executive said on Monday after weeks of talks with regulators."
    broken = clean_text.encode("utf-8").decode("cp1252", errors="replace")
    assert broken != clean_text
    result = dedup.deduplicate([Article("a", clean_text), Article("b", broken)])
    assert [c.members[1].relation for c in result.clusters] == ["exact"]
    assert (
        dedup.deduplicate(
            [Article("a", clean_text), Article("b", broken)], fix_mojibake=False
        ).clusters
        == ()
    )


def test_unknown_option_raises():
    with pytest.raises(dedup.ConfigError, match="unknown option 'treshold'"):
        dedup.deduplicate([], treshold=0.5)


# --- determinism -------------------------------------------------------------------------


def test_render_json_identical_for_any_input_order(tmp_path, prose):
    articles = seed_articles()
    base = [prose.make(40) for _ in range(4)]
    articles += [
        Article("x-full", "\n\n".join(base)),
        Article("x-part", "\n\n".join(base[:2])),
        Article("x-same", "\n\n".join(base)),
        Article("y-alone", prose.make(40)),
        Article("z-empty", " "),
        Rejection("feed.jsonl:2", "not valid JSON", "feed.jsonl:2"),
    ]
    expected = render_json(dedup.deduplicate(articles))
    assert render_json(dedup.deduplicate(articles[::-1])) == expected
    rng = random.Random(1234)
    for _ in range(3):
        shuffled = articles[:]
        rng.shuffle(shuffled)
        assert render_json(dedup.deduplicate(shuffled)) == expected
    data = json.loads(expected)
    assert data["stats"]["clusters"] == 2


def test_oversized_buckets_do_not_make_output_order_dependent(prose):
    # Twenty copies of one text with a tiny bucket cap: LSH only proposes windowed pairs.
    text = prose.make(60)
    articles = [Article(f"copy-{i:02d}", text) for i in range(20)]
    forward = dedup.deduplicate(articles, max_bucket=3)
    assert forward.counters["oversized_buckets"] > 0
    backward = dedup.deduplicate(articles[::-1], max_bucket=3)
    assert render_json(forward) == render_json(backward)
    # Direct verification against the canonical still gathers every copy.
    assert [len(c.members) for c in forward.clusters] == [20]


def test_every_member_is_a_verified_copy_of_its_canonical(seeds_result, prose):
    base = [prose.make(40) for _ in range(5)]
    articles = [Article(f"v{k}", "\n\n".join(base[: k + 1])) for k in range(5)]
    result = dedup.deduplicate(articles)
    for cluster in result.clusters + seeds_result.clusters:
        for member in cluster.duplicates:
            assert member.relation in {"exact", "near", "excerpt"}
            assert max(member.containment, member.canonical_containment) >= 0.5
        ids = [m.id for m in cluster.duplicates]
        assert ids == sorted(ids)


def test_reports_render(seeds_result):
    text = render_text(seeds_result)
    assert "cluster 1 (" in text
    assert SEED_IDS[1] in text and SEED_IDS[2] in text
    assert "5 articles: 1 clusters holding 1 duplicates, 3 singletons, 0 rejected" in text
    data = result_to_dict(seeds_result)
    assert json.loads(render_json(seeds_result)) == data
    assert render_json(seeds_result).endswith("}\n")


# --- properties over random article families -----------------------------------------------

_POOL = [ProseMaker(seed=11).make(n) for n in (20, 25, 30, 35, 40, 22, 28, 33)]
FAMILIES = st.lists(
    st.lists(st.integers(0, len(_POOL) - 1), min_size=1, max_size=6),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FAMILIES, st.randoms(use_true_random=False), st.sampled_from([0.3, 0.5, 0.8]))
def test_clusters_are_families_tied_by_verified_copies(families, rnd, threshold):
    articles = [
        Article(f"art-{k:02d}", "\n\n".join(_POOL[i] for i in family))
        for k, family in enumerate(families)
    ]
    # Template learning is off: paragraphs shared by random pages would be learned as template.
    dedupe = dedup.Deduplicator(dedup.DedupConfig().with_options(threshold=threshold, learn_template=False))
    result = dedupe.run(articles)
    prepared = {a.id: dedupe.prepare(a) for a in articles}
    rule = dedupe.config.verify.rule

    def relation(a: str, b: str) -> str:
        x, y = prepared[a], prepared[b]
        return rule.relation(score(x.shingles, y.shingles, x.own, y.own))

    seen: set[str] = set()
    for cluster in result.clusters:
        ids = [m.id for m in cluster.members]
        assert ids[0] == cluster.canonical
        assert seen.isdisjoint(ids)
        seen.update(ids)
        head = prepared[cluster.canonical]
        # The canonical is the best member by the default policy (undated articles).
        best = min(
            ids,
            key=lambda i: (
                -prepared[i].cleaned.body_words,
                round(prepared[i].cleaned.boilerplate_share, 6),
                i,
            ),
        )
        assert cluster.canonical == best
        for member in cluster.duplicates:
            copy = prepared[member.id]
            s = score(copy.shingles, head.shingles, copy.own, head.own)
            direct = rule.relation(s)
            # A copy of the canonical says how; a member tied through the chain is a version.
            assert member.relation == (direct if direct != "none" else "version"), (member, s)
            assert member.jaccard == round(s.jaccard, 4)
            assert member.containment == round(s.containment_a, 4)
        # The family is connected by verified copy pairs between its members.
        reached, todo = {ids[0]}, [ids[0]]
        while todo:
            current = todo.pop()
            for other in ids:
                if other not in reached and relation(current, other) != "none":
                    reached.add(other)
                    todo.append(other)
        assert reached == set(ids), cluster
    assert seen.isdisjoint(result.singletons)
    assert len(seen) + len(result.singletons) + len(result.rejected) == len(articles)

    shuffled = articles[:]
    rnd.shuffle(shuffled)
    assert render_json(dedupe.run(shuffled)) == render_json(result)


@settings(max_examples=40, deadline=None)
@given(FAMILIES)
def test_identical_texts_always_cluster_together(families):
    # Every article is posted twice under different ids: each pair must end up together.
    articles = []
    for k, family in enumerate(families):
        text = "\n\n".join(_POOL[i] for i in family)
        articles += [Article(f"a{k:02d}", text), Article(f"b{k:02d}", text)]
    result = dedup.deduplicate(articles)
    for k in range(len(families)):
        cluster = result.cluster_of(f"a{k:02d}")
        assert cluster is not None
        assert cluster is result.cluster_of(f"b{k:02d}")


def test_worker_processes_give_the_same_result(monkeypatch):
    from dedup import pipeline

    rng = np.random.default_rng(2)
    words = np.array([f"w{i}" for i in range(400)])
    texts = [" ".join(rng.choice(words, 120)) + "." for _ in range(240)]
    texts += [t + " An added closing line for the copy." for t in texts[:30]]  # planted copies
    articles = [Article(f"id{i:04d}", t) for i, t in enumerate(texts)]
    articles += [Article("id0001", "a second record with a used id"), Article("blank", "   ")]
    monkeypatch.setattr(pipeline, "_PREPARE_CHUNK", 50)  # several chunks in flight
    engine = dedup.Deduplicator()
    one = engine.finish(batch := engine.prepare_batch(articles, workers=1), engine.find_candidates(batch))
    two = engine.finish(batch := engine.prepare_batch(articles, workers=2), engine.find_candidates(batch))
    assert len(one.clusters) >= 30
    assert (one.clusters, one.singletons, one.rejected) == (two.clusters, two.singletons, two.rejected)
