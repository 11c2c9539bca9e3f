"""Picking items by position: ``ArticleFiles.pick`` gives back exactly what reading the
whole input gives at those positions, parsing only the records wanted; the batch
pipeline reads its candidates again through it with the same result, and still fails
clearly when the input changed between the readings."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
from pathlib import Path

import numpy as np
import pytest

import dedup
from dedup import Article, ArticleFiles, Rejection, pipeline
from dedup.errors import InputError
from dedup.io import picking, readers
from dedup.models import Pickable
from dedup.progress import counting
from tests.unit.test_template import NOTICES, site_pages
from tests.unit.test_two_pass import outcome, planted_articles


def whole(item: Article | Rejection) -> tuple:
    """Every field of an item, the ones equality leaves out (meta, origin) too."""
    return type(item).__name__, dataclasses.astuple(item)


def read_all(files: ArticleFiles) -> list[tuple]:
    return [whole(item) for item in files]


def picked_at(files: ArticleFiles, positions) -> list[tuple]:
    found = list(files.pick(np.array(positions, dtype=np.int64)))
    assert [p for p, _ in found] == sorted(set(positions))[: len(found)]
    return [whole(item) for _, item in found]


def records(n: int, start: int = 0) -> list[dict]:
    return [{"id": f"r{i}", "text": f"Story {i} about the harbour.", "lang": "en"} for i in range(start, start + n)]


def jsonl_bytes(lines: list[str | dict]) -> bytes:
    return "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines).encode("utf-8")


MESSY = [  # blank lines are no records; bad lines are (as rejections)
    records(1)[0], "", "   \t", *records(2, 1), "not json", "", '{"id": "nul", "text": "a\\u0000"}',
    "[1, 2]", *records(3, 3), "\r",
]


def messy_feed(path: Path, tail: str = '{"id": "last", "text": "no newline at the end"}') -> Path:
    path.write_bytes(jsonl_bytes(MESSY) + tail.encode("utf-8"))
    return path


@pytest.mark.parametrize("block", [7, 64, 1 << 20])  # lines longer than the buffer, split across reads
def test_jsonl_pick_gives_what_reading_gives_at_those_positions(tmp_path, monkeypatch, block):
    monkeypatch.setattr(picking, "_BLOCK", block)
    files = ArticleFiles([messy_feed(tmp_path / "feed.jsonl")])
    everything = read_all(files)
    assert len(everything) == 10 and sum(kind == "Rejection" for kind, _ in everything) == 2
    assert picked_at(files, range(len(everything))) == everything
    assert picked_at(files, [9, 0, 4, 4]) == [everything[0], everything[4], everything[9]]
    assert picked_at(files, [3, 10, 25]) == [everything[3]]  # beyond the end: fewer


def test_jsonl_pick_parses_only_the_wanted_lines(tmp_path, monkeypatch):
    files = ArticleFiles([messy_feed(tmp_path / "feed.jsonl")])
    parsed = []
    real = readers.parse_jsonl_line
    monkeypatch.setattr(readers, "parse_jsonl_line", lambda raw, *rest: parsed.append(raw) or real(raw, *rest))
    ((position, item),) = files.pick(np.array([6]))
    assert (position, item.id) == (6, "r3") and item.origin.endswith(":10")
    assert parsed == [jsonl_bytes([records(1, 3)[0]])]


def test_gzip_and_stdin_spool_pick_like_plain_files(tmp_path):
    plain = messy_feed(tmp_path / "feed.jsonl")
    packed = tmp_path / "feed.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    stdin = ArticleFiles(["-"], stdin=io.BytesIO(plain.read_bytes()))
    for files, name in ((ArticleFiles([packed]), str(packed)), (stdin, "<stdin>")):
        everything = read_all(files)
        assert repr(everything) == repr(read_all(ArticleFiles([plain]))).replace(str(plain), name)
        assert picked_at(files, [1, 2, 9]) == [everything[1], everything[2], everything[9]]
        assert picked_at(files, range(10)) == everything


def test_csv_pick_reads_only_the_wanted_rows(tmp_path, monkeypatch):
    path = tmp_path / "feed.csv"
    path.write_text(
        'id,text,lang\nc0,"First, with a comma",en\n\nc1,"two\nlines",fr\nc2,short\nc3,Fourth row,de\n', encoding="utf-8"
    )
    files = ArticleFiles([path])
    everything = read_all(files)
    assert [x[0] for x in everything] == ["Article", "Article", "Rejection", "Article"]
    assert picked_at(files, range(4)) == everything
    from dedup.io import tables

    made = []
    real = tables._csv_article
    monkeypatch.setattr(tables, "_csv_article", lambda *a: made.append(a[3]) or real(*a))
    assert picked_at(files, [3]) == [everything[3]]
    assert made == [f"{path}:row 6"]


def test_parquet_pick_reads_only_the_row_groups_wanted(tmp_path, monkeypatch):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "feed.parquet"
    texts = [f"Story {i} about the harbour." if i != 4 else None for i in range(10)]
    pq.write_table(pa.table({"id": list(range(10)), "text": texts, "score": [i / 10 for i in range(10)]}), path, row_group_size=3)
    files = ArticleFiles([path])
    everything = read_all(files)
    assert everything[4][0] == "Rejection" and everything[5][1][-3] == {"score": 0.5}  # meta
    assert picked_at(files, range(10)) == everything
    groups = []
    real = pq.ParquetFile.read_row_group
    monkeypatch.setattr(pq.ParquetFile, "read_row_group", lambda self, g, *a, **k: groups.append(g) or real(self, g, *a, **k))
    assert picked_at(files, [9, 1, 2, 12]) == [everything[1], everything[2], everything[9]]
    assert groups == [0, 3]


def test_directory_pick_opens_only_the_wanted_files(tmp_path, monkeypatch):
    folder = tmp_path / "pages"
    (folder / "b").mkdir(parents=True)
    for name in ("a.txt", "b/c.md", "b/d.txt", "e.txt"):
        (folder / name).write_text(f"The text of {name}, a short article.", encoding="utf-8")
    (folder / "b" / "d.txt").write_bytes(b"binary\x00file")
    files = ArticleFiles([folder, tmp_path / "pages" / "a.txt"])  # a folder, then one page
    everything = read_all(files)
    assert [x[1][0] for x in everything] == ["a.txt", "b/c.md", "b/d.txt", "e.txt", "a.txt"]
    assert picked_at(files, range(5)) == everything
    opened = []
    real = readers._read_page_file
    monkeypatch.setattr(readers, "_read_page_file", lambda path, name: opened.append(name) or real(path, name))
    assert picked_at(files, [2, 4]) == [everything[2], everything[4]]
    assert opened == ["b/d.txt", "a.txt"]


def test_pick_counts_positions_across_inputs(tmp_path):
    feed = messy_feed(tmp_path / "feed.jsonl")
    table = tmp_path / "feed.csv"
    table.write_text("id,text\nt0,A row of the table.\nt1,Another row.\n", encoding="utf-8")
    files = ArticleFiles([table, feed, table])
    everything = read_all(files)
    assert len(everything) == 14
    assert picked_at(files, range(14)) == everything
    assert picked_at(files, [1, 2, 12, 13]) == [everything[i] for i in (1, 2, 12, 13)]


def test_counted_input_still_picks():
    files = ArticleFiles(["-"], stdin=io.BytesIO(jsonl_bytes(records(3))))
    counted = counting(files, io.StringIO())
    assert isinstance(counted, Pickable) and not isinstance(counting([1, 2], io.StringIO()), Pickable)
    assert [item.id for _, item in counted.pick(np.array([2]))] == ["r2"]


# --- the pipeline reads its candidates again through pick -----------------------------


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(pipeline, "_PREPARE_CHUNK", 40)  # several chunks: the two-pass mode


def corpus_lines(prose) -> list[str | dict]:
    """Planted copies, site pages holding template notices (one of nothing else), a
    repeated id, blank and bad lines: every branch of the first and second passes."""
    sites = [*site_pages(prose, "en", stories=6)[0], *site_pages(prose, "de", stories=6)[0]]
    lines: list[str | dict] = [{"id": a.id, "text": a.text} for a in planted_articles() + sites]
    lines.insert(30, "")
    lines.insert(60, "not json")
    lines.insert(100, {"id": "only-template", "text": "\n\n".join(NOTICES["en"])})
    return lines


@pytest.mark.parametrize("workers", [1, 2])
def test_pipeline_reading_again_through_pick_equals_keeping_everything(small_chunks, tmp_path, prose, monkeypatch, workers):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(jsonl_bytes(corpus_lines(prose)))
    engine = dedup.Deduplicator()
    kept = engine.prepare_batch(dedup.read_articles([feed]), workers=workers)  # one-shot: keeps every set
    picks: list[int] = []
    real = ArticleFiles.pick
    monkeypatch.setattr(ArticleFiles, "pick", lambda self, positions: picks.append(positions.size) or real(self, positions))
    bounded = engine.prepare_batch(ArticleFiles([feed]), workers=workers)
    assert kept.prepared is not None and bounded.prepared is None
    assert bounded.counters["template_blocks"] > 0 and len(picks) == 1  # the template's pages read again
    pairs = engine.find_candidates(bounded)
    assert np.array_equal(pairs, engine.find_candidates(kept))
    result = engine.finish(bounded, pairs)
    assert picks[1] == np.unique(pairs).size < len(bounded)  # only the candidates
    # Then, for their passage keys, only the texts that hold a copy (and whose lede they hold).
    assert len(picks) >= 3 and all(size < picks[1] for size in picks[2:])
    assert "template" in {r.kind for blocks in result.removed.values() for r in blocks}
    assert {r.id for r in result.rejected} >= {"only-template", "id0003", f"{feed}:61"}
    assert outcome(result) == outcome(engine.finish(kept, pairs))
    assert dedup.deduplicate(ArticleFiles([feed])).clusters == result.clusters


def changed(feed: Path, edit) -> None:
    lines = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    feed.write_bytes(jsonl_bytes(edit(lines)))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda lines: [{**r, "id": "other" + r["id"]} for r in lines], r"article \d+ is now 'otherid\d+', was 'id\d+'"),
        (lambda lines: ["not json"] * len(lines), r"article \d+ is now rejected \(not valid JSON"),
        (lambda lines: lines[:5], "it has fewer articles now"),
        (lambda lines: [{**r, "text": r["text"][: len(r["text"]) // 2]} for r in lines], "has other text now"),
    ],
    ids=["renamed", "rejected", "shortened", "other-text"],
)
def test_a_file_changed_between_readings_is_an_error(small_chunks, tmp_path, edit, message):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(jsonl_bytes([{"id": a.id, "text": a.text} for a in planted_articles()[:-2]]))
    engine = dedup.Deduplicator()
    batch = engine.prepare_batch(ArticleFiles([feed]))
    pairs = engine.find_candidates(batch)
    changed(feed, edit)
    with pytest.raises(InputError, match="the input changed while it was read twice: ") as error:
        engine.finish(batch, pairs)
    assert error.match(message)
