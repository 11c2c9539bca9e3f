"""Fixed 64/32-bit mixing functions, and array helpers, shared by the array stages.

All arithmetic is on numpy unsigned arrays, where multiplication wraps modulo
2^w by design (numpy raises no overflow warning for arrays).
"""

from __future__ import annotations

import numpy as np

U64 = np.uint64
U32 = np.uint32
# Multiplier that chains token hashes into an n-gram hash (odd, from splitmix64).
CHAIN = U64(0x9E3779B97F4A7C15)


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: an avalanching bijection on uint64."""
    h = values.astype(U64, copy=True)
    h ^= h >> U64(33)
    h *= U64(0xFF51AFD7ED558CCD)
    h ^= h >> U64(33)
    h *= U64(0xC4CEB9FE1A85EC53)
    h ^= h >> U64(33)
    return h


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it to every input hash."""
    h = values.astype(U32, copy=True)
    h ^= h >> U32(16)
    h *= U32(0x85EBCA6B)
    h ^= h >> U32(13)
    h *= U32(0xC2B2AE35)
    h ^= h >> U32(16)
    return h


def fold32(values: np.ndarray) -> np.ndarray:
    """Fold 64-bit hashes to 32 bits (high half xor low half)."""
    v = values.astype(U64, copy=False)
    return ((v >> U64(32)) ^ (v & U64(0xFFFFFFFF))).astype(U32)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-d array, by sorting (numpy's hash-based unique costs about
    eight times more on the few hundred values of an article; it also serves for a band's pairs)."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
