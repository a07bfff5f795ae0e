"""Derivatives at the points where a rule written naively divides by zero (issue 12).

``x ** k`` at 0 (the third derivative of x² + x³ is 6 there), and products with zeros. The
op table's finite-difference test has samples with zeros for ``prod``; these tests go to
the third order, where a rule like ``0 · x^(-1)`` gives NaN.
"""

from __future__ import annotations

import numpy as np
import pytest

from autogradviz import autograd, nd
from autogradviz.testing import check_grads


def _derivatives(f, x0: list[float], order: int) -> list[list[float]]:
    """Return [f'(x0), f''(x0), ...] elementwise, each from the previous with create_graph."""
    x = nd.array(x0, dtype="float64")
    x.attach_grad()
    found = []
    with autograd.record():
        y = f(x)
        for _ in range(order):
            (y,) = autograd.grad(y.sum(), [x], create_graph=True, retain_graph=True)
            found.append(y.asnumpy().tolist())
    return found


def test_singular_power_derivatives_at_zero_to_the_third_order():
    assert _derivatives(lambda x: x**2 + x**3, [0.0], 3) == [[0.0], [2.0], [6.0]]
    assert _derivatives(lambda x: x**4, [0.0, 1.0], 4)[3] == [24.0, 24.0]


def test_singular_power_with_an_array_of_exponents_including_zero():
    exponents = nd.array([0.0, 1.0, 2.0, 3.0], dtype="float64")
    found = _derivatives(lambda x: x**exponents, [0.0, 0.0, 0.0, 0.0], 3)
    assert found == [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 6.0]]
    assert all(np.isfinite(row).all() for row in found)


@pytest.mark.parametrize(
    "values", [[2.0, 0.0, 3.0], [0.0, 0.0, 3.0], [0.0, 0.0, 0.0], [1.0, 2.0, 3.0]]
)
def test_singular_prod_gradient_and_hessian_with_zeros(values):
    x = nd.array(values, dtype="float64")
    x.attach_grad()
    with autograd.record():
        (g,) = autograd.grad(x.prod(), [x], create_graph=True, retain_graph=True)
        rows = [autograd.grad(g[i], [x], retain_graph=True)[0].asnumpy() for i in range(3)]
    v = np.array(values)
    others = [np.prod(np.delete(v, i)) for i in range(3)]
    np.testing.assert_array_equal(g.asnumpy(), others)
    hessian = [[0.0 if i == j else np.prod(np.delete(v, [i, j])) for j in range(3)]
               for i in range(3)]  # fmt: skip
    np.testing.assert_array_equal(np.array(rows), hessian)


def test_singular_prod_third_order_with_one_zero():
    # f = x0·x1·x2 at (0, 2, 3): ∂³f/∂x0∂x1∂x2 = 1
    x = nd.array([0.0, 2.0, 3.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        (g,) = autograd.grad(x.prod(), [x], create_graph=True, retain_graph=True)
        (h,) = autograd.grad(g[0], [x], create_graph=True, retain_graph=True)
        (t,) = autograd.grad(h[1], [x], retain_graph=True)
    assert t.asnumpy().tolist() == [0.0, 0.0, 1.0]


def test_singular_prod_with_zeros_passes_the_finite_difference_check():
    check_grads(lambda x: x.prod(axis=1), np.array([[0.0, 1.5, 0.0], [0.5, 0.0, 2.0]]), order=2)
