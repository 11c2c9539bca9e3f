"""HTML pages as input: extraction with trafilatura, chrome kept as removed junk, seeds as pages."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from dedup import deduplicate
from dedup.io.readers import read_articles
from dedup.models import Article
from dedup.text.extract import extract_page
from tests.support.cli import out, run
from tests.support.pages import LAYOUTS, page
from tests.support.paths import SEEDS


def _headline(text: str) -> str:
    first = next(line for line in text.splitlines() if line.strip())
    return first.strip()[:90]


@pytest.fixture(scope="module")
def seed_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles saved as web pages, each in another site's chrome."""
    folder = tmp_path_factory.mktemp("pages")
    for number, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        html = page(text, _headline(text), LAYOUTS[number % len(LAYOUTS)], path.stem)
        (folder / f"{path.stem}.html").write_text(html, encoding="utf-8")
    return folder


def _shape(report: dict) -> dict:
    """Clusters by file stem: canonical, members with relations; and the singletons."""
    def stem(i: str) -> str:
        return i.rsplit(".", 1)[0]

    return {
        "clusters": sorted(
            (stem(c["canonical"]), sorted((stem(m["id"]), m["relation"]) for m in c["members"])) for c in report["clusters"]
        ),
        "stats": report["stats"],
    }


def test_seed_pages_cluster_exactly_like_the_text_files(seed_pages: Path) -> None:
    as_text = json.loads(out(run("report", "seeds/", "--format", "json")))
    as_pages = json.loads(out(run("report", str(seed_pages), "--format", "json")))
    assert _shape(as_pages) == _shape(as_text)
    assert [c["canonical"] for c in as_pages["clusters"]] == ["002_58e187858871e751.html"]


def test_page_chrome_is_not_in_the_text_and_is_kept_as_removed(seed_pages: Path) -> None:
    articles = [a for a in read_articles([seed_pages]) if isinstance(a, Article)]
    assert len(articles) == 5
    for article in articles:
        for chrome in ("Privacy policy", "Accept all cookies", "Share on Facebook", "Sign up for our daily briefing",
                       "Great post, thanks!", "window.dataLayer", "font-family"):
            assert chrome not in article.text, (article.id, chrome)
        assert article.url == f"https://{LAYOUTS[int(article.id[:3]) % 3]}.example.com/news/{article.id[:-5]}"
        assert article.published is not None and article.published.date().isoformat() == "2023-07-13"
        assert article.title and article.title == _headline((SEEDS / (article.id[:-5] + ".txt")).read_text())
    result = deduplicate(read_articles([seed_pages]))
    removed = {i: [r.text for r in pieces if r.kind == "page chrome"] for i, pieces in result.removed.items()}
    newspaper = removed["000_68aecc16d4db32ab.html"]
    assert any("Privacy policy" in block for block in newspaper)
    assert any("Accept all cookies" in block for block in newspaper)
    assert not any("window.dataLayer" in block for block in newspaper)  # scripts are not page text


def test_extract_page_reads_metadata_and_lists_chrome_in_page_order() -> None:
    text = "\n".join(f"Paragraph {n} of the council story tells what the members decided about the budget." for n in range(8))
    found = extract_page(page(text, "Council passes the budget", "newspaper", "budget", "2024-02-01T08:30:00Z"))
    assert found is not None
    assert found.text.splitlines()[0].startswith("Paragraph 0 of the council story")  # headline is the title
    assert found.title == "Council passes the budget"
    assert found.url == "https://newspaper.example.com/news/budget"
    assert found.site == "Newspaper News"
    assert found.published is not None
    assert found.published.replace(tzinfo=timezone.utc).date() == datetime(2024, 2, 1).date()
    positions = [next(i for i, block in enumerate(found.chrome) if needle in block)
                 for needle in ("World", "Most read", "Privacy policy")]
    assert positions == sorted(positions)


def test_extract_page_survives_deep_nesting() -> None:
    deep = "<div>" * 5000 + "<p>" + "Words of a story that sits very deep in the page. " * 20 + "</p>" + "</div>" * 5000
    found = extract_page(f"<html><body>{deep}</body></html>")
    # lxml caps the depth it builds; what matters is no crash and no recursion error
    assert found is None or "Words of a story" in found.text


def test_pages_without_article_text_are_rejected_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "photo.html").write_text(
        "<html><head><title>Photo</title></head><body><img src='x.jpg'><script>var a = 1;</script></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    (tmp_path / "nul.htm").write_bytes(b"<html>\x00</html>")
    (tmp_path / "story.html").write_text(page("A story of the harbour, told in a few plain words. " * 6, "Harbour", "blog", "h"))
    result = deduplicate(read_articles([tmp_path]))
    reasons = {r.id: r.reason for r in result.rejected}
    assert "no article text found in the HTML page" in reasons["photo.html"]
    assert "no article text left after removing page junk" in reasons["menu.html"]  # the cleaner's verdict
    assert "NUL" in reasons["nul.htm"]
    assert result.singletons == ("story.html",)


def test_html_page_in_a_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    text = "Der Bürgermeister sagte am Montag, dass die Brücke für Reparaturen geschlossen wird. " * 8
    html = f'<html><head><meta charset="iso-8859-1"><title>Brücke</title></head><body><article><p>{text}</p></article></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("iso-8859-1"))
    (article,) = read_articles([path])
    assert isinstance(article, Article)
    assert "Bürgermeister" in article.text and "Brücke" in article.text
