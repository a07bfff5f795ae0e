"""``autograd.Function``: user-defined ops with a hand-written backward."""

from __future__ import annotations

import numpy as np
import pytest

from autogradviz import autograd, nd
from autogradviz.errors import GraphError, ShapeError


def _variable(values, grad_req="write"):
    x = nd.array(values)
    x.attach_grad(grad_req)
    return x


class Sigmoid(autograd.Function):
    """MXNet's documented example: a numerically written sigmoid."""

    def forward(self, x):
        y = 1 / (1 + nd.exp(-x))
        self.save_for_backward(y)
        return y

    def backward(self, grad_out):
        (y,) = self.saved_tensors
        return grad_out * y * (1 - y)


class SplitSum(autograd.Function):
    """Two inputs, two outputs: (x + y, x * y)."""

    def forward(self, x, y):
        self.save_for_backward(x, y)
        return x + y, x * y

    def backward(self, grad_sum, grad_product):
        x, y = self.saved_tensors
        return grad_sum + grad_product * y, grad_sum + grad_product * x


def test_function_single_output():
    values = np.array([-1.0, 0.0, 2.0])
    x = _variable(values)
    with autograd.record():
        y = Sigmoid()(x)
    sig = 1 / (1 + np.exp(-values))
    np.testing.assert_allclose(y.asnumpy(), sig, rtol=1e-6)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), sig * (1 - sig), rtol=1e-6)


def test_function_is_one_node_whose_inputs_are_the_call_inputs():
    x = _variable([1.0])
    with autograd.record():
        y = Sigmoid()(x)
    assert y._node.inputs == (x,)
    assert y._node.op.name == "Sigmoid"
    assert autograd.get_symbol(y).list_arguments() == ["var0"]


def test_function_multiple_outputs_and_inputs():
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 5.0])
    x, y = _variable(xv), _variable(yv)
    with autograd.record():
        total, product = SplitSum()(x, y)
        loss = total * 2 + product * 10
    loss.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), 2 + 10 * yv)
    np.testing.assert_allclose(y.grad.asnumpy(), 2 + 10 * xv)


def test_function_only_one_output_used():
    x, y = _variable([1.0, 2.0]), _variable([3.0, 5.0])
    with autograd.record():
        _, product = SplitSum()(x, y)
    product.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [3.0, 5.0])
    np.testing.assert_allclose(y.grad.asnumpy(), [1.0, 2.0])


def test_function_returns_forward_result_unchanged_type():
    x, y = _variable([1.0]), _variable([2.0])
    with autograd.record():
        outputs = SplitSum()(x, y)
    assert isinstance(outputs, tuple) and len(outputs) == 2


def test_function_forward_is_not_recorded():
    seen = []

    class Spy(autograd.Function):
        def forward(self, x):
            seen.append(autograd.is_recording())
            inner = x * 2
            seen.append(inner._node)
            return inner

        def backward(self, grad_out):
            return grad_out * 2

    x = _variable([1.0])
    with autograd.record():
        y = Spy()(x)
    assert seen == [False, None]
    y.backward()
    assert x.grad.asscalar() == 2.0


def test_function_backward_runs_with_recording_off():
    seen = []

    class Spy(autograd.Function):
        def forward(self, x):
            return x * 1

        def backward(self, grad_out):
            seen.append((autograd.is_recording(), autograd.is_training()))
            return grad_out

    x = _variable([1.0])
    with autograd.record():
        y = Spy()(x)
        y.backward(train_mode=False)
    assert seen == [(False, False)]


def test_function_called_twice_is_an_error():
    f = Sigmoid()
    f(nd.ones(1))
    with pytest.raises(GraphError, match="Sigmoid: each Function instance can only be called"):
        f(nd.ones(1))


def test_function_init_must_call_super():
    class NoSuper(autograd.Function):
        def __init__(self):
            pass

        def forward(self, x):
            return x

    with pytest.raises(GraphError, match=r"NoSuper: __init__ did not call super\(\).__init__"):
        NoSuper()(nd.ones(1))


def test_function_save_for_backward():
    f = autograd.Function()
    assert f.saved_tensors == ()
    a, b = nd.ones(1), nd.zeros(1)
    f.save_for_backward(a, b)
    assert f.saved_tensors == (a, b)


def test_function_outside_record_just_computes():
    x = _variable([0.0])
    y = Sigmoid()(x)
    assert y.asscalar() == 0.5
    with pytest.raises(GraphError, match="not in a computational graph"):
        y.backward()


def test_function_on_non_variable_inside_record():
    # MXNet's test_function1: chained calls on a plain array only need to compute.
    x = nd.array([1.0, 2.0])
    with autograd.record():
        y = x
        for _ in range(5):
            y = Sigmoid()(y)
    y.wait_to_read()
    assert y._node is None


def test_function_returning_its_input_keeps_input_node():
    class Identity(autograd.Function):
        def forward(self, x):
            return x

        def backward(self, grad_out):
            return grad_out * 3

    x = _variable([1.0])
    with autograd.record():
        y = Identity()(x)
        z = y * 1
    assert y is not x
    assert x._node.op is None
    z.backward()
    assert x.grad.asscalar() == 3.0


def test_function_with_add_req_accumulates():
    # MXNet 1.x wrongly gives zeros here; we accumulate.
    x = _variable([2.0], "add")
    for _ in range(2):
        with autograd.record():
            y = Sigmoid()(x)
        y.backward()
    sig = 1 / (1 + np.exp(-2.0))
    np.testing.assert_allclose(x.grad.asscalar(), 2 * sig * (1 - sig), rtol=1e-6)


def test_function_backward_wrong_count_is_an_error():
    class Bad(autograd.Function):
        def forward(self, x, y):
            return x * y

        def backward(self, grad_out):
            return grad_out

    x, y = _variable([1.0]), _variable([2.0])
    with autograd.record():
        z = Bad()(x, y)
    with pytest.raises(ShapeError, match=r"Bad.backward: returned 1 gradients for 2 inputs"):
        z.backward()
    assert not autograd.is_recording()


def test_function_backward_not_ndarray_is_an_error():
    class Bad(autograd.Function):
        def forward(self, x):
            return x * 1

        def backward(self, grad_out):
            return grad_out.asnumpy()

    x = _variable([1.0])
    with autograd.record():
        z = Bad()(x)
    with pytest.raises(TypeError, match=r"Bad.backward: gradient 0 is a ndarray, not an NDArray"):
        z.backward()


def test_function_backward_wrong_shape_is_an_error():
    class Bad(autograd.Function):
        def forward(self, x):
            return x.sum()

        def backward(self, grad_out):
            return grad_out

    x = _variable([1.0, 2.0])
    with autograd.record():
        z = Bad()(x)
    with pytest.raises(ShapeError, match=r"gradient 0 has shape \(1,\) but input 0 has shape "
                                         r"\(2,\)"):  # fmt: skip
        z.backward()


def test_function_mixed_with_ops_and_fan_out():
    values = np.array([0.5, -0.5])
    x = _variable(values)
    with autograd.record():
        s = Sigmoid()(x)
        z = s * x + s
    z.backward()
    sig = 1 / (1 + np.exp(-values))
    expected = sig * (1 - sig) * (values + 1) + sig
    np.testing.assert_allclose(x.grad.asnumpy(), expected, rtol=1e-6)


def test_function_check_grads_error_explains_what_a_vjp_rule_is():
    from autogradviz.testing import GradientCheckError, check_grads

    class Wrong(autograd.Function):
        def forward(self, x):
            return x * x

        def backward(self, grad_out):
            return grad_out  # should be 2 x grad_out

    with pytest.raises(GradientCheckError, match=r"Fix the VJP rule \(the backward function: "
                       r"output gradient in, input gradient out\)"):  # fmt: skip
        check_grads(lambda x: Wrong()(x), nd.array([1.0, 2.0]))


class DoubleInPlace(autograd.Function):
    """A backward that writes into the gradient it was given (``dy *= 2``)."""

    def forward(self, x):
        return x * 2

    def backward(self, dy):
        dy *= 2
        return dy


def test_function_backward_writing_into_its_gradient_corrupts_nothing_else():
    # The case: y = f(x) + x with f's backward doing dy *= 2. Right: 2 + 1 = 3 each
    # (the shared gradient doubled in place gave 4), and the head gradient stays as it was.
    x = _variable([1.0, 1.0])
    head = nd.array([1.0, 1.0])
    with autograd.record():
        y = DoubleInPlace()(x) + x
    y.backward(head)
    assert x.grad.asnumpy().tolist() == [3.0, 3.0]
    assert head.asnumpy().tolist() == [1.0, 1.0]


def test_function_backward_writing_into_its_gradient_leaves_the_head_alone():
    x = _variable([3.0])
    head = nd.array([1.0])
    with autograd.record():
        y = DoubleInPlace()(x)
    y.backward(head)
    assert x.grad.asnumpy().tolist() == [2.0] and head.asnumpy().tolist() == [1.0]


class ReturnsNumpy(autograd.Function):
    def forward(self, x):
        return x.asnumpy() * 2

    def backward(self, dy):
        return dy * 2


class ReturnsFloats(autograd.Function):
    def forward(self, x):
        return x * 2, 3.0

    def backward(self, dy, dz):
        return dy * 2


def test_function_forward_returning_no_ndarray_says_what_to_return():
    x = _variable([1.0])
    with autograd.record():
        with pytest.raises(TypeError, match=r"ReturnsNumpy\.forward: its output is a ndarray, "
                                            r"not an NDArray; .*nd\.array"):  # fmt: skip
            ReturnsNumpy()(x)
        with pytest.raises(TypeError, match=r"ReturnsFloats\.forward: output 1 is a float"):
            ReturnsFloats()(x)


def test_function_forward_unrecorded_returns_what_forward_returned():
    # MXNet 1.9 only wraps forward's outputs when it records them.
    x = _variable([1.0])
    out = ReturnsNumpy()(x)
    assert type(out).__name__ == "ndarray" and out.tolist() == [2.0]
