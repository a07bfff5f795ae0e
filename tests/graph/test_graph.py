"""The graph model: snapshots of recorded computations, with values, gradients and cuts."""

from __future__ import annotations

import numpy as np
import pytest
from graph_programs import detach_program, fanout_program, loop_program, seed_program

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.errors import GraphError
from autogradviz.graph.summary import Summary

pytestmark = pytest.mark.usefixtures("with_capture")


def test_graph_seed_names_values_and_grads():
    x, y, f = seed_program()
    g = mx.last_graph()
    assert [n.id for n in g.nodes] == ["n0", "n1", "n2"]
    assert [n.name for n in g.nodes] == ["x", "y", "f"]
    assert [n.kind for n in g.nodes] == ["variable", "op", "op"]
    head = np.array([[1.0, 1.0], [0.1, 0.1]], dtype=np.float32)
    np.testing.assert_allclose(g.node("x").grad, [[4, 8], [1.2, 1.6]], rtol=1e-6)
    # y = x * 2 feeds f = y * x, so df/dy = head_grads * x.
    np.testing.assert_allclose(g.node("y").grad, head * x.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(g.node("f").grad, head)
    np.testing.assert_allclose(g.node("f").value, 2 * x.asnumpy() ** 2)
    assert g.heads == ("n2",)
    assert g.backward_order == ("n2", "n1")
    assert g.node("y").formula.startswith("d/dx (x * y)")
    assert g.node("y").attrs == (("input 1", "2"),)


def test_graph_edge_contributions_sum_to_grad_at_fanout():
    x, u, v, z = fanout_program()
    g = mx.last_graph()
    x_node = g.node("x")
    parts = [e.contribution for e in g.edges if e.src == x_node.id]
    # x is both inputs of u = x * x (one edge per input slot) and the input of v = x + 2.
    np.testing.assert_allclose(np.concatenate(parts), [15.0, 15.0, 9.0])
    np.testing.assert_allclose(sum(parts), x_node.grad)
    # z = x²(x + 2): dz/dx = 3x² + 4x = 39 at x = 3.
    np.testing.assert_allclose(x_node.grad, [39.0])


def test_graph_of_before_backward_has_values_only():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * x
    g = mx.graph_of(y)
    assert g.node("y").grad is None and g.node("x").grad is None
    np.testing.assert_allclose(g.node("y").value, [1.0, 4.0])


def test_graph_of_after_retained_backward_shows_variable_grads():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * x
    y.backward(retain_graph=True)
    np.testing.assert_allclose(mx.graph_of(y).node("x").grad, [2.0, 4.0])


def test_graph_of_rejects_arrays_outside_a_graph():
    with pytest.raises(GraphError, match="graph_of: the array is not part of a live"):
        mx.graph_of(nd.array([1.0]))


def test_graph_source_points_at_the_calling_line():
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = x * 5  # the line recorded
    source = mx.graph_of(y).node("y").source
    assert source.startswith("test_graph.py:")
    line = int(source.split(":")[1])
    assert "the line recorded" in open(__file__).read().splitlines()[line - 1]


def test_graph_cuts_are_marked():
    x, y, d, z = detach_program()
    g = mx.last_graph()
    assert g.node("d").kind == "constant" and g.node("d").cut == "detach"
    with autograd.record():
        w = x * 2
        with autograd.pause():
            p = w + 1
        q = (w * p).sum()
    q.backward()
    g = mx.last_graph()
    assert g.node("p").cut == "pause"
    assert g.node("p").grad is None


def test_graph_marks_a_rebound_parameter_as_constant():
    w = nd.array([1.0, 2.0])
    w.attach_grad()
    with autograd.record():
        loss = (w * w).sum()
    loss.backward()
    w = w - 0.1 * w.grad  # the classic mistake: w is now a plain array
    v = nd.array([1.0, 1.0])
    v.attach_grad()
    with autograd.record():
        loss = (w * v).sum()
    loss.backward()
    node = mx.last_graph().node("w")
    assert node.kind == "constant" and node.cut == "constant"


def test_graph_first_nonfinite():
    x = nd.array([1.0, -1.0])
    x.attach_grad()
    with autograd.record(), np.errstate(invalid="ignore"):
        y = x * 2
        bad = nd.log(y)
        z = (bad * 3).sum()
    with np.errstate(invalid="ignore"):
        z.backward()
    g = mx.last_graph()
    assert g.first_nonfinite == g.node("bad").id
    assert g.node("bad").value_nonfinite and not g.node("y").value_nonfinite


def test_graph_big_values_are_summarized():
    x = nd.array(np.arange(2000.0).reshape(40, 50))
    x.attach_grad()
    with autograd.record():
        y = (x * 2).sum()
    y.backward()
    node = mx.last_graph(max_elements=100).node("x")
    assert isinstance(node.value, Summary) and isinstance(node.grad, Summary)
    assert node.value.shape == (40, 50) and node.value.max == 1999.0
    assert node.grad.mean == 2.0
    assert isinstance(mx.last_graph(max_elements=5000).node("x").value, np.ndarray)


def test_graph_snapshot_is_immutable_and_detached_from_engine():
    x, y, f = seed_program()
    g = mx.last_graph()
    with pytest.raises(ValueError):
        g.node("x").value[0, 0] = 7
    x[:] = 0  # later writes do not change the snapshot
    assert g.node("x").value[1, 1] == 4
    with pytest.raises(AttributeError):
        g.node("x").name = "other"


def test_graph_node_lookup_errors_name_the_choices():
    seed_program()
    with pytest.raises(KeyError, match="no node has id or name 'nope'"):
        mx.last_graph().node("nope")


def test_graph_loop_program_structure():
    a, b, c = loop_program()
    g = mx.last_graph()
    ops = [n.op for n in g.nodes]
    # b = a * 2, then 9 doublings until ||b|| >= 1000: 10 multiplies, a.grad = head * 2^10.
    assert ops.count("multiply") == 10 and ops[0] == "variable"
    np.testing.assert_allclose(g.node("a").grad, np.array([0.1, 1.0, 0.0001]) * 2**10, rtol=1e-6)


def test_last_graph_without_capture_explains():
    mx.capture.disable()
    with pytest.raises(GraphError, match="no backward pass has been captured"):
        mx.last_graph()
