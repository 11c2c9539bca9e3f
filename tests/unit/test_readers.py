"""Readers: directories, text files, JSONL and stdin; bad records become rejections."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from dedup import Article, InputError, Rejection, read_articles
from dedup.dates import parse_published
from tests.support.paths import SEED_IDS


def write_jsonl(path, records) -> None:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def split(items):
    articles = [i for i in items if isinstance(i, Article)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    return articles, rejections


# --- directories and text files ------------------------------------------------------


def test_seeds_directory(seeds_dir):
    items = list(read_articles([seeds_dir]))
    assert [a.id for a in items] == list(SEED_IDS)
    assert all(isinstance(a, Article) for a in items)
    assert items[2].text == (seeds_dir / SEED_IDS[2]).read_text(encoding="utf-8")
    assert items[0].origin == str(seeds_dir / SEED_IDS[0])


def test_directory_is_recursive_sorted_with_slash_ids(tmp_path):
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "z.txt").write_text("zed", encoding="utf-8")
    (tmp_path / "b" / "deep" / "x.md").write_text("ex", encoding="utf-8")
    (tmp_path / "a" / "y.TXT").write_text("why", encoding="utf-8")
    (tmp_path / "b" / "notes.csv").write_text("ignored", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / ".dot.txt").write_text("hidden", encoding="utf-8")
    items = list(read_articles([str(tmp_path)]))
    assert [a.id for a in items] == ["a/y.TXT", "b/deep/x.md", "z.txt"]
    assert [a.text for a in items] == ["why", "ex", "zed"]


def test_single_text_file_id_is_its_name(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("The text.", encoding="utf-8")
    (item,) = list(read_articles([path]))
    assert item == Article(id="story.txt", text="The text.")


def test_utf8_bom_is_stripped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHello".encode("utf-8"))
    (item,) = list(read_articles([path]))
    assert item.text == "Hello"


def test_several_paths_in_order(tmp_path, seeds_dir):
    path = tmp_path / "extra.md"
    path.write_text("More.", encoding="utf-8")
    ids = [i.id for i in read_articles([path, seeds_dir / SEED_IDS[4]])]
    assert ids == ["extra.md", SEED_IDS[4]]


def test_binary_file_is_rejected(tmp_path):
    (tmp_path / "good.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    articles, rejections = split(list(read_articles([tmp_path])))
    assert [a.id for a in articles] == ["good.txt"]
    (rejection,) = rejections
    assert rejection.id == "image.txt"
    assert "binary" in rejection.reason
    assert rejection.origin == str(tmp_path / "image.txt")


def test_invalid_utf8_is_rejected_with_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (rejection,) = list(read_articles([path]))
    assert isinstance(rejection, Rejection)
    assert "UTF-8" in rejection.reason
    assert "0xe9" in rejection.reason and "offset 3" in rejection.reason


def test_missing_path_raises(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(InputError, match=r"nope: no such file or directory"):
        list(read_articles([missing]))


def test_empty_directory_raises(tmp_path):
    (tmp_path / "only.csv").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"no \.txt, \.md or \.html files found"):
        list(read_articles([tmp_path]))


def test_unsupported_file_type_raises(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("id,text\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"unsupported file type '\.xlsx'.*\.csv"):
        list(read_articles([path]))


# --- JSONL -------------------------------------------------------------------------------


def test_jsonl_with_all_fields(tmp_path):
    path = tmp_path / "feed.jsonl"
    write_jsonl(
        path,
        [
            {
                "id": "a1",
                "text": "Body one.",
                "title": "Title",
                "url": "https://example.com/a1",
                "source": "Example",
                "published": "2023-07-13T23:14:00Z",
                "lang": "en",
                "tags": ["x"],
            },
            {"id": 7, "text": "Body two.", "published": "2023-07-14"},
        ],
    )
    first, second = list(read_articles([path]))
    assert first == Article(
        id="a1",
        text="Body one.",
        title="Title",
        url="https://example.com/a1",
        source="Example",
        published=datetime(2023, 7, 13, 23, 14, tzinfo=timezone.utc),
    )
    assert first.published.utcoffset() == timedelta(0)
    assert first.meta == {"lang": "en", "tags": ["x"]}
    assert first.origin == f"{path}:1"
    assert second.id == "7"
    assert second.published == datetime(2023, 7, 14)
    assert second.title is None and second.meta == {}


def test_jsonl_published_with_offset():
    moment = parse_published("2023-07-13T23:14:00+02:00")
    assert moment == datetime(2023, 7, 13, 21, 14, tzinfo=timezone.utc)
    assert parse_published("yesterday") is None
    assert parse_published(20230713) is None
    assert parse_published("  ") is None


def test_jsonl_date_field_is_read_when_published_is_absent(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text(
        '{"id": "r1", "text": "x", "date": "26-FEB-1987 15:01:01.79"}\n'
        '{"id": "r2", "text": "x", "date": "Thu, 13 Jul 2023 23:14:00 GMT", "published": null}\n'
        '{"id": "r3", "text": "x", "date": "soon"}\n'
        '{"id": "r4", "text": "x", "date": "2020-01-01", "published": "2023-07-13"}\n',
        encoding="utf-8",
    )
    r1, r2, r3, r4 = read_articles([path])
    assert r1.published == datetime(1987, 2, 26, 15, 1, 1, 790000) and "date" not in r1.meta
    assert r2.published == datetime(2023, 7, 13, 23, 14, tzinfo=timezone.utc)
    assert isinstance(r3, Rejection) and r3.reason.startswith("'date' is not a date: 'soon'")
    # 'published' wins; 'date' then passes through untouched.
    assert r4.published == datetime(2023, 7, 13) and r4.meta == {"date": "2020-01-01"}


def test_parse_published_reads_no_guesses():
    assert parse_published("31-MAR-1987 605:12:19") == datetime(1987, 3, 31)  # the garbled time is dropped
    for not_a_date in ("13/07/2023", "13 Jul", "2023", "32-JAN-2020", "1-FOO-2020", "Mon, 99 Foo 2023",
                       "07/13/2023", "July 32, 2023", "Foo 13, 2023", "13 July 2023 13:00 PM", "July 13, 2023 EST"):
        assert parse_published(not_a_date) is None, not_a_date


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("July 13, 2023", datetime(2023, 7, 13, tzinfo=timezone.utc)),
        ("Jul. 13, 2023 11:14 PM", datetime(2023, 7, 13, 23, 14, tzinfo=timezone.utc)),
        ("July 13 2023, 9:05 a.m.", datetime(2023, 7, 13, 9, 5, tzinfo=timezone.utc)),
        ("12 Sept 2024 12:30 am", datetime(2024, 9, 12, 0, 30, tzinfo=timezone.utc)),
        ("13 July 2023 23:14 UTC", datetime(2023, 7, 13, 23, 14, tzinfo=timezone.utc)),
        ("13 Jul 2023 11:14 pm", datetime(2023, 7, 13, 23, 14, tzinfo=timezone.utc)),  # once read as 11:14
        ("2023/07/13 23:14:05", datetime(2023, 7, 13, 23, 14, 5, tzinfo=timezone.utc)),
    ],
)
def test_parse_published_reads_the_dates_news_pages_print(printed, expected):
    assert parse_published(printed) == expected


def test_jsonl_blank_lines_are_skipped_and_lines_numbered(tmp_path):
    path = tmp_path / "feed.ndjson"
    path.write_text('\n{"id": "a", "text": "x"}\n\n{"broken\n', encoding="utf-8")
    article, rejection = list(read_articles([path]))
    assert article.origin == f"{path}:2"
    assert rejection.id == f"{path}:4"
    assert rejection.origin == f"{path}:4"
    assert "not valid JSON" in rejection.reason


@pytest.mark.parametrize(
    "line,rejected_id,reason",
    [
        ("{not json", "LOC", "not valid JSON"),
        ("[1, 2]", "LOC", "expected a JSON object, got list"),
        ('{"text": "no id"}', "LOC", "missing 'id' field"),
        ('{"id": ["x"], "text": "t"}', "LOC", "'id' must be a string or an integer, got list"),
        ('{"id": true, "text": "t"}', "LOC", "'id' must be a string or an integer, got bool"),
        ('{"id": 1.5, "text": "t"}', "LOC", "'id' must be a string or an integer, got float"),
        ('{"id": " ", "text": "t"}', "LOC", "'id' is empty"),
        ('{"id": "m"}', "m", "missing 'text' field"),
        ('{"id": "m", "text": null}', "m", "missing 'text' field"),
        ('{"id": "m", "text": 12}', "m", "'text' must be a string, got int"),
        ('{"id": "m", "text": "t", "title": 3}', "m", "'title' must be a string, got int"),
        (
            '{"id": "m", "text": "t", "published": "13/07/2023"}',
            "m",
            "'published' is not a date: '13/07/2023'",
        ),
        (
            '{"id": "m", "text": "t", "published": 1689290040}',
            "m",
            "'published' is not a date: 1689290040",
        ),
    ],
)
def test_jsonl_bad_records_are_rejected(tmp_path, line, rejected_id, reason):
    path = tmp_path / "feed.jsonl"
    write_jsonl(path, [{"id": "ok", "text": "fine"}, line])
    good, bad = list(read_articles([path]))
    assert good.id == "ok"
    assert isinstance(bad, Rejection)
    location = f"{path}:2"
    assert bad.id == (location if rejected_id == "LOC" else rejected_id)
    assert bad.origin == location
    assert reason in bad.reason


def test_jsonl_line_with_nul_or_bad_utf8_is_rejected(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"id": "ok", "text": "fine"}\n{"id": "n", "text": "a\x00b"}\n{"id": "u", "text": "\xff"}\n'
    )
    ok, nul, bad = list(read_articles([path]))
    assert ok.id == "ok"
    assert "NUL" in nul.reason and nul.id == f"{path}:2"
    assert "UTF-8" in bad.reason and bad.id == f"{path}:3"


def test_jsonl_without_usable_line_raises_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    write_jsonl(path, ["not json", '{"id": 3}'])
    where = re.escape(str(path))
    with pytest.raises(
        InputError, match=rf"^{where}:1: not valid JSON .*; no line of {where} is a usable article"
    ):
        list(read_articles([path]))


def test_empty_jsonl_raises(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no records"):
        list(read_articles([path]))


def test_jsonl_rejections_are_yielded_before_the_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    write_jsonl(path, ["nope"])
    stream = read_articles([path])
    first = next(stream)
    assert isinstance(first, Rejection)
    with pytest.raises(InputError):
        next(stream)


# --- stdin --------------------------------------------------------------------------------


def test_stdin_jsonl():
    data = b'{"id": "s1", "text": "From stdin."}\n{"id": "s2", "text": "Second."}\n'
    items = list(read_articles(["-"], stdin=io.BytesIO(data)))
    assert [(a.id, a.text) for a in items] == [("s1", "From stdin."), ("s2", "Second.")]
    assert items[1].origin == "<stdin>:2"


def test_stdin_bad_line_names_stdin():
    data = b'{"id": "s1", "text": "ok"}\nbroken\n'
    _, rejection = list(read_articles(["-"], stdin=io.BytesIO(data)))
    assert rejection.id == "<stdin>:2"


def test_empty_stdin_raises():
    with pytest.raises(InputError, match="<stdin>: no records"):
        list(read_articles(["-"], stdin=io.BytesIO(b"")))
