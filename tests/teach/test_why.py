"""``why``: why a gradient is zero or missing, read off the recorded pass."""

from __future__ import annotations

import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.graph import graph_of
from autogradviz.teach import why

pytestmark = pytest.mark.usefixtures("with_capture")


def _layer(bias: list[float]) -> mx.graph.Graph:
    w = nd.array([[1.0, -2.0], [0.5, 1.0]])
    b = nd.array(bias)
    x = nd.array([[1.0, 2.0]])
    for v in (w, b):
        v.attach_grad()
    with autograd.record():
        h = nd.relu(nd.dot(x, w) + b)
        loss = (h * 3).sum()
    loss.backward()
    return mx.last_graph()


def test_why_a_dead_relu_is_named_on_its_line() -> None:
    graph = _layer([-10.0, -10.0])
    for name in ("w", "b"):
        diagnosis = why(graph, name)
        assert diagnosis.verdict == "zero"
        assert diagnosis.stops == (graph.node("h").id,)
        assert "relu (h, test_why.py:" in str(diagnosis) and "is dead" in str(diagnosis)


def test_why_a_partly_dead_relu_counts_the_zeros() -> None:
    graph = _layer([-10.0, 0.5])
    diagnosis = why(graph, "b")
    assert diagnosis.verdict == "partly zero"
    assert diagnosis.reasons[0] == "1 of 2 elements are exactly 0"
    assert "relu (h, " in diagnosis.reasons[1]
    assert "1 of 2 of its inputs are ≤ 0" in diagnosis.reasons[1]


def test_why_a_live_gradient_says_so() -> None:
    diagnosis = why(_layer([1.0, 1.0]), "w")
    assert diagnosis.verdict == "nonzero" and diagnosis.reasons == ()
    assert str(diagnosis) == "w: its gradient is not zero."


def test_why_detach_and_pause_give_the_line_of_the_cut() -> None:
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * 2
        cut = y.detach()
        with autograd.pause():
            paused = y * 3
        z = (cut * x + paused * x).sum()
    z.backward()
    graph = mx.last_graph()
    detached, in_pause = (n for n in graph.nodes if n.kind == "constant")
    detach_text, pause_text = str(why(graph, detached.id)), str(why(graph, in_pause.id))
    assert "cut from its history by detach() at test_why.py:" in detach_text
    assert "inside autograd.pause() at test_why.py:" in pause_text
    assert detached.source != in_pause.source  # each on its own line


def test_why_before_backward_says_run_it() -> None:
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = x * 2
    diagnosis = why(graph_of(y), "x")
    assert diagnosis.verdict == "missing"
    assert "backward() has not run on this graph yet" in str(diagnosis)


def test_why_argmax_is_flat() -> None:
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    x.attach_grad()
    with autograd.record():
        y = (nd.argmax(x, axis=1) * 2).sum()
    y.backward()
    text = str(why(mx.last_graph(), "x"))
    assert "its gradient is exactly 0" in text and "argmax (" in text
    assert "is flat (piecewise constant)" in text


def test_why_a_factor_of_zero_and_a_zero_head_gradient() -> None:
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * 0
    y.backward()
    assert "multiplies it by 0" in str(why(mx.last_graph(), "x"))
    with autograd.record():
        y = x * 5
    y.backward(nd.zeros((2,)))
    text = str(why(mx.last_graph(), "x"))
    assert "the head y started backward from a gradient of 0" in text


def test_why_a_clipped_value_and_a_floor() -> None:
    x = nd.array([5.0, 0.3])
    x.attach_grad()
    with autograd.record():
        y = nd.clip(x, 0.0, 1.0).sum()
    y.backward()
    diagnosis = why(mx.last_graph(), "x")
    assert diagnosis.verdict == "partly zero" and "1 of 2 elements" in str(diagnosis)
    assert "outside [a_min, a_max]" in str(diagnosis)
    with autograd.record():
        y = nd.floor(x).sum()
    y.backward()
    assert "floor (" in str(why(mx.last_graph(), "x"))


def test_why_an_add_buffer_and_an_older_pass_are_not_this_passs_gradient() -> None:
    x = nd.array([1.0])
    x.attach_grad(grad_req="add")
    for _ in range(2):
        with autograd.record():
            y = x * 2
        y.backward()
    assert "x.grad is the sum over passes (grad_req='add')" in str(why(mx.last_graph(), "x"))
    w = nd.array([1.0])
    w.attach_grad()
    with autograd.record():
        y = w * 2
    y.backward()
    text = str(why(mx.last_graph(), "w", latest=False))
    assert "w.grad now holds what a later backward wrote over it" in text


def test_why_a_chain_of_thousands_of_ops_is_walked_without_recursion() -> None:
    x = nd.array([-1.0])
    x.attach_grad()
    with autograd.record():
        y = x
        for _ in range(1500):
            y = y * 1.0
        loss = nd.relu(y).sum()
    loss.backward()
    diagnosis = why(mx.last_graph(), "x")
    assert diagnosis.verdict == "zero" and "is dead" in str(diagnosis)


def test_why_the_first_add_pass_and_autograd_grad_say_what_grad_holds() -> None:
    x = nd.array([1.0])
    x.attach_grad(grad_req="add")
    with autograd.record():
        y = x * 2
    y.backward()  # one pass: the sum over passes is this pass's gradient
    assert why(mx.last_graph(), "x").reasons == ()
    w = nd.array([1.0])
    w.attach_grad()
    with autograd.record():
        z = w * 3
    autograd.grad(z, [w])
    assert "left w.grad untouched" in str(why(mx.last_graph(), "w"))
