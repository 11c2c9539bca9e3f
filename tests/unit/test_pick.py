"""Picking items by position: ``ArticleFiles.pick`` gives back exactly what reading the
whole input gives at those positions, parsing only the records wanted."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
from pathlib import Path

import numpy as np
import pytest

from dedup import Article, ArticleFiles, Rejection
from dedup.io import picking, readers


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
