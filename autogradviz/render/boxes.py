"""What a picture draws: its boxes (folds, and closed frames of function calls) and arrows.

Folding and ``max_nodes`` give the groups to draw (``graph.fold``); the user's function calls
give the frames (``graph.clusters``). A closed frame is one box standing for every op the
call made; arrows into or out of those ops go to or from the box. The rank direction is
chosen here too: a short graph reads left to right, a long one top to bottom, down a
notebook's column. Imports the graph model, folding and clusters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..graph.clusters import Cluster, clusters_of, outermost_collapsed
from ..graph.fold import Group, shown_groups
from ..graph.model import Graph
from .options import AUTO_LR_RANKS, COLLAPSE_ABOVE, Options


@dataclass
class Boxes:
    """The drawn boxes and arrows of a graph, for one set of options."""

    groups: list[Group]  # every group (folded), drawn or not
    shown: list[Group]  # the groups drawn as their own box
    clusters: dict[str, Cluster]  # the frames (open or closed) by call id
    closed: dict[str, list[Group]]  # closed frames: the groups each box stands for
    box_of: dict[str, str]  # node id -> id of the box that shows it
    arrows: list[tuple[str, str, str, str]] = field(default_factory=list)  # src, dst, from, to

    @property
    def open_clusters(self) -> list[Cluster]:
        """Frames drawn open, outermost first, that hold at least one drawn box."""
        hidden = {c for closed in self.closed for c in _inside(self.clusters, closed)}
        return [
            c for c in self.clusters.values() if c.id not in self.closed and c.id not in hidden
        ]


def _inside(clusters: dict[str, Cluster], call_id: str) -> list[str]:
    found = []
    for child in clusters[call_id].children:
        found += [child, *_inside(clusters, child)]
    return found


def boxes(graph: Graph, opts: Options) -> Boxes:
    """Return what to draw of ``graph`` under ``opts``."""
    groups, shown = shown_groups(graph, opts.fold, opts.max_nodes)
    clusters, innermost = clusters_of(graph, shown) if opts.clusters else ({}, {})
    big = opts.collapse == "auto" and len(shown) > COLLAPSE_ABOVE
    collapsed = {
        c for c, cluster in clusters.items()
        if (c in opts.toggled) != _closed_by_default(cluster, opts.collapse, big)
    }  # fmt: skip
    in_closed = outermost_collapsed(clusters, innermost, collapsed)
    closed: dict[str, list[Group]] = {}
    box_of: dict[str, str] = {}
    for group in shown:
        box = in_closed.get(group)
        if box is not None:
            closed.setdefault(box, []).append(group)
        for member in group.members:
            box_of[member] = box or group.first
    kept = [g for g in shown if g not in in_closed]
    result = Boxes(groups, kept, clusters, closed, box_of)
    result.arrows = _arrows(graph, result)
    return result


def _closed_by_default(cluster: Cluster, collapse: str, big: bool) -> bool:
    """Whether a frame starts closed: ``'all'``/``'none'`` say so; ``'auto'`` decides.

    A function call starts closed in a big graph; a named group that holds no other group
    (a gluon layer, ``dense0``) always does, while one that holds others (a ``Sequential``)
    starts open: a network is drawn as its layers, and a click opens one.
    """
    if collapse != "auto":
        return collapse == "all"
    if cluster.is_group:
        return not cluster.children
    return big


def _arrows(graph: Graph, drawn: Boxes) -> list[tuple[str, str, str, str]]:
    """Return ``(src box, dst box, src node, dst node)`` per arrow, without duplicates."""
    first_of = {m: g.first for g in drawn.groups for m in g.members}
    seen, arrows = set(), []
    for edge in graph.edges:
        src, dst = drawn.box_of.get(edge.src), drawn.box_of.get(edge.dst)
        if src is None or dst is None or src == dst:
            continue
        if dst not in drawn.closed and edge.dst != first_of[edge.dst]:
            continue  # into the middle of a fold: drawn inside the box
        if (src, dst) not in seen:
            seen.add((src, dst))
            arrows.append((src, dst, edge.src, edge.dst))
    return arrows


def rank_direction(drawn: Boxes, opts: Options) -> str:
    """Return ``LR`` for graphs at most ``AUTO_LR_RANKS`` boxes deep, else ``TB``."""
    if opts.rankdir != "auto":
        return opts.rankdir
    depth: dict[str, int] = {}
    for src, dst, _, _ in drawn.arrows:  # arrows follow forward order: one pass suffices
        depth[dst] = max(depth.get(dst, 1), depth.get(src, 1) + 1)
    return "LR" if max(depth.values(), default=1) <= AUTO_LR_RANKS else "TB"
