"""Creating arrays: ``array``, ``zeros``, ``ones``, ``full``, ``empty``, ``arange``, ``eye``, ...

Arrays are float32 unless a ``dtype`` is given (MXNet's default, even for integer data).
Created arrays are constants: they join a graph only through ``attach_grad``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..context import Context, check_context
from .ndarray import NDArray

DEFAULT_DTYPE = np.float32


def _shape(shape: Any) -> tuple[int, ...]:
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)


def array(source: Any, ctx: Context | None = None, dtype: Any = None) -> NDArray:
    """Return a new NDArray holding a copy of ``source`` (a list, numpy array or NDArray).

    Examples
    --------
    >>> from autogradviz import nd
    >>> nd.array([1, 2, 3])
    <BLANKLINE>
    [1. 2. 3.]
    <NDArray 3 @cpu(0)>
    """
    check_context(ctx, "array")
    if isinstance(source, NDArray):
        source = source._data
    return NDArray(np.array(source, dtype=dtype if dtype is not None else DEFAULT_DTYPE))


def zeros(shape: Any, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE) -> NDArray:
    """Return an array of zeros with the given shape."""
    check_context(ctx, "zeros")
    return NDArray(np.zeros(_shape(shape), dtype=dtype))


def ones(shape: Any, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE) -> NDArray:
    """Return an array of ones with the given shape."""
    check_context(ctx, "ones")
    return NDArray(np.ones(_shape(shape), dtype=dtype))


def full(
    shape: Any, val: float, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE
) -> NDArray:
    """Return an array of the given shape filled with ``val``."""
    check_context(ctx, "full")
    return NDArray(np.full(_shape(shape), val, dtype=dtype))


def empty(shape: Any, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE) -> NDArray:
    """Return an array of the given shape; its values are meaningless until written."""
    check_context(ctx, "empty")
    return NDArray(np.empty(_shape(shape), dtype=dtype))


def arange(
    start: float,
    stop: float | None = None,
    step: float = 1.0,
    repeat: int = 1,
    ctx: Context | None = None,
    dtype: Any = DEFAULT_DTYPE,
) -> NDArray:
    """Return evenly spaced values in ``[start, stop)``, each repeated ``repeat`` times."""
    check_context(ctx, "arange")
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    return NDArray(np.repeat(values, repeat).astype(dtype))


def eye(
    N: int, M: int = 0, k: int = 0, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE
) -> NDArray:
    """Return an ``N×M`` matrix with ones on diagonal ``k`` (``M=0`` means ``M=N``)."""
    check_context(ctx, "eye")
    return NDArray(np.eye(N, M or N, k, dtype=dtype))


def zeros_like(data: NDArray) -> NDArray:
    """Return zeros with the shape and dtype of ``data``."""
    return NDArray(np.zeros_like(np.asarray(data)))


def ones_like(data: NDArray) -> NDArray:
    """Return ones with the shape and dtype of ``data``."""
    return NDArray(np.ones_like(np.asarray(data)))


def waitall() -> None:
    """Wait for all computations (numpy is synchronous: returns at once)."""
