"""The HTML report, loaded in a real headless Chromium: its DOM, a screenshot, and inert payloads."""

from __future__ import annotations

import json
import struct
from collections import Counter
from pathlib import Path

import pytest

from tests.support.cli import HANG_GUARD, err, out, run
from tests.support.pages import LAYOUTS, page
from tests.support.paths import ROOT, SEEDS
from tests.support.prose import ProseMaker

SCREENSHOT_DIR = ROOT / ".pytest-artifacts"

PAYLOADS = (
    "<script>window.__pwned = 1; document.title = 'pwned';</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '"><svg onload="window.__pwned = 3">',
    "<a href=\"javascript:window.__pwned = 4\">click</a>",
    "</textarea></style></title><iframe src=\"https://example.com/\"></iframe>",
    "<link rel=stylesheet href=\"https://example.com/x.css\">",
)


_PROSE = ProseMaker(seed=11)
_STORIES = {number: "\n\n".join(_PROSE.make(40) for _ in range(4)) for number in (1, 2)}


def _story(number: int) -> str:
    """A story of four paragraphs of words no other story uses."""
    return _STORIES[number]


@pytest.fixture(scope="module")
def hostile_feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds plus a story and its copy carrying script payloads in text, title, id and source."""
    folder = tmp_path_factory.mktemp("hostile")
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines.append({"id": path.name, "text": path.read_text(encoding="utf-8"), "source": "seeds"})
    payload_text = _story(1) + "\n\n" + "\n\n".join(PAYLOADS)
    lines.append({"id": "story-<b>1</b>", "text": payload_text, "source": PAYLOADS[0], "title": PAYLOADS[2]})
    lines.append({"id": PAYLOADS[1], "text": payload_text + " An extra closing line.", "source": PAYLOADS[3]})
    lines.append({"id": "story-2", "text": _story(2), "url": "https://wire.example.com/2"})
    lines.append({"id": "story-2-copy", "text": _story(2) + "\n\nReporting by a wire desk.", "url": "https://paper.example.com/x"})
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return feed


@pytest.fixture(scope="module")
def report(hostile_feed: Path) -> tuple[Path, dict]:
    target = hostile_feed.parent / "report.html"
    proc = run("report", str(hostile_feed), "--format", "html", "-o", str(target))
    assert proc.returncode == 0, err(proc)
    assert out(proc) == ""
    summary = json.loads(out(run("report", str(hostile_feed), "--format", "json")))
    return target, summary


@pytest.fixture
def loaded(browser, report):  # noqa: ANN001, ANN201
    """The report open in a fresh page, with every dialog, request and console message recorded."""
    target, _ = report
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(HANG_GUARD * 1000)  # a hang guard: a busy machine may be slow, never wrong
    tab = context.new_page()
    seen = {"dialogs": [], "requests": [], "console": []}
    tab.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    tab.on("request", lambda r: seen["requests"].append(r.url))
    tab.on("console", lambda m: seen["console"].append(m.text))
    tab.goto(target.as_uri())
    tab.wait_for_load_state("load")
    yield tab, seen
    context.close()


def test_payloads_stay_inert_text(loaded) -> None:  # noqa: ANN001
    tab, seen = loaded
    assert tab.evaluate("typeof window.__pwned") == "undefined"
    assert tab.title().startswith("dedup report")
    assert seen["dialogs"] == []
    assert seen["requests"] == [tab.url]  # the page itself; nothing fetched from anywhere
    assert tab.evaluate("document.querySelectorAll('script, iframe, img, link, a[href], object, embed').length") == 0
    handlers = tab.evaluate(
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
        ".filter(n => n.startsWith('on'))"
    )
    assert handlers == []
    text = tab.evaluate("document.body.textContent")
    for payload in PAYLOADS:
        assert payload in text, payload  # shown as the text it is


def test_dom_shows_summary_histogram_sources_and_clusters(loaded, report) -> None:  # noqa: ANN001
    tab, _ = loaded
    _, summary = report
    stats = dict(tab.evaluate("[...document.querySelectorAll('table.stats tr')].map(r => [r.cells[0].innerText, r.cells[1].innerText])"))
    assert {k: int(stats[k]) for k in ("articles", "clusters", "duplicates", "singletons", "rejected")} == summary["stats"]
    sizes = Counter(c["size"] for c in summary["clusters"])
    assert tab.evaluate("document.querySelectorAll('svg.histogram rect').length") == len(sizes)
    bars = tab.evaluate("[...document.querySelectorAll('svg.histogram rect title')].map(t => t.textContent)")
    assert bars == [f"{sizes[s]} clusters of {s}" for s in sorted(sizes)]
    sources = tab.evaluate("[...document.querySelectorAll('table.sources tr')].slice(1).map(r => r.cells[0].innerText)")
    assert sorted(sources) == sorted(["seeds", PAYLOADS[0], PAYLOADS[3], "wire.example.com", "paper.example.com"])
    clusters = tab.evaluate(
        "[...document.querySelectorAll('section.cluster')].map(c => [c.id, c.querySelector('.reason').innerText,"
        " c.querySelectorAll('details.pair').length])"
    )
    assert [c[0] for c in clusters] == [c["cluster_id"] for c in summary["clusters"]]
    for (_, reason, pairs), cluster in zip(clusters, summary["clusters"]):
        assert reason == f"Canonical: {cluster['reason']}"
        assert pairs == cluster["size"] - 1
    # Each member with its date, site and headline, as the JSON report has them.
    members = tab.evaluate(
        "[...document.querySelectorAll('table.members tr')].filter(r => r.cells[0].tagName == 'TD')"
        ".map(r => [...r.cells].slice(0, 4).map(c => c.textContent))"
    )
    assert members == [
        [m["id"], m["published"] or "undated", m["site"] or "", m["headline"] or ""]
        for c in summary["clusters"] for m in c["members"]
    ]
    assert any(m[2] == "paper.example.com" for m in members) and any(m[3] == PAYLOADS[2] for m in members)


def test_copies_sit_beside_the_canonical_with_shared_passages_and_greyed_junk(loaded, report) -> None:  # noqa: ANN001
    tab, _ = loaded
    _, summary = report
    tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    seed_cluster = next(c for c in summary["clusters"] if c["canonical"] == "002_58e187858871e751.txt")
    pair = tab.locator(f"section[id='{seed_cluster['cluster_id']}'] details.pair").first
    canonical, copy = pair.locator(".doc.canonical"), pair.locator(".doc.copy")
    left, right = canonical.bounding_box(), copy.bounding_box()
    assert left and right and left["x"] < right["x"] and abs(left["y"] - right["y"]) < 2  # side by side
    assert "002_58e187858871e751.txt" in canonical.locator("h4").inner_text()
    assert copy.locator("mark.shared").count() > 0 and canonical.locator("mark.shared").count() > 0
    removed = copy.locator(".removed").all_inner_texts()
    assert removed and "Left Menu" in " ".join(removed)  # 001's page junk, greyed in place
    colour = copy.locator(".removed").first.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(154, 154, 154)"
    shared = " ".join(copy.locator("mark.shared").all_inner_texts())
    assert "Israeli Defense Minister Yoav Gallant" in shared


def test_screenshot_of_the_report(browser, report) -> None:  # noqa: ANN001
    target, _ = report
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(HANG_GUARD * 1000)  # a hang guard: a busy machine may be slow, never wrong
    tab = context.new_page()
    tab.goto(target.as_uri())
    tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    shot = SCREENSHOT_DIR / "report.png"
    tab.screenshot(path=str(shot), full_page=True)
    context.close()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1400 and height > 2000  # the whole page: overview and the clusters opened
    assert len(data) > 50_000  # text and colour, not a blank page


def test_report_of_html_pages_lists_the_chrome_greyed(tmp_path: Path, browser) -> None:  # noqa: ANN001
    for number, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        (tmp_path / f"{path.stem}.html").write_text(page(text, path.stem, LAYOUTS[number % 3], path.stem), encoding="utf-8")
    target = tmp_path / "report.html"
    proc = run("report", str(tmp_path), "--format", "html", "-o", str(target))
    assert proc.returncode == 0, err(proc)
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(target.as_uri())
    chrome = tab.evaluate("[...document.querySelectorAll('.doc .chrome li')].map(e => e.textContent)")
    context.close()
    assert any("Trending" in c or "Sign up for our daily briefing" in c for c in chrome)
    assert any("Share this:" in c or "Great post, thanks!" in c for c in chrome)


def test_texts_are_shown_for_the_first_clusters_only(monkeypatch: pytest.MonkeyPatch, hostile_feed: Path) -> None:
    import dedup.report.html as html_report
    from dedup import deduplicate
    from dedup.io.readers import read_articles
    from dedup.models import Article

    monkeypatch.setattr(html_report, "MAX_CLUSTERS_WITH_TEXT", 1)
    articles = [a for a in read_articles([hostile_feed]) if isinstance(a, Article)]
    result = deduplicate(articles)
    assert len(result.clusters) == 3
    page_html = html_report.render_html(result, {a.id: a for a in articles})
    assert page_html.count("<details class=\"pair\">") == len(result.clusters[0].members) - 1
    assert "Texts are shown for the first 1 clusters; the other 2 list their members and scores." in page_html
    assert page_html.count('<section class="cluster"') == 3
