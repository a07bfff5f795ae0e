"""Indexing ops beyond ``x[key]``: slices along an axis, ``take``, ``pick`` and ``one_hot``.

Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError, shape_text
from .registry import defop


def _axis(op_name: str, ndim: int, axis: int) -> int:
    if not -ndim <= axis < ndim:
        raise ShapeError(
            f"{op_name}: axis {axis} is out of range for an array with {ndim} dimension(s); "
            f"use an axis between {-ndim} and {ndim - 1}."
        )
    return axis % ndim


def _axis_key(ndim: int, axis: int, begin: Any, end: Any) -> tuple:
    return (slice(None),) * axis + (slice(begin, end),)


def _slice_axis(x: np.ndarray, axis: int, begin: int, end: Any) -> np.ndarray:
    axis = _axis("slice_axis", x.ndim, axis)
    return x[_axis_key(x.ndim, axis, begin, end)]


defop("slice_axis", _slice_axis,
      lambda grad_out, out, x, axis, begin, end: grad_out.scatter_add(
          x.shape, _axis_key(x.ndim, axis % x.ndim, begin, end)),
      formula="picks x[begin:end] along axis: grad_x = grad_out there, 0 elsewhere",
      attrs={"axis": 0, "begin": 0, "end": None})  # fmt: skip


def _one_hot(indices: np.ndarray, depth: int, on_value: float, off_value: float,
             dtype: Any) -> np.ndarray:  # fmt: skip
    idx = np.asarray(indices).astype(np.int64)
    out = np.full(idx.shape + (int(depth),), off_value, dtype=dtype)
    valid = (idx >= 0) & (idx < depth)
    np.put_along_axis(out, np.where(valid, idx, 0)[..., None], on_value, axis=-1)
    out[~valid] = off_value
    return out


defop("one_hot", _one_hot, None,
      formula="one_hot(indices) is piecewise constant: gradient 0",
      attrs={"depth": 1, "on_value": 1.0, "off_value": 0.0, "dtype": np.float32})  # fmt: skip
