"""The widget's teaching tools: buttons under the inspector that test an idea on its box.

They work on the graph of the whole pass, whatever step the stepper shows.

- **Check** runs ``teach.check`` on the inspected box and shows the verdict: ✓, or ✗ with
  the relative error, the worst element and the op to blame, which is then selected and
  outlined in red on the picture.
- **Why zero?** (shown when the box's gradient is zero, partly zero or missing, or when
  ``.grad`` is not this pass's gradient) runs ``teach.why`` and outlines in red the ops
  where the gradient stopped.

A failure (a replay too big, the student's ``Function`` raising) is shown as text, never as
a traceback. Imports ipywidgets, the graph model, ``render.boxes`` and ``teach``.
"""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as widgets

from ..graph.model import Graph
from ..render.boxes import boxes
from ..render.dot import html_escape
from ..teach import CheckResult, Diagnosis, check, why
from .inspector import clicked_box, inspected_id


def check_html(result: CheckResult) -> str:
    """Return a check's verdict as HTML: the text form, coloured, the culprit named."""
    colour = "#2ca02c" if result.ok else "#d62728"
    lines = str(result).split("\n")
    head = f'<div style="color:{colour};font-weight:bold">{html_escape(lines[0])}</div>'
    rest = "".join(f"<div>{html_escape(line.strip())}</div>" for line in lines[1:])
    return f'<div class="agv-check-verdict">{head}{rest}</div>'


def why_html(diagnosis: Diagnosis) -> str:
    """Return a diagnosis as HTML: its verdict, then one line per reason."""
    lines = str(diagnosis).split("\n")
    items = "".join(f"<li>{html_escape(line.strip()[2:])}</li>" for line in lines[1:])
    return (f'<div class="agv-why"><b>{html_escape(lines[0])}</b>'
            f'{f"<ul>{items}</ul>" if items else ""}</div>')  # fmt: skip


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
        self.why = widgets.Button(
            description="Why zero?", tooltip="why this gradient is zero, missing, or not .grad"
        )
        self.why.add_class("agv-why-button")
        self.check.on_click(lambda _: self.run_check())
        self.why.on_click(lambda _: self.run_why())
        buttons = widgets.HBox([self.check, self.why])
        super().__init__([buttons, self.answer])

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
        diagnosis = self._diagnosis(graph, box)
        self.why.layout.display = "" if diagnosis is not None else "none"
        if diagnosis is not None:
            self.why.description = _WHY_LABELS.get(diagnosis.verdict, "Why zero?")
        if self._answered != box:
            self.answer.value = ""
            self._view.canvas.marks = ""

    def _diagnosis(self, graph: Graph | None, box: str) -> Diagnosis | None:
        """Return the box's diagnosis if it has something to say, else ``None``."""
        if graph is None or not box:
            return None
        diagnosis = why(graph, box, latest=self._view.showing_latest)
        return None if diagnosis.verdict == "nonzero" and not diagnosis.reasons else diagnosis

    def run_why(self) -> None:
        """Show why the inspected box's gradient is what it is; outline where it stopped."""
        graph, box = self._inspected()
        diagnosis = self._diagnosis(graph, box)
        if graph is None or diagnosis is None:
            return
        self._answered = box
        self.answer.value = why_html(diagnosis)
        self._mark(graph, diagnosis.stops)

    def _mark(self, graph: Graph, ids: tuple[str, ...]) -> None:
        """Outline these boxes in red (as drawn: a closed frame stands for its ops)."""
        box_of = boxes(graph, self._view.options).box_of
        self._view.canvas.marks = json.dumps(sorted({box_of.get(i, i) for i in ids}))

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
            self._mark(graph, (result.culprit.id,))


_WHY_LABELS = {"constant": "Why no gradient?", "missing": "Why no gradient?",
               "nonzero": "Why not .grad?"}  # fmt: skip


def _kind(graph: Graph | None, box: str) -> Any:
    if graph is None or not box:
        return None
    try:
        return graph.node(box).kind
    except KeyError:
        return None
