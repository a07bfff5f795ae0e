"""The backward pass step by step: what the gradients were after the first k steps of backward.

Backward processes nodes in ``Graph.backward_order``; processing a node sends a gradient
along each of its input edges (``Edge.contribution``). After k steps, a node's gradient is
its head gradient (if it is a head) plus what the k processed nodes sent it. The live
widget's stepper and the saved handout both replay a pass with these functions. Pure
functions of the graph model; imports numpy, never anything visual.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .fold import fold_groups
from .model import Edge, Graph, Node
from .summary import Summary


def step_count(graph: Graph) -> int:
    """Return the number of backward steps (nodes whose rule ran)."""
    return len(graph.backward_order)


def processing(graph: Graph, step: int) -> Node | None:
    """Return the node processed at ``step`` (1-based), or ``None`` for step 0."""
    if step < 1 or step > step_count(graph):
        return None
    return graph.node(graph.backward_order[step - 1])


def _add(total: Any, part: Any) -> Any:
    if part is None:
        return total
    if isinstance(part, Summary) or isinstance(total, Summary):
        return part  # a summary cannot be summed: show the latest part (labelled partial)
    return part if total is None else np.asarray(total) + np.asarray(part)


def _sent_to(graph: Graph) -> dict[str, list[Edge]]:
    sent: dict[str, list[Edge]] = {node.id: [] for node in graph.nodes}
    for edge in graph.edges:
        sent[edge.src].append(edge)
    return sent


def grads_after(graph: Graph, step: int) -> dict[str, Any]:
    """Return ``{node id: gradient so far}`` after ``step`` backward steps (None: none yet)."""
    done = set(graph.backward_order[: max(step, 0)])
    sent = _sent_to(graph)
    grads: dict[str, Any] = {}
    for node in graph.nodes:
        total = _head_part(node, sent[node.id]) if node.is_head else None
        for edge in sent[node.id]:
            if edge.dst in done:
                total = _add(total, edge.contribution)
        grads[node.id] = total
    return grads


def _head_part(node: Node, edges: list[Edge]) -> Any:
    """Return the head gradient: the node's total minus what its own consumers sent back."""
    if isinstance(node.grad, Summary) or node.grad is None:
        return node.grad
    total = np.asarray(node.grad)
    for edge in edges:
        if edge.contribution is not None and not isinstance(edge.contribution, Summary):
            total = total - np.asarray(edge.contribution)
    return total


def graph_at_step(graph: Graph, step: int) -> Graph:
    """Return ``graph`` with each node's gradient replaced by its value after ``step`` steps."""
    if step >= step_count(graph):
        return graph
    grads = grads_after(graph, step)  # mid-pass: only what has flowed so far, no buffer yet
    nodes = tuple(node._replace(grad=grads[node.id], grad_buffer=None,
                                grad_kind=None if grads[node.id] is None else "flowed")
                  for node in graph.nodes)  # fmt: skip
    done = set(graph.backward_order[: max(step, 0)])  # only their arrows carried a gradient
    edges = tuple(e if e.dst in done else e._replace(contribution=None) for e in graph.edges)
    return Graph(nodes, edges, graph.heads, graph.backward_order, graph.tape)


def drawn_name(graph: Graph, node: Node, fold: bool) -> str:
    """Name ``node`` as the picture shows it: its name, or its op (and place in a fold)."""
    if node.name:
        return node.name
    for group in fold_groups(graph) if fold else ():
        if node.id in group.members and len(group.members) > 1:
            k = group.members.index(node.id) + 1
            return f"{node.op} ×{len(group.members)} (the {_ordinal(k)} of them)"
    return node.op


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
