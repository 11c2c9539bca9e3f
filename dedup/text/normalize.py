"""Normalisation: one spelling for text that means the same.

Two steps, because the cleaner needs line structure and original case:

* :func:`repair` keeps lines and case: mojibake repair (ftfy), HTML entities,
  Unicode NFKC, one form for quotes, dashes and ellipses, invisible characters out,
  spaces collapsed within lines.
* :func:`normalize` is what shingling sees: ``repair`` + casefold + all whitespace
  collapsed to single spaces.

Example:
    >>> normalize("  “Quoted”\u00a0—  TEXT… ")
    '"quoted" - text...'
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy
from ftfy.badness import is_bad

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
        "\u0060": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\u2026": "...",
        # invisible characters that split or glue words in scraped text
        "\u00ad": None, "\u200b": None, "\u2060": None, "\ufeff": None,
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_ANY_SPACE = re.compile(r"\s+")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,31});")


def needs_repair(text: str) -> bool:
    """Whether :func:`repair` + casefold could change the words of ``text`` beyond
    their case: False for ASCII text without an HTML entity.

    Example:
        >>> needs_repair("Plain ASCII text."), needs_repair("caf\u00e9"), needs_repair("A &amp; B")
        (False, True, True)
    """
    return not text.isascii() or ("&" in text and _ENTITY.search(text) is not None)


def repair(text: str, *, fix_mojibake: bool = True) -> str:
    """Repair encoding damage and unify characters, keeping lines and case.

    Args:
        text: Raw article text.
        fix_mojibake: Repair text that was decoded with the wrong codec.

    Returns:
        The repaired text with ``\\n`` line breaks, single spaces within lines and
        at most one leading space (the mark of an indented line).

    Example:
        >>> repair("Price: Â£5 \u2014 \u201cdeal\u201d ")
        'Price: £5 - "deal"'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # ASCII text cannot be mojibake, and NFKC leaves it as it is: both are skipped.
    if fix_mojibake and not text.isascii() and is_bad(text):
        text = ftfy.fix_encoding(text)
    # Scraped text is sometimes escaped twice (&amp;amp;): unescape to a fixed point.
    for _ in range(4):
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    if text.isascii():
        text = text.replace("`", "'")  # the only ASCII character in the quote table
    else:
        # Quotes first: NFKC would turn some of them (´, ″) into other characters.
        text = text.translate(_QUOTES)
        text = unicodedata.normalize("NFKC", text)
        text = text.translate(_QUOTES)
    text = _CONTROL.sub(" ", text)
    # Runs of spaces become one; an indented line keeps one leading space, which
    # the cleaner reads as a paragraph start in hard-wrapped text. (Printable ASCII
    # has no whitespace but the space and the line break left after _CONTROL.)
    if text.isascii() and "\t" not in text and "  " not in text and " \n" not in text and not text.endswith(" "):
        return text
    return "\n".join(line.rstrip() for line in _INLINE_SPACE.sub(" ", text).split("\n"))


def fold(text: str) -> str:
    """Casefold and collapse all whitespace: the matching form of repaired text."""
    if text.isascii():
        # ASCII: casefold is lower() and NFKC changes nothing; printable ASCII has
        # no whitespace but the space, so only runs of spaces need collapsing.
        folded = text.lower()
        if folded.isprintable() and "  " not in folded:
            return folded.strip(" ")
    else:
        folded = unicodedata.normalize("NFKC", text.casefold())
    return _ANY_SPACE.sub(" ", folded).strip()


def normalize(text: str, *, fix_mojibake: bool = True, casefold: bool = True) -> str:
    """Full normalisation of raw text for matching.

    Args:
        text: Raw text.
        fix_mojibake: Repair wrongly decoded text with ftfy.
        casefold: Fold case.

    Returns:
        One line of normalised text.
    """
    repaired = repair(text, fix_mojibake=fix_mojibake)
    if casefold:
        return fold(repaired)
    return _ANY_SPACE.sub(" ", repaired).strip()
