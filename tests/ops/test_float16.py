"""float16 reductions accumulate in float32, as MXNet's do (issue 12).

A float16 sum loses small terms long before its result is big, and 300² already overflows
it (65504 is its largest value). The result keeps the input's dtype.
"""

from __future__ import annotations

import warnings

import numpy as np

from autogradviz import autograd, nd
from autogradviz.ops.floats import hide_numpy_float_warnings


def test_float16_mean_of_many_elements_has_its_gradient():
    x = nd.array(np.ones(90_000), dtype="float16")
    x.attach_grad()
    with autograd.record():
        y = x.mean()
    y.backward()
    assert y.dtype == np.float16 and y.asnumpy().tolist() == [1.0]
    assert np.all(x.grad.asnumpy() == np.float16(1 / 90_000)) and x.grad.asnumpy()[0] > 0


def test_float16_norm_does_not_overflow_in_its_squares():
    x = nd.array([300.0, 400.0], dtype="float16")
    x.attach_grad()
    with autograd.record():
        y = nd.norm(x)
    y.backward()
    assert y.dtype == np.float16 and y.asnumpy().tolist() == [500.0]
    np.testing.assert_allclose(x.grad.asnumpy(), [0.6, 0.8], rtol=1e-3)


def test_float16_sum_and_mean_accumulate_in_float32():
    values = np.full(4096, 0.1, dtype=np.float16)
    exact = values.astype(np.float32).sum()
    assert nd.array(values, dtype="float16").sum().asnumpy()[0] == np.float16(exact)
    assert nd.array(values, dtype="float16").mean().asnumpy()[0] == np.float16(exact / 4096)
    assert nd.nansum(nd.array(values, dtype="float16")).asnumpy()[0] == np.float16(exact)


def test_float16_a_sum_too_big_for_float16_is_inf_as_in_mxnet():
    with warnings.catch_warnings():  # as outside pytest: the package hides numpy's warning
        hide_numpy_float_warnings()
        total = nd.array(np.full(200_000, 0.5), dtype="float16").sum()
    assert total.dtype == np.float16 and np.isinf(total.asnumpy()[0])
