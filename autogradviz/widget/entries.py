"""The history of a view: one entry per backward call, its graph built on first use.

Only the newest ``KEEP_TAPES`` entries keep their graphs' tapes (what the teaching tools
replay). Imports ipywidgets and the graph model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import ipywidgets as widgets

from ..graph.model import Graph
from ..graph.tape import Tape

KEEP_TAPES = 3  # the newest passes of a history that keep their tape (up to 2^20 numbers)
_DROPPED = Tape(skipped=(
    "it is an older pass of this cell's history, and only the newest passes keep what it "
    "takes to replay them (memory); run the cell again, or use a newer pass"))  # fmt: skip


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


def drop_old_tapes(entries: Iterable[Entry], shown: int) -> None:
    """Drop the tapes of all built graphs but the newest ``KEEP_TAPES`` and the one shown.

    A tape copies the numbers a pass started from; ``shown`` is an iteration number.
    """
    for entry in list(entries)[:-KEEP_TAPES]:
        graph = entry._graph
        if entry.iteration != shown and graph is not None and graph.tape.replayable:
            entry._graph = entry._source = replace(graph, tape=_DROPPED)


def classed(widget: widgets.DOMWidget, name: str) -> widgets.DOMWidget:
    """Return ``widget`` with the CSS class ``name`` (tests and styles find it by it)."""
    widget.add_class(name)
    return widget
