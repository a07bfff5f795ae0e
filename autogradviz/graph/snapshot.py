"""``graph_of`` and ``last_graph``: the public ways to get a snapshot of a computation.

``graph_of(head)`` snapshots the history behind arrays; ``last_graph()`` the most recent
backward pass, with every node's gradient and the gradient carried by every edge.
Imports the engine, the capture and the builder; nothing visual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine.backward import topological_order
from ..errors import GraphError
from . import capture
from .build import Builder
from .model import Graph
from .names import find_names
from .tape import REPLAY_LIMIT

DEFAULT_MAX_ELEMENTS = 1000
_namer: list[Callable[[str], str]] = []  # how source files are named (a notebook: "cell [3]")


def name_sources(namer: Callable[[str], str] | None) -> None:
    """Name source files with ``namer`` in every graph built from now (``None``: file names).

    The IPython extension sets it, so that ``last_graph()`` says ``cell [3]:2`` as the widget
    does.
    """
    _namer[:] = [] if namer is None else [namer]


def graph_of(head: Any, *more_heads: Any, max_elements: int = DEFAULT_MAX_ELEMENTS,
             replay_limit: int = REPLAY_LIMIT) -> Graph:  # fmt: skip
    """Return a snapshot of the recorded history that produced ``head`` (and ``more_heads``).

    Works before backward (values only) and after it with ``retain_graph=True`` (variables
    then carry their ``.grad``). Arrays of more than ``max_elements`` are summarized; the
    graph's tape (for the teaching tools) copies at most ``replay_limit`` numbers.

    Raises
    ------
    GraphError
        If a head is not part of a live recorded graph.
    """
    heads = [head, *more_heads]
    for h in heads:
        if getattr(h, "_node", None) is None or h._node.inputs is None:
            raise GraphError(
                "graph_of: the array is not part of a live recorded graph (shape "
                f"{getattr(h, 'shape', '?')}); compute it inside autograd.record(), and pass "
                "retain_graph=True to backward to keep the graph, or use last_graph()."
            )
    order, arrays = topological_order(heads)
    builder = Builder(order, arrays, find_names(), max_elements, _namer[0] if _namer else None,
                      replay_limit)  # fmt: skip
    return builder.build(heads, None)


def last_graph(
    max_elements: int = DEFAULT_MAX_ELEMENTS, replay_limit: int = REPLAY_LIMIT
) -> Graph:
    """Return the graph of the most recent ``backward()`` or ``autograd.grad()`` call.

    Every node carries its gradient (intermediates too) and every edge the gradient it
    carried. Needs graph capture: ``autogradviz.capture.enable()`` or ``%load_ext autogradviz``.

    Raises
    ------
    GraphError
        If no backward pass was captured yet.
    """
    captured = capture.last()
    if captured is None:
        raise GraphError(
            "last_graph: no backward pass has been captured yet. Turn capture on with "
            "autogradviz.capture.enable() (or %load_ext autogradviz), then run backward()."
        )
    return graph_from_capture(captured, max_elements, find_names(), replay_limit=replay_limit)


def graph_from_capture(
    captured: tuple,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    names_now: dict | None = None,
    where: Callable[[str], str] | None = None,
    replay_limit: int = REPLAY_LIMIT,
) -> Graph:
    """Return the graph of a captured backward pass (an item of ``capture.last()``).

    Names seen when backward ran win over ``names_now`` (a function's locals are gone later).
    ``where`` names a source file for ``Node.source`` (the extension says ``cell [3]``).
    """
    run, kept, names_then = captured
    names = {**(names_now or {}), **names_then}
    where = where or (_namer[0] if _namer else None)
    builder = Builder(run.order, run.arrays, names, max_elements, where, replay_limit)
    return builder.build(run.heads, run, kept)
