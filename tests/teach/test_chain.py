"""Chain-rule cards: each op's backward step with this pass's numbers, true to the picture."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.teach import ReplayError, chain_rule
from autogradviz.teach.rules import RULES

pytestmark = pytest.mark.usefixtures("with_capture")


def _graph(program: Callable[[nd.NDArray, nd.NDArray], nd.NDArray]) -> mx.graph.Graph:
    a = nd.array([[0.5, 1.5, 2.0]])
    b = nd.array([[1.0, -0.5, 0.25], [2.0, 0.5, -1.5]])
    for v in (a, b):
        v.attach_grad()
    with autograd.record():
        out = program(a, b)
    out.backward(nd.ones(out.shape) * 0.5)
    return mx.last_graph()


# One program per rule of the table: the op under test is the last recorded one.
PROGRAMS = {
    "add": lambda a, b: a + b,
    "subtract": lambda a, b: a - b,
    "negative": lambda a, b: -(a * b),
    "multiply": lambda a, b: a * b,
    "divide": lambda a, b: a / (b + 3),
    "power": lambda a, b: (a + b) ** 3,
    "dot": lambda a, b: nd.dot(b, a.T),
    "exp": lambda a, b: nd.exp(a * b),
    "log": lambda a, b: nd.log(a * b * b + 1),
    "tanh": lambda a, b: nd.tanh(a + b),
    "sigmoid": lambda a, b: nd.sigmoid(a + b),
    "relu": lambda a, b: nd.relu(a - b),
    "square": lambda a, b: nd.square(a - b),
    "sqrt": lambda a, b: nd.sqrt(a * a + b * b),
    "sum": lambda a, b: (a * b).sum(axis=1),
    "mean": lambda a, b: (a * b).mean(axis=0, keepdims=True),
}


def test_chain_every_rule_has_a_program() -> None:
    assert set(PROGRAMS) == set(RULES)


def _last_op(graph: mx.graph.Graph, name: str) -> mx.graph.Node:
    return [n for n in graph.nodes if n.op == name][-1]


@pytest.mark.parametrize("name", sorted(RULES))
def test_chain_every_rule_writes_the_numbers_the_pass_sent(name: str) -> None:
    graph = _graph(PROGRAMS[name])
    op = _last_op(graph, name)
    card = chain_rule(graph, op.id)
    assert card.note == "" and card.parts, str(card)
    for part in card.parts:
        assert "(the rule of" not in part.rule, f"{name} fell back to text: {card}"
        edge = next(e for e in graph.edges if e.dst == op.id and e.index == part.input)
        sent = np.asarray(edge.contribution)
        written = part.numbers.rsplit("= ", 1)[1].replace("summed back: ", "")
        assert written == _written(sent), (name, part.numbers, sent)
        assert part.latex.startswith(r"\frac{\partial L}{\partial ")


def _written(array: np.ndarray) -> str:
    from autogradviz.teach.chain import _fmt

    return _fmt(array)


def test_chain_a_broadcast_is_summed_back_and_says_so() -> None:
    graph = _graph(lambda a, b: a * b)  # a (1, 3) broadcast against b (2, 3)
    part = chain_rule(graph, _last_op(graph, "multiply").id).parts[0]
    assert part.rule == "∂L/∂a = ∂L/∂out ⊙ b"  # out: the product's name in _graph
    assert "summed over axis 0 (the broadcast, undone) → (1, 3)" in part.shapes
    assert "= summed back: [[1.5 0 -0.625]]" in part.numbers


def test_chain_dot_shows_the_transpose() -> None:
    graph = _graph(lambda a, b: nd.dot(b, a.T))
    card = chain_rule(graph, _last_op(graph, "dot").id)
    first = card.parts[0]
    assert re.fullmatch(r"∂L/∂b = ∂L/∂out · n\d+ᵀ", first.rule), first.rule
    assert any("the transpose of" in line for line in first.shapes)


def test_chain_a_big_array_shows_one_element_worked_out() -> None:
    x = nd.array(np.random.default_rng(0).normal(size=(20, 30)))
    x.attach_grad()
    with autograd.record():
        y = nd.tanh(x).sum()
    y.backward()
    graph = mx.last_graph()
    part = chain_rule(graph, _last_op(graph, "tanh").id).parts[0]
    assert part.numbers.startswith("at [")
    index = part.numbers.split("[", 1)[1].split("]")[0]
    i, j = (int(k) for k in index.split(", "))
    expected = 1 - np.tanh(x.asnumpy()[i, j]) ** 2
    assert part.numbers.endswith(f"= {expected:.4g}")
    assert np.argmax(np.abs(1 - np.tanh(x.asnumpy()) ** 2)) == i * 30 + j


def test_chain_an_op_without_a_formula_shows_the_recorded_numbers() -> None:
    graph = _graph(lambda a, b: nd.softmax(a * b))
    card = chain_rule(graph, _last_op(graph, "softmax").id)
    assert card.note.startswith("(the rule of softmax as text:")
    edge = next(e for e in graph.edges if e.dst == _last_op(graph, "softmax").id)
    assert card.parts[0].numbers.endswith(_written(np.asarray(edge.contribution)))


def test_chain_a_wrong_formula_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = RULES["exp"]
    monkeypatch.setitem(RULES, "tanh", wrong)  # tanh's card given exp's rule: not the truth
    graph = _graph(lambda a, b: nd.tanh(a + b))
    part = chain_rule(graph, _last_op(graph, "tanh").id).parts[0]
    assert "(the rule of tanh)" in part.rule and "exp" not in part.rule


def test_chain_markdown_has_latex_for_a_handout() -> None:
    graph = _graph(lambda a, b: nd.exp(a * b))
    text = chain_rule(graph, _last_op(graph, "exp").id).markdown()
    assert text.startswith("**exp**")
    rule = r"\frac{\partial L}{\partial n2} = \frac{\partial L}{\partial out} \odot e^{n2} = out"
    assert f"$$ {rule} $$" in text
    assert r"\begin{bmatrix}" in text


def test_chain_refuses_a_variable_and_an_op_without_gradient() -> None:
    graph = _graph(lambda a, b: a * b)
    with pytest.raises(ReplayError, match="is a variable; pick an op"):
        chain_rule(graph, "a")
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = x * 2
    with pytest.raises(ReplayError, match="no gradient reached box"):
        chain_rule(mx.graph.graph_of(y), mx.graph.graph_of(y).heads[0])
