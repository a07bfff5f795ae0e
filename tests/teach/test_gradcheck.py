"""``check``: a box's gradient against finite differences of the replayed tape."""

from __future__ import annotations

import numpy as np
import pytest
from student_functions import WrongSquare

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.teach import ReplayError, check

pytestmark = pytest.mark.usefixtures("with_capture")


def _mlp() -> mx.graph.Graph:
    rng = np.random.default_rng(1)
    x = nd.array(rng.normal(size=(8, 4)))
    y = nd.array(rng.integers(0, 3, 8))
    w1, w2 = nd.array(rng.normal(size=(4, 16))), nd.array(rng.normal(size=(16, 3)))
    for w in (w1, w2):
        w.attach_grad()
    with autograd.record():
        h = nd.relu(nd.dot(x, w1))
        loss = nd.softmax_cross_entropy(nd.dot(h, w2), y) / 8
    loss.backward()
    return mx.last_graph()


def test_check_an_mlp_weight_matches() -> None:
    graph = _mlp()
    for name in ("w1", "w2"):
        result = check(graph, name)
        assert result.ok, str(result)
        assert result.checked == result.size == int(np.prod(graph.node(name).shape))
        assert str(result).startswith(f"✓ {name}: {name}.grad matches central finite")
        assert result.error < 1e-3


def test_check_a_wrong_custom_backward_names_it() -> None:
    a = nd.array([1.0, -2.0, 0.5])
    a.attach_grad()
    with autograd.record():
        b = nd.exp(WrongSquare()(a * 0.5)).sum()
    b.backward()
    graph = mx.last_graph()
    result = check(graph, "a")
    assert not result.ok
    assert result.culprit is not None and result.culprit.op == "WrongSquare"
    assert result.culprit.custom and result.culprit.input == 0
    assert result.error == pytest.approx(0.5, abs=0.01)  # half the true slope
    text = str(result)
    assert text.startswith("✗ a: a.grad disagrees")
    assert "Look at WrongSquare.backward." in text
    # the op's own rule, checked alone
    alone = graph.check(result.culprit.id)
    assert not alone.ok and "WrongSquare" in str(alone)


def test_check_a_big_array_samples_it_and_includes_the_biggest_gradient() -> None:
    big = nd.array(np.random.default_rng(2).normal(size=(50, 40)))
    big.attach_grad()
    with autograd.record():
        loss = (nd.tanh(big) * nd.arange(2000).reshape((50, 40))).mean()
    loss.backward()
    result = check(mx.last_graph(), "big")
    assert result.ok and result.size == 2000 and 20 <= result.checked <= 30
    assert "of 2000 elements, chosen at random" in str(result)


def test_check_a_kink_blames_no_rule_of_yours() -> None:
    x = nd.array([0.0, 1.0])  # relu at exactly 0: its slope is 0 on the left, 1 on the right
    x.attach_grad()
    with autograd.record():
        y = nd.relu(x).sum()
    y.backward()
    result = check(mx.last_graph(), "x")
    assert not result.ok
    assert result.culprit is not None and not result.culprit.custom
    assert "relu is built in" in str(result) and "kink" in str(result)


def test_check_an_add_gradient_compares_this_pass_not_the_sum() -> None:
    x = nd.array([1.0, 2.0])
    x.attach_grad(grad_req="add")
    for _ in range(2):
        with autograd.record():
            y = (x * x).sum()
        y.backward()
    result = check(mx.last_graph(), "x")
    assert x.grad.asnumpy().tolist() == [4.0, 8.0]  # the sum over two passes
    assert result.ok and "the gradient that flowed to x in this pass" in str(result)


def test_check_with_a_head_gradient_uses_it() -> None:
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_grad()
    with autograd.record():
        y = x * x
    y.backward(nd.array([1.0, -1.0, 10.0]))
    result = check(mx.last_graph(), "x")
    assert result.ok, str(result)


def test_check_a_piecewise_constant_path_is_zero_on_both_sides() -> None:
    x, step = nd.array([1.3, 2.2]), nd.array([0.4, -0.7])
    x.attach_grad()
    step.attach_grad()
    with autograd.record():
        y = (nd.floor(step) * x).sum()  # floor is flat here: step's slope is 0
    y.backward()
    result = check(mx.last_graph(), "step")
    assert step.grad.asnumpy().tolist() == [0.0, 0.0]
    assert result.ok and result.numeric == 0.0, str(result)


def test_check_refuses_constants_and_unknown_boxes() -> None:
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = x * nd.array([3.0])
    y.backward()
    graph = mx.last_graph()
    constant = next(n for n in graph.nodes if n.kind == "constant")
    with pytest.raises(ReplayError, match="constant, which takes no gradient"):
        check(graph, constant.id)
    with pytest.raises(KeyError, match="no node has id or name 'nope'"):
        check(graph, "nope")


def test_check_runs_nothing_a_picture_would_draw() -> None:
    graph = _mlp()
    passes_before = mx.capture.last()
    check(graph, "w1")
    assert mx.capture.last() is passes_before


def test_check_an_op_reading_a_box_twice_moves_one_input_at_a_time() -> None:
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        h = WrongSquare()(x)
        loss = (h * h).sum()  # multiply reads h twice: its rule is right
    loss.backward()
    graph = mx.last_graph()
    square = next(n.id for n in graph.nodes if n.op == "multiply")
    assert check(graph, square).ok
    result = check(graph, "x")
    assert not result.ok and result.culprit is not None and result.culprit.op == "WrongSquare"


class AlmostSquare(autograd.Function):
    """x², with a backward 0.5% too small: float64 checks must see it."""

    def forward(self, x):  # type: ignore[no-untyped-def]
        self.save_for_backward(x)
        return x * x

    def backward(self, dy):  # type: ignore[no-untyped-def]
        (x,) = self.saved_tensors
        return dy * x * 1.99


class SteepLeak(autograd.Function):
    """leaky ReLU with slope 0.01, whose backward uses 0.1: small elements 10 times off."""

    def forward(self, x):  # type: ignore[no-untyped-def]
        self.save_for_backward(x)
        return nd.where(x > 0, x, x * 0.01)

    def backward(self, dy):  # type: ignore[no-untyped-def]
        (x,) = self.saved_tensors
        return nd.where(x > 0, dy, dy * 0.1)


@pytest.mark.parametrize(("function", "dtype"), [(AlmostSquare, "float64"),
                                                 (SteepLeak, "float32")])  # fmt: skip
def test_check_sees_a_slightly_wrong_or_locally_wrong_backward(function, dtype) -> None:  # type: ignore[no-untyped-def]
    x = nd.array([3.0, -2.0, 0.5, -4.0], dtype=dtype)
    x.attach_grad()
    with autograd.record():
        loss = (function()(x) * nd.array([1.0, 1.0, 1.0, 1.0], dtype=dtype)).sum()
    loss.backward()
    result = check(mx.last_graph(), "x")
    assert not result.ok, str(result)
    assert result.culprit is not None and result.culprit.op == function.__name__


def test_check_a_head_given_twice_counts_its_seed_once() -> None:
    w = nd.array([1.0, 2.0])
    w.attach_grad()
    with autograd.record():
        loss = (w * w).sum()
    autograd.backward([loss, loss])
    assert w.grad.asnumpy().tolist() == [4.0, 8.0]  # both seeds added
    assert check(mx.last_graph(), "w").ok
