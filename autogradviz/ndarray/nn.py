"""MXNet's neural-network front ends: ``Activation``, ``LeakyReLU``, ``Dropout``, and more.

``FullyConnected`` is made of table ops (``dot``, ``add``), so the graph shows them.

They pick a table op by their arguments; ``Dropout`` consults ``autograd.is_training()``.
"""

from __future__ import annotations

from typing import Any

from ..engine.tape import flags
from ..ops import OPS
from .functions import call
from .ndarray import NDArray
from .random import generator

_ACTIVATIONS = ("relu", "sigmoid", "tanh", "softrelu", "softsign")


def Activation(data: NDArray, act_type: str = "relu") -> NDArray:  # noqa: N802 (MXNet's name)
    """Apply the activation ``act_type``: relu, sigmoid, tanh, softrelu or softsign."""
    if act_type not in _ACTIVATIONS:
        raise ValueError(
            f"Activation: unknown act_type {act_type!r}; use one of {', '.join(_ACTIVATIONS)}."
        )
    return call(OPS[act_type], (data,), {})


def LeakyReLU(data: NDArray, act_type: str = "leaky", slope: float = 0.25) -> NDArray:  # noqa: N802
    """Return ``x`` where ``x > 0`` and ``slope * x`` elsewhere (``act_type='leaky'``)."""
    if act_type != "leaky":
        raise ValueError(f"LeakyReLU: act_type {act_type!r} is not supported; use 'leaky'.")
    return call(OPS["leaky_relu"], (data,), {"slope": slope})


def Dropout(  # noqa: N802
    data: NDArray, p: float = 0.5, mode: str = "training", axes: Any = (), **_: Any
) -> NDArray:
    """Zero each element with probability ``p`` in training mode, scaling the rest by 1/(1-p).

    Outside training mode (``autograd.is_training()`` is False) it returns ``data`` unchanged,
    unless ``mode='always'``. Along the ``axes`` listed, one mask value is shared (MXNet's
    variational dropout).
    """
    if not isinstance(data, NDArray):
        raise TypeError(
            f"Dropout: data must be an NDArray, got {type(data).__name__}; convert it with "
            "nd.array(...)."
        )
    if not isinstance(p, (int, float)) or not 0 <= p < 1:
        raise ValueError(f"Dropout: p={p} must be in [0, 1); it is the probability to drop.")
    if mode not in ("training", "always"):
        raise ValueError(f"Dropout: unknown mode {mode!r}; use 'training' or 'always'.")
    if (mode == "training" and not flags.training) or p == 0:
        return data
    shared = {a % data.ndim for a in (axes if isinstance(axes, (tuple, list)) else (axes,))}
    mask_shape = tuple(1 if i in shared else size for i, size in enumerate(data.shape))
    mask = (generator().random(mask_shape) >= p) / (1.0 - p)
    return call(OPS["dropout"], (data,), {"mask": mask})


def FullyConnected(  # noqa: N802 (MXNet's name)
    data: NDArray, weight: NDArray, bias: NDArray | None = None, num_hidden: int | None = None,
    no_bias: bool = False, flatten: bool = True, **_: Any,
) -> NDArray:  # fmt: skip
    """Return ``data · weightᵀ + bias``: a dense layer (``weight`` has shape (num_hidden, k)).

    With ``flatten=True`` data of more than two dimensions is reshaped to (batch, -1) first.
    Recorded as the ops it is made of (``dot``, ``add``), so the graph shows them.
    """
    arrays = [("data", data), ("weight", weight)]
    if not no_bias and bias is not None:
        arrays.append(("bias", bias))
    for name, value in arrays:
        if not isinstance(value, NDArray):
            raise TypeError(
                f"FullyConnected: {name} must be an NDArray, got {type(value).__name__}; "
                "convert it with nd.array(...)."
            )
    if num_hidden is not None and (weight.ndim != 2 or weight.shape[0] != num_hidden):
        raise ValueError(
            f"FullyConnected: weight shape {weight.shape} does not have num_hidden={num_hidden} "
            "rows; the weight's shape is (num_hidden, number of inputs)."
        )
    x = data.reshape((data.shape[0], -1)) if flatten and data.ndim != 2 else data
    out = call(OPS["dot"], (x, weight), {"transpose_a": False, "transpose_b": True})
    return out if no_bias or bias is None else out + bias


def softmax_cross_entropy(data: NDArray, label: NDArray) -> NDArray:
    """Return Σ over the batch of ``-log softmax(data)[label]``, shape ``(1,)``."""
    return call(OPS["softmax_cross_entropy"], (data, label), {})
