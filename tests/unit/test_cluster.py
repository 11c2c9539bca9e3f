"""Graph helpers, and the guard against chaining half-shared texts (a rolling story)."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.cluster import UnionFind, connected_components, group_rows
from dedup.shingle import body_shingles
from dedup.verify import CopyRule, score


def bfs_components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    """Reference: label each node with the smallest node of its component, by BFS."""
    adjacency: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges:
        adjacency[a].append(b)
        adjacency[b].append(a)
    label = [-1] * n
    for start in range(n):
        if label[start] != -1:
            continue
        label[start] = start  # nodes are visited in increasing order: start is the smallest
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in adjacency[node]:
                if label[nxt] == -1:
                    label[nxt] = start
                    queue.append(nxt)
    return label


def test_docstring_example():
    assert connected_components(4, np.array([[0, 1], [2, 3]])).tolist() == [0, 0, 2, 2]


def test_no_edges_and_empty_graph():
    assert connected_components(3, np.empty((0, 2), dtype=np.int64)).tolist() == [0, 1, 2]
    assert connected_components(0, np.empty((0, 2), dtype=np.int64)).tolist() == []


def test_union_find_basics():
    uf = UnionFind(5)
    uf.union(0, 4)
    uf.union(4, 2)
    uf.union(1, 1)
    assert uf.find(2) == uf.find(0) == uf.find(4)
    assert uf.find(1) != uf.find(0)
    assert uf.find(3) == 3


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=60), st.data())
def test_connected_components_equal_bfs(n, data):
    edges = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n)
    )
    labels = connected_components(n, np.array(edges, dtype=np.int64).reshape(-1, 2))
    assert labels.tolist() == bfs_components(n, edges)


@pytest.mark.parametrize("n,density", [(200, 0.004), (500, 0.002), (1000, 0.0012)])
def test_connected_components_equal_bfs_on_larger_random_graphs(n, density):
    rng = np.random.default_rng(n)
    m = int(density * n * n / 2)
    edges = rng.integers(0, n, size=(m, 2))
    labels = connected_components(n, edges)
    assert labels.tolist() == bfs_components(n, [tuple(map(int, e)) for e in edges])


def test_components_independent_of_edge_order():
    rng = np.random.default_rng(3)
    edges = rng.integers(0, 100, size=(80, 2))
    base = connected_components(100, edges)
    for _ in range(5):
        shuffled = edges[rng.permutation(len(edges))][:, ::-1]
        assert np.array_equal(connected_components(100, shuffled), base)


def test_group_rows_keeps_groups_of_two_or_more_in_row_order():
    assert group_rows(np.array([3, 0, 3, 1, 0])) == [[0, 2], [1, 4]]
    assert group_rows(np.arange(4)) == []


# --- end to end: a rolling story -------------------------------------------------------


def rolling_story(prose, layout):
    paragraphs = {k: prose.make(40) for k in range(1, 10)}
    return {name: "\n\n".join(paragraphs[k] for k in ks) for name, ks in layout.items()}


BRIEF_LAYOUT = {"A": [1, 2, 3], "B": [2, 3, 4, 5], "C": [4, 5, 6, 7, 8]}
# B is mostly inside C at the default threshold; C stays the longest (canonical).
WIDE_MIDDLE = {"A": [1, 2, 3], "B": [2, 3, 4, 5, 6], "C": [4, 5, 6, 7, 8, 9]}


@pytest.mark.parametrize(
    "layout,threshold",
    [
        # B shares 2 of its 4 paragraphs with C: a copy at 0.45 but not at the default.
        (BRIEF_LAYOUT, 0.45),
        (BRIEF_LAYOUT, 0.5),
        (WIDE_MIDDLE, 0.5),
    ],
)
def test_rolling_story_never_joins_first_and_last_version(prose, layout, threshold):
    texts = rolling_story(prose, layout)
    result = dedup.deduplicate([dedup.Article(k, v) for k, v in texts.items()], threshold=threshold)
    for cluster in result.clusters:
        ids = {m.id for m in cluster.members}
        assert not {"A", "C"} <= ids, f"A and C chained into one cluster: {cluster}"
        for member in cluster.duplicates:
            assert member.relation in {"exact", "near", "excerpt"}
            # The canonical is the longest version, so each copy is mostly inside it.
            assert member.containment >= threshold, member
    assert result.stats["articles"] == 3


def test_rolling_story_chain_exists_and_is_cut(prose):
    """The premise: A~B and B~C are copies, A and C are not; C is the best copy."""
    texts = rolling_story(prose, BRIEF_LAYOUT)
    threshold = 0.45
    sets = {k: tuple(body_shingles(v, 5))[:2] for k, v in texts.items()}

    def rel(x: str, y: str) -> str:
        (ax, ox), (ay, oy) = sets[x], sets[y]
        return CopyRule(threshold, 10, 10).relation(score(ax, ay, ox, oy))

    assert rel("A", "B") != "none"
    assert rel("B", "C") != "none"
    assert rel("A", "C") == "none"
    result = dedup.deduplicate([dedup.Article(k, v) for k, v in texts.items()], threshold=threshold)
    assert [(c.canonical, [m.id for m in c.members]) for c in result.clusters] == [
        ("C", ["C", "B"])
    ]
    assert result.singletons == ("A",)
    assert "most complete" in result.clusters[0].reason


def test_rolling_story_independent_of_input_order(prose):
    texts = rolling_story(prose, WIDE_MIDDLE)
    articles = [dedup.Article(k, v) for k, v in texts.items()]
    forward = dedup.deduplicate(articles, threshold=0.45)
    backward = dedup.deduplicate(articles[::-1], threshold=0.45)
    assert forward == backward
