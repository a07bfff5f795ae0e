"""Variables: arrays that own a gradient buffer (``attach_grad`` and ``mark_variables``).

Imports numpy, ``errors`` and ``tape`` only; arrays are handled by duck typing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import DTypeError, GradReqError, ShapeError, shape_text
from .tape import Node, call_site, relinked, watch

GRAD_REQS = ("write", "add", "null")


class _AddSeen:
    """Whether any variable ever had ``grad_req='add'`` (a viewer then keeps its sums)."""

    value = False


add_seen = _AddSeen()


def check_grad_req(grad_req: Any, where: str = "attach_grad") -> str:
    """Return ``grad_req`` if it is ``'write'``, ``'add'`` or ``'null'``; raise otherwise."""
    if grad_req not in GRAD_REQS:
        raise GradReqError(
            f"{where}: invalid grad_req {grad_req!r}; use 'write', 'add' or 'null'."
        )
    return grad_req


def mark(array: Any, grad_data: np.ndarray, grad_req: str, where: str = "attach_grad") -> None:
    """Make ``array`` a new variable (a fresh leaf) with the gradient buffer ``grad_data``.

    MXNet 1.x: this cuts the array's history. Ops recorded before still use the array's old
    node (``Node.previous``), so their gradient does not reach the new buffer; ops recorded
    after use the new one. One old variable is remembered (and the op node the array came
    from), so an array re-attached in every step of a loop holds two nodes, not one per step.
    """
    check_grad_req(grad_req, where)
    dtype = np.dtype(array.dtype)
    if dtype.kind not in "fc":
        raise DTypeError(
            f"{where}: integer and boolean arrays cannot have gradients (dtype {dtype.name}, "
            f"shape {shape_text(array.shape)}); convert first with x = x.astype('float32')."
        )
    if grad_data.shape != array.shape:
        raise ShapeError(
            f"{where}: gradient buffer has shape {shape_text(grad_data.shape)} but the array "
            f"has shape {shape_text(array.shape)}; pass a buffer of the array's shape."
        )
    old = array._node
    # where attach_grad was called, when a viewer wants call sites
    node = Node(None, (), {}, call_site(3) if watch.sites else None)
    if old is not None and old.inputs is not None:  # (not a cut marker, nor freed history)
        node.previous = old
        relinked.value = True
        if old.op is None:  # keep one old variable, not a chain of them (but the op node
            old.previous = _first_op(old.previous)  # the array came from, if any)
    array._node = node
    node.grad_data = grad_data
    node.grad_req = grad_req
    if grad_req == "add":
        add_seen.value = True
    node.fresh = False


def _first_op(node: Node | None) -> Node | None:
    """Return the first op node along a chain of ``previous`` links (variables skipped)."""
    while node is not None and node.op is None:
        node = node.previous
    return node


def _array_list(arrays: Any, what: str) -> list:
    arrays = list(arrays) if isinstance(arrays, (list, tuple)) else [arrays]
    for k, array in enumerate(arrays):
        if not hasattr(array, "_node"):
            raise TypeError(
                f"mark_variables: {what} must be NDArrays, but item {k} is a "
                f"{type(array).__name__}; create them with nd.array(...) or nd.zeros(...)."
            )
    return arrays


def mark_variables(variables: Any, gradients: Any, grad_reqs: Any = "write") -> None:
    """Mark arrays as variables whose gradients are written into ``gradients``.

    Parameters
    ----------
    variables : NDArray or list of NDArray
    gradients : NDArray or list of NDArray
        The buffers; backward writes into their storage.
    grad_reqs : str or list of str
        ``'write'``, ``'add'`` or ``'null'``, for all or one per variable.

    Raises
    ------
    GradReqError
        For a ``grad_req`` other than the three above.
    """
    if hasattr(variables, "_node"):
        if not hasattr(gradients, "_node"):
            raise TypeError("mark_variables: a single variable needs a single NDArray gradient.")
        variables, gradients = [variables], [gradients]
    variables, gradients = _array_list(variables, "variables"), _array_list(gradients, "gradients")
    if len(variables) != len(gradients):
        raise ShapeError(
            f"mark_variables: {len(variables)} variables but {len(gradients)} gradients; "
            "pass one gradient buffer per variable."
        )
    reqs = (
        list(grad_reqs) if isinstance(grad_reqs, (list, tuple)) else [grad_reqs] * len(variables)
    )
    for var, buffer, req in zip(variables, gradients, reqs, strict=True):
        mark(var, buffer._data, req, where="mark_variables")
