"""NDArray: printing, dtypes, shapes, indexing, in-place writes, Python protocols, random, Dropout.

Expected values are literals from the spec (MXNet's behaviour) or computed with numpy.
"""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.errors import GraphError, InplaceError, ShapeError


def _variable(values, grad_req="write"):
    x = nd.array(values)
    x.attach_grad(grad_req)
    return x


# ----------------------------------------------------------------------------- printing


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (lambda: nd.array([[4.0, 8.0], [1.2, 1.6]]),
         "\n[[4.  8. ]\n [1.2 1.6]]\n<NDArray 2x2 @cpu(0)>"),
        (lambda: nd.array([[4, 8], [12, 16]]),
         "\n[[ 4.  8.]\n [12. 16.]]\n<NDArray 2x2 @cpu(0)>"),
        (lambda: nd.array([[40, 8], [1.2, 0.16]]),
         "\n[[40.    8.  ]\n [ 1.2   0.16]]\n<NDArray 2x2 @cpu(0)>"),
        (lambda: nd.arccos(nd.array([0.0])), "\n[1.5707964]\n<NDArray 1 @cpu(0)>"),
        (lambda: nd.array(3.0), "\n3.0\n<NDArray  @cpu(0)>"),
        (lambda: nd.array([3, 4, 5], dtype="int32"), "\n[3 4 5]\n<NDArray 3 @cpu(0)>"),
        (lambda: nd.sum(nd.array([2, 3])), "\n[5.]\n<NDArray 1 @cpu(0)>"),
        (lambda: nd.arange(3), "\n[0. 1. 2.]\n<NDArray 3 @cpu(0)>"),
    ],
)  # fmt: skip
def test_ndarray_prints_like_mxnet(make, text):
    x = make()
    assert repr(x) == text
    assert str(x) == text


def test_ndarray_print_footer_dims():
    assert repr(nd.zeros((2, 3, 4))).endswith("\n<NDArray 2x3x4 @cpu(0)>")


def test_ndarray_print_long_array_is_summarised_like_numpy():
    x = nd.arange(2000)
    assert repr(x) == "\n" + str(np.arange(2000, dtype=np.float32)) + "\n<NDArray 2000 @cpu(0)>"
    assert "..." in repr(x)


def test_ndarray_list_prints_each_repr():
    assert repr([nd.array([3.7182817])]) == "[\n[3.7182817]\n<NDArray 1 @cpu(0)>]"


def test_context_prints_cpu0():
    assert repr(mx.cpu()) == "cpu(0)"
    assert str(nd.ones(1).context) == "cpu(0)"
    assert nd.ones(1).context == mx.cpu()
    assert repr(mx.gpu(0)) == "gpu(0)"


# ----------------------------------------------------------------------------- dtypes and shapes


@pytest.mark.parametrize(
    "source",
    [[1, 2, 3], [1.0, 2.0, 3.0], np.array([1, 2, 3], dtype=np.int64), np.arange(3.0)],
)
def test_array_defaults_to_float32(source):
    x = nd.array(source)
    assert x.dtype is np.float32
    assert x.dtype == np.dtype("float32")


def test_array_keeps_explicit_dtype():
    assert nd.array([1, 2], dtype="int32").dtype is np.int32
    assert nd.array([1, 2], dtype=np.float64).dtype is np.float64


def test_array_copies_its_source():
    source = np.array([1.0, 2.0], dtype=np.float32)
    x = nd.array(source)
    source[0] = 99.0
    assert x.asnumpy()[0] == 1.0
    y = nd.array(x)
    y[:] = 5.0
    assert x.asnumpy()[0] == 1.0


def test_creation_functions():
    assert nd.zeros((2, 3)).shape == (2, 3)
    assert nd.ones(4).shape == (4,)
    np.testing.assert_array_equal(nd.full((2,), 7).asnumpy(), [7.0, 7.0])
    assert nd.empty((3, 1)).shape == (3, 1)
    np.testing.assert_array_equal(nd.eye(2, 3).asnumpy(), np.eye(2, 3))
    np.testing.assert_array_equal(nd.zeros_like(nd.ones((2, 2))).asnumpy(), np.zeros((2, 2)))
    np.testing.assert_array_equal(nd.ones_like(nd.zeros(3)).asnumpy(), np.ones(3))
    for x in (nd.zeros(2), nd.ones(2), nd.full(2, 1), nd.empty(2), nd.arange(2), nd.eye(2)):
        assert x.dtype is np.float32


def test_shape_size_ndim():
    x = nd.zeros((2, 3, 4))
    assert (x.shape, x.size, x.ndim) == ((2, 3, 4), 24, 3)


@pytest.mark.parametrize(
    "reduce", [nd.sum, nd.mean, nd.max, nd.min, nd.norm, nd.prod, lambda x: x.sum()]
)
def test_full_reduction_has_shape_1(reduce):
    assert reduce(nd.array([[1.0, 2.0], [3.0, 4.0]])).shape == (1,)


def test_dot_of_vectors_has_shape_1():
    out = nd.dot(nd.array([1, 2, 3]), nd.array([4, 5, 6]))
    assert out.shape == (1,)
    assert out.asscalar() == 32.0


def test_reduction_with_axis():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(nd.sum(nd.array(x), axis=1).asnumpy(), x.sum(axis=1))


# ----------------------------------------------------------------------------- reshape, T, copies


def test_reshape_tuple_positionals_and_codes():
    x = nd.arange(24).reshape((2, 3, 4))
    assert x.shape == (2, 3, 4)
    assert x.reshape(6, 4).shape == (6, 4)  # two positionals
    assert x.reshape((0, -1)).shape == (2, 12)  # 0 copies the input's dimension
    assert x.reshape((-1, 0, 2)).shape == (4, 3, 2)
    assert x.reshape((-1,)).shape == (24,)
    assert x.reshape(shape=(4, 6)).shape == (4, 6)
    np.testing.assert_array_equal(x.reshape((0, -1)).asnumpy(), np.arange(24).reshape(2, 12))


def test_transpose_property():
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(x.T.asnumpy(), [[1, 4], [2, 5], [3, 6]])
    v = nd.array([1, 2])
    assert v.T is v


def test_copy_has_own_storage():
    x = nd.array([1.0, 2.0])
    y = x.copy()
    y[:] = 0
    np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])


def test_copyto_array_and_context():
    x = nd.array([1.0, 2.0])
    target = nd.zeros(2)
    assert x.copyto(target) is target
    np.testing.assert_array_equal(target.asnumpy(), [1.0, 2.0])
    on_cpu = x.copyto(mx.cpu())
    assert on_cpu is not x
    on_cpu[:] = 9
    np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])


def test_as_in_context_same_context_is_self():
    x = nd.ones(2)
    assert x.as_in_context(mx.cpu()) is x
    with pytest.raises(ValueError, match=r"as_in_context: autogradviz runs on the CPU only"):
        x.as_in_context(mx.gpu(0))


def test_asnumpy_returns_a_copy():
    x = nd.array([1.0])
    values = x.asnumpy()
    values[0] = 5.0
    assert x.asscalar() == 1.0


def test_astype():
    x = nd.array([1.7, -2.2])
    y = x.astype("int32")
    assert y.dtype is np.int32
    np.testing.assert_array_equal(y.asnumpy(), np.array([1.7, -2.2], dtype=np.float32).astype(
        np.int32))  # fmt: skip
    assert x.astype(np.float64).dtype is np.float64
    assert x.astype(np.float32, copy=False) is x


def test_copy_and_astype_pass_gradients():
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = x.copy() * x.astype(np.float64).astype(np.float32)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [2.0, 4.0])


def test_asscalar_returns_numpy_scalar():
    value = nd.array([2.5]).asscalar()
    assert isinstance(value, np.float32)
    assert value == 2.5
    assert str(value) == "2.5"
    assert nd.array([[7]], dtype="int32").asscalar() == 7


def test_wait_to_read_and_waitall_exist():
    x = nd.ones(2)
    assert x.wait_to_read() is None
    assert nd.waitall() is None


def test_detach_returns_new_array_sharing_storage():
    x = nd.array([1.0, 2.0])
    d = x.detach()
    assert d is not x
    d[0] = 10.0
    assert x.asnumpy()[0] == 10.0


# ----------------------------------------------------------------------------- operators


def test_binary_operators_with_arrays_and_scalars():
    a, b = np.array([1.0, 2.0, 4.0], dtype=np.float32), np.array([2.0, 4.0, 8.0], np.float32)
    x, y = nd.array(a), nd.array(b)
    cases = [
        (x + y, a + b), (x - y, a - b), (x * y, a * b), (x / y, a / b), (x ** 2, a ** 2),
        (2 * x, 2 * a), (1 - x, 1 - a), (x / 255, a / 255), (2 ** x, 2 ** a), (-x, -a),
        (np.float32(3) * x, 3 * a), (10 / x, 10 / a), (abs(-x), a),
    ]  # fmt: skip
    for result, expected in cases:
        assert isinstance(result, nd.NDArray)
        np.testing.assert_allclose(result.asnumpy(), expected, rtol=1e-6)
        assert result.dtype is np.float32


@pytest.mark.parametrize("scalar", [np.float64(0.5), np.int64(2), np.float32(2), 0.5, 2])
def test_numpy_scalar_operand_keeps_float32(scalar):
    # numpy 2 would promote float32 to float64 for a numpy scalar; MXNet keeps the dtype.
    x = _variable([1.0, 2.0])
    with autograd.record():
        results = [x * scalar, scalar * x, x - scalar, scalar / x, x**scalar, x > scalar,
                   nd.maximum(x, scalar)]  # fmt: skip
        y = results[0] + results[3]
    for result in results:
        assert result.dtype is np.float32
    y.backward(nd.ones(2))  # a float32 head gradient fits the float32 head
    s = float(scalar)
    np.testing.assert_allclose(x.grad.asnumpy(), s - s / np.array([1.0, 4.0]), rtol=1e-6)


def test_broadcasting_binary_operators():
    m = np.arange(9, dtype=np.float32).reshape(3, 3)
    cases = [(np.arange(3.0), (3,)), (np.arange(3.0).reshape(3, 1), (3, 1)), (np.ones(1), (1,))]
    for other, shape in cases:
        out = nd.array(m) + nd.array(other)
        np.testing.assert_allclose(out.asnumpy(), m + other.reshape(shape))


def test_python_float_plus_array_becomes_array():
    numerator = 0.0
    numerator += nd.sum(nd.array([1.0, 2.0]))
    assert isinstance(numerator, nd.NDArray)
    assert numerator.asscalar() == 3.0


def test_unsupported_operand_is_type_error():
    with pytest.raises(TypeError):
        nd.ones(2) + "a"
    with pytest.raises(TypeError):
        nd.ones(2) * [1, 2]


@pytest.mark.parametrize(
    ("compare", "expected"),
    [
        (lambda x, y: x > y, [0.0, 0.0, 1.0]), (lambda x, y: x >= y, [0.0, 1.0, 1.0]),
        (lambda x, y: x < y, [1.0, 0.0, 0.0]), (lambda x, y: x <= y, [1.0, 1.0, 0.0]),
        (lambda x, y: x == y, [0.0, 1.0, 0.0]), (lambda x, y: x != y, [1.0, 0.0, 1.0]),
    ],
)  # fmt: skip
def test_comparisons_return_float_zero_one(compare, expected):
    x = nd.array([1.0, 2.0, 3.0])
    for y in (2.0, nd.array([2.0, 2.0, 2.0])):
        out = compare(x, y)
        assert isinstance(out, nd.NDArray)
        assert out.dtype is np.float32
        np.testing.assert_array_equal(out.asnumpy(), expected)


def test_comparison_feeds_if_and_asscalar():
    b = nd.array([3.0, -1.0])
    assert bool(nd.sum(b) > 0) is True
    assert (nd.norm(b) < 1000).asscalar() == 1.0
    assert not (nd.norm(b) > 1000)


def test_elemwise_add_out_writes_into_out():
    x, y = nd.array([1.0, 2.0]), nd.array([10.0, 20.0])
    result = nd.elemwise_add(x, y, out=y)
    assert result is y
    np.testing.assert_array_equal(y.asnumpy(), [11.0, 22.0])


# ----------------------------------------------------------------------------- Python protocols


def test_bool():
    assert bool(nd.array([1.0])) is True
    assert bool(nd.array([0.0])) is False
    assert bool(nd.array([[2.0]])) is True
    assert bool(nd.zeros((0,))) is False


def test_len_and_iter():
    x = nd.array(np.arange(6).reshape(3, 2))
    assert len(x) == 3
    rows = list(x)
    assert len(rows) == 3
    for i, row in enumerate(rows):
        assert isinstance(row, nd.NDArray)
        np.testing.assert_array_equal(row.asnumpy(), np.arange(6).reshape(3, 2)[i])
    assert [r.asscalar() for r in nd.array([4, 5])] == [4.0, 5.0]


def test_hashable_by_identity():
    x, y = nd.array([1.0]), nd.array([1.0])
    table = {x: "x", y: "y"}
    assert table[x] == "x" and table[y] == "y"
    assert len({x, y, x}) == 2
    assert hash(x) == hash(x)


# ----------------------------------------------------------------------------- indexing reads


_A = np.arange(60, dtype=np.float32).reshape(3, 4, 5)


@pytest.mark.parametrize(
    ("key", "expected_shape"),
    [
        (0, (4, 5)), (slice(1, 3), (2, 4, 5)), ((1, 2), (5,)), ((1, 2, 3), (1,)),
        ((2, slice(None)), (4, 5)), ((slice(None), 3), (3, 5)),
        ((slice(None), slice(None), 0), (3, 4)),
        ((slice(1, 2), slice(1, 3)), (1, 2, 5)), ((slice(None, 100), 1), (3, 5)), (-1, (4, 5)),
        (([0, 2],), (2, 4, 5)), ((slice(None), [3, 0]), (3, 2, 5)), (([0, 1], [1, 2]), (2, 5)),
        (Ellipsis, (3, 4, 5)), ((Ellipsis, 1), (3, 4)),
    ],
)  # fmt: skip
def test_getitem_matches_numpy(key, expected_shape):
    out = nd.array(_A)[key]
    expected = _A[key]
    assert out.shape == expected_shape
    np.testing.assert_array_equal(out.asnumpy(), np.reshape(expected, expected_shape))


def test_integer_indexing_gives_shape_1():
    u = nd.arange(5)
    assert u[3].shape == (1,)
    assert u[3].asscalar() == 3.0
    a = nd.array(np.arange(20).reshape(4, 5))
    assert a[2, 3].shape == (1,)
    assert a[2, 3].asscalar() == 13.0


def test_getitem_with_ndarray_index():
    x = nd.array([10.0, 20.0, 30.0])
    np.testing.assert_array_equal(x[nd.array([2, 0])].asnumpy(), [30.0, 10.0])


def test_contiguous_slice_is_a_view():
    x = nd.arange(5)
    v = x[1:3]
    x[1] = 100.0
    assert v.asnumpy()[0] == 100.0
    v[1] = -1.0
    assert x.asnumpy()[2] == -1.0


def test_getitem_out_of_range_message():
    with pytest.raises(ShapeError, match=r"getitem: .*index 5.*\(array shape \(3,\)"):
        nd.ones(3)[5]


def test_getitem_is_differentiable():
    x = _variable([1.0, 2.0, 3.0])
    with autograd.record():
        y = x[1:] * x[[0, 0]]
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [2.0 + 3.0, 1.0, 1.0])


# ----------------------------------------------------------------------------- indexing writes


def test_setitem_forms():
    x = nd.zeros((3, 4))
    x[:] = 1.0
    np.testing.assert_array_equal(x.asnumpy(), np.ones((3, 4)))
    x[1, 2] = 9.0
    assert x.asnumpy()[1, 2] == 9.0
    x[1:2, 1:3] = 5.0
    expected = np.ones((3, 4))
    expected[1, 1:3] = 5.0
    np.testing.assert_array_equal(x.asnumpy(), expected)
    x[:] = nd.arange(12).reshape((3, 4))
    np.testing.assert_array_equal(x.asnumpy(), np.arange(12).reshape(3, 4))


def test_setitem_column_with_array():
    counts = nd.zeros((3, 2))
    counts[:, 1] = nd.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(counts.asnumpy(), [[0, 1], [0, 2], [0, 3]])


def test_setitem_last_axis_with_ones():
    x = nd.zeros((2, 3, 4))
    x[:, :, 0] = nd.ones((2, 3))
    expected = np.zeros((2, 3, 4))
    expected[:, :, 0] = 1
    np.testing.assert_array_equal(x.asnumpy(), expected)


def test_setitem_keeps_dtype():
    x = nd.zeros(3)
    x[:] = np.arange(3, dtype=np.float64)
    assert x.dtype is np.float32


def test_setitem_wrong_shape_message():
    x = nd.zeros((2, 3))
    with pytest.raises(ValueError, match=r"setitem: cannot assign a value of shape \(4,\) to a "
                                         r"selection of shape \(2, 3\)"):  # fmt: skip
        x[:] = nd.ones(4)


# ----------------------------------------------------------------------------- in-place operators


def test_inplace_operators_keep_object():
    x = nd.array([1.0, 2.0])
    original = x
    x += nd.array([1.0, 1.0])
    x -= 0.5
    x *= 4
    x /= 2
    assert x is original
    np.testing.assert_allclose(x.asnumpy(), ((np.array([1.0, 2.0]) + 1 - 0.5) * 4) / 2)


def test_inplace_on_item_and_columns():
    totals = nd.zeros(3)
    totals[1] += 1
    totals[1] += 1
    np.testing.assert_array_equal(totals.asnumpy(), [0.0, 2.0, 0.0])
    xcount = nd.zeros((2, 3))
    xcount[:, 2] += nd.array([1.0, 2.0])
    np.testing.assert_array_equal(xcount.asnumpy(), [[0, 0, 1], [0, 0, 2]])
    logpx = nd.array([1.0, 3.0])
    logpx -= nd.max(logpx)
    np.testing.assert_array_equal(logpx.asnumpy(), [-2.0, 0.0])


def test_inplace_keeps_float32():
    x = nd.array([1.0])
    x += np.float64(0.5)
    assert x.dtype is np.float32


def test_sgd_update_in_place_keeps_variable():
    param = _variable([1.0, 2.0])
    buffer = param.grad
    lr = 0.1
    for _ in range(2):
        with autograd.record():
            loss = (param * param).sum()
        loss.backward()
        expected = param.asnumpy() - lr * 2 * param.asnumpy()
        param[:] = param - lr * param.grad
        np.testing.assert_allclose(param.asnumpy(), expected, rtol=1e-6)
    assert param.grad is not None
    np.testing.assert_allclose(buffer.asnumpy(), param.grad.asnumpy())


def test_sgd_update_by_rebinding_loses_variable():
    param = _variable([1.0, 2.0])
    with autograd.record():
        loss = (param * param).sum()
    loss.backward()
    param = param - 0.1 * param.grad
    assert param.grad is None
    with autograd.record():
        loss = (param * param).sum()
    with pytest.raises(GraphError, match="not in a computational graph.*attach_grad"):
        loss.backward()


def test_inplace_on_plain_array_inside_record_is_allowed():
    x = _variable([1.0])
    plain = nd.array([5.0])
    with autograd.record():
        plain += 1
        plain[:] = plain * 2
        y = x * plain
    y.backward()
    assert x.grad.asscalar() == 12.0


@pytest.mark.parametrize("write", ["iadd", "setitem", "slice", "out"])
def test_writing_graph_value_into_plain_array_inside_record_is_an_error(write):
    # The gradient would silently skip the write (MXNet raises for +=, x[idx]= and out=).
    w = _variable([1.0, 2.0])
    plain = nd.zeros(2)
    with autograd.record():
        with pytest.raises(InplaceError, match="inplace operations .* not supported when "
                                               "recording"):  # fmt: skip
            if write == "iadd":
                plain += w
            elif write == "setitem":
                plain[:] = w * 2
            elif write == "slice":
                plain[0] = w[1]
            else:
                nd.elemwise_add(w, w, out=plain)
    np.testing.assert_array_equal(plain.asnumpy(), [0.0, 0.0])


@pytest.mark.parametrize("write", ["iadd", "setitem", "slice"])
def test_inplace_into_recorded_array_inside_record_is_an_error(write):
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = x * 2
        for target in (x, y):
            with pytest.raises(InplaceError, match="already in a computational graph"):
                if write == "iadd":
                    target += 1
                elif write == "setitem":
                    target[:] = 3
                else:
                    target[0] = 3
    np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])
    np.testing.assert_array_equal(y.asnumpy(), [2.0, 4.0])


def test_inplace_on_variable_outside_record_is_allowed():
    x = _variable([1.0])
    x += 1
    x[:] = x * 3
    assert x.asscalar() == 6.0
    with autograd.record():
        y = x * x
    y.backward()
    assert x.grad.asscalar() == 12.0


# ----------------------------------------------------------------------------- random


def test_random_seed_reproducible():
    mx.random.seed(7)
    a = nd.random_normal(shape=(3, 4))
    b = nd.random.uniform(low=-1, high=1, shape=5)
    mx.random.seed(7)
    a2 = nd.random.normal(0, 1, shape=(3, 4))
    b2 = nd.random_uniform(low=-1, high=1, shape=5)
    np.testing.assert_array_equal(a.asnumpy(), a2.asnumpy())
    np.testing.assert_array_equal(b.asnumpy(), b2.asnumpy())
    mx.random.seed(8)
    assert not np.array_equal(nd.random_normal(shape=(3, 4)).asnumpy(), a.asnumpy())


def test_random_shapes_dtypes_and_ranges():
    mx.random.seed(0)
    a = nd.random_normal(shape=3)
    assert a.shape == (3,) and a.dtype is np.float32
    u = nd.random_uniform(low=2, high=3, shape=(100,))
    assert 2 <= u.asnumpy().min() and u.asnumpy().max() < 3
    scaled = nd.random_normal(loc=5, scale=0.001, shape=(50,))
    assert abs(float(scaled.asnumpy().mean()) - 5) < 0.01


def test_sample_multinomial_gives_int32_indices():
    mx.random.seed(3)
    probs = nd.array([0.0, 0.0, 1.0])
    draws = nd.sample_multinomial(probs, shape=10)
    assert draws.dtype is np.int32
    assert draws.shape == (10,)
    np.testing.assert_array_equal(draws.asnumpy(), np.full(10, 2))
    batch = nd.sample_multinomial(nd.array([[1.0, 0.0], [0.0, 1.0]]))
    np.testing.assert_array_equal(batch.asnumpy(), [0, 1])


# ----------------------------------------------------------------------------- Dropout


def test_dropout_outside_training_is_identity():
    x = nd.ones((4, 4))
    np.testing.assert_array_equal(nd.Dropout(x, p=0.5).asnumpy(), np.ones((4, 4)))
    with autograd.record(train_mode=False):
        np.testing.assert_array_equal(nd.Dropout(x, p=0.5).asnumpy(), np.ones((4, 4)))
    with autograd.record():
        with autograd.predict_mode():
            np.testing.assert_array_equal(nd.Dropout(x, p=0.5).asnumpy(), np.ones((4, 4)))


def test_dropout_in_training_drops_and_scales():
    mx.random.seed(0)
    x = _variable(np.ones((20, 20)))
    with autograd.record():
        y = nd.Dropout(x, p=0.5)
    values = y.asnumpy()
    assert set(np.unique(values)) == {0.0, 2.0}
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), values)


@pytest.mark.parametrize("scope", [autograd.train_mode, lambda: autograd.pause(train_mode=True)])
def test_dropout_follows_is_training_not_is_recording(scope):
    mx.random.seed(1)
    with scope():
        values = nd.Dropout(nd.ones(400), p=0.25).asnumpy()
    np.testing.assert_allclose(np.unique(values), [0.0, 1 / 0.75])
