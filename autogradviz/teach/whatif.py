"""What if this number were different? Replay the pass with one element of a leaf moved.

``what_if(graph, "w", 2.5)`` runs the recorded ops and backward again (float64) with that
element set to 2.5, and returns the graph with every value and gradient as they would then
be, the head's value and slope there, and the head as a function of that one element over a
fixed range (the curve a plot draws, with the tangent whose slope is the gradient). Nothing
of the student's changes: ``x`` and ``x.grad`` stay as printed; the graph says so (its
gradients are what backward *would* give: ``grad_kind='flowed'``, no ``.grad`` buffer).

"The head" is the number backward differentiated: Σ seed·head (the loss itself for a scalar
loss). Imports numpy, the graph model and the replay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..graph.model import Edge, Graph, Node
from ..graph.summary import snapshot
from .replay import ReplayError, backward, forward, objective, tape_of

MAX_ELEMENTS = 64  # a leaf up to this size can be explored, one element at a time
POINTS = 41  # samples of the curve


@dataclass(frozen=True)
class Slider:
    """What a slider on one element of a leaf needs: its range, start and label."""

    id: str
    label: str  # "w[1, 0]"
    element: int  # flat index into the leaf
    size: int
    low: float
    high: float
    start: float  # the value the pass used


@dataclass(frozen=True)
class WhatIf:
    """The pass replayed with one element moved (see the module docstring)."""

    slider: Slider
    value: float
    graph: Graph
    head: float
    slope: float  # d head / d element, at ``value``
    curve: tuple[tuple[float, float], ...]  # (element value, head value), over the range

    def __str__(self) -> str:
        return (f"what if {self.slider.label} = {self.value:.4g}: the head would be "
                f"{self.head:.6g}, with slope {self.slope:.4g} there (a replay: nothing in "
                "your notebook changed)")  # fmt: skip


def slider(graph: Graph, leaf: str, element: int = 0) -> Slider:
    """Return the slider for element ``element`` (flat index) of leaf box ``leaf``.

    Raises
    ------
    ReplayError
        If the box is not a float leaf (a variable or a constant) of at most
        ``MAX_ELEMENTS`` elements, the element is out of range, or the graph cannot be
        replayed.
    """
    tape = tape_of(graph, "what_if")
    node = graph.node(leaf)
    start_array = tape.values.get(node.id)
    if node.kind not in ("variable", "constant") or start_array is None:
        raise ReplayError(f"what_if: box {node.id} is an op; move a leaf (a variable or a "
                          "constant) and the ops after it follow.")  # fmt: skip
    if start_array.dtype.kind != "f" or start_array.size > MAX_ELEMENTS:
        raise ReplayError(
            f"what_if: box {node.id} has {start_array.size} {start_array.dtype} elements; "
            f"what-if moves one element of a float array of at most {MAX_ELEMENTS}."
        )
    if not 0 <= element < start_array.size:
        raise ReplayError(f"what_if: element {element} is out of range for {start_array.size}.")
    index = np.unravel_index(element, start_array.shape) if start_array.ndim else ()
    start = float(start_array.reshape(-1)[element])
    reach = max(1.0, abs(start))
    where = f"[{', '.join(str(int(k)) for k in index)}]" if start_array.size > 1 else ""
    return Slider(node.id, f"{node.name or node.id}{where}", element, int(start_array.size),
                  start - reach, start + reach, start)  # fmt: skip


def what_if(graph: Graph, leaf: str, value: float, element: int = 0, max_elements: int = 1000,
            curve: tuple[tuple[float, float], ...] | None = None) -> WhatIf:  # fmt: skip
    """Return the pass replayed with element ``element`` of ``leaf`` set to ``value``.

    ``curve``: the one an earlier call gave for the same element (it does not depend on
    ``value``), so that a slider's moves do not recompute it.
    """
    s = slider(graph, leaf, element)
    tape = graph.tape
    values = forward(graph, {s.id: _moved(tape.values[s.id], element, value)}, "what_if")
    sent: dict[tuple[str, int], np.ndarray] = {}
    grads = backward(graph, values, tool="what_if", sent=sent)
    slope = float(grads[s.id].reshape(-1)[element]) if s.id in grads else 0.0
    return WhatIf(s, float(value), _replayed(graph, values, grads, sent, max_elements),
                  objective(graph, values, tape.seeds), slope,
                  _curve(graph, s) if curve is None else curve)  # fmt: skip


def _moved(start: np.ndarray, element: int, value: float) -> np.ndarray:
    moved = np.array(start, dtype=np.float64)
    moved.reshape(-1)[element] = value
    return moved


def _curve(graph: Graph, s: Slider) -> tuple[tuple[float, float], ...]:
    """Return the head over the slider's range (forward replays only)."""
    start = graph.tape.values[s.id]
    points = []
    for x in np.linspace(s.low, s.high, POINTS):
        values = forward(graph, {s.id: _moved(start, s.element, float(x))}, "what_if")
        points.append((float(x), objective(graph, values, graph.tape.seeds)))
    return tuple(points)


def _replayed(graph: Graph, values: dict, grads: dict, sent: dict,
              max_elements: int) -> Graph:  # fmt: skip
    """Return ``graph`` with the replay's values and gradients (hypothetical: 'flowed')."""
    nodes = tuple(_node(n, values.get(n.id), grads.get(n.id), max_elements) for n in graph.nodes)
    edges = tuple(
        Edge(e.src, e.dst, e.index, snapshot(sent[(e.dst, e.index)], max_elements)[0]
             if (e.dst, e.index) in sent else None)
        for e in graph.edges
    )  # fmt: skip
    return Graph(nodes, edges, graph.heads, graph.backward_order, graph.tape)


def _node(node: Node, value: object, grad: object, max_elements: int) -> Node:
    new_value, value_bad = (node.value, False)
    if value is not None:
        new_value, value_bad = snapshot(value, max_elements)
    if node.kind == "constant":
        return node._replace(value=new_value, value_nonfinite=value_bad)
    new_grad, grad_bad = snapshot(grad, max_elements)
    return node._replace(value=new_value, value_nonfinite=value_bad, grad=new_grad,
                         grad_nonfinite=grad_bad, grad_buffer=None,
                         grad_kind=None if new_grad is None else "flowed")  # fmt: skip
