"""The bugs the fuzzer found, each pinned by a direct test (the shrunk programs are replayed too).

Each test names the file that was fixed.
"""

from __future__ import annotations

import numpy as np
import pytest

from autogradviz import autograd, nd
from autogradviz.errors import ShapeError


@pytest.mark.parametrize("op", ["sum", "nansum", "mean", "max", "argmax", "argmin"])
def test_fuzz_found_reduction_of_0d_with_keepdims_is_1d(op) -> None:
    # ops/reduce.py: keepdims on a 0-d array gave a 0-d result; MXNet has none.
    assert getattr(nd, op)(nd.array(0.5), keepdims=True).shape == (1,)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_fuzz_found_softmax_of_empty_axis(op) -> None:
    # ops/nn.py: np.max of an empty axis raised; an empty input now gives an empty output.
    x = nd.zeros((3, 0, 2))
    x.attach_grad()
    with autograd.record():
        y = getattr(nd, op)(x, axis=1)
    y.backward()
    assert y.shape == (3, 0, 2) and x.grad.shape == (3, 0, 2)


@pytest.mark.parametrize("op", ["take", "pick"])
def test_fuzz_found_take_from_empty_axis_is_a_clear_error(op) -> None:
    # ops/indexing.py: mode='wrap' divided by zero (a RuntimeWarning) and the message spoke
    # of a bad axis.
    with pytest.raises(ShapeError, match=f"{op}: cannot pick elements from axis 1, which has"):
        getattr(nd, op)(nd.zeros((2, 0)), nd.array([1, 0]), axis=1, mode="wrap")


def test_fuzz_found_where_keeps_float16_gradients() -> None:
    # ops/elementwise.py: an integer condition made where's gradient float32.
    x = nd.array([0.5], dtype="float16")
    x.attach_grad()
    with autograd.record():
        y = nd.where(np.array([1, 0]), x, x * 2)
    y.backward()
    assert x.grad.dtype == np.float16 and x.grad.asscalar() == 3.0


def test_fuzz_found_reshape_zero_copies_even_for_empty_arrays() -> None:
    # ops/shape.py: for an empty array every 0 in the target was read literally, not as
    # MXNet's "copy this axis".
    assert nd.zeros((1, 0, 0)).reshape((0, 0)).shape == (1, 0)
    assert nd.zeros((2, 0)).reshape((0, 5)).shape == (0, 5)  # copying would give 10 elements


def test_fuzz_found_grad_returns_the_variables_dtype() -> None:
    # autograd.py: grad returned float64 for a float32 variable used with a float64 array.
    x = nd.array([0.5])
    x.attach_grad()
    with autograd.record():
        y = x * nd.array([2.0], dtype="float64")
    (grad,) = autograd.grad(y, [x])
    assert grad.dtype == np.float32 and grad.asscalar() == 2.0
