"""MinHash signatures: one uint32 matrix for a batch.

The scheme is datasketch's ``affine32`` (datasketch >= 2.0), bit for bit: a
shingle's 64-bit hash is folded to 32 bits, pre-mixed with MurmurHash3's fmix32,
and permuted as ``a_k * h + b_k mod 2**32`` with odd ``a_k``; ``a`` and ``b`` are
drawn from ``numpy.random.RandomState(seed)`` exactly as datasketch draws them. A
row therefore equals ``datasketch.MinHash(num_perm, seed, scheme="affine32")``
updated with the folded shingle hashes, and exports losslessly as a LeanMinHash.

Example:
    >>> from dedup.shingle import shingles
    >>> sig = signatures([shingles("a b c d e f g", 5)], num_perm=16, seed=1)
    >>> sig.shape, sig.dtype.name
    ((1, 16), 'uint32')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dedup import _kernels
from dedup._hashing import U32, fmix32, fold32

EMPTY_VALUE = np.uint32(0xFFFFFFFF)


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` parameters of the affine permutations, as datasketch draws them."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=U32) * U32(2) + U32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=U32)
    return a, b


def signature(shingle_hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The MinHash signature of one shingle set (all ``0xFFFFFFFF`` when empty)."""
    if shingle_hashes.size == 0:
        return np.full(a.size, EMPTY_VALUE, dtype=U32)
    h = fmix32(fold32(shingle_hashes))
    return (h[:, None] * a[None, :] + b[None, :]).min(axis=0)


def signatures(shingle_sets: Sequence[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """Signatures of a batch: ``uint32[len(shingle_sets), num_perm]``, one row per set
    (in the compiled kernel when numba is present; the same bits either way)."""
    a, b = permutations(num_perm, seed)
    if _kernels.AVAILABLE:
        return _kernels.shingle_signatures(list(shingle_sets), a, b)
    out = np.empty((len(shingle_sets), num_perm), dtype=U32)
    for row, hashes in enumerate(shingle_sets):
        out[row] = signature(hashes, a, b)
    return out


def to_datasketch(signature_row: np.ndarray, seed: int) -> Any:
    """Export one signature as a ``datasketch.LeanMinHash`` (needs datasketch >= 2.0).

    Example:
        >>> lean = to_datasketch(signatures([np.arange(3, dtype=np.uint64)], 8, 1)[0], 1)
        >>> lean.scheme
        'affine32'
    """
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=np.asarray(signature_row, dtype=U32), scheme="affine32")


def datasketch_input(shingle_hashes: np.ndarray) -> list[int]:
    """The values to feed ``datasketch.MinHash.update`` (with an identity ``hashfunc``)
    to reproduce :func:`signature`: the folded 32-bit shingle hashes."""
    return [int(v) for v in fold32(shingle_hashes)]
