"""Bad input over every reader and every command: each record ends up kept, a duplicate,
or rejected with a reason naming what is wrong; the counts add up to the input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.support.cli import err, out, run
from tests.support.prose import ProseMaker

_PROSE = ProseMaker(seed=21)
STORY = "\n\n".join(_PROSE.make(40) for _ in range(3))
OTHER = "\n\n".join(_PROSE.make(40) for _ in range(3))
GOOD = {"story": STORY, "story-copy": STORY + "\n\nReporting by the wire desk.", "other": OTHER}
"""Usable records: a copy pair and a singleton (2 kept, 1 duplicate)."""

HUGE = "word " * 2_200_001  # 11 million characters: over clean.max_chars
ONE_LINE = " ".join(f"w{n % 7919}" for n in range(1_000_000))  # a million words, no line break
BIG_PAGE = "<html><body><article>" + ("<p>" + "The council met on Monday to talk about the budget. " * 20 + "</p>") * 4000 + "</article></body></html>"

MULTILINGUAL = {
    "zh": "国家统计局周一发布第三季度经济数据，经济增速达到百分之四点九。多位经济学家指出，出口表现疲软，但服务业恢复较快。",
    "ru": "В понедельник правительство объявило о новых мерах поддержки экономики. Министр финансов заявил о росте бюджета.",
    "ar": "أعلنت الحكومة يوم الاثنين عن إجراءات جديدة لدعم الاقتصاد. وقال وزير المالية إن الميزانية ستزداد بنسبة عشرة في المئة.",
    "mixed": "Reuters 报道 that the Центральный банк held rates; الأسواق reacted calmly across Asia and Europe on Tuesday.",
}


def _jsonl(folder: Path) -> tuple[Path, dict[str, str]]:
    """A JSONL feed with every kind of bad line; returns it and, per bad line, a reason fragment."""
    lines: list[bytes] = [json.dumps({"id": k, "text": v}).encode() for k, v in GOOD.items()]
    lines += [json.dumps({"id": k, "text": v}, ensure_ascii=False).encode() for k, v in MULTILINGUAL.items()]
    lines.append(json.dumps({"id": "one-long-line", "text": ONE_LINE}).encode())  # extreme, but usable
    bad = [
        (json.dumps({"id": "empty", "text": ""}).encode(), "empty text"),
        (json.dumps({"id": "blank", "text": " \n\t "}).encode(), "empty text"),
        (json.dumps({"id": "symbols", "text": "!!! ??? --- ***"}).encode(), "no words"),
        (json.dumps({"id": "huge", "text": HUGE}).encode(), "over clean.max_chars"),
        (b'{"id": "nul", "text": "a\x00b"}', "NUL"),
        (b'{"id": "latin1", "text": "caf\xe9"}', "not valid UTF-8"),
        (b'{"id": "broken", "text": ', "not valid JSON"),
        (b'["a", "list"]', "expected a JSON object"),
        (json.dumps({"text": "no id here"}).encode(), "missing 'id'"),
        (json.dumps({"id": ["x"], "text": "t"}).encode(), "'id' must be a string or an integer"),
        (json.dumps({"id": True, "text": "t"}).encode(), "'id' must be a string or an integer"),
        (json.dumps({"id": "story", "text": "a second record with a used id"}).encode(), "duplicate id"),
        (json.dumps({"id": "no-text"}).encode(), "missing 'text'"),
        (json.dumps({"id": "num-text", "text": 42}).encode(), "'text' must be a string"),
        (json.dumps({"id": "date", "text": OTHER + " Again.", "published": "13/07/2023"}).encode(), "is not a date"),
        (json.dumps({"id": "date2", "text": OTHER + " More.", "published": "next Tuesday"}).encode(), "is not a date"),
    ]
    lines += [line for line, _ in bad]
    path = folder / "feed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    first_bad = len(GOOD) + len(MULTILINGUAL) + 2
    return path, {f"{path}:{first_bad + i}": why for i, (_, why) in enumerate(bad)}


def _files(folder: Path) -> tuple[Path, dict[str, str]]:
    """A folder of text files and pages with the file-level failures."""
    root = folder / "pages"
    root.mkdir()
    for key, text in {**GOOD, **MULTILINGUAL}.items():
        (root / f"{key}.txt").write_text(text, encoding="utf-8")
    bad = {
        "empty.txt": (b"", "empty text"),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        "latin1.txt": ("café au lait".encode("latin-1"), "not valid UTF-8"),
        "huge.txt": (HUGE.encode(), "over clean.max_chars"),
        "menu.html": (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "page junk"),
        "photo.html": (b"<html><body><img src='x.jpg'></body></html>", "no article text found"),
        "deep.html": (("<div>" * 100_000 + "x" + "</div>" * 100_000).encode(), "no article text found"),
        "big.html": (BIG_PAGE.encode(), ""),  # 4 MB of markup: read, and accounted for
    }
    for name, (data, _) in bad.items():
        (root / name).write_bytes(data)
    return root, {str(root / name): why for name, (_, why) in bad.items()}


def _csv(folder: Path) -> tuple[Path, dict[str, str]]:
    rows = [b"id,text,published"] + [f"{k},\"{v}\",".encode() for k, v in GOOD.items()]
    bad = [
        (b"too,many,cells,here", "the row has 4 cells"),
        (b"latin1,caf\xe9,", "not valid UTF-8"),
        (b"nul,a\x00b,", "NUL"),
        (b",no id,", "'id' is empty"),
        (b"date,\"" + OTHER.encode() + b" Again.\",yesterday", "is not a date"),
        (b"story,a used id,", "duplicate id"),
    ]
    path = folder / "feed.csv"
    path.write_bytes(b"\n".join(rows + [line for line, _ in bad]) + b"\n")
    first = len(rows) + 1
    return path, {f"{path}:row {first + i}": why for i, (_, why) in enumerate(bad)}


def _parquet(folder: Path) -> tuple[Path, dict[str, str]]:
    ids = list(GOOD) + [None, "null-text", "blank", "story"]
    texts = list(GOOD.values()) + ["no id", None, "   ", "a used id"]
    path = folder / "feed.parquet"
    pq.write_table(pa.table({"id": pa.array(ids, pa.string()), "text": pa.array(texts, pa.string())}), path)
    why = ["missing 'id'", "missing 'text'", "empty text", "duplicate id"]
    return path, {f"{path}:row {len(GOOD) + 1 + i}": w for i, w in enumerate(why)}


INPUTS = {"jsonl": _jsonl, "files": _files, "csv": _csv, "parquet": _parquet}


@pytest.fixture(scope="module", params=list(INPUTS))
def bad_input(request, tmp_path_factory):  # noqa: ANN001, ANN201
    folder = tmp_path_factory.mktemp(request.param)
    path, reasons = INPUTS[request.param](folder)
    return request.param, path, reasons


def _records(kind: str, path: Path) -> int:
    if kind == "jsonl":
        return sum(1 for line in path.read_bytes().splitlines() if line.strip())
    if kind == "csv":  # cells hold line breaks: count the rows as the csv module reads them
        import csv
        import io

        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        return sum(1 for row in csv.reader(io.StringIO(text, newline="")) if row) - 1
    if kind == "parquet":
        return pq.read_metadata(path).num_rows
    return sum(1 for p in path.iterdir())


def test_report_accounts_for_every_record(bad_input) -> None:  # noqa: ANN001
    kind, path, reasons = bad_input
    proc = run("report", str(path), "--format", "json")
    assert proc.returncode == 0, err(proc)
    assert "Traceback" not in err(proc)
    report = json.loads(out(proc))
    stats = report["stats"]
    assert stats["articles"] == _records(kind, path)
    assert stats["articles"] == stats["singletons"] + stats["duplicates"] + stats["clusters"] + stats["rejected"]
    rejected = {r["origin"]: r["reason"] for r in report["rejected"]}
    for origin, why in reasons.items():
        if why:
            assert why in rejected[origin], (origin, rejected.get(origin))
    clusters = [sorted(m["id"].removesuffix(".txt") for m in c["members"]) for c in report["clusters"]]
    assert ["story", "story-copy"] in clusters


def test_filter_decisions_add_up(bad_input, tmp_path: Path) -> None:  # noqa: ANN001
    kind, path, reasons = bad_input
    target = tmp_path / ("kept" if kind == "files" else f"kept{''.join(path.suffixes)}")
    proc = run("filter", str(path), "-o", str(target), "--decisions", str(tmp_path / "d.jsonl"))
    assert proc.returncode == 0, err(proc)
    decisions = [json.loads(line) for line in (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(decisions) == _records(kind, path)
    counts = Counter(d["decision"] for d in decisions)
    assert counts["rejected"] >= sum(1 for why in reasons.values() if why)
    assert counts["duplicate"] == 1 and counts["kept"] + counts["duplicate"] + counts["rejected"] == len(decisions)
    assert all(d["reason"] for d in decisions if d["decision"] == "rejected")


def test_index_add_gives_one_verdict_per_record(bad_input, tmp_path: Path) -> None:  # noqa: ANN001
    kind, path, _ = bad_input
    proc = run("index", "add", "--db", str(tmp_path / "news.db"), str(path))
    assert proc.returncode == 0, err(proc)
    verdicts = [json.loads(line) for line in out(proc).splitlines()]
    assert len(verdicts) == _records(kind, path)
    statuses = Counter(v["status"] for v in verdicts)
    assert statuses["duplicate"] == 1 and statuses["rejected"] > 0
    assert all(v["reason"] for v in verdicts if v["status"] == "rejected")
    stats = json.loads(out(run("index", "stats", "--db", str(tmp_path / "news.db"))))
    assert stats["articles"] == statuses["new"] + statuses["duplicate"]
