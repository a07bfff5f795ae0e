"""``nd.<op>(...)`` functions and fluent NDArray methods, one per entry of the op table.

Each function takes the op's array inputs first, then its attributes, positionally or by
keyword, plus ``out=`` to write into an existing array. ``x.exp()`` and ``x.sum(axis=1)``
are the same calls with ``x`` first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import ALIASES, OPS
from .ndarray import _SCALAR_TYPES, NDArray, _python_scalar, apply, apply_unary


def call(op: Any, args: tuple, kwargs: dict) -> NDArray:
    """Call ``op`` the way ``nd.<name>(...)`` does: arrays first, then its attributes.

    Lists and numpy arrays among the inputs become constant NDArrays; ``out=`` writes the
    result into an existing array.
    """
    if not kwargs and len(args) == 1 and op.n_inputs == 1 and type(args[0]) is NDArray:
        # user code is 5 frames above _result: <- apply <- call <- nd.<op> <- user
        return apply(op, args, op.attrs, 5) if op.attrs else apply_unary(op, args[0], 5)
    n_inputs = len(args) if op.n_inputs is None else op.n_inputs
    if len(args) < n_inputs or n_inputs == 0:
        raise TypeError(
            f"{op.name}: expected {op.n_inputs or 'at least 1'} array input(s), got "
            f"{len(args)}; call it as nd.{op.name}(x{', y' if n_inputs == 2 else ''}, ...)."
        )
    out = kwargs.pop("out", None) if kwargs else None
    attrs = (
        _bind_attrs(op, args[n_inputs:], kwargs) if (kwargs or len(args) > n_inputs) else op.attrs
    )
    inputs = tuple([as_input(x, op.name) for x in args[:n_inputs]])
    result = apply(op, inputs, attrs, 5)
    if out is None:
        return result
    out[...] = result
    return out


def _bind_attrs(op: Any, extra: tuple, kwargs: dict) -> dict:
    if not extra:  # keywords only (the usual call in rules: x.sum(axis=0))
        attrs = {**op.attrs, **kwargs}
        if len(attrs) == len(op.attrs):  # no unknown keyword among them
            return attrs
    names = list(op.attrs)
    if len(extra) > len(names):
        raise TypeError(
            f"{op.name}: takes {len(names)} argument(s) after its array inputs "
            f"({', '.join(names) or 'none'}), got {len(extra)}."
        )
    attrs = dict(op.attrs)
    attrs.update(zip(names, extra, strict=False))
    for key, value in kwargs.items():
        if key not in attrs:
            raise TypeError(
                f"{op.name}: unexpected argument {key!r}; it accepts "
                f"{', '.join(names) or 'no arguments'} (and out=)."
            )
        attrs[key] = value
    return attrs


def as_input(value: Any, where: str) -> Any:
    """Return an op input: NDArrays and scalars as they are, lists and numpy arrays wrapped."""
    if isinstance(value, NDArray):
        return value
    if isinstance(value, _SCALAR_TYPES):
        return _python_scalar(value)
    if isinstance(value, (np.ndarray, list, tuple)):
        return NDArray(as_numpy(value))
    raise TypeError(
        f"{where}: expected an NDArray, a number, a list or a numpy array, got "
        f"{type(value).__name__}; convert it with nd.array(...)."
    )


def as_numpy(value: Any, dtype: Any = None) -> np.ndarray:
    """Convert data to numpy: lists give float32 (MXNet's default), numpy arrays keep theirs."""
    if dtype is not None:
        return np.array(value, dtype=dtype)
    if isinstance(value, np.ndarray):
        return value
    data = np.array(value)
    if data.dtype.kind in "biuf" and data.dtype != np.float32:
        data = data.astype(np.float32)
    return data


def _make_function(op: Any, name: str) -> Any:
    if op.n_inputs == 1 and not op.attrs:  # nd.exp(x): straight to the one-input path

        def function(*args: Any, **kwargs: Any) -> NDArray:
            if len(args) == 1 and not kwargs and type(args[0]) is NDArray:
                return apply_unary(op, args[0])
            return call(op, args, kwargs)

    else:

        def function(*args: Any, **kwargs: Any) -> NDArray:
            return call(op, args, kwargs)

    attrs = ", ".join(f"{key}={value!r}" for key, value in op.attrs.items())
    function.__name__ = name
    function.__qualname__ = name
    function.__doc__ = (
        f"The ``{op.name}`` op. Arguments: array input(s)"
        f"{', then ' + attrs if attrs else ''}.\n\nDerivative: {op.formula}\n"
    )
    return function


def op_functions() -> dict[str, Any]:
    """Return ``{name: function}`` for every op and alias of the table."""
    functions = {name: _make_function(op, name) for name, op in OPS.items()}
    functions.update({new: _make_function(OPS[old], new) for new, old in ALIASES.items()})
    return functions


def _fluent_method(op: Any) -> Any:
    if op.n_inputs == 1:  # x.sum(axis=0), x.softmax(): how VJP rules call ops, so kept short

        def method(self: NDArray, *args: Any, **kwargs: Any) -> NDArray:
            if args or "out" in kwargs:
                return call(op, (self, *args), kwargs)
            attrs = _bind_attrs(op, (), kwargs) if kwargs else op.attrs
            # user code is 4 frames above _result: <- apply <- method <- user
            return apply(op, (self,), attrs, 4)

    else:

        def method(self: NDArray, *args: Any, **kwargs: Any) -> NDArray:
            return call(op, (self, *args), kwargs)

    method.__name__ = op.name
    method.__doc__ = f"Same as ``nd.{op.name}(self, ...)``. {op.formula}"
    return method


# Fluent methods (``x.exp()``, ``x.sum(axis=1)``) for every table op NDArray does not define
# itself. VJP rules are written with them, so they are installed as soon as ``nd`` loads.
for _op in OPS.values():
    if _op.method and not hasattr(NDArray, _op.name):
        setattr(NDArray, _op.name, _fluent_method(_op))
