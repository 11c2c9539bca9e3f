"""What reports show to name an article: its headline and its site.

One rule for the batch, the index and Spark:

* **headline**: the record's ``title``; else the page's first headline line
  (:attr:`dedup.text.clean.CleanedText.headlines`) that is not the site's own name;
  else None. Whitespace is collapsed and it is cut to :data:`HEADLINE_CHARS`.
* **site**: the record's ``source``; else the host of its ``url`` without ``www.``;
  else None.

Example:
    >>> heading(Article("a", "x", title="Bridge opens", url="https://www.example.com/a"))
    Heading(headline='Bridge opens', site='example.com')
    >>> heading(Article("b", "x", source="The Daily Post"), ("The Daily Post", "Bridge reopens")).headline
    'Bridge reopens'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from dedup.models import Article

HEADLINE_CHARS = 120
"""Longest headline (and site) kept, in characters; longer ones end in ``…``."""


class Heading(NamedTuple):
    """An article's headline and site, either may be unknown."""

    headline: str | None = None
    site: str | None = None


def _short(text: str | None) -> str | None:
    """``text`` on one line, cut to :data:`HEADLINE_CHARS`; None when empty."""
    if text is None:
        return None
    flat = " ".join(text.split())
    if not flat:
        return None
    return flat if len(flat) <= HEADLINE_CHARS else flat[: HEADLINE_CHARS - 1] + "…"


def site_of(source: str | None, url: str | None) -> str | None:
    """The source, else the URL's host without ``www.``, else None.

    Example:
        >>> site_of(None, "https://WWW.Example.com:8080/news"), site_of("Reuters", "https://x.org")
        ('example.com', 'Reuters')
    """
    named = _short(source)
    if named:
        return named
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return _short(host.removeprefix("www."))


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _names_site(line: str, source: str | None, url: str | None) -> bool:
    """Whether a headline line is the site's name: the source, or a label of the URL's
    host (``Capital Street Journal`` on ``capitalstreetjournal.com``), letters and digits
    compared without case."""
    key = _key(line)
    if source and key == _key(source):
        return True
    if url:
        try:
            host = urlsplit(url.strip()).hostname or ""
        except ValueError:
            host = ""
        return key in host.split(".")
    return False


def heading(article: Article, page_headlines: Sequence[str] = ()) -> Heading:
    """The headline and site reports show for ``article``.

    Args:
        article: The record (its title, source and URL).
        page_headlines: The page's headline lines, in page order (from the cleaner).
    """
    headline = _short(article.title)
    if headline is None:
        headline = next(
            (_short(line) for line in page_headlines if not _names_site(line, article.source, article.url)), None
        )
    return Heading(headline, site_of(article.source, article.url))


__all__ = ["HEADLINE_CHARS", "Heading", "heading", "site_of"]
