"""The quiz in the widget: predict each hidden gradient (or value), then see it revealed.

**Quiz me** (or ``%autogradviz quiz``) hides what ``teach.Quiz`` asks and outlines the box
it asks about; the canvas draws the question, an answer field, the last reply and the
score (the ``quiz`` trait, JSON), and sends each answer as a ``"quiz"`` message. Answers
reveal their box on the picture. Only boxes drawn as themselves are asked: one inside a
closed frame or a ``×N`` fold is not (open it, then start the quiz again). Imports the
graph model, ``render.boxes`` and ``teach``.
"""

from __future__ import annotations

import json
from typing import Any

from ..graph.model import Graph
from ..render.boxes import boxes
from ..teach.quiz import Quiz


def drawn_alone(graph: Graph, options: Any) -> set[str]:
    """Return the ids of the boxes drawn as themselves (not folded, not in a closed frame)."""
    drawn = boxes(graph, options)
    return {g.first for g in drawn.shown
            if len(g.members) == 1 and drawn.box_of.get(g.first) == g.first}  # fmt: skip


class QuizPanel:
    """The running quiz of a view (or none), and the masked graph it draws."""

    def __init__(self, view: Any) -> None:
        self._view = view
        self.quiz: Quiz | None = None
        self._message = ""

    @property
    def graph(self) -> Graph | None:
        """The graph with the unanswered numbers hidden, while a quiz runs on the shown one."""
        if self.quiz is None or self.quiz.graph is not self._view.graph:
            return None  # (another pass shown: the tools stop this quiz)
        return self.quiz.masked()

    def start(self, hide: str = "grads") -> None:
        """Start a quiz on the graph shown: hide its gradients (or values), ask the first."""
        graph = self._view.graph
        if graph is None:
            return
        self.quiz = Quiz(graph, hide, drawn_alone(graph, self._view.options))
        first = "" if self.quiz.questions else "Nothing to ask on this picture."
        self._message = first
        self._show()

    def answer(self, text: Any) -> None:
        """Grade the student's answer and move on (or hint, or reveal)."""
        if self.quiz is None:
            return
        self._message = self.quiz.answer(str(text))
        self._show()

    def stop(self) -> None:
        """End the quiz: every number is shown again."""
        if self.quiz is None:
            return
        self.quiz = None
        self._view.canvas.quiz = self._view.canvas.marks = ""
        self._view.refresh()

    def _show(self) -> None:
        quiz = self.quiz
        assert quiz is not None
        question = quiz.current
        self._view.canvas.quiz = json.dumps({
            "hide": quiz.hide, "question": question.text if question else "",
            "message": self._message, "score": quiz.score_text, "done": question is None,
        })  # fmt: skip
        self._view.canvas.marks = json.dumps([question.id]) if question else ""
        self._view.refresh()
