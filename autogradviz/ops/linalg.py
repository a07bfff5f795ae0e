"""Linear algebra: ``dot`` (with MXNet's ``transpose_a``/``transpose_b``) and ``batch_dot``.

Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError, shape_text
from .registry import defop


def _t(x: Any, flag: bool) -> Any:
    """MXNet's transpose flags reverse all axes (a plain transpose for matrices)."""
    return x.T if flag else x


def _dot(x: np.ndarray, y: np.ndarray, transpose_a: bool, transpose_b: bool) -> np.ndarray:
    a, b = _t(x, transpose_a), _t(y, transpose_b)
    if a.ndim == 0 or b.ndim == 0 or a.shape[-1] != b.shape[0]:
        raise ShapeError(
            f"dot: shapes {shape_text(a.shape)} and {shape_text(b.shape)} are not aligned "
            f"(after transposes): the last axis of the first must equal the first axis of the "
            "second; transpose one operand (transpose_a=True, transpose_b=True or x.T)."
        )
    # For vectors and matrices np.matmul is np.dot, and hands transposed operands to BLAS
    # a few percent faster (a 128×784 · 784×256 product: 3-6%); tensordot covers N-D arrays.
    matrices = a.ndim <= 2 and b.ndim <= 2
    out = np.asarray(np.matmul(a, b) if matrices else np.tensordot(a, b, axes=1))
    return out if out.ndim else out.reshape(1)  # (no view when not needed: see _adoptable)


def _as_matrix(x: Any, rows: int) -> Any:
    return x.reshape((rows, x.size // rows if rows else 0), literal=True)


def _dot_vjp_x(grad_out: Any, out: Any, x: Any, y: Any, transpose_a: bool,
               transpose_b: bool) -> Any:  # fmt: skip
    if x.ndim == 2 and y.ndim == 2:  # matrices (the common case): one product, no reshapes
        if transpose_a:
            return y.dot(grad_out, transpose_a=transpose_b, transpose_b=True)
        return grad_out.dot(y, transpose_b=not transpose_b)
    if x.size == 0 or y.size == 0:  # an empty product: the gradient is zero (or empty)
        return x.zeros_like()
    a, b = _t(x, transpose_a), _t(y, transpose_b)
    # As matrices: out (p×q) = a (p×k) · b (k×q), so grad_a = grad_out · bᵀ.
    grad_a = _as_matrix(grad_out, a.size // a.shape[-1]).dot(
        _as_matrix(b, b.shape[0]), transpose_b=True
    )
    return _t(grad_a.reshape(a.shape, literal=True), transpose_a)


def _dot_vjp_y(grad_out: Any, out: Any, x: Any, y: Any, transpose_a: bool,
               transpose_b: bool) -> Any:  # fmt: skip
    if x.ndim == 2 and y.ndim == 2:
        if transpose_b:
            return grad_out.dot(x, transpose_a=True, transpose_b=transpose_a)
        return x.dot(grad_out, transpose_a=not transpose_a)
    if x.size == 0 or y.size == 0:  # an empty product: the gradient is zero (or empty)
        return y.zeros_like()
    a, b = _t(x, transpose_a), _t(y, transpose_b)
    # As matrices: grad_b = aᵀ · grad_out.
    rows = a.size // a.shape[-1]
    grad_b = _as_matrix(a, rows).dot(_as_matrix(grad_out, rows), transpose_a=True)
    return _t(grad_b.reshape(b.shape, literal=True), transpose_b)


defop("dot", _dot, _dot_vjp_x, _dot_vjp_y,
      formula="d/dx (x·y) = grad_out·yᵀ,  d/dy (x·y) = xᵀ·grad_out", n_inputs=2,
      attrs={"transpose_a": False, "transpose_b": False})  # fmt: skip


def _batch_dot(x: np.ndarray, y: np.ndarray, transpose_a: bool, transpose_b: bool) -> np.ndarray:
    if x.ndim != 3 or y.ndim != 3:
        raise ShapeError(
            f"batch_dot: shapes {shape_text(x.shape)} and {shape_text(y.shape)}: both inputs "
            "must be 3-D, (batch, n, k) and (batch, k, m)."
        )
    a = np.swapaxes(x, 1, 2) if transpose_a else x
    b = np.swapaxes(y, 1, 2) if transpose_b else y
    if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise ShapeError(
            f"batch_dot: shapes {shape_text(a.shape)} and {shape_text(b.shape)} do not fit "
            "(after transposes); both must be 3-D as (batch, n, k) and (batch, k, m)."
        )
    return np.matmul(a, b)


def _batch_dot_vjp_x(grad_out: Any, out: Any, x: Any, y: Any, transpose_a: bool,
                     transpose_b: bool) -> Any:  # fmt: skip
    # out = a·b with a = xᵀ or x, b = yᵀ or y; grad_a = grad_out·bᵀ, and grad_x = grad_aᵀ
    # when x was transposed, which is b·grad_outᵀ.
    if transpose_a:
        return y.batch_dot(grad_out, transpose_a=transpose_b, transpose_b=True)
    return grad_out.batch_dot(y, transpose_b=not transpose_b)


def _batch_dot_vjp_y(grad_out: Any, out: Any, x: Any, y: Any, transpose_a: bool,
                     transpose_b: bool) -> Any:  # fmt: skip
    # grad_b = aᵀ·grad_out, and grad_y = grad_bᵀ = grad_outᵀ·a when y was transposed.
    if transpose_b:
        return grad_out.batch_dot(x, transpose_a=True, transpose_b=transpose_a)
    return x.batch_dot(grad_out, transpose_a=not transpose_a)


defop("batch_dot", _batch_dot, _batch_dot_vjp_x, _batch_dot_vjp_y,
      formula="per batch item: grad_x = grad_out·yᵀ,  grad_y = xᵀ·grad_out", n_inputs=2,
      attrs={"transpose_a": False, "transpose_b": False})  # fmt: skip
