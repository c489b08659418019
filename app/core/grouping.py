"""Disjoint sets (union-find) for grouping paired items into clusters."""

from __future__ import annotations


class DisjointSets:
    """Items 0..n-1 joined pair by pair. The smaller root always wins, so every group's root
    is its first member and `groups()` lists members in ascending order: deterministic."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[int, list[int]]:
        """Root -> members (ascending), roots in ascending order; singletons included."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out
