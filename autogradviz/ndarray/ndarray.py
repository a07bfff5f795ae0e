"""``NDArray``: a numpy array plus its place in the recorded graph (MXNet's NDArray API).

This file holds the operators and the methods that run ops; what an array knows about itself
(shape, ``.grad``, printing) is in ``base``, writes (``x[i] = v``, ``+=``) in ``writes``.
Operators and methods call ops from the table through :func:`apply`; they contain no
derivatives. Imports numpy, the op table and the engine; nothing visual.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..context import check_context
from ..engine.backward import backward as _backward
from ..engine.tape import PAUSED_RECORDING, connect, cut_mark, flags, pause_mark
from ..errors import AutogradvizError, ShapeError, explain_numpy_error, shape_text
from ..ops import OPS
from .base import NDArrayBase, fewer_elements
from .writes import check_inplace, plain_key, setitem

_SCALAR_TYPES = (numbers.Number, np.generic)
_NO_ATTRS: dict = {}
# What numpy raises for bad operands or attributes (a string axis, a dict as a shape).
_FORWARD_ERRORS = (ValueError, IndexError, TypeError, AttributeError, OverflowError)


def apply(op: Any, inputs: tuple, attrs: dict, depth: int = 4) -> NDArray:
    """Run ``op`` forward on ``inputs`` and record a graph node if needed.

    Inputs may be NDArrays or constants (Python scalars, numpy arrays). ``depth``: how many
    frames above ``_result`` the user's code is (4: called by an NDArray method).
    """
    datas = [x._data if isinstance(x, NDArray) else x for x in inputs]
    try:
        out = op.forward(*datas, **attrs)
    except AutogradvizError:
        raise
    except _FORWARD_ERRORS as error:
        raise explain_numpy_error(op.name, [np.shape(d) for d in datas], error) from None
    return _result(op, out, inputs, attrs, depth)


def _result(op: Any, out: Any, inputs: tuple, attrs: dict, depth: int = 4) -> NDArray:
    """Wrap an op's numpy output, with a graph node when recording (a cut mark in pause)."""
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    recording = flags.recording
    if recording:  # user code is 4 frames up: _result <- apply <- NDArray method <- user
        return NDArray(out, connect(op, inputs, attrs, depth))
    if recording is PAUSED_RECORDING:
        return NDArray(out, pause_mark(inputs, depth))
    return NDArray(out)


def apply_unary(op: Any, x: NDArray, depth: int = 4) -> NDArray:
    """``apply`` for one NDArray input and no attributes: the hot path of ``nd.exp(x)``."""
    try:
        out = op.forward(x._data)
    except AutogradvizError:
        raise
    except _FORWARD_ERRORS as error:
        raise explain_numpy_error(op.name, [x.shape], error) from None
    return _result(op, out, (x,), _NO_ATTRS, depth)


def _operand(y: Any) -> tuple[Any, Any] | None:
    """Return ``(operand, its data)`` for the other side of an operator, or ``None``."""
    if type(y) is float or type(y) is int:
        return y, y
    if isinstance(y, NDArray):
        return y, y._data
    if isinstance(y, _SCALAR_TYPES):
        y = _python_scalar(y)
        return y, y
    if isinstance(y, np.ndarray):
        return NDArray(y), y
    return None


def _binary(op: Any, x: NDArray, y: Any) -> Any:
    """``x <op> y`` for Python operators.

    This is the hottest path of the package (backward rules run through it too), so it
    inlines what ``_apply_binary`` and ``_result`` do for the two common operand types.
    """
    y_data: Any
    if type(y) is NDArray:
        y_data = y._data
    elif type(y) is float or type(y) is int:
        y_data = y
    else:
        operand = _operand(y)
        if operand is None:
            return NotImplemented
        return _apply_binary(op, x, operand[0], x._data, operand[1])
    try:
        out = op.forward(x._data, y_data)
    except AutogradvizError:
        raise
    except _FORWARD_ERRORS as error:
        raise explain_numpy_error(op.name, [x.shape, np.shape(y_data)], error) from None
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    recording = flags.recording
    if recording:  # user code is 3 frames up: _binary <- __mul__ <- user
        return NDArray(out, connect(op, (x, y), _NO_ATTRS, 3))
    if recording is PAUSED_RECORDING:
        return NDArray(out, pause_mark((x, y), 3))
    return NDArray(out)


def _reflected(op: Any, x: NDArray, y: Any) -> Any:
    """``y <op> x`` where Python found ``x`` on the right (``2 - x``)."""
    if type(y) is float or type(y) is int:  # the common case, in rules like 1 - out * out
        return _apply_binary(op, y, x, y, x._data)
    operand = _operand(y)
    if operand is None:
        return NotImplemented
    return _apply_binary(op, operand[0], x, operand[1], x._data)


def _apply_binary(op: Any, x: Any, y: Any, x_data: Any, y_data: Any) -> NDArray:
    try:
        out = op.forward(x_data, y_data)
    except AutogradvizError:
        raise
    except _FORWARD_ERRORS as error:
        raise explain_numpy_error(op.name, [np.shape(x_data), np.shape(y_data)], error) from None
    return _result(op, out, (x, y), _NO_ATTRS, 5)  # <- _binary or _reflected <- operator


def _python_scalar(value: Any) -> Any:
    """Turn a numpy scalar into a Python number, so ``x * np.float64(2)`` stays float32.

    numpy 2 lets a numpy scalar promote a float32 array to float64; MXNet keeps the
    array's dtype, and a Python number does the same in numpy.
    """
    return value.item() if isinstance(value, np.generic) else value


class NDArray(NDArrayBase):
    """An n-dimensional array that can take part in automatic differentiation.

    Create one with ``nd.array``, ``nd.zeros`` and friends. Python operators
    (``+ - * / ** -x``, comparisons) and methods (``x.exp()``, ``x.sum(axis=1)``) are
    recorded inside ``autograd.record()``. Comparisons return 0/1 arrays of the same dtype.

    Examples
    --------
    >>> from autogradviz import nd
    >>> nd.array([[1, 2], [3, 4]]) * 2
    <BLANKLINE>
    [[2. 4.]
     [6. 8.]]
    <NDArray 2x2 @cpu(0)>
    """

    __slots__ = ("__weakref__",)
    __array_ufunc__ = None  # numpy defers `np_scalar * x` to our reflected operators
    __hash__ = object.__hash__

    def tostype(self, stype: str) -> NDArray:
        """Return a copy; sparse storage is not modelled, the values are the same."""
        return self.copy()

    def copyto(self, other: Any) -> NDArray:
        """Copy into another NDArray (same shape) or to a context (a new array)."""
        if isinstance(other, NDArray):
            if other.shape != self.shape:
                raise ShapeError(
                    f"copyto: shapes {shape_text(self.shape)} and {shape_text(other.shape)} "
                    "differ; copy into an array of the same shape."
                )
            other[:] = self
            return other
        check_context(other, "copyto")
        return self.copy()

    def copy(self) -> NDArray:
        """Return a copy with its own storage (recorded: the gradient passes through)."""
        return apply(OPS["copy"], (self,), _NO_ATTRS)

    def astype(self, dtype: Any, copy: bool = True) -> NDArray:
        """Return the values converted to ``dtype`` (``self`` if ``copy=False`` and no change)."""
        if not copy and np.dtype(dtype) == self._data.dtype:
            return self
        return apply(OPS["astype"], (self,), {"dtype": dtype})

    def detach(self) -> NDArray:
        """Return an array sharing the same values but cut from the graph (a constant)."""
        return NDArray(self._data, cut_mark("detach", 1))

    @property
    def T(self) -> NDArray:
        """The transpose (for arrays of two or more dimensions; otherwise the array itself)."""
        return self.transpose() if self.ndim >= 2 else self  # type: ignore[attr-defined]

    def reshape(self, *shape: Any, literal: bool = False, **kwargs: Any) -> NDArray:
        """Return the array with a new shape; ``0`` copies a dimension, ``-1`` infers one.

        ``literal=True`` takes the shape as it is (VJP rules use it: their shapes may hold
        real size-0 dimensions, which MXNet's code 0 would misread).
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        if "shape" in kwargs:
            shape = tuple(kwargs.pop("shape"))
        if kwargs:
            raise TypeError(f"reshape: unexpected argument(s) {', '.join(kwargs)}; pass a shape.")
        if not flags.recording and not literal and fewer_elements(shape, self.size):
            # MXNet 1.x, outside record(): a view of the first elements (the book relies on it)
            view = self._data.reshape(-1)[: int(np.prod(shape))].reshape(shape)
            return NDArray(
                view, pause_mark((self,)) if flags.recording is PAUSED_RECORDING else None
            )
        return apply(OPS["reshape"], (self,), {"shape": shape, "literal": literal})

    def backward(
        self, out_grad: Any = None, retain_graph: bool = False, train_mode: bool = True
    ) -> None:
        """Back-propagate from this array; same as ``autograd.backward([self], [out_grad])``."""
        _backward([self], [out_grad], retain_graph=retain_graph, train_mode=train_mode)

    # --------------------------------------------------------------------- indexing, writes
    def __iter__(self) -> Any:
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, key: Any) -> NDArray:
        return apply(OPS["getitem"], (self,), {"key": plain_key(key)})

    def __setitem__(self, key: Any, value: Any) -> None:
        setitem(self, key, value)

    def _inplace(self, op_name: str, other: Any) -> NDArray:
        check_inplace(self, op_name, other)
        previous, flags.recording = flags.recording, False
        try:
            result = _binary(OPS[op_name], self, other)
        finally:
            flags.recording = previous
        if result is NotImplemented:
            return NotImplemented
        self[...] = result
        return self

    # --------------------------------------------------------------------- operators
    def __add__(self, other: Any) -> NDArray:
        return _binary(OPS["add"], self, other)

    def __radd__(self, other: Any) -> NDArray:
        return _reflected(OPS["add"], self, other)

    def __sub__(self, other: Any) -> NDArray:
        return _binary(OPS["subtract"], self, other)

    def __rsub__(self, other: Any) -> NDArray:
        return _reflected(OPS["subtract"], self, other)

    def __mul__(self, other: Any) -> NDArray:
        return _binary(OPS["multiply"], self, other)

    def __rmul__(self, other: Any) -> NDArray:
        return _reflected(OPS["multiply"], self, other)

    def __truediv__(self, other: Any) -> NDArray:
        return _binary(OPS["divide"], self, other)

    def __rtruediv__(self, other: Any) -> NDArray:
        return _reflected(OPS["divide"], self, other)

    def __pow__(self, other: Any) -> NDArray:
        return _binary(OPS["power"], self, other)

    def __rpow__(self, other: Any) -> NDArray:
        return _reflected(OPS["power"], self, other)

    def __neg__(self) -> NDArray:
        return apply_unary(OPS["negative"], self)

    def __pos__(self) -> NDArray:
        return self

    def __abs__(self) -> NDArray:
        return apply_unary(OPS["abs"], self)

    def __eq__(self, other: Any) -> Any:
        return _binary(OPS["equal"], self, other)

    def __ne__(self, other: Any) -> Any:
        return _binary(OPS["not_equal"], self, other)

    def __gt__(self, other: Any) -> NDArray:
        return _binary(OPS["greater"], self, other)

    def __ge__(self, other: Any) -> NDArray:
        return _binary(OPS["greater_equal"], self, other)

    def __lt__(self, other: Any) -> NDArray:
        return _binary(OPS["less"], self, other)

    def __le__(self, other: Any) -> NDArray:
        return _binary(OPS["less_equal"], self, other)

    def __iadd__(self, other: Any) -> NDArray:
        return self._inplace("add", other)

    def __isub__(self, other: Any) -> NDArray:
        return self._inplace("subtract", other)

    def __imul__(self, other: Any) -> NDArray:
        return self._inplace("multiply", other)

    def __itruediv__(self, other: Any) -> NDArray:
        return self._inplace("divide", other)
