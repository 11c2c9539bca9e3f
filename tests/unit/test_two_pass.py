"""Bounded memory: a large input that can be read twice keeps only signatures after the
first pass; the articles in candidate pairs are read and prepared again. The result
is the same as keeping everything."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

import dedup
from dedup import Article, pipeline
from dedup.errors import InputError
from dedup.io.readers import ArticleFiles
from dedup.progress import counting


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(pipeline, "_PREPARE_CHUNK", 40)  # several chunks: the two-pass mode


def planted_articles(n: int = 200, copies: int = 25, seed: int = 4) -> list[Article]:
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(500)])
    texts = [" ".join(rng.choice(words, 110)) + "." for _ in range(n)]
    # a quotation in every third article: own words are then a part of the shingles
    texts = [t + ' She said "' + " ".join(rng.choice(words, 12)) + '."' if i % 3 == 0 else t for i, t in enumerate(texts)]
    texts += [t + " A closing line added by the second site." for t in texts[:copies]]
    articles = [Article(f"id{i:04d}", t) for i, t in enumerate(texts)]
    return [*articles, Article("id0003", "a record that reuses an id"), Article("blank", " ")]


def outcome(result: dedup.Result) -> tuple:
    return result.clusters, result.singletons, result.rejected, result.removed, result.counters


@pytest.mark.parametrize("workers", [1, 2])
def test_two_passes_give_the_result_of_one(small_chunks, workers):
    articles = planted_articles()
    engine = dedup.Deduplicator()
    kept = engine.prepare_batch(iter(articles), workers=workers)  # one-shot: keeps every set
    bounded = engine.prepare_batch(articles, workers=workers)  # a list can be read again
    assert kept.prepared is not None and bounded.prepared is None
    pairs = engine.find_candidates(bounded)
    assert np.array_equal(pairs, engine.find_candidates(kept))
    assert not bounded.loaded.any()  # nothing but signatures after the first pass
    result = engine.finish(bounded, pairs)
    assert np.array_equal(np.flatnonzero(bounded.loaded), np.unique(pairs))  # only candidates read again
    assert len(result.clusters) >= 25
    assert outcome(result) == outcome(engine.finish(kept, pairs))


def test_small_inputs_keep_their_sets_in_one_pass():
    batch = dedup.Deduplicator().prepare_batch(planted_articles(n=30, copies=3))
    assert batch.prepared is not None and batch.loaded.all()


def test_files_are_read_twice_with_the_same_result(small_chunks, tmp_path):
    feed = tmp_path / "feed.jsonl"
    articles = planted_articles()
    feed.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in articles), encoding="utf-8")
    twice = dedup.deduplicate(ArticleFiles([feed]))
    once = dedup.deduplicate(dedup.read_articles([feed]))
    assert outcome(twice) == outcome(once)
    from_stdin = dedup.deduplicate(ArticleFiles(["-"], stdin=io.BytesIO(feed.read_bytes())))
    stdin_once = dedup.deduplicate(dedup.read_articles(["-"], stdin=io.BytesIO(feed.read_bytes())))
    assert outcome(from_stdin) == outcome(stdin_once)
    assert from_stdin.clusters == once.clusters


class ChangingInput:
    """An iterable whose second reading differs from its first."""

    def __init__(self, first: list[Article], second: list[Article]) -> None:
        self.readings = [first, second]

    def __iter__(self):
        def reading():  # a reading starts when its first article is asked for
            yield from self.readings.pop(0) if len(self.readings) > 1 else self.readings[0]

        return reading()


def test_input_that_changes_between_readings_is_an_error(small_chunks):
    articles = planted_articles()
    renamed = [Article("other" + a.id, a.text) for a in articles]
    with pytest.raises(InputError, match="the input changed while it was read twice"):
        dedup.deduplicate(ChangingInput(articles, renamed))
    with pytest.raises(InputError, match="fewer articles"):
        dedup.deduplicate(ChangingInput(articles, articles[:10]))
    shortened = [Article(a.id, a.text[: len(a.text) // 2]) for a in articles]
    with pytest.raises(InputError, match="has other text now"):
        dedup.deduplicate(ChangingInput(articles, shortened))


def test_counting_keeps_an_input_readable_twice_and_counts_once():
    out = io.StringIO()
    counted = counting([1, 2, 3], out, every=0.0)
    iter(counted)  # asking for an iterator does not start the count
    assert list(counted) == [1, 2, 3] == list(counted)
    assert out.getvalue().count("3 articles read and prepared; matching") == 1
    one_shot = counting(iter([1, 2]), out, every=0.0)
    assert iter(one_shot) is one_shot
