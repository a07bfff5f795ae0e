"""Layers against numpy: Dense (flatten or not), Activation, Dropout and Flatten."""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.gluon import nn

RNG = np.random.default_rng(0)


def _dense(units, **kwargs):
    layer = nn.Dense(units, **kwargs)
    layer.initialize(mx.init.Normal(1.0))
    return layer


def test_dense_is_x_times_weight_transposed_plus_bias():
    layer = _dense(3, in_units=4)
    layer.bias.set_data(nd.array([1.0, 2.0, 3.0]))
    x = RNG.normal(size=(5, 4)).astype(np.float32)
    expected = x @ layer.weight.data().asnumpy().T + [1.0, 2.0, 3.0]
    np.testing.assert_allclose(layer(nd.array(x)).asnumpy(), expected, rtol=1e-6)


def test_dense_flattens_inputs_of_more_than_two_dimensions():
    layer = _dense(2)
    x = RNG.normal(size=(3, 1, 2, 2)).astype(np.float32)
    out = layer(nd.array(x)).asnumpy()
    assert layer.weight.shape == (2, 4)
    np.testing.assert_allclose(out, x.reshape(3, 4) @ layer.weight.data().asnumpy().T, rtol=1e-6)


def test_dense_without_flatten_acts_on_the_last_axis():
    layer = _dense(2, flatten=False)
    x = RNG.normal(size=(3, 4, 5)).astype(np.float32)
    out = layer(nd.array(x)).asnumpy()
    assert out.shape == (3, 4, 2) and layer.weight.shape == (2, 5)
    np.testing.assert_allclose(out, x @ layer.weight.data().asnumpy().T, rtol=1e-5)


def test_dense_activation_and_no_bias():
    layer = _dense(3, in_units=2, activation="relu", use_bias=False)
    assert layer.bias is None and list(layer.collect_params()) == [layer.weight.name]
    x = RNG.normal(size=(4, 2)).astype(np.float32)
    expected = np.maximum(x @ layer.weight.data().asnumpy().T, 0)
    np.testing.assert_allclose(layer(nd.array(x)).asnumpy(), expected, rtol=1e-6)


def test_dense_input_of_the_wrong_size_says_which_in_units():
    layer = _dense(3, in_units=2)
    with pytest.raises(ValueError, match=r"has 5 features, but the weight expects 2.*in_units=5"):
        layer(nd.ones((1, 5)))


def test_dense_gradient_matches_the_hand_written_one():
    layer = _dense(3, in_units=2)
    x = RNG.normal(size=(4, 2)).astype(np.float32)
    with autograd.record():
        y = layer(nd.array(x)).sum()
    y.backward()
    np.testing.assert_allclose(layer.weight.grad().asnumpy(), np.ones((4, 3)).T @ x, rtol=1e-6)
    assert layer.bias.grad().asnumpy().tolist() == [4.0, 4.0, 4.0]


def test_dropout_is_the_identity_outside_training_and_scales_inside():
    layer = nn.Dropout(0.5)
    x = nd.ones((1000,))
    assert layer(x) is x
    with autograd.record():
        y = layer(x).asnumpy()
    assert set(np.unique(y)) <= {0.0, 2.0} and 400 < (y == 0).sum() < 600


def test_activation_and_flatten():
    x = nd.array([[-1.0, 2.0]])
    assert nn.Activation("relu")(x).asnumpy().tolist() == [[0.0, 2.0]]
    assert nn.Flatten()(nd.ones((2, 3, 4))).shape == (2, 12)
    with pytest.raises(ValueError, match="unknown act_type 'swish'"):
        nn.Activation("swish")(x)
