"""CSV, Parquet and gzip-compressed JSONL inputs, with field mapping and named bad rows."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dedup.errors import InputError
from dedup.io.fields import FieldMap
from dedup.io.readers import count_records, read_articles
from dedup.models import Article, Rejection
from tests.support.cli import assert_clean_error, err, out, run

MAPPED = FieldMap(id="doc", text="body", title="headline", published="when", source="outlet")


def _csv(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_csv_fields_are_mapped_and_the_rest_is_meta(tmp_path: Path) -> None:
    path = _csv(tmp_path / "feed.csv", "doc,body,headline,when,outlet,lang\n7,Hello there,Hi,2023-07-13,Wire,en\n")
    (article,) = read_articles([path], fields=MAPPED)
    assert isinstance(article, Article)
    assert (article.id, article.text, article.title, article.source) == ("7", "Hello there", "Hi", "Wire")
    assert article.published == datetime(2023, 7, 13)
    assert article.meta == {"lang": "en"}
    assert article.origin == f"{path}:row 2"


def test_csv_rows_are_named_by_spreadsheet_row_even_with_multiline_cells(tmp_path: Path) -> None:
    path = _csv(tmp_path / "feed.csv", 'id,text\na,"line one\nline two"\n,no id\nc,"x"\n')
    items = list(read_articles([path]))
    assert [type(i).__name__ for i in items] == ["Article", "Rejection", "Article"]
    assert items[0].text == "line one\nline two"
    assert items[1].origin == f"{path}:row 3" and items[1].reason == "'id' is empty"
    assert items[2].origin == f"{path}:row 4"


def test_csv_bad_rows_are_rejected_with_reasons(tmp_path: Path) -> None:
    data = b"id,text,title\na,fine,t\nb,too,many,cells\nc,bad \xff byte,t\nd,nul \x00 here,t\ne,,t\n"
    path = tmp_path / "feed.csv"
    path.write_bytes(data)
    items = {i.origin: i for i in read_articles([path])}
    reasons = {o.rsplit(":", 1)[1]: (i.reason if isinstance(i, Rejection) else "ok") for o, i in items.items()}
    assert reasons["row 2"] == "ok"
    assert reasons["row 3"].startswith("the row has 4 cells and the header 3")
    assert "not valid UTF-8" in reasons["row 4"]
    assert "NUL" in reasons["row 5"]
    assert reasons["row 6"] == "ok"  # empty text: the pipeline rejects it as empty, like any other input


def test_csv_cells_longer_than_the_csv_module_default_are_read(tmp_path: Path) -> None:
    long_text = "word " * 60_000  # 300 KB, over csv's 128 KiB default cell limit
    path = _csv(tmp_path / "long.csv", f"id,text\nlong,{long_text}\n")
    (article,) = read_articles([path])
    assert isinstance(article, Article) and len(article.text) == len(long_text)


def test_csv_without_the_text_column_names_the_columns_and_the_flag(tmp_path: Path) -> None:
    path = _csv(tmp_path / "feed.csv", "id,content\n1,The council met on Monday and voted to close the bridge for repairs.\n")
    with pytest.raises(InputError, match=r"no column 'text' for the article text; the columns are 'id', 'content'; name yours with --text-field"):
        list(read_articles([path]))
    assert_clean_error(run("report", str(path)), "--text-field")
    proc = run("report", str(path), "--text-field", "content", "--format", "json")
    assert proc.returncode == 0, err(proc)
    assert json.loads(out(proc))["stats"]["articles"] == 1


def test_empty_csv_and_repeated_columns_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        list(read_articles([_csv(tmp_path / "empty.csv", "")]))
    with pytest.raises(InputError, match="repeats column"):
        list(read_articles([_csv(tmp_path / "twice.csv", "id,text,text\n1,a,b\n")]))


def test_gzip_jsonl_and_csv_are_read_like_plain_ones(tmp_path: Path) -> None:
    records = [{"id": f"r{i}", "text": f"Story number {i} about the harbour and the boats."} for i in range(3)]
    plain = tmp_path / "feed.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    packed = tmp_path / "feed.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    csv_packed = tmp_path / "feed.csv.gz"
    csv_packed.write_bytes(gzip.compress(b"id,text\n" + b"".join(f"{r['id']},{r['text']}\n".encode() for r in records)))
    def texts(path: Path) -> list[tuple[str, str]]:
        return [(a.id, a.text) for a in read_articles([path]) if isinstance(a, Article)]
    assert texts(packed) == texts(plain) == texts(csv_packed)
    assert next(iter(read_articles([packed]))).origin == f"{packed}:1"


def _parquet(path: Path, table: pa.Table) -> Path:
    pq.write_table(table, path)
    return path


def test_parquet_is_read_with_mapping_native_types_and_named_rows(tmp_path: Path) -> None:
    when = datetime(2023, 7, 13, 23, 14, tzinfo=timezone.utc)
    table = pa.table({
        "doc": pa.array([1, 2, 3], pa.int64()),
        "body": ["First story text.", None, "Third story text."],
        "headline": ["One", "Two", None],
        "when": pa.array([when, None, when], pa.timestamp("us", tz="UTC")),
        "outlet": ["Wire", "Wire", "Paper"],
        "score": [0.5, 0.7, 0.9],
    })
    path = _parquet(tmp_path / "feed.parquet", table)
    items = list(read_articles([path], fields=MAPPED))
    first, second, third = items
    assert isinstance(first, Article) and first.id == "1" and first.published == when and first.meta == {"score": 0.5}
    assert isinstance(second, Rejection) and second.origin == f"{path}:row 2" and "missing 'body' field" in second.reason
    assert isinstance(third, Article) and third.title is None and third.source == "Paper"
    assert count_records([path]) == 3


def test_parquet_errors_name_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a readable Parquet file"):
        list(read_articles([_csv(tmp_path / "fake.parquet", "id,text\n")]))
    path = _parquet(tmp_path / "cols.parquet", pa.table({"key": ["a"], "text": ["x"]}))
    with pytest.raises(InputError, match=r"no column 'id' for the article id; the columns are 'key', 'text'; name yours with --id-field"):
        list(read_articles([path]))
    (article,) = read_articles([path], fields=FieldMap(id="key"))
    assert isinstance(article, Article) and article.id == "a"


def test_count_records_is_known_only_where_cheap(tmp_path: Path, seeds_dir: Path) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"id": 1, "text": "x"}\n{"id": 2, "text": "y"}\n', encoding="utf-8")
    assert count_records([seeds_dir, jsonl]) == 7
    assert count_records([_csv(tmp_path / "b.csv", "id,text\n1,x\n")]) is None
    assert count_records(["-"]) is None
