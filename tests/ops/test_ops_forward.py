"""Forward values of every op against numpy, MXNet's shape conventions, the ``nd.*`` names,
and the error messages of the shape ops.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from op_samples import REFERENCES, SAMPLES, Sample

from autogradviz import nd
from autogradviz import random as mx_random
from autogradviz.errors import ShapeError
from autogradviz.ndarray.functions import call
from autogradviz.ops import ALIASES, OPS


def _run(name: str, sample: Sample, float_dtype: type = np.float64) -> nd.NDArray:
    inputs = [
        nd.array(x, dtype=float_dtype if x.dtype.kind == "f" else x.dtype) for x in sample.inputs
    ]
    return call(OPS[name], tuple(inputs), dict(sample.attrs))


def test_ops_forward_every_op_has_a_reference() -> None:
    assert set(REFERENCES) == set(OPS), sorted(set(REFERENCES) ^ set(OPS))


@pytest.mark.parametrize("name", sorted(OPS))
def test_ops_forward_matches_numpy(name: str) -> None:
    for sample in SAMPLES[name]:
        out = _run(name, sample)
        expected = np.asarray(REFERENCES[name](*sample.inputs, **sample.attrs))
        assert out.shape == expected.shape, f"{name} with {sample}"
        np.testing.assert_allclose(
            out.asnumpy(),
            expected,
            rtol=1e-12,
            atol=1e-12,
            equal_nan=True,
            err_msg=f"{name} with {sample}",
        )


@pytest.mark.parametrize("name", sorted(set(OPS) - {"astype", "one_hot"}))
def test_ops_forward_keeps_float32(name: str) -> None:
    # MXNet computes in float32 by default; no op may silently promote to float64.
    for sample in SAMPLES[name]:
        assert _run(name, sample, np.float32).dtype == np.float32, f"{name} with {sample}"


# --------------------------------------------------------------------------- MXNet conventions


@pytest.mark.parametrize(
    "name", ["sum", "mean", "max", "min", "prod", "norm", "nansum", "argmax", "argmin"]
)
def test_ops_forward_full_reductions_give_shape_1(name: str) -> None:
    x = nd.array([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
    assert getattr(nd, name)(x).shape == (1,)
    assert getattr(nd, name)(nd.array(2.0)).shape == (1,)
    assert getattr(nd, name)(x, axis=1).shape == (2,)
    assert getattr(nd, name)(x, axis=1, keepdims=True).shape == (2, 1)


def test_ops_forward_norm_takes_ord_first() -> None:
    x = nd.array([[3.0, -4.0]])
    assert nd.norm(x).asnumpy().tolist() == [5.0]
    assert nd.norm(x, 1).asnumpy().tolist() == [7.0]
    assert nd.norm(x, ord=2, axis=1, keepdims=True).shape == (1, 1)


def test_ops_forward_exclude_reduces_the_other_axes() -> None:
    x = nd.arange(24).reshape((2, 3, 4))
    out = nd.nansum(x, axis=0, exclude=True)
    np.testing.assert_array_equal(out.asnumpy(), x.asnumpy().sum(axis=(1, 2)))
    assert nd.sum(x, axis=(0, 2), exclude=True).shape == (2, 4)


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "prod", "nansum", "norm"])
def test_ops_forward_empty_axis_tuple_reduces_every_axis(name: str) -> None:
    # MXNet's reductions document axis=() as their default: all axes, into shape (1,).
    x = nd.array([[1.0, -2.0], [3.0, 4.0]])
    everything = getattr(nd, name)(x).asnumpy()
    assert getattr(nd, name)(x, axis=()).asnumpy().tolist() == everything.tolist()
    assert getattr(nd, name)(x, axis=(), keepdims=True).shape == (1, 1)
    if name != "norm":
        assert getattr(nd, name)(x, axis=(), exclude=True).asnumpy().tolist() == (
            everything.tolist())  # fmt: skip


def test_ops_forward_integer_indexing_gives_shape_1() -> None:
    u = nd.arange(5)
    a = nd.arange(12).reshape((3, 4))
    assert u[3].shape == (1,)
    assert a[2, 3].shape == (1,)
    assert a[2, 3].asscalar() == 11
    assert nd.dot(u, u).shape == (1,)
    assert nd.pick(u, nd.array([2]), axis=0).shape == (1,)
    assert nd.take(u, nd.array(4)).shape == (1,)


def test_ops_forward_argmax_gives_float32_indices() -> None:
    out = nd.argmax(nd.array([[1, 9, 3], [7, 2, 5]]), axis=1)
    assert out.dtype == np.float32
    assert out.asnumpy().tolist() == [1.0, 0.0]


def test_ops_forward_comparisons_give_0_1_arrays_of_the_input_dtype() -> None:
    x, y = nd.array([1, 2, 3]), nd.array([3, 2, 1])
    for out in (x > y, x == y, nd.lesser(x, y), nd.broadcast_greater_equal(x, y)):
        assert out.dtype == np.float32
        assert set(out.asnumpy().tolist()) <= {0.0, 1.0}


def test_ops_forward_round_and_rint_follow_mxnet_at_halves() -> None:
    # MXNet's documented examples: round sends n.5 away from zero, rint sends n.5 down.
    x = nd.array([-1.5, 1.5, -1.9, 1.9, 2.1, 2.5, -0.5])
    assert nd.round(x).asnumpy().tolist() == [-2.0, 2.0, -2.0, 2.0, 2.0, 3.0, -1.0]
    assert nd.rint(x).asnumpy().tolist() == [-2.0, 1.0, -2.0, 2.0, 2.0, 2.0, -1.0]


# --------------------------------------------------------------------------- MXNet call forms


def test_ops_forward_mxnet_call_signatures() -> None:
    x = nd.array([[1, 2, 3], [4, 5, 6]])
    assert nd.swapaxes(x, dim1=0, dim2=1).shape == (3, 2)
    assert nd.SwapAxis(x, 0, 1).shape == (3, 2)
    assert nd.flatten(nd.ones((2, 3, 4))).shape == (2, 12)
    assert nd.Flatten(nd.ones(3)).shape == (3, 1)
    assert nd.tile(x, reps=(2, 2)).shape == (4, 6)
    assert nd.tile(x, (2,)).shape == (2, 6)
    assert nd.repeat(x, repeats=2, axis=0).shape == (4, 3)
    assert nd.repeat(x, 2).shape == (12,)
    assert nd.slice(x, begin=(0, 1), end=(2, 3)).asnumpy().tolist() == [[2, 3], [5, 6]]
    assert nd.slice(x, (None, None), (None, None), (-1, -2)).asnumpy().tolist() == [[6, 4], [3, 1]]
    assert nd.slice_axis(x, axis=1, begin=1, end=None).shape == (2, 2)
    clipped = [[4, 5, 6], [1, 2, 3], [4, 5, 6]]  # index 7 is clipped to the last row
    assert nd.take(x, nd.array([1, 0, 7])).asnumpy().tolist() == clipped
    assert nd.take(x, nd.array([4]), axis=1, mode="wrap").asnumpy().tolist() == [[2], [5]]
    assert nd.pick(x, nd.array([2, 0])).asnumpy().tolist() == [3, 4]
    assert nd.pick(x, nd.array([1, 0, 1]), axis=0, keepdims=True).shape == (1, 3)
    assert nd.where(x > 3, x, -x).asnumpy().tolist() == [[-1, -2, -3], [4, 5, 6]]
    assert nd.clip(x, 2, 5).asnumpy().tolist() == [[2, 2, 3], [4, 5, 5]]
    assert nd.clip(x, a_min=2, a_max=5).dtype == np.float32
    assert nd.one_hot(nd.array([0, 2]), 3).asnumpy().tolist() == [[1, 0, 0], [0, 0, 1]]
    assert nd.expand_dims(x, axis=1).shape == (2, 1, 3)
    assert nd.squeeze(nd.ones((1, 3, 1))).shape == (3,)
    assert nd.broadcast_to(nd.ones((1, 3)), shape=(2, 3)).shape == (2, 3)
    assert nd.broadcast_like(nd.ones((1, 3)), x).shape == (2, 3)
    assert nd.concat(x, x, dim=0).shape == (4, 3)
    assert nd.concat(x, x).shape == (2, 6)
    assert nd.stack(x, x, axis=1).shape == (2, 2, 3)
    parts = nd.split(x, num_outputs=3, axis=1)
    assert [p.shape for p in parts] == [(2, 1)] * 3
    assert nd.split(x, 3, axis=1, squeeze_axis=True)[0].shape == (2,)
    assert nd.dot(x, x, transpose_b=True).shape == (2, 2)
    assert nd.dot(x, x, transpose_a=True).shape == (3, 3)
    assert nd.batch_dot(nd.ones((4, 2, 3)), nd.ones((4, 3, 5))).shape == (4, 2, 5)
    assert nd.transpose(x, axes=(1, 0)).shape == (3, 2)
    assert nd.reshape(x, shape=(0, -1)).shape == (2, 3)


def test_ops_forward_nn_front_ends() -> None:
    x = nd.array([[-1.0, 0.5, 2.0]])
    for act_type in ("relu", "sigmoid", "tanh", "softrelu", "softsign"):
        expected = call(OPS[act_type], (x,), {}).asnumpy()
        np.testing.assert_array_equal(nd.Activation(x, act_type=act_type).asnumpy(), expected)
    np.testing.assert_allclose(nd.LeakyReLU(x, slope=0.1).asnumpy(), [[-0.1, 0.5, 2.0]], rtol=1e-6)
    np.testing.assert_allclose(nd.softmax(x).asnumpy().sum(axis=-1), [1.0], rtol=1e-6)
    np.testing.assert_allclose(
        nd.log_softmax(x).exp().asnumpy(), nd.softmax(x).asnumpy(), rtol=1e-6
    )
    assert nd.Dropout(x, p=0.5).asnumpy().tolist() == x.asnumpy().tolist()  # not training
    assert nd.softmax_cross_entropy(x, nd.array([2])).shape == (1,)


# --------------------------------------------------------------------------- names


_MXNET_NAMES = [
    # unary math and activations
    "exp",
    "log",
    "log1p",
    "expm1",
    "sqrt",
    "rsqrt",
    "square",
    "abs",
    "sign",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "sigmoid",
    "relu",
    "softsign",
    "reciprocal",
    "negative",
    "floor",
    "ceil",
    "round",
    "rint",
    "fix",
    "trunc",
    "Activation",
    "LeakyReLU",
    # binary, with and without broadcasting in the name
    "add",
    "subtract",
    "multiply",
    "divide",
    "power",
    "maximum",
    "minimum",
    "elemwise_add",
    "elemwise_sub",
    "elemwise_mul",
    "elemwise_div",
    "broadcast_add",
    "broadcast_sub",
    "broadcast_mul",
    "broadcast_div",
    "broadcast_plus",
    "broadcast_minus",
    "broadcast_power",
    "broadcast_maximum",
    "broadcast_minimum",
    "broadcast_equal",
    "broadcast_not_equal",
    "broadcast_greater",
    "broadcast_greater_equal",
    "broadcast_lesser",
    "broadcast_lesser_equal",
    "equal",
    "not_equal",
    "greater",
    "greater_equal",
    "lesser",
    "lesser_equal",
    "where",
    "clip",
    # reductions
    "sum",
    "mean",
    "max",
    "min",
    "prod",
    "norm",
    "nansum",
    "argmax",
    "argmin",
    # linear algebra and shapes
    "dot",
    "batch_dot",
    "transpose",
    "swapaxes",
    "SwapAxis",
    "expand_dims",
    "squeeze",
    "flatten",
    "Flatten",
    "concat",
    "stack",
    "split",
    "tile",
    "repeat",
    "broadcast_to",
    "broadcast_like",
    "slice",
    "slice_axis",
    "take",
    "pick",
    "one_hot",
    "reshape",
    "reshape_like",
    # neural networks
    "softmax",
    "log_softmax",
    "Dropout",
    "softmax_cross_entropy",
    # creation and random
    "array",
    "zeros",
    "ones",
    "full",
    "empty",
    "arange",
    "eye",
    "zeros_like",
    "ones_like",
    "random_normal",
    "random_uniform",
    "sample_multinomial",
    "waitall",
]


@pytest.mark.parametrize("name", _MXNET_NAMES)
def test_ops_forward_mxnet_name_exists(name: str) -> None:
    assert callable(getattr(nd, name, None)), f"nd.{name} is missing"


def test_ops_forward_every_op_and_alias_has_an_nd_function() -> None:
    missing = [name for name in list(OPS) + list(ALIASES) if not callable(getattr(nd, name, None))]
    assert not missing


def test_ops_forward_aliases_compute_the_same_as_their_op() -> None:
    x, y = nd.array([[1.0, 2.0, 3.0]]), nd.array([[2.0], [0.5]])
    for alias, name in ALIASES.items():
        op = OPS[name]
        if op.n_inputs == 2 and op.attrs == {}:
            expected = getattr(nd, name)(x, y).asnumpy()
            np.testing.assert_array_equal(getattr(nd, alias)(x, y).asnumpy(), expected)


def test_ops_forward_random_functions_in_both_spellings() -> None:
    mx_random.seed(7)
    a = nd.random_normal(0, 1, shape=(2, 3))
    mx_random.seed(7)
    b = nd.random.normal(0, 1, shape=(2, 3))
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    u = nd.random.uniform(low=-1, high=1, shape=(50,))
    assert u.dtype == np.float32 and -1 <= u.asnumpy().min() and u.asnumpy().max() < 1
    assert nd.random_uniform(shape=(2,)).shape == (2,)
    draws = nd.sample_multinomial(nd.array([0.0, 1.0, 0.0]), shape=5)
    assert draws.dtype == np.int32 and draws.asnumpy().tolist() == [1] * 5
    assert nd.random.multinomial(nd.array([[1.0, 0.0], [0.0, 1.0]])).asnumpy().tolist() == [0, 1]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call_op", "message"),
    [
        (lambda: nd.swapaxes(nd.ones((2, 3)), 0, 2), r"swapaxes: axis 2 is out of range"),
        (lambda: nd.flatten(nd.array(1.0)), r"flatten: cannot flatten a 0-d array .*\(\)"),
        (lambda: nd.tile(nd.ones(3), (-1,)), r"tile: reps \(-1,\) has a negative entry .*\(3,\)"),
        (lambda: nd.repeat(nd.ones(3), -2), r"repeat: repeats=-2 is negative .*\(3,\)"),
        (lambda: nd.repeat(nd.ones(3), 2, axis=1), r"repeat: axis 1 is out of range"),
        (
            lambda: nd.slice(nd.ones((2, 3)), (0,), (1, 2)),
            r"slice: begin \(0,\), end \(1, 2\) .* \(array shape \(2, 3\)\)\. Give one entry",
        ),
        (lambda: nd.slice(nd.ones(3), (0, 0), (1, 1)), r"slice: .* at most the number of axes"),
        (lambda: nd.take(nd.ones((2, 3)), nd.array([0]), axis=2), r"take: axis 2 is out of range"),
        (
            lambda: nd.take(nd.ones(3), nd.array([5]), mode="raise"),
            r"take: an index is out of range for axis 0 of size 3 \(array shape \(3,\)\)",
        ),
        (
            lambda: nd.take(nd.ones(3), nd.array([0]), mode="nearest"),
            r"take: unknown mode 'nearest' \(array shape \(3,\)\)\. Use 'clip', 'wrap' or 'raise'",
        ),
        (
            lambda: nd.pick(nd.ones((2, 3)), nd.array([0, 1, 2])),
            r"pick: index shape \(3,\) does not fit data shape \(2, 3\) along axis 1\. .*\(2,\)",
        ),
        (lambda: nd.pick(nd.array(1.0), nd.array(0)), r"pick: cannot pick from a 0-d array"),
        (lambda: nd.norm(nd.ones(3), ord=3), r"norm: ord=3 is not supported \(shape \(3,\)\)"),
        (lambda: nd.clip(nd.ones(3), 2, 1), r"clip: needs a_min <= a_max, got a_min=2"),
        (lambda: nd.clip(nd.ones(3)), r"clip: needs a_min <= a_max"),
        (lambda: nd.where(nd.ones(3), nd.ones(2), nd.ones(3)), r"where: cannot broadcast shapes"),
    ],
)
def test_ops_forward_errors_name_the_op_and_the_fix(call_op: object, message: str) -> None:
    with pytest.raises((ShapeError, ValueError), match=message):
        call_op()  # type: ignore[operator]


# MXNet's reshape documentation (mx.nd.reshape, 1.x): its examples of the special codes.
RESHAPE_CODES = [
    ((2, 3, 4), (4, 0, 2), (4, 3, 2)),
    ((2, 3, 4), (2, 0, 0), (2, 3, 4)),
    ((2, 3, 4), (6, 1, -1), (6, 1, 4)),
    ((2, 3, 4), (3, -1, 8), (3, 1, 8)),
    ((2, 3, 4), (-1,), (24,)),
    ((2, 3, 4), (-2,), (2, 3, 4)),
    ((2, 3, 4), (2, -2), (2, 3, 4)),
    ((2, 3, 4), (-2, 1, 1), (2, 3, 4, 1, 1)),
    ((2, 3, 4), (-3, 4), (6, 4)),
    ((2, 3, 4, 5), (-3, -3), (6, 20)),
    ((2, 3, 4), (0, -3), (2, 12)),
    ((2, 3, 4), (-3, -2), (6, 4)),
    ((2, 3, 4), (-4, 1, 2, -2), (1, 2, 3, 4)),
    ((2, 3, 4), (2, -4, -1, 3, -2), (2, 1, 3, 4)),
]


@pytest.mark.parametrize(("shape", "codes", "expected"), RESHAPE_CODES)
def test_ops_forward_reshape_codes_follow_mxnet(shape, codes, expected) -> None:
    x = nd.arange(int(np.prod(shape))).reshape(shape)
    out = x.reshape(codes)
    assert out.shape == expected
    np.testing.assert_array_equal(out.asnumpy().ravel(), x.asnumpy().ravel())
    assert nd.reshape(x, shape=codes).shape == expected


@pytest.mark.parametrize(("shape", "codes", "says"), [
    ((2, 3), (-3, -3), "-3 merges the next two input dimensions"),
    ((2, 3), (-4, 4, -1), "cannot split a dimension of size 2 into 4 × -1"),
    ((6,), (-4, -1, -1), "-4 must be followed by the two sizes"),
    ((2, 3), (-5,), "MXNet's codes"),
    ((2, 3), (-1, -1), "infer, at most once"),
])  # fmt: skip
def test_ops_forward_reshape_bad_codes_say_why(shape, codes, says) -> None:
    with pytest.raises(ShapeError, match=re.escape(says)):
        nd.zeros(shape).reshape(codes)
