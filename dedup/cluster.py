"""Clustering: verified copy pairs -> groups of copies of one text, without chaining.

Two steps:

1. Union-find over the verified pairs gives connected groups.
2. Inside each group, the best article by the canonical policy is elected and
   takes as members only the articles that are themselves verified copies of it.
   The rest of the group is clustered again the same way. So every member of a
   cluster is a verified copy of its canonical: a chain A~B~C whose ends share
   little does not become one cluster unless both ends are copies of the
   canonical itself.

In groups up to ``verify_component_limit`` articles, each remaining article is
verified against the elected canonical directly (LSH may have proposed only the
pair to a middle version); bigger groups use the verified LSH pairs only.

Example:
    >>> connected_components(4, np.array([[0, 1], [2, 3]])).tolist()
    [0, 0, 2, 2]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size.

    Example:
        >>> uf = UnionFind(3); uf.union(0, 2); uf.find(2) == uf.find(0)
        True
    """

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)
        self.size = np.ones(n, dtype=np.int64)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return int(x)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def connected_components(n: int, edges: np.ndarray) -> np.ndarray:
    """Component label of each row: the smallest row index in its component."""
    uf = UnionFind(n)
    for a, b in np.asarray(edges, dtype=np.int64).reshape(-1, 2):
        uf.union(int(a), int(b))
    roots = np.array([uf.find(i) for i in range(n)], dtype=np.int64)
    # Relabel each component by its smallest member, independent of union order.
    smallest = np.full(n, n, dtype=np.int64)
    np.minimum.at(smallest, roots, np.arange(n, dtype=np.int64))
    return smallest[roots]


def star_clusters(
    n: int,
    copy_edges: np.ndarray,
    rank: np.ndarray,
    is_copy: Callable[[int, int], bool],
    verify_component_limit: int,
) -> list[tuple[int, list[int]]]:
    """Clusters as ``(canonical_row, member_rows)``, every member a copy of the canonical.

    Args:
        n: Number of rows.
        copy_edges: ``int[m, 2]`` verified copy pairs.
        rank: Position of each row in the canonical policy order (0 = best); a total order.
        is_copy: Verifies a pair directly (used inside small groups).
        verify_component_limit: Largest group in which pairs are verified directly.

    Returns:
        Clusters of two or more rows, members sorted by rank, canonical first.
    """
    labels = connected_components(n, copy_edges)
    neighbours: dict[int, set[int]] = {}
    for a, b in np.asarray(copy_edges, dtype=np.int64).reshape(-1, 2):
        neighbours.setdefault(int(a), set()).add(int(b))
        neighbours.setdefault(int(b), set()).add(int(a))

    groups: dict[int, list[int]] = {}
    for row in neighbours:
        groups.setdefault(int(labels[row]), []).append(row)

    clusters: list[tuple[int, list[int]]] = []
    for rows in groups.values():
        remaining = sorted(rows, key=lambda r: int(rank[r]))
        direct = len(rows) <= verify_component_limit
        while len(remaining) > 1:
            canonical = remaining[0]
            linked = neighbours.get(canonical, set())
            members = [canonical]
            rest: list[int] = []
            for row in remaining[1:]:
                if row in linked or (direct and is_copy(canonical, row)):
                    members.append(row)
                else:
                    rest.append(row)
            if len(members) > 1:
                clusters.append((canonical, members))
            remaining = rest
    return clusters



def group_rows(labels: np.ndarray) -> list[list[int]]:
    """The rows of each label that has two or more, in row order, groups by first row.

    Example:
        >>> group_rows(np.array([0, 0, 2, 3, 3, 3]))
        [[0, 1], [3, 4, 5]]
    """
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(np.asarray(labels).tolist()):
        groups.setdefault(label, []).append(row)
    return [rows for rows in groups.values() if len(rows) > 1]
