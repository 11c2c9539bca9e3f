"""Shingling: normalised text -> sorted, unique uint64 hashes of word n-grams.

Besides all shingles, :func:`body_shingles` returns the *own-words* shingles: those
whose words all stand outside quotation marks (see :mod:`dedup.text.quotes`).

Tokens are words, or single letters in scripts written without spaces
(:mod:`dedup.text.scripts`), so Chinese or Thai text gets character n-grams. Each
token is hashed once with xxh3-64 (stable across machines, runs and Python
versions; never Python's ``hash()``); an n-gram's hash chains its token hashes
through MurmurHash3's finalizer. A text with fewer words than the shingle size
becomes one shingle of all its words.

*Passage keys* find where one text's beginning sits inside another: the hash of every
run of :data:`PASSAGE_WORDS` words whose hash falls in one of :data:`PASSAGE_SAMPLE` slots
(chosen by the content, so two texts that share a run keep the same keys for it).

Example:
    >>> shingles("the mayor opened the new bridge", 5).size
    2
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import xxhash

from dedup import _kernels
from dedup._hashing import CHAIN, U64, fmix64, sorted_unique
from dedup.text.normalize import fold
from dedup.text.quotes import quoted_spans
from dedup.text.scripts import TOKEN_PATTERN

TOKEN = re.compile(TOKEN_PATTERN)
# A figure: digits with inner separators ("1,000", "6.5", "7-3/4", "2023-07-13").
FIGURE = re.compile(r"\d(?:[\d,.]*\d)?(?:[-/]\d+(?:/\d+)?)?")
EMPTY = np.empty(0, dtype=U64)
ASCII_DIGITS = {cp: ord("0") + int(chr(cp)) for cp in range(0x110000) if chr(cp).isdecimal()}
"""Every decimal digit (Arabic-Indic, Devanagari, fullwidth, ...) to its ASCII digit, so a
figure is the same figure in any script ("٢٠٢٣" == "2023")."""


def tokenize(normalized: str) -> list[str]:
    """Words of normalised text: runs of Unicode letters, digits and underscore, except
    that each letter of a script written without spaces (Chinese, Japanese, Thai, ...;
    see :mod:`dedup.text.scripts`) is a token by itself."""
    return TOKEN.findall(normalized)


def hash_tokens(tokens: list[str]) -> np.ndarray:
    """xxh3-64 of each token's UTF-8 bytes (seed 0), as uint64."""
    digest = xxhash.xxh3_64_intdigest
    return np.fromiter((digest(t.encode("utf-8")) for t in tokens), dtype=U64, count=len(tokens))


def chain_ngrams(token_hashes: np.ndarray, size: int) -> np.ndarray:
    """Hash of every run of ``size`` consecutive tokens (not deduplicated)."""
    count = token_hashes.size
    if count == 0:
        return EMPTY
    if _kernels.AVAILABLE:
        return _kernels.chain_ngrams(token_hashes, size)
    size = min(size, count)
    windows = count - size + 1
    acc = token_hashes[:windows].copy()
    for offset in range(1, size):
        acc = fmix64(acc * CHAIN + token_hashes[offset : offset + windows])
    return acc


def word_ngrams(normalized: str, size: int) -> np.ndarray:
    """Hash of every word ``size``-gram of normalised text, in reading order (not
    deduplicated; the compiled tokeniser when present, the same values either way)."""
    return chain_ngrams(_token_hashes_and_starts(normalized)[0], size)


def shingles(normalized: str, size: int) -> np.ndarray:
    """Sorted unique uint64 hashes of the word ``size``-grams of normalised text.

    Args:
        normalized: Text from :func:`dedup.text.normalize.normalize`.
        size: Words per shingle.

    Returns:
        A sorted array without repeats; empty when the text has no words.
    """
    return sorted_unique(chain_ngrams(hash_tokens(tokenize(normalized)), size))


class BodyShingles(NamedTuple):
    """The shingle sets of one body, each sorted unique uint64."""

    shingles: np.ndarray
    """Every shingle."""
    own: np.ndarray
    """Shingles none of whose words is inside a quotation (a subset of ``shingles``)."""
    lede: np.ndarray
    """The first ``lede`` shingles in reading order: the beginning that teasers and
    trimmed copies keep."""
    head: np.ndarray
    """The first :data:`HEAD_SHINGLES` shingles in reading order, not sorted: where a
    text begins, to tell a truncation from a passage inside another text."""
    lede_passages: np.ndarray
    """The passage keys of the lede (:func:`passage_keys` of its words; empty without a full lede).
    Those of the whole body: :func:`body_passages`."""


HEAD_SHINGLES = 128
PASSAGE_WORDS = 9
"""Words in a passage key: a run this long is rarely shared by chance."""
PASSAGE_SAMPLE = 4
"""One run in this many (by its hash) is a key; a lede of 24 words has 16 runs, so it
lacks a key about once in a hundred ledes."""


def passage_keys(token_hashes: np.ndarray) -> np.ndarray:
    """Sorted unique keys of the sampled :data:`PASSAGE_WORDS`-word runs of a text's
    token hashes (empty for a shorter text).

    Example:
        >>> words = hash_tokens("one two three four five six seven eight nine ten eleven twelve".split())
        >>> bool(np.isin(passage_keys(words[:10]), passage_keys(words)).all())
        True
    """
    if token_hashes.size < PASSAGE_WORDS:
        return EMPTY
    runs = chain_ngrams(token_hashes, PASSAGE_WORDS)
    return sorted_unique(runs[runs % U64(PASSAGE_SAMPLE) == 0])


def _body_text(body: str, casefold: bool) -> str:
    """A body as it is tokenised: its non-empty lines, folded, one per line."""
    paragraphs = [p for p in body.split("\n") if p.strip()]
    return "\n".join(fold(p) if casefold else p for p in paragraphs)


def body_passages(body: str, casefold: bool = True) -> np.ndarray:
    """The passage keys of a whole cleaned body (tokenised as :func:`body_shingles` does)."""
    return passage_keys(_token_hashes_and_starts(_body_text(body, casefold))[0])


def body_shingles(body: str, size: int, casefold: bool = True, lede: int = 20) -> BodyShingles:
    """All shingles of an article body, its own-words shingles and its lede shingles.

    Args:
        body: Cleaned body text, paragraphs separated by line breaks.
        size: Words per shingle.
        casefold: Fold case (the normal setting).
        lede: How many shingles from the start make the lede set.

    Returns:
        The sets, and the head in reading order.

    Example:
        >>> sets = body_shingles('Ek said "we rolled this out wrong" at the conference on Wednesday', 3)
        >>> sets.shingles.size > sets.own.size > 0
        True
    """
    text = _body_text(body, casefold)
    hashes, starts = _token_hashes_and_starts(text)
    ngrams = chain_ngrams(hashes, size)
    if ngrams.size == 0:
        return BodyShingles(EMPTY, EMPTY, EMPTY, EMPTY, EMPTY)
    quoted = np.zeros(hashes.size, dtype=bool)
    spans = quoted_spans(text)
    if spans:
        for a, b in spans:
            quoted[(starts >= a) & (starts < b)] = True
    window = min(size, hashes.size)
    # A window is own words when none of its tokens is quoted.
    quoted_in_window = np.convolve(quoted.astype(np.int64), np.ones(window, dtype=np.int64), mode="valid")
    own = ngrams[quoted_in_window == 0]
    # A full lede of ``lede`` shingles spans lede + size - 1 words.
    lede_passages = passage_keys(hashes[: lede + size - 1]) if ngrams.size >= lede > 0 else EMPTY
    return BodyShingles(
        sorted_unique(ngrams), sorted_unique(own), sorted_unique(ngrams[:lede]), ngrams[:HEAD_SHINGLES].copy(),
        lede_passages,
    )


def _token_hashes_and_starts(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of ``text`` and each token's start as a character offset (the
    compiled kernel when present; the same values either way)."""
    if not _kernels.AVAILABLE:
        matches = list(TOKEN.finditer(text))
        starts = np.fromiter((m.start() for m in matches), dtype=np.int64, count=len(matches))
        return hash_tokens([m.group(0) for m in matches]), starts
    hashes, byte_starts = _kernels.token_hashes(text)
    if text.isascii():
        return hashes, byte_starts
    # Byte offsets -> character offsets: count the characters before each start.
    encoded = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    char_starts = np.cumsum((encoded & 0xC0) != 0x80) - 1  # index of the character holding each byte
    return hashes, char_starts[byte_starts].astype(np.int64)


def body_figures(body: str) -> np.ndarray:
    """Sorted unique xxh3-64 hashes of the figures (numbers) in a body.

    Thousands separators are dropped ("1,000" == "1000") and digits of any script read
    as ASCII digits ("٢٠٢٣" == "2023"). Figures carry a report's
    facts: two template items with the same words but different figures (another
    day's rates, another company's results) report different news.

    Example:
        >>> body_figures("Profit rose 5% to 1,200 mln dlrs from 1200 in 2023.").size
        3
    """
    digest = xxhash.xxh3_64_intdigest
    found = {m.group(0).replace(",", "").translate(ASCII_DIGITS) for m in FIGURE.finditer(body)}
    return np.array(sorted(digest(f.encode("ascii")) for f in found), dtype=U64)
