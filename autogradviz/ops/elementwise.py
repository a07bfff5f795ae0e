"""Elementwise ops: arithmetic with broadcasting, comparisons, ``where``, ``clip``, unary math.

Each entry: the numpy forward, one VJP rule per input (written with NDArray operators, so
rules are differentiable again), and the derivative as one line of text.
Imports numpy and the registry only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .registry import alias, defop, unbroadcast
from .rounding import rounded

_LN2, _LN10 = float(np.log(2.0)), float(np.log(10.0))  # Python floats keep float32 float32


def _log(x: Any) -> Any:
    """log of an NDArray (recorded) or of a Python scalar base such as in ``2 ** x``."""
    return x.log() if hasattr(x, "_node") else float(np.log(x))


# --------------------------------------------------------------------------- binary arithmetic
# ``y`` may be a Python scalar; its rule then never runs (scalars need no gradient).

defop("add", np.add,
      lambda grad_out, out, x, y: unbroadcast(grad_out, x.shape),
      lambda grad_out, out, x, y: unbroadcast(grad_out, y.shape),
      formula="d/dx (x + y) = 1,  d/dy (x + y) = 1", n_inputs=2)  # fmt: skip
defop("subtract", np.subtract,
      lambda grad_out, out, x, y: unbroadcast(grad_out, x.shape),
      lambda grad_out, out, x, y: unbroadcast(-grad_out, y.shape),
      formula="d/dx (x - y) = 1,  d/dy (x - y) = -1", n_inputs=2)  # fmt: skip
defop("multiply", np.multiply,
      lambda grad_out, out, x, y: unbroadcast(grad_out * y, x.shape),
      lambda grad_out, out, x, y: unbroadcast(grad_out * x, y.shape),
      formula="d/dx (x * y) = y,  d/dy (x * y) = x", n_inputs=2)  # fmt: skip
defop("divide", np.true_divide,
      lambda grad_out, out, x, y: unbroadcast(grad_out / y, x.shape),
      lambda grad_out, out, x, y: unbroadcast(-grad_out * x / (y * y), y.shape),
      formula="d/dx (x / y) = 1/y,  d/dy (x / y) = -x/y²", n_inputs=2)  # fmt: skip


def _power_dx(grad_out: Any, out: Any, x: Any, y: Any) -> Any:
    """d/dx x^y = y·x^(y-1), and exactly 0 where y = 0 (x^0 is constant), also at x = 0.

    The third derivative of x³ is a rule for ``x ** 0``: written as 0·x^(-1) it would be
    0·inf = NaN at 0. An array of exponents gets x replaced by 1 where both x and y are 0,
    so no branch of the rule (or of its own derivative) computes 0^(-1) there; elsewhere
    the rule is untouched (its derivative in y at y = 0 is 1/x).
    """
    if not hasattr(y, "_node"):  # a Python number: x ** 3
        if y == 0:
            return unbroadcast(grad_out * 0.0, x.shape)
        return unbroadcast(grad_out * y * x ** (y - 1), x.shape)
    both_zero = (y == 0) * (x == 0)  # a mask: no gradient flows through it
    base = x + both_zero  # x, or 1 where x and the exponent are 0
    return unbroadcast(grad_out * y * base ** (y - 1), x.shape)


defop("power", np.power,
      _power_dx,
      lambda grad_out, out, x, y: unbroadcast(grad_out * out * _log(x), y.shape),
      formula="d/dx x^y = y·x^(y-1),  d/dy x^y = x^y·log(x)", n_inputs=2)  # fmt: skip
defop("maximum", np.maximum,
      lambda grad_out, out, x, y: unbroadcast(grad_out * (x >= y), x.shape),
      lambda grad_out, out, x, y: unbroadcast(grad_out * (x < y), y.shape),
      formula="d/dx max(x, y) = [x >= y],  d/dy max(x, y) = [x < y]", n_inputs=2)  # fmt: skip
defop("minimum", np.minimum,
      lambda grad_out, out, x, y: unbroadcast(grad_out * (x <= y), x.shape),
      lambda grad_out, out, x, y: unbroadcast(grad_out * (x > y), y.shape),
      formula="d/dx min(x, y) = [x <= y],  d/dy min(x, y) = [x > y]", n_inputs=2)  # fmt: skip

for _name in ("add", "subtract", "multiply", "divide", "power", "maximum", "minimum"):
    alias(f"broadcast_{_name}", _name)
alias("broadcast_sub", "subtract")
alias("broadcast_mul", "multiply")
alias("broadcast_div", "divide")
alias("broadcast_plus", "add")
alias("broadcast_minus", "subtract")
alias("elemwise_add", "add")
alias("elemwise_sub", "subtract")
alias("elemwise_mul", "multiply")
alias("elemwise_div", "divide")


# --------------------------------------------------------------------------- comparisons
# They return 0/1 arrays in the inputs' dtype (MXNet's convention) and pass no gradient.


def _compare(ufunc: np.ufunc) -> Callable[..., np.ndarray]:
    def forward(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        dtype = np.result_type(x, y)
        return ufunc(x, y).astype(dtype if dtype.kind == "f" else np.float32)

    return forward


for _name, _ufunc, _symbol in [
    ("equal", np.equal, "=="), ("not_equal", np.not_equal, "!="),
    ("greater", np.greater, ">"), ("greater_equal", np.greater_equal, ">="),
    ("less", np.less, "<"), ("less_equal", np.less_equal, "<="),
]:  # fmt: skip
    defop(_name, _compare(_ufunc), None, None, n_inputs=2,
          formula=f"x {_symbol} y is piecewise constant: gradient 0")  # fmt: skip
    alias(f"broadcast_{_name}", _name)
alias("lesser", "less")
alias("lesser_equal", "less_equal")
alias("broadcast_lesser", "less")
alias("broadcast_lesser_equal", "less_equal")


# --------------------------------------------------------------------------- where and clip
# ``where`` routes each gradient element to the input it was taken from; ``condition`` gets none.


def _mask(mask: Any, grad_out: Any) -> Any:
    """Return a 0/1 mask in ``grad_out``'s dtype.

    An integer condition gives float32 masks, which would turn a float16 gradient into float32.
    """
    return mask.astype(grad_out.dtype)


defop("where", lambda condition, x, y: np.where(condition != 0, x, y),
      None,
      lambda grad_out, out, condition, x, y:
          unbroadcast(grad_out * _mask(condition != 0, grad_out), x.shape),
      lambda grad_out, out, condition, x, y:
          unbroadcast(grad_out * _mask(condition == 0, grad_out), y.shape),
      formula="d/dx where(c, x, y) = [c ≠ 0],  d/dy where(c, x, y) = [c = 0]",
      n_inputs=3, method=False)  # fmt: skip


def _clip(x: np.ndarray, a_min: float, a_max: float) -> np.ndarray:
    if a_min is None or a_max is None or a_min > a_max:
        raise ValueError(
            f"clip: needs a_min <= a_max, got a_min={a_min} and a_max={a_max} (array shape "
            f"{x.shape}). Call it as nd.clip(x, a_min, a_max)."
        )
    return np.clip(x, a_min, a_max)


defop("clip", _clip,
      lambda grad_out, out, x, a_min, a_max: grad_out * ((x >= a_min) * (x <= a_max)),
      formula="d/dx clip(x, a_min, a_max) = [a_min <= x <= a_max]",
      attrs={"a_min": None, "a_max": None})  # fmt: skip


# --------------------------------------------------------------------------- unary math


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1)  # no overflow warning for large |x|


def _softrelu(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0, x).astype(x.dtype)


def _unary(name: str, forward: Callable[..., Any], rule: Any, formula: str) -> None:
    defop(name, forward, rule, formula=formula)


_unary("negative", np.negative, lambda grad_out, out, x: -grad_out, "d/dx (-x) = -1")
_unary("exp", rounded(np.exp), lambda grad_out, out, x: grad_out * out, "d/dx exp(x) = exp(x)")
_unary("expm1", rounded(np.expm1), lambda grad_out, out, x: grad_out * (out + 1),
       "d/dx (exp(x) - 1) = exp(x)")  # fmt: skip
_unary("log", rounded(np.log), lambda grad_out, out, x: grad_out / x, "d/dx log(x) = 1/x")
_unary("log1p", rounded(np.log1p), lambda grad_out, out, x: grad_out / (x + 1),
       "d/dx log(1 + x) = 1/(1 + x)")  # fmt: skip
_unary("log2", rounded(np.log2), lambda grad_out, out, x: grad_out / (x * _LN2),
       "d/dx log2(x) = 1/(x·ln 2)")  # fmt: skip
_unary("log10", rounded(np.log10), lambda grad_out, out, x: grad_out / (x * _LN10),
       "d/dx log10(x) = 1/(x·ln 10)")  # fmt: skip
_unary("sqrt", np.sqrt, lambda grad_out, out, x: grad_out * 0.5 / out,
       "d/dx sqrt(x) = 1/(2·sqrt(x))")  # fmt: skip
_unary("rsqrt", lambda x: 1 / np.sqrt(x), lambda grad_out, out, x: grad_out * -0.5 * out / x,
       "d/dx x^(-1/2) = -1/(2·x^(3/2))")  # fmt: skip
_unary("cbrt", np.cbrt, lambda grad_out, out, x: grad_out / (3 * out * out),
       "d/dx x^(1/3) = 1/(3·x^(2/3))")  # fmt: skip
_unary("square", np.square, lambda grad_out, out, x: grad_out * 2 * x, "d/dx x² = 2x")
_unary("reciprocal", np.reciprocal, lambda grad_out, out, x: -grad_out * out * out,
       "d/dx 1/x = -1/x²")  # fmt: skip
_unary("abs", np.abs, lambda grad_out, out, x: grad_out * x.sign(), "d/dx |x| = sign(x)")
_unary("sin", rounded(np.sin), lambda grad_out, out, x: grad_out * x.cos(), "d/dx sin(x) = cos(x)")
_unary(
    "cos", rounded(np.cos), lambda grad_out, out, x: -grad_out * x.sin(), "d/dx cos(x) = -sin(x)"
)
_unary("tan", rounded(np.tan), lambda grad_out, out, x: grad_out * (1 + out * out),
       "d/dx tan(x) = 1 + tan²(x)")  # fmt: skip
_unary("arcsin", rounded(np.arcsin), lambda grad_out, out, x: grad_out * (1 - x * x).rsqrt(),
       "d/dx arcsin(x) = 1/sqrt(1 - x²)")  # fmt: skip
_unary("arccos", rounded(np.arccos), lambda grad_out, out, x: -grad_out * (1 - x * x).rsqrt(),
       "d/dx arccos(x) = -1/sqrt(1 - x²)")  # fmt: skip
_unary("arctan", rounded(np.arctan), lambda grad_out, out, x: grad_out / (1 + x * x),
       "d/dx arctan(x) = 1/(1 + x²)")  # fmt: skip
_unary(
    "sinh",
    rounded(np.sinh),
    lambda grad_out, out, x: grad_out * x.cosh(),
    "d/dx sinh(x) = cosh(x)",
)
_unary(
    "cosh",
    rounded(np.cosh),
    lambda grad_out, out, x: grad_out * x.sinh(),
    "d/dx cosh(x) = sinh(x)",
)
_unary("tanh", rounded(np.tanh), lambda grad_out, out, x: grad_out * (1 - out * out),
       "d/dx tanh(x) = 1 - tanh²(x)")  # fmt: skip
_unary("sigmoid", _sigmoid, lambda grad_out, out, x: grad_out * out * (1 - out),
       "d/dx σ(x) = σ(x)·(1 - σ(x))")  # fmt: skip
_unary("relu", lambda x: np.maximum(x, 0), lambda grad_out, out, x: grad_out * (x > 0),
       "d/dx max(x, 0) = [x > 0]")  # fmt: skip
_unary("softrelu", _softrelu, lambda grad_out, out, x: grad_out * x.sigmoid(),
       "d/dx log(1 + exp(x)) = σ(x)")  # fmt: skip
_unary("softsign", lambda x: x / (1 + np.abs(x)),
       lambda grad_out, out, x: grad_out / ((1 + x.abs()) * (1 + x.abs())),
       "d/dx x/(1 + |x|) = 1/(1 + |x|)²")  # fmt: skip


def _round(x: np.ndarray) -> np.ndarray:
    """MXNet's ``round``: halves go away from zero (numpy's go to the even neighbour)."""
    half = np.abs(x - np.trunc(x)) == 0.5
    return np.where(half, np.trunc(x) + np.sign(x), np.round(x)).astype(x.dtype, copy=False)


def _rint(x: np.ndarray) -> np.ndarray:
    """MXNet's ``rint``: n.5 goes down to n (and -n.5 to -n-1)."""
    half = x - np.floor(x) == 0.5
    return np.where(half, np.floor(x), np.rint(x)).astype(x.dtype, copy=False)


_PIECEWISE_CONSTANT: list[tuple[str, Callable[..., Any]]] = [
    ("sign", np.sign), ("floor", np.floor), ("ceil", np.ceil), ("round", _round),
    ("rint", _rint), ("trunc", np.trunc), ("fix", np.fix),
]  # fmt: skip
for _name, _function in _PIECEWISE_CONSTANT:
    _unary(_name, _function, None, f"d/dx {_name}(x) = 0 (piecewise constant)")

defop("astype", lambda x, dtype: x.astype(dtype),
      lambda grad_out, out, x, dtype: grad_out.astype(x.dtype),
      formula="a cast keeps values: grad_x = grad_out cast back to x's dtype",
      attrs={"dtype": np.float32}, method=False)  # fmt: skip
defop("copy", np.copy, lambda grad_out, out, x: grad_out, formula="d/dx copy(x) = 1",
      method=False)  # fmt: skip
