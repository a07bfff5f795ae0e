"""Making big graphs readable: folding repeated ops, and keeping at most ``max_nodes``.

A *fold* is a chain of nodes with the same op and the same constant operands, each the only
consumer of the previous one (``b = b * 2`` in a loop): it is drawn as one ``×N`` node.
Imports the graph model only.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .model import Graph, Node


@dataclass(frozen=True)
class Group:
    """Nodes drawn as one box: ``first`` takes the inputs, ``last`` gives the output."""

    members: tuple[str, ...]

    @property
    def first(self) -> str:
        """Id of the chain's first node."""
        return self.members[0]

    @property
    def last(self) -> str:
        """Id of the chain's last node."""
        return self.members[-1]


def _consumers(graph: Graph) -> dict[str, list[str]]:
    consumers: dict[str, list[str]] = {node.id: [] for node in graph.nodes}
    for edge in graph.edges:
        consumers[edge.src].append(edge.dst)
    return consumers


def _continues(prev: Node, node: Node, consumers: dict[str, list[str]]) -> bool:
    return (
        node.kind == "op" and prev.kind == "op" and node.op == prev.op
        and node.attrs == prev.attrs and node.inputs == (prev.id,)
        and consumers[prev.id] == [node.id] and not prev.is_head and prev.name is None
    )  # fmt: skip


def fold_groups(graph: Graph) -> list[Group]:
    """Return the graph's nodes as groups in forward order; chains of 2+ are folded."""
    consumers = _consumers(graph)
    groups: list[list[str]] = []
    for node in graph.nodes:
        if groups and _continues(graph.node(groups[-1][-1]), node, consumers):
            groups[-1].append(node.id)
        else:
            groups.append([node.id])
    return [Group(tuple(members)) for members in groups]


def single_groups(graph: Graph) -> list[Group]:
    """Return one group per node (no folding)."""
    return [Group((node.id,)) for node in graph.nodes]


def keep_nearest(graph: Graph, groups: list[Group], max_nodes: int) -> list[Group]:
    """Keep at most ``max_nodes`` groups: heads and variables first, then their neighbours.

    Groups are ranked by distance (in edges, either direction) from the nearest head or
    variable, so the picture keeps the ends a student cares about.
    """
    if len(groups) <= max_nodes:
        return groups
    # groups by position (ints hash fast; a Group would hash its members at every lookup)
    index_of = {member: k for k, g in enumerate(groups) for member in g.members}
    neighbours: list[set[int]] = [set() for _ in groups]
    for edge in graph.edges:
        a, b = index_of[edge.src], index_of[edge.dst]
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    far = 1 << 30
    distance = [0 if _is_anchor(graph, g) else far for g in groups]
    queue = deque(k for k, d in enumerate(distance) if d == 0)
    while queue:
        k = queue.popleft()
        for other in neighbours[k]:
            if distance[other] == far:
                distance[other] = distance[k] + 1
                queue.append(other)
    ranked = sorted(range(len(groups)), key=lambda k: (distance[k], k))
    kept = set(ranked[:max_nodes])
    return [g for k, g in enumerate(groups) if k in kept]


def shown_groups(graph: Graph, fold: bool, max_nodes: int) -> tuple[list[Group], list[Group]]:
    """Return ``(all groups, the groups drawn)`` for the ``fold`` and ``max_nodes`` options."""
    groups = fold_groups(graph) if fold else single_groups(graph)
    return groups, keep_nearest(graph, groups, max_nodes)


def _is_anchor(graph: Graph, group: Group) -> bool:
    return any(graph.node(m).is_head or graph.node(m).kind == "variable" for m in group.members)
