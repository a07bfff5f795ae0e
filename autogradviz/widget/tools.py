"""The widget's teaching tools: buttons on the drawing that test an idea on the clicked box.

They work on the graph of the whole pass, whatever step the stepper shows, and answer right
under the drawing. The buttons and the answer are drawn by the canvas (no widgets of their
own, so a saved notebook stays small); this module says which buttons to show (the
canvas's ``tools`` trait), answers their clicks (a ``"tool"`` message) in its ``answer``
trait (HTML of escaped text only), and outlines boxes (``marks``).

- **Check** runs ``teach.check`` on the inspected box and shows the verdict: ✓, or ✗ with
  the relative error, the worst element and the op to blame, which is then selected and
  outlined in red on the picture.
- **Why zero?** (only when the box's gradient is zero, partly zero or missing, or when
  ``.grad`` is not this pass's gradient) runs ``teach.why`` and outlines in red the ops
  where the gradient stopped.
- **Chain rule** (an op a gradient reached) shows ``teach.chain_rule``'s card: each
  input's step as a formula, with this pass's numbers and the shapes, and its Markdown
  (LaTeX) to copy into a handout.
- **What if?** (a small float leaf) opens the slider of ``what_if.WhatIfPanel``.
- **Quiz me** (any graph with gradients, whatever is clicked) starts ``quiz_panel``'s quiz;
  **Stop quiz** ends it.
- **Handout** (any graph) sends the browser ``render.handout``'s self-contained page of the
  pass to download (a ``"download"`` message): the stepper and the cards, no kernel needed.

A failure (a replay too big, the student's ``Function`` raising) is shown as text, never as
a traceback. Imports the graph model, ``render.boxes`` and ``teach``.
"""

from __future__ import annotations

import json
from typing import Any

from ..graph.model import Graph
from ..render.boxes import boxes
from ..render.handout import to_handout
from ..teach import Diagnosis, chain_rule, check, why
from .answers import card_html, check_html, error_html, why_html
from .inspector import clicked_box, inspected_id
from .quiz_panel import QuizPanel
from .what_if import WhatIfPanel, available

_WHY_LABELS = {"constant": "Why no gradient?", "missing": "Why no gradient?",
               "nonzero": "Why not .grad?"}  # fmt: skip


class Tools:
    """The teaching tools of a :class:`GraphView`: which buttons to show, and their answers.

    ``view`` is the GraphView: the tools read its ``graph`` (the whole pass), the box its
    inspector shows, and set its canvas's ``tools``, ``marks`` and ``selected``.
    """

    def __init__(self, view: Any) -> None:
        self._view = view
        self._answered: tuple[Graph | None, str] | None = None  # the (pass, box) answered
        self.panel = WhatIfPanel(view)
        self.quiz = QuizPanel(view)

    @property
    def hypothetical(self) -> Graph | None:
        """What the view draws instead of the pass: the quiz's masked graph, or a what-if."""
        masked = self.quiz.graph
        return masked if masked is not None else self.panel.graph

    def what_if(self, element: Any, value: Any) -> None:
        """Answer a move of the what-if slider (``None`` for both: it was closed)."""
        self.panel.move(element, value)

    @property
    def answer(self) -> str:
        """The answer shown under the drawing (HTML)."""
        return str(self._view.canvas.answer)

    @answer.setter
    def answer(self, html: str) -> None:
        self._view.canvas.answer = html

    def _inspected(self) -> tuple[Graph | None, str]:
        """Return the graph shown and the box its inspector shows (a fold's last op)."""
        view = self._view
        graph = view.graph
        if graph is None:
            return None, ""
        return graph, inspected_id(graph, clicked_box(graph, view.canvas.selected),
                                   view.options.fold)  # fmt: skip

    def update(self) -> None:
        """Show the buttons that help with the inspected box; forget answers about others.

        An answer, an outline, the what-if slider and the quiz belong to one box of one
        pass: another pass shown (the history slider, a new backward) ends them all.
        """
        graph, box = self._inspected()
        if self.quiz.quiz is not None and self.quiz.quiz.graph is not graph:
            self.quiz.stop()
        answered = self._answered
        if answered is None or answered[0] is not graph or answered[1] != box:
            self.answer, self._answered = "", None
            if self.quiz.quiz is None:  # (a quiz outlines the box it asks about)
                self._view.canvas.marks = ""
            self.panel.close()
        self._view.canvas.tools = json.dumps(self._labels(graph, box), sort_keys=True)

    def _labels(self, graph: Graph | None, box: str) -> dict[str, str]:
        """Return the buttons to show: the graph's, and (no quiz running) the box's."""
        if graph is None:
            return {}
        labels = {"handout": "Handout"}
        if graph.backward_order:
            labels["quiz"] = "Stop quiz" if self.quiz.quiz is not None else "Quiz me"
        if self.quiz.quiz is not None:  # the box tools would give the answers away
            return labels
        kind = graph.node(box).kind if box else None
        if kind in ("variable", "op"):
            labels["check"] = "Check this node" if kind == "variable" else "Check this op's rule"
        if kind == "op" and graph.node(box).grad is not None:
            labels["chain"] = "Chain rule"
        if kind in ("variable", "constant") and available(graph, box):
            labels["whatif"] = "What if?"
        diagnosis = self._diagnosis(graph, box)
        if diagnosis is not None:
            labels["why"] = _WHY_LABELS.get(diagnosis.verdict, "Why zero?")
        return labels

    def _diagnosis(self, graph: Graph | None, box: str) -> Diagnosis | None:
        """Return the box's diagnosis if it has something to say, else ``None``."""
        if graph is None or not box:
            return None
        diagnosis = why(graph, box, latest=self._view.showing_latest)
        return None if diagnosis.verdict == "nonzero" and not diagnosis.reasons else diagnosis

    def run(self, tool: str) -> None:
        """Answer a click on a tool's button (``'check'``, ``'why'``, ``'chain'``, ...)."""
        if tool == "handout":  # the whole graph's, whatever is clicked
            self._send_handout()
            return
        if tool == "quiz":
            self._toggle_quiz()
            return
        graph, box = self._inspected()
        answer = {"check": self._check, "why": self._why, "chain": self._chain,
                  "whatif": self._what_if}.get(tool)  # fmt: skip
        if graph is None or not box or answer is None:
            return
        self._answered = (graph, box)
        self._view.canvas.marks = ""
        answer(graph, box)

    def _toggle_quiz(self) -> None:
        self.answer = ""
        self.panel.close()
        if self.quiz.quiz is not None:
            self.quiz.stop()
        else:
            self.quiz.start()

    def _what_if(self, graph: Graph, box: str) -> None:
        self.answer = ""
        self.panel.open(graph, box)

    def _chain(self, graph: Graph, box: str) -> None:
        try:
            self.answer = card_html(chain_rule(graph, box))
        except Exception as error:  # a replay failure (a big array's numbers)
            self.answer = error_html(error)

    def _why(self, graph: Graph, box: str) -> None:
        diagnosis = self._diagnosis(graph, box)
        self.answer = why_html(diagnosis) if diagnosis is not None else ""
        self._mark(graph, diagnosis.stops if diagnosis is not None else ())

    def _check(self, graph: Graph, box: str) -> None:
        try:
            result = check(graph, box, latest=self._view.showing_latest)
        except Exception as error:  # a replay failure, or the student's code raising
            self.answer = error_html(error)
            return
        self.answer = check_html(result)
        if result.culprit is not None and result.culprit.id != box:
            self._answered = (graph, result.culprit.id)  # selecting it keeps this answer
            self._view.canvas.selected = result.culprit.id
            self._mark(graph, (result.culprit.id,))

    def _send_handout(self) -> None:
        """Send the pass's handout to the browser to download, and say so under the picture."""
        view = self._view
        graph = view.graph
        if graph is None:
            return
        try:
            page = to_handout(graph, values=view.options.values, grads=view.options.grads,
                              shapes=view.options.shapes)  # fmt: skip
        except Exception as error:  # a layout that failed or timed out
            self.answer = error_html(error)
            return
        name = "autogradviz-handout.html"
        view.canvas.send({"kind": "download", "name": name, "html": page})
        size = len(page.encode()) // 1024 + 1
        self.answer = (f"<div><b>Handout</b>: {size} kB, downloaded as <code>{name}</code>. "
                       "It opens in any browser, without a kernel or the network: the "
                       "picture, its backward steps and a card per box. (From Python: "
                       "<code>graph.save('handout.html')</code>.)</div>")  # fmt: skip

    def _mark(self, graph: Graph, ids: tuple[str, ...]) -> None:
        """Outline these boxes in red (as drawn: a closed frame stands for its ops)."""
        box_of = boxes(graph, self._view.options).box_of
        self._view.canvas.marks = json.dumps(sorted({box_of.get(i, i) for i in ids}))
