"""The widget's tool buttons without a browser: which show, and what a click answers."""

from __future__ import annotations

import json

import pytest
from student_functions import WrongSquare, fails_when_replayed

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.widget.view import GraphView

pytestmark = pytest.mark.usefixtures("with_capture")


def _click(view: GraphView, tool: str) -> None:
    """What the browser sends when the student clicks a tool's button on the drawing."""
    view._on_canvas_message(view.canvas, {"kind": "tool", "tool": tool}, [])


def _labels(view: GraphView) -> dict:
    return json.loads(view.canvas.tools) if view.canvas.tools else {}


def _view(buggy: bool = False) -> GraphView:
    x = nd.array([1.0, 2.0, -0.5])
    x.attach_grad()
    with autograd.record():
        y = WrongSquare()(x) if buggy else x * x
        z = (y * 3).sum()
    z.backward()
    view = GraphView()
    view.push(mx.last_graph())
    return view


def test_tools_check_shows_once_a_variable_or_op_is_clicked() -> None:
    view = _view()
    assert _labels(view) == {"handout": "Handout", "quiz": "Quiz me"}  # the whole graph's tools
    view.canvas.selected = "n0"
    assert _labels(view) == {"check": "Check this node", "whatif": "What if?", "quiz": "Quiz me",
                             "handout": "Handout"}  # fmt: skip
    view.canvas.selected = view.graph.heads[0]
    assert _labels(view) == {"chain": "Chain rule", "check": "Check this op's rule",
                             "quiz": "Quiz me", "handout": "Handout"}  # fmt: skip


def test_tools_check_shows_a_green_tick_for_a_right_gradient() -> None:
    view = _view()
    view.canvas.selected = "n0"
    _click(view, "check")
    answer = view.canvas.answer
    assert "✓ x: x.grad matches central finite differences" in answer
    assert "color:#2ca02c" in answer


def test_tools_check_blames_the_student_function_and_selects_it() -> None:
    view = _view(buggy=True)
    view.canvas.selected = "n0"
    _click(view, "check")
    answer = view.canvas.answer
    assert "✗ x: x.grad disagrees" in answer and "color:#d62728" in answer
    assert "Look at WrongSquare.backward." in answer
    culprit = next(n.id for n in view.graph.nodes if n.op == "WrongSquare")
    assert view.canvas.selected == culprit  # marked on the picture
    assert "<b>y</b>" in view.inspector.value and "WrongSquare" in view.inspector.value
    assert "Look at WrongSquare.backward." in view.canvas.answer


def test_tools_answer_goes_when_another_box_is_clicked() -> None:
    view = _view()
    view.canvas.selected = "n0"
    _click(view, "check")
    view.canvas.selected = view.graph.heads[0]
    assert "finite differences" not in view.canvas.answer


def test_tools_check_says_why_it_cannot_replay_instead_of_raising() -> None:
    x = nd.ones((2000,))
    x.attach_grad()
    with autograd.record():
        y = (x * 2).sum()
    y.backward()
    view = GraphView()
    view.push(mx.graph.last_graph(replay_limit=100))
    view.canvas.selected = "n0"
    _click(view, "check")
    assert "ReplayError: check: cannot replay this graph" in view.canvas.answer
    assert "replay_limit" in view.canvas.answer


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
    assert "why" not in _labels(view)
    view = _dead_relu_view()
    view.canvas.selected = view.graph.node("w").id
    assert _labels(view) == {"check": "Check this node", "why": "Why zero?", "whatif": "What if?",
                             "quiz": "Quiz me", "handout": "Handout"}  # fmt: skip


def test_tools_why_names_the_dead_relu_and_outlines_it() -> None:
    view = _dead_relu_view()
    view.canvas.selected = view.graph.node("w").id
    _click(view, "why")
    answer = view.canvas.answer
    assert "<b>w: its gradient is exactly 0.</b>" in answer
    assert "relu (h, test_tools.py:" in answer and "is dead" in answer
    assert view.canvas.marks == f'["{view.graph.node("h").id}"]'
    view.canvas.selected = view.graph.node("h").id  # another box: the answer and marks go
    assert "is dead" not in view.canvas.answer and view.canvas.marks == ""


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
    assert _labels(view)["why"] == "Why not .grad?"
    _click(view, "why")
    assert "x.grad now holds what a later backward wrote over it" in view.canvas.answer


def test_tools_chain_rule_card_for_an_op() -> None:
    view = _view()  # z = (x * x * 3).sum()
    view.canvas.selected = "n0"
    assert "chain" not in _labels(view)  # a variable: no rule of its own
    square = next(n.id for n in view.graph.nodes if n.op == "multiply")
    view.canvas.selected = square
    assert _labels(view)["chain"] == "Chain rule"
    _click(view, "chain")
    answer = view.canvas.answer
    assert "Chain rule: multiply" in answer
    assert "∂L/∂x += ∂L/∂y ⊙ x" in answer  # x * x: x is used twice, each use a share
    assert "[3 3 3] ⊙ [1 2 -0.5] = [3 6 -1.5]" in answer  # both inputs are x: each half
    assert '<pre class="agv-card-markdown">' in answer and "\\frac{\\partial L}" in answer


def _move(view: GraphView, element: object, value: object) -> None:
    """What the browser sends when the what-if slider moves (or closes: both None)."""
    view._on_canvas_message(view.canvas, {"kind": "whatif", "element": element, "value": value},
                            [])  # fmt: skip


def test_tools_what_if_draws_the_replay_until_closed() -> None:
    view = _view()  # z = (x * x * 3).sum(), x = [1, 2, -0.5]
    view.canvas.selected = "n0"
    assert _labels(view)["whatif"] == "What if?"
    recorded_dot = view.canvas.dot
    _click(view, "whatif")
    spec = json.loads(view.canvas.whatif)
    assert (spec["label"], spec["start"], spec["low"], spec["high"]) == ("x[0]", 1.0, 0.0, 2.0)
    assert view.canvas.dot == recorded_dot  # not moved yet: the recorded pass
    _move(view, 0, 2.0)
    assert "What if x[0] = 2?" in view.canvas.plot and "z = 24.75" in view.canvas.plot
    assert "slope ∂z/∂x[0] = 12" in view.canvas.plot and "<svg" in view.canvas.plot
    assert "value [2 2 -0.5]" in view.canvas.dot and ".grad" not in view.canvas.dot
    _move(view, 2, None)  # another element: back to its start, the recorded pass drawn
    assert json.loads(view.canvas.whatif)["label"] == "x[2]"
    assert view.canvas.dot == recorded_dot
    _move(view, None, None)  # Close
    assert view.canvas.whatif == "" and view.canvas.plot == "" and view.canvas.dot == recorded_dot


def test_tools_what_if_closes_when_another_box_is_clicked() -> None:
    view = _view()
    view.canvas.selected = "n0"
    recorded_dot = view.canvas.dot
    _click(view, "whatif")
    _move(view, 0, 3.0)
    assert view.canvas.dot != recorded_dot
    view.canvas.selected = view.graph.heads[0]
    assert view.canvas.whatif == "" and view.canvas.dot == recorded_dot


def _quiz(view: GraphView) -> dict:
    return json.loads(view.canvas.quiz) if view.canvas.quiz else {}


def _seed_view() -> GraphView:
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    x.attach_grad()
    with autograd.record():
        y = x * 2
        f = y * x
    f.backward(nd.array([[1.0, 1.0], [0.1, 0.1]]))
    view = GraphView()
    view.push(mx.last_graph())
    return view


def test_tools_quiz_hides_asks_in_backward_order_hints_and_reveals() -> None:
    view = _seed_view()
    assert _labels(view) == {"handout": "Handout", "quiz": "Quiz me"}  # nothing clicked
    recorded = view.canvas.dot
    _click(view, "quiz")
    state = _quiz(view)
    assert state["question"].startswith("What is ∂L/∂y, the gradient of box n1?")
    assert state["score"] == "score 0 / 2" and view.canvas.marks == '["n1"]'
    assert "flowed [[1 2] [0.3 0.4]]" not in view.canvas.dot and view.canvas.dot != recorded
    view.canvas.selected = "n1"  # the inspector must not give the answer away
    assert "0.3" not in view.inspector.value
    _send = lambda text: view._on_canvas_message(view.canvas, {"kind": "quiz", "text": text}, [])  # noqa: E731
    _send("0 0 0 0")
    assert _quiz(view)["message"].startswith("✗ Not quite. Hint: multiply (n2) sends back ∂L/∂f")
    _send("1 2 0.3 0.4")  # right on the second try: half a point
    state = _quiz(view)
    assert state["message"] == "✓ Right: y is [1 2 0.3 0.4]." and state["score"] == "score 0.5 / 2"
    assert "flowed [[1 2] [0.3 0.4]]" in view.canvas.dot  # revealed on the picture
    assert state["question"].startswith("What is ∂L/∂x")
    _send("1 1 1 1")
    _send("2 2 2 2")  # wrong twice: revealed, no point
    state = _quiz(view)
    assert state["done"] and "The answer is [4 8 1.2 1.6]" in state["message"]
    assert "score 0.5 / 2" in state["message"]
    _click(view, "quiz")  # Stop quiz
    assert view.canvas.quiz == "" and view.canvas.dot == recorded


def test_tools_handout_is_sent_to_the_browser_to_download() -> None:
    view = _seed_view()
    sent: list[dict] = []
    view.canvas.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    _click(view, "handout")
    (message,) = sent
    assert message["kind"] == "download" and message["name"] == "autogradviz-handout.html"
    page = message["html"]
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 3  # one per step
    assert "downloaded as <code>autogradviz-handout.html</code>" in view.canvas.answer


def test_tools_quiz_on_values_hides_the_forward_numbers() -> None:
    view = _seed_view()
    view.tools.quiz.start("values")  # what %autogradviz quiz values does
    state = _quiz(view)
    assert state["question"].startswith("What is the value of box n1 (y)?")
    assert "value [[2 4] [6 8]]" not in view.canvas.dot and "value —" in view.canvas.dot
    view._on_canvas_message(view.canvas, {"kind": "quiz", "text": "2 4 6 8"}, [])
    assert "value [[2 4] [6 8]]" in view.canvas.dot and _quiz(view)["question"].startswith(
        "What is the value of box n2 (f)?"
    )


def _two_passes() -> GraphView:
    w = nd.array([1.0, 2.0])
    w.attach_grad()
    view = GraphView()
    for _ in range(2):
        with autograd.record():
            loss = (w * w).sum()
        loss.backward()
        view.push(mx.last_graph())
        w[:] = w * 5
    return view


def test_tools_another_pass_ends_the_answer_the_slider_and_the_quiz() -> None:
    view = _two_passes()  # pass 1 used w = [1 2], pass 2 w = [5 10]
    view.canvas.selected = "n0"
    _click(view, "whatif")
    _move(view, 0, 7.0)
    assert json.loads(view.canvas.whatif)["start"] == 5.0
    view.history.value = 1  # back to the first pass
    assert view.canvas.whatif == "" and "value [1 2]" in view.canvas.dot
    _click(view, "check")
    assert "✓ w:" in view.canvas.answer
    view.history.value = 2
    assert view.canvas.answer == "" and view.canvas.marks == ""
    _click(view, "quiz")
    assert view.canvas.marks and _labels(view) == {"handout": "Handout", "quiz": "Stop quiz"}
    view.history.value = 1  # the quiz was about pass 2: it ends, with its outline
    assert view.canvas.quiz == "" and view.canvas.marks == ""
    assert "value [1 2]" in view.canvas.dot and "check" in _labels(view)


def test_tools_a_function_that_fails_on_replay_is_said_not_raised() -> None:
    once = fails_when_replayed("only once")
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = once()(x)
    y.backward()
    view = GraphView()
    view.push(mx.last_graph())
    view.canvas.selected = "n0"
    for tool in ("whatif", "check"):
        _click(view, tool)
        assert "ReplayError" in view.canvas.answer and "only once" in view.canvas.answer


def test_tools_only_the_newest_passes_keep_their_tapes() -> None:
    from autogradviz.widget.entries import KEEP_TAPES

    w = nd.array([1.0, 2.0])
    w.attach_grad()
    view = GraphView()
    for _ in range(KEEP_TAPES + 3):
        with autograd.record():
            loss = (w * w).sum()
        loss.backward()
        view.push(mx.last_graph())  # each is built and shown: then it is an old one
    replayable = [entry.graph().tape.replayable for entry in view._entries]
    assert replayable == [False] * 3 + [True] * KEEP_TAPES
    view.history.value = 1  # an old pass: the tools say why they cannot replay it
    view.canvas.selected = "n0"
    _click(view, "check")
    assert "only the newest passes keep what it takes to replay them" in view.canvas.answer
