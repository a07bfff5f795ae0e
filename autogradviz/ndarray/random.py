"""Random arrays (``nd.random.normal``, ``nd.random_normal``, ...) and ``seed``.

One numpy generator serves the whole package; ``seed(n)`` makes runs repeatable.
MXNet's own random streams cannot be reproduced, so values differ from MXNet's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..context import Context, check_context
from .ndarray import NDArray

_generator = np.random.default_rng()


def seed(seed_state: int, ctx: Any = "all") -> None:
    """Reset the random generator so the following random arrays repeat."""
    global _generator
    _generator = np.random.default_rng(seed_state)


def generator() -> np.random.Generator:
    """Return the package's random generator (used by ``Dropout``)."""
    return _generator


def _shape(shape: Any) -> tuple[int, ...]:
    if shape is None or shape == ():
        return (1,)
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)


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
    data = _generator.normal(loc, scale, _shape(shape)).astype(dtype)
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
    data = _generator.uniform(low, high, _shape(shape)).astype(dtype)
    return _result(data, out)


def multinomial(
    data: NDArray, shape: Any = None, get_prob: bool = False, dtype: Any = np.int32
) -> NDArray:
    """Draw category indices from the probabilities in the last axis of ``data`` (int32)."""
    probs = np.asarray(data, dtype=np.float64)
    probs = probs / probs.sum(axis=-1, keepdims=True)
    extra = () if shape is None else ((int(shape),) if np.ndim(shape) == 0 else tuple(shape))
    flat = probs.reshape(-1, probs.shape[-1])
    draws = [_generator.choice(len(p), size=extra or None, p=p) for p in flat]
    out = np.asarray(draws, dtype=dtype).reshape(probs.shape[:-1] + extra)
    return NDArray(out)


def _result(data: np.ndarray, out: NDArray | None) -> NDArray:
    if out is None:
        return NDArray(data)
    out[...] = data
    return out


random_normal = normal
random_uniform = uniform
sample_multinomial = multinomial
