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
import sys
from typing import Any

import numpy as np

from dedup._hashing import sorted_unique
from dedup.text.scripts import CHARACTER_RANGES

try:  # numba is a dependency, but a missing or broken install must not break dedup
    import numba
    from llvmlite import ir
    from numba.core import types
    from numba.extending import intrinsic

    # The unaligned loads below read little-endian words; elsewhere the numpy path runs.
    AVAILABLE = sys.byteorder == "little"
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


WORD, LETTER_TOKEN = 1, 2
SPACE, TERMINAL, CLOSER = 1, 2, 4
"""Flags of an ASCII byte for :func:`block_tables`: stripped from a line's ends, ends a
sentence, closes a quotation or bracket after a sentence end."""


def word_table() -> np.ndarray:
    """``uint8[0x110000]``: 0 where Python's ``re`` does not count the code point as
    ``\\w`` in ``str``; :data:`WORD` where it does; :data:`LETTER_TOKEN` for the word
    characters of scripts written without spaces, each a token by itself
    (:mod:`dedup.text.scripts`)."""
    global _WORD_TABLE
    if _WORD_TABLE is None:
        every = "".join(map(chr, range(0xD800))) + "\ufffd" * 0x800 + "".join(map(chr, range(0xE000, 0x110000)))
        table = np.zeros(0x110000, dtype=np.uint8)
        for match in re.finditer(r"\w+", every):
            table[match.start() : match.end()] = WORD
        table[0xD800:0xE000] = 0  # surrogates never reach UTF-8 text
        for low, high in CHARACTER_RANGES:
            block = table[low : high + 1]
            block[block == WORD] = LETTER_TOKEN
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

    def _secret_word(offset: int, width: int = 8) -> np.uint64:
        return np.uint64(int.from_bytes(_SECRET[offset : offset + width].tobytes(), "little"))

    # The secret words of the short-input paths, as compile-time constants.
    _FLIP_1TO3 = _secret_word(0, 4) ^ _secret_word(4, 4)
    _FLIP_4TO8 = _secret_word(8) ^ _secret_word(16)
    _FLIP_9TO16_LO = _secret_word(24) ^ _secret_word(32)
    _FLIP_9TO16_HI = _secret_word(40) ^ _secret_word(48)
    _EMPTY_HASH_KEY = _secret_word(56) ^ _secret_word(64)

    def _unaligned_load(bits: int) -> Any:  # builds a numba intrinsic
        """An intrinsic ``(uint8 array, index) -> uint64``: the ``bits``-wide little-endian
        word at ``array[index]``, read with one unaligned load (numba's indexing would
        read byte by byte, with a negative-index check on each)."""

        @intrinsic
        def load(typingctx: Any, array: Any, index: Any) -> Any:  # noqa: ARG001
            def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:  # noqa: ARG001
                data = context.make_array(signature.args[0])(context, builder, args[0]).data
                pointer = builder.bitcast(builder.gep(data, [args[1]]), ir.IntType(bits).as_pointer())
                value = builder.load(pointer, align=1)
                return value if bits == 64 else builder.zext(value, ir.IntType(64))

            return types.uint64(array, index), codegen

        return load

    _load64: Any = _unaligned_load(64)
    _load32: Any = _unaligned_load(32)

    @intrinsic
    def _mul128_fold64_intrinsic(typingctx: Any, a: Any, b: Any) -> Any:  # noqa: ARG001
        """XXH3's mul128_fold64: the 128-bit product of two uint64, low half xor high half."""

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:  # noqa: ARG001
            wide = ir.IntType(128)
            product = builder.mul(builder.zext(args[0], wide), builder.zext(args[1], wide))
            low = builder.trunc(product, ir.IntType(64))
            high = builder.trunc(builder.lshr(product, ir.Constant(wide, 64)), ir.IntType(64))
            return builder.xor(low, high)

        return types.uint64(types.uint64, types.uint64), codegen

    _mul128_fold64: Any = _mul128_fold64_intrinsic

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
        lo = _load64(buf, i) ^ _load64(secret, s)
        hi = _load64(buf, i + 8) ^ _load64(secret, s + 8)
        return _mul128_fold64(lo, hi)

    @_njit
    def _len_1to3(buf: np.ndarray, start: int, length: int) -> np.uint64:
        c1 = np.uint64(buf[start])
        c2 = np.uint64(buf[start + (length >> 1)])
        c3 = np.uint64(buf[start + length - 1])
        combined = (c1 << np.uint64(16)) | (c2 << np.uint64(24)) | c3 | (np.uint64(length) << np.uint64(8))
        return _xxh64_avalanche(combined ^ _FLIP_1TO3)

    @_njit
    def _len_4to8(buf: np.ndarray, start: int, length: int) -> np.uint64:
        in1 = _load32(buf, start)
        in2 = _load32(buf, start + length - 4)
        return _rrmxmx((in2 + (in1 << np.uint64(32))) ^ _FLIP_4TO8, length)

    @_njit
    def _len_9to16(buf: np.ndarray, start: int, length: int) -> np.uint64:
        lo = _load64(buf, start) ^ _FLIP_9TO16_LO
        hi = _load64(buf, start + length - 8) ^ _FLIP_9TO16_HI
        return _xxh3_avalanche(np.uint64(length) + _swap64(lo) + hi + _mul128_fold64(lo, hi))

    @_njit
    def _xxh3_word(buf: np.ndarray, start: int, length: int) -> np.uint64:
        """XXH3-64 of a 1-16 byte input without a branch: all three short paths are
        computed and the one for ``length`` is selected with masks, since word lengths
        are too irregular for branch prediction. ``buf`` must hold 8 readable bytes
        before ``start`` and from ``start`` on (the padded token buffers do)."""
        by_9to16 = np.uint64(0) - np.uint64(length > 8)
        by_4to8 = np.uint64(0) - np.uint64(length > 3)
        short = (_len_4to8(buf, start, length) & by_4to8) | (_len_1to3(buf, start, length) & ~by_4to8)
        return (_len_9to16(buf, start, length) & by_9to16) | (short & ~by_9to16)

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
                acc[2 * i] ^ _load64(secret, 11 + 16 * i), acc[2 * i + 1] ^ _load64(secret, 11 + 16 * i + 8)
            )
        return _xxh3_avalanche(result)

    @_njit
    def _accumulate(acc: np.ndarray, buf: np.ndarray, i: int, secret: np.ndarray, s: int) -> None:
        for k in range(8):
            value = _load64(buf, i + 8 * k)
            key = value ^ _load64(secret, s + 8 * k)
            acc[k ^ 1] += value
            acc[k] += (key & _M32) * (key >> np.uint64(32))

    @_njit
    def _scramble(acc: np.ndarray, secret: np.ndarray, s: int) -> None:
        for k in range(8):
            a = acc[k]
            a ^= a >> np.uint64(47)
            a ^= _load64(secret, s + 8 * k)
            a *= _P32_1
            acc[k] = a

    @_njit
    def xxh3_64(buf: np.ndarray, start: int, length: int, secret: np.ndarray) -> np.uint64:
        """XXH3-64, seed 0, of ``buf[start:start + length]`` (no padding needed)."""
        if length <= 16:
            if length > 8:
                return _len_9to16(buf, start, length)
            if length >= 4:
                return _len_4to8(buf, start, length)
            if length > 0:
                return _len_1to3(buf, start, length)
            return _xxh64_avalanche(_EMPTY_HASH_KEY)
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
    def _char_at(buf: np.ndarray, i: int, table: np.ndarray) -> tuple[int, int]:
        """The class of the UTF-8 character at ``buf[i]`` (see :func:`word_table`), and its width."""
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

    @_njit
    def _lower_ascii(c: np.uint8) -> np.uint8:
        return c + np.uint8(32) if np.uint8(c - np.uint8(0x41)) < np.uint8(26) else c

    @_njit_loop
    def _utf8_tokens(
        buf: np.ndarray, start: int, end: int, table: np.ndarray, secret: np.ndarray,
        hashes: np.ndarray, starts: np.ndarray, padded: np.ndarray,
    ) -> int:
        """Hash the word tokens of UTF-8 ``buf[start:end]`` into ``hashes`` and their
        byte offsets (from ``start``) into ``starts``; returns the count. Each token is
        copied into ``padded`` (after 8 bytes of padding), ASCII capitals lowered."""
        count = 0
        i = start
        while i < end:
            kind, width = _char_at(buf, i, table)
            while kind == 0:  # skip to the next word character
                i += width
                if i >= end:
                    return count
                kind, width = _char_at(buf, i, table)
            token_start = i
            if kind == 2:  # a letter of a script without spaces: a token alone
                i += width
            else:
                while kind == 1:
                    i += width
                    if i >= end:
                        break
                    kind, width = _char_at(buf, i, table)
            length = i - token_start
            for k in range(length):
                padded[8 + k] = _lower_ascii(buf[token_start + k])
            if length <= 16:
                hashes[count] = _xxh3_word(padded, 8, length)
            else:
                hashes[count] = _xxh3_over16(padded, 8, length, secret)
            starts[count] = token_start - start
            count += 1
        return count

    @_njit_loop
    def _is_ascii(src: np.ndarray) -> bool:
        seen = np.uint8(0)
        for i in range(src.size):
            seen |= src[i]
        return bool(seen < 0x80)

    @_njit_loop
    def _lower_into(src: np.ndarray, dst: np.ndarray) -> None:
        for i in range(src.size):
            c = src[i]
            folded = c | np.uint8(0x20)
            dst[i] = folded if np.uint8(folded - np.uint8(0x61)) < np.uint8(26) else c

    @_njit_loop
    def _word_flags_into(src: np.ndarray, dst: np.ndarray) -> None:
        """1 for ASCII's ``\\w`` ([0-9A-Za-z_]), else 0."""
        for i in range(src.size):
            c = src[i]
            letter = np.uint8((c | np.uint8(0x20)) - np.uint8(0x61)) < np.uint8(26)
            digit = np.uint8(c - np.uint8(0x30)) < np.uint8(10)
            dst[i] = np.uint8(letter | digit | (c == np.uint8(0x5F)))

    @_njit_loop
    def _changes_into(flags: np.ndarray, dst: np.ndarray) -> None:
        for i in range(dst.size):
            dst[i] = flags[i] ^ flags[i + 1]

    @_njit_loop
    def _ascii_tokens(
        buf: np.ndarray, start: int, end: int, secret: np.ndarray,
        hashes: np.ndarray, starts: np.ndarray, edges: np.ndarray, padded: np.ndarray, flags: np.ndarray,
        changes: np.ndarray,
    ) -> int:
        """As :func:`_utf8_tokens` for ASCII ``buf[start:end]``, in branch-free passes
        that the compiler vectorises: lower-case into ``padded``; flag the word bytes;
        mark where the flag changes; collect those places (token starts and ends
        alternate); hash. Returns -1, having done nothing, when the text is not ASCII."""
        src = buf[start:end]
        if not _is_ascii(src):
            return -1
        n = end - start
        _lower_into(src, padded[8 : 8 + n])
        flags[0] = 0
        _word_flags_into(src, flags[1 : n + 1])
        flags[n + 1] = 0
        _changes_into(flags[: n + 2], changes[: n + 1])
        found = 0
        for i in range(n + 1):
            edges[found] = i
            found += changes[i]
        count = found >> 1
        for t in range(count):
            first = edges[2 * t]
            starts[t] = first
            hashes[t] = _xxh3_word(padded, 8 + first, edges[2 * t + 1] - first)
        for t in range(count):  # the rare token over 16 bytes, apart: no branch above
            if edges[2 * t + 1] - edges[2 * t] > 16:
                hashes[t] = _xxh3_over16(padded, 8 + edges[2 * t], edges[2 * t + 1] - edges[2 * t], secret)
        return count

    @_njit
    def _scratch(size: int) -> tuple:
        """Work buffers for tokenising texts of up to ``size`` bytes."""
        return (
            np.empty(size + 2, dtype=np.int64),  # edges
            np.zeros(size + 32, dtype=np.uint8),  # padded (8 bytes before, 24 after)
            np.empty(size + 2, dtype=np.uint8),  # flags
            np.empty(size + 2, dtype=np.uint8),  # changes
        )

    @_njit
    def _doc_tokens(
        buf: np.ndarray, start: int, end: int, table: np.ndarray, secret: np.ndarray,
        hashes: np.ndarray, starts: np.ndarray, scratch: tuple,
    ) -> int:
        """Token hashes and starts of ``buf[start:end]``: the ASCII passes, or the UTF-8 walk.
        ``scratch`` is :func:`_scratch` for at least ``end - start`` bytes."""
        edges, padded, flags, changes = scratch
        count = _ascii_tokens(buf, start, end, secret, hashes, starts, edges, padded, flags, changes)
        if count < 0:
            count = _utf8_tokens(buf, start, end, table, secret, hashes, starts, padded)
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

    @_njit
    def _fold_fmix32(v: np.uint64) -> np.uint32:
        """A shingle hash folded to 32 bits, then MurmurHash3's fmix32 (uint64
        arithmetic masked to 32 bits: numba widens uint32 products)."""
        h = ((v >> np.uint64(32)) ^ v) & _M32
        h ^= h >> np.uint64(16)
        h = (h * np.uint64(0x85EBCA6B)) & _M32
        h ^= h >> np.uint64(13)
        h = (h * np.uint64(0xC2B2AE35)) & _M32
        h ^= h >> np.uint64(16)
        return np.uint32(h)

    @_njit_loop
    def _minhash_into(
        shingle_hashes: np.ndarray, count: int, a: np.ndarray, b: np.ndarray, row: np.ndarray, mixed: np.ndarray
    ) -> None:
        """affine32 MinHash of ``shingle_hashes[:count]`` into ``row`` (duplicates are
        harmless). Eight shingles share each pass over the permutations, so the row is
        loaded and stored once per eight; ``mixed`` is scratch of ``count + 8``."""
        for k in range(a.size):
            row[k] = np.uint32(0xFFFFFFFF)
        if count == 0:
            return
        for s in range(count):
            mixed[s] = _fold_fmix32(shingle_hashes[s])
        for s in range(count, count + 8):
            mixed[s] = mixed[0]  # pad with a repeat, which cannot change a minimum
        for s in range(0, count, 8):
            h0, h1, h2, h3 = mixed[s], mixed[s + 1], mixed[s + 2], mixed[s + 3]
            h4, h5, h6, h7 = mixed[s + 4], mixed[s + 5], mixed[s + 6], mixed[s + 7]
            for k in range(a.size):
                ak = a[k]
                bk = b[k]
                low = min(min(np.uint32(ak * h0 + bk), np.uint32(ak * h1 + bk)),
                          min(np.uint32(ak * h2 + bk), np.uint32(ak * h3 + bk)))
                high = min(min(np.uint32(ak * h4 + bk), np.uint32(ak * h5 + bk)),
                           min(np.uint32(ak * h6 + bk), np.uint32(ak * h7 + bk)))
                row[k] = min(row[k], min(low, high))

    @_njit_loop
    def _batch_signatures(
        buf: np.ndarray, offsets: np.ndarray, size: int, a: np.ndarray, b: np.ndarray,
        table: np.ndarray, secret: np.ndarray, out: np.ndarray,
    ) -> None:
        longest = 0
        for d in range(offsets.size - 1):
            longest = max(longest, offsets[d + 1] - offsets[d])
        hashes = np.empty(longest + 2, dtype=np.uint64)
        starts = np.empty(longest + 2, dtype=np.int64)
        grams = np.empty(longest + 2, dtype=np.uint64)
        mixed = np.empty(longest + 10, dtype=np.uint32)
        scratch = _scratch(longest)
        for d in range(offsets.size - 1):
            count = _doc_tokens(buf, offsets[d], offsets[d + 1], table, secret, hashes, starts, scratch)
            windows = _chain(hashes, count, size, grams)
            _minhash_into(grams, windows, a, b, out[d], mixed)

    @_njit_loop
    def _batch_minhash(
        flat: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray
    ) -> None:
        longest = 0
        for d in range(offsets.size - 1):
            longest = max(longest, offsets[d + 1] - offsets[d])
        mixed = np.empty(longest + 8, dtype=np.uint32)
        for d in range(offsets.size - 1):
            _minhash_into(flat[offsets[d] :], offsets[d + 1] - offsets[d], a, b, out[d], mixed)

    @_njit
    def _count_shared(x: np.ndarray, x_start: int, x_end: int, y: np.ndarray, y_start: int, y_end: int) -> int:
        """Values shared by sorted unique ``x[x_start:x_end]`` and ``y[y_start:y_end]``
        (a merge whose steps are comparisons, not branches)."""
        i, j, shared = x_start, y_start, 0
        while i < x_end and j < y_end:
            u = x[i]
            v = y[j]
            shared += u == v
            i += u <= v
            j += v <= u
        return shared

    @_njit_loop
    def _pair_overlaps(
        pairs: np.ndarray, flat: np.ndarray, offsets: np.ndarray, own: np.ndarray, own_offsets: np.ndarray,
        own_whole: np.ndarray, figures: np.ndarray, figure_offsets: np.ndarray, out: np.ndarray,
    ) -> None:
        for k in range(pairs.shape[0]):
            a = pairs[k, 0]
            b = pairs[k, 1]
            shared = _count_shared(flat, offsets[a], offsets[a + 1], flat, offsets[b], offsets[b + 1])
            out[k, 0] = shared
            if own_whole[a]:  # own words are all the shingles
                out[k, 1] = shared
            else:
                out[k, 1] = _count_shared(own, own_offsets[a], own_offsets[a + 1], flat, offsets[b], offsets[b + 1])
            if own_whole[b]:
                out[k, 2] = shared
            else:
                out[k, 2] = _count_shared(own, own_offsets[b], own_offsets[b + 1], flat, offsets[a], offsets[a + 1])
            out[k, 3] = _count_shared(
                figures, figure_offsets[a], figure_offsets[a + 1], figures, figure_offsets[b], figure_offsets[b + 1]
            )

    @_njit_loop
    def _band_keys(signatures: np.ndarray, first_band: int, rows: int, out: np.ndarray) -> None:
        """Keys of bands ``first_band ..`` (``out.shape[0]`` of them) of every row into
        ``out[band, row]``, as :func:`dedup.lsh.band_key`; rows in blocks, so each block
        of the matrix is read from cache for all the bands."""
        n = signatures.shape[0]
        for first_row in range(0, n, 256):
            last_row = min(n, first_row + 256)
            for j in range(out.shape[0]):
                band = first_band + j
                column = band * rows
                for r in range(first_row, last_row):
                    acc = _fmix64(np.uint64(signatures[r, column]) + np.uint64(band))
                    for c in range(1, rows):
                        acc = _fmix64(acc * _CHAIN + np.uint64(signatures[r, column + c]))
                    out[j, r] = acc

    @_njit_loop
    def _pack_keys(keys: np.ndarray, ranks: np.ndarray, rank_bits: int, out: np.ndarray) -> None:
        shift = np.uint64(rank_bits)
        for r in range(keys.size):
            out[r] = ((keys[r] >> shift) << shift) | ranks[r]

    @_njit_loop
    def _scan_runs(
        packed: np.ndarray, rank_bits: int, max_bucket: int, member_rank: np.ndarray, member_run: np.ndarray
    ) -> tuple[int, int, int]:
        """Runs of equal high bits in sorted ``packed``: the rank and run number of each
        row in a run of two or more; returns (rows in runs, largest run, runs over
        ``max_bucket``)."""
        shift = np.uint64(rank_bits)
        mask = (np.uint64(1) << shift) - np.uint64(1)
        n = packed.size
        count, runs, largest, oversized = 0, 0, 1, 0
        i = 0
        while i < n:
            high = packed[i] >> shift
            j = i + 1
            while j < n and (packed[j] >> shift) == high:
                j += 1
            if j - i > 1:
                largest = max(largest, j - i)
                oversized += (j - i) > max_bucket
                for k in range(i, j):
                    member_rank[count] = np.int64(packed[k] & mask)
                    member_run[count] = runs
                    count += 1
                runs += 1
            i = j
        return count, largest, oversized

    @_njit_loop
    def _find_literals(
        buf: np.ndarray, single: np.ndarray, starts: np.ndarray, items: np.ndarray, literals: np.ndarray,
        offsets: np.ndarray, found: np.ndarray,
    ) -> None:
        """Mark in ``found`` each literal that occurs in ``buf``: one pass over the
        bytes, trying at each position only the literals that begin with its two
        bytes (``starts``/``items`` list them by their first two bytes; ``single``
        maps a byte to its one-byte literal, or -1)."""
        n = buf.size
        for i in range(n):
            byte = np.int64(buf[i])
            if single[byte] >= 0:
                found[single[byte]] = True
            if i + 1 == n:
                break
            pair = (byte << 8) | np.int64(buf[i + 1])
            for k in range(starts[pair], starts[pair + 1]):
                lit = items[k]
                if found[lit]:
                    continue
                first = offsets[lit]
                length = offsets[lit + 1] - first
                if i + length > n:
                    continue
                j = 2
                while j < length and buf[i + j] == literals[first + j]:
                    j += 1
                if j == length:
                    found[lit] = True

    @_njit_loop
    def _table_insert(table_prints: np.ndarray, table_rows: np.ndarray, prints: np.ndarray, rows: np.ndarray) -> None:
        """Open addressing with linear probing on 32-bit fingerprints (the slot is the
        fingerprint's low bits); an empty slot has row -1."""
        mask = table_rows.size - 1
        for i in range(prints.size):
            slot = np.int64(prints[i]) & mask
            while table_rows[slot] != -1:
                slot = (slot + 1) & mask
            table_prints[slot] = prints[i]
            table_rows[slot] = rows[i]

    @_njit_loop
    def _table_lookup(table_prints: np.ndarray, table_rows: np.ndarray, prints: np.ndarray, out: np.ndarray) -> int:
        """Rows of the slots holding one of ``prints``; returns how many were written
        to ``out`` (-1 if ``out`` is too small)."""
        mask = table_rows.size - 1
        found = 0
        for i in range(prints.size):
            slot = np.int64(prints[i]) & mask
            while table_rows[slot] != -1:
                if table_prints[slot] == prints[i]:
                    if found == out.size:
                        return -1
                    out[found] = table_rows[slot]
                    found += 1
                slot = (slot + 1) & mask
        return found

    @_njit_loop
    def _token_hashes(
        buf: np.ndarray, size: int, table: np.ndarray, secret: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        hashes = np.empty(size + 2, dtype=np.uint64)
        starts = np.empty(size + 2, dtype=np.int64)
        count = _doc_tokens(buf, 0, size, table, secret, hashes, starts, _scratch(size))
        return hashes[:count].copy(), starts[:count].copy()

    @_njit
    def _ends_sentence(buf: np.ndarray, line_start: int, k: int, flags: np.ndarray) -> bool:
        """Whether the space at ``buf[k]`` follows a sentence end, perhaps with one closer
        between (``buf[line_start:k]`` is the line before it, not empty)."""
        before = flags[buf[k - 1]]
        if before & TERMINAL:
            return True
        return bool(before & CLOSER) and k - 2 >= line_start and bool(flags[buf[k - 2]] & TERMINAL)

    _LANES = np.uint64(0x0101010101010101)
    _FEW_VOTES = 48  # repeats among fewer hashes are found without sorting

    @_njit
    def _flush_lanes(lanes: np.ndarray, ones: np.ndarray) -> None:
        """Add the byte counters of ``lanes`` (lane ``j``, byte ``k``: bit ``8k + j``) to ``ones``."""
        for j in range(8):
            for k in range(8):
                ones[8 * k + j] += np.int64((lanes[j] >> np.uint64(8 * k)) & np.uint64(0xFF))
            lanes[j] = 0

    @_njit
    def _simhash(hashes: np.ndarray, ones: np.ndarray, lanes: np.ndarray) -> np.uint64:
        """64-bit SimHash of word hashes, each distinct hash voting once (sorts ``hashes``;
        ``ones`` and ``lanes`` are scratch of 64 and 8). A repeat is found among the hashes
        before it, or next to it once sorted when there are many; bits are counted eight at
        a time in byte counters, emptied every 255 hashes."""
        many = hashes.size > _FEW_VOTES
        if many:
            hashes.sort()
        ones[:] = 0
        lanes[:] = 0
        distinct = 0
        for i in range(hashes.size):
            h = hashes[i]
            seen = False
            if many:
                seen = i > 0 and h == hashes[i - 1]
            else:
                for k in range(i):
                    seen |= hashes[k] == h
            if seen:
                continue
            for j in range(8):
                lanes[j] += (h >> np.uint64(j)) & _LANES
            distinct += 1
            if distinct % 255 == 0:
                _flush_lanes(lanes, ones)
        _flush_lanes(lanes, ones)
        out = np.uint64(0)
        for bit in range(64):
            if 2 * ones[bit] > distinct:
                out |= np.uint64(1) << np.uint64(bit)
        return out

    @_njit
    def _block_out(
        key: np.ndarray, start: int, length: int, words: int, vote: np.ndarray, voting: int, secret: np.ndarray,
        out: tuple, b: int,
    ) -> None:
        """Row ``b`` of the output tables: the key's hash, the words, the SimHash of the votes."""
        keys, word_counts, sims, ones, lanes = out
        keys[b] = xxh3_64(key, start, length, secret)
        word_counts[b] = words
        sims[b] = _simhash(vote[:voting], ones, lanes)

    @_njit
    def _ascii_block(
        buf: np.ndarray, start: int, end: int, keymap: np.ndarray, min_letters: int, secret: np.ndarray,
        work: tuple, out: tuple, b: int,
    ) -> int:
        """The block ``buf[start:end]`` of an ASCII body into row ``b`` of ``out`` unless its
        key is empty; returns the next row. The key (each byte through ``keymap``, runs of
        spaces as one, none at the ends) is written to ``key`` after 8 bytes of padding,
        the places where a word begins or ends to ``edges``, without a branch."""
        key, edges, vote = work
        n, m = 8, 0
        before = False
        for i in range(start, end):
            c = keymap[buf[i]]
            letter = c != 32
            key[n] = c
            edges[m] = n
            m += letter != before
            n += letter | before
            before = letter
        if before:
            edges[m] = n
            m += 1
        else:
            n -= n > 8  # the space after the last word
        if n == 8:
            return b
        voting = 0
        for w in range(0, m, 2):
            first, length = edges[w], edges[w + 1] - edges[w]
            if length >= min_letters:
                vote[voting] = _xxh3_word(key, first, length) if length <= 16 else _xxh3_over16(key, first, length, secret)
                voting += 1
        _block_out(key, 8, n - 8, m // 2, vote, voting, secret, out, b)
        return b + 1

    @_njit
    def _ascii_blocks(
        buf: np.ndarray, start: int, end: int, flags: np.ndarray, keymap: np.ndarray, long_line: int,
        min_letters: int, secret: np.ndarray, work: tuple, out: tuple, b: int,
    ) -> int:
        """The blocks of the ASCII body ``buf[start:end]`` into ``out`` from row ``b``;
        returns the next row. A block is a line (without its :data:`SPACE` bytes at the
        ends), or, in a line of ``long_line`` spaces or more, a part cut at NUL bytes and
        at spaces after a sentence end."""
        i = start
        while i <= end:
            j = i
            while j < end and buf[j] != 10:
                j += 1
            first, last = i, j
            while first < last and flags[buf[first]] & SPACE:
                first += 1
            while last > first and flags[buf[last - 1]] & SPACE:
                last -= 1
            spaces = 0
            for k in range(first, last):
                spaces += buf[k] == 32
            part = first
            if spaces >= long_line:
                for k in range(first, last):
                    if buf[k] == 0 or (buf[k] == 32 and _ends_sentence(buf, first, k, flags)):
                        b = _ascii_block(buf, part, k, keymap, min_letters, secret, work, out, b)
                        part = k + 1
            b = _ascii_block(buf, part, last, keymap, min_letters, secret, work, out, b)
            i = j + 1
        return b

    @_njit
    def _chars_up_to(buf: np.ndarray, start: int, end: int, most: int) -> int:
        """Characters of UTF-8 ``buf[start:end]``, counted up to ``most``."""
        chars = 0
        for i in range(start, end):
            chars += (buf[i] & 0xC0) != 0x80
            if chars == most:
                break
        return chars

    @_njit
    def _keyed_blocks(
        buf: np.ndarray, start: int, end: int, min_letters: int, table: np.ndarray, secret: np.ndarray,
        work: tuple, out: tuple, b: int,
    ) -> int:
        """The blocks of ``buf[start:end]``, block keys already made, each ended by a line
        break, into ``out`` from row ``b``; returns the next row. Words are the shingler's
        tokens; those of ``min_letters`` letters or more vote in the SimHash, and so do
        single letters of scripts without spaces (tokens with no gap after them)."""
        hashes, starts, vote, scratch = work
        count = _doc_tokens(buf, start, end, table, secret, hashes, starts, scratch)
        t = 0
        line = start
        while line < end:
            stop = line
            while buf[stop] != 10:
                stop += 1
            first, voting = t, 0
            while t < count and start + starts[t] < stop:
                following = start + starts[t + 1] if t + 1 < count else end
                chars = _chars_up_to(buf, start + starts[t], following, min_letters + 1)
                if chars == 1 or chars > min_letters:  # the token and its gap
                    vote[voting] = hashes[t]
                    voting += 1
                t += 1
            _block_out(buf, line, stop - line, t - first, vote, voting, secret, out, b)
            b += 1
            line = stop + 1
        return b

    @_njit
    def _grown(out: tuple, used: int, size: int) -> tuple:
        """The output tables with room for ``size`` rows, their first ``used`` kept."""
        keys, words, sims, ones, lanes = out
        if size <= keys.size:
            return out
        size = max(size, 2 * keys.size)
        bigger = (np.empty(size, dtype=np.uint64), np.empty(size, dtype=np.int32), np.empty(size, dtype=np.uint64))
        bigger[0][:used] = keys[:used]
        bigger[1][:used] = words[:used]
        bigger[2][:used] = sims[:used]
        return bigger[0], bigger[1], bigger[2], ones, lanes

    @_njit_loop
    def _batch_blocks(
        buf: np.ndarray, offsets: np.ndarray, raw: np.ndarray, flags: np.ndarray, keymap: np.ndarray,
        long_line: int, min_letters: int, table: np.ndarray, secret: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        docs = offsets.size - 1
        longest, keyed = 0, 0
        for d in range(docs):
            longest = max(longest, offsets[d + 1] - offsets[d])
            keyed = max(keyed, 0 if raw[d] else offsets[d + 1] - offsets[d])
        rows = buf.size // 64 + docs
        out = (
            np.empty(rows, dtype=np.uint64), np.empty(rows, dtype=np.int32), np.empty(rows, dtype=np.uint64),
            np.zeros(64, dtype=np.int64), np.zeros(8, dtype=np.uint64),
        )
        ascii_work = (np.zeros(longest + 32, dtype=np.uint8), np.empty(longest + 2, dtype=np.int64),
                      np.empty(longest + 2, dtype=np.uint64))
        keyed_work = (np.empty(keyed + 2, dtype=np.uint64), np.empty(keyed + 2, dtype=np.int64),
                      np.empty(keyed + 2, dtype=np.uint64), _scratch(keyed))
        counts = np.empty(docs, dtype=np.int64)
        b = 0
        for d in range(docs):
            start, end = offsets[d], offsets[d + 1]
            out = _grown(out, b, b + (end - start) // 2 + 1)  # a block takes a byte and a cut
            before = b
            if raw[d]:
                b = _ascii_blocks(buf, start, end, flags, keymap, long_line, min_letters, secret, ascii_work, out, b)
            else:
                b = _keyed_blocks(buf, start, end, min_letters, table, secret, keyed_work, out, b)
            counts[d] = b - before
        return out[0][:b].copy(), out[1][:b].copy(), out[2][:b].copy(), counts


def token_hashes(normalized: str) -> tuple[np.ndarray, np.ndarray]:
    """xxh3-64 hashes of the ``\\w+`` tokens of ``normalized`` (ASCII capitals hashed
    as lower case) and their UTF-8 byte offsets."""
    encoded = normalized.encode("utf-8")
    buf = np.frombuffer(encoded, dtype=np.uint8)
    return _token_hashes(buf, len(encoded), word_table(), _SECRET)


def block_tables(
    texts: list[str], raw: np.ndarray, flags: np.ndarray, keymap: np.ndarray, long_line: int, min_letters: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The template blocks of many texts in one compiled pass (see :mod:`dedup.text.template`).

    Args:
        texts: Per page, its ASCII body (``raw``) or its block keys, each ended by a line break.
        raw: Which texts are bodies, cut into blocks and keyed here.
        flags: ``uint8[128]``: :data:`SPACE`, :data:`TERMINAL` and :data:`CLOSER` of each ASCII byte.
        keymap: ``uint8[128]``: each ASCII byte in a key, a space for a separator.
        long_line: Spaces from which a line is cut into sentences.
        min_letters: Letters from which a word votes in a block's SimHash.

    Returns:
        Every block's key hash, words (int32) and SimHash, pages end to end, and each page's blocks.
    """
    buf, offsets = _pack(texts)
    return _batch_blocks(
        buf, offsets, np.asarray(raw, dtype=np.bool_), flags, keymap, long_line, min_letters, word_table(), _SECRET
    )


class LiteralTable:
    """Literal strings prepared for :meth:`found`: their UTF-8 bytes packed end to end
    and listed by first byte. A literal occurs in a text exactly when its UTF-8 bytes
    occur in the text's UTF-8 bytes (UTF-8 never matches inside a character).

    Example:
        >>> LiteralTable(["cookie", "©"]).found("© 2024".encode()).tolist()
        [False, True]
    """

    def __init__(self, literals: list[str]) -> None:
        encoded = [literal.encode("utf-8") for literal in literals]
        if not all(encoded):
            raise ValueError("literals must not be empty")
        self.literals = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
        self.offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=self.offsets[1:])
        self.single = np.full(256, -1, dtype=np.int64)
        for k, e in enumerate(encoded):
            if len(e) == 1:
                self.single[e[0]] = k
        longer = sorted((e[0] << 8 | e[1], k) for k, e in enumerate(encoded) if len(e) > 1)
        self.items = np.array([k for _, k in longer], dtype=np.int64)
        counts = np.bincount(np.array([pair for pair, _ in longer], dtype=np.int64), minlength=1 << 16)
        self.starts = np.zeros((1 << 16) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.starts[1:])

    def found(self, data: bytes) -> np.ndarray:
        """``bool[len(literals)]``: which literals occur in ``data`` (UTF-8 bytes)."""
        found = np.zeros(self.offsets.size - 1, dtype=np.bool_)
        buf = np.frombuffer(data, dtype=np.uint8)
        _find_literals(buf, self.single, self.starts, self.items, self.literals, self.offsets, found)
        return found


class KeyTable:
    """Band key -> rows: a hash table with linear probing (compiled), 8 bytes a slot,
    at most 5/8 full, grown by doubling. A key is kept as its high 32 bits only, so a
    lookup may also return rows of keys that share those bits (one in 2**32 per
    entry): callers verify every candidate anyway.

    Example:
        >>> table = KeyTable()
        >>> table.add_many(np.array([7, 8], dtype=np.int64), np.array([5 << 32, 9 << 32], dtype=np.int64))
        >>> table.rows(np.array([9 << 32], dtype=np.int64)).tolist()
        [8]
    """

    def __init__(self, capacity: int = 1 << 16) -> None:
        self.prints = np.zeros(capacity, dtype=np.uint32)
        self.slots = np.full(capacity, -1, dtype=np.int32)
        self.entries = 0

    @staticmethod
    def _prints(keys: np.ndarray) -> np.ndarray:
        return (np.ascontiguousarray(keys, dtype=np.int64).view(np.uint64) >> np.uint64(32)).astype(np.uint32)

    def add_many(self, rows: np.ndarray, keys: np.ndarray) -> None:
        """Map ``keys[i]`` to ``rows[i]`` (rows below 2**31)."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size and int(rows.max()) >= 2**31:
            raise OverflowError("row numbers of 2**31 and above do not fit the key table")
        needed = self.entries + rows.size
        if needed * 8 > self.slots.size * 5:
            capacity = self.slots.size
            while needed * 8 > capacity * 5:
                capacity *= 2
            used = self.slots != -1
            old_prints, old_rows = self.prints[used], self.slots[used]
            self.prints = np.zeros(capacity, dtype=np.uint32)
            self.slots = np.full(capacity, -1, dtype=np.int32)
            _table_insert(self.prints, self.slots, old_prints, old_rows)
        _table_insert(self.prints, self.slots, self._prints(keys), rows.astype(np.int32))
        self.entries = needed

    def rows(self, keys: np.ndarray) -> np.ndarray:
        """The rows mapped from any of ``keys`` (sorted, without repeats)."""
        prints = self._prints(keys)
        out = np.empty(max(64, 4 * prints.size), dtype=np.int32)
        while (found := _table_lookup(self.prints, self.slots, prints, out)) < 0:
            out = np.empty(out.size * 4, dtype=np.int32)
        return sorted_unique(out[:found].astype(np.int64))


def chain_ngrams(token_hashes: np.ndarray, size: int) -> np.ndarray:
    """N-gram hashes of token hashes, as :func:`dedup.shingle.chain_ngrams`."""
    hashes = np.ascontiguousarray(token_hashes, dtype=np.uint64)
    out = np.empty(max(hashes.size - min(size, hashes.size) + 1, 0), dtype=np.uint64)
    return out[: _chain(hashes, hashes.size, size, out)]


def xxh3(data: bytes) -> int:
    """XXH3-64 (seed 0) of ``data`` through the compiled kernel (for tests)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    return int(xxh3_64(buf, 0, buf.size, _SECRET))


def shingle_signatures(shingle_sets: list[np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signatures of shingle-hash arrays (``uint32[len(shingle_sets), len(a)]``),
    as :func:`dedup.minhash.signature` row by row."""
    out = np.empty((len(shingle_sets), a.size), dtype=np.uint32)
    for first in range(0, len(shingle_sets), _CHUNK):
        chunk = shingle_sets[first : first + _CHUNK]
        offsets = np.zeros(len(chunk) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk)), out=offsets[1:])
        flat = np.concatenate(chunk).astype(np.uint64, copy=False) if chunk else np.empty(0, np.uint64)
        _batch_minhash(flat, offsets, a, b, out[first : first + _CHUNK])
    return out


def pair_overlaps(
    pairs: np.ndarray, shingles: tuple[np.ndarray, np.ndarray], own: tuple[np.ndarray, np.ndarray, np.ndarray],
    figures: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """``int64[m, 4]`` per pair ``(a, b)``: shingles shared; ``a``'s own-words shingles in
    ``b``; ``b``'s in ``a``; figures shared. Each set is ``(flat, offsets)``: sorted unique
    uint64 rows packed end to end; ``own`` adds a bool per row, True where the own
    words are all the row's shingles (and nothing is stored for it)."""
    out = np.empty((pairs.shape[0], 4), dtype=np.int64)
    _pair_overlaps(np.ascontiguousarray(pairs, dtype=np.int64), *shingles, *own, *figures, out)
    return out


def band_keys(signatures: np.ndarray, first_band: int, count: int, rows: int) -> np.ndarray:
    """``uint64[count, n]``: the keys of ``count`` bands from ``first_band``, band by band
    (see :func:`dedup.lsh.band_key`)."""
    out = np.empty((count, signatures.shape[0]), dtype=np.uint64)
    _band_keys(np.ascontiguousarray(signatures), first_band, rows, out)
    return out


def band_runs(
    keys: np.ndarray, ranks: np.ndarray, rank_bits: int, max_bucket: int
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Rows that share a key's high bits, in (key, rank) order: see
    :func:`dedup.lsh.candidate_pairs`. Returns each such row's rank and run number,
    the largest run and the count of runs over ``max_bucket``."""
    packed = np.empty(keys.size, dtype=np.uint64)
    _pack_keys(keys, ranks, rank_bits, packed)
    packed.sort()  # numpy's sort (vectorised, and it releases the GIL)
    member_rank = np.empty(keys.size, dtype=np.int32 if keys.size < 2**31 else np.int64)
    member_run = np.empty(keys.size, dtype=member_rank.dtype)
    count, largest, oversized = _scan_runs(packed, rank_bits, max_bucket, member_rank, member_run)
    del packed  # copies of the members only: the n-row buffers go now, not with the band
    return member_rank[:count].copy(), member_run[:count].copy(), largest, oversized


def _pack(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Texts as one UTF-8 byte array and the offsets of each text in it."""
    joined = "".join(texts)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    if joined.isascii():  # one character per byte: offsets from the lengths
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=offsets[1:])
        return np.frombuffer(joined.encode("ascii"), dtype=np.uint8), offsets
    encoded = [t.encode("utf-8") for t in texts]
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


# Texts packed per call: a few MB, so the buffers are reused rather than mapped
# afresh (fresh pages cost more than the hashing).
_CHUNK = 1024


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
    out = np.empty((len(normalized_texts), a.size), dtype=np.uint32)
    table = word_table()
    for first in range(0, len(normalized_texts), _CHUNK):
        buf, offsets = _pack(normalized_texts[first : first + _CHUNK])
        _batch_signatures(buf, offsets, size, a, b, table, _SECRET, out[first : first + _CHUNK])
    return out
