"""Shingling: normalised text -> sorted, unique uint64 hashes of word n-grams.

Each token is hashed once with xxh3-64 (stable across machines, runs and Python
versions; never Python's ``hash()``); an n-gram's hash chains its token hashes
through MurmurHash3's finalizer. A text with fewer words than the shingle size
becomes one shingle of all its words.

Example:
    >>> shingles("the mayor opened the new bridge", 5).size
    2
"""

from __future__ import annotations

import re

import numpy as np
import xxhash

from dedup._hashing import CHAIN, U64, fmix64

TOKEN = re.compile(r"\w+")
EMPTY = np.empty(0, dtype=U64)


def tokenize(normalized: str) -> list[str]:
    """Words of normalised text (runs of Unicode letters, digits and underscore)."""
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
    size = min(size, count)
    windows = count - size + 1
    acc = token_hashes[:windows].copy()
    for offset in range(1, size):
        acc = fmix64(acc * CHAIN + token_hashes[offset : offset + windows])
    return acc


def shingles(normalized: str, size: int) -> np.ndarray:
    """Sorted unique uint64 hashes of the word ``size``-grams of normalised text.

    Args:
        normalized: Text from :func:`dedup.text.normalize.normalize`.
        size: Words per shingle.

    Returns:
        A sorted array without repeats; empty when the text has no words.
    """
    return np.unique(chain_ngrams(hash_tokens(tokenize(normalized)), size))
