"""``NDArrayBase``: what an array knows about itself, apart from the ops it can run.

Its data and metadata (shape, dtype, context), its gradient buffer (``attach_grad``,
``.grad``), printing and Python's truth/length protocols. ``NDArray`` adds the operators and
every method that records an op. Imports numpy, ``context``, ``errors`` and the engine's
``variables``; never the op table.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from ..context import Context, check_context, cpu
from ..engine.variables import mark
from ..errors import AutogradvizError, ShapeError, shape_text

_Array = TypeVar("_Array", bound="NDArrayBase")


class NDArrayBase:
    """The part of :class:`~autogradviz.ndarray.NDArray` that runs no op (MXNet's name).

    Attributes
    ----------
    _data : numpy.ndarray
        The values.
    _node : engine Node or None
        The array's place in the recorded graph: ``None`` for a plain array, a leaf for a
        variable, an op's node inside ``autograd.record()``.
    """

    __slots__ = ("_data", "_node")

    def __init__(self, data: np.ndarray, node: Any = None) -> None:
        self._data = data
        self._node = node

    # --------------------------------------------------------------------- data and metadata
    @property
    def shape(self) -> tuple[int, ...]:
        """The array's dimensions, a tuple of ints."""
        return self._data.shape

    @property
    def dtype(self) -> type:
        """The element type as a numpy type class (``numpy.float32``), as in MXNet."""
        return self._data.dtype.type

    @property
    def size(self) -> int:
        """The number of elements."""
        return self._data.size

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def context(self) -> Context:
        """The device the array lives on: always ``cpu(0)``."""
        return cpu()

    ctx = context

    @property
    def stype(self) -> str:
        """Storage type; autogradviz stores every array densely."""
        return "default"

    def asnumpy(self) -> np.ndarray:
        """Return a numpy copy of the values."""
        return self._data.copy()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def asscalar(self) -> Any:
        """Return the only element as a numpy scalar.

        Raises
        ------
        ShapeError
            If the array does not have exactly one element.
        """
        if self.size != 1:
            raise ShapeError(
                f"asscalar: the current array is not a scalar (shape {shape_text(self.shape)}); "
                "reduce it first, e.g. x.sum().asscalar(), or index one element: x[0]."
            )
        return self._data.reshape(-1)[0]

    def wait_to_read(self) -> None:
        """Wait until the values are computed (numpy is synchronous: returns at once)."""

    def as_in_context(self: _Array, context: Context) -> _Array:
        """Return the array on ``context`` (``self``, since everything lives on the CPU)."""
        check_context(context, "as_in_context")
        return self

    def zeros_like(self: _Array) -> _Array:
        """Return zeros of the same shape and dtype (not recorded)."""
        return type(self)(np.zeros_like(self._data))

    def ones_like(self: _Array) -> _Array:
        """Return ones of the same shape and dtype (not recorded)."""
        return type(self)(np.ones_like(self._data))

    # --------------------------------------------------------------------- gradients
    def attach_grad(self, grad_req: str = "write", stype: Any = None) -> None:
        """Give the array a zero gradient buffer so ``backward`` can fill ``self.grad``.

        Raises
        ------
        GradReqError
            If ``grad_req`` is not ``'write'``, ``'add'`` or ``'null'``.
        DTypeError
            If the array holds integers or booleans.
        """
        mark(self, np.zeros_like(self._data), grad_req)

    @property
    def grad(self: _Array) -> _Array | None:
        """The gradient buffer (sharing storage), or ``None`` if ``attach_grad`` was not called."""
        node = self._node
        if node is None or node.grad_data is None:
            return None
        return type(self)(node.grad_data)

    @property
    def grad_req(self) -> str:
        """``'write'``, ``'add'`` or ``'null'`` for variables; ``'null'`` otherwise."""
        return "null" if self._node is None else self._node.grad_req

    @property
    def _fresh_grad(self) -> bool:
        return self._node is not None and self._node.fresh

    @_fresh_grad.setter
    def _fresh_grad(self, value: bool) -> None:
        if self._node is None or self._node.grad_data is None:
            raise AutogradvizError(
                "_fresh_grad: NDArray has not been marked as a variable and does not have "
                "gradient state; call attach_grad() first."
            )
        self._node.fresh = bool(value)

    # --------------------------------------------------------------------- printing
    def __repr__(self) -> str:
        dims = "x".join(str(size) for size in self.shape)
        return f"\n{self._data}\n<{type(self).__name__} {dims} @{self.context}>"

    __str__ = __repr__

    # --------------------------------------------------------------------- Python protocols
    def __bool__(self) -> bool:
        if self.size == 0:
            return False
        if self.size > 1:
            raise ShapeError(
                f"bool: the truth value of an NDArray with multiple elements is ambiguous "
                f"(shape {shape_text(self.shape)}); reduce it first, e.g. with .sum() or nd.max."
            )
        return bool(self._data.reshape(-1)[0])

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len: a 0-d NDArray has no length; use .size instead.")
        return self.shape[0]


def fewer_elements(shape: tuple, size: int) -> bool:
    """Whether ``shape`` is plain positive sizes (no codes 0, -1, ...) holding fewer elements."""
    dims = all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d > 0 for d in shape
    )
    return bool(shape) and dims and int(np.prod(shape)) < size
