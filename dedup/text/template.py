"""Template text learned from the corpus, in any language.

A site's template (a consent notice, a paywall prompt, a newsletter box, "See all
photos (18)") is the same text on pages whose articles are otherwise unrelated.
No word list can know every site and language; the corpus shows it:

* A page body is cut into **blocks**: its lines, and the sentences of lines over
  :data:`LONG_LINE` words (cut after a sentence end and a space). A block's **key**
  is its casefolded text with digits read as 0 and punctuation as spaces, so
  "Comments (368)" and "Comments (153)" are one block.
* For a block found on at least :data:`MIN_DOCS` pages, take those pages (at most
  :data:`SAMPLE`, picked by a stable hash of their ids), its **group** (the blocks on
  at least :data:`GROUP_SHARE` of them) and each page's **rest** (its prose blocks,
  :data:`PROSE_WORDS` words or more, outside the group).
* The group is template when the rests make up a real part of the pages (at least
  :data:`MIN_DOCS` of them, and half, have a rest of at least :data:`REST_SHARE` of the
  page: three unrelated articles carry the text, not one story and the pages quoting it;
  a rest that is mostly an edit of the group, at least :data:`EDITED_REST` of its words
  in blocks related to it, is another print of the group's text and not counted) and the rests
  are unrelated, to each other (under a third have a related rest on another page)
  and to the group (at the median, under :data:`GROUP_RELATED` of a rest's words sit
  in blocks related to the group).

Copies of one story hold the same blocks too, but their rests are edits of one
another or small; a compilation quoting a lede has a rest the size of a page, but
the pages quoting one lede are few and the lede's own pages carry the same story.
Two blocks are **related** when their SimHashes (64 bits over the words of four
letters or more) differ in at most :data:`RELATED_BITS` bits: a paragraph and its
edit are, unrelated paragraphs (32 bits apart on average) are not.

Template blocks are left out of matching; each removal is reported (kind
``template``).

Example:
    >>> pages = [f"Wir verwenden Cookies, um Inhalte zu personalisieren.\\n{s}" for s in (
    ...     "Der Stadtrat hat am Dienstag den neuen Haushalt nach langer Debatte beschlossen.",
    ...     "Die Feuerwehr rettete am Morgen drei Katzen aus einem brennenden Dachstuhl.",
    ...     "Der Verein gewann das Derby vor ausverkauftem Haus mit drei zu null Toren.")]
    >>> keys = learn([block_table(p) for p in pages], [b"a", b"b", b"c"])
    >>> strip(pages[0], keys)
    ('Der Stadtrat hat am Dienstag den neuen Haushalt nach langer Debatte beschlossen.', ('Wir verwenden Cookies, um Inhalte zu personalisieren.',))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

from dedup import _kernels
from dedup.models import Removed
from dedup.shingle import _token_hashes_and_starts
from dedup.text.clean import CleanedText, word_count

LONG_LINE = 25
"""Lines of more than this many words (spaces + 1) are cut into sentences."""
MIN_DOCS = 3
SAMPLE = 60
GROUP_SHARE = 0.8
PROSE_WORDS = 8
REST_SHARE = 0.08
PARTNERED = 1 / 3
GROUP_RELATED = 0.25
EDITED_REST = 0.5
RELATED_BITS = 16
SIMHASH_MIN_LETTERS = 4

_NOT_WORD_LINE = re.compile(r"(?:[^\w\n]|_)+")
_ENDS = tuple(end + closer for end in ".!?…" for closer in ("", *"\"'”’)]"))


def _sentences(line: str) -> list[str]:
    """A long line cut into sentences: after a sentence end (perhaps with one closing
    quote or bracket) followed by a space. Initials and abbreviations cut too; block keys
    only need to cut the same way everywhere."""
    for end in _ENDS:
        if end + " " in line:
            line = line.replace(end + " ", end + "\x00")
    return [part.strip() for part in line.split("\x00") if part.strip()]
_DIGIT = re.compile(r"\d")
_BITS = np.uint64(1) << np.arange(64, dtype=np.uint64)


@dataclass(frozen=True)
class Blocks:
    """The blocks of one page body, index-aligned: key hash, words and SimHash."""

    keys: np.ndarray
    words: np.ndarray
    simhash: np.ndarray

    @property
    def total_words(self) -> int:
        return int(self.words.sum())


EMPTY_BLOCKS = Blocks(np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.uint64))


class BlockTables:
    """The blocks of many pages packed end to end (three flat arrays and offsets): what a
    batch keeps of every page until the template is learned.

    Example:
        >>> tables = BlockTables.pack([block_table("One line here.\\nAnother line."), EMPTY_BLOCKS])
        >>> len(tables), tables[0].keys.size, tables[1].keys.size
        (2, 2, 0)
    """

    def __init__(self, keys: np.ndarray, words: np.ndarray, simhash: np.ndarray, offsets: np.ndarray) -> None:
        self.keys, self.words, self.simhash, self.offsets = keys, words, simhash, offsets

    @classmethod
    def pack(cls, tables: Sequence[Blocks]) -> BlockTables:
        offsets = np.zeros(len(tables) + 1, dtype=np.int64)
        np.cumsum([t.keys.size for t in tables], out=offsets[1:])
        empty = [EMPTY_BLOCKS]
        return cls(
            np.concatenate([t.keys for t in tables] + [e.keys for e in empty]),
            np.concatenate([t.words for t in tables] + [e.words for e in empty]).astype(np.int32),
            np.concatenate([t.simhash for t in tables] + [e.simhash for e in empty]),
            offsets,
        )

    @classmethod
    def join(cls, parts: Sequence[BlockTables]) -> BlockTables:
        if not parts:
            return cls.pack([])
        starts = np.cumsum([0] + [p.offsets[-1] for p in parts[:-1]])
        offsets = np.concatenate([[0]] + [p.offsets[1:] + start for p, start in zip(parts, starts)])
        return cls(
            np.concatenate([p.keys for p in parts]), np.concatenate([p.words for p in parts]),
            np.concatenate([p.simhash for p in parts]), offsets.astype(np.int64),
        )

    def __len__(self) -> int:
        return self.offsets.size - 1

    def __getitem__(self, row: int) -> Blocks:
        a, b = self.offsets[row], self.offsets[row + 1]
        return Blocks(self.keys[a:b], self.words[a:b].astype(np.int64), self.simhash[a:b])

    def __iter__(self) -> Iterator[Blocks]:
        return (self[row] for row in range(len(self)))

    def holding(self, template: np.ndarray) -> np.ndarray:
        """The rows that hold a template block."""
        if not template.size or not self.keys.size:
            return np.empty(0, dtype=np.int64)
        row = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.offsets))
        return np.unique(row[np.isin(self.keys, template)])


def _line_blocks(body: str) -> Iterator[list[str]]:
    """The blocks of each non-empty line of a body: the line, or its sentences when it
    has over :data:`LONG_LINE` words."""
    for line in body.split("\n"):
        line = line.strip()
        if line:
            yield _sentences(line) if line.count(" ") >= LONG_LINE else [line]


def blocks(body: str) -> Iterator[str]:
    """The blocks of a body: its lines, and the sentences of lines over :data:`LONG_LINE` words."""
    for parts in _line_blocks(body):
        yield from parts


def block_key(block: str) -> str:
    """Casefolded, digits as 0, punctuation as single spaces."""
    return " ".join(_normalised_lines(block.replace("\n", " ")))


def _hash(text: str) -> int:
    return xxhash.xxh3_64_intdigest(text.encode("utf-8"))


def _simhashes(hashes: np.ndarray, block: np.ndarray, blocks: int) -> np.ndarray:
    """The SimHash of each block from its words' hashes (``block``: each word's block;
    a block's repeated words vote once)."""
    tagged = hashes ^ (block.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    _, first = np.unique(tagged, return_index=True)
    block, hashes = block[first], hashes[first]
    counts = np.bincount(block, minlength=blocks)
    bits = np.unpackbits(hashes.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    member = np.zeros((blocks, block.size), dtype=np.float32)
    member[block, np.arange(block.size)] = 1.0
    won = 2 * (member @ bits.astype(np.float32)) > counts[:, None]
    return (won.astype(np.uint64) << np.arange(64, dtype=np.uint64)).sum(axis=1, dtype=np.uint64)


_ASCII_KEY = bytes(
    ord("0") if chr(c).isdigit() else c if chr(c).isalnum() or c == 10 else ord(" ") for c in range(256)
)


def _normalised_lines(text: str) -> list[str]:
    """:func:`block_key` of every line of ``text`` (one pass; ASCII text by a byte table)."""
    if text.isascii():
        lines = text.lower().encode("ascii").translate(_ASCII_KEY).decode("ascii").split("\n")
        return [" ".join(line.split()) for line in lines]
    return [k.strip() for k in _NOT_WORD_LINE.sub(" ", _DIGIT.sub("0", text.casefold())).split("\n")]


def _key_text(body: str) -> str:
    """The keys of a body's blocks (see :func:`blocks`), one a line, empty ones left out."""
    parts = list(blocks(body))
    if not parts:
        return ""
    return "\n".join(k for k in _normalised_lines("\n".join(parts)) if k)


def _keyed_table(text: str) -> Blocks:
    """The blocks of a key text (:func:`_key_text`) with their key hashes, words and
    SimHashes, in numpy (what the compiled kernel does without numba)."""
    if not text:
        return EMPTY_BLOCKS
    keys = text.split("\n")
    hashes, starts = _token_hashes_and_starts(text)
    lines = np.cumsum(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) == 10)
    block = lines[starts] if starts.size else np.empty(0, dtype=np.int64)
    ends = np.append(starts[1:], len(text) + 1)
    gap = ends - starts
    letters = gap - 1
    words = np.bincount(block, minlength=len(keys)).astype(np.int64) if block.size else np.zeros(len(keys), np.int64)
    voting = (letters >= SIMHASH_MIN_LETTERS) | (gap == 1)
    sims = _simhashes(hashes[voting], block[voting], len(keys))
    key_hashes = np.fromiter((_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
    return Blocks(key_hashes, words, sims)


def _byte_tables() -> tuple[np.ndarray, np.ndarray]:
    """For the compiled kernel, per ASCII byte: its flags (stripped from a line's ends,
    a sentence end, a closer after one; :data:`_ENDS`) and what it is in a key."""
    flags = np.zeros(128, dtype=np.uint8)
    for c in range(128):
        flags[c] |= _kernels.SPACE * chr(c).isspace()
        flags[c] |= _kernels.TERMINAL * any(end == chr(c) for end in _ENDS)
        flags[c] |= _kernels.CLOSER * any(len(end) == 2 and end[1] == chr(c) for end in _ENDS)
    keymap = np.array([_ASCII_KEY[ord(chr(c).lower())] if c != 10 else 32 for c in range(128)], dtype=np.uint8)
    return flags, keymap


_FLAGS, _KEYMAP = _byte_tables()


def block_tables(bodies: Sequence[str]) -> BlockTables:
    """The blocks of many page bodies (see :func:`blocks`) with their keys, words and SimHashes.

    ASCII bodies are cut, keyed and hashed in one compiled pass (when numba is present);
    other bodies are keyed in one normalisation pass over the text in Python, then hashed
    in the same pass. Words are hashed by the shingler's tokeniser; the SimHash takes the
    words of four letters or more, and every letter of scripts written without spaces.
    """
    if not _kernels.AVAILABLE:
        return BlockTables.pack([_keyed_table(_key_text(body)) for body in bodies])
    raw = np.fromiter((body.isascii() for body in bodies), dtype=bool, count=len(bodies))
    texts = [body if plain else (text + "\n" if (text := _key_text(body)) else "") for body, plain in zip(bodies, raw)]
    keys, words, sims, counts = _kernels.block_tables(texts, raw, _FLAGS, _KEYMAP, LONG_LINE, SIMHASH_MIN_LETTERS)
    offsets = np.zeros(len(bodies) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return BlockTables(keys, words, sims, offsets)


def block_table(body: str) -> Blocks:
    """The blocks of one page body: see :func:`block_tables`."""
    return block_tables([body])[0]


def _related(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each SimHash of ``a``, whether some SimHash of ``b`` is within :data:`RELATED_BITS` bits."""
    if a.size == 0 or b.size == 0:
        return np.zeros(a.size, dtype=bool)
    x = a[:, None] ^ b[None, :]
    if hasattr(np, "bitwise_count"):  # numpy 2
        return (np.bitwise_count(x) <= RELATED_BITS).any(axis=1)
    bits = np.unpackbits(x.view(np.uint8).reshape(a.size, b.size, 8), axis=2).sum(axis=2)
    return (bits <= RELATED_BITS).any(axis=1)


def judge(tables: Sequence[Blocks] | BlockTables, docs: np.ndarray) -> tuple[bool, np.ndarray]:
    """Whether the group of the sampled pages ``docs`` of ``tables`` is template, and the group's keys."""
    holding = [np.unique(tables[d].keys) for d in docs.tolist()]
    keys, counts = np.unique(np.concatenate(holding), return_counts=True)
    group = keys[counts >= GROUP_SHARE * len(holding)]
    rests: list[tuple[np.ndarray, np.ndarray]] = []  # (simhashes, words) of each page's rest
    group_sims: list[np.ndarray] = []
    for d in docs.tolist():
        table = tables[d]
        inside = np.isin(table.keys, group)
        rest = ~inside & (table.words >= PROSE_WORDS)
        group_sims.append(table.simhash[inside & (table.words >= PROSE_WORDS)])
        if table.words[rest].sum() >= REST_SHARE * table.total_words:
            rests.append((table.simhash[rest], table.words[rest]))
    group_all = np.unique(np.concatenate(group_sims))
    related_share = [float(w[_related(s, group_all)].sum() / w.sum()) for s, w in rests]
    # A rest that is mostly an edit of the group is another print of the group's text,
    # not an unrelated article carrying it.
    kept = [k for k, share in enumerate(related_share) if share < EDITED_REST]
    rests, related_share = [rests[k] for k in kept], [related_share[k] for k in kept]
    if len(rests) < MIN_DOCS or 2 * len(rests) < len(docs):
        return False, group
    partnered = 0
    for i, (sims, _) in enumerate(rests):
        others = np.concatenate([s for j, (s, _) in enumerate(rests) if j != i] or [np.empty(0, np.uint64)])
        partnered += bool(_related(sims, others).any())
    if partnered >= PARTNERED * len(rests):
        return False, group
    return float(np.median(related_share)) < GROUP_RELATED, group


def _common(keys: np.ndarray) -> np.ndarray:
    """Where the keys found at least :data:`MIN_DOCS` times sit in ``keys``: the blocks
    that can be on :data:`MIN_DOCS` pages (most keys are found once)."""
    ordered = np.sort(keys)
    reach = MIN_DOCS - 1
    common = np.unique(ordered[reach:][ordered[reach:] == ordered[: ordered.size - reach]])
    del ordered
    if not common.size:
        return np.empty(0, dtype=np.int64)
    where = []
    for start in range(0, keys.size, _SLICE):  # a slice at a time: no temporaries the size of the corpus
        part = keys[start : start + _SLICE]
        found = np.minimum(np.searchsorted(common, part), common.size - 1)
        where.append(np.flatnonzero(common[found] == part) + start)
    return np.concatenate(where)


_SLICE = 1 << 18


Verdict = tuple[bool, np.ndarray]
"""Whether a group is template, and the group's keys."""


@dataclass(frozen=True)
class FrequentKey:
    """A block key found on :data:`MIN_DOCS` pages or more: its page count and its
    sample (at most :data:`SAMPLE` pages, in the order of a stable hash of their ids)."""

    key: int
    pages: int
    sample: np.ndarray


def frequent_keys(tables: BlockTables, sample_keys: Sequence[bytes]) -> list[FrequentKey]:
    """The frequent block keys of a corpus, each with its sampled pages (indices into ``tables``)."""
    where = _common(tables.keys)
    if not where.size:
        return []
    flat = tables.keys[where]
    doc_of = np.searchsorted(tables.offsets, where, side="right") - 1
    order = np.lexsort((doc_of, flat))
    flat, doc_of = flat[order], doc_of[order]
    once = np.r_[True, (flat[1:] != flat[:-1]) | (doc_of[1:] != doc_of[:-1])]  # a key once per page
    flat, doc_of = flat[once], doc_of[once]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    ends = np.r_[starts[1:], flat.size]
    rank = np.array([sample_rank(k) for k in sample_keys], dtype=np.uint64)
    found = []
    for f in np.flatnonzero(ends - starts >= MIN_DOCS).tolist():
        docs = doc_of[starts[f] : ends[f]]
        found.append(FrequentKey(int(flat[starts[f]]), int(ends[f] - starts[f]), docs[np.argsort(rank[docs], kind="stable")[:SAMPLE]]))
    return found


def sample_rank(sample_key: bytes) -> int:
    """Where a page stands when the pages of a key are sampled (smallest first)."""
    return xxhash.xxh3_64_intdigest(sample_key)


def choose(frequent: Sequence[FrequentKey], verdict_of: Callable[[np.ndarray], Verdict]) -> np.ndarray:
    """The template keys (sorted uint64): each frequent key's group, most widespread
    first (ties by key, so the order never depends on the input's), judged once."""
    decided: set[int] = set()
    template: set[int] = set()
    for item in sorted(frequent, key=lambda f: (-f.pages, f.key)):
        if item.key in decided:
            continue
        verdict, group = verdict_of(item.sample)
        members = {int(k) for k in group.tolist()} | {item.key}
        decided |= members
        if verdict:
            template |= members
    return np.array(sorted(template), dtype=np.uint64)


def learn(
    tables: Sequence[Blocks] | BlockTables, sample_keys: Sequence[bytes], verdicts: dict[bytes, Verdict] | None = None,
) -> np.ndarray:
    """The template block keys of a corpus (sorted uint64).

    Args:
        tables: The blocks of each page.
        sample_keys: A stable key per page (its id's bytes): which pages are sampled
            never depends on input order.
        verdicts: A memo of group verdicts by the sampled pages (their keys and blocks),
            for a caller that learns again from a changing corpus.
    """
    if not tables:
        return np.empty(0, np.uint64)
    packed = tables if isinstance(tables, BlockTables) else BlockTables.pack(tables)

    def verdict_of(docs: np.ndarray) -> Verdict:
        if verdicts is None:
            return judge(packed, docs)
        memo = _sample_digest(packed, sample_keys, docs)
        if memo not in verdicts:
            verdicts[memo] = judge(packed, docs)
        return verdicts[memo]

    return choose(frequent_keys(packed, sample_keys), verdict_of)


def _sample_digest(tables: Sequence[Blocks] | BlockTables, sample_keys: Sequence[bytes], docs: np.ndarray) -> bytes:
    """What a group verdict depends on: the sampled pages' keys and blocks."""
    digest = xxhash.xxh3_128()
    for d in docs.tolist():
        table = tables[d]
        digest.update(sample_keys[d])
        digest.update(table.keys.tobytes())
        digest.update(table.words.tobytes())
        digest.update(table.simhash.tobytes())
    return digest.digest()


def strip(body: str, template: np.ndarray) -> tuple[str, tuple[str, ...]]:
    """The body without its template blocks, and the blocks removed (in page order)."""
    if template.size == 0:
        return body, ()
    known = set(template.tolist())
    kept_lines: list[str] = []
    removed: list[str] = []
    for parts in _line_blocks(body):
        keep = []
        for part in parts:
            key = block_key(part)
            if key and _hash(key) in known:
                removed.append(part)
            else:
                keep.append(part)
        if keep:
            kept_lines.append(" ".join(keep) if len(parts) > 1 else keep[0])
    return "\n".join(kept_lines), tuple(removed)


def without_template(cleaned: CleanedText, template: np.ndarray) -> CleanedText:
    """A cleaned text without its template blocks, each removal recorded (kind ``template``).
    Bodies without one are told apart by their block keys first (compiled, when numba is present)."""
    if not holds_template(block_table(cleaned.body), template):
        return cleaned
    body, removed = strip(cleaned.body, template)
    if not removed:
        return cleaned
    return CleanedText(
        body, cleaned.removed + tuple(Removed(block, "template") for block in removed), word_count(body),
        cleaned.total_words, cleaned.headlines,
    )


def holds_template(table: Blocks, template: np.ndarray) -> bool:
    """Whether a body (its blocks) holds a template block (``template``: sorted keys)."""
    if not template.size or not table.keys.size:
        return False
    found = np.searchsorted(template, table.keys)
    return bool((template[np.minimum(found, template.size - 1)] == table.keys).any())


__all__ = ["BlockTables", "Blocks", "block_table", "block_tables", "holds_template", "learn", "strip", "without_template"]
