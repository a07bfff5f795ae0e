"""MXNet's output layers (``LinearRegressionOutput``, ``SoftmaxOutput``, ...): losses as layers.

``LinearRegressionOutput``, ``LogisticRegressionOutput``, ``MAERegressionOutput`` and
``SoftmaxOutput``. Each is a loss folded into the last layer, as MXNet has them: forward
gives the prediction (the input itself, its sigmoid, or its softmax) and backward *ignores
the gradient that arrives* and sends the loss's gradient instead: ``(out - label) ·
grad_scale / m`` (``m`` outputs per example; its sign for MAE), or ``softmax -
one_hot(label)``. So their backward is not the derivative of their output, by design; the
teaching tools say so (``loss_layer``). The label takes no gradient. Written as
``autograd.Function`` s: the graph shows one box per call, named after the layer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.function import Function
from ..errors import ArgumentError, ShapeError, shape_text
from .ndarray import NDArray


def _arrays(name: str, data: Any, label: Any) -> NDArray:
    """Return ``label`` as an NDArray, or raise a TypeError naming the layer and the fix."""
    if not isinstance(data, NDArray):
        raise TypeError(f"{name}: data must be an NDArray, not {type(data).__name__}; compute "
                        "it with nd operations (the output of the last layer).")  # fmt: skip
    if isinstance(label, NDArray):
        return label
    try:
        return NDArray(np.asarray(label, dtype=np.float32))
    except (TypeError, ValueError):
        raise TypeError(f"{name}: label must be an NDArray or numbers, not "
                        f"{type(label).__name__}; pass nd.array(labels).") from None  # fmt: skip


def _scale(name: str, grad_scale: Any) -> float:
    try:
        return float(grad_scale)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: grad_scale must be a number, not "
                        f"{type(grad_scale).__name__}.") from None  # fmt: skip


class _OutputLayer(Function):
    """A loss layer: forward predicts, backward sends the loss's gradient (see the module)."""

    loss_layer = True

    def __init__(self, grad_scale: float) -> None:
        super().__init__()
        self.grad_scale = float(grad_scale)

    def forward(self, data: NDArray, label: NDArray) -> NDArray:
        self.save_for_backward(data, label)
        return NDArray(self.predict(data._data))

    def backward(self, grad_out: NDArray) -> tuple[NDArray, NDArray]:
        data, label = self.saved_tensors
        out = self.predict(data._data)
        grad = self.loss_grad(out, label._data).astype(data._data.dtype)
        return NDArray(grad), NDArray(np.zeros_like(label._data))

    def predict(self, data: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def loss_grad(self, out: np.ndarray, label: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class _Regression(_OutputLayer):
    kind = "linear"  # or "logistic", "mae"

    def predict(self, data: np.ndarray) -> np.ndarray:
        if self.kind == "logistic":
            return 1.0 / (1.0 + np.exp(-data))
        return data.copy()

    def loss_grad(self, out: np.ndarray, label: np.ndarray) -> np.ndarray:
        difference = out - label.reshape(out.shape)
        if self.kind == "mae":
            difference = np.sign(difference)
        per_example = out.size // out.shape[0] if out.ndim and out.shape[0] else 1
        return difference * (self.grad_scale / per_example)


# One Function class per layer, named as MXNet's op: the graph names a box after its class.
_REGRESSIONS = {
    name: type(name, (_Regression,), {"kind": kind, "__module__": __name__})
    for name, kind in (("LinearRegressionOutput", "linear"),
                       ("LogisticRegressionOutput", "logistic"),
                       ("MAERegressionOutput", "mae"))
}  # fmt: skip


def _regression(name: str, data: NDArray, label: Any, grad_scale: float) -> NDArray:
    label = _arrays(name, data, label)
    if label.size != data.size:
        raise ShapeError(
            f"{name}: label has shape {shape_text(label.shape)} but data has shape "
            f"{shape_text(data.shape)}; give one label per output (the same number of "
            "elements, e.g. label.reshape(data.shape))."
        )
    return _REGRESSIONS[name](_scale(name, grad_scale))(data, label)


def LinearRegressionOutput(data: NDArray, label: Any, grad_scale: float = 1.0) -> NDArray:  # noqa: N802
    """Return ``data``; backward sends ``(data - label) · grad_scale / m`` (squared loss)."""
    return _regression("LinearRegressionOutput", data, label, grad_scale)


def LogisticRegressionOutput(data: NDArray, label: Any, grad_scale: float = 1.0) -> NDArray:  # noqa: N802
    """Return ``sigmoid(data)``; backward sends ``(out - label) · grad_scale / m`` (log loss)."""
    return _regression("LogisticRegressionOutput", data, label, grad_scale)


def MAERegressionOutput(data: NDArray, label: Any, grad_scale: float = 1.0) -> NDArray:  # noqa: N802
    """Return ``data``; backward sends ``sign(data - label) · grad_scale / m`` (L1 loss)."""
    return _regression("MAERegressionOutput", data, label, grad_scale)


class _Softmax(_OutputLayer):
    """``SoftmaxOutput``'s Function: softmax forward, ``softmax - one_hot(label)`` backward."""

    def __init__(self, grad_scale: float, ignore_label: float, use_ignore: bool,
                 normalization: str) -> None:  # fmt: skip
        super().__init__(grad_scale)
        self.ignore_label, self.use_ignore = ignore_label, use_ignore
        self.normalization = normalization

    def predict(self, data: np.ndarray) -> np.ndarray:
        shifted = np.exp(data - data.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    def loss_grad(self, out: np.ndarray, label: np.ndarray) -> np.ndarray:
        classes = np.rint(label.reshape(-1)).astype(np.int64)
        grad = out.copy()
        kept = np.ones(len(classes), bool)
        if self.use_ignore:
            kept = classes != int(self.ignore_label)
        rows = np.nonzero(kept)[0]
        grad[rows, np.clip(classes[rows], 0, out.shape[1] - 1)] -= 1.0
        grad[~kept] = 0.0
        scale = self.grad_scale
        if self.normalization == "batch":
            scale /= out.shape[0]
        elif self.normalization == "valid":
            scale /= max(int(kept.sum()), 1)
        return grad * scale


_NORMALIZATIONS = ("null", "batch", "valid")


def SoftmaxOutput(  # noqa: N802
    data: NDArray, label: Any, grad_scale: float = 1.0, ignore_label: float = -1.0,
    multi_output: bool = False, use_ignore: bool = False, normalization: str = "null",
    **unsupported: Any,
) -> NDArray:  # fmt: skip
    """Return the softmax of each row; backward sends ``(softmax - one_hot(label)) · scale``.

    ``normalization``: ``'null'`` (as is), ``'batch'`` (÷ batch size) or ``'valid'`` (÷ the
    labels not ignored); with ``use_ignore``, rows labelled ``ignore_label`` get 0.
    """
    label = _arrays("SoftmaxOutput", data, label)
    if multi_output or unsupported or data.ndim != 2:
        raise ArgumentError(
            f"SoftmaxOutput: only 2-D data (batch, classes) with one label per row is "
            f"supported here (data shape {shape_text(data.shape)}, multi_output="
            f"{multi_output}, other options {sorted(unsupported)}); reshape to (batch, "
            "classes), or use nd.softmax_cross_entropy."
        )
    if normalization not in _NORMALIZATIONS:
        raise ArgumentError(f"SoftmaxOutput: normalization {normalization!r} is not one of "
                            f"{', '.join(_NORMALIZATIONS)}.")  # fmt: skip
    if label.size != data.shape[0]:
        raise ShapeError(
            f"SoftmaxOutput: label has shape {shape_text(label.shape)} for data of shape "
            f"{shape_text(data.shape)}; give one class index per row ({data.shape[0]} labels)."
        )
    scale = _scale("SoftmaxOutput", grad_scale)
    return _SOFTMAX(scale, ignore_label, use_ignore, normalization)(data, label)


_SOFTMAX = type("SoftmaxOutput", (_Softmax,), {"__module__": __name__})
