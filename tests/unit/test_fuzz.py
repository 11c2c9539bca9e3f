"""Fuzzing with hypothesis: random bytes and texts through the readers and every stage.
Nothing may crash, and every record must be accounted for."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import Article, Rejection, deduplicate, read_articles
from dedup.cluster import connected_components
from dedup.families import Links, story_families
from dedup.io.fields import FieldMap
from dedup.io.tables import read_csv
from dedup.minhash import signatures
from dedup.shingle import body_shingles, shingles
from dedup.text.clean import clean
from dedup.text.extract import extract_page
from dedup.text.normalize import normalize, repair
from dedup.verify import CopyRule, score

EXAMPLES = int(os.environ.get("DEDUP_FUZZ_EXAMPLES", "150"))
"""Examples per fuzz test; a long hunt: DEDUP_FUZZ_EXAMPLES=5000."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
PAGE_TEXT = st.lists(
    st.one_of(TEXT, st.sampled_from(["Share on Facebook", "Read more", "© 2024 News Ltd", "Photo: AP", "\n", "\n\n", "|"])),
    max_size=20,
).map("".join)


@FUZZ
@given(st.binary(max_size=400))
def test_jsonl_reader_never_crashes_on_bytes(data: bytes) -> None:
    items = []
    try:
        items = list(read_articles(["-"], stdin=io.BytesIO(data)))
    except Exception as exc:  # noqa: BLE001 - only the documented error is allowed
        assert type(exc).__name__ == "InputError", repr(exc)
    assert all(isinstance(i, (Article, Rejection)) for i in items)
    assert len(items) <= data.count(b"\n") + 1


@FUZZ
@given(st.binary(max_size=400))
def test_csv_reader_never_crashes_on_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(b"id,text\n" + data)
    try:
        items = list(read_csv(path, FieldMap()))
    except Exception as exc:  # noqa: BLE001
        assert type(exc).__name__ == "InputError", repr(exc)
    else:
        assert all(isinstance(i, (Article, Rejection)) for i in items)


@settings(max_examples=max(60, EXAMPLES // 3), deadline=None)
@given(st.one_of(st.binary(max_size=600), TEXT.map(lambda t: f"<html><body><p>{t}</p><div>{t}</div></body></html>")))
def test_html_extraction_never_crashes(page: bytes | str) -> None:
    found = extract_page(page)
    assert found is None or (found.text.strip() and all(isinstance(b, str) for b in found.chrome))


@FUZZ
@given(PAGE_TEXT)
def test_repair_clean_normalise_and_shingle_never_crash(text: str) -> None:
    repaired = repair(text)
    cleaned = clean(repaired)
    assert cleaned.body_words >= 0 and all(r.text for r in cleaned.removed)
    sets = body_shingles(cleaned.body, 5)
    assert set(sets.own.tolist()) <= set(sets.shingles.tolist())
    assert set(sets.lede.tolist()) <= set(sets.shingles.tolist())
    flat = shingles(normalize(text), 3)
    assert np.all(flat[1:] > flat[:-1])


@FUZZ
@given(st.lists(st.lists(st.integers(0, 2**64 - 1), max_size=50), min_size=1, max_size=8))
def test_minhash_and_verify_never_crash_and_stay_in_range(raw_sets: list[list[int]]) -> None:
    sets = [np.unique(np.array(s, dtype=np.uint64)) for s in raw_sets]
    matrix = signatures(sets, 32, 1)
    assert matrix.shape == (len(sets), 32)
    for a in sets:
        for b in sets:
            s = score(a, b)
            assert 0.0 <= s.jaccard <= 1.0 and 0.0 <= s.containment_a <= 1.0 and 0.0 <= s.containment_b <= 1.0
            assert CopyRule(0.5, 1, 10).relation(s) in ("none", "excerpt", "near", "exact")


@FUZZ
@given(st.integers(2, 30).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 3), st.booleans()), max_size=60),
    st.lists(st.integers(8, 400), min_size=n, max_size=n), st.permutations(range(n)), st.randoms(use_true_random=False),
)))
def test_families_are_parts_of_components_and_ignore_pair_order(case) -> None:  # noqa: ANN001
    n, raw, sizes, order, rnd = case
    raw = list({frozenset((a, b)): (a, b, inside, trunc) for a, b, inside, trunc in raw if a != b}.values())
    sizes = np.array(sizes, dtype=np.int64)
    shared = [min(sizes[a], sizes[b]) * 3 // 4 for a, b, _, _ in raw]

    def overlap(a: int, b: int) -> int:
        return int(min(sizes[a], sizes[b]) // (1 + (a + b) % 5))

    def families(rows: list[tuple[int, int, int, bool]], counts: list[int]) -> np.ndarray:
        links = Links.build([(a, b) for a, b, _, _ in rows] or np.empty((0, 2)), counts,
                            [i for _, _, i, _ in rows], [t for _, _, _, t in rows])
        return story_families(n, links, sizes, overlap, np.array(order, dtype=np.int64)).labels

    labels = families(raw, shared)
    components = connected_components(n, np.array([(a, b) for a, b, _, _ in raw], dtype=np.int64).reshape(-1, 2))
    for row in range(n):  # a family never spans two components
        assert components[labels[row]] == components[row]
    # The same pairs listed in another order and the other way round give the same families.
    flipped = [(b, a, {1: 2, 2: 1}.get(i, i), t) for a, b, i, t in raw]
    shuffled = list(zip(flipped, shared))
    rnd.shuffle(shuffled)
    again = families([r for r, _ in shuffled], [c for _, c in shuffled])
    assert np.array_equal(again, labels)


@settings(max_examples=max(40, EXAMPLES // 4), deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), PAGE_TEXT), max_size=12))
def test_deduplicate_accounts_for_every_article(records: list[tuple[str, str]]) -> None:
    articles = [Article(i, t) for i, t in records]
    result = deduplicate(articles)
    assert result.stats["articles"] == len(articles)
    listed = [m.id for c in result.clusters for m in c.members] + list(result.singletons) + [r.id for r in result.rejected]
    assert sorted(listed) == sorted(a.id for a in articles)
