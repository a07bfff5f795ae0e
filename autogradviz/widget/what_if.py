"""The what-if slider: move one element of a leaf, watch every value and gradient follow.

Opened by the **What if?** tool on a small float leaf. The canvas draws the slider (the
``whatif`` trait: its range and start, JSON) and the plot under it (the ``plot`` trait: the
head against that element, with the tangent whose slope is the gradient there, and one line
saying what is shown). Each move (a ``"whatif"`` message) replays the pass with
``teach.what_if``, and the view draws that replay instead of the recorded pass until the
slider is closed or another box is clicked. The picture says it is a replay: nothing in the
notebook changes. Imports the graph model, ``render`` and ``teach``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..graph.model import Graph
from ..render.dot import html_escape
from ..render.plot import tangent_plot
from ..teach import ReplayError
from ..teach.replay import head_label
from ..teach.whatif import Slider, WhatIf, slider, what_if
from .answers import error_html


def available(graph: Graph | None, box: str) -> bool:
    """Whether the what-if slider can move box ``box`` (a small float leaf, replayable)."""
    if graph is None or not box:
        return False
    try:
        slider(graph, box)
    except (ReplayError, KeyError):
        return False
    return True


def plot_html(result: WhatIf, head: str) -> str:
    """Return the plot and the sentence under it, for the ``plot`` trait."""
    s = result.slider
    svg = tangent_plot(result.curve, (result.value, result.head), result.slope, s.label, head)
    return (
        f'<div class="agv-whatif-text"><b>What if {html_escape(s.label)} = '
        f"{result.value:.4g}?</b> Then {html_escape(head)} = {result.head:.6g}, and its slope "
        f"∂{html_escape(head)}/∂{html_escape(s.label)} = {result.slope:.4g} (the orange "
        f"tangent). The picture shows this replay (float64); nothing in your notebook "
        f"changed (the pass used {html_escape(s.label)} = {s.start:.4g}).</div>{svg}"
    )


class WhatIfPanel:
    """The open what-if slider of a view, and the replayed graph it draws (or ``None``)."""

    def __init__(self, view: Any) -> None:
        self._view = view
        self._replay: Graph | None = None  # the replay drawn while the slider is open
        self._source: Graph | None = None  # the pass it replays
        self._curve: tuple | None = None  # the head over the slider's range (kept while open)
        self._box = ""
        self._slider: Slider | None = None

    @property
    def graph(self) -> Graph | None:
        """The replay the view draws instead of the pass (``None``: none, or another pass)."""
        return self._replay if self._source is self._view.graph else None

    def open(self, graph: Graph, box: str) -> None:
        """Show the slider for the first element of ``box``, at the value the pass used.

        A replay that fails (the student's ``Function`` raising) is said under the picture.
        """
        self._box = box
        try:
            self._set(graph, slider(graph, box), None)
        except Exception as error:
            self.close()
            self._view.canvas.plot = ""
            self._view.tools.answer = error_html(error)

    def move(self, element: Any, value: Any) -> None:
        """Replay with ``element`` set to ``value``; ``None`` for both closes the slider."""
        graph = self._view.graph
        if self._slider is None or graph is None:
            return
        if element is None and value is None:
            self.close()
            return
        try:
            chosen = int(element) if element is not None else self._slider.element
            s = self._slider if chosen == self._slider.element else slider(graph, self._box,
                                                                            chosen)  # fmt: skip
            self._set(graph, s, None if value is None else float(value))
        except Exception as error:  # bad input, a failing replay, the student's code raising
            self._view.canvas.plot = error_html(error)

    def _set(self, graph: Graph, s: Slider, value: float | None) -> None:
        moved = value is not None and value != s.start
        curve = self._curve if self._slider == s and self._source is graph else None
        result = what_if(graph, self._box, s.start if value is None else value, s.element,
                         curve=curve)  # fmt: skip
        self._curve = result.curve
        self._slider, self._source = s, graph
        self._replay = result.graph if moved else None
        canvas = self._view.canvas
        canvas.whatif = json.dumps({**asdict(s), "value": result.value})
        canvas.plot = plot_html(result, head_label(graph))
        self._view.refresh()

    def close(self) -> None:
        """Hide the slider and draw the recorded pass again."""
        if self._slider is None:
            return
        self._slider, self._replay, self._source = None, None, None
        self._view.canvas.whatif = self._view.canvas.plot = ""
        self._view.refresh()
