"""The compiled hot path gives the same bits as the reference path and as xxhash."""

from __future__ import annotations

import re

import numpy as np
import pytest
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import _kernels
from dedup.minhash import permutations, signatures
from dedup.pipeline import text_signatures
from dedup.shingle import body_shingles, hash_tokens, shingles, tokenize
from dedup.text.normalize import normalize

pytestmark = pytest.mark.skipif(not _kernels.AVAILABLE, reason="numba is not installed: pip install numba")

TEXTS = [
    "",
    "   \n  ",
    "one",
    "The Mayor OPENED the new bridge on Monday, 13 July 2023.",
    'He said "we rolled this out wrong" and left &amp; came back.',
    "ça va? naïve café — 1,000 ünïcödé ﬁve 𝔘𝔫𝔦 日本語のテキスト ١٢٣ snake_case",
    "Ã©tÃ© mojibake Â£5 and “curly” quotes ‘single’ … done",
    "x" * 300 + " " + "word " * 40,
]


@pytest.mark.parametrize("length", [*range(0, 300), 511, 512, 1023, 1024, 1025, 2048, 4000])
def test_xxh3_equals_xxhash_on_every_length_path(length):
    rng = np.random.default_rng(length)
    for _ in range(3):
        data = rng.integers(0, 256, length, dtype=np.uint8).tobytes()
        assert _kernels.xxh3(data) == xxhash.xxh3_64_intdigest(data)


def test_word_table_is_re_word_class():
    table = _kernels.word_table()
    for char in "aZ_9é٣日ßﬁ𝔘":
        assert table[ord(char)] and re.fullmatch(r"\w", char)
    for char in " -—'\".,!?€©\u00a0\u200b":
        assert not table[ord(char)] and not re.fullmatch(r"\w", char)


@pytest.mark.parametrize("text", TEXTS)
def test_token_hashes_equal_the_reference(text):
    folded = normalize(text)
    hashes, starts = _kernels.token_hashes(folded)
    assert np.array_equal(hashes, hash_tokens(tokenize(folded)))
    encoded = folded.encode("utf-8")
    assert [encoded[s:].decode("utf-8")[:1] for s in starts] == [t[:1] for t in tokenize(folded)]


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_token_hashes_equal_the_reference_on_any_text(text):
    folded = normalize(text)
    assert np.array_equal(_kernels.token_hashes(folded)[0], hash_tokens(tokenize(folded)))


def test_ascii_capitals_are_hashed_as_lower_case():
    assert np.array_equal(_kernels.token_hashes("The MAYOR Said")[0], hash_tokens(["the", "mayor", "said"]))


@pytest.mark.parametrize("size", [1, 3, 5])
def test_text_signatures_equal_the_reference_path(size):
    got = text_signatures(TEXTS, size, 64, 7)
    want = signatures([shingles(normalize(t), size) for t in TEXTS], 64, 7)
    assert got.dtype == np.uint32 and got.shape == (len(TEXTS), 64)
    assert np.array_equal(got, want)


def test_text_signatures_without_numba_give_the_same_bits(monkeypatch):
    compiled = text_signatures(TEXTS, 5, 32, 1)
    monkeypatch.setattr(_kernels, "AVAILABLE", False)
    assert np.array_equal(text_signatures(TEXTS, 5, 32, 1), compiled)


def test_batch_kernel_matches_row_by_row():
    a, b = permutations(16, 3)
    batch = _kernels.text_signatures([normalize(t) for t in TEXTS], 5, a, b)
    for row, text in zip(batch, TEXTS):
        assert np.array_equal(row, _kernels.text_signatures([normalize(text)], 5, a, b)[0])


def test_body_shingles_own_words_use_character_offsets_on_non_ascii_text(monkeypatch):
    body = 'Ünïcödé café reporters wrote that « the mayor » said "we rolled this out wrong" at the café today'
    compiled = body_shingles(body, 3)
    monkeypatch.setattr(_kernels, "AVAILABLE", False)
    reference = body_shingles(body, 3)
    for got, want in zip(compiled, reference):
        assert np.array_equal(got, want)
    assert 0 < compiled.own.size < compiled.shingles.size


def test_ascii_word_flags_are_re_word_class():
    src = np.arange(128, dtype=np.uint8)
    flags = np.empty(128, dtype=np.uint8)
    _kernels._word_flags_into(src, flags)
    assert flags.astype(bool).tolist() == [bool(re.fullmatch(r"\w", chr(c))) for c in range(128)]


@pytest.mark.parametrize("length", [*range(1, 40), 64, 129, 241, 300])
def test_tokens_of_every_length_hash_as_xxhash_on_both_paths(length):
    rng = np.random.default_rng(length)
    word = "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_"), length))
    for text in (f"{word} {word[:3]}. {word}", f"é {word} {word[:3]}. {word}"):  # ASCII, then UTF-8 walk
        want = hash_tokens(tokenize(text.lower()))
        assert np.array_equal(_kernels.token_hashes(text)[0], want), text


def test_signatures_do_not_depend_on_batch_neighbours_or_chunking(monkeypatch):
    texts = [f"{t} number {i}" for i, t in enumerate(TEXTS * 3)]
    a, b = permutations(16, 3)
    alone = np.vstack([_kernels.text_signatures([normalize(t)], 5, a, b) for t in texts])
    monkeypatch.setattr(_kernels, "_CHUNK", 4)  # ASCII-only and mixed chunks, several per call
    assert np.array_equal(_kernels.text_signatures([normalize(t) for t in texts], 5, a, b), alone)


def test_shingle_set_signatures_equal_the_numpy_path(monkeypatch):
    rng = np.random.default_rng(5)
    sets = [np.unique(rng.integers(0, 2**63, n, dtype=np.uint64)) for n in (0, 1, 7, 8, 9, 500)]
    compiled = signatures(sets, 64, 11)
    monkeypatch.setattr(_kernels, "AVAILABLE", False)
    assert np.array_equal(signatures(sets, 64, 11), compiled)
    assert (compiled[0] == 0xFFFFFFFF).all()
