"""A seeded generated corpus for speed benchmarks: ~3 KB English-like articles with
planted copies, labels by construction.

Words come from a fixed vocabulary of 30,000 pseudo-words drawn with Zipf-like
frequencies (rank^-1.07, as in English text), so shingle statistics resemble news:
common words repeat, rare ones make each article distinct. Sentences of 8-28 words,
paragraphs of 3-5 sentences, about 480 words (3 KB) per article.

A share of the articles (``copy_share``, default 10%) are planted copies of an earlier
original: verbatim, one paragraph dropped, 2% of words replaced, or trimmed to the
first 60-80%; every planted copy keeps more than half of its original's text, so each
is a copy under the copy rule. Same ``(n, seed)`` -> the same corpus on any machine.

Example:
    >>> corpus = generate(20, seed=1)
    >>> len(corpus.texts), len(corpus.labels), corpus.texts == generate(20, seed=1).texts
    (20, 20, True)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

VOCABULARY = 30_000
_SYLLABLES = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu ha he hi ho hu "
    "ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru "
    "sa se si so su ta te ti to tu va ve vi vo vu wa we wi wo za ze zi zo an en in on er ar or st"
).split()
EDITS = ("verbatim", "dropped-paragraph", "word-edits", "trimmed")


@dataclass(frozen=True)
class GeneratedCorpus:
    """Texts, ids, a cluster label per article and the edit of each planted copy."""

    ids: list[str]
    texts: list[str]
    labels: list[str]
    edits: dict[str, str]


def _vocabulary(rng: np.random.Generator) -> np.ndarray:
    words: set[str] = set()
    syllables = np.array(_SYLLABLES)
    while len(words) < VOCABULARY:
        count = int(rng.integers(1, 5))
        words.add("".join(syllables[rng.integers(0, syllables.size, count)]))
    return np.array(sorted(words), dtype=object)


def _article(rng: np.random.Generator, cumulative: np.ndarray, words: int) -> list[np.ndarray]:
    """An article as a list of paragraphs, each an array of sentences' word ids
    (a sentence end is marked by a negative id: ``-(id + 1)``)."""
    ids = np.searchsorted(cumulative, rng.random(words))
    paragraphs: list[np.ndarray] = []
    position = 0
    while position < words:
        sentences = int(rng.integers(3, 6))
        para: list[np.ndarray] = []
        for _ in range(sentences):
            length = int(rng.integers(8, 29))
            chunk = ids[position : position + length].copy()
            if chunk.size == 0:
                break
            chunk[-1] = -(chunk[-1] + 1)
            para.append(chunk)
            position += length
        if para:
            paragraphs.append(np.concatenate(para))
    return paragraphs


def _render(paragraphs: list[np.ndarray], vocabulary: np.ndarray) -> str:
    out = []
    for para in paragraphs:
        ends = para < 0
        ids = np.where(ends, -para - 1, para)
        tokens = vocabulary[ids].copy()
        tokens[ends] = np.char.add(tokens[ends].astype(str), ".")
        starts = np.concatenate(([True], ends[:-1]))
        tokens[starts] = [t.capitalize() for t in tokens[starts]]
        out.append(" ".join(tokens))
    return "\n\n".join(out)


def _edit(rng: np.random.Generator, paragraphs: list[np.ndarray], kind: str, vocab_size: int) -> list[np.ndarray]:
    if kind == "dropped-paragraph" and len(paragraphs) > 2:
        drop = int(rng.integers(1, len(paragraphs)))
        return [p for i, p in enumerate(paragraphs) if i != drop]
    if kind == "word-edits":
        edited = []
        for para in paragraphs:
            para = para.copy()
            change = rng.random(para.size) < 0.02
            replacement = rng.integers(0, vocab_size, int(change.sum()))
            para[change] = np.where(para[change] < 0, -(replacement + 1), replacement)
            edited.append(para)
        return edited
    if kind == "trimmed":
        keep = max(1, round(len(paragraphs) * float(rng.uniform(0.6, 0.8))))
        return paragraphs[:keep]
    return paragraphs


def generate(n: int, seed: int = 0, copy_share: float = 0.1, words: int = 480) -> GeneratedCorpus:
    """``n`` articles, ``copy_share`` of them planted copies of an earlier original."""
    rng = np.random.default_rng(seed)
    vocabulary = _vocabulary(np.random.default_rng(12345))
    weights = 1.0 / np.arange(1, VOCABULARY + 1) ** 1.07
    cumulative = np.cumsum(weights / weights.sum())
    ids: list[str] = []
    texts: list[str] = []
    labels: list[str] = []
    edits: dict[str, str] = {}
    originals: list[tuple[str, list[np.ndarray]]] = []
    for i in range(n):
        article_id = f"gen-{i:07d}"
        if originals and rng.random() < copy_share:
            source_id, source = originals[int(rng.integers(0, len(originals)))]
            kind = EDITS[int(rng.integers(0, len(EDITS)))]
            paragraphs = _edit(rng, source, kind, VOCABULARY)
            labels.append(source_id)
            edits[article_id] = kind
        else:
            paragraphs = _article(rng, cumulative, words)
            originals.append((article_id, paragraphs))
            labels.append(article_id)
        ids.append(article_id)
        texts.append(_render(paragraphs, vocabulary))
    return GeneratedCorpus(ids, texts, labels, edits)


def corpus_file(n: int, folder: Path) -> Path:
    """``generate(n, seed=0)`` as JSONL (``id``, ``text``) in ``folder``, written once and reused."""
    path = folder / f"generated-{n}-seed0.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        made = generate(n, seed=0)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for article_id, text in zip(made.ids, made.texts):
                out.write(json.dumps({"id": article_id, "text": text}) + "\n")
        tmp.rename(path)
    return path
