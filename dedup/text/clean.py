"""Page-junk removal: keep the article body, record everything removed and why.

Cleaning is a pure function of one article (it never looks at the rest of the
batch), so a streaming index and a batch run see the same body for the same page.

The body is the article's prose: blocks (lines, or paragraphs of hard-wrapped
text) that read as sentences. Removed, each with its kind:

* ``dateline``, ``navigation``: short lines with a date or time ("Updated: 13-07-2023
  23:24 IST"), and breadcrumb/meta lines of ``|``-separated items.
* ``short-line``: lines that are not prose — headlines, bylines, datelines, menu
  items, list entries. (Headlines are left out on purpose: re-headlined copies are
  copies.) A run of three or more short lines, at least half of them with digits,
  is kept as data (an earnings table, a results list).
* ``widget``: lines made of share/e-mail/print/follow/sign-in/menu words.
* ``section``: a "Trending", "Related", "Most read", "Read more"... header and
  the list that follows it.
* ``subscription``, ``cookie``, ``copyright``, ``credit``, ``disclaimer``,
  ``contact``: prompts, notices, photo credits and captions, footers.
* ``repeat``: a line or sentence that repeats text already in the article (repeated
  ledes, captions printed twice).

If an article has no prose at all (a list, a one-line brief), its non-junk short
lines are kept as the body rather than losing the article.

The cleaner also notes the page's headline lines (:attr:`CleanedText.headlines`), for
reports only: the short lines near the top that read as a headline.

Example:
    >>> c = clean("Menu\\nShare on Facebook\\nThe mayor opened the new bridge on Monday morning.\\n© 2024 Daily News")
    >>> c.body
    'The mayor opened the new bridge on Monday morning.'
    >>> [r.kind for r in c.removed]
    ['widget', 'widget', 'copyright']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from dedup import _kernels
from dedup._hashing import sorted_unique
from dedup.models import Removed
from dedup.shingle import word_ngrams
from dedup.text.normalize import fold
from dedup.text.scripts import TOKEN_PATTERN

WORD = re.compile(r"\w+")
_SENTENCE_ENDERS = frozenset(".!?…")
_CLOSERS = "\"'”’)]"
_PIPES = re.compile(r"\s\|\s")

# Words that make up share bars, menus and account widgets. A short line made
# mostly of these is a widget, whatever the site.
_WIDGET_WORDS = frozenset(
    """
    share sharing shares email e mail print comment comments facebook twitter x
    linkedin pinterest whatsapp reddit google tumblr instagram youtube quora rss
    telegram messenger flipboard sms copy link follow bio subscribe subscribed
    subscription subscriptions newsletter newsletters sign in up out log login
    logout register account menu home close skip content main navigation nav
    advertisement advertising ad ads sponsored related more read trending popular
    latest news most top stories story video videos photos photo gallery listen
    article permalink go to view on the of and our us with connect feedback give
    edition editions sections section sectors other links products topics back next
    previous tap here click notifications app apps download get terms use privacy
    policy cookies cookie contact about disclaimer careers advertise help faq
    sitemap accessibility search left right open options settings save saved
    bookmark reprint reprints order purchase permissions opinion blog interview
    interviews shots devshots podcast podcasts watch live now
    """.split()  # noqa: SIM905
)

# Phrases that only widgets, prompts and footers use — each specific enough that a
# news sentence does not say it ("copyright lawyers said", "already registered
# voters", "subscribe to the bond offering" stay). A block containing one is junk
# unless it is long enough to be a real paragraph that merely mentions it.
_JUNK_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "copyright",
        re.compile(
            r"(?:©|\(c\)|\bcopyright)\s*(?:©\s*)?(?:\d{4}\b|by\s+[A-Z])|all rights reserved"
            r"|may not be (?:re)?published,? broadcast|rewritten,? or redistributed"
            r"|for your personal,? non-commercial use only|presentation-ready copies",
            re.IGNORECASE,
        ),
    ),
    (
        "cookie",
        re.compile(
            r"we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies"
            r"|cookie (?:policy|settings|preferences)|by continuing to (?:use|browse) (?:this|our) (?:site|website)",
            re.IGNORECASE,
        ),
    ),
    (
        "subscription",
        re.compile(
            r"^subscribe (?:now|today)\b|subscribe to (?:our|the) (?:\w+ )?newsletter"
            r"|sign up (?:for|to) (?:our|the)\b.{0,40}newsletter"
            r"|please consider subscribing|support (?:our|independent|quality) journalism"
            r"|help us deliver journalism|our journalism takes|you have successfully subscribed"
            r"|already (?:a subscriber|registered|have an account)\s*\?|register (?:for free|to continue)"
            r"|(?:sign|log) in to (?:continue|comment|keep reading)|^(?:and )?continue reading\b"
            r"|to keep reading|subscriber[- ]only (?:content|article)|turn on desktop notifications"
            r"|get notifications to|never miss (?:breaking news|a story)|ensure javascript is enabled"
            r"|enable javascript|disable your ad ?blocker|sent straight to you|daily edition email"
            r"|newsletter\b.{0,40}\binbox",
            re.IGNORECASE,
        ),
    ),
    (
        "disclaimer",
        re.compile(
            r"this (?:story|article) has not been edited by|auto-generated from a syndicated feed"
            r"|the views expressed (?:here|in this (?:article|column|piece)) are",
            re.IGNORECASE,
        ),
    ),
    (
        "credit",
        re.compile(
            r"image credit|photo credit|picture credit|\(ap photo|getty images|\bphoto by\b"
            r"|\bphotograph: |^\s*(?:photo|image|screenshot|illustration|illustrative|file photo)\s*:"
            r"|\([A-Z][^()]{1,40}/[A-Za-z][^()]{1,30}\)\s*$",
            re.IGNORECASE,
        ),
    ),
    (
        "contact",
        re.compile(r"^\s*(?:e-?mail|phone|tel|fax)\s*:\s*\S|^\S+@\S+\.\w+$", re.IGNORECASE),
    ),
)
# A block longer than this that mentions a junk phrase is a real paragraph; captions
# and credits are shorter than prompts and footers.
_JUNK_MAX_WORDS = {"credit": 30}
_JUNK_MAX_WORDS_DEFAULT = 60

_SECTION = re.compile(
    r"^(?:trending(?: now| stories| news)?|related(?: coverage| articles?| stories| news| content"
    r"| topics| links| reading)?|most (?:read|popular|viewed|shared|watched)|more (?:from|on|stories"
    r"|news|in|like this)\b.*|latest(?: news| stories| headlines)?|(?:you|we think you) (?:may|might)"
    r" (?:also )?like|recommended(?: for you| stories| reading)?|read (?:more|next|also)\s*:?"
    r"|also read|further reading|sponsored(?: content| stories| links)?|around the web"
    r"|popular(?: now| stories)?|top stories|editor'?s picks|what to read next|don'?t miss"
    r"|in (?:other|case you missed)\b.*|opinion\s*/\s*blog.*)\s*:?$",
    re.IGNORECASE,
)
# A junk section (a list of headlines and links) ends at the first sentence of at
# least this many words: list entries are headlines, without a sentence ending.
_SECTION_END_WORDS = 15

# Wire photo captions: "In this June 30, 2013 file photo, R. Kelly performs ...".
_CAPTION_SENTENCE = re.compile(
    r"^in this\b[^.]{0,80}?\b(?:file )?(?:photo|image|picture|photograph|video(?: image)?)"
    r"(?: (?:provided|released|taken|made available) by [^,]{1,60})?,"
    r"|^(?:ap|reuters|afp),? file\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s{2,}")
# Headline lines: short lines (or, above the first prose block, lines of a junk section
# such as a menu under "Latest") before the second prose block (the first may be a notice
# in a language the junk patterns do not know), of at least 3 tokens (words, or letters
# of scripts written without spaces), with no date, no menu or breadcrumb marks, not
# ending as a sentence, a label or a broken line does. A page title line "headline | site"
# gives its longer side.
_HEADLINE_BEFORE_PROSE = 2
_HEADLINE_MIN_TOKENS = 3
_HEADLINES_KEPT = 3
_MENU_MARKS = re.compile(r"[•·›»>|]| / ")
_TOKEN = re.compile(TOKEN_PATTERN)
# A date or a time of day: "2023-07-13", "13/07/2023", "May 31, 2019", "31 May 2019", "9:52 PM".
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}([/.-])\d{1,2}\1\d{2,4}\b(?![/.]\d)"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b"
    r"|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)
_DATELINE_MAX_WORDS = 12
_DIGIT = re.compile(r"\d")
_TABLE_MIN_LINES = 3
_INLINE_CREDIT = re.compile(
    r"\((?:AP|Reuters|AFP|Getty|Photo|Image|Source)\b[^()]{0,60}\)"
    r"|\b(?:Image|Photo|Picture) ?[Cc]redit:? [^.]{0,40}$|\bPhoto by [^.]{0,50}$"
    r"|\([A-Z][^()]{1,40}/[A-Za-z][^()]{1,30}\)\s*$",
)
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr st jr sr gen col lt sgt capt gov sen rep rev prof no vs inc co corp
    ltd u s jan feb mar apr jun jul aug sep sept oct nov dec mt ft pp op vol fig est
    approx dept
    """.split()  # noqa: SIM905
)
# A sentence of at least this many words that repeats one before it is removed.
_REPEAT_MIN_WORDS = 6
_BOUNDARY = re.compile(r"([.!?…]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# ASCII bytes that are not word characters (``\w`` is [A-Za-z0-9_] on ASCII) -> space.
_ASCII_NON_WORD_TO_SPACE = bytes(
    c if chr(c).isalnum() or c == ord("_") else ord(" ") for c in range(128)
) + b" " * 128

# Page-wide prefilters. Most pages contain none of the junk patterns, and a regular
# expression costs about 0.1-0.7 ms per 3 KB page, so each pattern is first ruled out
# with plain substring tests: every match of the pattern contains all the strings of
# at least one of the tuples below (lower-case for patterns that ignore case). The
# pattern is tried on blocks or sentences only when the page passes its test.
_LITERALS: dict[str, tuple[tuple[str, ...], ...]] = {
    "copyright": (
        ("©",), ("(c)",), ("copyright",), ("rights reserved",), ("may not be",), ("rewritten",),
        ("personal",), ("presentation-ready",),
    ),
    "cookie": (("cookie",), ("by continuing to",)),
    "subscription": (
        ("subscri",), ("newsletter",), ("journalism",), ("already registered",), ("already have an account",),
        ("register ",), ("in to c",), ("keep reading",), ("continue reading",), ("notifications",),
        ("never miss",), ("javascript",), ("disable your ad",), ("sent straight to you",), ("daily edition email",),
    ),
    "disclaimer": (("not been edited by",), ("syndicated feed",), ("the views expressed",)),
    "credit": (("credit",), ("photo",), ("image",), ("screenshot",), ("illustrati",), ("(", "/")),
    "contact": (("mail", ":"), ("phone", ":"), ("tel", ":"), ("fax", ":"), ("@",)),
    # sentence-level, case-sensitive:
    "inline-credit": (
        ("(AP",), ("(Reuters",), ("(AFP",), ("(Getty",), ("(Photo",), ("(Image",), ("(Source",), ("Photo by ",),
        ("Image", "redit"), ("Photo", "redit"), ("Picture", "redit"), ("(", "/"),
    ),
    # sentence-level, ignoring case:
    "caption": (
        ("in this", "photo"), ("in this", "image"), ("in this", "picture"), ("in this", "video"),
        ("ap file",), ("ap, file",), ("reuters file",), ("reuters, file",), ("afp file",), ("afp, file",),
    ),
}
# Non-ASCII characters that an ASCII letter matches when case is ignored but whose
# lower case is not that letter (found by trying every code point; see the tests).
_IGNORECASE_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


_SINGLE_LITERALS = {kind: tuple(parts[0] for parts in tests if len(parts) == 1) for kind, tests in _LITERALS.items()}
_LITERAL_PAIRS = {kind: tuple(parts for parts in tests if len(parts) > 1) for kind, tests in _LITERALS.items()}


def _mentions(text: str, kind: str) -> bool:
    """Whether ``text`` passes the literal test of ``kind`` (see ``_LITERALS``): the
    reference for :meth:`_Literals.passes`, one substring search per literal."""
    return any(map(text.__contains__, _SINGLE_LITERALS[kind])) or any(
        all(map(text.__contains__, parts)) for parts in _LITERAL_PAIRS[kind]
    )


class _Literals:
    """The literals of some kinds, found in a text in one pass (compiled when numba
    is present: ~60 substring searches of a 3 KB page cost ~0.1 ms in Python). What
    is found is a bit mask over ``strings``."""

    def __init__(self, kinds: list[str]) -> None:
        self.strings = sorted({literal for kind in kinds for parts in _LITERALS[kind] for literal in parts})
        self.table = _kernels.LiteralTable(self.strings) if _kernels.AVAILABLE else None
        bit = {literal: 1 << k for k, literal in enumerate(self.strings)}
        # Per kind: the mask of its single literals, and the mask of each group of
        # literals that must all occur.
        self.tests = {
            kind: (
                sum(bit[parts[0]] for parts in _LITERALS[kind] if len(parts) == 1),
                tuple(sum(bit[p] for p in parts) for parts in _LITERALS[kind] if len(parts) > 1),
            )
            for kind in kinds
        }

    def found(self, text: str) -> int:
        """The bit mask of the literals that occur in ``text``."""
        if self.table is None:
            return sum(1 << k for k, literal in enumerate(self.strings) if literal in text)
        flags = self.table.found(text.encode("utf-8", "surrogatepass"))
        return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")

    def passes(self, kind: str, found: int) -> bool:
        """:func:`_mentions` of ``kind`` for a text whose literals ``found`` marks."""
        singles, groups = self.tests[kind]
        if found & singles:
            return True
        for group in groups:
            if found & group == group:
                return True
        return False


_CASED = _Literals(["inline-credit"])
_IGNORING_CASE = _Literals([kind for kind in _LITERALS if kind != "inline-credit"])


@dataclass(frozen=True)
class CleanedText:
    """The result of cleaning one article.

    Args:
        body: The article body, paragraphs separated by blank lines.
        removed: What was removed, in page order, each with its kind.
        body_words: Words in the body.
        total_words: Words in the whole page.
    """

    body: str
    removed: tuple[Removed, ...]
    body_words: int
    total_words: int
    headlines: tuple[str, ...] = ()
    """Lines near the top of the page that read as its headline, in page order (at most
    three; the first is usually the headline, a site's name line may come before it)."""

    @property
    def boilerplate_share(self) -> float:
        """Share of the page's words that were removed as junk (0.0 to 1.0)."""
        if self.total_words == 0:
            return 0.0
        return 1.0 - self.body_words / self.total_words


def word_count(text: str) -> int:
    """Number of words (runs of ``\\w``) in ``text``; the same as ``len(WORD.findall(text))``.

    Example:
        >>> word_count("U.S. GDP rose 2.5% in Q3 -- a 'soft' landing")
        11
    """
    if text.isascii():
        return len(text.encode("ascii").translate(_ASCII_NON_WORD_TO_SPACE).split())
    return len(WORD.findall(text))


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with a sentence end, perhaps followed by closing quotes or
    brackets; the same as searching ``[.!?…]["'”’)\\]]*$``.

    Example:
        >>> ends_sentence('He said "no."'), ends_sentence("Menu")
        (True, False)
    """
    text = text.removesuffix("\n").rstrip(_CLOSERS)  # "$" also matches before a final line break
    return text != "" and text[-1] in _SENTENCE_ENDERS


def split_sentences(block: str) -> list[str]:
    """Split a paragraph into sentences, not breaking after initials or abbreviations.

    Example:
        >>> split_sentences("R. Kelly sang. Mr. Ek spoke in the U.S. on Monday. Fans cheered!")
        ['R. Kelly sang.', 'Mr. Ek spoke in the U.S. on Monday.', 'Fans cheered!']
    """
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(block):
        head = block[start : match.start(1)]
        last_word = head.rsplit(None, 1)[-1] if head.strip() else ""
        bare = last_word.strip("\"'“‘([").rstrip(".").lower()
        if match.group(1).startswith(".") and (
            len(bare) <= 1 or bare in _ABBREVIATIONS or "." in bare
        ):
            continue
        sentences.append(block[start : match.end(1)].strip())
        start = match.end()
    tail = block[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _is_hard_wrapped(lines: list[str]) -> tuple[bool, int]:
    """Whether text was wrapped at a fixed width (wire copy), and that width.

    Two signs, either is enough: most long lines stop mid-sentence near the width, or
    most lines break mid-sentence, the next line going on in lower case (short wire
    items, whose few lines say little about the width).
    """
    stripped = [line.strip() for line in lines]
    lengths = sorted(len(line) for line in stripped if line)
    if len(lengths) < 3:
        return False, 0
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 30 <= width <= 100:
        return False, 0
    wrapped = sum(1 for line in stripped if len(line) >= 0.6 * width and not ends_sentence(line))
    if len(lengths) >= 4 and wrapped >= 0.4 * len(lengths):
        return True, width
    continued = sum(
        1
        for line, following in pairwise(stripped)
        if _breaks_mid_sentence(line, following)
    )
    return continued >= 0.4 * len(lengths), width


def _breaks_mid_sentence(line: str, following: str) -> bool:
    """Whether a sentence runs on from ``line`` into ``following`` (a lower-case or
    digit start after a line of a few words that ends without punctuation)."""
    return (
        len(line.split()) >= 3
        and (following[:1].islower() or following[:1].isdigit())
        and not ends_sentence(line)
        and not line.endswith((":", ";", "|"))
    )


def _blocks(text: str) -> list[str]:
    """Lines, or for hard-wrapped text, its re-joined paragraphs."""
    lines = text.split("\n")
    wrapped, width = _is_hard_wrapped(lines)
    if not wrapped:
        return [line.strip() for line in lines if line.strip()]
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        new_paragraph = (
            not stripped
            or line.startswith((" ", "\t"))
            or (current and len(current[-1]) < 0.5 * width and ends_sentence(current[-1]))
        )
        if new_paragraph and current:
            blocks.append(" ".join(current))
            current = []
        if stripped:
            current.append(stripped)
    if current:
        blocks.append(" ".join(current))
    return blocks


@dataclass(frozen=True)
class _PageScan:
    """Which junk patterns can occur on a page (see ``_LITERALS``)."""

    junk_kinds: tuple[tuple[str, re.Pattern[str]], ...]
    pipes: bool
    inline_credits: bool
    captions: bool
    plain_spaces: bool
    """The page's only whitespace is single spaces and line breaks."""

    @classmethod
    def of(cls, blocks: list[str]) -> _PageScan:
        page = "\n".join(blocks)
        lowered = (page if page.isascii() else page.translate(_IGNORECASE_TO_ASCII)).lower()
        ignoring_case = _IGNORING_CASE.found(lowered)
        other_spaces = any(map(page.__contains__, _SPACES_BUT_SPACE_AND_LINE_BREAK))
        if other_spaces:
            runs_of_spaces = _SPACES.search(page) is not None
        else:  # the same test, as plain substring searches
            runs_of_spaces = any(map(page.__contains__, ("  ", " \n", "\n ", "\n\n")))
        return cls(
            junk_kinds=tuple(
                (kind, pattern) for kind, pattern in _JUNK_PHRASES if _IGNORING_CASE.passes(kind, ignoring_case)
            ),
            pipes="|" in page,
            # A sentence's spaces are collapsed only where a credit was cut out,
            # unless the text was not repaired and has runs of spaces already.
            inline_credits=_CASED.passes("inline-credit", _CASED.found(page)) or runs_of_spaces,
            captions=_IGNORING_CASE.passes("caption", ignoring_case),
            plain_spaces=not runs_of_spaces and not other_spaces,
        )


# The scan that tries every pattern: what the prefilters must be equivalent to (tests).
_EVERYTHING = _PageScan(_JUNK_PHRASES, pipes=True, inline_credits=True, captions=True, plain_spaces=False)
# ``\s`` in ``re`` is exactly ``str.isspace`` (tested): these are the other 27 characters.
_SPACES_BUT_SPACE_AND_LINE_BREAK = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n")


def _junk_kind(block: str, n: int, scan: _PageScan) -> str | None:
    """The kind of junk a block of ``n`` words is, judged on the block alone, or None
    (``scan`` only skips the patterns that do not occur on the page)."""
    if n == 0:
        return "short-line"
    is_sentence = ends_sentence(block)
    if n <= 12 and not is_sentence or n <= 4:
        widget_words = sum(1 for w in WORD.findall(block) if w.lower() in _WIDGET_WORDS)
        if widget_words >= 0.7 * n:
            return "widget"
    for kind, pattern in scan.junk_kinds:
        if n <= _JUNK_MAX_WORDS.get(kind, _JUNK_MAX_WORDS_DEFAULT) and pattern.search(block):
            return kind
    if scan.pipes and n <= _JUNK_MAX_WORDS_DEFAULT and len(_PIPES.findall(block)) >= 2:
        return "navigation"
    if n <= _DATELINE_MAX_WORDS and not is_sentence and _DATE.search(block):
        return "dateline"
    return None


def _ends_section(block: str, kind: str | None) -> bool:
    """Whether a long block (of junk ``kind``) after a section heading is prose again: a
    sentence that is no junk, or a photo caption whose text before its credit is a
    sentence (a gallery's captions are its text, not the section's links)."""
    if kind is None:
        return ends_sentence(block)
    return kind == "credit" and ends_sentence(_without_credits(block))


def _without_credits(text: str) -> str:
    """``text`` with its inline photo credits taken out."""
    return _SPACES.sub(" ", _INLINE_CREDIT.sub("", text)).strip()


def _is_prose(block: str, n: int) -> bool:
    return n >= 5 and (n >= 15 or ends_sentence(block))


def _clean_sentences(block: str, seen: set[str], removed: list[Removed], scan: _PageScan) -> str:
    """Drop caption sentences, inline credits and sentences already seen."""
    kept: list[str] = []
    for sentence in split_sentences(block):
        if scan.inline_credits:
            credit_free = _without_credits(sentence)
            if credit_free != sentence.strip():
                removed.append(Removed(sentence if not credit_free else _diff(sentence, credit_free), "credit"))
            if not credit_free:
                continue
        else:
            credit_free = sentence  # stripped, and without runs of spaces (see _PageScan)
        if scan.captions and _CAPTION_SENTENCE.search(credit_free):
            removed.append(Removed(credit_free, "credit"))
            continue
        key = fold(credit_free)
        if word_count(key) >= _REPEAT_MIN_WORDS:
            if key in seen:
                removed.append(Removed(credit_free, "repeat"))
                continue
            seen.add(key)
        kept.append(credit_free)
    return " ".join(kept)


def _sentences_unchanged(scan: _PageScan, prose_keys: list[str]) -> bool:
    """Whether :func:`_clean_sentences` would return every prose block as it is: no
    credit or caption can occur, the blocks' only spaces are single (so splitting
    into sentences and joining them again gives the block back), and no sentence
    repeats. Two sentences of at least ``_REPEAT_MIN_WORDS`` words with the same
    folded text share their first that many words, so a repeat needs a run of
    that many words that occurs twice in the blocks' folded text (``prose_keys``)."""
    if scan.inline_credits or scan.captions or not scan.plain_spaces:
        return False
    runs = word_ngrams("\n".join(prose_keys), _REPEAT_MIN_WORDS)
    if runs.size < _REPEAT_MIN_WORDS + 1:  # fewer than two sentences' worth of words
        return True
    return sorted_unique(runs).size == runs.size


def _diff(original: str, kept: str) -> str:
    """The part of ``original`` that the inline-credit pattern took out."""
    return " ".join(m.group(0) for m in _INLINE_CREDIT.finditer(original)) or original


def clean(text: str) -> CleanedText:
    """Split a page into its article body and the junk around it.

    Args:
        text: Repaired article text (see :func:`dedup.text.normalize.repair`).

    Returns:
        The body, what was removed (with kinds) and word counts.
    """
    blocks = _blocks(text)
    counts = [word_count(b) for b in blocks]
    total_words = sum(counts)

    scan = _PageScan.of(blocks)
    kinds: list[str | None] = []
    in_section = False
    for block, n in zip(blocks, counts):
        if n <= 6 and _SECTION.match(block.strip(" :•|-")):
            in_section = True
            kinds.append("section")
            continue
        if in_section and n < _SECTION_END_WORDS:
            kinds.append("section")
            continue
        kind = _junk_kind(block, n, scan)
        if in_section:
            if not _ends_section(block, kind):
                kinds.append("section")
                continue
            in_section = False
        if kind is None and not _is_prose(block, n):
            kind = "short-line"
        kinds.append(kind)

    _keep_tables(blocks, kinds)
    _keep_gallery_captions(blocks, counts, kinds)

    # Repeated blocks: an exact repeat, or a block whose text also stands inside a
    # longer prose block (a lede printed twice, a caption that quotes the body).
    prose_keys = [fold(b) if k is None else "" for b, k in zip(blocks, kinds)]
    joined = "\x00".join(prose_keys)
    seen_blocks: set[str] = set()
    for i, key in enumerate(prose_keys):
        if not key:
            continue
        if key in seen_blocks or (joined.count(key) >= 2 and word_count(key) >= 5 and _inside_longer(key, prose_keys, i)):
            kinds[i] = "repeat"
        seen_blocks.add(key)

    removed: list[Removed] = []
    body_blocks: list[str] = []
    seen_sentences: set[str] = set()
    unchanged = _sentences_unchanged(scan, [key for key, kind in zip(prose_keys, kinds) if kind is None])
    for block, kind in zip(blocks, kinds):
        if kind is not None:
            removed.append(Removed(block, kind))
            continue
        kept = block if unchanged else _clean_sentences(block, seen_sentences, removed, scan)
        if kept:
            body_blocks.append(kept)

    if not body_blocks:
        # No prose: a list or a brief. Keep the lines that are not junk by pattern.
        fallback = [b for b, k in zip(blocks, kinds) if k == "short-line" and WORD.search(b)]
        if fallback:
            body_blocks = fallback
            removed = [r for r in removed if not (r.kind == "short-line" and r.text in set(fallback))]

    body = "\n\n".join(body_blocks)
    if unchanged and any(kind is None for kind in kinds):  # the body is the prose blocks as they are
        body_words = sum(n for n, kind in zip(counts, kinds) if kind is None)
    else:
        body_words = word_count(body)
    return CleanedText(
        body=body,
        removed=tuple(removed),
        body_words=body_words,
        total_words=total_words,
        headlines=_headlines(blocks, kinds),
    )


def _headlines(blocks: list[str], kinds: list[str | None]) -> tuple[str, ...]:
    """The lines before the second prose block that read as a headline (see
    ``_HEADLINE_BEFORE_PROSE``), at most ``_HEADLINES_KEPT``."""
    found: list[str] = []
    prose = 0
    for block, kind in zip(blocks, kinds):
        if kind is None:
            prose += 1
            if prose >= _HEADLINE_BEFORE_PROSE:
                break
        elif kind == "short-line" or (kind == "section" and prose == 0):
            line = _headline_line(block)
            if line:
                found.append(line)
                if len(found) == _HEADLINES_KEPT:
                    break
    return tuple(found)


def _headline_line(block: str) -> str | None:
    """A short line as a headline, or None when it reads as a menu item, a breadcrumb,
    a date, a label, a sentence or a piece of a broken one.

    Example:
        >>> _headline_line("Rates rise again | The Daily Post"), _headline_line("Home > World")
        ('Rates rise again', None)
    """
    line = " ".join(block.split())
    parts = line.split(" | ")
    if len(parts) == 2:
        line = max(parts, key=len)
    if _MENU_MARKS.search(line) or line.endswith((",", ";", ":", "-", "–", ".", "。")) or line[:1].islower():
        return None
    if _DATE.search(line):
        return None
    return line if len(_TOKEN.findall(line)) >= _HEADLINE_MIN_TOKENS else None


def _keep_tables(blocks: list[str], kinds: list[str | None]) -> None:
    """Keep runs of short lines that are data, not chrome: a run of at least
    ``_TABLE_MIN_LINES`` short lines of which at least half contain digits (an
    earnings table, a results list). Menus, bylines and headline lists rarely do."""
    start = 0
    while start < len(blocks):
        if kinds[start] != "short-line":
            start += 1
            continue
        end = start
        while end < len(blocks) and kinds[end] == "short-line":
            end += 1
        run = range(start, end)
        with_digits = sum(1 for i in run if _DIGIT.search(blocks[i]))
        if len(run) >= _TABLE_MIN_LINES and with_digits * 2 >= len(run):
            for i in run:
                kinds[i] = None
        start = end


def _keep_gallery_captions(blocks: list[str], counts: list[int], kinds: list[str | None]) -> None:
    """Keep the captions of a gallery: when caption sentences carrying a credit hold
    more prose words than the rest of the page, they are its text, not side notes
    (their credits are still cut, sentence by sentence)."""
    captions = [i for i, kind in enumerate(kinds) if kind == "credit" and _is_prose(blocks[i], counts[i])]
    caption_words = sum(counts[i] for i in captions)
    if caption_words and caption_words > sum(n for n, kind in zip(counts, kinds) if kind is None):
        for i in captions:
            kinds[i] = None


def _inside_longer(key: str, keys: list[str], index: int) -> bool:
    """Whether ``key`` is a substring of another, longer prose block."""
    return any(j != index and len(other) > len(key) and key in other for j, other in enumerate(keys))


def passthrough(text: str) -> CleanedText:
    """The 'cleaning disabled' result: the whole text is the body."""
    n = word_count(text)
    return CleanedText(body=text.strip(), removed=(), body_words=n, total_words=n)
