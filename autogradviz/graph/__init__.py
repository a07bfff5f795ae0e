"""Read-only snapshots of recorded computations; never imports render, widget or jupyter.

``model`` (``Graph``, ``Node``, ``Edge``), ``build`` and ``snapshot`` (making one from the
engine), ``capture`` (the backward listener that keeps the last pass), ``names`` (the user's
variable names), ``summary`` (copies and summaries of arrays), ``fold`` (repeated ops as one
``×N`` box, and the ``max_nodes`` selection), ``steps`` (the gradients after k steps of
backward). Imports numpy and the engine; never ``render``, ``widget`` or ``jupyter`` at
import time, nor anything visual.
"""

from __future__ import annotations

from . import capture
from .model import Edge, Graph, Node
from .snapshot import DEFAULT_MAX_ELEMENTS, graph_from_capture, graph_of, last_graph

__all__ = [
    "DEFAULT_MAX_ELEMENTS", "Edge", "Graph", "Node", "capture", "graph_from_capture",
    "graph_of", "last_graph",
]  # fmt: skip
