"""Blocks: MXNet 1.9's names, children, collect_params, printing and hybrid blocks."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import gluon, nd
from autogradviz.gluon import block as block_module
from autogradviz.gluon import nn


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch):
    """Each test numbers its blocks from 0, as a new process would (dense0_, dense1_, ...)."""
    monkeypatch.setattr(block_module, "_global_counters", block_module._Counters())


def test_block_names_count_per_class_outside_any_scope():
    assert [nn.Dense(1).prefix, nn.Dense(1).prefix, nn.Sequential().prefix] == [
        "dense0_", "dense1_", "sequential0_"
    ]  # fmt: skip


def test_block_names_inside_name_scope_use_the_parents_prefix_and_counter():
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(4, activation="relu"), nn.Dense(2))
    other = nn.Dense(3)  # outside: the global counter was not used by the children
    assert [p for p in net.collect_params()] == [
        "sequential0_dense0_weight", "sequential0_dense0_bias",
        "sequential0_dense1_weight", "sequential0_dense1_bias",
    ]  # fmt: skip
    assert other.name == "dense0"
    assert net[0].act.prefix == "sequential0_dense0_relu_"


def test_block_children_registered_by_attribute_in_assignment_order():
    class Net(gluon.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.b = nn.Dense(2)
                self.a = nn.Dense(1)

        def forward(self, x):
            return self.a(self.b(x))

    net = Net()
    assert list(net._children) == ["b", "a"]
    assert list(net.collect_params()) == ["net0_dense0_weight", "net0_dense0_bias",
                                          "net0_dense1_weight", "net0_dense1_bias"]  # fmt: skip
    net.initialize()
    assert net(nd.ones((3, 5))).shape == (3, 1)


def test_block_params_get_creates_once_and_custom_bias_takes_the_global_init():
    class Affine(gluon.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.weight = self.params.get("weight", shape=(2, 3))
                self.bias = self.params.get("bias", shape=(2,))

        def forward(self, x):
            return nd.dot(x, self.weight.data(), transpose_b=True) + self.bias.data()

    layer = Affine()
    assert layer.params.get("weight") is layer.weight
    layer.initialize(mx.init.One())
    # MXNet's rule: without an init of its own, the bias takes the global initializer too
    assert layer.bias.data().asnumpy().tolist() == [1.0, 1.0]
    assert layer(nd.ones((1, 3))).asnumpy().tolist() == [[4.0, 4.0]]


def test_block_collect_params_select_is_a_regular_expression():
    net = nn.Dense(2, in_units=3)
    assert list(net.collect_params(".*weight")) == ["dense0_weight"]


def test_block_repr_matches_mxnet():
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(64, activation="relu"), nn.Dropout(0.5), nn.Dense(10, in_units=64))
    assert repr(net) == (
        "Sequential(\n  (0): Dense(None -> 64, Activation(relu))\n"
        "  (1): Dropout(p = 0.5, axes=())\n  (2): Dense(64 -> 10, linear)\n)"
    )


def test_block_forward_missing_says_what_to_define():
    with pytest.raises(NotImplementedError, match=r"must define forward\(self, x"):
        gluon.Block()(nd.ones(1))


def test_block_replacing_a_layer_attribute_by_another_type_is_refused():
    net = nn.Dense(1)
    with pytest.raises(TypeError, match="cannot replace the Parameter attribute 'weight'"):
        net.weight = 3


def test_hybrid_block_gets_nd_and_its_parameters_and_hybridize_changes_nothing():
    class Scale(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.alpha = self.params.get("alpha", shape=(1,), init=mx.init.Constant(3.0))

        def hybrid_forward(self, F, x, alpha):  # noqa: N803 (MXNet's signature)
            assert F is nd
            return x * alpha

    layer = Scale()
    layer.initialize()
    layer.hybridize()
    assert layer(nd.array([1.0, 2.0])).asnumpy().tolist() == [3.0, 6.0]


def test_sequential_add_refuses_a_non_block():
    with pytest.raises(TypeError, match=r"expected a Block \(a layer such as nn.Dense\(10\)\)"):
        nn.Sequential().add(lambda x: x)


def test_block_gradients_reach_every_parameter():
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(3, activation="tanh"), nn.Dense(1))
    net.initialize(mx.init.Normal(0.5))
    x = nd.array(np.random.default_rng(0).normal(size=(4, 2)))
    with mx.autograd.record():
        y = net(x).sum()
    y.backward()
    for name, param in net.collect_params().items():
        assert param.grad().shape == param.shape, name
        assert float(np.abs(param.grad().asnumpy()).sum()) > 0, name
    assert re.match(r"sequential\d+_dense1_bias", list(net.collect_params())[-1])


def test_block_with_an_empty_prefix_names_nothing_in_its_scope():
    first = nn.Dense(2)
    outer = nn.Sequential(prefix="")
    with outer.name_scope():
        outer.add(nn.Dense(2))
    assert first.prefix == "dense0_" and outer[0].prefix == "dense1_"  # no clash


def test_activation_is_named_after_its_function_and_a_slice_is_a_sequential():
    assert nn.Activation("relu").prefix == "relu0_"
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(3), nn.Dense(2), nn.Dense(1))
    part = net[0:2]
    assert isinstance(part, nn.Sequential) and len(part) == 2 and part[1] is net[1]
