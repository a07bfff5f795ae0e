"""The Hypothesis strategy: random programs over the op table, kept inside every op's domain.

A :class:`Builder` grows a program one step at a time. It knows each value's shape and a
bound on its magnitude, so it can keep inputs in range: values that might grow too large are
scaled down (``x * c``), and ops with a restricted domain (``log``, ``arcsin``, ...) get their
input through an *adapter* made of other ops (``sigmoid(x) + 0.2`` is positive). Output shapes
come from the numpy references of ``tests/op_samples.py``; a proposal they reject (a bad
axis, an impossible reshape) is simply not used.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import hypothesis.strategies as st
import numpy as np

from .program import const_array, decode_attrs, reference

LIMIT = 8.0  # values are scaled down to this bound before ops that amplify them
MAX_SIZE = 256  # elements per value: tile, take, ... must not grow arrays without end
DIMS = [1, 2, 3, 2, 1, 3, 2, 1, 2, 3, 2, 0]  # Hypothesis shrinks towards the first entry


@dataclass
class Value:
    """What the builder knows about a value: its shape, a magnitude bound, graph membership."""

    shape: tuple
    bound: float
    live: bool  # in the recorded graph, so it may be a head


class Builder:
    """Grows one program; ``draw`` is Hypothesis's, ``rng`` makes the numbers."""

    def __init__(self, draw: Callable, rng: np.random.Generator, dtype: str) -> None:
        self.draw, self.rng, self.dtype = draw, rng, dtype
        self.steps: list[dict] = []
        self.values: list[Value] = []
        self.paused = False

    # ----------------------------------------------------------------- leaves and picking
    def leaf(self, shape: tuple, variable: bool | None = None) -> int:
        if variable is None:
            variable = self.draw(st.booleans()) or not self.values
        values = self.rng.uniform(-1.5, 1.5, shape).astype(self.dtype).astype(float)
        if self.draw(st.integers(0, 5)) == 0:  # exact zeros: the singular points of x ** k,
            values[self.rng.random(shape) < 0.4] = 0.0  # prod, ... (their kinks are rejected)
        grad_req = self.draw(st.sampled_from(["write", "add"])) if variable else "null"
        step = {"op": "leaf", "shape": list(shape), "values": values.ravel().tolist(),
                "variable": variable, "grad_req": grad_req}  # fmt: skip
        return self._add(step, Value(tuple(shape), 1.5, variable))

    def shape(self, max_ndim: int = 3) -> tuple:
        ndim = self.draw(st.integers(0, max_ndim))
        return tuple(self.draw(st.sampled_from(DIMS)) for _ in range(ndim))

    def pick(self, ok: Callable[[Value], bool] = lambda v: True) -> int | None:
        """A value satisfying ``ok``, preferring recent ones (reuse gives fan-out)."""
        ids = [i for i, v in enumerate(self.values) if ok(v)]
        if not ids:
            return None
        back = self.draw(st.integers(0, min(len(ids), 6) - 1))
        return ids[-1 - back] if self.draw(st.booleans()) else ids[back % len(ids)]

    def any(self) -> int:
        found = self.pick()
        return found if found is not None else self.leaf(self.shape())

    def compatible_shape(self, shape: tuple) -> tuple:
        """A shape that broadcasts with ``shape`` (some axes 1, maybe fewer or more axes)."""
        out = [1 if self.draw(st.integers(0, 3)) == 0 else s for s in shape]
        drop = self.draw(st.integers(0, len(out)))
        out = out[drop:] if self.draw(st.integers(0, 2)) == 0 else out
        if self.draw(st.integers(0, 5)) == 0:
            out = [self.draw(st.sampled_from([2, 1]))] + out
        return tuple(out)

    def partner(self, x: int) -> int:
        """A value (or a new leaf) whose shape broadcasts with ``x``'s."""
        shape = self.values[x].shape
        found = self.pick(lambda v: _broadcasts(v.shape, shape))
        if found is not None and self.draw(st.booleans()):
            return found
        return self.leaf(self.compatible_shape(shape))

    # ----------------------------------------------------------------- adding steps
    def _add(self, step: dict, value: Value) -> int:
        self.steps.append(step)
        self.values.append(value)
        return len(self.values) - 1

    def op(self, name: str, args: list, attrs: dict | None = None, bound: float | None = None,
           call: str | None = None) -> int | None:  # fmt: skip
        """Add ``name(*args, **attrs)``; ``None`` if the numpy reference rejects the call."""
        attrs = attrs or {}
        shape = _reference_shape(name, [self._dummy(a) for a in args], attrs)
        if shape is None or math.prod(shape) > MAX_SIZE:
            return None
        if call is None:
            call = self.draw(st.sampled_from(CALLS.get(name, ["function", "method"])))
        if call == "method" and not isinstance(args[0], int):
            call = "function"  # a scalar has no methods
        ids = [a for a in args if isinstance(a, int)]
        live = not self.paused and any(self.values[a].live for a in ids)
        if bound is None:
            bound = max([self.values[a].bound for a in ids] or [1.0])
        step = {"op": name, "args": args, "attrs": attrs, "call": call, "paused": self.paused}
        return self._add(step, Value(shape, float(bound), live))

    def _dummy(self, arg: Any) -> Any:
        if isinstance(arg, int):
            return np.full(self.values[arg].shape, 0.5)
        return arg["scalar"] if "scalar" in arg else const_array(arg)

    def special(self, name: str, args: list, attrs: dict, shape: tuple, bound: float) -> int:
        """Add a ``detach``/``if``/``while`` step (not in the op table)."""
        live = name != "detach" and not self.paused and self.values[args[-1]].live
        step = {"op": name, "args": args, "attrs": attrs, "call": "special",
                "paused": self.paused}  # fmt: skip
        return self._add(step, Value(shape, float(bound), live))

    def within(self, x: int, limit: float) -> int:
        """``x`` itself, or ``x * c`` scaled so that its bound is at most ``limit``."""
        bound = self.values[x].bound
        if bound <= limit:
            return x
        scale = float(np.float32(limit / bound))
        return self.op("multiply", [x, {"scalar": scale}], bound=bound * scale,
                       call="operator")  # fmt: skip

    def scalar(self, low: float, high: float) -> dict:
        return {"scalar": round(float(self.rng.uniform(low, high)), 3)}

    def const(self, data: np.ndarray) -> dict:
        return {"const": data.ravel().tolist(), "shape": list(data.shape),
                "dtype": str(data.dtype)}  # fmt: skip


def _broadcasts(a: tuple, b: tuple) -> bool:
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True


def _reference_shape(name: str, inputs: list, attrs: dict) -> tuple | None:
    try:
        with np.errstate(all="ignore"):
            out = reference(name, inputs, decode_attrs(attrs))
    except Exception:  # the reference says the call is invalid: do not use it
        return None
    return np.shape(out)


OPERATOR_OPS = ["add", "subtract", "multiply", "divide", "power", "equal", "not_equal",
                "greater", "greater_equal", "less", "less_equal"]  # fmt: skip
CALLS = {
    **{name: ["operator", "function", "method"] for name in OPERATOR_OPS},
    "negative": ["operator", "function", "method"],
    "abs": ["operator", "function", "method"],
    "getitem": ["operator"],
    **{name: ["function"] for name in ("where", "concat", "stack", "dropout", "one_hot")},
    **{name: ["method"] for name in ("copy", "astype")},
}


def positive(b: Builder, x: int) -> int:
    """An adapter whose output lies in about [0.1, 2.8]: the domain of log, sqrt, ...."""
    kind = b.draw(st.integers(0, 5))
    if kind == 0:
        return b.op("add", [b.op("sigmoid", [x], bound=1), {"scalar": 0.2}], bound=1.2)
    if kind == 1:
        return b.op("exp", [b.within(x, 1.0)], bound=math.e)
    if kind == 2:
        return b.op("add", [b.op("square", [b.within(x, 1.0)], bound=1), {"scalar": 0.25}],
                    bound=1.25)  # fmt: skip
    if kind == 3:
        soft = b.op("softrelu", [b.within(x, 2.0)], bound=2.2)
        return b.op("add", [soft, {"scalar": 0.1}], bound=2.3)
    if kind == 4:
        return b.op("add", [{"scalar": 0.3}, b.op("abs", [b.within(x, 1.0)], bound=1)],
                    bound=1.3, call="operator")  # fmt: skip
    return b.op("cosh", [b.within(x, 1.0)], bound=1.6)


def nonzero(b: Builder, x: int) -> int:
    """An adapter whose output is at least 0.1 away from zero, of either sign."""
    y = positive(b, x)
    return b.op("negative", [y]) if b.draw(st.booleans()) else y


def unit(b: Builder, x: int) -> int:
    """An adapter into [-0.9, 0.9]: the domain of arcsin and arccos."""
    return b.op("multiply", [b.op("tanh", [x], bound=1), {"scalar": 0.9}], bound=0.9)
