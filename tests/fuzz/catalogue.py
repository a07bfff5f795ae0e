"""One builder per op of the table (and for ``detach``, ``if``, ``while``): how to call it safely.

A builder picks inputs from the program so far (or new leaves), brings them into the op's
domain, proposes attributes, and returns the new value's id (``None`` if nothing fitted).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import hypothesis.strategies as st
import numpy as np

from .generate import LIMIT, Builder, nonzero, positive, unit

Build = Callable[[Builder], "int | None"]
BUILDERS: dict[str, Build] = {}


def _unary(name: str, limit: float, bound: Callable[[float], float], adapter: Callable = None
           ) -> None:  # fmt: skip
    def build(b: Builder) -> int | None:
        x = b.within(b.any(), limit)
        if adapter is not None:
            x = adapter(b, x)
        attrs = {}
        if name == "leaky_relu":
            attrs = {"slope": b.scalar(0.01, 0.5)["scalar"]}
        elif name == "clip":
            low = b.scalar(-1.0, 0.5)["scalar"]
            attrs = {"a_min": low, "a_max": round(low + b.scalar(0.1, 1.0)["scalar"], 3)}
        return b.op(name, [x], attrs, bound=bound(b.values[x].bound))

    BUILDERS[name] = build


_SAME = lambda bound: bound  # noqa: E731
_ONE = lambda bound: 1.0  # noqa: E731
for _name, _limit, _bound in [
    ("negative", LIMIT, _SAME), ("copy", LIMIT, _SAME), ("sin", LIMIT, _ONE),
    ("cos", LIMIT, _ONE), ("tanh", LIMIT, _ONE), ("sigmoid", LIMIT, _ONE),
    ("arctan", LIMIT, lambda bound: 1.6), ("softsign", LIMIT, _ONE),
    ("exp", 2.0, math.exp), ("expm1", 2.0, math.exp), ("sinh", 2.0, math.exp),
    ("cosh", 2.0, math.exp), ("square", 3.0, lambda bound: bound * bound),
    ("softrelu", LIMIT, lambda bound: bound + 1), ("tan", 1.2, lambda bound: 2.6),
    ("abs", LIMIT, _SAME), ("relu", LIMIT, _SAME), ("leaky_relu", LIMIT, _SAME),
    ("sign", LIMIT, _ONE), ("clip", LIMIT, _ONE),
    *[(name, LIMIT, lambda bound: bound + 1)
      for name in ("floor", "ceil", "round", "rint", "trunc", "fix")],
]:  # fmt: skip
    _unary(_name, _limit, _bound)
for _name, _bound in [("log", 2.4), ("log1p", 1.4), ("log2", 3.4), ("log10", 1.0),
                      ("sqrt", 1.7), ("rsqrt", 3.2)]:  # fmt: skip
    _unary(_name, LIMIT, lambda bound, b=_bound: b, positive)
_unary("reciprocal", LIMIT, lambda bound: 10.0, nonzero)
_unary("cbrt", LIMIT, lambda bound: 1.5, nonzero)
_unary("arcsin", LIMIT, lambda bound: 1.6, unit)
_unary("arccos", LIMIT, lambda bound: 3.2, unit)
# issue 13's additions (erfinv, arccosh, arctanh and the gamma family have narrow domains
# and steep slopes near their edges: the op table's own samples check them)
_unary("radians", LIMIT, lambda bound: bound * 0.02)
_unary("degrees", 1.0, lambda bound: bound * 58.0)
_unary("arcsinh", LIMIT, lambda bound: math.asinh(bound) + 0.1)
_unary("log_sigmoid", LIMIT, lambda bound: bound + 1)
_unary("erf", LIMIT, _ONE)
_unary("rcbrt", LIMIT, lambda bound: 2.0, nonzero)


def _astype(b: Builder) -> int | None:
    dtypes = ["float32", "float64"] + (["float16"] if b.dtype == "float16" else [])
    return b.op("astype", [b.any()], {"dtype": b.draw(st.sampled_from(dtypes))})


BUILDERS["astype"] = _astype


# ----------------------------------------------------------------------------- binary


def _second(b: Builder, x: int) -> int | dict:
    """The other operand: a value, a new leaf, a Python scalar or a numpy constant."""
    kind = b.draw(st.integers(0, 5))
    if kind == 0:
        return b.scalar(-2.0, 2.0)
    if kind == 1:
        shape = b.compatible_shape(b.values[x].shape)
        return b.const(b.rng.uniform(-1.5, 1.5, shape))
    return b.partner(x)


def _binary(name: str) -> None:
    def build(b: Builder) -> int | None:
        x = b.within(b.any(), LIMIT)
        y = _second(b, x)
        if isinstance(y, int):
            y = b.within(y, LIMIT)
        if name == "divide" and isinstance(y, int):
            y = nonzero(b, y)
        elif name == "divide":
            y = {"scalar": 0.5} if "scalar" in y else b.const(np.full(y["shape"], -0.7))
        args = [y, x] if b.draw(st.integers(0, 3)) == 0 and name != "divide" else [x, y]
        bounds = [b.values[a].bound if isinstance(a, int) else 2.0 for a in args]
        bound = {"add": sum(bounds), "subtract": sum(bounds), "multiply": math.prod(bounds),
                 "divide": bounds[0] * 10}.get(name, max(bounds))  # fmt: skip
        if name not in ("add", "subtract", "multiply", "divide", "maximum", "minimum"):
            bound = 1.0  # comparisons give 0 or 1
        return b.op(name, args, bound=bound)

    BUILDERS[name] = build


for _name in ("add", "subtract", "multiply", "divide", "maximum", "minimum", "equal",
              "not_equal", "greater", "greater_equal", "less", "less_equal"):  # fmt: skip
    _binary(_name)


def _power(b: Builder) -> int | None:
    kind = b.draw(st.integers(0, 3))
    if kind == 3:  # x ** k for a whole k, any sign of x, zeros too: exact to every order
        x = b.within(b.any(), 1.5)
        return b.op("power", [x, {"scalar": b.draw(st.integers(0, 4))}], bound=5.1)
    x = positive(b, b.any())
    if kind == 0:  # x ** scalar
        return b.op("power", [x, b.scalar(-2.0, 3.0)], bound=100.0)
    if kind == 1:  # scalar ** y
        y = b.within(b.any(), 2.0)
        return b.op("power", [b.scalar(0.5, 3.0), y], bound=9.0, call="operator")
    y = b.within(b.partner(x), 1.5)
    return b.op("power", [x, y], bound=40.0)


def _where(b: Builder) -> int | None:
    x = b.within(b.any(), LIMIT)
    y = b.within(b.partner(x), LIMIT)
    condition = b.pick(lambda v: v.bound == 1.0)  # often a comparison's 0/1 output
    if condition is None or b.draw(st.booleans()):
        shape = b.compatible_shape(b.values[x].shape)
        condition = b.const(b.rng.integers(0, 2, shape))
    return b.op("where", [condition, x, y])


BUILDERS["power"] = _power
BUILDERS["where"] = _where


# ----------------------------------------------------------------------------- reductions


def _axis(b: Builder, ndim: int, single: bool = False) -> int | list | None:
    """``None``, an axis, or a list of axes (negative ones too); ``[]`` is MXNet's ``()``."""
    kind = b.draw(st.integers(0, 3 if ndim and not single else 1 if ndim else 0))
    if kind == 0:
        return None
    if kind == 1:
        return b.draw(st.integers(-ndim, ndim - 1))
    if kind == 3:
        return []  # axis=(): every axis, with or without exclude
    axes = b.draw(st.permutations(range(ndim)))[: b.draw(st.integers(1, ndim))]
    return [a - ndim if b.draw(st.booleans()) else a for a in axes]


def _reduced_size(shape: tuple, axis: int | list | None, exclude: bool) -> int:
    axis = None if axis == [] else axis
    axes = range(len(shape)) if axis is None else np.atleast_1d(axis) % max(len(shape), 1)
    axes = {int(a) for a in axes}
    if exclude and axis is not None:
        axes = set(range(len(shape))) - axes
    return int(np.prod([shape[a] for a in axes]))


def _reduction(name: str) -> None:
    def build(b: Builder) -> int | None:
        x = b.within(b.any(), LIMIT)
        shape = b.values[x].shape
        axis = _axis(b, len(shape), single=name.startswith("arg"))
        attrs = {"axis": axis, "keepdims": b.draw(st.booleans())}
        if name in ("sum", "nansum", "mean", "prod", "max", "min"):
            attrs["exclude"] = b.draw(st.booleans()) and axis is not None
        if name == "norm":
            attrs["ord"] = b.draw(st.sampled_from([2, 1]))
        count = _reduced_size(shape, axis, attrs.get("exclude", False))
        if count == 0 and name not in ("sum", "nansum", "prod"):
            return None  # mean, max, norm, ... of nothing: numpy gives nan or raises
        bound = b.values[x].bound
        if name == "prod":
            if count > 6:
                return None
            x = b.within(x, 1.5) if b.draw(st.booleans()) else nonzero(b, b.within(x, 2.0))
            bound = b.values[x].bound ** max(count, 1)  # (zeros allowed: the rule is exact)
        elif name in ("sum", "nansum", "norm"):
            bound = bound * max(count, 1)
        elif name.startswith("arg"):
            bound = max(shape or (1,))
        return b.op(name, [x], attrs, bound=bound)

    BUILDERS[name] = build


for _name in ("sum", "nansum", "mean", "prod", "max", "min", "norm", "argmax", "argmin"):
    _reduction(_name)


# ----------------------------------------------------------------------------- shapes


def _shape_op(name: str, propose: Callable[[Builder, tuple], dict | None]) -> None:
    def build(b: Builder) -> int | None:
        x = b.any()
        attrs = propose(b, b.values[x].shape)
        return None if attrs is None else b.op(name, [x], attrs)

    BUILDERS[name] = build


def _reshape_target(b: Builder, shape: tuple) -> dict:
    size = math.prod(shape)
    candidates = [[-1], [size], [1, -1], [-1, 1], list(shape[::-1]), list(shape) + [1]]
    if len(shape) >= 2:
        candidates += [
            [0, -1],
            [shape[0] * shape[1], *shape[2:]],
            [0, 0, *shape[2:]][: len(shape)],
        ]
    return {"shape": b.draw(st.sampled_from(candidates))}


def _permutation(b: Builder, shape: tuple) -> dict:
    if not shape or b.draw(st.integers(0, 3)) == 0:
        return {"axes": None}
    axes = b.draw(st.permutations(range(len(shape))))
    return {"axes": [a - len(shape) if b.draw(st.booleans()) else a for a in axes]}


def _expanded(b: Builder, shape: tuple) -> list:
    """A shape ``shape`` broadcasts to: size-1 axes stretched, maybe a new leading axis."""
    target = [b.draw(st.sampled_from([1, 2, 3])) if s == 1 else s for s in shape]
    if b.draw(st.booleans()):
        target = [b.draw(st.sampled_from([2, 1]))] + target
    return target


def _broadcast_target(b: Builder, shape: tuple) -> dict:
    target = [b.draw(st.sampled_from([1, 2, 3])) if s == 1 else s for s in shape]
    if b.draw(st.booleans()):
        target = [0 if b.draw(st.booleans()) else t for t in target]  # 0: keep that axis
    elif b.draw(st.booleans()):
        target = [b.draw(st.sampled_from([2, 1]))] + target
    return {"shape": target}


def _squeeze_axis(b: Builder, shape: tuple) -> dict:
    ones = [i for i, s in enumerate(shape) if s == 1]
    if not ones or b.draw(st.booleans()):
        return {"axis": None}
    return {"axis": b.draw(st.sampled_from(ones)) - (len(shape) if b.draw(st.booleans()) else 0)}


def _slice_attrs(b: Builder, shape: tuple) -> dict | None:
    if not shape:
        return None
    n = b.draw(st.integers(1, len(shape)))
    ends = [b.draw(st.sampled_from([None, -1, 1, 2, 3])) for _ in range(2 * n)]
    step = [b.draw(st.sampled_from([None, 1, 2, -1])) for _ in range(n)]
    return {"begin": ends[:n], "end": ends[n:], "step": step if b.draw(st.booleans()) else []}


def _integer(b: Builder, low: int, high: int) -> int:
    return b.draw(st.integers(low, high))


_shape_op("reshape", _reshape_target)
_shape_op("transpose", _permutation)
_shape_op("broadcast_to", _broadcast_target)
_shape_op("expand_dims", lambda b, s: {"axis": _integer(b, -len(s) - 1, len(s))})
_shape_op("squeeze", _squeeze_axis)
_shape_op("flatten", lambda b, s: {} if s else None)
_shape_op(
    "swapaxes",
    lambda b, s: (
        {"dim1": _integer(b, -len(s), len(s) - 1), "dim2": _integer(b, -len(s), len(s) - 1)}
        if s
        else None
    ),
)
_shape_op(
    "tile",
    lambda b, s: {
        "reps": [_integer(b, 0 if i else 1, 2) for i in range(_integer(b, 1, len(s) + 1))]
    },
)
_shape_op(
    "repeat", lambda b, s: {"repeats": _integer(b, 0, 3), "axis": _axis(b, len(s), single=True)}
)
_shape_op("slice_axis", lambda b, s: {"axis": _integer(b, -len(s), len(s) - 1),
                                      "begin": _integer(b, -2, 1),
                                      "end": b.draw(st.sampled_from([None, -1, 2, 3]))}
          if s else None)  # fmt: skip
_shape_op("slice", _slice_attrs)


def _like(name: str) -> None:
    def build(b: Builder) -> int | None:
        x = b.any()
        shape = b.values[x].shape
        if name == "reshape_like":
            found = b.pick(lambda v: math.prod(v.shape) == math.prod(shape))
            target = list(shape[::-1]) + [1]
        else:
            found = b.pick(lambda v: _broadcasts(shape, v.shape, exact=True))
            target = _expanded(b, shape)
        y = found if found is not None else b.leaf(tuple(target), variable=False)
        return b.op(name, [x, y])

    BUILDERS[name] = build


def _broadcasts(shape: tuple, target: tuple, exact: bool) -> bool:
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False


_like("reshape_like")
_like("broadcast_like")


# ----------------------------------------------------------------------------- indexing


def _key_item(b: Builder, size: int) -> object:
    kind = b.draw(st.integers(0, 2))
    if kind == 0 and size:
        return b.draw(st.integers(-size, size - 1))
    if kind == 1 and size:
        index = b.rng.integers(-size, size, b.draw(st.integers(0, 3)))
        return {"array": index.tolist(), "shape": list(index.shape)}
    parts = [b.draw(st.sampled_from([None, -1, 0, 1, 2])) for _ in range(2)]
    return {"slice": parts + [b.draw(st.sampled_from([None, 1, 2, -1]))]}


def _key(b: Builder, shape: tuple) -> object:
    items = [_key_item(b, size) for size in shape[: b.draw(st.integers(1, max(len(shape), 1)))]]
    arrays = [i for i in items if isinstance(i, dict) and "array" in i]
    if len(arrays) > 1:  # several index arrays must broadcast together: keep one
        items = [i for i in items if i not in arrays[1:]]
    return items[0] if len(items) == 1 and b.draw(st.booleans()) else {"tuple": items}


def _getitem(b: Builder) -> int | None:
    x = b.any()
    shape = b.values[x].shape
    return b.op("getitem", [x], {"key": _key(b, shape)}) if shape else None


def _scatter_add(b: Builder) -> int | None:
    x = b.any()
    shape = b.values[x].shape
    copies = b.draw(st.integers(1, 3))
    key = b.draw(st.integers(-copies, copies - 1))
    if b.draw(st.booleans()):
        key = {"tuple": [key]}
    return b.op("scatter_add", [x], {"shape": [copies, *shape], "key": key})


def _take(b: Builder) -> int | None:
    x = b.any()
    shape = b.values[x].shape
    if not shape:
        return None
    indices = b.rng.integers(-4, 5, b.shape(max_ndim=2))
    axis = b.draw(st.integers(-len(shape), len(shape) - 1))
    if shape[axis] == 0:  # numpy's take(mode="wrap") never returns from an empty axis
        return None
    mode = b.draw(st.sampled_from(["clip", "wrap"]))
    return b.op("take", [x, b.const(indices)], {"axis": axis, "mode": mode})


def _pick(b: Builder) -> int | None:
    x = b.any()
    shape = b.values[x].shape
    if not shape:
        return None
    axis = b.draw(st.integers(-len(shape), len(shape) - 1))
    if shape[axis] == 0:
        return None
    index_shape = shape[: axis % len(shape)] + shape[axis % len(shape) + 1 :]
    index = b.rng.integers(-1, shape[axis] + 2, index_shape)
    attrs = {"axis": axis, "keepdims": b.draw(st.booleans()),
             "mode": b.draw(st.sampled_from(["clip", "wrap"]))}  # fmt: skip
    return b.op("pick", [x, b.const(index)], attrs)


def _one_hot(b: Builder) -> int | None:
    depth = b.draw(st.integers(1, 4))
    indices = b.rng.integers(-1, depth + 1, b.shape(max_ndim=2))
    attrs = {"depth": depth, "on_value": 1.0, "off_value": b.scalar(-1.0, 0.5)["scalar"],
             "dtype": b.dtype}  # fmt: skip
    return b.op("one_hot", [b.const(indices)], attrs)


BUILDERS.update(getitem=_getitem, scatter_add=_scatter_add, take=_take, pick=_pick,
                one_hot=_one_hot)  # fmt: skip


# ----------------------------------------------------------------------------- joining, linalg


def _join(name: str) -> None:
    def build(b: Builder) -> int | None:
        x = b.any()
        shape = b.values[x].shape
        if not shape and name == "concat":
            return None
        extra = int(name == "stack")  # stack may add an axis after the last one
        axis = b.draw(st.integers(-len(shape) - extra, len(shape) - 1 + extra))
        inputs = [x]
        for _ in range(b.draw(st.integers(0, 2))):
            other = list(shape)
            if name == "concat":
                other[axis] = b.draw(st.sampled_from([1, 2, 0]))
            found = b.pick(lambda v, o=tuple(other): v.shape == o)
            inputs.append(found if found is not None and b.draw(st.booleans())
                          else b.leaf(tuple(other)))  # fmt: skip
        key = "dim" if name == "concat" else "axis"
        return b.op(name, inputs, {key: axis}, bound=max(b.values[i].bound for i in inputs))

    BUILDERS[name] = build


_join("concat")
_join("stack")


def _dot(b: Builder) -> int | None:
    x = b.within(b.any(), LIMIT)
    shape = b.values[x].shape
    if not shape:
        return None
    transpose_a, transpose_b = b.draw(st.booleans()), b.draw(st.booleans())
    inner = shape[0] if transpose_a else shape[-1]
    other = [inner] + ([b.draw(st.sampled_from([1, 2, 3]))] if b.draw(st.booleans()) else [])
    if transpose_b:
        other = other[::-1]
    found = b.pick(lambda v: v.shape == tuple(other))
    y = found if found is not None and b.draw(st.booleans()) else b.leaf(tuple(other))
    y = b.within(y, LIMIT)
    bound = b.values[x].bound * b.values[y].bound * max(inner, 1)
    attrs = {"transpose_a": transpose_a, "transpose_b": transpose_b}
    return b.op("dot", [x, y], attrs, bound=bound)


def _batch_dot(b: Builder) -> int | None:
    x = b.pick(lambda v: len(v.shape) == 3)
    if x is None:
        x = b.leaf((b.draw(st.sampled_from([2, 1, 0])), *b.shape(max_ndim=2), 1, 1)[:3])
    x = b.within(x, LIMIT)
    batch, n, k = b.values[x].shape
    transpose_a, transpose_b = b.draw(st.booleans()), b.draw(st.booleans())
    inner = n if transpose_a else k
    m = b.draw(st.sampled_from([1, 2, 3]))
    y = b.within(b.leaf((batch, m, inner) if transpose_b else (batch, inner, m)), LIMIT)
    bound = b.values[x].bound * b.values[y].bound * max(inner, 1)
    attrs = {"transpose_a": transpose_a, "transpose_b": transpose_b}
    return b.op("batch_dot", [x, y], attrs, bound=bound)


BUILDERS.update(dot=_dot, batch_dot=_batch_dot)


# ----------------------------------------------------------------------------- neural networks


def _softmax(name: str) -> None:
    def build(b: Builder) -> int | None:
        x = b.within(b.any(), LIMIT)
        shape = b.values[x].shape
        if not shape:
            return None
        axis = b.draw(st.integers(-len(shape), len(shape) - 1))
        bound = 1.0 if name == "softmax" else 2 * b.values[x].bound + math.log(shape[axis] + 1)
        return b.op(name, [x], {"axis": axis}, bound=bound)

    BUILDERS[name] = build


_softmax("softmax")
_softmax("log_softmax")


def _dropout(b: Builder) -> int | None:
    x = b.any()
    keep = b.rng.integers(0, 2, b.values[x].shape) * 2.0
    return b.op("dropout", [x], {"mask": b.const(keep)}, bound=2 * b.values[x].bound)


def _cross_entropy(b: Builder) -> int | None:
    x = b.pick(lambda v: len(v.shape) == 2 and v.shape[1] > 0)
    if x is None:
        x = b.leaf((b.draw(st.sampled_from([2, 1, 3, 0])), b.draw(st.sampled_from([3, 1, 2]))))
    x = b.within(x, LIMIT)
    rows, classes = b.values[x].shape
    label = b.rng.integers(0, classes, rows)
    bound = rows * (2 * b.values[x].bound + math.log(classes + 1))
    return b.op("softmax_cross_entropy", [x, b.const(label)], bound=bound)


BUILDERS.update(dropout=_dropout, softmax_cross_entropy=_cross_entropy)


# ----------------------------------------------------------------------------- control flow

BRANCHES = ["tanh", "sin", "cos", "negative", "sigmoid", "arctan", "square", "exp"]


def _detach(b: Builder) -> int | None:
    x = b.any()
    return b.special("detach", [x], {}, b.values[x].shape, b.values[x].bound)


def _if(b: Builder) -> int | None:
    test, x = b.any(), b.within(b.any(), 2.0)
    reduce = "sum" if math.prod(b.values[test].shape) == 0 else b.draw(
        st.sampled_from(["sum", "mean", "max"]))  # fmt: skip
    then, other = b.draw(st.sampled_from(BRANCHES)), b.draw(st.sampled_from(BRANCHES))
    attrs = {"reduce": reduce, "threshold": b.scalar(-1.0, 1.0)["scalar"], "then": then,
             "else": other}  # fmt: skip
    return b.special("if", [test, x], attrs, b.values[x].shape, 7.4)


def _while(b: Builder) -> int | None:
    x = b.within(b.any(), 2.0)
    factor = b.scalar(1.2, 2.0)["scalar"]
    attrs = {"bound": b.scalar(0.5, 4.0)["scalar"], "factor": factor,
             "max_iter": b.draw(st.integers(1, 4))}  # fmt: skip
    bound = b.values[x].bound * factor ** attrs["max_iter"]
    return b.special("while", [x], attrs, b.values[x].shape, bound)


def _function(b: Builder) -> int | None:
    """A custom ``autograd.Function`` whose backward writes into the gradient it is given."""
    x = b.within(b.any(), LIMIT)
    factor = b.scalar(-2.0, 2.0)["scalar"]
    bound = b.values[x].bound * abs(factor)
    return b.special("function", [x], {"factor": factor}, b.values[x].shape, bound)


BUILDERS.update({"detach": _detach, "if": _if, "while": _while, "function": _function})


# ----------------------------------------------------------------------------- programs


@st.composite
def programs(draw: Callable, max_steps: int = 12) -> dict:
    """A random program (see ``program.py`` for the format)."""
    dtype = draw(st.sampled_from(["float32", "float64"] * 3 + ["float16"]))
    b = Builder(draw, np.random.default_rng(draw(st.integers(0, 2**32 - 1))), dtype)
    for _ in range(draw(st.integers(1, 3))):
        b.leaf(b.shape())
    names = sorted(BUILDERS)
    for _ in range(draw(st.integers(1, max_steps))):
        if draw(st.integers(0, 1 if b.paused else 9)) == 0:  # short pause() segments
            b.paused = not b.paused
        BUILDERS[draw(st.sampled_from(names))](b)
    live = [i for i, v in enumerate(b.values) if v.live]
    heads = [live[-1 - draw(st.integers(0, min(len(live), 4) - 1))]
             for _ in range(draw(st.integers(1, 3)))]  # fmt: skip
    head_grads = [
        None if draw(st.integers(0, 3)) == 0
        else b.rng.normal(size=b.values[h].shape).round(3).ravel().tolist()
        for h in heads
    ]  # fmt: skip
    api = draw(st.sampled_from(["backward", "grad"] + (["method"] if len(heads) == 1 else [])))
    return {"dtype": dtype, "steps": b.steps, "heads": heads, "head_grads": head_grads,
            "api": api, "twice": api != "grad" and draw(st.booleans()),
            "second_order": draw(st.integers(0, 3)) == 0}  # fmt: skip
