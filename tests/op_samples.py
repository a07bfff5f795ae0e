"""Sample inputs for every op of the table, and a numpy reference for each op's forward.

``SAMPLES[name]`` lists :class:`Sample` s: float inputs are float64 numpy arrays drawn from
the op's domain (positive for ``log``, away from kinks and ties for ``abs``, ``max``, ``relu``,
...) over the shape families scalar ``()``, ``(3,)``, ``(2, 3)`` and ``(1, 3)`` where the op
allows; index inputs are integer arrays, which ``check_grads`` passes through undifferentiated.
``REFERENCES[name](*inputs, **attrs)`` computes the same forward with numpy alone, following
MXNet's conventions (no 0-d results).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Sample:
    """Array inputs (numpy) and attributes for one call of an op."""

    inputs: tuple
    attrs: dict = field(default_factory=dict)

    def __str__(self) -> str:
        shapes = ", ".join(str(np.shape(x)) for x in self.inputs)
        return f"inputs of shapes {shapes}, attrs {self.attrs}"


SAMPLES: dict[str, list[Sample]] = {}
REFERENCES: dict[str, Callable[..., Any]] = {}

SHAPES = [(), (3,), (2, 3), (1, 3)]
PAIRS = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((1, 3), (2, 3)), ((2, 3), (3,)), ((), (2, 3))]


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(name.encode()))


# --------------------------------------------------------------------------- domains
# A domain draws a float64 array of a given shape: domain(rng, shape).


def uniform(low: float, high: float) -> Callable:
    return lambda rng, shape: rng.uniform(low, high, shape)


def away_from_zero(low: float, high: float) -> Callable:
    """Magnitudes in [low, high] with random signs: no kink (abs, relu) or pole at 0."""
    return lambda rng, shape: rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def off_integers(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Values between integers and halves: floor, ceil, round, ... are locally constant."""
    return rng.integers(-3, 3, shape) + rng.uniform(0.1, 0.4, shape) * rng.choice([-1, 1], shape)


def distinct(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Values at least 0.2 apart, shuffled: max, min and argmax have no ties."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.3 - 0.15 * n + rng.uniform(-0.05, 0.05, n)).reshape(shape)


def grid(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Near integers; paired with ``half_grid`` no two values are within 0.1 of each other."""
    return rng.integers(-2, 3, shape) + rng.uniform(-0.2, 0.2, shape)


def half_grid(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    return grid(rng, shape) + 0.5


def away_from_clip_points(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Around -0.75 (clipped), 0 (kept) and 0.75 (clipped), at least 0.1 from ±0.5."""
    return rng.choice([-0.75, 0.0, 0.75], shape) + rng.uniform(-0.15, 0.15, shape)


STANDARD = uniform(-1.0, 1.0)
POSITIVE = uniform(0.5, 2.0)
NONZERO = away_from_zero(0.5, 2.0)
KINKED = away_from_zero(0.2, 1.0)


def unary(
    name: str, reference: Callable, domain: Callable = STANDARD, shapes: Any = SHAPES, **attrs: Any
) -> None:
    rng = _rng(name)
    SAMPLES[name] = [Sample((domain(rng, shape),), attrs) for shape in shapes]
    REFERENCES[name] = reference


def binary(
    name: str,
    reference: Callable,
    x_domain: Callable = STANDARD,
    y_domain: Callable = STANDARD,
    pairs: Any = PAIRS,
) -> None:
    rng = _rng(name)
    SAMPLES[name] = [Sample((x_domain(rng, a), y_domain(rng, b))) for a, b in pairs]
    REFERENCES[name] = reference


def custom(name: str, reference: Callable, *samples: Sample) -> None:
    SAMPLES[name] = list(samples)
    REFERENCES[name] = reference


def _x(name: str, *shape: int, domain: Callable = STANDARD) -> np.ndarray:
    """One array for a hand-written sample, reproducible from its name and shape."""
    return domain(_rng(name + str(shape)), shape)


def one_d(out: Any) -> np.ndarray:
    """MXNet has no 0-d results: they become shape (1,)."""
    out = np.asarray(out)
    return out.reshape(1) if out.ndim == 0 else out


# --------------------------------------------------------------------------- elementwise


def _erfinv_by_bisection(value: float) -> float:
    """erf⁻¹ by bisection on math.erf (slow, but independent of the op's Newton steps)."""
    low, high = -6.0, 6.0
    for _ in range(80):
        middle = (low + high) / 2
        low, high = (middle, high) if math.erf(middle) < value else (low, middle)
    return (low + high) / 2


def _polygamma_by_sum(x: np.ndarray, n: int, terms: int = 2000) -> np.ndarray:
    """ψ⁽ⁿ⁾ from its defining sums, with an Euler-Maclaurin tail: not the op's recurrence.

    ψ⁽ⁿ⁾(x) = (-1)ⁿ⁺¹ n! Σₖ (x + k)⁻⁽ⁿ⁺¹⁾ for n ≥ 1; ψ(x) = ln(x + K) - Σₖ<K 1/(x + k)
    minus the same tail corrections.
    """
    x = np.asarray(x, dtype=np.float64)
    k = np.arange(terms)[:, None]
    end = (x + terms).reshape(1, -1)
    flat = x.reshape(1, -1)
    if n == 0:
        head = -(1 / (flat + k)).sum(axis=0)
        tail = np.log(end) - 1 / (2 * end) - 1 / (12 * end**2) + 1 / (120 * end**4)
        return (head + tail[0]).reshape(x.shape)
    head = (1 / (flat + k) ** (n + 1)).sum(axis=0)
    tail = (1 / (n * end**n) + 1 / (2 * end ** (n + 1)) + (n + 1) / (12 * end ** (n + 2)))[0]
    return ((-1) ** (n + 1) * math.factorial(n) * (head + tail)).reshape(x.shape)


for _name, _domain in [
    ("negative", STANDARD),
    ("exp", STANDARD),
    ("expm1", STANDARD),
    ("log", POSITIVE),
    ("log1p", uniform(-0.5, 2.0)),
    ("log2", POSITIVE),
    ("log10", POSITIVE),
    ("sqrt", POSITIVE),
    ("cbrt", NONZERO),
    ("square", STANDARD),
    ("reciprocal", NONZERO),
    ("abs", KINKED),
    ("sin", STANDARD),
    ("cos", STANDARD),
    ("tan", STANDARD),
    ("arcsin", uniform(-0.8, 0.8)),
    ("arccos", uniform(-0.8, 0.8)),
    ("arctan", STANDARD),
    ("sinh", STANDARD),
    ("cosh", STANDARD),
    ("tanh", STANDARD),
    ("sign", KINKED),
    ("floor", off_integers),
    ("ceil", off_integers),
    ("trunc", off_integers),
    ("fix", off_integers),
]:
    unary(_name, getattr(np, _name), _domain)
for _name, _domain in [("arcsinh", STANDARD), ("arccosh", uniform(1.2, 3.0)),
                       ("arctanh", uniform(-0.8, 0.8)), ("radians", STANDARD),
                       ("degrees", STANDARD)]:  # fmt: skip
    unary(_name, getattr(np, _name), _domain)
unary("rcbrt", lambda x: 1 / np.cbrt(x), NONZERO)
unary("log_sigmoid", lambda x: -np.log(1 + np.exp(-x)))
unary("erf", np.vectorize(math.erf))
unary("erfinv", lambda x: np.vectorize(_erfinv_by_bisection)(x), uniform(-0.9, 0.9))
unary("gamma", np.vectorize(math.gamma), uniform(0.5, 3.0))
unary("gammaln", np.vectorize(math.lgamma), uniform(0.5, 4.0))
SAMPLES["polygamma"] = [
    Sample((uniform(0.5, 4.0)(_rng("polygamma"), shape),), {"n": n})
    for shape, n in zip(SHAPES, (0, 1, 2, 0), strict=True)
] + [Sample((uniform(-2.9, -2.1)(_rng("polygamma"), (3,)),), {"n": 0})]  # negative x too
REFERENCES["polygamma"] = lambda x, n: _polygamma_by_sum(x, n)
unary("round", lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5), off_integers)
unary("rint", lambda x: np.ceil(x - 0.5), off_integers)
unary("rsqrt", lambda x: 1 / np.sqrt(x), POSITIVE)
unary("sigmoid", lambda x: 1 / (1 + np.exp(-x)))
unary("relu", lambda x: x * (x > 0), KINKED)
unary("softrelu", lambda x: np.log(1 + np.exp(x)))
unary("softsign", lambda x: x / (1 + np.abs(x)), KINKED)
unary("leaky_relu", lambda x, slope: np.where(x > 0, x, slope * x), KINKED, slope=0.1)
unary("copy", np.copy)
unary("astype", lambda x, dtype: x.astype(dtype), dtype=np.float64)
unary(
    "clip",
    lambda x, a_min, a_max: np.minimum(np.maximum(x, a_min), a_max),
    away_from_clip_points,
    a_min=-0.5,
    a_max=0.5,
)

binary("add", np.add)
binary("subtract", np.subtract)
binary("multiply", np.multiply)
binary("divide", np.divide, STANDARD, NONZERO)
binary("power", np.power, POSITIVE, uniform(-1.5, 1.5))
binary("maximum", np.maximum, grid, half_grid)
binary("minimum", np.minimum, grid, half_grid)


def _comparison(ufunc: np.ufunc) -> Callable:
    return lambda x, y: ufunc(x, y).astype(np.float64)


for _name in ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal"):
    binary(_name, _comparison(getattr(np, _name)), grid, half_grid)
for _name in ("equal", "not_equal"):  # ties are fine here: the output is flat on both sides
    _tied = grid(_rng(_name), (2, 3))
    SAMPLES[_name].append(Sample((_tied, np.where([[1, 0, 1], [0, 1, 0]], _tied, _tied + 1))))

_condition = np.array([[1, 0, 2], [0, 0, 1]])  # integers: not differentiated
custom(
    "where",
    lambda condition, x, y: np.where(condition != 0, x, y),
    Sample((np.array(1), _x("where"), _x("y"))),
    Sample((np.array([1, 0, 1]), _x("where", 3), _x("y", 3))),
    Sample((_condition, _x("where", 2, 3), _x("y", 2, 3))),
    Sample((_condition, _x("where", 1, 3), _x("y", 2, 3))),
    Sample((np.array([0, 1, 1]), _x("where", 2, 3), _x("y"))),
)


# --------------------------------------------------------------------------- reductions


def _reduce(function: Callable) -> Callable:
    def reference(
        x: np.ndarray, axis: Any = None, keepdims: bool = False, exclude: bool = False
    ) -> np.ndarray:
        axis = None if axis == () else axis  # MXNet: () means every axis, exclude or not
        axes = tuple(range(x.ndim)) if axis is None else np.atleast_1d(axis) % max(x.ndim, 1)
        if exclude and axis is not None:
            axes = [a for a in range(x.ndim) if a not in axes]
        return one_d(function(x, axis=tuple(int(a) for a in axes), keepdims=keepdims))

    return reference


_REDUCE_CASES = [
    ((), {}),
    ((3,), {}),
    ((2, 3), {}),
    ((2, 3), {"axis": 1}),
    ((2, 3), {"axis": 0, "exclude": True}),
    ((1, 3), {"axis": 1, "keepdims": True}),
    ((2, 3), {"axis": (0, 1)}),
    ((2, 3), {"axis": -2}),
    ((2, 3), {"axis": ()}),  # MXNet's default: every axis (issue 12)
    ((2, 3), {"axis": (), "exclude": True}),
    ((2, 3), {"axis": (), "keepdims": True}),
    ((2, 3), {"axis": (-1, 0)}),
]


for _name, _function, _domain in [
    ("sum", np.sum, STANDARD),
    ("mean", np.mean, STANDARD),
    ("nansum", np.nansum, STANDARD),
    ("prod", np.prod, NONZERO),
    ("max", np.max, distinct),
    ("min", np.min, distinct),
]:
    _rand = _rng(_name)
    custom(
        _name,
        _reduce(_function),
        *[Sample((_domain(_rand, shape),), attrs) for shape, attrs in _REDUCE_CASES],
    )
# Zeros in a product (issue 12): the rule must not divide by them, to any order.
SAMPLES["prod"] += [
    Sample((np.array([2.0, 0.0, -3.0]),)),
    Sample((np.array([[0.0, 1.5, 0.0], [0.5, 0.0, 2.0]]),), {"axis": 1}),
    Sample((np.array([0.0, 0.0, 0.0, 1.5]),)),
]
_with_nan = STANDARD(_rng("nansum"), (2, 3))
_with_nan[0, 1] = np.nan  # nansum skips it: its gradient is 0
SAMPLES["nansum"].append(Sample((_with_nan,), {"axis": 1}))


def _norm(x: np.ndarray, ord: int = 2, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    axes = tuple(range(x.ndim)) if axis is None or axis == () else axis  # (): every axis
    if ord == 1:
        return one_d(np.sum(np.abs(x), axis=axes, keepdims=keepdims))
    return one_d(np.sqrt(np.sum(np.square(x), axis=axes, keepdims=keepdims)))


_rand = _rng("norm")
custom(
    "norm",
    _norm,
    *[
        Sample((NONZERO(_rand, shape),), attrs)
        for shape, attrs in [
            ((), {}),
            ((3,), {}),
            ((2, 3), {"ord": 2}),
            ((2, 3), {"ord": 1}),
            ((2, 3), {"axis": 1}),
            ((1, 3), {"ord": 1, "axis": 1, "keepdims": True}),
            ((2, 3), {"axis": (0, 1), "keepdims": True}),
        ]
    ],
)


def _argreduce(function: Callable) -> Callable:
    def reference(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        if axis is None:
            shape = (1,) * max(x.ndim, 1) if keepdims else 1  # no 0-d results, even for 0-d x
            return one_d(function(x)).reshape(shape).astype(float)
        return one_d(function(x, axis=axis, keepdims=keepdims)).astype(float)

    return reference


for _name in ("argmax", "argmin"):
    _rand = _rng(_name)
    custom(
        _name,
        _argreduce(getattr(np, _name)),
        *[
            Sample((distinct(_rand, shape),), attrs)
            for shape, attrs in [
                ((3,), {}),
                ((2, 3), {}),
                ((2, 3), {"axis": 1}),
                ((2, 3), {"axis": 0}),
                ((1, 3), {"axis": 1, "keepdims": True}),
            ]
        ],
    )


# --------------------------------------------------------------------------- shapes


# MXNet's codes -2, -3, -4 (its reshape documentation), with the shapes it gives for them.
_CODED_SHAPES = {((2, 3, 4), (-3, -2)): (6, 4), ((2, 3, 4), (-4, 1, 2, -2)): (1, 2, 3, 4),
                 ((2, 3), (-2, 1)): (2, 3, 1)}  # fmt: skip


def _mxnet_shape(shape: tuple, target: tuple) -> tuple:
    if (shape, target) in _CODED_SHAPES:
        return _CODED_SHAPES[shape, target]
    return tuple(shape[i] if t == 0 else t for i, t in enumerate(target))


custom(
    "reshape",
    lambda x, shape: x.reshape(_mxnet_shape(x.shape, shape)),
    Sample((_x("reshape"),), {"shape": (1,)}),
    Sample((_x("reshape", 3),), {"shape": (1, 3)}),
    Sample((_x("reshape", 2, 3),), {"shape": (3, 2)}),
    Sample((_x("reshape", 2, 3),), {"shape": (-1,)}),
    Sample((_x("reshape", 2, 3),), {"shape": (0, -1, 1)}),
    Sample((_x("reshape", 1, 3),), {"shape": (3,)}),
    *[Sample((_x("reshape", *shape),), {"shape": codes}) for shape, codes in _CODED_SHAPES],
)
custom(
    "reshape_like",
    lambda x, y: x.reshape(y.shape),
    Sample((_x("reshape_like", 2, 3), _x("y", 3, 2))),
    Sample((_x("reshape_like", 1, 3), _x("y", 3))),
    Sample((_x("reshape_like"), _x("y", 1, 1))),
)
custom(
    "transpose",
    lambda x, axes: np.transpose(x, axes),
    *[Sample((_x("transpose", *shape),), {"axes": None}) for shape in SHAPES],
    Sample((_x("transpose", 2, 3),), {"axes": (1, 0)}),
    Sample((_x("transpose", 2, 1, 3),), {"axes": (2, 0, 1)}),
)
custom(
    "swapaxes",
    lambda x, dim1, dim2: np.swapaxes(x, dim1, dim2),
    Sample((_x("swapaxes", 3),), {"dim1": 0, "dim2": 0}),
    Sample((_x("swapaxes", 2, 3),), {"dim1": 0, "dim2": 1}),
    Sample((_x("swapaxes", 1, 3),), {"dim1": 1, "dim2": -2}),
    Sample((_x("swapaxes", 2, 1, 3),), {"dim1": 0, "dim2": 2}),
)
custom(
    "flatten",
    lambda x: x.reshape(x.shape[0], -1),
    *[Sample((_x("flatten", *shape),)) for shape in [(3,), (2, 3), (1, 3), (2, 1, 3)]],
)
custom(
    "expand_dims",
    np.expand_dims,
    Sample((_x("expand_dims"),), {"axis": 0}),
    Sample((_x("expand_dims", 3),), {"axis": 1}),
    Sample((_x("expand_dims", 2, 3),), {"axis": -1}),
    Sample((_x("expand_dims", 1, 3),), {"axis": 0}),
)
custom(
    "squeeze",
    lambda x, axis: np.squeeze(x, axis),
    Sample((_x("squeeze", 1, 3),), {"axis": None}),
    Sample((_x("squeeze", 1, 3),), {"axis": 0}),
    Sample((_x("squeeze", 2, 1, 3),), {"axis": 1}),
    Sample((_x("squeeze", 3),), {"axis": None}),
    Sample((_x("squeeze"),), {"axis": None}),
)
custom(
    "broadcast_to",
    lambda x, shape: np.broadcast_to(x, _mxnet_shape(x.shape, shape)),
    Sample((_x("broadcast_to"),), {"shape": (2,)}),
    Sample((_x("broadcast_to", 3),), {"shape": (2, 3)}),
    Sample((_x("broadcast_to", 1, 3),), {"shape": (2, 3)}),
    Sample((_x("broadcast_to", 2, 1),), {"shape": (0, 3)}),
)
custom(
    "broadcast_like",
    lambda x, y: np.broadcast_to(x, y.shape),
    Sample((_x("broadcast_like"), _x("y", 3))),
    Sample((_x("broadcast_like", 1, 3), _x("y", 2, 3))),
    Sample((_x("broadcast_like", 3), _x("y", 2, 3))),
)
custom(
    "tile",
    np.tile,
    Sample((_x("tile"),), {"reps": (2,)}),
    Sample((_x("tile", 3),), {"reps": (2,)}),
    Sample((_x("tile", 2, 3),), {"reps": (2, 1)}),
    Sample((_x("tile", 1, 3),), {"reps": (2, 2)}),
    Sample((_x("tile", 3),), {"reps": (2, 1, 2)}),
)
custom(
    "repeat",
    lambda x, repeats, axis: np.repeat(x, repeats, axis),
    Sample((_x("repeat"),), {"repeats": 3, "axis": None}),
    Sample((_x("repeat", 3),), {"repeats": 2, "axis": 0}),
    Sample((_x("repeat", 2, 3),), {"repeats": 2, "axis": None}),
    Sample((_x("repeat", 2, 3),), {"repeats": 2, "axis": 1}),
    Sample((_x("repeat", 1, 3),), {"repeats": 2, "axis": -2}),
    Sample((_x("repeat", 2, 3),), {"repeats": 20, "axis": 1}),  # many copies: the other path
    Sample((_x("repeat", 2, 3),), {"repeats": 0, "axis": 0}),
)


# --------------------------------------------------------------------------- indexing

_KEYS = [
    ((3,), 1),
    ((2, 3), (1, 2)),
    ((2, 3), (slice(0, 1), slice(1, 3))),
    ((2, 3), (slice(None), 0)),
    ((2, 3), np.array([1, 0, 1])),
    ((1, 3), (0, slice(None, None, -1))),
]
custom(
    "getitem",
    lambda x, key: one_d(x[key]),
    *[Sample((_x("getitem", *shape),), {"key": key}) for shape, key in _KEYS],
)


def _scatter_add(grad: np.ndarray, shape: tuple, key: Any) -> np.ndarray:
    out = np.zeros(shape)
    np.add.at(out, key, grad.reshape(out[key].shape))
    return out


custom(
    "scatter_add",
    _scatter_add,
    Sample((_x("scatter_add", 1),), {"shape": (3,), "key": 1}),
    Sample((_x("scatter_add", 3),), {"shape": (2, 3), "key": 1}),
    Sample((_x("scatter_add", 2, 3),), {"shape": (3, 3), "key": np.array([2, 2])}),
    Sample((_x("scatter_add", 1, 2),), {"shape": (2, 3), "key": (slice(0, 1), slice(1, 3))}),
)
custom(
    "slice_axis",
    lambda x, axis, begin, end: np.take(x, range(x.shape[axis])[begin:end], axis),
    Sample((_x("slice_axis", 3),), {"axis": 0, "begin": 1, "end": None}),
    Sample((_x("slice_axis", 2, 3),), {"axis": 1, "begin": 0, "end": 2}),
    Sample((_x("slice_axis", 2, 3),), {"axis": -2, "begin": 1, "end": 2}),
    Sample((_x("slice_axis", 1, 3),), {"axis": 1, "begin": -2, "end": None}),
)
custom(
    "slice",
    lambda x, begin, end, step: x[tuple(map(slice, begin, end, step or [None] * len(begin)))],
    Sample((_x("slice", 3),), {"begin": (1,), "end": (3,), "step": ()}),
    Sample((_x("slice", 2, 3),), {"begin": (0, 1), "end": (2, 3), "step": ()}),
    Sample((_x("slice", 2, 3),), {"begin": (1,), "end": (2,), "step": ()}),
    Sample((_x("slice", 2, 3),), {"begin": (None, None), "end": (None, None), "step": (-1, 2)}),
    Sample((_x("slice", 1, 3),), {"begin": (0, None), "end": (1, 2), "step": (1, None)}),
)
custom(
    "take",
    lambda x, indices, axis, mode: np.take(x, indices, axis, mode=mode),
    Sample((_x("take", 3), np.array([2, 0, 2])), {"axis": 0, "mode": "clip"}),
    Sample((_x("take", 2, 3), np.array([1, 1])), {"axis": 0, "mode": "clip"}),
    Sample((_x("take", 2, 3), np.array([[0, 2], [5, -1]])), {"axis": 1, "mode": "clip"}),
    Sample((_x("take", 2, 3), np.array([4, -1])), {"axis": -1, "mode": "wrap"}),
    Sample((_x("take", 1, 3), np.array([0])), {"axis": 0, "mode": "clip"}),
)


def _pick(x: np.ndarray, index: np.ndarray, axis: int, keepdims: bool, mode: str) -> np.ndarray:
    kept = list(x.shape)
    kept[axis] = 1
    index = np.clip(index, 0, x.shape[axis] - 1) if mode == "clip" else index % x.shape[axis]
    out = np.take_along_axis(x, index.reshape(kept), axis)
    return out if keepdims else one_d(np.squeeze(out, axis))


custom(
    "pick",
    _pick,
    Sample((_x("pick", 3), np.array(1)), {"axis": 0, "keepdims": False, "mode": "clip"}),
    Sample((_x("pick", 2, 3), np.array([2, 0])), {"axis": -1, "keepdims": False, "mode": "clip"}),
    Sample(
        (_x("pick", 2, 3), np.array([[1, 0, 1]])), {"axis": 0, "keepdims": True, "mode": "clip"}
    ),
    Sample((_x("pick", 2, 3), np.array([7, -1])), {"axis": 1, "keepdims": False, "mode": "wrap"}),
    Sample((_x("pick", 1, 3), np.array([5])), {"axis": 1, "keepdims": True, "mode": "clip"}),
)


def _one_hot(
    indices: np.ndarray, depth: int, on_value: float, off_value: float, dtype: Any
) -> np.ndarray:
    out = np.full(indices.shape + (depth,), off_value, dtype=dtype)
    for position in np.ndindex(indices.shape):
        if 0 <= indices[position] < depth:  # out-of-range indices give a row of off_value
            out[position + (indices[position],)] = on_value
    return out


_ONE_HOT = {"on_value": 1.0, "off_value": 0.0, "dtype": np.float64}
custom(
    "one_hot",
    _one_hot,
    Sample((np.array([0, 2, 1]),), {"depth": 3, **_ONE_HOT}),
    Sample(
        (np.array([[1, 0, 3]]),),
        {"depth": 3, "on_value": 5.0, "off_value": -1.0, "dtype": np.float64},
    ),
    Sample((np.array(2),), {"depth": 3, **_ONE_HOT}),
)


# --------------------------------------------------------------------------- joining


def _concat(*xs: np.ndarray, dim: int) -> np.ndarray:
    return np.concatenate(xs, axis=dim)


custom(
    "concat",
    _concat,
    Sample((_x("concat", 3), _x("y", 2)), {"dim": 0}),
    Sample((_x("concat", 2, 3), _x("y", 2, 1)), {"dim": 1}),
    Sample((_x("concat", 1, 3), _x("y", 2, 3), _x("z", 1, 3)), {"dim": 0}),
    Sample((_x("concat", 2, 3),), {"dim": -1}),
)
custom(
    "stack",
    lambda *xs, axis: np.stack(xs, axis=axis),
    Sample((_x("stack"), _x("y")), {"axis": 0}),
    Sample((_x("stack", 3), _x("y", 3), _x("z", 3)), {"axis": 1}),
    Sample((_x("stack", 2, 3), _x("y", 2, 3)), {"axis": -1}),
    Sample((_x("stack", 1, 3), _x("y", 1, 3)), {"axis": 0}),
)


# --------------------------------------------------------------------------- linear algebra


def _dot(x: np.ndarray, y: np.ndarray, transpose_a: bool, transpose_b: bool) -> np.ndarray:
    x, y = (x.T if transpose_a else x), (y.T if transpose_b else y)
    return one_d(np.tensordot(x, y, axes=1))


_NT = {"transpose_a": False, "transpose_b": False}
custom(
    "dot",
    _dot,
    Sample((_x("dot", 3), _x("y", 3)), _NT),
    Sample((_x("dot", 2, 3), _x("y", 3)), _NT),
    Sample((_x("dot", 2, 3), _x("y", 3, 2)), _NT),
    Sample((_x("dot", 1, 3), _x("y", 3, 1)), _NT),
    Sample((_x("dot", 3), _x("y", 3, 2)), _NT),
    Sample((_x("dot", 3, 2), _x("y", 3, 2)), {"transpose_a": True, "transpose_b": False}),
    Sample((_x("dot", 2, 3), _x("y", 2, 3)), {"transpose_a": False, "transpose_b": True}),
    Sample((_x("dot", 2, 1, 3), _x("y", 3, 2)), _NT),
)


def _batch_dot(x: np.ndarray, y: np.ndarray, transpose_a: bool, transpose_b: bool) -> np.ndarray:
    x = np.swapaxes(x, 1, 2) if transpose_a else x
    y = np.swapaxes(y, 1, 2) if transpose_b else y
    return np.einsum("bij,bjk->bik", x, y)


custom(
    "batch_dot",
    _batch_dot,
    Sample((_x("batch_dot", 2, 1, 3), _x("y", 2, 3, 2)), _NT),
    Sample(
        (_x("batch_dot", 2, 3, 1), _x("y", 2, 3, 2)), {"transpose_a": True, "transpose_b": False}
    ),
    Sample(
        (_x("batch_dot", 1, 2, 3), _x("y", 1, 2, 3)), {"transpose_a": False, "transpose_b": True}
    ),
    Sample(
        (_x("batch_dot", 2, 3, 2), _x("y", 2, 1, 3)), {"transpose_a": True, "transpose_b": True}
    ),
)


# --------------------------------------------------------------------------- neural networks


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    return np.exp(x) / np.sum(np.exp(x), axis=axis, keepdims=True)


_SOFTMAX_CASES = [((1,), -1), ((3,), -1), ((2, 3), -1), ((2, 3), 0), ((1, 3), 1)]
custom(
    "softmax",
    _softmax,
    *[Sample((_x("softmax", *shape),), {"axis": axis}) for shape, axis in _SOFTMAX_CASES],
)
custom(
    "log_softmax",
    lambda x, axis: np.log(_softmax(x, axis)),
    *[Sample((_x("log_softmax", *shape),), {"axis": axis}) for shape, axis in _SOFTMAX_CASES],
)
custom(
    "dropout",
    lambda x, mask: x * mask,  # a fixed mask: the random draw is Dropout's job
    Sample((_x("dropout", 3),), {"mask": np.array([2.0, 0.0, 2.0])}),
    Sample((_x("dropout", 2, 3),), {"mask": np.array([[0.0, 2.0, 2.0], [2.0, 2.0, 0.0]])}),
    Sample((_x("dropout", 1, 3),), {"mask": np.array([[1.25, 1.25, 0.0]])}),
)
custom(
    "softmax_cross_entropy",
    lambda x, label: one_d(-np.sum(np.log(_softmax(x, -1))[np.arange(len(x)), label])),
    Sample((_x("softmax_cross_entropy", 2, 3), np.array([0, 2]))),
    Sample((_x("softmax_cross_entropy", 1, 3), np.array([1]))),
    Sample((_x("softmax_cross_entropy", 4, 2), np.array([1, 0, 0, 1]))),
)
