"""A new gradient may become the ``.grad`` buffer instead of being copied into it (issue 12).

Only when nobody but the engine holds either array; every way a user can hold one keeps
MXNet's semantics: the buffer is written in place, and no two buffers, head gradients or
saved arrays ever share memory.
"""

from __future__ import annotations

import weakref

import numpy as np
import pytest

from autogradviz import autograd, nd


def _variable(values):
    x = nd.array(values)
    x.attach_grad()
    return x


def _weights_step(w):
    x = nd.array(np.ones((4, 3), dtype=np.float32))
    with autograd.record():
        loss = nd.dot(x, w).sum()
    loss.backward()


def test_adopted_a_plain_step_takes_the_new_gradient_without_a_copy():
    w = _variable(np.ones((3, 2)))
    before = weakref.ref(w._node.grad_data)  # (a weak reference: holding it would count)
    _weights_step(w)
    assert before() is None  # adopted: the old buffer is gone, the optimization is on
    assert w.grad.asnumpy().tolist() == [[4.0, 4.0]] * 3


def test_adopted_never_when_the_user_holds_the_buffer():
    w = _variable(np.ones((3, 2)))
    held = w.grad  # MXNet: writes reach the buffer, so this sees the new gradient
    _weights_step(w)
    assert held.asnumpy().tolist() == [[4.0, 4.0]] * 3


def test_adopted_never_for_buffers_given_to_mark_variables():
    w = nd.array(np.ones((3, 2)))
    buffer = nd.zeros((3, 2))
    autograd.mark_variables([w], [buffer])
    _weights_step(w)
    assert buffer.asnumpy().tolist() == [[4.0, 4.0]] * 3


def test_adopted_never_shares_memory_with_a_head_gradient_or_another_buffer():
    x, y = _variable([1.0, 2.0]), _variable([3.0, 4.0])
    head = nd.array([5.0, 6.0])
    with autograd.record():
        z = x + y  # both rules send back the head gradient itself
    z.backward(head)
    buffers = [x._node.grad_data, y._node.grad_data, head._data]
    assert not any(np.shares_memory(a, b) for k, a in enumerate(buffers) for b in buffers[k + 1 :])
    x.grad[:] = 0
    assert y.grad.asnumpy().tolist() == [5.0, 6.0] and head.asnumpy().tolist() == [5.0, 6.0]


class _GivesItsSaved(autograd.Function):
    """A backward that returns an array it keeps (the user still holds it)."""

    def forward(self, x):
        self.kept = nd.array([10.0, 20.0])
        return x * 1

    def backward(self, dy):
        return self.kept


def test_adopted_never_takes_an_array_a_function_keeps():
    x = _variable([1.0, 2.0])
    f = _GivesItsSaved()
    with autograd.record():
        y = f(x)
    y.backward()
    assert not np.shares_memory(x._node.grad_data, f.kept._data)
    x.grad[:] = 0
    assert f.kept.asnumpy().tolist() == [10.0, 20.0]


@pytest.mark.usefixtures("with_capture")
def test_adopted_never_while_a_viewer_keeps_the_pass():
    w = _variable(np.ones((3, 2)))
    before = weakref.ref(w._node.grad_data)
    _weights_step(w)
    assert before() is w._node.grad_data
