"""The widget's teaching tools: buttons under the inspector that test an idea on its box.

**Check** runs ``teach.check`` on the inspected box (the graph of the whole pass, whatever
step the stepper shows) and shows the verdict: ✓, or ✗ with the relative error, the worst
element and the op to blame, which is then selected on the picture. A failure to replay
(too big, or the student's ``Function`` raising) is shown as text, never as a traceback.
Imports ipywidgets, the graph model and ``teach``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..graph.model import Graph
from ..render.dot import html_escape
from ..teach import CheckResult, check
from .inspector import clicked_box, inspected_id


def check_html(result: CheckResult) -> str:
    """Return a check's verdict as HTML: the text form, coloured, the culprit named."""
    colour = "#2ca02c" if result.ok else "#d62728"
    lines = str(result).split("\n")
    head = f'<div style="color:{colour};font-weight:bold">{html_escape(lines[0])}</div>'
    rest = "".join(f"<div>{html_escape(line.strip())}</div>" for line in lines[1:])
    return f'<div class="agv-check-verdict">{head}{rest}</div>'


class ToolsPanel(widgets.VBox):
    """The tool buttons of a :class:`GraphView` and the answer they give.

    ``view`` is the GraphView: the tools read its ``graph`` (the whole pass), the box its
    inspector shows, and select a box on its ``canvas``.
    """

    def __init__(self, view: Any) -> None:
        self._view = view
        self._answered: str | None = None  # the box the answer is about
        self.check = widgets.Button(
            description="Check this node",
            tooltip="compare its gradient with central finite differences (float64 replay)",
        )
        self.check.add_class("agv-check")
        self.answer = widgets.HTML()
        self.answer.add_class("agv-tool-answer")
        self.check.on_click(lambda _: self.run_check())
        super().__init__([self.check, self.answer])

    def _inspected(self) -> tuple[Graph | None, str]:
        """Return the graph shown and the box its inspector shows (a fold's last op)."""
        view = self._view
        graph = view.graph
        if graph is None:
            return None, ""
        return graph, inspected_id(graph, clicked_box(graph, view.canvas.selected),
                                   view.options.fold)  # fmt: skip

    def update(self) -> None:
        """Enable the buttons for the inspected box; forget the answer about another box."""
        graph, box = self._inspected()
        kind = _kind(graph, box)
        self.check.disabled = kind not in ("variable", "op")
        self.check.description = "Check this node" if kind != "op" else "Check this op's rule"
        if self._answered != box:
            self.answer.value = ""

    def run_check(self) -> None:
        """Check the inspected box and show the verdict (and select the op to blame)."""
        graph, box = self._inspected()
        if graph is None or not box:
            return
        self.answer.value = "<i>checking: replaying the pass with each element moved…</i>"
        try:
            result = check(graph, box)
        except Exception as error:  # a replay failure, or the student's code raising
            self._answered = box
            self.answer.value = f"<div>{html_escape(f'{type(error).__name__}: {error}')}</div>"
            return
        self._answered = box
        self.answer.value = check_html(result)
        if result.culprit is not None and result.culprit.id != box:
            self._answered = result.culprit.id  # selecting it keeps this answer shown
            self._view.canvas.selected = result.culprit.id


def _kind(graph: Graph | None, box: str) -> Any:
    if graph is None or not box:
        return None
    try:
        return graph.node(box).kind
    except KeyError:
        return None
