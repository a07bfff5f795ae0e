"""``what_if``: the pass replayed with one element of a leaf moved."""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.render.plot import tangent_plot
from autogradviz.teach import ReplayError
from autogradviz.teach.whatif import POINTS, slider, what_if

pytestmark = pytest.mark.usefixtures("with_capture")


def _parabola() -> mx.graph.Graph:
    w = nd.array([2.0, -1.0])
    w.attach_grad()
    with autograd.record():
        loss = ((w * 3 - 1) ** 2).sum()
    loss.backward()
    return mx.last_graph()


def test_what_if_every_value_and_gradient_follows() -> None:
    graph = _parabola()
    result = what_if(graph, "w", 0.5, element=0)  # w = [0.5, -1]
    w = np.array([0.5, -1.0])
    assert result.head == pytest.approx(float(((w * 3 - 1) ** 2).sum()))
    assert result.slope == pytest.approx(6 * (3 * 0.5 - 1))  # d/dw0 (3 w0 - 1)^2
    moved = result.graph
    np.testing.assert_allclose(moved.node("w").value, w)
    np.testing.assert_allclose(moved.node("w").grad, 6 * (w * 3 - 1))
    assert moved.node("w").grad_kind == "flowed" and moved.node("w").grad_buffer is None
    head = moved.node(moved.heads[0])
    np.testing.assert_allclose(head.value, [result.head])
    # every edge carries what the rule sent at the new numbers
    for edge in moved.edges:
        assert edge.contribution is not None


def test_what_if_leaves_the_notebook_alone() -> None:
    w = nd.array([2.0])
    w.attach_grad()
    with autograd.record():
        loss = (w * w).sum()
    loss.backward()
    graph = mx.last_graph()
    what_if(graph, "w", 5.0)
    assert w.asnumpy().tolist() == [2.0] and w.grad.asnumpy().tolist() == [4.0]
    assert mx.capture.last() is not None and mx.last_graph().node("w").grad.tolist() == [4.0]


def test_what_if_curve_spans_the_slider_and_passes_through_the_pass() -> None:
    graph = _parabola()
    s = slider(graph, "w", 1)
    assert (s.label, s.start, s.low, s.high) == ("w[1]", -1.0, -2.0, 0.0)
    result = what_if(graph, "w", s.start, element=1)
    xs = [x for x, _ in result.curve]
    assert len(xs) == POINTS and xs[0] == s.low and xs[-1] == s.high
    recorded = float(np.asarray(graph.node(graph.heads[0]).value).reshape(-1)[0])
    assert result.head == pytest.approx(recorded)
    assert result.slope == pytest.approx(float(graph.node("w").grad[1]))


def test_what_if_refuses_ops_ints_and_big_arrays() -> None:
    graph = _parabola()
    with pytest.raises(ReplayError, match="is an op; move a leaf"):
        slider(graph, graph.heads[0])
    with pytest.raises(ReplayError, match="element 5 is out of range for 2"):
        slider(graph, "w", 5)
    big = nd.ones((10, 10))
    big.attach_grad()
    with autograd.record():
        y = (big * 2).sum()
    y.backward()
    with pytest.raises(ReplayError, match="100 float32 elements; what-if moves one element"):
        slider(mx.last_graph(), "big")


def test_what_if_plot_draws_the_curve_the_point_and_the_tangent() -> None:
    graph = _parabola()
    result = what_if(graph, "w", 1.0)
    svg = tangent_plot(result.curve, (result.value, result.head), result.slope, "w[0]", "loss")
    assert svg.startswith("<svg") and 'class="agv-curve"' in svg and 'class="agv-tangent"' in svg
    assert svg.count("<circle") == 1 and ">w[0]</text>" in svg
    nasty = tangent_plot(result.curve, (1.0, 1.0), 0.0, "<b>", "</svg>")
    assert "<b>" not in nasty and "&lt;/svg&gt;" in nasty
