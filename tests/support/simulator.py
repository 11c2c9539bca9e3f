"""Seeded, deterministic simulator of news syndication on the web.

The simulator turns the BBC News corpus (2,225 articles, read at run time and
never copied into the repository) into a labelled benchmark for near-duplicate
detection. Each sampled BBC article is a *story*: its original is published on
one fictional news site, and 1-5 copies appear on other sites, each with one
primary edit (teaser, trimmed, re-ordered, mojibake, OCR noise, ...). Every page
is wrapped in its site's chrome: menus, breadcrumbs, share widgets, "Trending"
lists made of other BBC headlines, cookie and paywall prompts, captions, bylines,
footers. Hard negatives are added that must never be merged: other articles
published on the same site (identical chrome) and other articles from the same
BBC category (same topic).

The simulator models the web, not any detector: nothing here looks at how
``dedup`` matches articles.

Ground truth is kept clean: BBC articles that overlap each other (the corpus
holds exact duplicates and rolling versions of one story) are grouped into
families by word 5-gram containment, and only one article per family is ever
used, so two different stories never share a substantial passage.

Usage:
    python -m tests.support.simulator --bbc ../shared/data/bbc.jsonl \\
        --stories 300 --seed 0 --out /tmp/sim

In code: ``simulate(DEFAULT_BBC, n_stories=20, seed=1)`` returns a
:class:`SimulatedCorpus`; its first article is an ``original`` (checked in
``tests/unit/test_simulator.py``, which needs the BBC corpus).
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec
import numpy as np

__all__ = [
    "EDIT_TYPES",
    "NEGATIVE_TYPES",
    "SITES",
    "SimulatedCorpus",
    "SiteTemplate",
    "main",
    "simulate",
]

EDIT_TYPES: tuple[str, ...] = (
    "verbatim",
    "teaser",
    "trimmed",
    "dropped-paragraphs",
    "reordered",
    "reheadlined",
    "byline-dateline",
    "word-edits",
    "updated",
    "mojibake",
    "ocr-noise",
)
"""Primary edit types of copies (each copy has exactly one)."""

NEGATIVE_TYPES: tuple[str, ...] = ("negative-template", "negative-same-topic")
"""Edit labels of hard negatives: independent articles that must not be merged."""

MIN_WORDS = 150
"""Base articles need at least this many body words (title line excluded)."""

FAMILY_CONTAINMENT = 0.2
"""BBC articles sharing this share of word 5-grams (of the smaller) form one family."""

DEFAULT_BBC = Path(__file__).resolve().parents[3] / "shared" / "data" / "bbc.jsonl"

_COPIES_PER_STORY_P = (0.30, 0.25, 0.20, 0.15, 0.10)  # P(1..5 copies)
_P_NEGATIVE_TEMPLATE = 0.5
_P_NEGATIVE_TOPIC = 0.5
_TOPIC_CANDIDATES = 40
_EPOCH = datetime(2005, 1, 3, tzinfo=timezone.utc)
_DAYS = 88

_WORD = re.compile(r"[a-z0-9]+")
_PARA_SPLIT = re.compile(r"\n\s*\n")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"')]*\s+(?=[\"'(]?[A-Z0-9])")
_TOKEN_SPLIT = re.compile(r"(\s+)")
_EDGE_PUNCT = re.compile(r"^([\"'(\[]*)(.*?)([\"')\].,;:!?]*)$", re.DOTALL)

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MON_AP = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class BaseArticle:
    """One BBC article, mojibake repaired, split into title and body paragraphs.

    Attributes:
        bbc_id: The BBC corpus id, e.g. ``"bbc/business/001.txt"``.
        category: BBC category (the topic proxy).
        title: Headline (the first line of the BBC text).
        paragraphs: Body paragraphs, title line excluded.
        words: Number of whitespace-separated body words.
    """

    bbc_id: str
    category: str
    title: str
    paragraphs: tuple[str, ...]
    words: int


@dataclass(frozen=True)
class _Source:
    articles: tuple[BaseArticle, ...]
    pool: tuple[int, ...]
    titles: tuple[str, ...]
    titles_by_category: dict[str, tuple[str, ...]]
    title_category: dict[str, str]


@dataclass
class SimulatedCorpus:
    """A simulated crawl with its ground truth.

    Attributes:
        articles: JSONL-ready records (``id``, ``title``, ``source``, ``url``,
            ``published`` as ISO-8601 UTC, ``text``), in publication order.
        labels: Article id -> cluster label. Copies of one story share a label;
            hard negatives get a label of their own.
        edit: Article id -> edit type (``"original"``, one of ``EDIT_TYPES``, or
            one of ``NEGATIVE_TYPES``).
        hard_negative_pairs: ``(original id, negative id)`` pairs that must not
            be merged.
        keeps_half: Article id -> whether the article keeps at least half of its
            base article's body words unchanged. Originals and hard negatives are
            their own base, so they are ``True``.
        kept_fraction: Article id -> share of the base body's words kept
            unchanged (multiset overlap with the base-derived paragraphs).
        base_id: Article id -> BBC id of the article's base text.
    """

    articles: list[dict[str, str]]
    labels: dict[str, str]
    edit: dict[str, str]
    hard_negative_pairs: list[tuple[str, str]]
    keeps_half: dict[str, bool]
    kept_fraction: dict[str, float] = field(default_factory=dict)
    base_id: dict[str, str] = field(default_factory=dict)

    def digest(self) -> str:
        """SHA-256 of the articles and the ground truth: equal digests, equal corpora."""
        payload = json.dumps(
            [self.articles, self.labels, self.edit, self.hard_negative_pairs, self.keeps_half],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``corpus.jsonl``, ``labels.csv``, ``edits.csv`` and ``hard_negatives.csv``.

        Args:
            out_dir: Output directory (created if missing).

        Returns:
            The written paths keyed by file name.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {
            name: out / name
            for name in ("corpus.jsonl", "labels.csv", "edits.csv", "hard_negatives.csv")
        }
        with paths["corpus.jsonl"].open("w", encoding="utf-8", newline="\n") as fh:
            for record in self.articles:
                fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        ids = sorted(self.labels)
        with paths["labels.csv"].open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["id", "cluster"])
            writer.writerows([i, self.labels[i]] for i in ids)
        with paths["edits.csv"].open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["id", "edit", "keeps_half"])
            writer.writerows(
                [i, self.edit[i], "true" if self.keeps_half[i] else "false"] for i in ids
            )
        with paths["hard_negatives.csv"].open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["id_a", "id_b"])
            writer.writerows(list(pair) for pair in self.hard_negative_pairs)
        return paths


# --------------------------------------------------------------------------- loading


def _split_body(text: str) -> tuple[str, tuple[str, ...]]:
    parts = [p.strip() for p in _PARA_SPLIT.split(text.strip())]
    parts = [p for p in parts if p]
    return parts[0], tuple(parts[1:])


def _shingle_codes(text: str, vocab: dict[str, int], n: int = 5) -> np.ndarray:
    ids = np.fromiter(
        (vocab.setdefault(w, len(vocab)) for w in _WORD.findall(text.lower())), dtype=np.uint64
    )
    if len(ids) < n:
        return np.empty(0, dtype=np.uint64)
    span = len(ids) - n + 1
    codes = np.zeros(span, dtype=np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    for j in range(n):
        codes = codes * mult + ids[j : j + span] + np.uint64(1)
    return np.unique(codes)


def _families(
    texts: Sequence[str], threshold: float = FAMILY_CONTAINMENT, max_df: int = 40
) -> list[int]:
    """Group texts that share many word 5-grams; returns each text's family root.

    Args:
        texts: The texts, in a fixed order.
        threshold: Minimum share of the smaller text's 5-grams found in the other.
        max_df: 5-grams found in more texts than this are stock phrases and ignored.

    Returns:
        For each text, the index of the smallest text in its family.
    """
    vocab: dict[str, int] = {}
    codes = [_shingle_codes(t, vocab) for t in texts]
    sizes = np.array([len(c) for c in codes], dtype=np.int64)
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), sizes)
    allc = np.concatenate(codes) if codes else np.empty(0, dtype=np.uint64)
    order = np.lexsort((doc, allc))
    allc, doc = allc[order], doc[order]
    starts = np.flatnonzero(np.r_[True, allc[1:] != allc[:-1]])
    lengths = np.diff(np.r_[starts, len(allc)])
    keys: list[np.ndarray] = []
    n_docs = np.int64(len(texts))
    two = starts[lengths == 2]
    keys.append(doc[two] * n_docs + doc[two + 1])
    mid = (lengths > 2) & (lengths <= max_df)
    for s, length in zip(starts[mid].tolist(), lengths[mid].tolist(), strict=True):
        d = doc[s : s + length]
        a, b = np.triu_indices(length, 1)
        keys.append(d[a] * n_docs + d[b])
    pair_keys, counts = np.unique(np.concatenate(keys), return_counts=True)
    left, right = pair_keys // n_docs, pair_keys % n_docs
    smaller = np.minimum(sizes[left], sizes[right]).clip(min=1)
    hit = counts / smaller >= threshold
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(left[hit].tolist(), right[hit].tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(len(texts))]


def _repair(text: str) -> str:
    """Undo the corpus's own mojibake (``Â£`` -> ``£``) with ftfy, line by line (faster)."""
    if text.isascii():
        return text
    return "\n".join(
        line if line.isascii() else ftfy.fix_encoding(line) for line in text.split("\n")
    )


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, mtime_ns: int, size: int) -> _Source:
    records = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                records.append(json.loads(line))
    records.sort(key=lambda r: str(r["id"]))
    articles = []
    for rec in records:
        text = _repair(str(rec["text"]))
        title, paragraphs = _split_body(text)
        words = sum(len(p.split()) for p in paragraphs)
        articles.append(BaseArticle(str(rec["id"]), str(rec["category"]), title, paragraphs, words))
    roots = _families(["\n\n".join(a.paragraphs) for a in articles])
    chosen: dict[int, int] = {}
    for i, root in enumerate(roots):
        if (
            root not in chosen
            and articles[i].words >= MIN_WORDS
            and len(articles[i].paragraphs) >= 2
        ):
            chosen[root] = i
    pool = tuple(sorted(chosen.values()))
    titles = tuple(sorted({a.title for a in articles}))
    by_cat: dict[str, set[str]] = {}
    title_category: dict[str, str] = {}
    for a in articles:
        by_cat.setdefault(a.category, set()).add(a.title)
        title_category.setdefault(a.title, a.category)
    return _Source(
        tuple(articles),
        pool,
        titles,
        {k: tuple(sorted(v)) for k, v in sorted(by_cat.items())},
        title_category,
    )


def _load(path: str | Path) -> _Source:
    p = Path(path).resolve()
    if not p.is_file():
        raise FileNotFoundError(f"BBC corpus not found: {p}")
    st = p.stat()
    return _load_cached(str(p), st.st_mtime_ns, st.st_size)


def load_bbc(path: str | Path) -> tuple[BaseArticle, ...]:
    """Read the BBC JSONL, sorted by id, with mojibake repaired by ``ftfy.fix_encoding``.

    Args:
        path: Path of ``bbc.jsonl``.

    Returns:
        All articles, sorted by id.
    """
    return _load(path).articles


# --------------------------------------------------------------------------- sites


@dataclass(frozen=True)
class SiteTemplate:
    """Page chrome of one fictional news site (the same for every page of the site).

    Attributes:
        name: Site name (the ``source`` of its articles).
        slug: Short id prefix.
        domain: Web domain.
        layout: Page elements in order; see ``_render_page``.
        sections: BBC category -> the site's section name.
        nav: Menu items.
        nav_style: ``"pipe"``, ``"lines"`` or ``"bullets"``.
        breadcrumb: Breadcrumb format with ``{section}``.
        share: Share/e-mail/print widget lines.
        trending_heading: Heading of the site-wide list (same for a whole day).
        trending_style: ``"numbered"``, ``"bullets"``, ``"split"`` or ``"plain"``.
        trending_count: Number of headlines in the trending list.
        related_heading: Heading of the per-article related list (same section).
        related_count: Number of related headlines.
        cookie: Cookie notice.
        paywall: Paywall/subscription prompt.
        newsletter: Newsletter prompt lines.
        caption: Caption format with ``{caption}`` and ``{credit}``.
        byline: Byline format with ``{author}``.
        date: Date line format (see ``_fmt_date``).
        tz: (offset in minutes, label) of the site's local time.
        footer: Footer lines; ``{year}`` is filled in.
        inline: Chrome inserted between body paragraphs: ``"ad"``, ``"readmore"``.
        read_more: Link text that ends a teaser.
        staff: Staff bylines.
        photo_rate: Share of pages with a photo caption.
        url_style: ``"dated"`` or ``"numeric"``.
    """

    name: str
    slug: str
    domain: str
    layout: tuple[str, ...]
    sections: dict[str, str]
    nav: tuple[str, ...]
    nav_style: str
    breadcrumb: str
    share: tuple[str, ...]
    trending_heading: str
    trending_style: str
    trending_count: int
    related_heading: str
    related_count: int
    cookie: str
    paywall: str
    newsletter: tuple[str, ...]
    caption: str
    byline: str
    date: str
    tz: tuple[int, str]
    footer: tuple[str, ...]
    inline: tuple[str, ...]
    read_more: str
    staff: tuple[str, ...]
    photo_rate: float
    url_style: str


def _sections(business: str, sport: str, politics: str, tech: str, ent: str) -> dict[str, str]:
    return {
        "business": business,
        "sport": sport,
        "politics": politics,
        "tech": tech,
        "entertainment": ent,
    }


SITES: tuple[SiteTemplate, ...] = (
    SiteTemplate(
        name="The Daily Ledger",
        slug="ledger",
        domain="dailyledger.co.uk",
        layout=(
            "cookie",
            "doc_title",
            "nav",
            "breadcrumb",
            "headline",
            "standfirst",
            "byline",
            "date",
            "share",
            "caption",
            "body",
            "tags",
            "related",
            "newsletter",
            "footer",
        ),
        sections=_sections("Business", "Sport", "Politics", "Technology", "Culture"),
        nav=(
            "Home",
            "News",
            "UK",
            "World",
            "Business",
            "Politics",
            "Sport",
            "Technology",
            "Culture",
            "Opinion",
            "Lifestyle",
            "Sign in",
        ),
        nav_style="pipe",
        breadcrumb="Home › News › {section}",
        share=("Share this article", "Facebook", "Twitter", "Email", "Print"),
        trending_heading="Most read",
        trending_style="numbered",
        trending_count=5,
        related_heading="Related stories",
        related_count=4,
        cookie=(
            "We use cookies to give you the best experience on our website. By continuing "
            "to browse you agree to our use of cookies. Accept cookies | Manage settings"
        ),
        paywall="",
        newsletter=(
            "Sign up to The Ledger Morning Briefing",
            "The day's top stories, delivered to your inbox before 7am.",
            "Enter your email address",
            "Sign up",
        ),
        caption="{caption} Photograph: {credit}",
        byline="By {author}",
        date="Published {weekday} {day} {month} {year}, {hh}:{mm} {tz}",
        tz=(0, "GMT"),
        footer=(
            "© {year} The Daily Ledger Ltd. All rights reserved.",
            (
                "About us | Contact us | Complaints | Privacy policy | Cookie policy | "
                "Terms and conditions | Advertise with us"
            ),
        ),
        inline=("ad",),
        read_more="Read more",
        staff=("Helen Marsh", "David Okafor", "Sarah Whitcombe", "Tom Gillies", "Priya Raman"),
        photo_rate=0.8,
        url_style="dated",
    ),
    SiteTemplate(
        name="Northgate Herald",
        slug="herald",
        domain="northgateherald.com",
        layout=(
            "nav",
            "headline",
            "standfirst",
            "byline_date",
            "caption",
            "body",
            "paywall",
            "share",
            "trending",
            "footer",
        ),
        sections=_sections("Money", "Sports", "Politics", "Tech", "Arts & Entertainment"),
        nav=(
            "Menu",
            "Search",
            "News",
            "Local",
            "Nation & World",
            "Politics",
            "Money",
            "Sports",
            "Tech",
            "Arts & Entertainment",
            "Obituaries",
            "Subscribe",
            "Log in",
        ),
        nav_style="lines",
        breadcrumb="",
        share=("Share on Facebook", "Share on Twitter", "Email this story", "Print", "Comments"),
        trending_heading="TRENDING",
        trending_style="numbered",
        trending_count=6,
        related_heading="",
        related_count=0,
        cookie="",
        paywall=(
            "You have read 4 of your 5 free articles this month. Subscribe now for "
            "unlimited digital access for just $1 a week. Already a subscriber? Log in"
        ),
        newsletter=(),
        caption="{caption} ({credit})",
        byline="By {author}, Herald Staff Writer",
        date="{mon_ap} {day}, {year} {h12}:{mm} {ampm} {tz}",
        tz=(-300, "ET"),
        footer=(
            "Copyright © {year} Northgate Herald Media Company",
            (
                "Contact Us | Advertise | Careers | Terms of Service | Privacy Policy | "
                "Your California Privacy Rights | Site Map"
            ),
        ),
        inline=(),
        read_more="Continue reading at Northgate Herald »",
        staff=("Mike Delaney", "Jennifer Ortiz", "Carl Brandt", "Angela Wu"),
        photo_rate=0.6,
        url_style="numeric",
    ),
    SiteTemplate(
        name="WireWatch",
        slug="wirewatch",
        domain="wirewatch.net",
        layout=(
            "date_top",
            "headline",
            "standfirst",
            "agency_line",
            "caption",
            "tags",
            "body",
            "disclaimer",
            "trending",
            "footer",
        ),
        sections=_sections("Business", "Sports", "Politics", "Technology", "Entertainment"),
        nav=(),
        nav_style="lines",
        breadcrumb="",
        share=(),
        trending_heading="TRENDING",
        trending_style="split",
        trending_count=5,
        related_heading="",
        related_count=0,
        cookie="",
        paywall="",
        newsletter=(),
        caption="{caption} Image Credit: {credit}",
        byline="{author}",
        date="Updated: {dd}-{mo}-{year} {hh}:{mm} {tz} | Created: {dd}-{mo}-{year} {hh}:{mm} {tz}",
        tz=(330, "IST"),
        footer=(
            "WireWatch",
            "About Us | Contact | Privacy Policy | Terms of Use | Careers",
            "© Copyright {year} WireWatch. All rights reserved.",
        ),
        inline=(),
        read_more="Read More",
        staff=("Newswire", "Continental Press", "Global News Service"),
        photo_rate=0.7,
        url_style="numeric",
    ),
    SiteTemplate(
        name="Metro Pulse",
        slug="pulse",
        domain="metropulse.co.uk",
        layout=(
            "nav",
            "headline",
            "standfirst",
            "byline",
            "date",
            "share",
            "caption",
            "body",
            "trending",
            "comments",
            "newsletter",
            "footer",
            "cookie",
        ),
        sections=_sections("Money", "Sport", "News", "Tech", "Showbiz"),
        nav=("News", "Sport", "Showbiz", "Money", "Tech", "Lifestyle", "Video", "Puzzles"),
        nav_style="bullets",
        breadcrumb="",
        share=("Share this article", "Share 0 shares", "Comments"),
        trending_heading="MOST READ IN NEWS",
        trending_style="bullets",
        trending_count=6,
        related_heading="",
        related_count=0,
        cookie=(
            "This site uses cookies. Find out more about how we use cookies and how you "
            "can change your settings. Got it"
        ),
        paywall="",
        newsletter=("Get the best stories straight to your inbox", "Subscribe to our newsletter"),
        caption="{caption} (Picture: {credit})",
        byline="By {author} For Metro Pulse",
        date="PUBLISHED: {hh}:{mm} {tz}, {day} {month} {year}",
        tz=(0, "GMT"),
        footer=(
            "Published by Metro Pulse Group. © {year}",
            "Part of the Pulse Media Network | Terms | Privacy | Cookies | Contact us",
        ),
        inline=("readmore",),
        read_more="READ MORE",
        staff=("Kelly Bragg", "Dan Sutcliffe", "Rosie Kemp", "Liam Hartnett"),
        photo_rate=0.9,
        url_style="dated",
    ),
    SiteTemplate(
        name="Capital Street Journal",
        slug="csj",
        domain="capitalstreetjournal.com",
        layout=(
            "nav",
            "breadcrumb",
            "headline",
            "standfirst",
            "byline",
            "date",
            "paywall",
            "body",
            "related",
            "footer",
        ),
        sections=_sections(
            "Markets", "Life & Arts: Sport", "Politics & Policy", "Technology", "Life & Arts"
        ),
        nav=(
            "World",
            "U.S.",
            "Politics",
            "Economy",
            "Business",
            "Tech",
            "Markets",
            "Opinion",
            "Life & Arts",
            "Real Estate",
        ),
        nav_style="pipe",
        breadcrumb="{section} | Latest",
        share=(),
        trending_heading="",
        trending_style="plain",
        trending_count=0,
        related_heading="MORE IN {section_upper}",
        related_count=5,
        cookie="",
        paywall=(
            "This copy is for your personal, non-commercial use only. To order "
            "presentation-ready copies for distribution to colleagues, clients or customers "
            "visit our reprints page."
        ),
        newsletter=(),
        caption="{caption} PHOTO: {credit}",
        byline="By {author}",
        date="Updated {mon_ap} {day}, {year} {h12}:{mm} {ampm} {tz}",
        tz=(-300, "ET"),
        footer=(
            "Copyright ©{year} Capital Street Media, Inc. All Rights Reserved",
            (
                "Subscriber Agreement & Terms of Use | Privacy Notice | Cookie Notice | "
                "Customer Center | Reprints"
            ),
        ),
        inline=(),
        read_more="Continue reading your article with a CSJ membership",
        staff=("Robert Vance", "Emily Schott", "Nathan Greer", "Lucia Fernández"),
        photo_rate=0.4,
        url_style="dated",
    ),
    SiteTemplate(
        name="TechBeat Online",
        slug="techbeat",
        domain="techbeat.io",
        layout=(
            "nav",
            "newsletter",
            "headline",
            "standfirst",
            "byline_date",
            "share",
            "body",
            "related",
            "comments",
            "footer",
        ),
        sections=_sections("Business", "Sport", "Policy", "News", "Culture"),
        nav=("Latest", "Reviews", "News", "Business", "Policy", "Culture", "Podcasts", "Deals"),
        nav_style="lines",
        breadcrumb="",
        share=("Share", "Tweet", "Share", "Email"),
        trending_heading="",
        trending_style="plain",
        trending_count=0,
        related_heading="Related Articles",
        related_count=3,
        cookie="",
        paywall="",
        newsletter=(
            "The TechBeat Daily: Get our top stories in your inbox every weekday.",
            "Subscribe",
        ),
        caption="{caption} Credit: {credit}",
        byline="{author}",
        date="{mon_ap} {day}, {year} {h12}:{mm} {ampm} {tz}",
        tz=(-480, "PT"),
        footer=(
            "TechBeat Online is part of Beat Media Group.",
            "© {year} Beat Media Group Inc. All rights reserved.",
            "About | Ethics | Privacy | Terms | Contact | RSS",
        ),
        inline=("ad",),
        read_more="Read the full story →",
        staff=("Alex Kowalski", "Jordan Pike", "Maya Lindqvist"),
        photo_rate=0.5,
        url_style="dated",
    ),
    SiteTemplate(
        name="Riverside Gazette",
        slug="gazette",
        domain="riversidegazette.com",
        layout=(
            "cookie",
            "weather",
            "nav",
            "breadcrumb",
            "headline",
            "standfirst",
            "date",
            "byline",
            "caption",
            "body",
            "share",
            "trending",
            "footer",
        ),
        sections=_sections("Business", "Sport", "Politics", "Technology", "What's On"),
        nav=("Home", "News", "Sport", "Business", "What's On", "Property", "Jobs", "Announcements"),
        nav_style="pipe",
        breadcrumb="You are here: Home > {section}",
        share=("Email", "Print", "Share on Facebook", "Share on Twitter"),
        trending_heading="Most popular",
        trending_style="numbered",
        trending_count=5,
        related_heading="",
        related_count=0,
        cookie="This website uses cookies to improve your experience. Accept | Read more",
        paywall="",
        newsletter=(),
        caption="{caption} Picture: {credit}",
        byline="By {author}, Chief Reporter",
        date="{weekday} {day} {month} {year}",
        tz=(0, "GMT"),
        footer=(
            "Riverside Gazette, Quay House, Riverside Road. Registered in England No. 0412887.",
            (
                "© Copyright {year} Riverside Newsquest Ltd | Contact us | Advertise | "
                "Terms & Conditions | Privacy"
            ),
        ),
        inline=("ad", "readmore"),
        read_more="Full story",
        staff=("Graham Pelling", "Joanne Tate", "Stuart McBride"),
        photo_rate=0.85,
        url_style="numeric",
    ),
    SiteTemplate(
        name="Continental Post",
        slug="cpost",
        domain="continentalpost.eu",
        layout=(
            "nav",
            "headline",
            "share",
            "date",
            "byline",
            "standfirst",
            "caption",
            "body",
            "related",
            "trending",
            "newsletter",
            "footer",
            "cookie",
        ),
        sections=_sections("Economy", "Sport", "Politics", "Tech & Science", "Culture"),
        nav=(
            "Europe",
            "World",
            "Politics",
            "Economy",
            "Tech & Science",
            "Culture",
            "Sport",
            "Opinion",
            "Newsletters",
        ),
        nav_style="bullets",
        breadcrumb="",
        share=("Share: Facebook · Twitter · LinkedIn · WhatsApp · E-mail",),
        trending_heading="Trending now",
        trending_style="bullets",
        trending_count=4,
        related_heading="More on this topic",
        related_count=3,
        cookie=(
            "We value your privacy. We and our partners use cookies to personalise content "
            "and ads. Accept all | Reject all | Customise"
        ),
        paywall="",
        newsletter=(
            "Brussels Morning: the essential guide to European news, every weekday.",
            "Your e-mail",
            "Subscribe",
        ),
        caption="{caption} © {credit}",
        byline="{author}",
        date="{day}/{mo}/{year} – {hh}:{mm} {tz}",
        tz=(60, "CET"),
        footer=("© Continental Post {year}", "Imprint · Data protection · Terms · Contact"),
        inline=(),
        read_more="Read more »",
        staff=("Katrin Vogel", "Pieter de Wit", "Marta Rossi", "Jean-Luc Barre"),
        photo_rate=0.7,
        url_style="numeric",
    ),
)
"""The fictional sites; ``SITES[i]`` always renders pages the same way."""

_AGENCIES = ("Newswire", "Continental Press", "Global News Service", "Associated Wire")
_PHOTO_AGENCIES = ("Lensline Pictures", "Northlight Images", "PressPix", "Focal Agency", "Handout")
_PHOTOGRAPHERS = ("Jane Porter", "Ali Reza", "Tom Nagle", "Ines Moreau", "Kofi Mensah", "Ruth Abel")
_CITIES = (
    "London",
    "Washington",
    "New York",
    "Paris",
    "Brussels",
    "Tokyo",
    "Beijing",
    "Moscow",
    "Berlin",
    "Edinburgh",
    "Cardiff",
    "Belfast",
    "Dublin",
    "Sydney",
    "Los Angeles",
    "Madrid",
    "Rome",
    "Mumbai",
    "Delhi",
    "Johannesburg",
    "Frankfurt",
    "Geneva",
    "Milan",
    "Manchester",
)
_CAPTIONS = (
    "{entity} pictured earlier this year.",
    "File photo of {entity}.",
    "{entity} has been at the centre of attention this week.",
    "A general view. {entity} declined to comment further.",
    "{entity}, seen here in a handout image.",
)
_STANDFIRSTS = {
    "business": (
        "Markets reacted cautiously as investors weighed what the figures mean for {entity}.",
        "Analysts say the numbers raise fresh questions about the outlook for {entity}.",
        "The announcement comes at a delicate time for {entity} and its shareholders.",
    ),
    "sport": (
        "{entity} will hope to build on the result when the action resumes next week.",
        "Supporters will be watching {entity} closely as the season reaches a critical stage.",
        "It was a day {entity} will not forget in a hurry.",
    ),
    "politics": (
        "The row is likely to dominate Westminster as {entity} comes under pressure.",
        "Critics said the move showed how far {entity} was prepared to go.",
        "Ministers face awkward questions after the intervention by {entity}.",
    ),
    "tech": (
        "The development could change how millions of people use their computers and phones.",
        "{entity} is betting that consumers are ready for the change.",
        "Experts say the move by {entity} is a sign of things to come.",
    ),
    "entertainment": (
        "Fans of {entity} have been quick to react to the news.",
        "It is the latest twist in a busy year for {entity}.",
        "The announcement puts {entity} back in the spotlight.",
    ),
}
_HEADLINE_PREFIXES = ("Analysis", "Update", "Explained", "In brief")
_HEADLINE_SUFFIXES = ("figures show", "reports say", "sources say", "it emerged on {weekday}")
_CAP_STOP = frozenset(
    """The A An But And He She It They We I In On At This That However Its His Her Their There
    If When As After For Mr Mrs Ms Dr Sir Lord Last Next One Two Three Four Five Some Many Most
    Other Now So Yet While With Without From To Of By Under Over Also Both Such These Those
    Meanwhile Earlier Later Speaking Asked What Why How Who Where Which Our My You Your
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December BBC News""".split()
)


# --------------------------------------------------------------------------- helpers


def _pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _word_count(paragraphs: Sequence[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(paragraph) if s.strip()]


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _slugify(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "story"


_NAME_TOKEN = re.compile(r"^[A-Z][a-z][A-Za-z'&.-]*$")
_NAME_JOINERS = frozenset({"of", "for", "de", "the"})


def _strip_name(raw: str) -> str:
    word = raw.strip("\"'(),.;:!?")
    return word.removesuffix("'s")


@functools.lru_cache(maxsize=4096)
def _names(base: BaseArticle) -> tuple[str, ...]:
    """Capitalised names in the body, most frequent first (ties: first seen first)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for paragraph in base.paragraphs:
        for sentence in _sentences(paragraph):
            raw_words = sentence.split()
            clean = [_strip_name(w) for w in raw_words]
            span: list[str] = []
            spans: list[tuple[int, list[str]]] = []
            for pos, (raw, word) in enumerate(zip(raw_words, clean, strict=True)):
                if _NAME_TOKEN.match(word):
                    if not span:
                        spans.append((pos, span))
                    span.append(word)
                    if raw[-1:] in ',.;:!?")' or raw.endswith("'s"):
                        span = []
                elif (
                    span
                    and word in _NAME_JOINERS
                    and pos + 1 < len(clean)
                    and _NAME_TOKEN.match(clean[pos + 1])
                ):
                    span.append(word)  # "Bank of England", "Commission for Racial Equality"
                else:
                    span = []
            for pos, words in spans:
                if pos == 0 and (len(words) == 1 or words[0] in _CAP_STOP):
                    words = words[1:]  # a sentence-initial word may just be capitalised
                while words and (words[0] in _CAP_STOP or words[0] in _NAME_JOINERS):
                    words = words[1:]
                while words and words[-1] in _NAME_JOINERS:
                    words = words[:-1]
                if words:
                    name = " ".join(words)
                    counts[name] += 1
                    first.setdefault(name, len(first))
    return tuple(sorted(counts, key=lambda n: (-counts[n], first[n])))


def _entity(base: BaseArticle, rank: int = 0) -> str:
    """The ``rank``-th most frequent name in the body, or a generic noun phrase."""
    names = _names(base)
    if rank < len(names):
        return names[rank]
    if names:
        return names[0]
    return {
        "business": "the company",
        "sport": "the team",
        "politics": "the government",
        "tech": "the industry",
        "entertainment": "the star",
    }.get(base.category, "officials")


@functools.lru_cache(maxsize=4096)
def _content_words(base: BaseArticle) -> frozenset[str]:
    """Lower-cased body words longer than three letters (a rough topic signature)."""
    return frozenset(w for w in _WORD.findall(" ".join(base.paragraphs).lower()) if len(w) > 3)


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- edits


@dataclass
class _Body:
    """A page's article part: headline, optional standfirst, body paragraphs."""

    paragraphs: list[str]
    from_base: list[bool]
    headline: str
    standfirst: str | None = None
    byline: str | None = None
    read_more: bool = False
    page_codec: bool = False  # the rendered page is mis-decoded as a whole (mojibake)
    delay_minutes: int | None = None


def _eligible(edit: str, base: BaseArticle) -> bool:
    n = len(base.paragraphs)
    if edit == "dropped-paragraphs":
        return n >= 3
    if edit in ("trimmed", "teaser", "reordered"):
        return n >= 2
    if edit == "mojibake":  # the body must hold something a wrong codec can garble
        return any(not _smarten(p).isascii() for p in base.paragraphs)
    return True


def _teaser(base: BaseArticle, rng: np.random.Generator) -> list[str]:
    total = base.words
    limit = min(90, int(0.4 * total))
    k = min(int(rng.integers(1, 3)), len(base.paragraphs) - 1)
    kept = list(base.paragraphs[:k])
    while len(kept) > 1 and _word_count(kept) > limit:
        kept.pop()
    if _word_count(kept) > limit:
        sentences = _sentences(kept[0])
        out = [sentences[0]]
        for s in sentences[1:]:
            if _word_count(out) + len(s.split()) > limit:
                break
            out.append(s)
        kept = [" ".join(out)]
    return kept


def _reorder(paragraphs: Sequence[str], rng: np.random.Generator) -> list[str]:
    n = len(paragraphs)
    idx = list(range(n))
    if n == 2:
        idx = [1, 0]
    elif n == 3 or rng.random() < 0.5:
        i = int(rng.integers(1, n - 1))
        idx[i], idx[i + 1] = idx[i + 1], idx[i]
    else:
        tail = idx[1:]
        while tail == idx[1:]:
            tail = [idx[1:][j] for j in rng.permutation(n - 1)]
        idx = [0] + tail
    return [paragraphs[i] for i in idx]


def _new_headline(base: BaseArticle, rng: np.random.Generator, weekday: str) -> str:
    mode = rng.random()
    if mode < 0.5:
        lede = _sentences(base.paragraphs[0])[0]
        words = lede.split()
        for i, w in enumerate(words[:12]):
            if w.endswith(",") and i >= 4:
                words = words[: i + 1]
                break
        words = words[:12]
        while words and words[-1].strip(",.;:").lower() in {
            "the",
            "a",
            "an",
            "of",
            "to",
            "and",
            "in",
            "on",
            "for",
            "at",
            "by",
            "with",
            "from",
            "that",
            "its",
        }:
            words.pop()
        headline = " ".join(words).rstrip(",.;:")
        if len(words) >= 4 and headline != base.title:
            return _cap_first(headline)
    if mode < 0.75:
        return f"{_pick(rng, _HEADLINE_PREFIXES)}: {base.title}"
    suffix = _pick(rng, _HEADLINE_SUFFIXES).format(weekday=weekday)
    return f"{base.title}, {suffix}"


_SYNONYMS: dict[str, tuple[str, ...]] = {
    "said": ("says",),
    "says": ("said",),
    "big": ("large",),
    "large": ("big",),
    "firm": ("company",),
    "company": ("firm",),
    "firms": ("companies",),
    "companies": ("firms",),
    "buy": ("purchase",),
    "bought": ("purchased",),
    "rise": ("increase",),
    "rose": ("climbed",),
    "fell": ("dropped",),
    "about": ("around",),
    "around": ("about",),
    "help": ("assist",),
    "helped": ("assisted",),
    "start": ("begin",),
    "started": ("began",),
    "began": ("started",),
    "people": ("individuals",),
    "show": ("reveal",),
    "shows": ("reveals",),
    "showed": ("revealed",),
    "expected": ("anticipated",),
    "plans": ("proposals",),
    "important": ("significant",),
    "significant": ("important",),
    "biggest": ("largest",),
    "largest": ("biggest",),
    "latest": ("newest",),
    "quickly": ("rapidly",),
    "often": ("frequently",),
    "while": ("whilst",),
    "whilst": ("while",),
    "among": ("amongst",),
    "amongst": ("among",),
    "towards": ("toward",),
    "film": ("movie",),
    "films": ("movies",),
    "match": ("game",),
    "matches": ("games",),
    "boss": ("manager",),
    "spokesman": ("spokesperson",),
    "spokeswoman": ("spokesperson",),
    "profits": ("earnings",),
    "sales": ("revenues",),
    "thought": ("believed",),
    "believe": ("think",),
    "think": ("believe",),
    "tried": ("attempted",),
    "trying": ("attempting",),
    "wants": ("wishes",),
    "almost": ("nearly",),
    "nearly": ("almost",),
    "several": ("a number of",),
    "whether": ("if",),
    "despite": ("in spite of",),
    "currently": ("presently",),
    "recently": ("lately",),
    "previously": ("earlier",),
    "announced": ("unveiled",),
    "claimed": ("alleged",),
    "rules": ("regulations",),
    "singer": ("vocalist",),
    "award": ("prize",),
    "awards": ("prizes",),
    "website": ("site",),
    "websites": ("sites",),
    "e-mail": ("email",),
    "email": ("e-mail",),
    "children": ("youngsters",),
    "election": ("poll",),
    "elections": ("polls",),
    "cash": ("money",),
    "money": ("cash",),
    "huge": ("massive",),
    "massive": ("huge",),
    "warned": ("cautioned",),
    "rejected": ("dismissed",),
    "deal": ("agreement",),
    "deals": ("agreements",),
    "added": ("continued",),
    "told": ("informed",),
    "want": ("wish",),
    "however": ("though",),
    "mobile": ("cell",),
    "users": ("customers",),
    "it's": ("it is",),
    "don't": ("do not",),
    "doesn't": ("does not",),
    "didn't": ("did not",),
    "isn't": ("is not",),
    "wasn't": ("was not",),
    "can't": ("cannot",),
    "cannot": ("can not",),
    "we're": ("we are",),
    "they're": ("they are",),
    "won't": ("will not",),
    "i'm": ("I am",),
    "organisation": ("organization",),
    "organisations": ("organizations",),
    "programme": ("program",),
    "programmes": ("programs",),
    "centre": ("center",),
    "centres": ("centers",),
    "favour": ("favor",),
    "favourite": ("favorite",),
    "colour": ("color",),
    "behaviour": ("behavior",),
    "neighbour": ("neighbor",),
    "recognise": ("recognize",),
    "recognised": ("recognized",),
    "realise": ("realize",),
    "realised": ("realized",),
    "criticised": ("criticized",),
    "criticise": ("criticize",),
    "apologised": ("apologized",),
    "analysed": ("analyzed",),
    "organised": ("organized",),
    "defence": ("defense",),
    "licence": ("license",),
    "offence": ("offense",),
    "travelled": ("traveled",),
    "travelling": ("traveling",),
    "cancelled": ("canceled",),
    "modelling": ("modeling",),
    "cheque": ("check",),
    "grey": ("gray",),
    "ageing": ("aging",),
    "catalogue": ("catalog",),
    "sceptical": ("skeptical",),
    "labour": ("labor",),
    "emphasised": ("emphasized",),
    "privatisation": ("privatization",),
    "two": ("2",),
    "three": ("3",),
    "four": ("4",),
    "five": ("5",),
    "six": ("6",),
    "seven": ("7",),
    "eight": ("8",),
    "nine": ("9",),
    "ten": ("10",),
}
_MONEY = re.compile(r"^([$£€]?)(\d+(?:\.\d+)?)(bn|m)$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def _alternatives(core: str) -> tuple[str, ...]:
    """Light edits of one word (edge punctuation stripped): synonyms, spellings, number formats."""
    m = _MONEY.match(core)
    if m:
        return (f"{m.group(1)}{m.group(2)} {'billion' if m.group(3) == 'bn' else 'million'}",)
    m = _PERCENT.match(core)
    if m:
        return (f"{m.group(1)} per cent", f"{m.group(1)} percent")
    if _THOUSANDS.match(core):
        return (core.replace(",", ""),)
    if core.islower():
        if core in _SYNONYMS:
            return _SYNONYMS[core]
        if "isation" in core:
            return (core.replace("isation", "ization"),)
    return ()


def _word_edits(paragraphs: Sequence[str], rng: np.random.Generator) -> list[str]:
    """Replace about 3-8% of the words (as many as have a light edit available)."""
    split = [_TOKEN_SPLIT.split(p) for p in paragraphs]
    total = sum(len(p.split()) for p in paragraphs)
    candidates: list[tuple[int, int, str, tuple[str, ...], str]] = []
    for pi, parts in enumerate(split):
        for ti in range(0, len(parts), 2):
            m = _EDGE_PUNCT.match(parts[ti])
            if m and m.group(2):
                options = _alternatives(m.group(2))
                if options:
                    candidates.append((pi, ti, m.group(1), options, m.group(3)))
    target = max(1, round(rng.uniform(0.03, 0.08) * total))
    size = min(target, len(candidates))
    for c in sorted(rng.choice(len(candidates), size=size, replace=False).tolist()):
        pi, ti, lead, options, trail = candidates[c]
        split[pi][ti] = f"{lead}{options[int(rng.integers(len(options)))]}{trail}"
    return ["".join(parts) for parts in split]


_OCR_CONFUSIONS = {
    "l": "1",
    "1": "l",
    "I": "l",
    "O": "0",
    "0": "O",
    "e": "c",
    "c": "e",
    "a": "o",
    "n": "u",
    "u": "n",
    "h": "b",
    "b": "h",
    "S": "5",
    "5": "S",
    "B": "8",
    "g": "q",
    "t": "f",
    "f": "t",
    ".": ",",
    ",": ".",
    "m": "rn",
    "w": "vv",
    "d": "cl",
    "i": "l",
}


def _ocr_noise(paragraphs: Sequence[str], rng: np.random.Generator) -> list[str]:
    rate = rng.uniform(0.01, 0.02)
    chars = [list(p) for p in paragraphs]
    positions = [
        (pi, ci) for pi, p in enumerate(paragraphs) for ci, ch in enumerate(p) if not ch.isspace()
    ]
    n_events = max(1, round(rate * sum(len(p) for p in paragraphs)))
    picked = rng.choice(len(positions), size=min(n_events, len(positions)), replace=False)
    touched: set[tuple[int, int]] = set()
    for k in sorted(picked.tolist()):
        pi, ci = positions[k]
        if (pi, ci) in touched:
            continue
        touched.add((pi, ci))
        row = chars[pi]
        ch = row[ci]
        nxt = row[ci + 1] if ci + 1 < len(row) else ""
        roll = rng.random()
        if ch == "r" and nxt == "n" and (pi, ci + 1) not in touched:
            row[ci], row[ci + 1] = "m", ""
            touched.add((pi, ci + 1))
        elif ch == "c" and nxt == "l" and (pi, ci + 1) not in touched:
            row[ci], row[ci + 1] = "d", ""
            touched.add((pi, ci + 1))
        elif roll < 0.55 and ch in _OCR_CONFUSIONS:
            row[ci] = _OCR_CONFUSIONS[ch]
        elif roll < 0.8:
            row[ci] = ""
        else:
            row[ci] = "abcdefghijklmnopqrstuvwxyz"[int(rng.integers(26))]
    out = ["".join(row) for row in chars]
    # broken hyphenation: a long word split as if at a line end
    for _ in range(int(rng.integers(1, 5))):
        pi = int(rng.integers(len(out)))
        parts = _TOKEN_SPLIT.split(out[pi])
        long_words = [
            ti for ti in range(0, len(parts), 2) if len(parts[ti]) >= 8 and parts[ti].isalpha()
        ]
        if not long_words:
            continue
        ti = long_words[int(rng.integers(len(long_words)))]
        word = parts[ti]
        cut = int(rng.integers(3, len(word) - 2))
        parts[ti] = word[:cut] + ("-\n" if rng.random() < 0.5 else "- ") + word[cut:]
        out[pi] = "".join(parts)
    return out


_SMART_DOUBLE = re.compile(r'(^|[\s(\[])"')
_SMART_SINGLE = re.compile(r"(^|[\s(\[])'")


def _smarten(text: str) -> str:
    """Curly quotes and en dashes, as a publishing system would typeset them."""
    text = _SMART_DOUBLE.sub(lambda m: m.group(1) + "\u201c", text)
    text = text.replace('"', "\u201d")
    text = _SMART_SINGLE.sub(lambda m: m.group(1) + "\u2018", text)
    text = text.replace("'", "\u2019")
    return text.replace(" - ", " \u2013 ")


def _mis_decode(text: str) -> str:
    """UTF-8 bytes read as Windows-1252: the classic mojibake (``’`` -> ``â€™``)."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


def _mojibake(body: _Body, rng: np.random.Generator) -> None:
    smart = [_smarten(p) for p in body.paragraphs]
    mode = rng.random()
    damaged = [i for i, p in enumerate(smart) if not p.isascii()]
    if mode < 0.4 or not damaged:
        # the whole page (chrome included) is mis-decoded at render time
        body.paragraphs = smart
        body.page_codec = True
        return
    if mode < 0.7:
        chosen = set(damaged)
    else:
        start = damaged[int(rng.integers(len(damaged)))]
        chosen = {i for i in damaged if i >= start}
    body.paragraphs = [_mis_decode(p) if i in chosen else p for i, p in enumerate(smart)]


def _dateline_city(base: BaseArticle) -> str:
    text = " ".join(base.paragraphs)
    hits = [(text.find(c), c) for c in _CITIES if re.search(rf"\b{re.escape(c)}\b", text)]
    return min(hits)[1].upper() if hits else "LONDON"


def _make_copy(
    edit: str,
    base: BaseArticle,
    donor: BaseArticle | None,
    rng: np.random.Generator,
    weekday: str,
) -> _Body:
    paras = list(base.paragraphs)
    body = _Body(paragraphs=paras, from_base=[True] * len(paras), headline=base.title)
    n = len(paras)
    if edit == "verbatim":
        pass
    elif edit == "teaser":
        body.paragraphs = _teaser(base, rng)
        body.from_base = [True] * len(body.paragraphs)
        body.read_more = True
    elif edit == "trimmed":
        k = min(max(1, round(rng.uniform(0.4, 0.8) * n)), n - 1)
        body.paragraphs, body.from_base = paras[:k], [True] * k
    elif edit == "dropped-paragraphs":
        k = min(int(rng.integers(1, 3)), n - 2)
        drop = set(rng.choice(np.arange(1, n - 1), size=k, replace=False).tolist())
        body.paragraphs = [p for i, p in enumerate(paras) if i not in drop]
        body.from_base = [True] * len(body.paragraphs)
    elif edit == "reordered":
        body.paragraphs = _reorder(paras, rng)
    elif edit == "reheadlined":
        body.headline = _new_headline(base, rng, weekday)
        template = _pick(rng, _STANDFIRSTS.get(base.category, _STANDFIRSTS["business"]))
        body.standfirst = template.format(entity=_entity(base))
        body.standfirst = _cap_first(body.standfirst)
    elif edit == "byline-dateline":
        agency = _pick(rng, _AGENCIES)
        body.byline = _pick(
            rng,
            (
                f"By {agency} staff",
                f"{agency} reporter",
                f"From {agency}",
                f"{agency} | {_pick(rng, _PHOTOGRAPHERS)}",
            ),
        )
        sep = _pick(rng, (" - ", " -- ", " — ", ": "))
        body.paragraphs = [f"{_dateline_city(base)} ({agency}){sep}{paras[0]}"] + paras[1:]
    elif edit == "word-edits":
        body.paragraphs = _word_edits(paras, rng)
    elif edit == "updated":
        assert donor is not None
        m = int(rng.integers(1, 4))
        extra = list(donor.paragraphs[1:]) or list(donor.paragraphs)
        start = int(rng.integers(0, max(1, len(extra) - m + 1)))
        new = extra[start : start + m]
        out, flags = list(paras), [True] * n
        if rng.random() < 0.4:
            out.insert(0, donor.paragraphs[0])
            flags.insert(0, False)
        for p in new:
            pos = int(rng.integers(2, len(out) + 1)) if rng.random() < 0.5 else len(out)
            out.insert(pos, p)
            flags.insert(pos, False)
        body.paragraphs, body.from_base = out, flags
        if rng.random() < 0.4:
            body.headline = f"UPDATE {int(rng.integers(1, 4))}-{base.title}"
        body.delay_minutes = int(rng.integers(120, 12 * 60 + 1))
    elif edit == "mojibake":
        _mojibake(body, rng)
    elif edit == "ocr-noise":
        body.paragraphs = _ocr_noise(paras, rng)
    else:
        raise ValueError(f"unknown edit type: {edit}")
    return body


def _kept_fraction(base: BaseArticle, body: _Body) -> float:
    """Share of the base body's words found unchanged in the copy's base-derived paragraphs."""
    paragraphs = [_mis_decode(p) for p in body.paragraphs] if body.page_codec else body.paragraphs
    base_counts = Counter(w for p in base.paragraphs for w in p.split())
    copy_counts = Counter(
        w for p, own in zip(paragraphs, body.from_base, strict=True) if own for w in p.split()
    )
    kept = sum(min(c, copy_counts[w]) for w, c in base_counts.items())
    return kept / max(1, base.words)


# --------------------------------------------------------------------------- rendering


def _local(site: SiteTemplate, t: datetime) -> datetime:
    return t + timedelta(minutes=site.tz[0])


def _fmt_date(site: SiteTemplate, fmt: str, t: datetime) -> str:
    lt = _local(site, t)
    h12 = lt.hour % 12 or 12
    return fmt.format(
        weekday=_WEEKDAYS[lt.weekday()],
        day=lt.day,
        month=_MONTHS[lt.month - 1],
        mon_ap=_MON_AP[lt.month - 1],
        year=lt.year,
        hh=f"{lt.hour:02d}",
        mm=f"{lt.minute:02d}",
        h12=h12,
        ampm="a.m." if lt.hour < 12 else "p.m.",
        dd=f"{lt.day:02d}",
        mo=f"{lt.month:02d}",
        tz=site.tz[1],
    )


def _headline_list(style: str, heading: str, items: Sequence[str], labels: Sequence[str]) -> str:
    lines = [heading]
    for i, (item, label) in enumerate(zip(items, labels, strict=True), 1):
        if style == "numbered":
            lines.append(f"{i}. {item}")
        elif style == "bullets":
            lines.append(f"• {item}")
        elif style == "split":
            lines.append(f"\n{i}\n{item}\n\n {label}")
        else:
            lines.append(item)
    return "\n".join(lines)


@dataclass
class _Page:
    site_index: int
    body: _Body
    base: BaseArticle
    published: datetime
    author: str
    caption: str | None
    related: list[str]
    trending: list[str]
    trending_labels: list[str]
    inline_headline: str
    comments: int
    temperature: int


def _render_page(page: _Page) -> str:
    site = SITES[page.site_index]
    section = site.sections.get(page.base.category, "News")
    body = page.body
    blocks: list[str] = []
    for element in site.layout:
        if element == "cookie" and site.cookie:
            blocks.append(site.cookie)
        elif element == "doc_title":
            blocks.append(f"{body.headline} | {site.name}")
        elif element == "nav" and site.nav:
            if site.nav_style == "pipe":
                blocks.append(site.name + "\n" + " | ".join(site.nav))
            elif site.nav_style == "bullets":
                blocks.append(site.name + "\n" + "\n".join(f"• {n}" for n in site.nav))
            else:
                blocks.append("\n".join(site.nav))
        elif element == "breadcrumb" and site.breadcrumb:
            blocks.append(site.breadcrumb.format(section=section))
        elif element == "weather":
            blocks.append(f"Weather: {page.temperature}°C, cloudy | Traffic | Travel updates")
        elif element == "date_top":
            blocks.append(f"date {_fmt_date(site, '{year}-{mo}-{dd}', page.published)} Left Menu")
        elif element == "headline":
            blocks.append(body.headline)
        elif element == "standfirst" and body.standfirst:
            blocks.append(body.standfirst)
        elif element == "byline":
            blocks.append(body.byline or site.byline.format(author=page.author))
        elif element == "date":
            blocks.append(_fmt_date(site, site.date, page.published))
        elif element == "byline_date":
            byline = body.byline or site.byline.format(author=page.author)
            blocks.append(f"{byline} | {_fmt_date(site, site.date, page.published)}")
        elif element == "agency_line":
            byline = body.byline or page.author
            blocks.append(
                f"{byline} | {body.headline.title()[:48].strip()}... | "
                f"{_fmt_date(site, site.date, page.published)}"
            )
        elif element == "share" and site.share:
            blocks.append(
                "\n".join(s.replace("0 shares", f"{page.comments * 7} shares") for s in site.share)
            )
        elif element == "caption" and page.caption:
            blocks.append(page.caption)
        elif element == "tags":
            blocks.append(
                f"Topics: {section}"
                if site.slug != "wirewatch"
                else f"  • Country:\n  • United Kingdom\n  • {section}"
            )
        elif element == "body":
            paras = list(body.paragraphs)
            if len(paras) >= 3 and not body.read_more:
                if "readmore" in site.inline:
                    paras.insert(1, f"READ MORE: {page.inline_headline}")
                if "ad" in site.inline:
                    paras.insert(min(3, len(paras) - 1), "Advertisement")
            if body.read_more:
                paras.append(site.read_more)
            blocks.append("\n\n".join(paras))
        elif element == "paywall" and site.paywall:
            blocks.append(site.paywall)
        elif element == "disclaimer":
            blocks.append(
                f"(This story has not been edited by {site.name} staff and is "
                "auto-generated from a syndicated feed.)"
            )
        elif element == "related" and page.related:
            heading = site.related_heading.format(section_upper=section.upper())
            blocks.append(
                _headline_list(
                    "bullets" if site.slug != "csj" else "plain",
                    heading,
                    page.related,
                    page.related,
                )
            )
        elif element == "trending" and page.trending:
            blocks.append(
                _headline_list(
                    site.trending_style, site.trending_heading, page.trending, page.trending_labels
                )
            )
        elif element == "comments":
            blocks.append(f"Comments ({page.comments})\nView comments | Add your comment")
        elif element == "newsletter" and site.newsletter:
            blocks.append("\n".join(site.newsletter))
        elif element == "footer":
            blocks.append("\n".join(line.format(year=page.published.year) for line in site.footer))
    text = "\n\n".join(blocks) + "\n"
    return _mis_decode(text) if body.page_codec else text


# --------------------------------------------------------------------------- builder


class _Builder:
    """Accumulates pages and ground truth; all randomness comes from one generator."""

    def __init__(self, source: _Source, seed: int) -> None:
        self.src = source
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.ids: set[str] = set()
        self.records: list[dict[str, str]] = []
        self.labels: dict[str, str] = {}
        self.edit: dict[str, str] = {}
        self.kept: dict[str, float] = {}
        self.base_id: dict[str, str] = {}
        self.pairs: list[tuple[str, str]] = []
        self._trending: dict[tuple[int, int], list[int]] = {}

    # -- ids, times, chrome -------------------------------------------------

    def new_id(self, site: SiteTemplate) -> str:
        while True:
            candidate = f"{site.slug}-{int(self.rng.integers(0, 2**40)):010x}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def story_time(self) -> datetime:
        day = int(self.rng.integers(0, _DAYS))
        minute = int(self.rng.integers(6 * 60, 22 * 60))
        return _EPOCH + timedelta(days=day, minutes=minute)

    def trending(self, site_index: int, day: int) -> list[int]:
        """Indices of the site's trending headlines on a day (same for every page that day)."""
        key = (site_index, day)
        if key not in self._trending:
            rng = np.random.default_rng([self.seed, site_index, day + 10_000, 7])
            count = SITES[site_index].trending_count + 3
            self._trending[key] = rng.choice(
                len(self.src.titles), size=count, replace=False
            ).tolist()
        return self._trending[key]

    def page(self, site_index: int, base: BaseArticle, body: _Body, published: datetime) -> _Page:
        site = SITES[site_index]
        rng = self.rng
        own = {base.title, body.headline}
        day = (published.date() - _EPOCH.date()).days
        trending = [self.src.titles[i] for i in self.trending(site_index, day)]
        trending = [t for t in trending if t not in own][: site.trending_count]
        labels = [site.sections.get(self.src.title_category.get(t, ""), "News") for t in trending]
        same_cat = self.src.titles_by_category.get(base.category, self.src.titles)
        related: list[str] = []
        if site.related_count:
            picks = rng.choice(len(same_cat), size=site.related_count + 2, replace=False).tolist()
            related = [same_cat[i] for i in picks if same_cat[i] not in own][: site.related_count]
        caption = None
        if rng.random() < site.photo_rate:
            credit = f"{_pick(rng, _PHOTOGRAPHERS)}/{_pick(rng, _PHOTO_AGENCIES)}"
            text = _pick(rng, _CAPTIONS).format(entity=_entity(base, int(rng.integers(0, 2))))
            caption = site.caption.format(caption=_cap_first(text), credit=credit)
        inline = same_cat[int(rng.integers(len(same_cat)))]
        if inline in own:
            inline = self.src.titles[int(rng.integers(len(self.src.titles)))]
        return _Page(
            site_index=site_index,
            body=body,
            base=base,
            published=published,
            author=_pick(rng, site.staff),
            caption=caption,
            related=related,
            trending=trending,
            trending_labels=labels,
            inline_headline=inline,
            comments=int(rng.integers(0, 400)),
            temperature=int(rng.integers(-2, 12)),
        )

    def emit(
        self,
        site_index: int,
        base: BaseArticle,
        body: _Body,
        published: datetime,
        label: str | None,
        edit: str,
    ) -> str:
        site = SITES[site_index]
        article_id = self.new_id(site)
        text = _render_page(self.page(site_index, base, body, published))
        section = site.sections.get(base.category, "News")
        if site.url_style == "dated":
            url = (
                f"https://www.{site.domain}/{_slugify(section, 20)}/{published:%Y/%m/%d}/"
                f"{_slugify(body.headline)}"
            )
        else:
            number = int(self.rng.integers(10**6, 10**7))
            url = f"https://{site.domain}/news/{_slugify(section, 20)}/{number}"
        self.records.append(
            {
                "id": article_id,
                "title": body.headline,
                "source": site.name,
                "url": url,
                "published": _iso(published),
                "text": text,
            }
        )
        self.labels[article_id] = label or f"single-{article_id}"
        self.edit[article_id] = edit
        self.kept[article_id] = _kept_fraction(base, body)
        self.base_id[article_id] = base.bbc_id
        return article_id

    # -- stories ------------------------------------------------------------

    def take(self, unused: list[int], category: str | None = None) -> BaseArticle | None:
        for pos, idx in enumerate(unused):
            if category is None or self.src.articles[idx].category == category:
                del unused[pos]
                return self.src.articles[idx]
        return None

    def take_similar(self, base: BaseArticle, unused: list[int]) -> BaseArticle | None:
        """The same-category article, among the next few unused ones, sharing most vocabulary."""
        vocab = _content_words(base)
        best: tuple[float, int] | None = None
        seen = 0
        for pos, idx in enumerate(unused):
            other = self.src.articles[idx]
            if other.category != base.category:
                continue
            words = _content_words(other)
            score = len(vocab & words) / max(1, len(vocab | words))
            if best is None or score > best[0]:
                best = (score, pos)
            seen += 1
            if seen >= _TOPIC_CANDIDATES:
                break
        if best is None:
            return None
        return self.src.articles[unused.pop(best[1])]

    def story(self, number: int, base: BaseArticle, unused: list[int]) -> None:
        """Emit one story (original + copies) and its hard negatives, drawing from ``unused``."""
        rng = self.rng
        label = f"story-{number:04d}"
        t0 = self.story_time()
        weekday = _WEEKDAYS[t0.weekday()]
        orig_site = int(rng.integers(len(SITES)))
        original = _Body(list(base.paragraphs), [True] * len(base.paragraphs), base.title)
        orig_id = self.emit(orig_site, base, original, t0, label, "original")

        n_copies = 1 + int(rng.choice(len(_COPIES_PER_STORY_P), p=_COPIES_PER_STORY_P))
        others = [s for s in range(len(SITES)) if s != orig_site]
        sites = [others[i] for i in rng.choice(len(others), size=n_copies, replace=False).tolist()]
        eligible = [e for e in EDIT_TYPES if _eligible(e, base)]
        edits = [
            eligible[i] for i in rng.choice(len(eligible), size=n_copies, replace=False).tolist()
        ]
        for site_index, edit in zip(sites, edits, strict=True):
            donor = None
            if edit == "updated":
                donor = self.take(unused, base.category) or self.take(unused)
            if edit == "updated" and donor is None:
                edit = "verbatim"
            body = _make_copy(edit, base, donor, rng, weekday)
            if body.delay_minutes is not None:
                delay = body.delay_minutes
            else:
                delay = int(min(72 * 60, 5 + rng.exponential(6 * 60)))
            self.emit(site_index, base, body, t0 + timedelta(minutes=delay), label, edit)

        if rng.random() < _P_NEGATIVE_TEMPLATE:
            other = self.take(unused)
            if other is not None:
                day_start = datetime(t0.year, t0.month, t0.day, tzinfo=timezone.utc)
                when = day_start + timedelta(minutes=int(rng.integers(6 * 60, 23 * 60)))
                body = _Body(list(other.paragraphs), [True] * len(other.paragraphs), other.title)
                neg = self.emit(orig_site, other, body, when, None, "negative-template")
                self.pairs.append((orig_id, neg))
        if rng.random() < _P_NEGATIVE_TOPIC:
            other = self.take_similar(base, unused)
            if other is not None:
                when = t0 + timedelta(minutes=int(rng.integers(-36 * 60, 36 * 60)))
                body = _Body(list(other.paragraphs), [True] * len(other.paragraphs), other.title)
                neg = self.emit(
                    int(rng.integers(len(SITES))), other, body, when, None, "negative-same-topic"
                )
                self.pairs.append((orig_id, neg))

    def in_publication_order(self) -> tuple[list[dict[str, str]], list[str]]:
        """The records in publication order (ties by id), and their ids in that order."""
        records = sorted(self.records, key=lambda r: (r["published"], r["id"]))
        return records, [r["id"] for r in records]

    def finish(self) -> SimulatedCorpus:
        """The corpus, articles in publication order (ties by id)."""
        records, order = self.in_publication_order()
        return SimulatedCorpus(
            articles=records,
            labels={i: self.labels[i] for i in order},
            edit={i: self.edit[i] for i in order},
            hard_negative_pairs=sorted(self.pairs),
            keeps_half={i: self.kept[i] >= 0.5 for i in order},
            kept_fraction={i: self.kept[i] for i in order},
            base_id={i: self.base_id[i] for i in order},
        )


def simulate(bbc_path: str | Path, n_stories: int = 300, seed: int = 0) -> SimulatedCorpus:
    """Simulate a crawl of syndicated news built from BBC articles.

    Args:
        bbc_path: Path of the BBC JSONL (``id``, ``category``, ``title``, ``text``).
        n_stories: Number of base articles (stories); each yields an original and
            1-5 copies on other sites.
        seed: Seed of every random choice; the same seed gives identical output.

    Returns:
        The articles with their cluster labels, edit types, hard-negative pairs and
        ``keeps_half`` flags.

    Raises:
        FileNotFoundError: If ``bbc_path`` does not exist.
        ValueError: If ``n_stories`` is below 1 or more than the usable articles allow
            (half the BBC articles left after removing short ones and overlapping
            families), or ``seed`` is negative.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    source = _load(bbc_path)
    limit = len(source.pool) // 2
    if not 1 <= n_stories <= limit:
        raise ValueError(
            f"n_stories must be between 1 and {limit} for this corpus, got {n_stories}"
        )
    builder = _Builder(source, seed)
    order = [source.pool[i] for i in builder.rng.permutation(len(source.pool)).tolist()]
    bases, unused = order[:n_stories], order[n_stories:]
    for number, idx in enumerate(bases):
        builder.story(number, source.articles[idx], unused)
    return builder.finish()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: simulate a corpus and write it with its ground truth.

    Args:
        argv: Arguments (default: ``sys.argv[1:]``).

    Returns:
        Exit status (0 on success, 2 on bad input).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bbc", default=str(DEFAULT_BBC), help="BBC JSONL (default: %(default)s)")
    parser.add_argument("--stories", type=int, default=300, help="number of stories")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--out", required=True, help="output directory")
    args = parser.parse_args(argv)
    try:
        corpus = simulate(args.bbc, n_stories=args.stories, seed=args.seed)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paths = corpus.write(args.out)
    counts = Counter(corpus.edit.values())
    print(
        f"{len(corpus.articles)} articles, {len(set(corpus.labels.values()))} clusters, "
        f"{len(corpus.hard_negative_pairs)} hard-negative pairs -> {paths['corpus.jsonl'].parent}"
    )
    print("  " + ", ".join(f"{k}={counts[k]}" for k in sorted(counts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
