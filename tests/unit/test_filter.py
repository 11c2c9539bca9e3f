"""'dedup filter': the kept records in the input's own format, and one decision per record."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.support.cli import assert_clean_error, err, out, run
from tests.support.paths import SEED_IDS, dev_corpus

BAD_LINES = [b"not json at all\n", b'{"id": "no-text"}\n', b'{"id": "census-604", "text": "a repeated id"}\n']


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """scrape_dev.jsonl with three bad lines mixed in (rejected, never lost)."""
    lines = dev_corpus().read_bytes().splitlines(keepends=True)
    for offset, bad in zip((5, 30, 60), BAD_LINES):
        lines.insert(offset, bad)
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    path.write_bytes(b"".join(lines))
    return path


def _filter(*args: str) -> None:
    proc = run("filter", *args)
    assert proc.returncode == 0, err(proc)
    assert out(proc) == ""
    assert "records:" in err(proc)  # the one-line summary


def _decisions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def jsonl_run(feed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    folder = tmp_path_factory.mktemp("jsonl")
    _filter(str(feed), "-o", str(folder / "kept.jsonl"), "--decisions", str(folder / "decisions.jsonl"))
    return folder / "kept.jsonl", _decisions(folder / "decisions.jsonl")


def test_jsonl_round_trip_keeps_the_kept_lines_byte_for_byte(feed: Path, jsonl_run: tuple[Path, list[dict]]) -> None:
    kept_path, decisions = jsonl_run
    lines = [line for line in feed.read_bytes().splitlines(keepends=True) if line.strip()]
    assert len(decisions) == len(lines)  # one decision per record, in input order
    chosen = [line for line, d in zip(lines, decisions) if d["decision"] == "kept"]
    assert kept_path.read_bytes() == b"".join(chosen)
    counts = Counter(d["decision"] for d in decisions)
    assert counts["kept"] + counts["duplicate"] + counts["rejected"] == len(lines)
    assert counts["rejected"] == len(BAD_LINES) and counts["duplicate"] > 0


def test_decisions_agree_with_the_report(feed: Path, jsonl_run: tuple[Path, list[dict]]) -> None:
    _, decisions = jsonl_run
    report = json.loads(out(run("report", str(feed), "--format", "json")))
    canonical_of = {m["id"]: c["canonical"] for c in report["clusters"] for m in c["members"]}
    for d in decisions:
        if d["decision"] == "duplicate":
            assert canonical_of[d["id"]] == d["of"] != d["id"]
            assert d["relation"] in {"exact", "near", "excerpt"} and 0 < d["containment"] <= 1
            assert d["reason"].startswith(f"{d['relation']} copy")
        elif d["decision"] == "kept" and d["cluster_id"] is not None:
            assert canonical_of[d["id"]] == d["id"]
    rejected = [d for d in decisions if d["decision"] == "rejected"]
    assert [d["origin"].rsplit(":", 1)[1] for d in rejected] == ["6", "31", "61"]  # where the bad lines were put
    assert "duplicate id" in rejected[2]["reason"] and "not valid JSON" in rejected[0]["reason"]
    assert len(rejected) == report["stats"]["rejected"]


def _records(feed: Path) -> list[dict]:
    rows = []
    for line in feed.read_bytes().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "text" in record:
            rows.append(record)
    return rows


def test_csv_round_trip_matches_the_jsonl_decisions(feed: Path, jsonl_run: tuple[Path, list[dict]], tmp_path: Path) -> None:
    records = _records(feed)
    columns = ["id", "publisher", "scraped", "topic", "text"]
    source = tmp_path / "feed.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([[r.get(c, "") for c in columns] for r in records])
    _filter(str(source), "-o", str(tmp_path / "kept.csv"), "--decisions", str(tmp_path / "d.jsonl"), "--source-field", "publisher")
    by_id = {d["id"]: d["decision"] for d in jsonl_run[1] if d["decision"] != "rejected"}
    decisions = _decisions(tmp_path / "d.jsonl")
    assert {d["id"]: d["decision"] for d in decisions if d["decision"] != "rejected"} == by_id
    with (tmp_path / "kept.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == columns
    kept_ids = [d["id"] for d in decisions if d["decision"] == "kept"]
    assert [row[0] for row in rows[1:]] == kept_ids
    original: dict[str, list[str]] = {}
    for r in records:
        original.setdefault(r["id"], [r.get(c, "") for c in columns])
    assert all(row == original[row[0]] for row in rows[1:])  # every cell as it was


def test_parquet_round_trip_keeps_schema_and_rows(feed: Path, jsonl_run: tuple[Path, list[dict]], tmp_path: Path) -> None:
    records = [r for r in _records(feed) if r["text"] != "a repeated id"]
    table = pa.table({
        "doc_id": [r["id"] for r in records],
        "body": [r["text"] for r in records],
        "publisher": [r.get("publisher") for r in records],
        "rank": pa.array(range(len(records)), pa.int32()),
    })
    source = tmp_path / "feed.parquet"
    pq.write_table(table, source)
    kept_path = tmp_path / "kept.parquet"
    _filter(str(source), "-o", str(kept_path), "--decisions", str(tmp_path / "d.jsonl"), "--id-field", "doc_id", "--text-field", "body")
    decisions = _decisions(tmp_path / "d.jsonl")
    assert len(decisions) == table.num_rows
    by_id = {d["id"]: d["decision"] for d in jsonl_run[1] if d["decision"] != "rejected"}
    assert {d["id"]: d["decision"] for d in decisions} == by_id
    kept = pq.read_table(kept_path)
    assert kept.schema.equals(table.schema)
    mask = pa.array([d["decision"] == "kept" for d in decisions])
    assert kept.equals(table.filter(mask))


def test_folder_of_articles_is_filtered_to_a_folder(tmp_path: Path, seeds_dir: Path) -> None:
    target = tmp_path / "kept"
    _filter(str(seeds_dir), "-o", str(target))
    kept = sorted(p.name for p in target.iterdir())
    assert kept == sorted(set(SEED_IDS) - {"001_86997ac36c104c62.txt"})
    assert all((target / name).read_bytes() == (seeds_dir / name).read_bytes() for name in kept)


def test_stdin_is_filtered(tmp_path: Path, feed: Path, jsonl_run: tuple[Path, list[dict]]) -> None:
    proc = run("filter", "-", "-o", str(tmp_path / "kept.jsonl.gz"), "--quiet", stdin=feed.read_bytes())
    assert proc.returncode == 0 and err(proc) == ""
    import gzip

    assert gzip.decompress((tmp_path / "kept.jsonl.gz").read_bytes()) == jsonl_run[0].read_bytes()


def test_output_that_does_not_fit_the_input_is_refused_before_any_work(tmp_path: Path, seeds_dir: Path, feed: Path) -> None:
    assert_clean_error(run("filter", str(feed), "-o", str(tmp_path / "kept.csv")), "input's format (jsonl)", "kept.jsonl")
    assert_clean_error(run("filter", str(feed), str(seeds_dir), "-o", str(tmp_path / "k.jsonl")), "mix formats")
    assert_clean_error(run("filter", str(feed), "-o", str(tmp_path / "missing" / "k.jsonl")), "does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, not even partial files
