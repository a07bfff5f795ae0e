"""``nd.<op>(...)`` functions, one per entry (and alias) of the op table.

Each function takes the op's array inputs first, then its attributes, positionally or by
keyword, plus ``out=`` to write into an existing array.
"""

from __future__ import annotations

from typing import Any

from ..ops import ALIASES, OPS
from .ndarray import NDArray, call


def _make_function(op: Any, name: str) -> Any:
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
