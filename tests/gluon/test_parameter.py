"""Parameters: initialization (deferred too), the initializer that applies, data and grad."""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, gluon, nd
from autogradviz.gluon import nn


def test_parameter_prints_like_mxnet():
    assert repr(gluon.Parameter("w", shape=(2, 3))) == (
        "Parameter w (shape=(2, 3), dtype=<class 'numpy.float32'>)"
    )
    assert repr(nn.Dense(4, in_units=2, prefix="d_").weight) == (
        "Parameter d_weight (shape=(4, 2), dtype=float32)"
    )
    params = nn.Dense(1, in_units=2, prefix="d_").collect_params()
    assert repr(params) == (
        "d_ (\n  Parameter d_weight (shape=(1, 2), dtype=float32)\n"
        "  Parameter d_bias (shape=(1,), dtype=float32)\n)"
    )


def test_parameter_deferred_until_the_first_batch():
    net = nn.Dense(3, prefix="d_")
    net.initialize()
    assert net.weight.shape == (3, 0)
    with pytest.raises(gluon.DeferredInitializationError, match="Pass one batch through"):
        net.weight.data()
    net(nd.ones((2, 5)))
    assert net.weight.shape == (3, 5)
    assert net.weight.data().shape == (3, 5)


def test_parameter_uninitialized_says_to_initialize():
    with pytest.raises(RuntimeError, match=r"not been initialized. Call net.initialize\(\)"):
        nn.Dense(1, in_units=1).weight.data()


def test_parameter_own_init_wins_over_the_one_given_to_initialize():
    net = nn.Dense(2, in_units=2, weight_initializer=mx.init.Constant(0.5))
    net.initialize(mx.init.One())
    assert net.weight.data().asnumpy().tolist() == [[0.5, 0.5], [0.5, 0.5]]
    assert net.bias.data().asnumpy().tolist() == [0.0, 0.0]  # Dense's bias: 'zeros'


def test_parameter_initialize_twice_warns_and_force_reinit_redraws():
    param = gluon.Parameter("w", shape=(2,))
    param.initialize(mx.init.One())
    with pytest.warns(UserWarning, match="already initialized, ignoring"):
        param.initialize(mx.init.Zero())
    assert param.data().asnumpy().tolist() == [1.0, 1.0]
    param.initialize(mx.init.Zero(), force_reinit=True)
    assert param.data().asnumpy().tolist() == [0.0, 0.0]


def test_parameter_set_data_writes_in_place_and_keeps_the_gradient_buffer():
    param = gluon.Parameter("w", shape=(2,))
    param.initialize(mx.init.One())
    data = param.data()
    param.set_data(nd.array([3.0, 4.0]))
    assert param.data() is data and data.asnumpy().tolist() == [3.0, 4.0]
    with autograd.record():
        y = (param.data() * param.data()).sum()
    y.backward()
    assert param.grad().asnumpy().tolist() == [6.0, 8.0]
    param.zero_grad()
    assert param.grad().asnumpy().tolist() == [0.0, 0.0]


def test_parameter_grad_req_null_has_no_gradient():
    param = gluon.Parameter("w", shape=(1,), grad_req="null")
    param.initialize()
    with pytest.raises(RuntimeError, match="grad_req='null'; set grad_req='write'"):
        param.grad()
    param.grad_req = "write"
    assert param.grad().asnumpy().tolist() == [0.0]
    with pytest.raises(ValueError, match="grad_req must be 'write', 'add' or 'null'"):
        param.grad_req = "sometimes"


def test_parameter_shape_cannot_change_a_known_dimension():
    param = gluon.Parameter("w", shape=(3, 0))
    param.shape = (3, 7)
    with pytest.raises(ValueError, match=r"cannot change shape \(3, 7\) to \(4, 7\)"):
        param.shape = (4, 7)


def test_parameter_unknown_shape_without_deferral_is_refused():
    with pytest.raises(ValueError, match="cannot initialize a parameter of unknown shape"):
        gluon.Parameter("w", shape=(0, 2)).initialize()


def test_parameter_gpu_context_is_refused_clearly():
    with pytest.raises(ValueError, match="runs on the CPU only"):
        gluon.Parameter("w", shape=(1,)).initialize(ctx=mx.gpu(0))


def test_parameter_dict_get_shares_and_update_refuses_two_of_one_name():
    params = gluon.ParameterDict("p_")
    w = params.get("w", shape=(1,))
    assert params.get("w") is w and list(params) == ["p_w"]
    other = gluon.ParameterDict("p_")
    other.get("w", shape=(1,))
    with pytest.raises(ValueError, match="two different parameters are named 'p_w'"):
        params.update(other)


def test_initializer_names_and_numbers():
    assert isinstance(mx.init.create("zeros"), mx.init.Zero)
    assert isinstance(mx.init.create("xavier"), mx.init.Xavier)
    assert mx.init.create(2.0).value == 2.0
    with pytest.raises(ValueError, match="is not an initializer"):
        mx.init.create("golden")


def test_initializer_xavier_bounds_and_vectors():
    mx.random.seed(0)
    weight = nd.zeros((200, 100))
    mx.init.Xavier(magnitude=3)("w", weight)
    bound = np.sqrt(3 / 150)  # fan-in 100, fan-out 200, averaged
    values = weight.asnumpy()
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.95 * bound
    with pytest.raises(ValueError, match="needs at least 2 dimensions"):
        mx.init.Xavier()("b", nd.zeros((3,)))


def test_initializer_normal_and_uniform_spread():
    mx.random.seed(0)
    arr = nd.zeros((100, 100))
    mx.init.Normal(sigma=0.1)("w", arr)
    assert abs(arr.asnumpy().std() - 0.1) < 0.005
    mx.init.Uniform(scale=0.07)("w", arr)
    assert 0.069 < np.abs(arr.asnumpy()).max() <= 0.07


def test_parameter_failed_reinitialize_keeps_the_values():
    net = nn.Dense(2, in_units=2)
    net.initialize(mx.init.One())
    with pytest.raises(ValueError, match="is not an initializer"):
        net.initialize(init="xavierr", force_reinit=True)
    vector = gluon.Parameter("v", shape=(3,))
    vector.initialize(mx.init.One())
    with pytest.raises(ValueError, match="needs at least 2 dimensions"):
        vector.initialize(mx.init.Xavier(), force_reinit=True)
    assert net.weight.data().asnumpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert vector.data().asnumpy().tolist() == [1.0, 1.0, 1.0]


def test_parameter_dict_initialize_changes_nothing_when_one_parameter_fails():
    params = gluon.ParameterDict("p_")
    params.get("w", shape=(2, 2))
    params.get("b", shape=(2,))
    params.initialize(mx.init.One())
    with pytest.raises(ValueError, match="needs at least 2 dimensions"):
        params.initialize(mx.init.Xavier(), force_reinit=True)  # w could, b cannot
    assert params["p_w"].data().asnumpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_parameter_initialize_called_directly_uses_the_init_given():
    param = gluon.Parameter("w", shape=(2,), init=mx.init.Zero())
    param.initialize(mx.init.One())  # MXNet: the init passed wins over the parameter's own
    assert param.data().asnumpy().tolist() == [1.0, 1.0]


def test_parameter_dict_get_again_with_another_shape_is_refused():
    params = gluon.ParameterDict("p_")
    params.get("w", shape=(4, 3))
    with pytest.raises(ValueError, match=r"p_w exists with shape \(4, 3\), not \(5, 3\)"):
        params.get("w", shape=(5, 3))
    assert params.get("w", shape=(4, 0)) is params["p_w"]  # 0: not known, fits
