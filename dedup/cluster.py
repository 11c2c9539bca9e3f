"""Graph helpers for the family stage: union-find, connected components, groups.

Example:
    >>> connected_components(4, np.array([[0, 1], [2, 3]])).tolist()
    [0, 0, 2, 2]
"""

from __future__ import annotations

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
