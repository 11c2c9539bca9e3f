"""The syndication simulator (tests/support/simulator.py): determinism and ground truth.

These tests read the BBC corpus at ``<repo>/../shared/data/bbc.jsonl``; they fail
(never skip) when it is missing. Nothing here uses dedup's matching code: the checks
recompute what they need from the BBC text directly. That the corpus does not depend
on the interpreter's hash seed is checked in child processes
(tests/integration/test_console.py).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import ftfy
import pytest

from tests.support import simulator as sim
from tests.support.paths import BBC

MOJIBAKE_MARKERS = ("â€", "Â", "Ã")
STRUCTURAL = (
    "verbatim",
    "trimmed",
    "dropped-paragraphs",
    "reordered",
    "reheadlined",
    "byline-dateline",
    "updated",
)


@pytest.fixture(scope="module")
def bbc_path() -> Path:
    if not BBC.is_file():
        pytest.fail(
            f"BBC corpus missing: expected {BBC} (JSONL with id, category, title, text). "
            "The simulator tests need it; put the file there."
        )
    return BBC


@pytest.fixture(scope="module")
def bbc_bodies(bbc_path: Path) -> dict[str, list[str]]:
    """BBC id -> body paragraphs (title line dropped, mojibake repaired), parsed independently."""
    bodies = {}
    with bbc_path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = rec["text"] if rec["text"].isascii() else ftfy.fix_encoding(rec["text"])
            parts = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
            bodies[rec["id"]] = parts[1:]
    return bodies


@pytest.fixture(scope="module")
def corpus(bbc_path: Path):  # type: ignore[no-untyped-def]
    return sim.simulate(bbc_path, n_stories=200, seed=0)


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_output_and_other_seed_differs(bbc_path: Path) -> None:
    a = sim.simulate(bbc_path, n_stories=60, seed=3)
    b = sim.simulate(str(bbc_path), n_stories=60, seed=3)
    c = sim.simulate(bbc_path, n_stories=60, seed=4)
    assert a == b
    assert a.digest() == b.digest()
    assert a.digest() != c.digest()
    assert [r["text"] for r in a.articles] != [r["text"] for r in c.articles]


def test_every_article_is_labelled_and_described(corpus) -> None:  # type: ignore[no-untyped-def]
    ids = [r["id"] for r in corpus.articles]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(corpus.labels) == set(corpus.edit) == set(corpus.keeps_half)
    for record in corpus.articles:
        assert {"id", "text", "title", "source", "published"} <= set(record)
        assert all(
            isinstance(record[k], str) and record[k] for k in ("id", "text", "title", "source")
        )
        assert datetime.fromisoformat(record["published"].replace("Z", "+00:00")).tzinfo is not None
    allowed = {"original", *sim.EDIT_TYPES, *sim.NEGATIVE_TYPES}
    assert set(corpus.edit.values()) <= allowed
    assert len({r["source"] for r in corpus.articles}) >= 6


def test_copies_of_a_story_share_one_label(corpus) -> None:  # type: ignore[no-untyped-def]
    by_label: dict[str, list[str]] = defaultdict(list)
    for article_id, label in corpus.labels.items():
        by_label[label].append(article_id)
    source = {r["id"]: r["source"] for r in corpus.articles}
    published = {r["id"]: r["published"] for r in corpus.articles}
    stories = 0
    for label, members in by_label.items():
        edits = [corpus.edit[m] for m in members]
        if len(members) == 1:
            assert edits[0] in sim.NEGATIVE_TYPES, label
            continue
        stories += 1
        assert edits.count("original") == 1 and 2 <= len(members) <= 6, (label, edits)
        assert len({corpus.base_id[m] for m in members}) == 1, label
        assert len({source[m] for m in members}) == len(members), "each copy on a different site"
        original = members[edits.index("original")]
        for m, e in zip(members, edits, strict=True):
            if e == "updated":
                assert published[m] > published[original]
    assert stories == 200
    # and no copy of a base article ends up outside its story
    story_of_base: dict[str, set[str]] = defaultdict(set)
    for article_id, edit in corpus.edit.items():
        if edit not in sim.NEGATIVE_TYPES:
            story_of_base[corpus.base_id[article_id]].add(corpus.labels[article_id])
    assert all(len(labels) == 1 for labels in story_of_base.values())


def test_all_edit_types_present(corpus) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(corpus.edit.values())
    for edit in (*sim.EDIT_TYPES, *sim.NEGATIVE_TYPES):
        assert counts[edit] >= 10, (edit, counts)
    assert counts["original"] == 200


# --------------------------------------------------------------------------- hard negatives


def test_hard_negatives_are_separate_and_really_independent(corpus, bbc_bodies) -> None:  # type: ignore[no-untyped-def]
    pairs = corpus.hard_negative_pairs
    assert len(pairs) >= 150  # about one per story
    records = {r["id"]: r for r in corpus.articles}
    negatives = {i for i, e in corpus.edit.items() if e in sim.NEGATIVE_TYPES}
    assert negatives == {b for _, b in pairs}
    for a, b in pairs:
        assert corpus.labels[a] != corpus.labels[b]
        assert corpus.edit[a] == "original"
        assert corpus.base_id[a] != corpus.base_id[b]
        if corpus.edit[b] == "negative-template":
            assert records[a]["source"] == records[b]["source"]
            assert records[a]["published"][:10] == records[b]["published"][:10]
        else:
            assert corpus.base_id[a].split("/")[1] == corpus.base_id[b].split("/")[1]  # category
        # the two bodies share no substantial passage
        sa = _shingles("\n".join(bbc_bodies[corpus.base_id[a]]))
        sb = _shingles("\n".join(bbc_bodies[corpus.base_id[b]]))
        assert len(sa & sb) / min(len(sa), len(sb)) < 0.2, (a, b)
    # and no two stories are built from overlapping BBC articles either
    bases = sorted({corpus.base_id[i] for i, e in corpus.edit.items() if e == "original"})
    sets = {base: _shingles("\n".join(bbc_bodies[base])) for base in bases}
    for i, x in enumerate(bases):
        for y in bases[i + 1 :]:
            assert len(sets[x] & sets[y]) / min(len(sets[x]), len(sets[y])) < 0.2, (x, y)


def test_template_negatives_share_the_chrome(corpus) -> None:  # type: ignore[no-untyped-def]
    records = {r["id"]: r for r in corpus.articles}
    checked = 0
    for a, b in corpus.hard_negative_pairs:
        if corpus.edit[b] != "negative-template":
            continue
        lines_a = {line.strip() for line in records[a]["text"].splitlines() if line.strip()}
        lines_b = {line.strip() for line in records[b]["text"].splitlines() if line.strip()}
        assert len(lines_a & lines_b) >= 4, (a, b)
        checked += 1
    assert checked >= 50


# --------------------------------------------------------------------------- edit fidelity


def test_mojibake_copies_contain_mojibake(corpus) -> None:  # type: ignore[no-untyped-def]
    records = {r["id"]: r for r in corpus.articles}
    mojibake = [i for i, e in corpus.edit.items() if e == "mojibake"]
    assert mojibake
    for article_id in mojibake:
        text = records[article_id]["text"]
        assert any(m in text for m in MOJIBAKE_MARKERS), article_id
        assert ftfy.fix_encoding(text) != text, article_id
    for article_id, edit in corpus.edit.items():
        if edit == "original":
            assert not any(m in records[article_id]["text"] for m in MOJIBAKE_MARKERS)


def test_teasers_are_short(corpus, bbc_bodies) -> None:  # type: ignore[no-untyped-def]
    records = {r["id"]: r for r in corpus.articles}
    teasers = [i for i, e in corpus.edit.items() if e == "teaser"]
    assert teasers
    for article_id in teasers:
        body = bbc_bodies[corpus.base_id[article_id]]
        text = records[article_id]["text"]
        assert body[0].split(".")[0] in text  # the lede is there ...
        assert body[-1] not in text  # ... the end is not
        assert corpus.keeps_half[article_id] is False
        assert corpus.kept_fraction[article_id] * _words(body) <= 90


def test_keeps_half_matches_word_counts(corpus, bbc_bodies) -> None:  # type: ignore[no-untyped-def]
    records = {r["id"]: r for r in corpus.articles}
    split: Counter[bool] = Counter()
    for article_id, edit in corpus.edit.items():
        kept = corpus.kept_fraction[article_id]
        assert corpus.keeps_half[article_id] == (kept >= 0.5)
        body = bbc_bodies[corpus.base_id[article_id]]
        text = records[article_id]["text"]
        if edit in ("original", *sim.NEGATIVE_TYPES):
            assert kept == 1.0 and all(p in text for p in body)
            continue
        # the page holds at least the kept words (it adds chrome, never removes body words)
        base_tokens = Counter(w for p in body for w in p.split())
        page_tokens = Counter(text.split())
        on_page = sum(min(n, page_tokens[w]) for w, n in base_tokens.items()) / _words(body)
        assert on_page >= kept - 1e-6, article_id
        if edit in STRUCTURAL:
            # whole base paragraphs survive verbatim: recount them on the page
            found = _words([p for p in body if p in text]) / _words(body)
            assert abs(found - kept) < 0.05, (article_id, edit, found, kept)
            if abs(found - 0.5) > 0.02:
                assert corpus.keeps_half[article_id] == (found >= 0.5), article_id
        split[corpus.keeps_half[article_id]] += 1
        if edit in ("verbatim", "reordered", "reheadlined", "byline-dateline", "updated"):
            assert kept == 1.0, (article_id, edit)
        if edit in ("word-edits", "ocr-noise"):
            assert 0.5 < kept < 1.0, (article_id, edit, kept)
    assert split[True] and split[False]


def test_light_edits_really_edit(corpus, bbc_bodies) -> None:  # type: ignore[no-untyped-def]
    records = {r["id"]: r for r in corpus.articles}
    for article_id, edit in corpus.edit.items():
        body = bbc_bodies[corpus.base_id[article_id]]
        text = records[article_id]["text"]
        if edit in ("word-edits", "ocr-noise", "mojibake"):
            assert not all(p in text for p in body), (article_id, edit)
        elif edit == "reordered":
            positions = [text.find(p) for p in body]
            assert -1 not in positions and positions != sorted(positions), article_id
        elif edit == "dropped-paragraphs":
            assert body[0] in text and body[-1] in text
            assert not all(p in text for p in body)
        elif edit == "reheadlined":
            assert records[article_id]["title"] not in {
                records[o]["title"]
                for o, e in corpus.edit.items()
                if e == "original" and corpus.labels[o] == corpus.labels[article_id]
            }


# --------------------------------------------------------------------------- CLI


def test_cli_writes_the_four_files(bbc_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "sim"
    assert (
        sim.main(["--bbc", str(bbc_path), "--stories", "20", "--seed", "5", "--out", str(out)]) == 0
    )
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    ids = {r["id"] for r in records}
    with (out / "labels.csv").open(encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    with (out / "edits.csv").open(encoding="utf-8") as fh:
        edits = list(csv.DictReader(fh))
    with (out / "hard_negatives.csv").open(encoding="utf-8") as fh:
        negatives = list(csv.DictReader(fh))
    assert {row["id"] for row in labels} == ids and set(labels[0]) == {"id", "cluster"}
    assert {row["id"] for row in edits} == ids and set(edits[0]) == {"id", "edit", "keeps_half"}
    assert {row["keeps_half"] for row in edits} <= {"true", "false"}
    assert negatives and set(negatives[0]) == {"id_a", "id_b"}
    assert all(row["id_a"] in ids and row["id_b"] in ids for row in negatives)
    expected = sim.simulate(bbc_path, n_stories=20, seed=5)
    assert records == expected.articles


def test_bad_arguments(bbc_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        sim.simulate(bbc_path, n_stories=0)
    with pytest.raises(FileNotFoundError):
        sim.simulate(tmp_path / "missing.jsonl", n_stories=5)
    assert sim.main(["--bbc", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o")]) == 2
