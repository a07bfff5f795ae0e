"""Shape ops: reshape, transpose, broadcasting, squeezing, and indexing.

Most of these only move elements around, so their VJP moves the gradient back the other way.
Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError, shape_text
from .registry import defop


def resolve_shape(shape: tuple, target: Any) -> tuple[int, ...]:
    """Apply MXNet's reshape codes: ``0`` copies the input's dimension, ``-1`` is inferred.

    A target that already has the right number of elements is taken literally, so shapes
    with real size-0 dimensions still work.
    """
    target = tuple(int(t) for t in (target if isinstance(target, (tuple, list)) else (target,)))
    size = int(np.prod(shape))
    if -1 not in target and int(np.prod(target)) == size and (0 not in target or size == 0):
        return target
    resolved = [shape[i] if t == 0 and i < len(shape) else t for i, t in enumerate(target)]
    if resolved.count(-1) > 1 or any(t < -1 for t in resolved):
        raise ShapeError(
            f"reshape: cannot reshape {shape_text(shape)} to {shape_text(target)}; use at most "
            "one -1 (inferred) and otherwise sizes >= 0 (0 copies the input's dimension)."
        )
    if -1 in resolved:
        known = int(np.prod([t for t in resolved if t != -1]))
        if known == 0 or size % known:
            raise ShapeError(
                f"reshape: cannot reshape {shape_text(shape)} ({size} elements) to "
                f"{shape_text(target)}; {size} is not a multiple of {known}."
            )
        resolved[resolved.index(-1)] = size // known
    if int(np.prod(resolved)) != size:
        raise ShapeError(
            f"reshape: cannot reshape {shape_text(shape)} ({size} elements) to "
            f"{shape_text(target)} ({int(np.prod(resolved))} elements); the number of elements "
            "must stay the same (use -1 to infer one dimension)."
        )
    return tuple(resolved)


defop("reshape", lambda x, shape: np.reshape(x, resolve_shape(x.shape, shape)),
      lambda grad_out, out, x, shape: grad_out.reshape(x.shape),
      formula="reshape only moves elements: grad_x = grad_out reshaped to x's shape",
      attrs={"shape": ()})  # fmt: skip
defop("reshape_like", lambda x, y: np.reshape(x, y.shape),
      lambda grad_out, out, x, y: grad_out.reshape(x.shape), None,
      formula="grad_x = grad_out reshaped to x's shape", n_inputs=2)  # fmt: skip


def _transpose(x: np.ndarray, axes: Any) -> np.ndarray:
    axes = None if axes is None or axes == () else tuple(axes)
    if axes is not None and sorted(a % max(x.ndim, 1) for a in axes) != list(range(x.ndim)):
        raise ShapeError(
            f"transpose: axes {axes} are not a permutation of the {x.ndim} axes of an array of "
            f"shape {shape_text(x.shape)}; list each axis 0..{x.ndim - 1} once."
        )
    return np.transpose(x, axes)


def _inverse_axes(ndim: int, axes: Any) -> Any:
    if axes is None or axes == ():
        return None
    return tuple(int(i) for i in np.argsort([a % ndim for a in axes]))


defop("transpose", _transpose,
      lambda grad_out, out, x, axes: grad_out.transpose(_inverse_axes(x.ndim, axes)),
      formula="transpose only moves elements: grad_x = grad_out transposed back",
      attrs={"axes": None})  # fmt: skip


def _broadcast_to(x: np.ndarray, shape: Any) -> np.ndarray:
    shape = tuple(x.shape[i - (len(shape) - x.ndim)] if s == 0 else s for i, s in enumerate(shape))
    try:
        return np.broadcast_to(x, shape).copy()
    except ValueError:
        raise ShapeError(
            f"broadcast_to: cannot broadcast shape {shape_text(x.shape)} to {shape_text(shape)}; "
            "each dimension must equal the target's or be 1."
        ) from None


def _unbroadcast_rule(grad_out: Any, out: Any, x: Any, *rest: Any, **attrs: Any) -> Any:
    from .registry import unbroadcast

    return unbroadcast(grad_out, x.shape)


defop("broadcast_to", _broadcast_to, _unbroadcast_rule,
      formula="each x_i is copied k times: grad_x_i = Σ of the k copies' grad_out",
      attrs={"shape": ()})  # fmt: skip
defop("broadcast_like", lambda x, y: np.broadcast_to(x, y.shape).copy(), _unbroadcast_rule, None,
      formula="each x_i is copied k times: grad_x_i = Σ of the k copies' grad_out",
      n_inputs=2)  # fmt: skip


def _check_axis(op_name: str, ndim: int, axis: int) -> int:
    if not -ndim <= axis < ndim:
        raise ShapeError(
            f"{op_name}: axis {axis} is out of range for an array with {ndim} dimension(s); "
            f"use an axis between {-ndim} and {ndim - 1}."
        )
    return axis % ndim


defop("expand_dims", lambda x, axis: np.expand_dims(x, _check_axis("expand_dims", x.ndim + 1, axis)),
      lambda grad_out, out, x, axis: grad_out.reshape(x.shape),
      formula="adds a size-1 axis: grad_x = grad_out without it", attrs={"axis": 0})  # fmt: skip


def _squeeze(x: np.ndarray, axis: Any) -> np.ndarray:
    if axis is not None:
        axes = axis if isinstance(axis, (tuple, list)) else (axis,)
        axes = tuple(_check_axis("squeeze", x.ndim, a) for a in axes)
        if any(x.shape[a] != 1 for a in axes):
            raise ShapeError(
                f"squeeze: axis {axis} of shape {shape_text(x.shape)} does not have size 1; "
                "only size-1 axes can be removed."
            )
        return np.squeeze(x, axes)
    return np.squeeze(x)


defop("squeeze", _squeeze, lambda grad_out, out, x, axis: grad_out.reshape(x.shape),
      formula="removes size-1 axes: grad_x = grad_out reshaped back", attrs={"axis": None})


# --------------------------------------------------------------------------- indexing
# ``x[key]`` reads elements; its VJP adds grad_out back into zeros at the same places
# (``scatter_add``), whose own VJP is again ``grad[key]``: the pair is closed under
# differentiation, so indexing has derivatives of every order.


def _getitem(x: np.ndarray, key: Any) -> np.ndarray:
    try:
        out = x[key]
    except IndexError as error:
        raise ShapeError(
            f"getitem: {error} (array shape {shape_text(x.shape)}, index {key!r}); use indices "
            "between -size and size-1 on each axis."
        ) from None
    return out.reshape(1) if np.ndim(out) == 0 else out


def _scatter_add(grad: np.ndarray, shape: tuple, key: Any) -> np.ndarray:
    out = np.zeros(shape, dtype=grad.dtype)
    np.add.at(out, key, grad.reshape(np.shape(out[key])))
    return out


defop("getitem", _getitem,
      lambda grad_out, out, x, key: grad_out.scatter_add(x.shape, key),
      formula="x[key] picks elements: grad_x = grad_out added back at those places (zeros "
              "elsewhere)", attrs={"key": ()}, method=False)  # fmt: skip
defop("scatter_add", _scatter_add,
      lambda grad_out, out, grad, shape, key: grad_out[key].reshape(grad.shape),
      formula="adds grad into zeros at key: its gradient is grad_out[key]",
      attrs={"shape": (), "key": ()})  # fmt: skip
