"""The Trainer's updates against hand-written float32 steps (MXNet's kernels' order)."""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, gluon, nd
from autogradviz.gluon import nn

X = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)


def _one_step(optimizer, params, batch_size=8, steps=1):
    net = nn.Dense(2, in_units=3)
    net.initialize(mx.init.Normal(0.5))
    trainer = gluon.Trainer(net.collect_params(), optimizer, params)
    history = []
    for _ in range(steps):
        weight = net.weight.data().asnumpy().copy()
        with autograd.record():
            loss = (net(nd.array(X)) ** 2).sum()
        loss.backward()
        grad = net.weight.grad().asnumpy().copy()
        trainer.step(batch_size)
        history.append((weight, grad, net.weight.data().asnumpy()))
    return history, trainer


def _sgd_after_one_backward(net, batch):
    """A Trainer (sgd, learning rate 1) for ``net``, after one backward of a batch of ones."""
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 1.0})
    with autograd.record():
        loss = net(nd.ones((batch, net.weight.shape[1]))).sum()
    loss.backward()
    return trainer


def test_trainer_sgd_is_mxnets_update_to_the_last_digit():
    [(weight, grad, new)], _ = _one_step("sgd", {"learning_rate": 0.1, "wd": 0.01})
    lr, wd, rescale = np.float32(0.1), np.float32(0.01), np.float32(1 / 8)
    # the order of multi_sgd_update, the kernel MXNet 1.9's Trainer runs (float32 throughout)
    expected = weight + ((np.float32(0) - (lr * wd) * weight) - (lr * rescale) * grad)
    np.testing.assert_array_equal(new, expected)


def test_trainer_sgd_momentum_keeps_a_velocity():
    history, _ = _one_step("sgd", {"learning_rate": 0.1, "momentum": 0.9}, steps=2)
    lr, rescale, velocity = np.float32(0.1), np.float32(1 / 8), 0
    for weight, grad, new in history:
        velocity = np.float32(0.9) * velocity - (lr * rescale) * grad
        np.testing.assert_allclose(new, weight + velocity, rtol=1e-6)


def test_trainer_adam_matches_the_hand_written_rule():
    history, _ = _one_step("adam", {"learning_rate": 0.01}, steps=3)
    mean = var = 0
    for t, (weight, grad, new) in enumerate(history, start=1):
        g = grad / 8
        mean = 0.9 * mean + 0.1 * g
        var = 0.999 * var + 0.001 * g * g
        lr = 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        np.testing.assert_allclose(new, weight - lr * mean / (np.sqrt(var) + 1e-8), rtol=1e-5)


def test_trainer_refuses_a_stale_gradient_unless_told_to_skip_it():
    net = nn.Dense(1, in_units=1)
    net.initialize(mx.init.One())
    trainer = _sgd_after_one_backward(net, batch=1)
    trainer.step(1)
    with pytest.raises(UserWarning, match="has not been updated by backward since last `step`"):
        trainer.step(1)
    before = net.weight.data().asnumpy().copy()
    trainer.step(1, ignore_stale_grad=True)
    np.testing.assert_array_equal(net.weight.data().asnumpy(), before)


def test_trainer_learning_rate_can_change_and_grad_req_null_is_frozen():
    net = nn.Dense(1, in_units=1)
    net.initialize(mx.init.One())
    net.bias.grad_req = "null"
    trainer = _sgd_after_one_backward(net, batch=1)
    trainer.set_learning_rate(0.5)
    assert trainer.learning_rate == 0.5
    trainer.step(1)
    assert net.weight.data().asnumpy().tolist() == [[0.5]]
    assert net.bias.data().asnumpy().tolist() == [0.0]


def test_trainer_bad_arguments_say_what_to_pass():
    with pytest.raises(TypeError, match=r"net.collect_params\(\)"):
        gluon.Trainer(nn.Dense(1), "sgd")
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop2'"):
        gluon.Trainer(nn.Dense(1).collect_params(), "rmsprop2")


def test_trainer_adagrad_rmsprop_adadelta_follow_their_rules():
    [(weight, grad, new)], _ = _one_step("adagrad", {"learning_rate": 0.1})
    g = grad / 8
    np.testing.assert_allclose(new, weight - 0.1 * g / np.sqrt(g * g + 1e-7), rtol=1e-5)
    [(weight, grad, new)], _ = _one_step("rmsprop", {"learning_rate": 0.01})
    g = grad / 8
    np.testing.assert_allclose(new, weight - 0.01 * g / np.sqrt(0.1 * g * g + 1e-8), rtol=1e-5)
    [(weight, grad, new)], _ = _one_step("adadelta", {})
    g = grad / 8
    mean_grad = 0.1 * g * g
    step = np.sqrt(1e-5) / np.sqrt(mean_grad + 1e-5) * g
    np.testing.assert_allclose(new, weight - step, rtol=1e-5)


def test_trainer_update_rescales_too_and_bad_batch_sizes_say_what_to_pass():
    net = nn.Dense(1, in_units=2)
    net.initialize(mx.init.One())
    trainer = _sgd_after_one_backward(net, batch=4)
    trainer.update(4)  # MXNet's update: step without allreduce, rescaled by 1/4
    assert net.weight.data().asnumpy().tolist() == [[0.0, 0.0]]
    with pytest.raises(ValueError, match="batch_size must be a positive number"):
        trainer.step(0)


def test_trainer_misspelt_optimizer_option_is_refused_and_clip_zero_is_off():
    with pytest.raises(TypeError, match="unknown optimizer option.*learning_rat"):
        gluon.Trainer(nn.Dense(1).collect_params(), "sgd", {"learning_rat": 0.1})
    [(weight, grad, new)], _ = _one_step("sgd", {"learning_rate": 0.1, "clip_gradient": 0})
    np.testing.assert_allclose(new, weight - 0.1 * grad / 8, rtol=1e-6)
