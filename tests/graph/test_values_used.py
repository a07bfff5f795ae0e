"""Pictures show the values a pass used, also after the SGD step in the same cell (issue 11).

The capture saves a copy of an array the last pass used just before the first in-place write
into it (or into the buffer it is a view of); nothing is copied while nobody writes.
"""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.graph import capture

pytestmark = pytest.mark.usefixtures("with_capture")


def _pass() -> nd.NDArray:
    w = nd.array([1.0, 2.0])
    w.attach_grad()
    with autograd.record():
        y = w * 2
        loss = (y * y).sum()
    loss.backward()
    return w


def _shown(name: str) -> list:
    return mx.last_graph().node(name).value.tolist()


def test_values_used_survive_the_sgd_step():
    w = _pass()
    w[:] = w - 0.1 * w.grad  # the usual update, right after backward
    assert w.asnumpy().tolist() != [1.0, 2.0]
    assert _shown("w") == [1.0, 2.0] and _shown("y") == [2.0, 4.0]  # consistent: y = 2 w
    assert _shown("loss") == [20.0]


@pytest.mark.parametrize("write", [
    "w += 1",
    "w *= 3",
    "w[0] = 7",
    "nd.exp(w, out=w)",
    "nd.array([9.0, 9.0]).copyto(w)",
    "w[0:1][:] = 5",  # through a view of w's buffer
])  # fmt: skip
def test_values_used_survive_every_kind_of_write(write):
    namespace = {"w": _pass(), "nd": nd}
    exec(write, namespace)
    assert namespace["w"].asnumpy().tolist() != [1.0, 2.0]
    assert _shown("w") == [1.0, 2.0]


def test_values_used_of_an_op_output_written_after_backward():
    _pass()
    run = capture.last()[0]
    output = next(a for a in run.arrays.values() if a.shape == (2,) and a._node.op is not None)
    output[:] = -1  # the graph is freed, so in-place writes are allowed again
    assert _shown("y") == [2.0, 4.0]


def test_values_used_of_a_constant():
    c = nd.array([3.0, 4.0])
    x = nd.array([1.0, 1.0])
    x.attach_grad()
    with autograd.record():
        z = (x * c).sum()
    z.backward()
    c[:] = 0
    constant = next(n for n in mx.last_graph().nodes if n.kind == "constant")
    assert constant.value.tolist() == [3.0, 4.0]


def test_values_used_costs_no_copy_without_a_write():
    w = _pass()
    print(w, w.grad, w * 2)  # reads and new arrays copy nothing
    assert capture.last()[1]["saved"] == {}
    w[:] = 0
    assert len(capture.last()[1]["saved"]) == 1  # w's data, once
    w[:] = 1
    assert len(capture.last()[1]["saved"]) == 1


def test_values_used_are_forgotten_at_the_next_pass():
    w = _pass()
    w[:] = 5
    with autograd.record():
        loss = (w * 1).sum()
    loss.backward()
    assert capture.last()[1]["saved"] == {} and _shown("w") == [5.0, 5.0]


def test_values_used_without_capture_nothing_listens(without_capture):
    from autogradviz.engine.listeners import write_listeners

    assert write_listeners == []
    w = nd.array([1.0])
    w[:] = 2  # no listener, no cost
    assert w.asnumpy().tolist() == [2.0]


def test_values_used_big_arrays_summarized_from_the_saved_copy():
    w = nd.array(np.linspace(0, 1, 5000))
    w.attach_grad()
    with autograd.record():
        s = (w * 1).sum()
    s.backward()
    w[:] = 100
    summary = mx.last_graph(max_elements=100).node("w").value
    assert summary.max == pytest.approx(1.0) and summary.shape == (5000,)


def test_values_used_of_a_view_the_pass_made():
    w = nd.array([1.0, 2.0])
    w.attach_grad()
    with autograd.record():
        r = w.reshape((2, 1))  # numpy gives a view of w's buffer
        loss = (r * r).sum()
    loss.backward()
    assert np.shares_memory(r._data, w._data)
    w[:] = 0
    assert _shown("r") == [[1.0], [2.0]] and _shown("w") == [1.0, 2.0]


def test_check_grads_passes_are_never_drawn():
    from autogradviz.testing import check_grads

    w = _pass()  # the student's own pass
    check_grads(lambda x: (x * x).sum(), nd.array([1.0, 2.0]), order=2)
    graph = mx.last_graph()  # still the student's pass, not check_grads's float64 ones
    assert graph.node("w").dtype == "float32" and graph.node("loss").value.tolist() == [20.0]
    assert w.grad.asnumpy().tolist() == [8.0, 16.0]


def test_values_used_of_a_constant_that_views_a_variable():
    w = nd.array([1.0, 2.0])
    w.attach_grad()
    part = w[0:1]  # outside record(): a constant of the pass, a view of w's buffer
    with autograd.record():
        loss = (w * part).sum()
    loss.backward()
    w[:] = 0  # the usual write, into the buffer the constant views too
    constant = next(n for n in mx.last_graph().nodes if n.kind == "constant")
    assert constant.value.tolist() == [1.0] and _shown("w") == [1.0, 2.0]


def test_values_used_buffer_written_then_written_through_a_view():
    # A write into the buffer saves it whole; a later write through a view must not save
    # the pass's views from the buffer's new values (found in review).
    w = nd.array([[1.0, 2.0], [3.0, 4.0]])
    w.attach_grad()
    with autograd.record():
        y = (w.T * 2).sum()
    y.backward()
    w[:] = w - 0.5 * w.grad
    w[0][:] = 100
    graph = mx.last_graph()
    transpose = next(n for n in graph.nodes if n.op == "transpose")
    assert graph.node("w").value.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert transpose.value.tolist() == [[1.0, 3.0], [2.0, 4.0]]


def test_values_used_view_of_a_buffer_in_neither_c_nor_f_order():
    import numpy as np

    data = np.arange(24, dtype=np.float32).reshape(2, 3, 4).transpose(2, 0, 1)
    w = nd.array(data)
    w.attach_grad()
    with autograd.record():
        y = (w.transpose((1, 0, 2)) * 2).sum()
    y.backward()
    w[:] = w - 0.1 * w.grad
    graph = mx.last_graph()  # used to raise: ndarray is not contiguous
    transpose = next(n for n in graph.nodes if n.op == "transpose")
    assert np.array_equal(transpose.value, data.transpose(1, 0, 2))
