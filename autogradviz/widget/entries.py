"""The history of a view: one entry per backward call, its graph built on first use.

Imports ipywidgets and the graph model.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..graph.model import Graph


class Entry:
    """One backward call in the history; its graph is built on first use, then kept."""

    def __init__(self, source: Graph | Callable[[], Graph], iteration: int) -> None:
        self.iteration = iteration  # which backward call of the cell (1, 2, ...)
        self._source = source
        self._graph: Graph | None = source if isinstance(source, Graph) else None

    def graph(self) -> Graph:
        """Return the graph, building it the first time."""
        if self._graph is None:
            self._graph = self._source()  # type: ignore[operator]
            self._source = self._graph  # let the engine objects go
        return self._graph


def classed(widget: widgets.DOMWidget, name: str) -> widgets.DOMWidget:
    """Return ``widget`` with the CSS class ``name`` (tests and styles find it by it)."""
    widget.add_class(name)
    return widget
