"""Two interpreters for one program: autogradviz under ``record()``, and numpy in float64.

Both return every value by id and a :class:`Trace`: the values of cut steps (``detach`` and
steps inside ``pause()``, which gradients treat as constants) and the branch decisions of
``if``/``while``. Passing a trace back *replays* it: cut values and decisions are reused, so a
finite-difference step sees the same function that backward differentiates. The numpy
interpreter also measures how close each value comes to a kink, tie or branch threshold.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from op_samples import REFERENCES

from autogradviz import autograd, nd

from .program import const_array, decode_attrs, leaf_array, reference

OPERATORS: dict[str, Callable] = {
    "add": operator.add, "subtract": operator.sub, "multiply": operator.mul,
    "divide": operator.truediv, "power": operator.pow, "equal": operator.eq,
    "not_equal": operator.ne, "greater": operator.gt, "greater_equal": operator.ge,
    "less": operator.lt, "less_equal": operator.le, "negative": operator.neg,
    "abs": operator.abs, "getitem": lambda x, key: x[key],
}  # fmt: skip
REDUCERS = {"sum": np.sum, "mean": np.mean, "max": np.max}


@dataclass
class Trace:
    """What a run decided: cut values by step id, and branch decisions in order."""

    cut: dict[int, np.ndarray] = field(default_factory=dict)
    decisions: dict[int, Any] = field(default_factory=dict)  # step id -> branch taken/count
    margins: list = field(default_factory=list)  # (relative distance, why), numpy only


def is_cut(step: dict) -> bool:
    """Whether gradients treat the step's output as a constant."""
    return step["op"] == "detach" or bool(step.get("paused"))


def _groups(steps: list) -> Any:
    """Consecutive non-leaf steps, grouped by whether they run inside ``pause()``."""
    numbered = [(i, s) for i, s in enumerate(steps) if s["op"] != "leaf"]
    return itertools.groupby(numbered, key=lambda pair: bool(pair[1].get("paused")))


# ------------------------------------------------------------------------------- autogradviz


def make_leaves(program: dict, dtype: str, values: dict | None = None) -> dict[int, Any]:
    """Leaf NDArrays (``values`` overrides some leaves' data), with gradients attached."""
    leaves = {}
    for i, step in enumerate(program["steps"]):
        if step["op"] == "leaf":
            data = leaf_array(step) if values is None or i not in values else values[i]
            leaves[i] = nd.array(data, dtype=dtype)
            if step["variable"]:
                leaves[i].attach_grad(step["grad_req"])
    return leaves


def run_mx(program: dict, leaves: dict, replay: Trace | None = None, upcast: bool = False
           ) -> tuple[dict, Trace]:  # fmt: skip
    """Run the steps with autogradviz; call it inside ``autograd.record()``.

    ``upcast`` turns every ``astype`` into a cast to float64 (for the float64 gradient run).
    """
    values, trace = dict(leaves), Trace()
    decisions = replay.decisions if replay else None
    dtype = next(iter(leaves.values())).dtype
    for paused, group in _groups(program["steps"]):
        with autograd.pause() if paused else contextlib.nullcontext():
            for i, step in group:
                if replay is not None and i in replay.cut:
                    values[i] = nd.array(replay.cut[i], dtype=dtype)
                    continue
                if upcast and step["op"] == "astype":
                    step = {**step, "attrs": {"dtype": "float64"}}
                values[i] = _step_mx(i, step, values, dtype, trace, decisions)
                if is_cut(step):
                    trace.cut[i] = values[i].asnumpy()
    return values, trace


def _arg_mx(arg: Any, values: dict, dtype: Any) -> Any:
    if isinstance(arg, int):
        return values[arg]
    if "scalar" in arg:
        return arg["scalar"]
    data = const_array(arg)
    return data.astype(dtype) if data.dtype.kind == "f" else data


def _step_mx(i: int, step: dict, values: dict, dtype: Any, trace: Trace, decisions: Any
             ) -> Any:  # fmt: skip
    args = [_arg_mx(a, values, dtype) for a in step["args"]]
    attrs, op, call = decode_attrs(step["attrs"]), step["op"], step["call"]
    if op == "detach":
        return args[0].detach()
    if op == "if":
        return _if_mx(i, args, attrs, trace, decisions)
    if op == "while":
        return _while_mx(i, args[0], attrs, trace, decisions)
    if op == "function":
        return ScaleInPlace(attrs["factor"])(args[0])
    if call == "operator":
        return OPERATORS[op](*args, *attrs.values())
    if call == "method":
        return getattr(args[0], op)(*args[1:], **attrs)
    return getattr(nd, op)(*args, **attrs)


class ScaleInPlace(autograd.Function):
    """``x * factor``, with a backward that scales the gradient it was given in place.

    Writing into ``dy`` is the user's right: the engine must have handed over an array that
    no other branch, head gradient or buffer shares (issue 12).
    """

    def __init__(self, factor: float) -> None:
        super().__init__()
        self.factor = factor

    def forward(self, x: Any) -> Any:
        return x * self.factor

    def backward(self, dy: Any) -> Any:
        dy *= self.factor
        return dy


def _if_mx(i: int, args: list, attrs: dict, trace: Trace, decisions: Any) -> Any:
    test, x = args
    if decisions is None:
        reduced = getattr(nd, attrs["reduce"])(test)
        taken = bool(reduced > attrs["threshold"])  # NDArray.__bool__, as user code does
    else:
        taken = decisions[i]
    trace.decisions[i] = taken
    return getattr(x, attrs["then"] if taken else attrs["else"])()


def _while_mx(i: int, x: Any, attrs: dict, trace: Trace, decisions: Any) -> Any:
    count = 0
    if decisions is None:
        while count < attrs["max_iter"] and (nd.norm(x) < attrs["bound"]).asscalar():
            x, count = x * attrs["factor"], count + 1
    else:
        for _ in range(decisions[i]):
            x, count = x * attrs["factor"], count + 1
    trace.decisions[i] = count
    # No iteration: the loop's result is its input, the same array (still in the graph,
    # even inside pause()); a new array keeps "a paused step's value is a constant" true.
    return x * 1.0 if count == 0 else x


# ------------------------------------------------------------------------------- numpy


def run_numpy(program: dict, values: dict | None = None, replay: Trace | None = None) -> tuple:
    """Run the steps with numpy in float64 (``REFERENCES`` of ``tests/op_samples.py``)."""
    out = {}
    for i, step in enumerate(program["steps"]):
        if step["op"] == "leaf":
            out[i] = leaf_array(step) if values is None or i not in values else values[i]
    trace = Trace()
    decisions = replay.decisions if replay else None
    with np.errstate(all="ignore"):
        for _, group in _groups(program["steps"]):
            for i, step in group:
                if replay is not None and i in replay.cut:
                    out[i] = replay.cut[i]
                    continue
                out[i] = np.asarray(_step_numpy(i, step, out, trace, decisions), dtype=float)
                if is_cut(step):
                    trace.cut[i] = out[i]
    return out, trace


def _step_numpy(i: int, step: dict, values: dict, trace: Trace, decisions: Any) -> Any:
    args = [
        values[a] if isinstance(a, int) else a["scalar"] if "scalar" in a else const_array(a)
        for a in step["args"]
    ]
    attrs, op = decode_attrs(step["attrs"]), step["op"]
    if op == "detach" or op == "astype":  # float64 throughout: a cast changes nothing
        return args[0]
    if op == "if":
        return _if_numpy(i, args, attrs, trace, decisions)
    if op == "while":
        return _while_numpy(i, args[0], attrs, trace, decisions)
    if op == "function":
        return args[0] * attrs["factor"]
    if decisions is None:
        trace.margins.extend(_margins(op, args, attrs))
    return reference(op, args, attrs)


def _if_numpy(i: int, args: list, attrs: dict, trace: Trace, decisions: Any) -> Any:
    test, x = args
    if decisions is None:
        reduced = float(REDUCERS[attrs["reduce"]](test)) if test.size else 0.0
        trace.margins.append((_relative(reduced - attrs["threshold"], reduced), "if"))
        taken = reduced > attrs["threshold"]
    else:
        taken = decisions[i]
    trace.decisions[i] = bool(taken)
    return REFERENCES[attrs["then"] if taken else attrs["else"]](x)


def _while_numpy(i: int, x: Any, attrs: dict, trace: Trace, decisions: Any) -> Any:
    count, limit = 0, attrs["max_iter"] if decisions is None else decisions[i]
    while count < limit:
        if decisions is None:
            norm = float(np.sqrt(np.sum(x * x)))
            trace.margins.append((_relative(norm - attrs["bound"], norm), "while"))
            if norm >= attrs["bound"]:
                break
        x, count = x * attrs["factor"], count + 1
    trace.decisions[i] = count
    return x


# ------------------------------------------------------------------------------- margins
# How close a value comes to a point where the op is not smooth (or a comparison flips). A
# program too close to one is rejected: finite differences and float32 would straddle it.


def _relative(distance: Any, value: Any) -> float:
    distance = np.abs(np.asarray(distance, dtype=np.float64))
    if distance.size == 0:
        return np.inf
    return float(np.min(distance / (1 + np.abs(np.asarray(value, dtype=np.float64)))))


def _gap(x: np.ndarray, axis: Any, exclude: bool, lowest: bool) -> float:
    """Smallest gap between the two largest (or smallest) elements of each reduced group."""
    ndim = x.ndim
    axes = range(ndim) if axis is None else np.atleast_1d(axis) % max(ndim, 1)
    axes = sorted({int(a) for a in axes})
    if exclude and axis is not None:
        axes = [a for a in range(ndim) if a not in axes]
    n = int(np.prod([x.shape[a] for a in axes]))
    if n < 2 or x.size == 0:
        return np.inf
    groups = np.sort(np.moveaxis(x, axes, range(ndim - len(axes), ndim)).reshape(-1, n), axis=1)
    gap = groups[:, 1] - groups[:, 0] if lowest else groups[:, -1] - groups[:, -2]
    return _relative(gap, groups[:, 0] if lowest else groups[:, -1])


def _nearest_integer(x: Any) -> Any:
    return x - np.round(x)


def _nearest_half(x: Any) -> Any:
    return x - np.floor(x) - 0.5


KINKS: dict[str, Callable] = {
    **{name: lambda x, **a: x for name in ("abs", "relu", "sign", "leaky_relu", "softsign")},
    **{name: _nearest_integer for name in ("floor", "ceil", "trunc", "fix")},
    **{name: _nearest_half for name in ("round", "rint")},
    "clip": lambda x, a_min, a_max: np.minimum(np.abs(x - a_min), np.abs(x - a_max)),
    **{name: lambda x, y: np.subtract(x, y) for name in (
        "maximum", "minimum", "equal", "not_equal", "greater", "greater_equal", "less",
        "less_equal")},
}  # fmt: skip


def _margins(op: str, args: list, attrs: dict) -> list:
    if op in KINKS:
        arrays = [a for a in args if not isinstance(a, (int, float))] or [0.0]
        distance = KINKS[op](*args, **{k: v for k, v in attrs.items() if k != "slope"})
        return [(_relative(distance, np.abs(arrays[0])), op)]
    if op in ("max", "min", "argmax", "argmin"):
        lowest = op.endswith("min")
        return [(_gap(args[0], attrs.get("axis"), attrs.get("exclude", False), lowest), op)]
    if op == "norm":
        x = args[0]
        if attrs.get("ord", 2) == 1:
            return [(_relative(x, x), op)]
        return [(_relative(REFERENCES["norm"](x, **attrs), 0.0), op)]
    return []
