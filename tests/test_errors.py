"""User mistakes: each message names the op, the shapes and the fix, and nothing is corrupted.

Every case is run twice: once to pin its message, once to check that the engine still works
afterwards (flags restored, the next record()/backward() gives correct gradients).
"""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.errors import (
    AutogradvizError,
    ContextError,
    DTypeError,
    GradReqError,
    GraphError,
    InplaceError,
    LabelError,
    ShapeError,
)


def _variable(values, grad_req="write"):
    x = nd.array(values)
    x.attach_grad(grad_req)
    return x


def _recorded_square():
    x = _variable([1.0, 2.0])
    with autograd.record():
        z = x * x
    return x, z


# ----------------------------------------------------------------------------- the cases


def _backward_not_in_graph():
    x = _variable([1.0, 2.0, 3.0])
    (x * 2).backward()


def _backward_plain_array_in_record():
    with autograd.record():
        y = nd.ones(3) * 2
    y.backward()


def _second_backward():
    _, z = _recorded_square()
    z.backward()
    z.backward()


def _head_grad_wrong_shape():
    _, z = _recorded_square()
    z.backward(nd.ones(3))


def _head_grad_wrong_dtype():
    _, z = _recorded_square()
    z.backward(nd.ones(2, dtype=np.float64))


def _head_grads_wrong_length():
    _, z = _recorded_square()
    autograd.backward([z], [None, None])


def _head_not_ndarray():
    autograd.backward(np.ones(2))


def _only_null_variables():
    x = _variable([1.0], "null")
    with autograd.record():
        z = x * x
    z.backward()


def _broadcast_mismatch():
    x = _variable(np.ones((2, 3)))
    with autograd.record():
        x + nd.ones(4)


def _dot_mismatch():
    x = _variable(np.ones((2, 3)))
    with autograd.record():
        nd.dot(x, nd.ones((4, 2)))


def _impossible_reshape():
    x = _variable(np.ones((2, 3)))
    with autograd.record():
        x.reshape((4, 2))


def _bad_reshape_codes():
    nd.ones((2, 3)).reshape((-1, -1))


def _label_minus_one():
    # -1 picked the last class in the loss but no class in the gradient (issue 12)
    nd.softmax_cross_entropy(nd.ones((2, 3)), nd.array([0, -1]))


def _label_not_whole():
    nd.softmax_cross_entropy(nd.ones((2, 3)), nd.array([0, 1.5]))


def _label_too_big():
    nd.softmax_cross_entropy(nd.ones((2, 3)), nd.array([3, 0]))


def _label_wrong_shape():
    nd.softmax_cross_entropy(nd.ones((2, 3)), nd.array([[0], [1]]))


def _bad_axis():
    x = _variable(np.ones((2, 3)))
    with autograd.record():
        nd.sum(x, axis=5)


def _inplace_variable_in_record():
    x = _variable([1.0, 2.0])
    with autograd.record():
        x[:] = 3


def _inplace_intermediate_in_record():
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = x * 2
        y += 1


def _inplace_graph_value_into_plain_array():
    x = _variable([1.0, 2.0])
    plain = nd.zeros(2)
    with autograd.record():
        plain[:] = x * 2


def _setitem_wrong_shape():
    nd.zeros((2, 3))[:] = nd.ones(4)


def _asscalar_not_scalar():
    nd.ones((2, 3)).asscalar()


def _bool_not_scalar():
    x = _variable(np.ones((2, 3)))
    with autograd.record():
        if x > 0:
            pass


def _invalid_grad_req():
    nd.ones(2).attach_grad("sum")


def _invalid_grad_req_mark_variables():
    autograd.mark_variables([nd.ones(2)], [nd.zeros(2)], ["write2"])


def _grad_of_integer_array():
    nd.array([1, 2], dtype="int32").attach_grad()


def _mark_integer_array():
    autograd.mark_variables(nd.array([1, 2], dtype="int32"), nd.zeros(2, dtype="int32"))


def _grad_empty_list():
    _, z = _recorded_square()
    autograd.grad(z, [])


def _grad_non_variable():
    _, z = _recorded_square()
    autograd.grad(z, [nd.ones(2)])


def _fresh_grad_on_non_variable():
    nd.ones(1)._fresh_grad = True


def _get_symbol_not_in_graph():
    autograd.get_symbol(nd.ones(2) * 2)


def _function_called_twice():
    class Double(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, grad_out):
            return grad_out * 2

    f = Double()
    x = _variable([1.0])
    with autograd.record():
        f(x)
        f(x)


def _function_backward_raises():
    class Broken(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, grad_out):
            return grad_out.reshape((5, 5))

    x = _variable([1.0, 2.0])
    with autograd.record():
        y = Broken()(x)
        z = y * y
        z.backward(train_mode=False)


def _gpu_context():
    nd.ones(2, ctx=mx.gpu(0))


CASES = [
    (_backward_not_in_graph, GraphError,
     r"backward: cannot differentiate the head \(shape \(3,\)\) because it is not in a "
     r"computational graph\. Call x\.attach_grad\(\) on the inputs"),
    (_backward_plain_array_in_record, GraphError,
     r"backward: .*\(shape \(3,\)\).*not in a computational graph.*attach_grad"),
    (_second_backward, GraphError,
     r"backward: the head \(shape \(2,\)\) was already back-propagated.*Pass retain_graph=True"),
    (_head_grad_wrong_shape, ShapeError,
     r"backward: head_grads\[0\] has shape \(3,\) but its head has shape \(2,\); pass head "
     r"gradients of shape \(2,\)"),
    (_head_grad_wrong_dtype, ShapeError,
     r"backward: head_grads\[0\] has dtype float64 but its head has dtype float32; convert it "
     r"with \.astype\('float32'\)"),
    (_head_grads_wrong_length, ShapeError,
     r"backward: heads and head_grads must be lists of the same length: 1 vs\. 2; pass one"),
    (_head_not_ndarray, TypeError, r"backward: heads must be NDArrays, not ndarray"),
    (_only_null_variables, GraphError,
     r"backward: there are no inputs in the computation graph that require gradients.*"
     r"attach_grad"),
    (_broadcast_mismatch, ShapeError,
     r"add: cannot broadcast shapes \(2, 3\) and \(4,\); trailing dimensions must match or be "
     r"1\. Reshape one operand"),
    (_dot_mismatch, ShapeError,
     r"dot: shapes \(2, 3\) and \(4, 2\) are not aligned.*transpose"),
    (_impossible_reshape, ShapeError,
     r"reshape: cannot reshape \(2, 3\) \(6 elements\) to \(4, 2\) \(8 elements\).*use -1"),
    (_bad_reshape_codes, ShapeError,
     r"reshape: cannot reshape \(2, 3\) to \(-1, -1\); use sizes >= 0 and MXNet's codes: 0 "
     r"\(copy\), -1 \(infer, at most once\)"),
    (_label_minus_one, LabelError,
     r"softmax_cross_entropy: label -1 is not a class number for data of shape \(2, 3\); "
     r"labels must be whole numbers from 0 to 2\."),
    (_label_not_whole, LabelError, r"softmax_cross_entropy: label 1\.5 is not a class number"),
    (_label_too_big, LabelError, r"softmax_cross_entropy: label 3 is not a class number"),
    (_label_wrong_shape, ShapeError,
     r"softmax_cross_entropy: label shape \(2, 1\) does not fit data shape \(2, 3\); give "
     r"one class number per row, shape \(2,\)\."),
    (_bad_axis, ShapeError,
     r"sum: axis 5 is out of range for an array of shape \(2, 3\); use an axis between -2 "
     r"and 1"),
    (_inplace_variable_in_record, InplaceError,
     r"setitem: assigning to NDArrays that are already in a computational graph \(shape "
     r"\(2,\)\).*Call backward first.*outside autograd\.record\(\)"),
    (_inplace_intermediate_in_record, InplaceError,
     r"add: assigning to NDArrays that are already in a computational graph \(shape \(2,\)\)"
     r".*y = y \+ 1"),
    (_inplace_graph_value_into_plain_array, InplaceError,
     r"setitem: inplace operations .* not supported when recording.*value \(shape \(2,\)\).*"
     r"Write y = <expression>"),
    (_setitem_wrong_shape, ShapeError,
     r"setitem: cannot assign a value of shape \(4,\) to a selection of shape \(2, 3\)"),
    (_asscalar_not_scalar, ShapeError,
     r"asscalar: the current array is not a scalar \(shape \(2, 3\)\); reduce it first"),
    (_bool_not_scalar, ShapeError,
     r"bool: the truth value of an NDArray with multiple elements is ambiguous \(shape "
     r"\(2, 3\)\); reduce it first"),
    (_invalid_grad_req, GradReqError,
     r"attach_grad: invalid grad_req 'sum'; use 'write', 'add' or 'null'\."),
    (_invalid_grad_req_mark_variables, KeyError,
     r"mark_variables: invalid grad_req 'write2'; use 'write', 'add' or 'null'\."),
    (_grad_of_integer_array, DTypeError,
     r"attach_grad: integer and boolean arrays cannot have gradients \(dtype int32, shape "
     r"\(2,\)\); convert first with x = x\.astype\('float32'\)"),
    (_mark_integer_array, DTypeError,
     r"mark_variables: integer and boolean arrays cannot have gradients \(dtype int32"),
    (_grad_empty_list, GraphError, r"grad: variables cannot be an empty list"),
    (_grad_non_variable, GraphError,
     r"grad: cannot differentiate with respect to the 1-th variable because it does not "
     r"require gradient \(shape \(2,\)\)\. Call attach_grad\(\)"),
    (_fresh_grad_on_non_variable, AutogradvizError,
     r"_fresh_grad: NDArray has not been marked as a variable.*attach_grad\(\)"),
    (_get_symbol_not_in_graph, GraphError,
     r"get_symbol: NDArray is not part of a computation graph\. Did you forget to turn on "
     r"recording\?"),
    (_function_called_twice, GraphError,
     r"Double: each Function instance can only be called once\. Please create another"),
    (_function_backward_raises, ShapeError, r"reshape: cannot reshape \(2,\)"),
    (_gpu_context, ContextError, r"ones: autogradviz runs on the CPU only.*ctx=mx\.cpu\(\)"),
]  # fmt: skip

_IDS = [case[0].__name__.lstrip("_") for case in CASES]


@pytest.mark.parametrize(("trigger", "error", "message"), CASES, ids=_IDS)
def test_error_message(trigger, error, message):
    with pytest.raises(error, match=message):
        trigger()


@pytest.mark.parametrize(("trigger", "error", "message"), CASES, ids=_IDS)
def test_error_leaves_engine_working(trigger, error, message):
    with pytest.raises(error):
        trigger()
    assert autograd.is_recording() is False
    assert autograd.is_training() is False
    x = _variable([1.0, -2.0])
    with autograd.record():
        assert autograd.is_recording() is True
        z = x * x + 3 * x
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [2 * 1.0 + 3, 2 * -2.0 + 3])
    (gx,) = autograd.grad(_recorded_square()[1], [_recorded_square()[0]])
    assert gx.shape == (2,)


def test_all_errors_are_autogradviz_errors_or_builtin_types():
    # MXNet users catch MXNetError; ours is the same class.
    assert mx.MXNetError is AutogradvizError
    assert issubclass(GraphError, RuntimeError)
    assert issubclass(ShapeError, ValueError)
    assert issubclass(GradReqError, KeyError)
    assert issubclass(DTypeError, TypeError)


def test_grad_req_error_message_has_no_quotes():
    with pytest.raises(KeyError) as info:
        nd.ones(1).attach_grad("bad")
    assert str(info.value).startswith("attach_grad: invalid")


def test_wrong_head_grad_leaves_graph_usable():
    x, z = _recorded_square()
    with pytest.raises(ShapeError):
        z.backward(nd.ones(3))
    z.backward(nd.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad.asnumpy(), [2.0, 40.0])


def test_failing_rule_leaves_graph_and_buffers_untouched():
    calls = []

    class FailsOnce(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, grad_out):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("first call fails")
            return grad_out * 2

    x = _variable([1.0, 2.0])
    x.grad[:] = 5.0
    with autograd.record():
        z = FailsOnce()(x) * 3
    with pytest.raises(RuntimeError, match="first call fails"):
        z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [5.0, 5.0])
    assert x._fresh_grad is False
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [6.0, 6.0])


def test_inplace_error_leaves_values_untouched():
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = x * 2
        with pytest.raises(InplaceError):
            y += 1
        with pytest.raises(InplaceError):
            x[0] = 9.0
    np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])
    np.testing.assert_array_equal(y.asnumpy(), [2.0, 4.0])
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [2.0, 2.0])


def test_error_inside_record_block_does_not_record_partial_node():
    x = _variable(np.ones((2, 3)))
    with autograd.record():
        with pytest.raises(ShapeError):
            x + nd.ones(4)
        z = x.sum()
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), np.ones((2, 3)))
