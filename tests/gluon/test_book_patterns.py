"""The call patterns of *The Straight Dope*'s gluon chapters (2 and 3), in code of our own.

Each test follows one notebook's way of using the API (names, argument order, what is
printed) on generated data, so the book's cells run with only the import swapped.
"""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, gluon, nd
from autogradviz.gluon import Block
from autogradviz.gluon import block as block_module


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch):
    monkeypatch.setattr(block_module, "_global_counters", block_module._Counters())


def test_book_linear_regression_with_a_dataloader_over_a_vector_label():
    mx.random.seed(1)
    x = nd.random_normal(shape=(400, 2))
    y = 2 * x[:, 0] - 3.4 * x[:, 1] + 4.2 + 0.01 * nd.random_normal(shape=(400,))
    train_data = gluon.data.DataLoader(gluon.data.ArrayDataset(x, y), batch_size=4, shuffle=True)
    net = gluon.nn.Dense(1)
    net.collect_params().initialize(mx.init.Normal(sigma=1.0), ctx=mx.cpu())
    square_loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.05})
    for _ in range(3):
        for data, label in train_data:
            data, label = data.as_in_context(mx.cpu()), label.as_in_context(mx.cpu())
            with autograd.record():
                loss = square_loss(net(data), label)
            loss.backward()
            trainer.step(4)
    np.testing.assert_allclose(net.weight.data().asnumpy(), [[2.0, -3.4]], atol=0.05)
    assert abs(net.bias.data().asscalar() - 4.2) < 0.05


def test_book_custom_block_with_params_get_and_the_context_as_a_scope():
    class MyDense(Block):
        def __init__(self, units, in_units=0, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.weight = self.params.get("weight", init=mx.init.Xavier(magnitude=2.24),
                                              shape=(in_units, units))  # fmt: skip
                self.bias = self.params.get("bias", shape=(units,))

        def forward(self, x):
            with x.context:
                return nd.maximum(nd.dot(x, self.weight.data()) + self.bias.data(), 0)

    dense = MyDense(20, in_units=10)
    dense.collect_params().initialize(ctx=mx.cpu())
    assert repr(dense.params).startswith(
        "mydense0_ (\n  Parameter mydense0_weight (shape=(10, 20)"
    )
    assert dense(nd.ones(shape=(2, 10))).shape == (2, 20)


def test_book_dropout_follows_predict_mode_and_train_mode():
    net = gluon.nn.Sequential()
    with net.name_scope():
        net.add(gluon.nn.Dense(64, activation="relu"), gluon.nn.Dropout(0.5), gluon.nn.Dense(3))
    net.collect_params().initialize(mx.init.Xavier(magnitude=2.24), ctx=mx.cpu())
    x = nd.random.normal(shape=(1, 10))
    first, again = net(x).asnumpy(), net(x).asnumpy()
    np.testing.assert_array_equal(first, again)  # predict mode by default
    with autograd.predict_mode():
        np.testing.assert_array_equal(net(x).asnumpy(), first)
        assert autograd.is_training() is False
    with autograd.train_mode():
        assert autograd.is_training() is True
        outputs = {tuple(net(x).asnumpy().ravel()) for _ in range(5)}
    assert len(outputs) > 1  # dropped units differ from call to call


def test_book_evaluate_accuracy_with_argmax_predictions_and_keyword_update():
    net = gluon.nn.Dense(3, in_units=4)
    net.initialize(mx.init.Xavier())
    acc = mx.metric.Accuracy()
    data = nd.random.normal(shape=(8, 4))
    predictions = nd.argmax(net(data), axis=1)
    acc.update(preds=predictions, labels=predictions)
    assert acc.get() == ("accuracy", 1.0)


def test_book_loading_into_a_network_that_was_never_initialized(tmp_path):
    def mlp():
        net = gluon.nn.Sequential()
        with net.name_scope():
            net.add(gluon.nn.Dense(16, activation="relu"), gluon.nn.Dense(1))
        return net

    net = mlp()
    net.collect_params().initialize(mx.init.Normal(sigma=1.0), ctx=mx.cpu())
    expected = net(nd.ones((1, 5))).asnumpy()
    filename = str(tmp_path / "testnet.params")
    with pytest.warns(UserWarning, match="save_params is deprecated"):  # as in MXNet 1.x
        net.save_params(filename)
    net2 = mlp()  # no initialize(): the file gives the values and the shapes
    with pytest.warns(UserWarning, match="load_params is deprecated"):
        net2.load_params(filename, ctx=mx.cpu())
    np.testing.assert_array_equal(net2(nd.ones((1, 5))).asnumpy(), expected)


def test_book_backward_inside_record_and_the_trainer_after_it():
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize(mx.init.One())
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    with autograd.record():
        loss = loss_fn(net(nd.ones((2, 3))), nd.array([0, 1]))
        loss.backward()  # the book calls it inside the record() block
    trainer.step(2)
    assert net.weight.grad().shape == (2, 3) and list(mx.test_utils.list_gpus()) == []


def test_book_parameter_dict_lives_in_gluon_parameter_as_in_mxnet():
    # the book prints type(net.collect_params()): mxnet.gluon.parameter.ParameterDict
    from autogradviz.gluon.parameter import ParameterDict

    net = gluon.nn.Dense(2)
    assert type(net.collect_params()) is ParameterDict
    assert str(type(net.collect_params())) == "<class 'autogradviz.gluon.parameter.ParameterDict'>"
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        gluon.parameter.Nope  # noqa: B018
