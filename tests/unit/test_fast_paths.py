"""The cleaner's and normaliser's fast paths give exactly what the general paths give.

Each fast path skips work when a cheap test proves it would change nothing (a page
without any junk keyword, ASCII text without runs of spaces); these tests compare
them with the general code on text built to hit the edges.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import _kernels
from dedup._hashing import sorted_unique
from dedup.shingle import chain_ngrams
from dedup.text import clean as clean_module
from dedup.text.clean import (
    _CAPTION_SENTENCE,
    _EVERYTHING,
    _IGNORECASE_TO_ASCII,
    _INLINE_CREDIT,
    _JUNK_PHRASES,
    WORD,
    _blocks,
    _PageScan,
    clean,
    ends_sentence,
    split_sentences,
    word_count,
)
from dedup.text.normalize import _ANY_SPACE, _CONTROL, _INLINE_SPACE, fold, repair

# Fragments of every junk pattern, in odd cases and with the characters that match
# ASCII letters when case is ignored (dotless i, long s, Kelvin sign).
JUNK = [
    "© 2023 The Associated Press. All rights reserved.", "(c) 2019", "Copyright by Reuters",
    "may not be published, broadcast", "for your personal, non-commercial use only",
    "We use cookies", "This website uses cookies", "By continuing to browse this site",
    "Subscribe now", "subscribe to our daily newsletter", "Already a subscriber?", "Register for free",
    "Log in to comment", "Continue reading", "never miss a story", "Please enable JavaScript",
    "this story has not been edited by", "The views expressed here are",
    "(AP Photo/Evan Vucci)", "Image credit: NASA", "Photo by Jane Doe", "Getty Images", "Photograph: PA",
    "Photo: Reuters", "Screenshot:", "(Jane Doe/The Times)", "Email: desk@example.com", "a@b.co",
    "In this June 30, 2013 file photo, R. Kelly performs.", "AP, file", "In this image provided by NASA, a rocket",
    "ſubſcribe now", "CooKie policy", "COPYRIGHT 2020", "İn this photo, a man", "ıllustration:",
    "Home | News | Sport", "Updated: 13-07-2023 23:24 IST", "Trending", "Read more:",
]
PROSE = [
    "The mayor said on Monday that the council would vote on the budget next week.",
    "Mr. Smith went to Washington. He said the U.S. economy grew 2.5% in the third quarter!",
    "Prices rose sharply, analysts said, citing \"strong demand\" in Asia and Europe.",
    "caf\u00e9 owners in M\u00fcnchen said \u00bd of sales came from tourists \u2014 a record",
    "short line", "Menu", "Share on Facebook", "Photos of the day", "image of the city",
]
PIECE = st.sampled_from(JUNK + PROSE)
SEPARATOR = st.sampled_from(["\n", "\n\n", " ", "  ", "\t", "\n ", " \n"])


@st.composite
def pages(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(PIECE, min_size=1, max_size=14))
    separators = draw(st.lists(SEPARATOR, min_size=len(pieces), max_size=len(pieces)))
    return "".join(p + s for p, s in zip(pieces, separators))


def test_ignorecase_table_covers_every_code_point():
    """Every non-ASCII character that an ASCII letter matches with IGNORECASE lowers
    to that letter after ``_IGNORECASE_TO_ASCII`` (the literal prefilter's premise)."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    for code in range(128, sys.maxunicode + 1):
        char = chr(code)
        if letter.fullmatch(char):
            assert char.translate(_IGNORECASE_TO_ASCII).lower() in "abcdefghijklmnopqrstuvwxyz", hex(code)
            assert re.fullmatch(char.translate(_IGNORECASE_TO_ASCII).lower(), char, re.IGNORECASE)


@settings(max_examples=300, deadline=None)
@given(pages())
def test_page_scan_never_misses_a_pattern_that_matches(page):
    blocks = _blocks(repair(page, fix_mojibake=False))
    scan = _PageScan.of(blocks)
    present = {kind for kind, _ in scan.junk_kinds}
    for kind, pattern in _JUNK_PHRASES:
        if any(pattern.search(b) for b in blocks):
            assert kind in present, kind
    sentences = [s for b in blocks for s in split_sentences(b)]
    if any(_INLINE_CREDIT.search(s) for s in sentences):
        assert scan.inline_credits
    if any(_CAPTION_SENTENCE.search(s) for s in sentences):
        assert scan.captions
    if any(len(re.findall(r"\s\|\s", b)) >= 2 for b in blocks):
        assert scan.pipes


def test_page_scan_rules_out_junk_on_plain_prose():
    scan = _PageScan.of(["The council voted on Monday to raise the budget by 2%.", "Critics said it was too little."])
    assert scan.junk_kinds == () and not scan.inline_credits and not scan.captions and not scan.pipes


@settings(max_examples=300, deadline=None)
@given(pages())
def test_clean_with_page_scan_equals_clean_trying_every_pattern(page):
    repaired = repair(page, fix_mojibake=False)
    fast = clean(repaired)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clean_module._PageScan, "of", classmethod(lambda cls, blocks: _EVERYTHING))
        full = clean(repaired)
    assert fast == full


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_word_count_equals_findall(text):
    assert word_count(text) == len(WORD.findall(text))


@pytest.mark.parametrize("text", ["", "a", "a_b-c", "x1 2y", "\x00word\x7f", "9:52 PM", "é", "U.S.A"])
def test_word_count_examples(text):
    assert word_count(text) == len(WORD.findall(text))


SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?…\"'”’)]\n(["))))
def test_ends_sentence_equals_the_regular_expression(text):
    assert ends_sentence(text) == bool(SENTENCE_END.search(text))


def fold_reference(text: str) -> str:
    return _ANY_SPACE.sub(" ", unicodedata.normalize("NFKC", text.casefold())).strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_fold_equals_the_general_path(text):
    assert fold(text) == fold_reference(text)


def repair_ascii_reference(text: str) -> str:
    """``repair`` of ASCII text without entities, line by line as the general path does."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("`", "'"))
    return "\n".join(_INLINE_SPACE.sub(" ", line).rstrip() for line in text.split("\n"))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\x0b\x0c\x1c\x00`"))))
def test_repair_of_ascii_equals_the_line_by_line_rule(text):
    assert repair(text) == repair_ascii_reference(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=60))
def test_sorted_unique_equals_numpy_unique(values):
    array = np.array(values, dtype=np.uint64)
    assert np.array_equal(sorted_unique(array), np.unique(array))
    assert sorted_unique(array).dtype == np.uint64


@pytest.mark.skipif(not _kernels.AVAILABLE, reason="numba is not installed: pip install numba")
@pytest.mark.parametrize("size", [1, 3, 5, 9])
@pytest.mark.parametrize("count", [0, 1, 4, 5, 6, 40])
def test_compiled_chain_ngrams_equal_the_numpy_path(size, count, monkeypatch):
    hashes = np.random.default_rng(count * 10 + size).integers(0, 2**64 - 1, count, dtype=np.uint64)
    compiled = chain_ngrams(hashes, size)
    monkeypatch.setattr(_kernels, "AVAILABLE", False)
    assert np.array_equal(compiled, chain_ngrams(hashes, size))


LITERAL_TEXT = st.lists(
    st.one_of(
        st.sampled_from(sorted(clean_module._IGNORING_CASE.strings + clean_module._CASED.strings)),
        st.text(max_size=12),
        st.sampled_from(["©", "(", "/", "@", "c", "co", "coo", "\u00e9", "\U0001f600"]),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(LITERAL_TEXT)
def test_literal_scan_finds_exactly_the_literals_in_the_text(text):
    for literals in (clean_module._IGNORING_CASE, clean_module._CASED):
        found = literals.found(text)
        assert {literal for k, literal in enumerate(literals.strings) if found >> k & 1} == {
            literal for literal in literals.strings if literal in text
        }


@settings(max_examples=200, deadline=None)
@given(pages())
def test_literal_scan_passes_the_kinds_that_the_substring_tests_pass(page):
    lowered = page.translate(_IGNORECASE_TO_ASCII).lower()
    for kind in clean_module._LITERALS:
        text = page if kind == "inline-credit" else lowered
        literals = clean_module._CASED if kind == "inline-credit" else clean_module._IGNORING_CASE
        assert literals.passes(kind, literals.found(text)) == clean_module._mentions(text, kind)


@pytest.mark.parametrize(
    "page",
    [
        "The mayor said the bridge would open on Monday. The mayor said the bridge would open on Monday.",
        "The mayor said the bridge would open on Monday morning.\nCritics said so. The mayor said the bridge "
        "would open on Monday morning.",
        "THE MAYOR SAID THE BRIDGE WOULD OPEN ON MONDAY. The mayor said the bridge would open on Monday.",
    ],
)
def test_a_repeated_sentence_is_removed_even_on_a_plain_page(page):
    cleaned = clean(page)
    assert [r.kind for r in cleaned.removed] == ["repeat"]
    assert cleaned.body.lower().count("the mayor said the bridge would open on monday") == 1


def test_the_other_spaces_are_every_whitespace_character_but_space_and_line_break():
    spaces = re.compile(r"\s")
    every = {chr(code) for code in range(sys.maxunicode + 1) if spaces.match(chr(code))}
    assert set(clean_module._SPACES_BUT_SPACE_AND_LINE_BREAK) == every - {" ", "\n"}
    assert all(c.isspace() for c in every)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "\t", "\u00a0", "\u3000", "\u2029", "b c"]), max_size=10).map("".join))
def test_page_scan_space_tests_equal_the_regular_expression(page):
    scan = _PageScan.of([page])
    runs = re.search(r"\s{2,}", page) is not None
    assert scan.plain_spaces == (not runs and re.search(r"[^\S \n]", page) is None)
    if runs:
        assert scan.inline_credits
