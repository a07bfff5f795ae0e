"""MXNet's output layers: forward predicts, backward sends the loss's gradient as MXNet does."""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.errors import ArgumentError, ShapeError
from autogradviz.teach import ReplayError, check


def _grad(layer, data: np.ndarray, label: np.ndarray, after=lambda out: out, **options):  # type: ignore[no-untyped-def]
    x = nd.array(data)
    x.attach_grad()
    with autograd.record():
        out = layer(x, nd.array(label), **options)
        head = after(out)
    head.backward()
    return out.asnumpy(), x.grad.asnumpy()


DATA = np.array([[0.5, -1.0], [2.0, 0.25], [-0.5, 1.5]])
LABEL = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])


def test_outputs_linear_regression_sends_out_minus_label_over_m() -> None:
    out, grad = _grad(nd.LinearRegressionOutput, DATA, LABEL, grad_scale=3.0)
    np.testing.assert_allclose(out, DATA, rtol=1e-6)
    np.testing.assert_allclose(grad, (DATA - LABEL) * 3.0 / 2, rtol=1e-6)  # m = 2 per row


def test_outputs_ignore_the_gradient_that_arrives() -> None:
    _, plain = _grad(nd.LogisticRegressionOutput, DATA, LABEL)
    _, scaled = _grad(nd.LogisticRegressionOutput, DATA, LABEL, after=lambda o: (o * 5).sum())
    np.testing.assert_array_equal(plain, scaled)
    sigmoid = 1 / (1 + np.exp(-DATA))
    np.testing.assert_allclose(plain, (sigmoid - LABEL) / 2, rtol=1e-6)


def test_outputs_mae_sends_the_sign() -> None:
    _, grad = _grad(nd.MAERegressionOutput, DATA, LABEL)
    np.testing.assert_allclose(grad, np.sign(DATA - LABEL) / 2)


def test_outputs_a_label_of_another_shape_but_the_same_size_is_reshaped() -> None:
    _, grad = _grad(nd.LinearRegressionOutput, DATA[:, :1], np.array([1.0, 0.0, 1.0]))
    np.testing.assert_allclose(grad, DATA[:, :1] - [[1.0], [0.0], [1.0]], rtol=1e-6)
    with pytest.raises(ShapeError, match=r"LinearRegressionOutput: label has shape \(2,\) but "
                       r"data has shape \(3, 2\); give one label per output"):  # fmt: skip
        nd.LinearRegressionOutput(nd.array(DATA), nd.array([1.0, 2.0]))


@pytest.mark.parametrize(("normalization", "divide"), [("null", 1), ("batch", 3), ("valid", 2)])
def test_outputs_softmax_output_normalizations(normalization: str, divide: int) -> None:
    logits = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0], [2.0, 2.0, 2.0]])
    label = np.array([2.0, 0.0, -1.0])  # the last row is ignored
    out, grad = _grad(nd.SoftmaxOutput, logits, label, use_ignore=True,
                      normalization=normalization, grad_scale=2.0)  # fmt: skip
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(out, softmax, rtol=1e-6)
    expected = softmax.copy()
    expected[0, 2] -= 1
    expected[1, 0] -= 1
    expected[2] = 0
    np.testing.assert_allclose(grad, expected * 2.0 / divide, rtol=1e-6, atol=1e-7)


def test_outputs_softmax_output_refuses_what_it_does_not_do() -> None:
    with pytest.raises(ArgumentError, match="only 2-D data"):
        nd.SoftmaxOutput(nd.ones((2, 3, 4)), nd.zeros((2,)))
    with pytest.raises(ArgumentError, match="normalization 'mean' is not one of null"):
        nd.SoftmaxOutput(nd.ones((2, 3)), nd.zeros((2,)), normalization="mean")
    with pytest.raises(ShapeError, match=r"give one class index per row \(2 labels\)"):
        nd.SoftmaxOutput(nd.ones((2, 3)), nd.zeros((3,)))


def test_outputs_the_label_takes_no_gradient() -> None:
    x, label = nd.array(DATA), nd.array(LABEL)
    x.attach_grad()
    label.attach_grad()
    with autograd.record():
        out = nd.LinearRegressionOutput(x, label)
    out.backward()
    assert np.all(label.grad.asnumpy() == 0)


def test_outputs_the_books_loss_cell_runs() -> None:
    # the book's loss notebook: the log loss written with LogisticRegressionOutput
    f, y = nd.array([0.5, -1.0, 2.0]), nd.array([1.0, -1.0, 1.0])
    loss = -nd.log(nd.LogisticRegressionOutput(f * y, nd.ones_like(f)))
    np.testing.assert_allclose(loss.asnumpy(), np.log1p(np.exp(-(f * y).asnumpy())), rtol=1e-6)


def test_outputs_on_the_picture_and_in_check() -> None:
    mx.capture.enable()
    try:
        _grad(nd.LogisticRegressionOutput, DATA, LABEL, after=lambda o: (o * 5).sum())
        graph = mx.last_graph()
    finally:
        mx.capture.disable()
    box = next(n for n in graph.nodes if n.kind == "op" and n.op != "multiply" and n.op != "sum")
    assert box.op == "LogisticRegressionOutput"
    with pytest.raises(ReplayError, match="goes through LogisticRegressionOutput .* one of "
                       "MXNet's output layers"):  # fmt: skip
        check(graph, graph.node("x").id)  # no finite difference of its output is its gradient
    alone = check(graph, box.id)  # its own rule, checked alone: not a derivative, by design
    assert not alone.ok and alone.culprit is not None and alone.culprit.loss_layer
    assert "by design" in str(alone)
