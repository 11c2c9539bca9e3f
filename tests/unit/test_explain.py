"""'dedup explain A B': the engine's verdict on one pair, with the rule and the shared passages."""

from __future__ import annotations

import json
from pathlib import Path

from dedup import Article
from dedup.align import words
from dedup.explain import explain_pair
from tests.support.cli import assert_clean_error, err, out, run
from tests.support.paths import SEEDS, dev_corpus
from tests.support.prose import ProseMaker


def test_explain_two_files_matches_the_batch_result() -> None:
    proc = run("explain", "seeds/001_86997ac36c104c62.txt", "seeds/002_58e187858871e751.txt", "--format", "json")
    assert proc.returncode == 0, err(proc)
    found = json.loads(out(proc))
    report = json.loads(out(run("report", "seeds/", "--format", "json")))
    (member,) = [m for m in report["clusters"][0]["members"] if m["id"] == "001_86997ac36c104c62.txt"]
    assert found["relation"] == member["relation"]
    assert found["jaccard"] == member["jaccard"]
    assert found["a"]["contained"] == member["containment"]
    assert found["b"]["contained"] == member["canonical_containment"]
    assert found["a"]["in_other"] and found["b"]["in_other"]
    assert found["passages"] and all(p["words"] >= 5 and p["text"] for p in found["passages"])


def test_passages_are_the_same_words_in_both_texts() -> None:
    a, b = (Article(name, (SEEDS / name).read_text(encoding="utf-8")) for name in ("001_86997ac36c104c62.txt", "002_58e187858871e751.txt"))
    found = explain_pair(a, b)
    a_words, b_words = [w.key for w in words(found.a.body)], [w.key for w in words(found.b.body)]
    for p in found.passages:
        assert p.words >= 5
        assert a_words[p.a_first : p.a_first + p.words] == b_words[p.b_first : p.b_first + p.words]
        assert [w.key for w in words(p.a_text(found.a.body))] == a_words[p.a_first : p.a_first + p.words]
    assert sum(p.words for p in found.passages) == len(a_words)  # 001's body is all in 002


def test_explain_says_which_rule_keeps_independent_write_ups_apart() -> None:
    proc = run("explain", "seeds/000_68aecc16d4db32ab.txt", "seeds/002_58e187858871e751.txt")
    assert proc.returncode == 0, err(proc)
    text = out(proc)
    assert "relation: none (not copies:" in text
    assert "of its shingles are in the other (threshold 50%)" in text


def test_explain_ids_in_an_input_and_every_pair_agrees_with_the_batch() -> None:
    feed = dev_corpus()
    articles = {json.loads(line)["id"]: json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()}
    report = json.loads(out(run("report", str(feed), "--format", "json")))
    for cluster in report["clusters"]:
        for member in cluster["members"][1:]:
            a = Article(member["id"], articles[member["id"]]["text"])
            b = Article(cluster["canonical"], articles[cluster["canonical"]]["text"])
            found = explain_pair(a, b)
            assert found.relation == member["relation"], (member["id"], cluster["canonical"])
    first = report["clusters"][0]
    proc = run("explain", first["members"][1]["id"], first["canonical"], str(feed))
    assert proc.returncode == 0, err(proc)
    assert f"relation: {first['members'][1]['relation']}" in out(proc)


def test_explain_finds_reordered_passages(prose: ProseMaker) -> None:
    paragraphs = [prose.make(40) for _ in range(4)]
    found = explain_pair(Article("a", "\n\n".join(paragraphs)), Article("b", "\n\n".join(reversed(paragraphs))))
    assert found.relation == "near"  # the shingles across paragraph joins differ
    assert sorted(p.words for p in found.passages) == [40, 40, 40, 40]
    assert [p.b_first for p in found.passages] == [120, 80, 40, 0]


def test_explain_errors_name_the_fix(tmp_path: Path) -> None:
    assert_clean_error(run("explain", "nope", "002_58e187858871e751.txt", "seeds/"), "no usable article with id 'nope'")
    feed = tmp_path / "two.jsonl"
    feed.write_text('{"id": "a", "text": "x y z"}\n{"id": "b", "text": "x y z"}\n', encoding="utf-8")
    assert_clean_error(run("explain", str(feed), "seeds/000_68aecc16d4db32ab.txt"), "holds 2 records", f"dedup explain ID1 ID2 {feed}")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    assert_clean_error(run("explain", str(empty), "seeds/000_68aecc16d4db32ab.txt"), "cannot be compared: empty text")
