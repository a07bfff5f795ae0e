"""Predict, then reveal: a quiz on the student's own graph.

The quiz hides the gradients (or the values) and asks for them one box at a time, in the
order backward (or forward) makes them final, so each question can be worked out from the
answers before it. An answer is graded against the pass's own numbers (each to 1%); after a
wrong answer comes a hint (the local rule with this pass's numbers, from the chain-rule
cards, without the result), after a second the answer is revealed. The score counts first
tries as 1 and second tries as ½.

Only boxes drawn as themselves are asked (``asked``: a box inside a closed frame or folded
into a ``×N`` box is not, so the quiz works on any picture), and only arrays of at most
``MAX_ELEMENTS`` numbers (a student types them). Imports numpy, the graph model and
``chain``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..graph.model import Graph, Node
from ..graph.summary import Summary
from .chain import ExactReplay, chain_rule
from .replay import ReplayError

MAX_ELEMENTS = 12
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Question:
    """One box to predict: its gradient (``'grad'``) or its value (``'value'``)."""

    id: str
    label: str
    what: str
    truth: np.ndarray

    @property
    def text(self) -> str:
        """Return the question as the student reads it."""
        count = ("one number" if self.truth.size == 1 else
                 f"{self.truth.size} numbers, shape {self.truth.shape}, row by row")  # fmt: skip
        if self.what == "grad":
            return f"What is ∂L/∂{self.label}, the gradient of box {self.id}? ({count})"
        return f"What is the value of box {self.id} ({self.label})? ({count})"


@dataclass
class Quiz:
    """The questions on one graph, where the student is, and the score."""

    graph: Graph
    hide: str = "grads"
    asked: set[str] | None = None  # the boxes drawn as themselves (None: all)
    questions: list[Question] = field(init=False)
    position: int = 0
    tries: int = 0
    score: float = 0.0
    answered: set[str] = field(default_factory=set)
    _replay: ExactReplay = field(init=False, repr=False)  # the hints' numbers, run once

    def __post_init__(self) -> None:
        self._replay = ExactReplay(self.graph)
        if self.hide not in ("grads", "values"):
            raise ValueError(f"Quiz: hide must be 'grads' or 'values', not {self.hide!r}.")
        self.questions = [self._question(n) for n in self._order() if self._askable(n)]

    @property
    def current(self) -> Question | None:
        """Return the question being asked, or ``None`` when the quiz is over."""
        return self.questions[self.position] if self.position < len(self.questions) else None

    @property
    def score_text(self) -> str:
        """Return ``score 1.5 / 4`` (points so far, out of the questions)."""
        return f"score {self.score:g} / {len(self.questions)}"

    def answer(self, text: str) -> str:
        """Grade ``text`` for the current question; return what to tell the student."""
        question = self.current
        if question is None:
            return "The quiz is over."
        numbers = [float(t) for t in _NUMBER.findall(text.replace("−", "-"))]  # (U+2212)
        if len(numbers) != question.truth.size:
            return (f"Type {question.truth.size} number(s) for box {question.id}; "
                    f"I read {len(numbers)}.")  # fmt: skip
        guess = np.array(numbers).reshape(question.truth.shape)
        scale = float(np.max(np.abs(question.truth))) if question.truth.size else 0.0
        if np.allclose(guess, question.truth, rtol=0.01, atol=max(1e-3 * scale, 1e-9)):
            self.score += 1.0 if self.tries == 0 else 0.5
            return self._next(f"✓ Right: {question.label} is {_text(question.truth)}.")
        self.tries += 1
        if self.tries < 2:
            return f"✗ Not quite. Hint: {self.hint(question)}"
        return self._next(f"✗ The answer is {_text(question.truth)}.")

    def _next(self, message: str) -> str:
        question = self.current
        assert question is not None
        self.answered.add(question.id)
        self.position, self.tries = self.position + 1, 0
        return message if self.current is not None else f"{message} Done: {self.score_text}."

    def masked(self) -> Graph:
        """Return the graph with what is still to be predicted hidden."""
        hidden = {q.id for q in self.questions} - self.answered
        nodes = tuple(self._hide(n) if n.id in hidden else n for n in self.graph.nodes)
        edges = self.graph.edges
        if self.hide == "grads":
            edges = tuple(e._replace(contribution=None) if e.src in hidden else e for e in edges)
        return Graph(nodes, edges, self.graph.heads, self.graph.backward_order, self.graph.tape)

    def _hide(self, node: Node) -> Node:
        if self.hide == "grads":
            return node._replace(grad=None, grad_kind=None, grad_buffer=None)
        return node._replace(value=None, value_nonfinite=False)

    def hint(self, question: Question) -> str:
        """Return the local rule with this pass's numbers, without the result."""
        if question.what == "value":
            node = self.graph.node(question.id)
            return f"box {node.id} is {node.op}({', '.join(self._operands(node))})."
        parts = []
        users = [e for e in self.graph.edges
                 if e.src == question.id and e.contribution is not None]  # fmt: skip
        for edge in users:
            try:
                card = chain_rule(self.graph, edge.dst, self._replay)
            except ReplayError:
                continue
            part = next((p for p in card.parts if p.input == edge.index), None)
            if part is not None:
                rule = re.split(r" \+?= ", part.rule, maxsplit=1)[1]  # (= or +=: a share)
                worked = part.numbers.rsplit(" = ", 1)[0]
                parts.append(f"{card.op} ({card.id}) sends back {rule} = {worked}.")
        if len(users) > 1:
            ops = len({e.dst for e in users})
            by = f"{ops} op{'s' if ops > 1 else ''}"
            parts.insert(0, f"{question.label} is used {len(users)} times (by {by}): add what "
                            "each use sends back.")  # fmt: skip
        return " ".join(parts) or "follow the arrows back from the head."

    def _operands(self, node: Node) -> list[str]:
        """Return the op's arguments in order: the boxes' values and the scalars."""
        scalars = {int(k.split()[1]): v for k, v in node.attrs if k.startswith("input ")}
        boxes = iter(node.inputs)
        return [scalars[k] if k in scalars else _text(self.graph.node(next(boxes)).value)
                for k in range(len(node.inputs) + len(scalars))]  # fmt: skip

    def _order(self) -> list[Node]:
        """Return the boxes in the order their numbers become final."""
        nodes = self.graph.nodes
        if self.hide == "values":
            return [n for n in nodes if n.kind == "op"]
        done = {op: k for k, op in enumerate(self.graph.backward_order)}
        last: dict[str, int] = {}
        for edge in self.graph.edges:  # a gradient is final once its last user is processed
            last[edge.src] = max(last.get(edge.src, -1), done.get(edge.dst, len(done)))
        ordered = [(k, n) for k, n in enumerate(nodes)
                   if n.id in last and n.id not in self.graph.heads]  # fmt: skip
        return [n for k, n in sorted(ordered, key=lambda kn: (last[kn[1].id], -kn[0]))]

    def _askable(self, node: Node) -> bool:
        number = node.grad if self.hide == "grads" else node.value
        if self.asked is not None and node.id not in self.asked:
            return False
        if number is None or isinstance(number, Summary):
            return False
        array = np.asarray(number)
        finite = array.dtype.kind != "f" or bool(np.isfinite(array).all())  # (NaN: no answer)
        return node.kind != "constant" and array.size <= MAX_ELEMENTS and finite

    def _question(self, node: Node) -> Question:
        number = node.grad if self.hide == "grads" else node.value
        truth = np.asarray(number, dtype=np.float64)
        return Question(node.id, node.name or node.id, "grad" if self.hide == "grads" else "value",
                        truth)  # fmt: skip


def _text(value: object) -> str:
    array = np.asarray(value, dtype=np.float64)
    if array.size == 1:
        return f"{float(array.reshape(-1)[0]):.4g}"
    return "[" + " ".join(f"{v:.4g}" for v in array.reshape(-1)) + "]"
