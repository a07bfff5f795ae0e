"""Losses against numpy: one value per example, labels reshaped, weights applied."""

from __future__ import annotations

import numpy as np
import pytest

from autogradviz import autograd, gluon, nd

RNG = np.random.default_rng(0)
PRED = RNG.normal(size=(4, 3)).astype(np.float32)


def _log_softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def test_l2_loss_is_half_the_squared_error_averaged_per_example():
    label = RNG.normal(size=(4, 3)).astype(np.float32)
    out = gluon.loss.L2Loss()(nd.array(PRED), nd.array(label))
    np.testing.assert_allclose(out.asnumpy(), (0.5 * (PRED - label) ** 2).mean(axis=1), rtol=1e-6)


def test_l2_loss_reshapes_a_flat_label_to_the_output():
    pred, label = nd.array([[1.0], [2.0]]), nd.array([0.0, 0.0])
    assert gluon.loss.L2Loss()(pred, label).asnumpy().tolist() == [0.5, 2.0]
    with pytest.raises(ValueError, match=r"label shape \(3,\) does not fit output shape \(2, 1\)"):
        gluon.loss.L2Loss()(pred, nd.array([0.0, 0.0, 0.0]))


def test_l1_loss_with_weight_and_sample_weight():
    label = np.zeros((4, 3), np.float32)
    weights = nd.array([[1.0], [0.0], [2.0], [1.0]])
    out = gluon.loss.L1Loss(weight=3.0)(nd.array(PRED), nd.array(label), weights)
    expected = (3.0 * np.abs(PRED) * weights.asnumpy()).mean(axis=1)
    np.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-6)


def test_softmax_cross_entropy_with_class_numbers_as_floats():
    label = np.array([0, 2, 1, 2], np.float32)
    out = gluon.loss.SoftmaxCrossEntropyLoss()(nd.array(PRED), nd.array(label))
    expected = -_log_softmax(PRED)[np.arange(4), label.astype(int)]
    np.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-6)
    assert out.shape == (4,)


def test_softmax_cross_entropy_dense_labels_and_from_logits():
    probs = np.full((4, 3), 1 / 3, np.float32)
    dense = gluon.loss.SoftmaxCrossEntropyLoss(sparse_label=False)(nd.array(PRED), nd.array(probs))
    np.testing.assert_allclose(dense.asnumpy(), -(_log_softmax(PRED) / 3).sum(axis=1), rtol=1e-6)
    logits = gluon.loss.SoftmaxCrossEntropyLoss(from_logits=True)(nd.array(PRED), nd.zeros(4))
    np.testing.assert_allclose(logits.asnumpy(), -PRED[:, 0], rtol=1e-6)


def test_softmax_cross_entropy_gradient_is_softmax_minus_one_hot():
    x, label = nd.array(PRED), nd.array([0, 2, 1, 2])
    x.attach_grad()
    with autograd.record():
        loss = gluon.loss.SoftmaxCrossEntropyLoss()(x, label)
    loss.backward()
    expected = np.exp(_log_softmax(PRED)) - np.eye(3)[[0, 2, 1, 2]]
    np.testing.assert_allclose(x.grad.asnumpy(), expected, rtol=1e-5, atol=1e-6)


def test_sigmoid_binary_cross_entropy_from_scores_and_from_probabilities():
    label = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 1], [0, 1, 0]], np.float32)
    probs = 1 / (1 + np.exp(-PRED))
    expected = -(label * np.log(probs) + (1 - label) * np.log(1 - probs)).mean(axis=1)
    scores = gluon.loss.SigmoidBinaryCrossEntropyLoss()(nd.array(PRED), nd.array(label))
    np.testing.assert_allclose(scores.asnumpy(), expected, rtol=1e-5)
    from_probs = gluon.loss.SigmoidBCELoss(from_sigmoid=True)(nd.array(probs), nd.array(label))
    np.testing.assert_allclose(from_probs.asnumpy(), expected, rtol=1e-4)


def test_loss_batch_axis_keeps_that_axis():
    out = gluon.loss.L2Loss(batch_axis=1)(nd.array(PRED), nd.zeros((4, 3)))
    np.testing.assert_allclose(out.asnumpy(), (0.5 * PRED**2).mean(axis=0), rtol=1e-6)


def test_sigmoid_binary_cross_entropy_pos_weight_weighs_the_positives():
    label = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 1], [0, 1, 0]], np.float32)
    probs = 1 / (1 + np.exp(-PRED))
    weight = np.float32(3.0)
    expected = -(weight * label * np.log(probs) + (1 - label) * np.log(1 - probs)).mean(axis=1)
    loss = gluon.loss.SigmoidBCELoss()
    out = loss(nd.array(PRED), nd.array(label), None, nd.array(np.full(3, weight)))
    np.testing.assert_allclose(out.asnumpy(), expected, rtol=1e-5)


def test_more_losses_against_numpy():
    label = np.sign(RNG.normal(size=(4, 3))).astype(np.float32)
    hinge = np.maximum(0, 1 - PRED * label)
    np.testing.assert_allclose(gluon.loss.HingeLoss()(nd.array(PRED), nd.array(label)).asnumpy(),
                               hinge.mean(axis=1), rtol=1e-6)  # fmt: skip
    squared = gluon.loss.SquaredHingeLoss()(nd.array(PRED), nd.array(label)).asnumpy()
    np.testing.assert_allclose(squared, (hinge**2).mean(axis=1), rtol=1e-6)
    logistic = gluon.loss.LogisticLoss()(nd.array(PRED), nd.array(label)).asnumpy()
    np.testing.assert_allclose(logistic, np.log1p(np.exp(-PRED * label)).mean(axis=1), rtol=1e-5)
    target = np.zeros((4, 3), np.float32)
    error = np.abs(PRED)
    huber = np.where(error > 1, error - 0.5, 0.5 * error**2).mean(axis=1)
    np.testing.assert_allclose(gluon.loss.HuberLoss()(nd.array(PRED), nd.array(target)).asnumpy(),
                               huber, rtol=1e-6)  # fmt: skip
    probs = np.exp(_log_softmax(PRED))
    kl = gluon.loss.KLDivLoss(from_logits=False)(nd.array(PRED), nd.array(probs)).asnumpy()
    np.testing.assert_allclose(kl, np.zeros(4), atol=1e-6)  # a distribution against itself
    positive, negative = RNG.normal(size=(2, 4, 3)).astype(np.float32)
    triplet = np.maximum(0, ((positive - PRED) ** 2 - (negative - PRED) ** 2).sum(axis=1) + 1)
    out = gluon.loss.TripletLoss()(nd.array(PRED), nd.array(positive), nd.array(negative))
    np.testing.assert_allclose(out.asnumpy(), triplet, rtol=1e-5)


def test_triplet_loss_weight_scales_it():
    ones, zeros = nd.ones((2, 2)), nd.zeros((2, 2))
    assert gluon.loss.TripletLoss(weight=2.0)(ones, zeros, zeros).asnumpy().tolist() == [2.0, 2.0]
