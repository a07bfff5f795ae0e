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
