"""Creating arrays: ``array``, ``zeros``, ``ones``, ``full``, ``empty``, ``arange``, ``eye``, ...

Arrays are float32 unless a ``dtype`` is given (MXNet's default, even for integer data).
Created arrays are constants: they join a graph only through ``attach_grad``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..context import Context, check_context
from .ndarray import NDArray

DEFAULT_DTYPE = np.float32


def _shape(shape: Any, where: str) -> tuple[int, ...]:
    try:
        return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)
    except (TypeError, ValueError):
        raise TypeError(
            f"{where}: shape must be an int or a tuple of ints, got {type(shape).__name__} "
            f"{shape!r:.40}; pass e.g. shape=(2, 3)."
        ) from None


def _numbers(where: str, **values: Any) -> None:
    """Raise a clear TypeError if one of ``values`` is not a real number."""
    for key, value in values.items():
        if not isinstance(value, (numbers.Real, np.generic)) or isinstance(value, np.str_):
            raise TypeError(
                f"{where}: {key} must be a number, got {type(value).__name__} {value!r:.40}; "
                f"pass e.g. {key}=1."
            )


def _data_of(data: Any, where: str) -> np.ndarray:
    """Return the numpy data of an NDArray, numpy array, list or number; raise otherwise."""
    if isinstance(data, NDArray):
        return data._data
    if isinstance(data, (np.ndarray, list, tuple, numbers.Number, np.generic)):
        return np.asarray(data)
    raise TypeError(
        f"{where}: expected an NDArray, a numpy array, a list or a number, got "
        f"{type(data).__name__}; create one with nd.array(...)."
    )


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
    if isinstance(source, NDArray):  # MXNet keeps an NDArray's dtype (others become float32)
        source, dtype = source._data, source.dtype if dtype is None else dtype
    if source is None or isinstance(source, (str, bytes, dict, set, frozenset)):
        raise TypeError(
            f"array: cannot make an array from {type(source).__name__} {source!r:.40}; pass "
            "a number, a (nested) list of numbers or a numpy array."
        )
    try:
        data = np.array(source, dtype=dtype if dtype is not None else DEFAULT_DTYPE)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"array: cannot convert {type(source).__name__} to an array of numbers ({error}); "
            "pass a number, a (nested) list of numbers of equal lengths or a numpy array."
        ) from None
    return NDArray(data)


def zeros(shape: Any, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE) -> NDArray:
    """Return an array of zeros with the given shape."""
    check_context(ctx, "zeros")
    return NDArray(np.zeros(_shape(shape, "zeros"), dtype=dtype))


def ones(shape: Any, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE) -> NDArray:
    """Return an array of ones with the given shape."""
    check_context(ctx, "ones")
    return NDArray(np.ones(_shape(shape, "ones"), dtype=dtype))


def full(
    shape: Any, val: float, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE
) -> NDArray:
    """Return an array of the given shape filled with ``val``."""
    check_context(ctx, "full")
    _numbers("full", val=val)
    return NDArray(np.full(_shape(shape, "full"), val, dtype=dtype))


def empty(shape: Any, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE) -> NDArray:
    """Return an array of the given shape; its values are meaningless until written."""
    check_context(ctx, "empty")
    return NDArray(np.empty(_shape(shape, "empty"), dtype=dtype))


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
    _numbers("arange", start=start, step=step, **({} if stop is None else {"stop": stop}))
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    return NDArray(np.repeat(values, repeat).astype(dtype))


def eye(
    N: int, M: int = 0, k: int = 0, ctx: Context | None = None, dtype: Any = DEFAULT_DTYPE
) -> NDArray:
    """Return an ``N×M`` matrix with ones on diagonal ``k`` (``M=0`` means ``M=N``)."""
    check_context(ctx, "eye")
    _numbers("eye", N=N, M=M, k=k)
    return NDArray(np.eye(N, M or N, k, dtype=dtype))


def zeros_like(data: NDArray) -> NDArray:
    """Return zeros with the shape and dtype of ``data``."""
    return NDArray(np.zeros_like(_data_of(data, "zeros_like")))


def ones_like(data: NDArray) -> NDArray:
    """Return ones with the shape and dtype of ``data``."""
    return NDArray(np.ones_like(_data_of(data, "ones_like")))


def waitall() -> None:
    """Wait for all computations (numpy is synchronous: returns at once)."""
