"""The backward stepper's model: what the gradients were after the first k steps of backward.

Backward processes nodes in ``Graph.backward_order``; processing a node sends a gradient
along each of its input edges (``Edge.contribution``). After k steps, a node's gradient is
its head gradient (if it is a head) plus what the k processed nodes sent it. Reads only the
graph model; imports numpy.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from ..graph.fold import fold_groups
from ..graph.model import Edge, Graph, Node
from ..graph.summary import Summary


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


def status_html(graph: Graph, step: int, stepping: bool, fold: bool = True) -> str:
    """Return the stepper's status line (HTML): which node sent its gradient at ``step``."""
    steps = step_count(graph)
    if not stepping:
        return (f"backward finished in {steps} step{'s' * (steps != 1)}: every gradient is "
                "final. Press Step to replay it.")  # fmt: skip
    if step == 0:
        return f"step 0 of {steps}: only the head gradient is known"
    node = processing(graph, step)
    assert node is not None  # 1 <= step <= steps here
    name = html.escape(drawn_name(graph, node, fold))
    op = f" ({html.escape(node.op)})" if node.name else ""
    done = " Backward is finished." if step == steps else ""
    return f"step {step} of {steps}: <b>{name}</b>{op} sent its gradient to its inputs.{done}"


def step_marks(graph: Graph, step: int, box_of: dict[str, str]) -> dict[str, Any]:
    """Return what re-colouring a drawn graph shows at ``step`` (for graphs slow to lay out).

    ``current``: the box of the node being processed (none at step 0); ``arrows``: its
    arrows, from each input's box to it; ``dim``: the boxes no gradient has reached yet.
    ``box_of`` maps node ids to the drawn boxes (``render.boxes``). Empty at the end.
    """
    if step >= step_count(graph):
        return {}
    node = processing(graph, step)  # None at step 0: only the head gradient is known
    grads = grads_after(graph, step)
    current = box_of.get(node.id, node.id) if node is not None else ""
    inputs = node.inputs if node is not None else ()
    arrows = sorted({(box_of[src], current) for src in inputs if src in box_of})
    reached = {box_of[i] for i, grad in grads.items() if grad is not None and i in box_of}
    dim = sorted(set(box_of.values()) - reached - {current})
    return {"current": current, "arrows": [list(a) for a in arrows], "dim": dim}
