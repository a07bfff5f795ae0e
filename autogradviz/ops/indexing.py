"""Indexing ops beyond ``x[key]``: ``slice_axis``, ``slice``, ``take``, ``pick`` and ``one_hot``.

Each one reads ``x[key]`` for some key, so its VJP adds ``grad_out`` back into zeros at the same
places with ``scatter_add`` (see ``shape.py``), which is differentiable again.
Integer index arrays (``take``, ``pick``, ``one_hot``) get no gradient.

Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError, shape_text
from .registry import check_axis, defop


def _axis_key(ndim: int, axis: int, begin: Any, end: Any) -> tuple:
    return (slice(None),) * axis + (slice(begin, end),)


def _slice_axis(x: np.ndarray, axis: int, begin: int, end: Any) -> np.ndarray:
    axis = check_axis("slice_axis", x.ndim, axis)
    return x[_axis_key(x.ndim, axis, begin, end)].copy()  # a new array, as in MXNet


defop("slice_axis", _slice_axis,
      lambda grad_out, out, x, axis, begin, end: grad_out.scatter_add(
          x.shape, _axis_key(x.ndim, axis % x.ndim, begin, end)),
      formula="picks x[begin:end] along axis: grad_x = grad_out there, 0 elsewhere",
      attrs={"axis": 0, "begin": 0, "end": None})  # fmt: skip


def _slice_key(shape: tuple, begin: Any, end: Any, step: Any) -> tuple:
    """MXNet's ``slice``: one ``begin:end:step`` per leading axis; ``None`` means the default."""
    begin, end = tuple(begin), tuple(end)
    step = tuple(step) if step else (None,) * len(begin)
    if not len(begin) == len(end) == len(step) or len(begin) > len(shape):
        raise ShapeError(
            f"slice: begin {begin}, end {end} and step {step} must have the same length, at "
            f"most the number of axes (array shape {shape_text(shape)}). Give one entry per "
            "sliced axis, None for a default."
        )
    return tuple(slice(b, e, s) for b, e, s in zip(begin, end, step, strict=True))


defop("slice", lambda x, begin, end, step: x[_slice_key(x.shape, begin, end, step)].copy(),
      lambda grad_out, out, x, begin, end, step:
          grad_out.scatter_add(x.shape, _slice_key(x.shape, begin, end, step)),
      formula="picks x[begin:end:step]: grad_x = grad_out there, 0 elsewhere",
      attrs={"begin": (), "end": (), "step": ()})  # fmt: skip


def _clip_indices(op_name: str, shape: tuple, axis: int, indices: Any, mode: str) -> np.ndarray:
    """Integer positions along ``axis``: out-of-range ones clipped or wrapped (MXNet's modes)."""
    size = shape[axis]
    positions = np.asarray(indices).astype(np.int64)
    if size == 0 and positions.size:  # no position to clip or wrap to (and no 0 division)
        raise ShapeError(
            f"{op_name}: cannot pick elements from axis {axis}, which has size 0 (array shape "
            f"{shape_text(shape)}). Use an axis with elements, or pass no indices."
        )
    if mode == "clip":  # (np.clip's Python layer costs more than the two ufuncs)
        return np.minimum(np.maximum(positions, 0), size - 1)
    if mode == "wrap":
        return np.mod(positions, size)
    if mode == "raise" and op_name == "take":
        if positions.size and (positions.min() < -size or positions.max() >= size):
            raise ShapeError(
                f"take: an index is out of range for axis {axis} of size {size} (array shape "
                f"{shape_text(shape)}). Use indices in [-{size}, {size - 1}] or mode='clip'."
            )
        return positions
    modes = "'clip', 'wrap' or 'raise'" if op_name == "take" else "'clip' or 'wrap'"
    raise ValueError(
        f"{op_name}: unknown mode {mode!r} (array shape {shape_text(shape)}). Use {modes}."
    )


def _take_key(shape: tuple, indices: Any, axis: int, mode: str) -> tuple:
    if not shape:
        raise ShapeError("take: cannot take from a 0-d array (shape ()). Reshape it to (1,).")
    axis = check_axis("take", len(shape), axis)
    return (slice(None),) * axis + (_clip_indices("take", shape, axis, indices, mode),)


def _take(x: np.ndarray, indices: np.ndarray, axis: int, mode: str) -> np.ndarray:
    out = x[_take_key(x.shape, indices, axis, mode)]
    return out.reshape(1) if out.ndim == 0 else out


defop("take", _take,
      lambda grad_out, out, x, indices, axis, mode:
          grad_out.scatter_add(x.shape, _take_key(x.shape, indices.asnumpy(), axis, mode)),
      None,
      formula="out = x[indices] along axis: grad_x = grad_out added back at those indices",
      attrs={"axis": 0, "mode": "clip"}, n_inputs=2)  # fmt: skip


def _pick_key(shape: tuple, index: Any, axis: int, mode: str) -> tuple:
    """Return a key that chooses one element along ``axis`` per position of the other axes."""
    if not shape:
        raise ShapeError("pick: cannot pick from a 0-d array (shape ()). Reshape it to (1,).")
    axis = check_axis("pick", len(shape), axis)
    kept = shape[:axis] + (1,) + shape[axis + 1 :]
    index = np.asarray(index)
    if index.shape not in (shape[:axis] + shape[axis + 1 :], kept):
        raise ShapeError(
            f"pick: index shape {shape_text(index.shape)} does not fit data shape "
            f"{shape_text(shape)} along axis {axis}. Give one index per row: shape "
            f"{shape_text(shape[:axis] + shape[axis + 1 :])}."
        )
    positions = _clip_indices("pick", shape, axis, index.reshape(kept), mode)
    # Every other axis gets a broadcastable range, so key selects one element per row.
    return tuple(
        positions if i == axis else np.arange(size).reshape((-1,) + (1,) * (len(shape) - i - 1))
        for i, size in enumerate(shape)
    )


def _pick(x: np.ndarray, index: np.ndarray, axis: int, keepdims: bool, mode: str) -> np.ndarray:
    out = x[_pick_key(x.shape, index, axis, mode)]
    if not keepdims:
        out = out.reshape(out.shape[: axis % x.ndim] + out.shape[axis % x.ndim + 1 :] or (1,))
    return out


defop("pick", _pick,
      lambda grad_out, out, x, index, axis, keepdims, mode:
          grad_out.scatter_add(x.shape, _pick_key(x.shape, index.asnumpy(), axis, mode)),
      None,
      formula="out = x[..., index, ...] per row: grad_x = grad_out at the picked places, else 0",
      attrs={"axis": -1, "keepdims": False, "mode": "clip"}, n_inputs=2)  # fmt: skip


def _one_hot(indices: np.ndarray, depth: int, on_value: float, off_value: float,
             dtype: Any) -> np.ndarray:  # fmt: skip
    idx = np.asarray(indices).astype(np.int64)
    hot = idx[..., None] == np.arange(int(depth))  # an index out of range matches no column
    return np.where(hot, on_value, off_value).astype(dtype)


defop("one_hot", _one_hot, None,
      formula="one_hot(indices) is piecewise constant: gradient 0",
      attrs={"depth": 1, "on_value": 1.0, "off_value": 0.0, "dtype": np.float32})  # fmt: skip
