"""Held beginnings: passage keys find where a text's lede sits inside another, exactly counted."""

from __future__ import annotations

import numpy as np

from dedup import beginnings
from dedup.shingle import body_passages, body_shingles
from tests.support.prose import ProseMaker

LEDE = 20


def test_a_page_quoting_a_lede_shares_its_lede_keys_wherever_it_quotes_it(prose: ProseMaker):
    lede, rest = prose.make(24), [prose.make(40) for _ in range(4)]
    body = "\n\n".join([lede] + rest)
    story = body_shingles(body, 5, lede=LEDE)
    for before in (prose.make(3), prose.make(55), prose.make(140)):  # at the top, after a lede, deep inside
        page = "\n\n".join([before, lede, prose.make(30)])
        assert np.isin(story.lede_passages, body_passages(page)).all()
        assert beginnings.held(body_shingles(page, 5, lede=LEDE).shingles, story.head, LEDE) == LEDE
    assert np.isin(story.lede_passages, body_passages(body)).all()
    # Sampled by content: about one run of words in four is a key, whatever the text.
    assert 0.1 < body_passages(body).size / story.shingles.size < 0.4


def test_a_text_holds_a_beginning_only_with_most_of_a_full_lede(prose: ProseMaker):
    words = prose.make(60).split()
    story = body_shingles(" ".join(words), 5, lede=LEDE)
    most = body_shingles(" ".join(words[3:40]), 5, lede=LEDE)  # the lede without its first three words
    half = body_shingles(" ".join(words[12:40]), 5, lede=LEDE)
    assert beginnings.held(most.shingles, story.head, LEDE) == LEDE - 3
    assert beginnings.held(half.shingles, story.head, LEDE) == 0
    short = body_shingles(" ".join(words[:15]), 5, lede=LEDE)  # no full lede: nothing to hold
    assert beginnings.held(story.shingles, short.head, LEDE) == 0 and short.lede_passages.size == 0


def test_candidates_pair_holders_with_the_owners_of_the_keys_they_hold():
    holders = np.array([0, 0, 1, 2]), np.array([5, 7, 5, 9], dtype=np.uint64)
    owners = np.array([3, 4, 1, 2]), np.array([5, 5, 7, 9], dtype=np.uint64)
    pairs = beginnings.candidate_pairs(*holders, *owners)
    assert pairs.tolist() == [[0, 1], [0, 3], [0, 4], [1, 3], [1, 4]]  # row 2 holds only its own key
    assert beginnings.candidate_pairs(*holders, np.array([8]), np.array([6], dtype=np.uint64)).shape == (0, 2)


def test_holder_and_owner_keys_never_meet_each_other(prose: ProseMaker):
    body = prose.make(80)
    story, passages = body_shingles(body, 5, lede=LEDE), body_passages(body)
    assert np.intersect1d(beginnings.holder_keys(passages), beginnings.owner_keys(story.lede_passages)).size == 0
    assert beginnings.lookup_keys(passages, story.lede_passages).dtype == np.int64
