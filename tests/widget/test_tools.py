"""The widget's tool buttons without a browser: what a click on Check shows."""

from __future__ import annotations

import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.widget.view import GraphView

pytestmark = pytest.mark.usefixtures("with_capture")


class HalfSquare(autograd.Function):
    """x² with a backward missing its factor 2."""

    def forward(self, x):  # type: ignore[no-untyped-def]
        self.save_for_backward(x)
        return x * x

    def backward(self, dy):  # type: ignore[no-untyped-def]
        (x,) = self.saved_tensors
        return x * dy


def _view(buggy: bool = False) -> GraphView:
    x = nd.array([1.0, 2.0, -0.5])
    x.attach_grad()
    with autograd.record():
        y = HalfSquare()(x) if buggy else x * x
        z = (y * 3).sum()
    z.backward()
    view = GraphView()
    view.push(mx.last_graph())
    return view


def test_tools_check_is_off_until_a_variable_or_op_is_clicked() -> None:
    view = _view()
    assert view.tools.check.disabled
    view.canvas.selected = "n0"
    assert not view.tools.check.disabled and view.tools.check.description == "Check this node"
    view.canvas.selected = view.graph.heads[0]
    assert view.tools.check.description == "Check this op's rule"


def test_tools_check_shows_a_green_tick_for_a_right_gradient() -> None:
    view = _view()
    view.canvas.selected = "n0"
    view.tools.check.click()
    answer = view.tools.answer.value
    assert "✓ x: x.grad matches central finite differences" in answer
    assert "color:#2ca02c" in answer


def test_tools_check_blames_the_student_function_and_selects_it() -> None:
    view = _view(buggy=True)
    view.canvas.selected = "n0"
    view.tools.check.click()
    answer = view.tools.answer.value
    assert "✗ x: x.grad disagrees" in answer and "color:#d62728" in answer
    assert "Look at HalfSquare.backward." in answer
    culprit = next(n.id for n in view.graph.nodes if n.op == "HalfSquare")
    assert view.canvas.selected == culprit  # marked on the picture
    assert "HalfSquare" in view.inspector.value  # and inspected
    assert "Look at HalfSquare.backward." in view.tools.answer.value  # the answer stays


def test_tools_answer_goes_when_another_box_is_clicked() -> None:
    view = _view()
    view.canvas.selected = "n0"
    view.tools.check.click()
    view.canvas.selected = view.graph.heads[0]
    assert view.tools.answer.value == ""


def test_tools_check_says_why_it_cannot_replay_instead_of_raising() -> None:
    x = nd.ones((2000,))
    x.attach_grad()
    with autograd.record():
        y = (x * 2).sum()
    y.backward()
    view = GraphView()
    view.push(mx.graph.last_graph(replay_limit=100))
    view.canvas.selected = "n0"
    view.tools.check.click()
    assert "ReplayError: check: cannot replay this graph" in view.tools.answer.value
    assert "replay_limit" in view.tools.answer.value


def _dead_relu_view() -> GraphView:
    w = nd.array([[1.0, -2.0], [0.5, 1.0]])
    b = nd.array([-10.0, -10.0])
    for v in (w, b):
        v.attach_grad()
    with autograd.record():
        h = nd.relu(nd.dot(nd.array([[1.0, 2.0]]), w) + b)
        loss = (h * 3).sum()
    loss.backward()
    view = GraphView()
    view.push(mx.last_graph())
    return view


def test_tools_why_shows_only_for_a_gradient_worth_explaining() -> None:
    view = _view()
    view.canvas.selected = "n0"  # x * x: a live gradient, nothing to explain
    assert view.tools.why.layout.display == "none"
    view = _dead_relu_view()
    view.canvas.selected = view.graph.node("w").id
    assert view.tools.why.layout.display == "" and view.tools.why.description == "Why zero?"


def test_tools_why_names_the_dead_relu_and_outlines_it() -> None:
    view = _dead_relu_view()
    view.canvas.selected = view.graph.node("w").id
    view.tools.why.click()
    answer = view.tools.answer.value
    assert "<b>w: its gradient is exactly 0.</b>" in answer
    assert "relu (h, test_tools.py:" in answer and "is dead" in answer
    assert view.canvas.marks == f'["{view.graph.node("h").id}"]'
    view.canvas.selected = view.graph.node("h").id  # another box: the answer and marks go
    assert view.tools.answer.value == "" and view.canvas.marks == ""


def test_tools_why_on_an_older_pass_says_grad_was_overwritten() -> None:
    x = nd.array([1.0])
    x.attach_grad()
    view = GraphView()
    for _ in range(2):
        with autograd.record():
            y = x * 2
        y.backward()
        view.push(mx.last_graph())
    view.history.value = 1  # the student goes back to the first pass
    view.canvas.selected = view.graph.node("x").id
    assert view.tools.why.description == "Why not .grad?"
    view.tools.why.click()
    assert "x.grad now holds what a later backward wrote over it" in view.tools.answer.value
