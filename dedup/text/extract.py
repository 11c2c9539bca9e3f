"""HTML pages -> main text, title, date, canonical URL and site, with trafilatura.

The page chrome trafilatura leaves out (menus, share bars, footers, related links)
is kept as text blocks, so reports can show what was removed. Blocks come from a
walk of the parsed tree (lxml, trafilatura's own parser), never from regexes over
the markup.

trafilatura is an optional dependency: ``pip install 'dedup[html]'``.

Example:
    >>> page = ("<html><head><title>T</title></head><body><nav>Home | World</nav><article>"
    ...         + "<p>" + "The council met on Monday to vote on the new budget for the city. " * 6
    ...         + "</p></article><footer>All rights reserved</footer></body></html>")
    >>> found = extract_page(page)
    >>> found.text.startswith("The council met"), found.chrome
    (True, ('Home | World', 'All rights reserved'))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dedup.dates import parse_published
from dedup.errors import InputError

HTML_SUFFIXES = (".html", ".htm")

_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "button", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "option", "p", "pre", "section", "select", "summary", "table", "td", "th",
    "tr", "ul",
})


@dataclass(frozen=True)
class ExtractedPage:
    """What a page holds: its main text, metadata, and the chrome left out.

    Args:
        text: The main text, one paragraph per line.
        title: The headline, if found.
        published: The publication date, if found.
        url: The canonical URL, if the page declares one.
        site: The site's name (or host), if found.
        chrome: The page's other text blocks, in page order (menus, footers, ...).
    """

    text: str
    title: str | None
    published: datetime | None
    url: str | None
    site: str | None
    chrome: tuple[str, ...]


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise InputError(
            f"reading HTML pages needs trafilatura ({exc}); install it with: pip install 'dedup[html]'"
        ) from None
    return trafilatura


def extract_page(page: str | bytes) -> ExtractedPage | None:
    """Extract one page; None when it has no main text.

    Args:
        page: The HTML, as text or as bytes (the encoding is then detected from the page).
    """
    trafilatura = _trafilatura()
    tree = trafilatura.load_html(page)
    if tree is None:
        return None
    blocks = _text_blocks(tree)
    document = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False,
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not text:
        return None
    title = _clean_field(getattr(document, "title", None))
    text = _without_headline(text, title)
    if not text:
        return None
    flat_text = " ".join(text.split())
    chrome = tuple(b for b in blocks if b not in flat_text and b != title)
    return ExtractedPage(
        text=text,
        title=title,
        published=parse_published(getattr(document, "date", None)),
        url=_clean_field(getattr(document, "url", None)),
        site=_clean_field(getattr(document, "sitename", None)) or _clean_field(getattr(document, "hostname", None)),
        chrome=chrome,
    )


def _without_headline(text: str, title: str | None) -> str:
    """The text without leading lines that repeat the headline: the headline is the
    article's title, not its body (re-headlined copies are copies)."""
    if not title:
        return text
    lines = text.splitlines()
    while lines and " ".join(lines[0].split()) == title:
        lines.pop(0)
    return "\n".join(lines).strip()


def _clean_field(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    flat = " ".join(value.split())
    return flat or None


def _text_blocks(tree: Any) -> list[str]:
    """The visible text of a parsed page as blocks (one per block-level element run),
    whitespace collapsed, in page order. Iterative, so deep nesting cannot overflow."""
    from lxml import etree

    body = tree.find("body")
    root = body if body is not None else tree
    blocks: list[str] = []
    pieces: list[str] = []

    def flush() -> None:
        flat = " ".join("".join(pieces).split())
        pieces.clear()
        if flat:
            blocks.append(flat)

    skipping = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if skipping or tag in _SKIPPED or not tag:
                skipping += 1
                continue
            if tag in _BLOCKS:
                flush()
            if element.text:
                pieces.append(element.text)
            continue
        if skipping:
            skipping -= 1
        elif tag in _BLOCKS:
            flush()
        if element.tail and not skipping and element is not root:
            pieces.append(element.tail)
    flush()
    return blocks
