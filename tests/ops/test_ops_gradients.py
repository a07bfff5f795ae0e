"""Every op of the table: first and second derivatives against central finite differences.

The test is parametrized over the table itself, so a new op without samples in
``tests/op_samples.py`` fails here until someone writes them.
"""

from __future__ import annotations

import numpy as np
import pytest
from op_samples import SAMPLES, Sample

from autogradviz import autograd, nd
from autogradviz.ndarray.functions import call
from autogradviz.ops import OPS
from autogradviz.testing import GradientCheckError, check_grads


def _function(name: str, sample: Sample):  # type: ignore[no-untyped-def]
    """The op as a function of its array inputs, with the sample's attributes fixed."""
    return lambda *inputs: call(OPS[name], inputs, dict(sample.attrs))


def test_ops_gradients_every_op_has_samples() -> None:
    missing = sorted(set(OPS) - set(SAMPLES))
    unknown = sorted(set(SAMPLES) - set(OPS))
    assert not missing, f"ops without samples (add them to tests/op_samples.py): {missing}"
    assert not unknown, f"samples for ops that are not in the table: {unknown}"


@pytest.mark.parametrize("name", sorted(OPS))
def test_ops_gradients_match_finite_differences(name: str) -> None:
    if not SAMPLES.get(name):
        pytest.fail(f"{name}: no sample inputs; add some to tests/op_samples.py.")
    for sample in SAMPLES[name]:
        try:
            check_grads(_function(name, sample), *sample.inputs, order=2)
        except GradientCheckError as error:
            raise AssertionError(f"{name} with {sample}: {error}") from None


def _constant_ops() -> list[str]:
    """Ops whose every input is marked non-differentiable (comparisons, argmax, floor, ...)."""
    return sorted(name for name, op in OPS.items() if all(rule is None for rule in op.vjps))


@pytest.mark.parametrize("name", _constant_ops())
def test_ops_gradients_piecewise_constant_ops_give_zero(name: str) -> None:
    for sample in SAMPLES[name]:
        inputs = [nd.array(x, dtype=x.dtype) for x in sample.inputs]
        floats = [x for x in inputs if x.dtype in (np.float32, np.float64)]
        if not floats:
            continue  # only integer inputs (one_hot): nothing to differentiate
        for x in floats:
            x.attach_grad()
        with autograd.record():
            out = _function(name, sample)(*inputs)
        out.backward()
        for x in floats:
            assert np.all(x.grad.asnumpy() == 0), f"{name}: non-zero gradient {x.grad}"


def test_ops_gradients_index_inputs_get_no_gradient() -> None:
    # take, pick and where: the integer positions/condition are constants of the graph.
    x = nd.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    x.attach_grad()
    with autograd.record():
        out = nd.take(x, nd.array([1, 1, 0]), axis=0) * 2
    out.backward()
    assert x.grad.asnumpy().tolist() == [[2.0, 2.0, 2.0], [4.0, 4.0, 4.0]]
    with autograd.record():
        out = nd.pick(x, nd.array([2, 0]), axis=1)
    out.backward()
    assert x.grad.asnumpy().tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]


def test_ops_gradients_dropout_in_training_mode_equals_output_on_ones() -> None:
    # MXNet's test_training: every output is 0 or 1/(1-p), and so is the gradient.
    x = nd.ones((20, 30))
    x.attach_grad()
    with autograd.record():
        out = nd.Dropout(x, p=0.5)
    out.backward()
    assert set(np.unique(out.asnumpy())) <= {0.0, 2.0}
    np.testing.assert_array_equal(x.grad.asnumpy(), out.asnumpy())


def test_ops_gradients_dropout_is_identity_outside_training() -> None:
    x = nd.ones((4, 5))
    x.attach_grad()
    with autograd.record(train_mode=False):
        out = nd.Dropout(x, p=0.5)
    np.testing.assert_array_equal(out.asnumpy(), x.asnumpy())


def test_ops_gradients_dropout_always_mode_and_shared_axes() -> None:
    x = nd.ones((6, 40))
    out = nd.Dropout(x, p=0.5, mode="always")  # applies even outside training
    assert set(np.unique(out.asnumpy())) == {0.0, 2.0}
    with autograd.train_mode():
        out = nd.Dropout(x, p=0.5, axes=(0,))  # one mask value per column
    assert np.all(out.asnumpy() == out.asnumpy()[:1])


@pytest.mark.parametrize("act_type", ["relu", "sigmoid", "tanh", "softrelu", "softsign"])
def test_ops_gradients_activation(act_type: str) -> None:
    x = np.array([[-0.7, 0.3, 1.2], [0.5, -1.1, 0.9]])
    check_grads(lambda x: nd.Activation(x, act_type=act_type), x, order=2)


def test_ops_gradients_leaky_relu_front_end() -> None:
    x = np.array([[-0.7, 0.3, 1.2], [0.5, -1.1, 0.9]])
    check_grads(lambda x: nd.LeakyReLU(x, slope=0.2), x, order=2)


def test_ops_gradients_split() -> None:
    x = np.arange(12.0).reshape(2, 6) / 7

    def fn(x: nd.NDArray) -> nd.NDArray:
        a, b, c = nd.split(x, num_outputs=3, axis=1)
        return a * b + c.exp()

    check_grads(fn, x, order=2)


def test_ops_gradients_third_order_through_create_graph() -> None:
    # d³/dx³ sin(x) = -cos(x): the rules stay differentiable past the second order.
    x = nd.array([0.3, -1.2])
    x.attach_grad()
    with autograd.record():
        y = x.sin()
        (dy,) = autograd.grad(y, [x], create_graph=True, retain_graph=True)
        (d2y,) = autograd.grad(dy, [x], create_graph=True, retain_graph=True)
    d2y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), -np.cos(x.asnumpy()), rtol=1e-6)
