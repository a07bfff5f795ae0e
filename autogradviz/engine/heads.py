"""Checking the heads and head gradients given to ``backward`` and ``grad``.

MXNet silently misreads memory when a head gradient has the wrong shape; we raise instead.
Imports numpy, ``errors`` and ``tape`` only; arrays are handled by duck typing.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..errors import GraphError, ShapeError, shape_text
from .tape import in_graph


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _check_in_graph(head: Any, where: str = "backward") -> None:
    if not hasattr(head, "_node"):
        raise TypeError(
            f"{where}: heads must be NDArrays, not {type(head).__name__}; compute the head "
            "from NDArrays inside autograd.record()."
        )
    if in_graph(head):
        return
    if head._node is not None and head._node.op is not None:
        raise GraphError(
            f"backward: the head (shape {shape_text(head.shape)}) was already "
            "back-propagated and its graph freed. Pass retain_graph=True to the first "
            "backward to differentiate the same graph twice, or recompute it inside "
            "autograd.record()."
        )
    raise GraphError(
        f"backward: cannot differentiate the head (shape {shape_text(head.shape)}) because "
        "it is not in a computational graph. Call x.attach_grad() on the inputs, then "
        "compute the head inside `with autograd.record():`."
    )


def _check_head_grad(index: int, head: Any, head_grad: Any, where: str = "backward") -> Any:
    if head_grad is None:
        return head.ones_like()
    if not hasattr(head_grad, "_node"):
        head_grad = type(head)(_head_grad_data(index, head, head_grad, where))
    if head_grad.shape != head.shape:
        raise ShapeError(
            f"backward: head_grads[{index}] has shape {shape_text(head_grad.shape)} but its "
            f"head has shape {shape_text(head.shape)}; pass head gradients of shape "
            f"{shape_text(head.shape)}."
        )
    if head_grad.dtype != head.dtype:
        raise ShapeError(
            f"backward: head_grads[{index}] has dtype {np.dtype(head_grad.dtype).name} but "
            f"its head has dtype {np.dtype(head.dtype).name}; convert it with "
            f".astype('{np.dtype(head.dtype).name}')."
        )
    return head_grad


def _head_grad_data(index: int, head: Any, head_grad: Any, where: str) -> np.ndarray:
    """Convert a numpy array, list or number given as a head gradient; refuse anything else."""
    if isinstance(head_grad, (np.ndarray, list, tuple, numbers.Number, np.number)):
        try:
            return np.asarray(head_grad, dtype=head.dtype)
        except (TypeError, ValueError):
            pass
    raise TypeError(
        f"{where}: head_grads[{index}] must be an NDArray, a numpy array, a list or a number, "
        f"not {type(head_grad).__name__} {head_grad!r:.40}; pass nd.ones_like(head) or None."
    )


def check_heads(heads: Any, head_grads: Any, where: str = "backward") -> tuple[list, list]:
    """Return ``heads`` and ``head_grads`` as two lists of the same length, checked.

    Raises
    ------
    GraphError
        If a head is not in a live recorded graph.
    ShapeError
        If a head gradient's shape or dtype differs from its head's.
    """
    heads = _as_list(heads)
    if head_grads is None:
        head_grads = [None] * len(heads)
    head_grads = _as_list(head_grads)
    if len(heads) != len(head_grads):
        raise ShapeError(
            f"backward: heads and head_grads must be lists of the same length: "
            f"{len(heads)} vs. {len(head_grads)}; pass one head gradient (or None) per head."
        )
    for head in heads:
        _check_in_graph(head, where)
    return heads, [
        _check_head_grad(i, h, g, where)
        for i, (h, g) in enumerate(zip(heads, head_grads, strict=True))
    ]
