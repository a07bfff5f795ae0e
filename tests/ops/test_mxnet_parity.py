"""What MXNet's own tests and the book meet beyond the op table's checks (issue 13, item 3).

The special functions against known values, the legacy sampling names, shapes MXNet gives,
and float32 digits rounded as MXNet's (``exp(1)`` is 2.7182817, numpy's float32 2.718282).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.ops.rounding import SMALL


def test_parity_exp_digits_are_mxnets_for_small_float32_arrays():
    exact = np.float32(math.exp(1.0))  # the correctly rounded float32
    assert nd.exp(nd.array([1.0])).asnumpy()[0] == exact
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = nd.exp(x) + x
    (grad,) = autograd.grad(y, [x])
    assert grad.asnumpy()[0] == np.float32(3.71828175)  # MXNet's autograd test's number
    big = np.ones(SMALL + 1, np.float32)  # a batch: numpy's fast float32 routine
    np.testing.assert_array_equal(nd.exp(nd.array(big)).asnumpy(), np.exp(big))


@pytest.mark.parametrize("name", ["exp", "log", "sin", "tanh", "arcsinh"])
def test_parity_small_float32_results_are_the_float64_result_rounded(name):
    x = np.random.default_rng(1).uniform(0.5, 2.0, 100).astype(np.float32)
    expected = getattr(np, name)(x.astype(np.float64)).astype(np.float32)
    np.testing.assert_array_equal(getattr(nd, name)(nd.array(x)).asnumpy(), expected)


def test_parity_special_function_values():
    assert nd.gamma(nd.array([5.0], dtype="float64")).asscalar() == pytest.approx(24.0)
    assert nd.gammaln(nd.array([10.0], dtype="float64")).asscalar() == pytest.approx(
        math.log(362880.0), rel=1e-14
    )
    trigamma_1 = nd.polygamma(nd.array([1.0], dtype="float64"), n=1).asscalar()
    assert trigamma_1 == pytest.approx(math.pi**2 / 6, rel=1e-13)
    digamma_1 = nd.polygamma(nd.array([1.0], dtype="float64")).asscalar()
    assert digamma_1 == pytest.approx(-0.5772156649015329, rel=1e-13)  # -γ (Euler)
    x = nd.array(np.linspace(-0.99, 0.99, 41), dtype="float64")
    np.testing.assert_allclose(nd.erf(nd.erfinv(x)).asnumpy(), x.asnumpy(), atol=1e-13)
    near_one = np.array([1 - 1e-15, -(1 - 1e-12), 1 - 1e-6])  # where erf itself rounds to ±1
    tails = nd.erfinv(nd.array(near_one, dtype="float64")).asnumpy()
    for value, y in zip(near_one, tails, strict=True):
        assert math.erfc(abs(y)) == pytest.approx(1 - abs(value), rel=1e-10)
    ends = nd.erfinv(nd.array([-1.0, 1.0, 1.5])).asnumpy()
    assert ends[0] == -np.inf and ends[1] == np.inf and np.isnan(ends[2])
    np.testing.assert_allclose(nd.degrees(nd.array([math.pi])).asnumpy(), [180.0])
    np.testing.assert_allclose(nd.radians(nd.array([180.0])).asnumpy(), [math.pi], rtol=1e-7)
    np.testing.assert_allclose(nd.rcbrt(nd.array([8.0])).asnumpy(), [0.5])
    np.testing.assert_allclose(nd.log_sigmoid(nd.array([-100.0, 0.0])).asnumpy(),
                               [-100.0, -math.log(2)], rtol=1e-6)  # fmt: skip


def test_parity_gamma_second_derivative_is_the_trigamma():
    x = nd.array([2.5], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = nd.gammaln(x)
        (dy,) = autograd.grad(y, [x], create_graph=True)
    dy.backward()
    assert x.grad.asscalar() == pytest.approx(0.4903577561002349, rel=1e-12)  # ψ'(2.5)


def test_parity_polygamma_order_must_be_a_whole_number():
    with pytest.raises(ValueError, match=r"^polygamma: n=-1 must be a whole number from 0 to 100"):
        nd.polygamma(nd.ones(1), n=-1)


def test_parity_legacy_sampling_names_and_shapes():
    mx.random.seed(0)
    assert nd.uniform(shape=(2, 3)).shape == (2, 3)
    assert nd.normal(loc=0, scale=1, shape=4).shape == (4,)
    assert nd.uniform(low=2.0, high=3.0, shape=100).asnumpy().min() >= 2.0
    assert nd.sample_multinomial(nd.array([0.2, 0.8])).shape == (1,)  # MXNet: (1,), not ()
    assert nd.sample_multinomial(nd.array([[0.2, 0.8], [1.0, 0.0]])).shape == (2,)


def test_parity_context_is_a_context_manager():
    x = nd.ones(2)
    with x.context as ctx, mx.cpu():
        assert ctx == mx.cpu()


@pytest.mark.parametrize("first", [lambda x: nd.radians(x), lambda x: x * 2,
                                   lambda x: nd.Dropout(x, p=0.5)], ids=["radians", "times-2",
                                                                         "dropout"])  # fmt: skip
def test_parity_second_derivative_of_a_linear_function_is_zero(first):
    # MXNet's test_higher_order_grad (radians, dropout): a gradient that does not depend on
    # x is still a function of x with slope 0, so differentiating it again gives zeros
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with autograd.record():
        (dx,) = autograd.grad(first(x), [x], create_graph=True, retain_graph=True)
        (ddx,) = autograd.grad(dx, [x], create_graph=True, retain_graph=True)
    assert ddx.asnumpy().tolist() == [0.0, 0.0, 0.0]
    dx.backward()
    assert x.grad.asnumpy().tolist() == [0.0, 0.0, 0.0]


def test_parity_arcsinh_second_derivative_is_the_true_one():
    # A deliberate difference: MXNet 1.9's rule gives +x/(x²+1)^1.5, the wrong sign
    x = nd.array([0.5, -1.0, 2.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        (dx,) = autograd.grad(nd.arcsinh(x), [x], create_graph=True, retain_graph=True)
    dx.backward()
    values = x.asnumpy()
    np.testing.assert_allclose(x.grad.asnumpy(), -values / (values**2 + 1) ** 1.5, rtol=1e-12)


def test_parity_fully_connected_and_the_initializer_module():
    data, weight = nd.array(np.arange(6.0).reshape(2, 1, 3)), nd.ones((4, 3))
    out = nd.FullyConnected(data, weight, nd.array([0.0, 1.0, 2.0, 3.0]), num_hidden=4)
    assert out.asnumpy().tolist() == [[3.0, 4.0, 5.0, 6.0], [12.0, 13.0, 14.0, 15.0]]
    assert nd.FullyConnected(data.reshape((2, 3)), weight, no_bias=True).shape == (2, 4)
    with pytest.raises(ValueError, match=r"FullyConnected: weight shape \(4, 3\) does not have"):
        nd.FullyConnected(data, weight, num_hidden=5)
    assert mx.initializer is mx.init and isinstance(mx.initializer.Constant(0.5), mx.init.Constant)


def test_parity_reshape_outside_record_may_keep_the_first_elements():
    x = nd.arange(6).reshape((2, 3))
    assert x.reshape((2, 2)).asnumpy().tolist() == [[0.0, 1.0], [2.0, 3.0]]  # MXNet 1.x
    x.attach_grad()
    with autograd.record(), pytest.raises(ValueError, match="the number of elements must stay"):
        x.reshape((2, 2))  # recorded: sizes must match, as in MXNet


def test_parity_index_past_the_end_is_an_index_error_so_iteration_stops():
    class Items:  # a Dataset-like object iterated by index, as the book does with MNIST
        def __getitem__(self, i):
            return nd.arange(3)[i]

    assert [v.asscalar() for v in Items()] == [0.0, 1.0, 2.0]
    with pytest.raises(IndexError, match="getitem: index 5 is out of bounds"):
        nd.zeros(2)[5]


def test_parity_more_legacy_samplers():
    mx.random.seed(7)
    draws = nd.random_exponential(lam=0.5, shape=(2000,)).asnumpy()  # MXNet's legacy: the rate
    assert draws.min() >= 0 and abs(draws.mean() - 2.0) < 0.2 and draws.dtype == np.float32
    assert abs(nd.random_gamma(alpha=3.0, beta=2.0, shape=(2000,)).asnumpy().mean() - 6.0) < 0.4
    assert abs(nd.random_poisson(lam=4.0, shape=(2000,)).asnumpy().mean() - 4.0) < 0.3
    ints = nd.random.randint(2, 5, shape=(500,)).asnumpy()
    assert ints.dtype == np.int32 and set(ints.tolist()) == {2, 3, 4}
    shuffled = nd.shuffle(nd.arange(10)).asnumpy()
    assert sorted(shuffled.tolist()) == list(range(10)) and shuffled.tolist() != list(range(10))
    mx.random.seed(7)
    assert nd.random.exponential(2.0, shape=(3,)).asnumpy().tolist() == draws[:3].tolist()
    with pytest.raises(ValueError, match=r"random.randint: .*low=5.*check the distribution"):
        nd.random.randint(5, 2, shape=(2,))


def test_parity_reshape_shortcut_keeps_its_checks():
    x = nd.arange(6).reshape((2, 3))
    with pytest.raises(ValueError, match="cannot reshape"):
        x.reshape()  # no shape at all: not "the first element"
    assert x.reshape((np.int64(2), 2)).shape == (2, 2)  # numpy integers are sizes too
    with pytest.raises(ValueError, match="index with integers, slices"):
        x[1.5]  # a wrong index is not "past the end" (no IndexError: loops must not stop)
