"""Hostile ids and texts: ids never steer output paths, and the HTML report shows every
payload as text. SQL payloads in the index: tests/integration/test_index.py."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

from dedup import Article, deduplicate
from dedup.report import render_html
from tests.support.cli import err, out, run
from tests.support.payloads import SQL_IDS, XSS
from tests.support.prose import ProseMaker


def test_ids_never_steer_output_paths(tmp_path: Path) -> None:
    prose = ProseMaker(seed=32)
    story = "\n\n".join(prose.make(40) for _ in range(2))
    records = [{"id": "../../outside.txt", "text": story}, {"id": "/etc/evil", "text": story + " Copy."},
               {"id": "..", "text": "\n\n".join(prose.make(40) for _ in range(2))}]
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    proc = run("filter", str(feed), "-o", str(work / "kept.jsonl"), "--decisions", str(work / "d.jsonl"))
    assert proc.returncode == 0, err(proc)
    assert sorted(p.name for p in work.iterdir()) == ["d.jsonl", "kept.jsonl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "work"]  # nothing beside them
    assert not Path("/etc/evil").exists()
    report = run("report", str(feed), "--format", "html", "-o", str(work / "r.html"))
    assert report.returncode == 0, err(report)
    assert sorted(p.name for p in work.iterdir()) == ["d.jsonl", "kept.jsonl", "r.html"]


class _Elements(HTMLParser):
    """Every element and attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def test_every_xss_payload_is_text_in_the_html_report() -> None:
    prose = ProseMaker(seed=33)
    articles = []
    for number, payload in enumerate(XSS):
        story = "\n\n".join(prose.make(40) for _ in range(2))
        articles.append(Article(f"{payload}#{number}", f"{story}\n\n{payload}", title=payload, source=payload))
        articles.append(Article(f"copy {number} {payload}", f"{story}\n\n{payload}\n\nMore.", url=f"https://x.example/{number}"))
    result = deduplicate(articles)
    assert len(result.clusters) == len(XSS)
    page = render_html(result, {a.id: a for a in articles})
    parsed = _Elements()
    parsed.feed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "section", "div", "table", "tr",
               "th", "td", "p", "b", "small", "ul", "li", "details", "summary", "mark", "span", "svg", "rect", "text",
               "footer"}
    assert parsed.tags <= allowed, parsed.tags - allowed
    assert not [a for a in parsed.attributes if a[1].startswith("on")]
    assert not [a for a in parsed.attributes if "javascript:" in a[2].lower() or a[1] in ("href", "src", "action")]
    assert page.count("<style>") == 1 and "<script" not in page.lower().replace("&lt;script", "")
    decoded = html.unescape(page)  # escaped, each payload is in the page as the text it was
    for payload in XSS:
        assert payload in decoded


def test_report_json_keeps_hostile_ids_exact(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    prose = ProseMaker(seed=34)
    story = "\n\n".join(prose.make(40) for _ in range(2))
    feed.write_text("".join(json.dumps({"id": i, "text": story + f" {n}"}) + "\n" for n, i in enumerate(XSS[:3] + SQL_IDS[:2])),
                    encoding="utf-8")
    report = json.loads(out(run("report", str(feed), "--format", "json")))
    assert sorted(m["id"] for m in report["clusters"][0]["members"]) == sorted(XSS[:3] + SQL_IDS[:2])
