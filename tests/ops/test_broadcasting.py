"""Broadcasting of every binary elementwise op, with shapes drawn by Hypothesis.

For each pair of mutually broadcastable shapes: the forward equals numpy, each gradient has
its input's shape (``unbroadcast`` summed the broadcast axes away), and ``check_grads``
passes to second order. ``dot`` is checked the same way with matmul's gufunc signature.
"""

from __future__ import annotations

from collections.abc import Callable

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

from autogradviz import autograd, nd
from autogradviz.ndarray.functions import call
from autogradviz.ops import OPS
from autogradviz.testing import check_grads

QUICK = settings(max_examples=25, deadline=None)

# Element strategies: bounded floats, per-op domains (no poles, no ties where they matter).
STANDARD = st.floats(-2.0, 2.0, allow_subnormal=False)
POSITIVE = st.floats(0.5, 2.0)
NONZERO = st.one_of(st.floats(0.5, 2.0), st.floats(-2.0, -0.5))
INTEGERS = st.integers(-3, 3).map(float)
HALVES = st.integers(-3, 3).map(lambda k: k + 0.5)  # never within 0.5 of INTEGERS

_COMPARISONS = ["equal", "not_equal", "greater", "greater_equal", "less", "less_equal"]
DOMAINS: dict[str, tuple[st.SearchStrategy, st.SearchStrategy]] = {
    "add": (STANDARD, STANDARD),
    "subtract": (STANDARD, STANDARD),
    "multiply": (STANDARD, STANDARD),
    "divide": (STANDARD, NONZERO),
    "power": (POSITIVE, STANDARD),
    "maximum": (INTEGERS, HALVES),
    "minimum": (INTEGERS, HALVES),
    **{name: (INTEGERS, HALVES) for name in _COMPARISONS},
}
NUMPY: dict[str, Callable] = {name: getattr(np, name) for name in DOMAINS}
BINARY_OPS = sorted(DOMAINS)

# Two-input ops that are not elementwise (their own tests cover them).
_NOT_ELEMENTWISE = {
    "dot",
    "batch_dot",
    "reshape_like",
    "broadcast_like",
    "take",
    "pick",
    "softmax_cross_entropy",
}


def test_broadcasting_covers_every_binary_elementwise_op() -> None:
    binary = {name for name, op in OPS.items() if op.n_inputs == 2} - _NOT_ELEMENTWISE
    assert binary == set(BINARY_OPS), sorted(binary ^ set(BINARY_OPS))


@st.composite
def _operands(draw: st.DrawFn, name: str, forward_only: bool = False) -> tuple:
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    x_elements, y_elements = DOMAINS[name]
    if forward_only and name in _COMPARISONS:
        y_elements = INTEGERS  # ties are the interesting case for the values
    x = draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=x_elements))
    y = draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=y_elements))
    return x, y, shapes.result_shape


def _op(name: str) -> Callable:
    return lambda x, y: call(OPS[name], (x, y), {})


@pytest.mark.parametrize("name", BINARY_OPS)
@QUICK
@given(data=st.data())
def test_broadcasting_forward_equals_numpy(name: str, data: st.DataObject) -> None:
    x, y, result_shape = data.draw(_operands(name, forward_only=True))
    out = _op(name)(nd.array(x, dtype=np.float64), nd.array(y, dtype=np.float64))
    assert out.shape == result_shape
    np.testing.assert_allclose(out.asnumpy(), NUMPY[name](x, y), rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", BINARY_OPS)
@QUICK
@given(data=st.data())
def test_broadcasting_gradients_have_input_shapes(name: str, data: st.DataObject) -> None:
    x, y, _ = data.draw(_operands(name))
    a, b = nd.array(x, dtype=np.float64), nd.array(y, dtype=np.float64)
    a.attach_grad()
    b.attach_grad()
    with autograd.record():
        out = _op(name)(a, b)
    # autograd.grad returns the rules' results as they are (a .grad buffer would broadcast).
    grad_a, grad_b = autograd.grad(out, [a, b], head_grads=nd.ones(out.shape, dtype=np.float64))
    assert grad_a.shape == x.shape
    assert grad_b.shape == y.shape


@pytest.mark.parametrize("name", BINARY_OPS)
@QUICK
@given(data=st.data())
def test_broadcasting_check_grads(name: str, data: st.DataObject) -> None:
    x, y, _ = data.draw(_operands(name))
    check_grads(_op(name), x, y, order=2)


@QUICK
@given(
    shapes=hnp.mutually_broadcastable_shapes(
        signature=np.matmul.signature, max_dims=0, max_side=3
    ),
    data=st.data(),
)
def test_broadcasting_dot_matches_matmul_core_shapes(
    shapes: hnp.BroadcastableShapes, data: st.DataObject
) -> None:
    # dot does not broadcast batch axes (max_dims=0), but takes matmul's 1-D and 2-D cases.
    x = data.draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=STANDARD))
    y = data.draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=STANDARD))
    out = nd.dot(nd.array(x, dtype=np.float64), nd.array(y, dtype=np.float64))
    expected = np.matmul(x, y)
    assert out.shape == (expected.shape or (1,))  # MXNet: 1-D · 1-D gives shape (1,)
    np.testing.assert_allclose(out.asnumpy(), expected.reshape(out.shape), rtol=1e-12, atol=1e-12)
    check_grads(lambda x, y: nd.dot(x, y), x, y, order=2)
