"""Compiled hot path (numba): UTF-8 text -> token hashes -> shingle hashes -> MinHash.

Bit-identical to the reference numpy/Python path (:mod:`dedup.shingle`,
:mod:`dedup.minhash`), which stays as the fallback when numba is missing:

* tokens are maximal runs of word characters, exactly Python's ``re`` ``\\w`` on
  ``str`` (a lookup table built from ``re`` itself decides every code point);
* a token's hash is XXH3-64 (seed 0) of its UTF-8 bytes, the same function as
  ``xxhash.xxh3_64_intdigest``, implemented here after the reference C code
  (https://github.com/Cyan4973/xxHash, ``xxhash.h``) and tested equal to it on
  every length path (0-3, 4-8, 9-16, 17-128, 129-240 and long inputs);
* n-gram hashes chain token hashes through fmix64, as :func:`dedup.shingle.chain_ngrams`;
* signatures are datasketch's ``affine32`` scheme, as :func:`dedup.minhash.signature`.

All arithmetic is on ``uint64``/``uint32`` values, which wrap by definition, so the
results do not depend on the machine.
"""

from __future__ import annotations

import re

import numpy as np

try:  # numba is a dependency, but a missing or broken install must not break dedup
    import numba

    AVAILABLE = True
except ImportError:  # pragma: no cover - exercised only without numba
    numba = None  # type: ignore[assignment]
    AVAILABLE = False

# XXH3's default secret (kSecret, 192 bytes).
_SECRET = np.frombuffer(
    bytes.fromhex(
        "b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f"
        "cb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c"
        "3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8"
        "a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364"
        "eac5ac8334d3ebc3c581a0fffa1363eb170ddd51b7f0da49d316552629d4689e"
        "2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e"
    ),
    dtype=np.uint8,
).copy()

_WORD_TABLE: np.ndarray | None = None


def word_table() -> np.ndarray:
    """``bool[0x110000]``: which code points Python's ``re`` counts as ``\\w`` in ``str``."""
    global _WORD_TABLE
    if _WORD_TABLE is None:
        every = "".join(map(chr, range(0xD800))) + "\ufffd" * 0x800 + "".join(map(chr, range(0xE000, 0x110000)))
        table = np.zeros(0x110000, dtype=np.bool_)
        for match in re.finditer(r"\w+", every):
            table[match.start() : match.end()] = True
        table[0xD800:0xE000] = False  # surrogates never reach UTF-8 text
        _WORD_TABLE = table
    return _WORD_TABLE


if AVAILABLE:
    _njit = numba.njit(cache=True, nogil=True, inline="always")
    _njit_loop = numba.njit(cache=True, nogil=True)

    _P32_1 = np.uint64(0x9E3779B1)
    _P32_2 = np.uint64(0x85EBCA77)
    _P32_3 = np.uint64(0xC2B2AE3D)
    _P64_1 = np.uint64(0x9E3779B185EBCA87)
    _P64_2 = np.uint64(0xC2B2AE3D27D4EB4F)
    _P64_3 = np.uint64(0x165667B19E3779F9)
    _P64_4 = np.uint64(0x85EBCA77C2B2AE63)
    _P64_5 = np.uint64(0x27D4EB2F165667C5)
    _PMX_1 = np.uint64(0x165667919E3779F9)
    _PMX_2 = np.uint64(0x9FB21C651E98DF25)
    _M32 = np.uint64(0xFFFFFFFF)
    _CHAIN = np.uint64(0x9E3779B97F4A7C15)

    @_njit
    def _read_le(buf: np.ndarray, i: int, width: int) -> np.uint64:
        """``width`` bytes from ``buf[i]`` as a little-endian unsigned integer."""
        v = np.uint64(0)
        for k in range(width):
            v |= np.uint64(buf[i + k]) << np.uint64(8 * k)
        return v

    @_njit
    def _rotl64(x: np.uint64, r: int) -> np.uint64:
        return (x << np.uint64(r)) | (x >> np.uint64(64 - r))

    @_njit
    def _swap64(x: np.uint64) -> np.uint64:
        out = np.uint64(0)
        for k in range(8):
            out = (out << np.uint64(8)) | ((x >> np.uint64(8 * k)) & np.uint64(0xFF))
        return out

    @_njit
    def _mul128_fold64(a: np.uint64, b: np.uint64) -> np.uint64:
        a_lo, a_hi = a & _M32, a >> np.uint64(32)
        b_lo, b_hi = b & _M32, b >> np.uint64(32)
        lo_lo = a_lo * b_lo
        hi_lo = a_hi * b_lo
        lo_hi = a_lo * b_hi
        hi_hi = a_hi * b_hi
        cross = (lo_lo >> np.uint64(32)) + (hi_lo & _M32) + lo_hi
        upper = (hi_lo >> np.uint64(32)) + (cross >> np.uint64(32)) + hi_hi
        lower = (cross << np.uint64(32)) | (lo_lo & _M32)
        return lower ^ upper

    @_njit
    def _xxh64_avalanche(h: np.uint64) -> np.uint64:
        h ^= h >> np.uint64(33)
        h *= _P64_2
        h ^= h >> np.uint64(29)
        h *= _P64_3
        h ^= h >> np.uint64(32)
        return h

    @_njit
    def _xxh3_avalanche(h: np.uint64) -> np.uint64:
        h ^= h >> np.uint64(37)
        h *= _PMX_1
        h ^= h >> np.uint64(32)
        return h

    @_njit
    def _rrmxmx(h: np.uint64, length: int) -> np.uint64:
        h ^= _rotl64(h, 49) ^ _rotl64(h, 24)
        h *= _PMX_2
        h ^= (h >> np.uint64(35)) + np.uint64(length)
        h *= _PMX_2
        h ^= h >> np.uint64(28)
        return h

    @_njit
    def _mix16(buf: np.ndarray, i: int, secret: np.ndarray, s: int) -> np.uint64:
        lo = _read_le(buf, i, 8) ^ _read_le(secret, s, 8)
        hi = _read_le(buf, i + 8, 8) ^ _read_le(secret, s + 8, 8)
        return _mul128_fold64(lo, hi)

    @_njit_loop
    def _xxh3_long(buf: np.ndarray, start: int, length: int, secret: np.ndarray) -> np.uint64:
        acc = np.empty(8, dtype=np.uint64)
        acc[0], acc[1], acc[2], acc[3] = _P32_3, _P64_1, _P64_2, _P64_3
        acc[4], acc[5], acc[6], acc[7] = _P64_4, _P32_2, _P64_5, _P32_1
        stripes_per_block = (192 - 64) // 8
        block_len = 64 * stripes_per_block
        blocks = (length - 1) // block_len
        for n in range(blocks):
            for s in range(stripes_per_block):
                _accumulate(acc, buf, start + n * block_len + s * 64, secret, s * 8)
            _scramble(acc, secret, 192 - 64)
        stripes = ((length - 1) - block_len * blocks) // 64
        for s in range(stripes):
            _accumulate(acc, buf, start + blocks * block_len + s * 64, secret, s * 8)
        _accumulate(acc, buf, start + length - 64, secret, 192 - 64 - 7)
        result = np.uint64(length) * _P64_1
        for i in range(4):
            result += _mul128_fold64(
                acc[2 * i] ^ _read_le(secret, 11 + 16 * i, 8), acc[2 * i + 1] ^ _read_le(secret, 11 + 16 * i + 8, 8)
            )
        return _xxh3_avalanche(result)

    @_njit
    def _accumulate(acc: np.ndarray, buf: np.ndarray, i: int, secret: np.ndarray, s: int) -> None:
        for k in range(8):
            value = _read_le(buf, i + 8 * k, 8)
            key = value ^ _read_le(secret, s + 8 * k, 8)
            acc[k ^ 1] += value
            acc[k] += (key & _M32) * (key >> np.uint64(32))

    @_njit
    def _scramble(acc: np.ndarray, secret: np.ndarray, s: int) -> None:
        for k in range(8):
            a = acc[k]
            a ^= a >> np.uint64(47)
            a ^= _read_le(secret, s + 8 * k, 8)
            a *= _P32_1
            acc[k] = a

    @_njit
    def xxh3_64(buf: np.ndarray, start: int, length: int, secret: np.ndarray) -> np.uint64:
        """XXH3-64, seed 0, of ``buf[start:start + length]``: inputs up to 16 bytes (most
        words) inline, longer ones in :func:`_xxh3_over16`."""
        if length <= 16:
            if length > 8:
                flip1 = _read_le(secret, 24, 8) ^ _read_le(secret, 32, 8)
                flip2 = _read_le(secret, 40, 8) ^ _read_le(secret, 48, 8)
                lo = _read_le(buf, start, 8) ^ flip1
                hi = _read_le(buf, start + length - 8, 8) ^ flip2
                acc = np.uint64(length) + _swap64(lo) + hi + _mul128_fold64(lo, hi)
                return _xxh3_avalanche(acc)
            if length >= 4:
                in1 = _read_le(buf, start, 4)
                in2 = _read_le(buf, start + length - 4, 4)
                flip = _read_le(secret, 8, 8) ^ _read_le(secret, 16, 8)
                keyed = (in2 + (in1 << np.uint64(32))) ^ flip
                return _rrmxmx(keyed, length)
            if length > 0:
                c1 = np.uint64(buf[start])
                c2 = np.uint64(buf[start + (length >> 1)])
                c3 = np.uint64(buf[start + length - 1])
                combined = (c1 << np.uint64(16)) | (c2 << np.uint64(24)) | c3 | (np.uint64(length) << np.uint64(8))
                flip = (_read_le(secret, 0, 4) ^ _read_le(secret, 4, 4)) & _M32
                return _xxh64_avalanche(combined ^ flip)
            return _xxh64_avalanche(_read_le(secret, 56, 8) ^ _read_le(secret, 64, 8))
        return _xxh3_over16(buf, start, length, secret)

    @_njit_loop
    def _xxh3_over16(buf: np.ndarray, start: int, length: int, secret: np.ndarray) -> np.uint64:
        if length <= 128:
            acc = np.uint64(length) * _P64_1
            if length > 32:
                if length > 64:
                    if length > 96:
                        acc += _mix16(buf, start + 48, secret, 96)
                        acc += _mix16(buf, start + length - 64, secret, 112)
                    acc += _mix16(buf, start + 32, secret, 64)
                    acc += _mix16(buf, start + length - 48, secret, 80)
                acc += _mix16(buf, start + 16, secret, 32)
                acc += _mix16(buf, start + length - 32, secret, 48)
            acc += _mix16(buf, start, secret, 0)
            acc += _mix16(buf, start + length - 16, secret, 16)
            return _xxh3_avalanche(acc)
        if length <= 240:
            acc = np.uint64(length) * _P64_1
            rounds = length // 16
            for i in range(8):
                acc += _mix16(buf, start + 16 * i, secret, 16 * i)
            acc = _xxh3_avalanche(acc)
            for i in range(8, rounds):
                acc += _mix16(buf, start + 16 * i, secret, 16 * (i - 8) + 3)
            acc += _mix16(buf, start + length - 16, secret, 136 - 17)
            return _xxh3_avalanche(acc)
        return _xxh3_long(buf, start, length, secret)

    @_njit
    def _char_at(buf: np.ndarray, i: int, table: np.ndarray) -> tuple[bool, int]:
        """Whether the UTF-8 character at ``buf[i]`` is a word character, and its width."""
        lead = buf[i]
        if lead < 0x80:
            return table[lead], 1
        if lead < 0xE0:
            cp = ((np.int64(lead) & 0x1F) << 6) | (np.int64(buf[i + 1]) & 0x3F)
            return table[cp], 2
        if lead < 0xF0:
            cp = ((np.int64(lead) & 0x0F) << 12) | ((np.int64(buf[i + 1]) & 0x3F) << 6) | (np.int64(buf[i + 2]) & 0x3F)
            return table[cp], 3
        cp = (
            ((np.int64(lead) & 0x07) << 18) | ((np.int64(buf[i + 1]) & 0x3F) << 12)
            | ((np.int64(buf[i + 2]) & 0x3F) << 6) | (np.int64(buf[i + 3]) & 0x3F)
        )
        return table[cp], 4

    @_njit_loop
    def _tokens(
        buf: np.ndarray, start: int, end: int, table: np.ndarray, secret: np.ndarray,
        hashes: np.ndarray, starts: np.ndarray, scratch: np.ndarray,
    ) -> int:
        """Hash the word tokens of ``buf[start:end]`` (UTF-8) into ``hashes``; their byte
        offsets go to ``starts``. ASCII capitals are hashed as lower case (``scratch`` holds
        the lowered token), which equals casefolding for ASCII text. Returns the token count."""
        count = 0
        i = start
        while i < end:
            # skip to the next word character
            is_word, width = _char_at(buf, i, table)
            while not is_word:
                i += width
                if i >= end:
                    return count
                is_word, width = _char_at(buf, i, table)
            token_start = i
            capitals = False
            while is_word:
                lead = buf[i]
                capitals |= 0x41 <= lead <= 0x5A
                i += width
                if i >= end:
                    break
                is_word, width = _char_at(buf, i, table)
            length = i - token_start
            if capitals:
                for k in range(length):
                    c = buf[token_start + k]
                    scratch[k] = c + 32 if 0x41 <= c <= 0x5A else c
                hashes[count] = xxh3_64(scratch, 0, length, secret)
            else:
                hashes[count] = xxh3_64(buf, token_start, length, secret)
            starts[count] = token_start
            count += 1
        return count

    @_njit
    def _fmix64(h: np.uint64) -> np.uint64:
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xFF51AFD7ED558CCD)
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xC4CEB9FE1A85EC53)
        h ^= h >> np.uint64(33)
        return h

    @_njit_loop
    def _chain(token_hashes: np.ndarray, count: int, size: int, out: np.ndarray) -> int:
        """N-gram hashes of the first ``count`` token hashes into ``out``; returns how many."""
        if count == 0:
            return 0
        size = min(size, count)
        windows = count - size + 1
        for w in range(windows):
            acc = token_hashes[w]
            for offset in range(1, size):
                acc = _fmix64(acc * _CHAIN + token_hashes[w + offset])
            out[w] = acc
        return windows

    @_njit_loop
    def _minhash_into(shingle_hashes: np.ndarray, count: int, a: np.ndarray, b: np.ndarray, row: np.ndarray) -> None:
        """affine32 MinHash of ``shingle_hashes[:count]`` into ``row`` (duplicates are harmless)."""
        num_perm = a.size
        for k in range(num_perm):
            row[k] = np.uint32(0xFFFFFFFF)
        for s in range(count):
            # fold to 32 bits, then fmix32; uint64 arithmetic masked to 32 bits
            # (numba widens uint32 products, so every step is masked explicitly)
            v = shingle_hashes[s]
            h = ((v >> np.uint64(32)) ^ v) & _M32
            h ^= h >> np.uint64(16)
            h = (h * np.uint64(0x85EBCA6B)) & _M32
            h ^= h >> np.uint64(13)
            h = (h * np.uint64(0xC2B2AE35)) & _M32
            h ^= h >> np.uint64(16)
            h32 = np.uint32(h)
            for k in range(num_perm):
                row[k] = min(row[k], np.uint32(a[k] * h32 + b[k]))

    @_njit_loop
    def _batch_signatures(
        buf: np.ndarray, offsets: np.ndarray, size: int, a: np.ndarray, b: np.ndarray,
        table: np.ndarray, secret: np.ndarray, out: np.ndarray,
    ) -> None:
        longest = 0
        for d in range(offsets.size - 1):
            longest = max(longest, offsets[d + 1] - offsets[d])
        hashes = np.empty(longest + 1, dtype=np.uint64)
        starts = np.empty(longest + 1, dtype=np.int64)
        grams = np.empty(longest + 1, dtype=np.uint64)
        scratch = np.empty(longest + 16, dtype=np.uint8)
        for d in range(offsets.size - 1):
            count = _tokens(buf, offsets[d], offsets[d + 1], table, secret, hashes, starts, scratch)
            windows = _chain(hashes, count, size, grams)
            _minhash_into(grams, windows, a, b, out[d])

    @_njit_loop
    def _token_hashes(
        buf: np.ndarray, size: int, table: np.ndarray, secret: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        hashes = np.empty(size + 1, dtype=np.uint64)
        starts = np.empty(size + 1, dtype=np.int64)
        scratch = np.empty(size + 16, dtype=np.uint8)
        count = _tokens(buf, 0, size, table, secret, hashes, starts, scratch)
        return hashes[:count].copy(), starts[:count].copy()


def token_hashes(normalized: str) -> tuple[np.ndarray, np.ndarray]:
    """xxh3-64 hashes of the ``\\w+`` tokens of ``normalized`` (ASCII capitals hashed
    as lower case) and their UTF-8 byte offsets."""
    encoded = normalized.encode("utf-8")
    buf = np.frombuffer(encoded, dtype=np.uint8)
    return _token_hashes(buf, len(encoded), word_table(), _SECRET)


def xxh3(data: bytes) -> int:
    """XXH3-64 (seed 0) of ``data`` through the compiled kernel (for tests)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    return int(xxh3_64(buf, 0, buf.size, _SECRET))


def text_signatures(normalized_texts: list[str], size: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signatures of normalised texts in one compiled pass.

    Args:
        normalized_texts: Texts already normalised (see :func:`dedup.text.normalize.fold`);
            ASCII text may keep its capitals, which are hashed as lower case.
        size: Words per shingle.
        a: Permutation multipliers (:func:`dedup.minhash.permutations`).
        b: Permutation offsets.

    Returns:
        ``uint32[len(normalized_texts), len(a)]``; a text without words gets all ``0xFFFFFFFF``.
    """
    encoded = [t.encode("utf-8") for t in normalized_texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    out = np.empty((len(encoded), a.size), dtype=np.uint32)
    _batch_signatures(buf, offsets, size, a, b, word_table(), _SECRET, out)
    return out
