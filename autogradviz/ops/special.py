"""MXNet's elementwise functions beyond numpy's: angles, inverse hyperbolics, special functions.

``degrees``, ``radians``, ``arcsinh``, ``arccosh``, ``arctanh``, ``rcbrt``, ``log_sigmoid``,
and the special functions ``erf``, ``erfinv``, ``gamma``, ``gammaln``.

``gamma`` and ``gammaln`` differentiate to the polygamma functions ψ⁽ⁿ⁾ (ψ = ψ⁽⁰⁾ is the
digamma function), so ``polygamma`` is an op too: its rule is the next one, which gives every
order of derivative. numpy has none of these special functions, so they are computed here in
float64 (``erf`` and ``gamma`` from Python's ``math``; ``erfinv`` by Newton's method on
``erf``; ψ⁽ⁿ⁾ by its recurrence and asymptotic series) and returned in the input's dtype.
Imports numpy, the standard library and the registry only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import ArgumentError
from .registry import defop
from .rounding import rounded

_SQRT_PI = math.sqrt(math.pi)


def _in_float64(function: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], Any]:
    """Compute ``function`` in float64 and return the input's float dtype (float32 for ints)."""

    def forward(x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):  # poles and |x| > 1 give inf and NaN, as in MXNet
            out = function(np.asarray(x, dtype=np.float64))
        return out.astype(x.dtype if x.dtype.kind == "f" else np.float32)

    return forward


def _gamma_at(value: float) -> float:
    try:
        return math.gamma(value)
    except OverflowError:  # past 171.6
        return math.inf
    except ValueError:  # a pole: ±inf at ±0 (as C's tgamma, MXNet's), NaN at -1, -2, ..., -inf
        return math.copysign(math.inf, value) if value == 0 else math.nan


def _gammaln_at(value: float) -> float:
    try:
        return math.lgamma(value)
    except ValueError:  # a pole of log|Γ|
        return math.inf


_erf = np.vectorize(math.erf, otypes=[np.float64])  # (math.erf and erfc never refuse a value)
_erfc = np.vectorize(math.erfc, otypes=[np.float64])
_gamma = np.vectorize(_gamma_at, otypes=[np.float64])
_gammaln = np.vectorize(_gammaln_at, otypes=[np.float64])


def _erfinv(x: np.ndarray) -> np.ndarray:
    """Invert erf: a rational first guess, then Newton's method.

    On ``erf`` near 0; near ±1 on ``erfc(|y|) = 1 - |x|``, which keeps its digits there
    (erf itself rounds to 1 long before erfinv's answer stops growing).
    """
    w = -np.log((1 - x) * (1 + x))
    guess = np.where(w < 5, _central_guess(w - 2.5), _tail_guess(np.sqrt(np.maximum(w, 5)) - 3))
    y = np.abs(guess * x)
    magnitude, tail = np.abs(x), np.abs(x) > 0.5
    for _ in range(6):  # Newton: each step (nearly) squares the error
        slope = 2 / _SQRT_PI * np.exp(-y * y)
        rest = _erfc(y)  # in the tail, on log erfc(y) = log(1 - |x|): almost a straight line
        step = np.where(tail, (np.log(1 - magnitude) - np.log(rest)) * rest / slope,
                        (_erf(y) - magnitude) / slope)  # fmt: skip
        y = np.where(np.isfinite(step), y - step, y)
    y = np.copysign(y, x)
    return np.where(magnitude == 1, np.copysign(np.inf, x), np.where(magnitude > 1, np.nan, y))


def _central_guess(w: np.ndarray) -> np.ndarray:
    p = np.full_like(w, 2.81022636e-08)
    for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
              -0.00417768164, 0.246640727, 1.50140941):  # fmt: skip
        p = c + p * w
    return p


def _tail_guess(w: np.ndarray) -> np.ndarray:
    p = np.full_like(w, -0.000200214257)
    for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
              0.00943887047, 1.00167406, 2.83297682):  # fmt: skip
        p = c + p * w
    return p


MAX_SHIFTS = 100_000  # ψ⁽ⁿ⁾ of x below about -100,000 is NaN (the recurrence would be slow)
# Bernoulli numbers B2, B4, ..., B16: the asymptotic series of the polygamma functions.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)


def polygamma_values(n: int, x: np.ndarray) -> np.ndarray:
    """ψ⁽ⁿ⁾(x) in float64: shift x up past 10 + 2n by the recurrence, then the series.

    ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x + 1) - (-1)ⁿ n! / xⁿ⁺¹ moves every x far from 0, where
    ψ⁽ⁿ⁾(x) ~ (-1)ⁿ⁺¹ [(n-1)!/xⁿ + n!/(2xⁿ⁺¹) + Σₖ B₂ₖ (2k+n-1)!/((2k)! x²ᵏ⁺ⁿ)]
    (and ψ(x) ~ ln x - 1/(2x) - Σₖ B₂ₖ/(2k x²ᵏ)) converges fast.
    """
    x = np.array(x, dtype=np.float64)
    total = np.zeros_like(x)
    sign_factorial = (-1) ** n * math.factorial(n)
    start = 10.0 + 2 * n
    finite = x[np.isfinite(x)]
    lowest = finite.min() if finite.size else start
    for _ in range(int(min(MAX_SHIFTS, max(0.0, start - lowest))) + 1):
        low = x < start
        if not low.any():
            break
        total[low] -= sign_factorial / x[low] ** (n + 1)
        x[low] += 1
    total[x < start] = np.nan  # below -MAX_SHIFTS: not computed
    if n == 0:
        series = np.log(x) - 0.5 / x
        for k, b in enumerate(_BERNOULLI, start=1):
            series -= b / (2 * k * x ** (2 * k))
    else:
        series = math.factorial(n - 1) / x**n + math.factorial(n) / (2 * x ** (n + 1))
        for k, b in enumerate(_BERNOULLI, start=1):
            series += (
                b * math.factorial(2 * k + n - 1) / (math.factorial(2 * k) * x ** (2 * k + n))
            )
        series *= (-1) ** (n + 1)
    return total + series


MAX_ORDER = 100  # ψ⁽ⁿ⁾ for n beyond this overflows float64's factorials


def _polygamma(x: np.ndarray, n: int) -> np.ndarray:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or not 0 <= n <= MAX_ORDER:
        raise ArgumentError(
            f"polygamma: n={n!r} must be a whole number from 0 to {MAX_ORDER} (input shape "
            f"{x.shape}); n=0 is the digamma function, n=1 the trigamma."
        )
    return _in_float64(lambda v: polygamma_values(int(n), v))(x)


def _unary(name: str, forward: Callable[..., Any], rule: Any, formula: str) -> None:
    defop(name, forward, rule, formula=formula)


_TO_RADIANS, _TO_DEGREES = math.pi / 180, 180 / math.pi


def _floats(x: np.ndarray) -> np.ndarray:
    """Integer input becomes float32 (MXNet's default), as the other functions here give."""
    return x if x.dtype.kind == "f" else x.astype(np.float32)


_unary("radians", lambda x: _floats(x) * _TO_RADIANS,
       lambda grad_out, out, x: grad_out * _TO_RADIANS, "d/dx (x·π/180) = π/180")  # fmt: skip
_unary("degrees", lambda x: _floats(x) * _TO_DEGREES,
       lambda grad_out, out, x: grad_out * _TO_DEGREES, "d/dx (x·180/π) = 180/π")  # fmt: skip
_unary("rcbrt", lambda x: 1 / np.cbrt(_floats(x)),
       lambda grad_out, out, x: grad_out * (-1 / 3) * out / x,
       "d/dx x^(-1/3) = -1/(3·x^(4/3))")  # fmt: skip
_unary("arcsinh", rounded(np.arcsinh), lambda grad_out, out, x: grad_out * (x * x + 1).rsqrt(),
       "d/dx arcsinh(x) = 1/sqrt(x² + 1)")  # fmt: skip
_unary("arccosh", rounded(np.arccosh), lambda grad_out, out, x: grad_out * (x * x - 1).rsqrt(),
       "d/dx arccosh(x) = 1/sqrt(x² - 1)")  # fmt: skip
_unary("arctanh", rounded(np.arctanh), lambda grad_out, out, x: grad_out / (1 - x * x),
       "d/dx arctanh(x) = 1/(1 - x²)")  # fmt: skip
_unary("log_sigmoid", lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))),
       lambda grad_out, out, x: grad_out * (-x).sigmoid(),
       "d/dx log σ(x) = 1 - σ(x) = σ(-x)")  # fmt: skip
_unary("erf", _in_float64(_erf),
       lambda grad_out, out, x: grad_out * (2 / _SQRT_PI) * (-x * x).exp(),
       "d/dx erf(x) = 2/sqrt(π)·exp(-x²)")  # fmt: skip
_unary("erfinv", _in_float64(_erfinv),
       lambda grad_out, out, x: grad_out * (_SQRT_PI / 2) * (out * out).exp(),
       "d/dx erfinv(x) = sqrt(π)/2·exp(erfinv(x)²)")  # fmt: skip
_unary("gamma", _in_float64(_gamma), lambda grad_out, out, x: grad_out * out * x.polygamma(n=0),
       "d/dx Γ(x) = Γ(x)·ψ(x)  (ψ: the digamma function)")  # fmt: skip
_unary("gammaln", _in_float64(_gammaln), lambda grad_out, out, x: grad_out * x.polygamma(n=0),
       "d/dx ln|Γ(x)| = ψ(x)  (ψ: the digamma function)")  # fmt: skip
defop("polygamma", _polygamma,
      lambda grad_out, out, x, n: grad_out * x.polygamma(n=n + 1),
      formula="d/dx ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁺¹⁾(x)  (ψ⁽⁰⁾: digamma, ψ⁽¹⁾: trigamma)",
      attrs={"n": 0})  # fmt: skip
