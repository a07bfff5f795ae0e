"""Reductions: sum, mean, max, min, prod, norm, nansum, argmax, argmin.

``axis`` may be an int, a tuple, or ``None`` or ``()`` (all axes); ``exclude=True`` reduces
every axis *except* the given ones (MXNet). A full reduction gives shape ``(1,)``, never 0-d
(MXNet).
Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import ShapeError, shape_text
from .registry import defop

REDUCE_ATTRS = {"axis": None, "keepdims": False, "exclude": False}


def reduced_axes(op_name: str, shape: tuple, axis: Any, exclude: bool) -> tuple[int, ...]:
    """Return the sorted, non-negative axes a reduction removes, checking them.

    ``axis=()`` (MXNet's default) and ``None`` mean every axis, with or without ``exclude``.
    """
    ndim = len(shape)
    if axis is None or (isinstance(axis, (tuple, list)) and len(axis) == 0):
        return tuple(range(ndim))  # every axis, with or without exclude
    if type(axis) is tuple and len(axis) == 1:  # (unbroadcast's sums)
        axis = axis[0]
    if type(axis) is int and not exclude and -ndim <= axis < ndim:  # the usual call: one axis
        return (axis % ndim,)
    axes = []
    for a in axis if isinstance(axis, (tuple, list)) else (axis,):
        if not isinstance(a, (int, np.integer)) or not -ndim <= a < max(ndim, 1):
            raise ShapeError(
                f"{op_name}: axis {a!r} is out of range for an array of shape "
                f"{shape_text(shape)}; use an axis between {-ndim} and {ndim - 1}."
            )
        axes.append(int(a) % max(ndim, 1))
    if exclude:
        axes = [a for a in range(ndim) if a not in axes]
    return tuple(sorted(set(axes)))


def _kept_shape(shape: tuple, axes: tuple) -> tuple[int, ...]:
    return tuple(1 if i in axes else size for i, size in enumerate(shape))


def _finish(out: Any, shape: tuple, axes: tuple, keepdims: bool) -> np.ndarray:
    out = np.asarray(out)
    if keepdims:  # a 0-d x keeps no axes: the (1,) rule below applies to it too
        out = out.reshape(_kept_shape(shape, axes))
    return out.reshape(1) if out.ndim == 0 else out


def _reduction(name: str, function: Any, accumulates: bool = False) -> Any:
    """Return the forward of a reduction; ``accumulates``: float16 sums run in float32.

    As in MXNet: a float16 sum of many elements would lose them (and overflow past 65504)
    long before the result does.
    """

    def forward(x: np.ndarray, axis: Any, keepdims: bool, exclude: bool) -> np.ndarray:
        axes = reduced_axes(name, x.shape, axis, exclude)
        wide = accumulates and x.dtype == np.float16
        out = function(x, axis=axes, dtype=np.float32) if wide else function(x, axis=axes)
        return _finish(out, x.shape, axes, keepdims).astype(x.dtype, copy=False)

    return forward


def spread(grad_out: Any, x: Any, axis: Any, exclude: bool) -> Any:
    """Broadcast a reduction's ``grad_out`` back to ``x``'s shape (each element got it)."""
    axes = reduced_axes("sum", x.shape, axis, exclude)
    # broadcast_like, not broadcast_to: in MXNet's broadcast_to a 0 means "keep", so an
    # empty x (shape (0, 3)) would get a gradient of shape (1, 3).
    return grad_out.reshape(_kept_shape(x.shape, axes), literal=True).broadcast_like(x)


def _count(x: Any, axis: Any, exclude: bool) -> int:
    axes = reduced_axes("mean", x.shape, axis, exclude)
    return math.prod(x.shape[a] for a in axes)


def _mean_vjp(grad_out: Any, out: Any, x: Any, axis: Any, keepdims: bool, exclude: bool) -> Any:
    """Each element gets 1/n of the gradient.

    float16 cannot hold n above 65504 (it would divide by inf), so it multiplies by 1/n.
    """
    n = _count(x, axis, exclude)
    spread_out = spread(grad_out, x, axis, exclude)
    return spread_out * (1.0 / n) if x.dtype == np.float16 else spread_out / n


def _extreme_vjp(grad_out: Any, out: Any, x: Any, axis: Any, keepdims: bool, exclude: bool) -> Any:
    """Send the gradient to the arg-max (or min) elements, split evenly between ties."""
    hit = x == spread(out, x, axis, exclude)
    ties = spread(hit.sum(axis=axis, keepdims=True, exclude=exclude), x, axis, exclude)
    return spread(grad_out, x, axis, exclude) * hit / ties


def _norm(x: np.ndarray, ord: int, axis: Any, keepdims: bool) -> np.ndarray:
    """MXNet's ``norm(data, ord=2, axis=None, keepdims=False)``: the L2 or L1 norm."""
    if ord not in (1, 2):
        raise ValueError(f"norm: ord={ord!r} is not supported (shape {x.shape}). Use ord=1 or 2.")
    axes = reduced_axes("norm", x.shape, axis, False)
    dtype = x.dtype
    if dtype == np.float16:  # sums in float32, as MXNet does: 300² overflows float16
        x = x.astype(np.float32)
    out = np.sqrt(np.sum(x * x, axis=axes)) if ord == 2 else np.sum(np.abs(x), axis=axes)
    return _finish(out, x.shape, axes, keepdims).astype(dtype, copy=False)


def _norm_vjp(grad_out: Any, out: Any, x: Any, ord: int, axis: Any, keepdims: bool) -> Any:
    if ord == 1:
        return spread(grad_out, x, axis, False) * x.sign()
    return spread(grad_out / out, x, axis, False) * x


def _argreduce(name: str, function: Any) -> Any:
    def forward(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
        if axis is None:
            out = function(x.reshape(-1))
            shape = (1,) * max(x.ndim, 1) if keepdims else 1  # never 0-d, even for a 0-d x
            return np.asarray(out, dtype=np.float32).reshape(shape)
        (axis_,) = reduced_axes(name, x.shape, axis, False)
        out = function(x, axis=axis_)
        out = np.expand_dims(out, axis_) if keepdims else out
        return np.asarray(out, dtype=np.float32).reshape(np.shape(out) or (1,))

    return forward


def _mean(x: np.ndarray, axis: tuple, dtype: Any = None) -> Any:
    """``np.mean`` as a sum divided by the count (the same numbers, without its Python layer)."""
    n = math.prod(x.shape[a] for a in axis)
    if n == 0:  # numpy's NaN, with its warning
        return np.mean(x, axis=axis, dtype=dtype)
    return np.add.reduce(x, axis=axis, dtype=dtype) / n


# ufunc.reduce: the same numbers as np.sum/np.prod/np.max/np.min, without their Python layer
defop("sum", _reduction("sum", np.add.reduce, accumulates=True),
      lambda grad_out, out, x, axis, keepdims, exclude: spread(grad_out, x, axis, exclude),
      formula="d/dx_i Σ x = 1", attrs=REDUCE_ATTRS)  # fmt: skip
defop("nansum", _reduction("nansum", np.nansum, accumulates=True),
      lambda grad_out, out, x, axis, keepdims, exclude:
          spread(grad_out, x, axis, exclude) * (x == x),
      formula="d/dx_i Σ x (NaNs skipped) = [x_i is not NaN]", attrs=REDUCE_ATTRS)  # fmt: skip
defop("mean", _reduction("mean", _mean, accumulates=True), _mean_vjp,
      formula="d/dx_i mean(x) = 1/n", attrs=REDUCE_ATTRS)  # fmt: skip


def _prod_vjp(grad_out: Any, out: Any, x: Any, axis: Any, keepdims: bool, exclude: bool) -> Any:
    """d/dx_i Π x = Π_{j≠i} x_j: the product of the others, exact when some of them are 0.

    ``Π x / x_i`` would be 0/0 at a zero. So: the product of the others with zeros replaced
    by ones (``others``), times ``w``: 1 when no other element is 0, 0 when two or more are,
    and, when exactly one other is, that element itself (value 0, but with its slope, so the
    second derivatives are right too).
    """

    def total(v: Any) -> Any:  # a reduction over the same axes, spread back to x's shape
        return spread(v.sum(axis=axis, keepdims=True, exclude=exclude), x, axis, exclude)

    zero = x == 0  # a mask: no gradient flows through it
    safe = x + zero  # zeros replaced by ones
    all_safe = spread(safe.prod(axis=axis, keepdims=True, exclude=exclude), x, axis, exclude)
    others_zero = total(zero) - zero  # how many of the other elements are 0
    other_zeros = total(x * zero) - x * zero  # their sum: 0, but with their slopes
    w = (others_zero == 0) + (others_zero == 1) * other_zeros
    return spread(grad_out, x, axis, exclude) * (all_safe / safe) * w


defop("prod", _reduction("prod", np.multiply.reduce, accumulates=True), _prod_vjp,
      formula="d/dx_i Π x = Π_{j≠i} x_j (the product of the others)",
      attrs=REDUCE_ATTRS)  # fmt: skip
defop("max", _reduction("max", np.maximum.reduce), _extreme_vjp,
      formula="d/dx_i max(x) = [x_i is the max] / (number of ties)",
      attrs=REDUCE_ATTRS)  # fmt: skip
defop("min", _reduction("min", np.minimum.reduce), _extreme_vjp,
      formula="d/dx_i min(x) = [x_i is the min] / (number of ties)",
      attrs=REDUCE_ATTRS)  # fmt: skip
defop("norm", _norm, _norm_vjp,
      formula="d/dx_i ||x||₂ = x_i / ||x||₂,  d/dx_i ||x||₁ = sign(x_i)",
      attrs={"ord": 2, "axis": None, "keepdims": False})  # fmt: skip
defop("argmax", _argreduce("argmax", np.argmax), None, attrs={"axis": None, "keepdims": False},
      formula="argmax is piecewise constant: gradient 0")  # fmt: skip
defop("argmin", _argreduce("argmin", np.argmin), None, attrs={"axis": None, "keepdims": False},
      formula="argmin is piecewise constant: gradient 0")  # fmt: skip
