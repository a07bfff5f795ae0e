"""Grouping a graph's ops by the user's function calls: one named cluster per call.

The ops made inside one call of a student's function (``def net(X): ...``) belong together;
a picture draws them in one named frame, or, collapsed, as one box. Calls that contain every
op of the graph (a ``main()`` or a test function around the whole cell) say nothing and are
left out, so flat code stays flat. Variables and constants belong to no cluster: they are the
inputs students look for (``W1``), drawn outside the boxes. Imports the graph model only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fold import Group
from .model import Graph


@dataclass
class Cluster:
    """One call of a user's function: its groups, and the calls made inside it."""

    id: str  # the call id (``c0``), unique in the graph
    name: str  # the function's name
    parent: str | None
    groups: list[Group] = field(default_factory=list)  # made directly in this call
    children: list[str] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        """Whether this is a named group (a gluon Block's call), not a function call."""
        return self.id.startswith("g")

    @property
    def label(self) -> str:
        """What the frame is called: ``net()`` for a function call, ``dense0`` for a group."""
        return self.name if self.is_group else f"{self.name}()"

    def all_groups(self, clusters: dict[str, Cluster]) -> list[Group]:
        """Return this call's groups and those of every call inside it, in forward order."""
        found = list(self.groups)
        for child in self.children:
            found += clusters[child].all_groups(clusters)
        return found


def _scope(graph: Graph, group: Group) -> tuple[tuple[str, str], ...]:
    return graph.node(group.first).scope


def clusters_of(graph: Graph, groups: list[Group]) -> tuple[dict[str, Cluster], dict[Group, str]]:
    """Return the clusters by id, and for each clustered group its innermost cluster id."""
    ops = [g for g in groups if graph.node(g.first).kind == "op"]
    common = _common_prefix([_scope(graph, g) for g in ops])
    clusters: dict[str, Cluster] = {}
    innermost: dict[Group, str] = {}
    for group in ops:
        scope = _scope(graph, group)[common:]
        parent = None
        for call_id, name in scope:
            if call_id not in clusters:
                clusters[call_id] = Cluster(call_id, name, parent)
                if parent is not None:
                    clusters[parent].children.append(call_id)
            parent = call_id
        if parent is not None:
            clusters[parent].groups.append(group)
            innermost[group] = parent
    return clusters, innermost


def _common_prefix(scopes: list[tuple[tuple[str, str], ...]]) -> int:
    if not scopes:
        return 0
    length = min(len(s) for s in scopes)
    first = scopes[0]
    for k in range(length):
        if any(s[k] != first[k] for s in scopes):
            return k
    return length


def outermost_collapsed(
    clusters: dict[str, Cluster], innermost: dict[Group, str], collapsed: set[str]
) -> dict[Group, str]:
    """Return, for each group inside a collapsed cluster, the outermost collapsed one."""
    found: dict[Group, str] = {}
    for group, call_id in innermost.items():
        chain = []
        current: str | None = call_id
        while current is not None:
            chain.append(current)
            current = clusters[current].parent
        closed = [c for c in reversed(chain) if c in collapsed]
        if closed:
            found[group] = closed[0]
    return found
