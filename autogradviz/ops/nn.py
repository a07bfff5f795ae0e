"""Neural-network ops: softmax, log-softmax, leaky ReLU, dropout and softmax cross-entropy.

Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import LabelError, ShapeError, shape_text
from .registry import defop


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    if x.size == 0:  # nothing to normalize (and np.max of an empty axis raises)
        return x.copy()
    # (ufunc.reduce is np.max/np.sum without their Python layer: these run at every step)
    shifted = np.exp(x - np.maximum.reduce(x, axis=axis, keepdims=True))  # shift: no overflow
    return shifted / np.add.reduce(shifted, axis=axis, keepdims=True)


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    if x.size == 0:  # nothing to normalize (and np.max of an empty axis raises)
        return x.copy()
    shifted = x - np.maximum.reduce(x, axis=axis, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


defop("softmax", _softmax,
      lambda grad_out, out, x, axis:
          out * (grad_out - (grad_out * out).sum(axis=axis, keepdims=True)),
      formula="d softmax(x)_i / dx_j = s_i·([i = j] - s_j)", attrs={"axis": -1})  # fmt: skip
defop("log_softmax", _log_softmax,
      lambda grad_out, out, x, axis:
          grad_out - out.exp() * grad_out.sum(axis=axis, keepdims=True),
      formula="d log_softmax(x)_i / dx_j = [i = j] - softmax(x)_j",
      attrs={"axis": -1})  # fmt: skip
defop("leaky_relu", lambda x, slope: np.where(x > 0, x, x * slope).astype(x.dtype),
      lambda grad_out, out, x, slope: grad_out * ((x > 0) + (x <= 0) * slope),
      formula="d/dx leaky_relu(x) = 1 if x > 0 else slope", attrs={"slope": 0.25})  # fmt: skip
defop("dropout", lambda x, mask: x * mask.astype(x.dtype),
      lambda grad_out, out, x, mask: grad_out * mask.astype(grad_out.dtype),
      formula="d/dx (x·mask) = mask  (mask: kept elements scaled by 1/(1-p), others 0)",
      attrs={"mask": None}, method=False)  # fmt: skip


def class_indices(op_name: str, x: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Return ``label`` as int64 class numbers for the rows of ``x``, or raise a clear error.

    One label per row (shape ``x.shape[:-1]``), each a whole number from 0 to
    ``x.shape[-1] - 1``: a -1 or a 1.5 would pick one class in the loss and another in the
    gradient, so neither is accepted.
    """
    label = np.asarray(label)
    if label.shape != x.shape[:-1]:
        raise ShapeError(
            f"{op_name}: label shape {shape_text(label.shape)} does not fit data shape "
            f"{shape_text(x.shape)}; give one class number per row, shape "
            f"{shape_text(x.shape[:-1])}."
        )
    classes = x.shape[-1]
    indices = label.astype(np.int64)
    wrong = (indices < 0) | (indices >= classes) | (indices != label)
    if wrong.any():
        bad = label[wrong].reshape(-1)[0]
        raise LabelError(
            f"{op_name}: label {bad:g} is not a class number for data of shape "
            f"{shape_text(x.shape)}; labels must be whole numbers from 0 to {classes - 1}."
        )
    return indices


def _softmax_cross_entropy(x: np.ndarray, label: np.ndarray) -> np.ndarray:
    indices = class_indices("softmax_cross_entropy", x, label)
    log_probs = _log_softmax(x, axis=-1)
    picked = np.take_along_axis(log_probs, indices[..., None], axis=-1)
    return np.asarray([-picked.sum()], dtype=x.dtype)


def _softmax_cross_entropy_vjp(grad_out: Any, out: Any, x: Any, label: Any) -> Any:
    return (x.softmax(axis=-1) - label.one_hot(x.shape[-1], dtype=x.dtype)) * grad_out


defop("softmax_cross_entropy", _softmax_cross_entropy, _softmax_cross_entropy_vjp, None,
      formula="d/dx Σ -log softmax(x)[label] = softmax(x) - one_hot(label)",
      n_inputs=2)  # fmt: skip
