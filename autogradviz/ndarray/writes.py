"""Writing into an array: ``x[key] = value`` and the in-place operators (``+=``, ...).

MXNet refuses an in-place write while recording when it would corrupt gradients: to an
array already in the graph, or of a recorded value into an array outside it. Indexes may
hold NDArrays (turned into integer arrays). Write listeners hear of each write first.
Imports numpy, ``errors``, the engine's tape and listeners and ``NDArrayBase``; never the
op table.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..engine.listeners import notify_write, write_listeners
from ..engine.tape import flags, in_graph
from ..errors import InplaceError, ShapeError, shape_text
from .base import NDArrayBase

_INPLACE_MESSAGE = (
    "{where}: assigning to NDArrays that are already in a computational graph (shape {shape}) "
    "would corrupt the gradients. Call backward first to clear the graph, do it outside "
    "autograd.record(), or write y = y + 1 instead of an in-place operation (+=, y[idx] = x)."
)
_INPLACE_VALUE_MESSAGE = (
    "{where}: inplace operations (+=, -=, x[:]=, etc) are not supported when recording with "
    "autograd: the value (shape {value_shape}) is in a computational graph but the array "
    "written to (shape {shape}) is not, so the gradient would be lost. Write y = <expression> "
    "(a new array) instead, or do it outside autograd.record()."
)
_VALUE_TYPES = (np.ndarray, list, tuple, numbers.Number, np.generic)


def check_inplace(array: NDArrayBase, where: str, value: Any = None) -> None:
    """Refuse an in-place write to ``array`` that would corrupt the recorded graph."""
    if not flags.recording:
        return
    if in_graph(array):
        raise InplaceError(_INPLACE_MESSAGE.format(where=where, shape=shape_text(array.shape)))
    if in_graph(value):
        raise InplaceError(
            _INPLACE_VALUE_MESSAGE.format(
                where=where, value_shape=shape_text(value.shape), shape=shape_text(array.shape)
            )
        )


def plain_key(key: Any) -> Any:
    """Replace NDArrays inside an index by integer numpy arrays."""
    if isinstance(key, NDArrayBase):
        return key._data.astype(np.int64)
    if isinstance(key, tuple):
        return tuple(plain_key(k) for k in key)
    if isinstance(key, list):
        return np.asarray(key)
    return key


def setitem(array: NDArrayBase, key: Any, value: Any) -> None:
    """``array[key] = value``, with errors that name the index and both shapes."""
    check_inplace(array, "setitem", value)
    if write_listeners:  # the graph capture keeps the values a captured pass used
        notify_write(array)
    value = value._data if isinstance(value, NDArrayBase) else value
    if not isinstance(value, _VALUE_TYPES):
        raise TypeError(
            f"setitem: cannot assign a {type(value).__name__} to an NDArray; assign a "
            "number, a list, a numpy array or an NDArray."
        )
    key = plain_key(key)
    target = _selection(array, key)
    try:
        given = np.asarray(value)
        if given.ndim > 0 and given.size == np.size(target):
            given = given.reshape(np.shape(target))
        array._data[key] = given
    except (ValueError, IndexError) as error:
        value_shape = shape_text(np.asarray(value).shape)
        raise ShapeError(
            f"setitem: cannot assign a value of shape {value_shape} to a "
            f"selection of shape {shape_text(np.shape(target))} ({error}); give a value "
            "of that shape or one that broadcasts to it."
        ) from None


def _selection(array: NDArrayBase, key: Any) -> Any:
    """Return ``array._data[key]``, or raise a clear error for a bad index."""
    try:
        return array._data[key]
    except (IndexError, TypeError) as error:
        wrong_type = isinstance(error, TypeError) or "valid indices" in str(error)
        raise (TypeError if wrong_type else IndexError)(
            f"setitem: invalid index {key!r:.40} for shape {shape_text(array.shape)} "
            f"({error}); use ints, slices, ... or integer arrays."
        ) from None
