"""Joining arrays: ``concat`` and ``stack`` (variadic: any number of array inputs).

Their one VJP rule returns every input's gradient in one pass over the inputs.
Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError, shapes_text
from .registry import defop


def _concat(*xs: np.ndarray, dim: int) -> np.ndarray:
    try:
        return np.concatenate(xs, axis=dim)
    except (ValueError, np.exceptions.AxisError) as error:
        raise ShapeError(
            f"concat: cannot join shapes {shapes_text(x.shape for x in xs)} along dim {dim} "
            f"({error}); all dimensions except dim must match."
        ) from None


def _concat_vjp(grad_out: Any, out: Any, xs: tuple, needed: list, dim: int) -> list:
    """Give each input its own slice of ``grad_out``: the pieces, back where they came from."""
    axis = dim % out.ndim
    grads, begin = [], 0
    for x, wanted in zip(xs, needed, strict=True):
        end = begin + x.shape[axis]
        grads.append(grad_out.slice_axis(axis=axis, begin=begin, end=end) if wanted else None)
        begin = end
    return grads


def _stack(*xs: np.ndarray, axis: int) -> np.ndarray:
    try:
        return np.stack(xs, axis=axis)
    except (ValueError, np.exceptions.AxisError) as error:
        raise ShapeError(
            f"stack: cannot stack shapes {shapes_text(x.shape for x in xs)} along axis {axis} "
            f"({error}); all inputs must have the same shape."
        ) from None


def _stack_vjp(grad_out: Any, out: Any, xs: tuple, needed: list, axis: int) -> list:
    """Give input ``k`` the slice ``k`` of ``grad_out`` along the new axis."""
    axis = axis % out.ndim
    return [
        grad_out.slice_axis(axis=axis, begin=k, end=k + 1).squeeze(axis=axis) if wanted else None
        for k, wanted in enumerate(needed)
    ]


defop("concat", _concat, _concat_vjp, n_inputs=None, attrs={"dim": 1}, method=False,
      formula="each input gets back its own slice of grad_out")  # fmt: skip
defop("stack", _stack, _stack_vjp, n_inputs=None, attrs={"axis": 0}, method=False,
      formula="each input gets back its own slice of grad_out")  # fmt: skip
