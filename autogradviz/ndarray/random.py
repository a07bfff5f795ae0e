"""Random arrays (``nd.random.normal``, ``nd.random_normal``, ...) and ``seed``.

One numpy generator serves the whole package; ``seed(n)`` makes runs repeatable.
MXNet's own random streams cannot be reproduced, so values differ from MXNet's.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..context import Context, check_context
from ..errors import ShapeError
from .ndarray import NDArray

_generator = np.random.default_rng()


def seed(seed_state: int, ctx: Any = "all") -> None:
    """Reset the random generator so the following random arrays repeat."""
    global _generator
    _generator = np.random.default_rng(seed_state)


def generator() -> np.random.Generator:
    """Return the package's random generator (used by ``Dropout``)."""
    return _generator


def _shape(shape: Any, where: str) -> tuple[int, ...]:
    if shape is None or shape == ():
        return (1,)
    try:
        return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)
    except (TypeError, ValueError):
        raise TypeError(
            f"{where}: shape must be an int or a tuple of ints, got {type(shape).__name__}; "
            "pass e.g. shape=(2, 3)."
        ) from None


def _check_numbers(where: str, **values: Any) -> None:
    for key, value in values.items():
        if isinstance(value, (str, bytes)) or not isinstance(
            value, (numbers.Real, np.number, np.ndarray, NDArray)
        ):
            raise TypeError(
                f"{where}: {key} must be a number, got {type(value).__name__}; pass e.g. "
                f"{key}=1.0."
            )


def normal(
    loc: float = 0.0,
    scale: float = 1.0,
    shape: Any = None,
    dtype: Any = np.float32,
    ctx: Context | None = None,
    out: NDArray | None = None,
) -> NDArray:
    """Return samples from a normal distribution with mean ``loc`` and std ``scale``."""
    check_context(ctx, "random.normal")
    _check_numbers("random.normal", loc=loc, scale=scale)
    data = _generator.normal(loc, scale, _shape(shape, "random.normal")).astype(dtype)
    return _result(data, out)


def uniform(
    low: float = 0.0,
    high: float = 1.0,
    shape: Any = None,
    dtype: Any = np.float32,
    ctx: Context | None = None,
    out: NDArray | None = None,
) -> NDArray:
    """Return samples drawn uniformly from ``[low, high)``."""
    check_context(ctx, "random.uniform")
    _check_numbers("random.uniform", low=low, high=high)
    data = _generator.uniform(low, high, _shape(shape, "random.uniform")).astype(dtype)
    return _result(data, out)


def multinomial(
    data: NDArray, shape: Any = None, get_prob: bool = False, dtype: Any = np.int32
) -> NDArray:
    """Draw category indices from the probabilities in the last axis of ``data`` (int32)."""
    if not isinstance(data, (NDArray, np.ndarray, list, tuple)):
        raise TypeError(
            f"random.multinomial: data must be an NDArray of probabilities, got "
            f"{type(data).__name__}; pass e.g. nd.array([0.2, 0.8])."
        )
    try:
        probs = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"random.multinomial: data must hold numbers ({error}); pass e.g. "
            "nd.array([0.2, 0.8])."
        ) from None
    if probs.ndim == 0:
        raise ShapeError(
            "random.multinomial: data is a scalar (shape ()); pass probabilities along the "
            "last axis, e.g. nd.array([0.2, 0.8])."
        )
    probs = probs / probs.sum(axis=-1, keepdims=True)
    extra = () if shape is None else _shape(shape, "random.multinomial")
    flat = probs.reshape(-1, probs.shape[-1])
    draws = [_generator.choice(len(p), size=extra or None, p=p) for p in flat]
    out = np.asarray(draws, dtype=dtype).reshape(probs.shape[:-1] + extra or (1,))
    return NDArray(out)  # (one draw from one distribution: shape (1,), as in MXNet)


def _draw(where: str, draw: Any, shape: Any, dtype: Any, ctx: Any, out: Any,
          **numbers_: Any) -> NDArray:  # fmt: skip
    """Check the arguments, then ``draw(shape)`` from the generator, in ``dtype``."""
    check_context(ctx, where)
    _check_numbers(where, **numbers_)
    try:
        values = np.asarray(draw(_shape(shape, where)))
    except ValueError as error:  # numpy's "scale < 0", "low >= high", ...
        raise ValueError(
            f"{where}: {error} ({', '.join(f'{k}={v!r}' for k, v in numbers_.items())}); check "
            "the distribution's parameters."
        ) from None
    return _result(values.astype(dtype), out)


def exponential(scale: float = 1.0, shape: Any = None, dtype: Any = np.float32,
                ctx: Context | None = None, out: NDArray | None = None) -> NDArray:  # fmt: skip
    """Return samples from an exponential distribution with mean ``scale`` (1/λ)."""
    return _draw("random.exponential", lambda s: _generator.exponential(scale, s), shape, dtype,
                 ctx, out, scale=scale)  # fmt: skip


def gamma(alpha: float = 1.0, beta: float = 1.0, shape: Any = None, dtype: Any = np.float32,
          ctx: Context | None = None, out: NDArray | None = None) -> NDArray:  # fmt: skip
    """Return samples from a gamma distribution, shape ``alpha`` and scale ``beta``."""
    return _draw("random.gamma", lambda s: _generator.gamma(alpha, beta, s), shape, dtype, ctx,
                 out, alpha=alpha, beta=beta)  # fmt: skip


def poisson(lam: float = 1.0, shape: Any = None, dtype: Any = np.float32,
            ctx: Context | None = None, out: NDArray | None = None) -> NDArray:  # fmt: skip
    """Return samples from a Poisson distribution with rate ``lam`` (as floats, like MXNet)."""
    return _draw("random.poisson", lambda s: _generator.poisson(lam, s), shape, dtype, ctx, out,
                 lam=lam)  # fmt: skip


def randint(low: int, high: int, shape: Any = None, dtype: Any = np.int32,
            ctx: Context | None = None, out: NDArray | None = None) -> NDArray:  # fmt: skip
    """Return integers drawn uniformly from ``[low, high)``."""
    return _draw("random.randint", lambda s: _generator.integers(low, high, s), shape, dtype,
                 ctx, out, low=low, high=high)  # fmt: skip


def shuffle(data: NDArray) -> NDArray:
    """Return ``data`` with its first axis shuffled (a new array; the graph is not recorded)."""
    if isinstance(data, NDArray) and data.ndim == 0:
        raise ValueError("random.shuffle: data is a single number (shape ()); shuffle an "
                         "array with a first axis.")  # fmt: skip
    if not isinstance(data, NDArray):
        raise TypeError(
            f"random.shuffle: data must be an NDArray, got {type(data).__name__}; convert it "
            "with nd.array(...)."
        )
    return NDArray(_generator.permutation(data.asnumpy()))


def _result(data: np.ndarray, out: NDArray | None) -> NDArray:
    if out is None:
        return NDArray(data)
    out[...] = data
    return out


random_normal = normal
random_uniform = uniform
sample_multinomial = multinomial


def random_exponential(lam: float = 1.0, shape: Any = None, dtype: Any = np.float32,
                       ctx: Context | None = None,
                       out: NDArray | None = None) -> NDArray:  # fmt: skip
    """MXNet's legacy name: the exponential distribution with *rate* ``lam`` (mean 1/lam)."""
    _check_numbers("random_exponential", lam=lam)
    return exponential(1.0 / lam, shape, dtype, ctx, out)


random_gamma = gamma
random_poisson = poisson
random_randint = randint
