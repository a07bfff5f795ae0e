"""Which file entry fills which parameter: ``save_parameters`` / ``load_parameters`` matching.

MXNet 1.9 saves a block's parameters by their place in the structure: the attribute path
from the block down (``0.weight`` for the first child's weight, ``hidden.bias``), so a
network built again, with other names (``dense3_`` instead of ``dense0_``), loads the file.
The older ``save_params`` matches by name after the block's prefix. Both end in
:func:`load_into`. Written on the public ``nd`` API only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .parameter import fills


def structural_params(block: Any, path: str = "") -> dict[str, Any]:
    """Return ``{"0.weight": Parameter, ...}``: every parameter by its attribute path."""
    prefix = f"{path}." if path else ""
    found = {prefix + name: param for name, param in block._reg_params.items()}
    for name, child in block._children.items():
        found.update(structural_params(child, prefix + name))
    return found


def load_into(params: dict[str, Any], loaded: Any, filename: str, allow_missing: bool,
              ignore_extra: bool, cast_dtype: bool = False,
              where: str = "load_parameters") -> None:  # fmt: skip
    """Give each parameter its array from ``loaded`` (a dict by the same keys), checked.

    Raises
    ------
    ValueError
        If a parameter has no entry (unless ``allow_missing``), an entry has no parameter
        (unless ``ignore_extra``), a shape differs from the parameter's, or a dtype does
        (unless ``cast_dtype``).
    """
    if not isinstance(loaded, dict):
        raise ValueError(
            f"{where}: {filename} holds a list of arrays, not named parameters; save "
            "it with net.save_parameters(file)."
        )
    missing = [key for key in params if key not in loaded]
    if missing and not allow_missing:
        raise ValueError(
            f"{where}: parameter {missing[0]!r} is missing in file {filename!r}, which "
            f"contains {', '.join(sorted(loaded)) or 'nothing'}. Build the same network, or "
            "pass allow_missing=True to keep the missing ones as they are."
        )
    extra = [key for key in loaded if key not in params]
    if extra and not ignore_extra:
        raise ValueError(
            f"{where}: {extra[0]!r} in file {filename!r} is not a parameter of this "
            f"network, which has {', '.join(params) or 'none'}. Pass ignore_extra=True to "
            "skip such entries."
        )
    for key, param in params.items():
        if key in loaded:
            _check_shape(param, loaded[key], key, filename, where)
            if not cast_dtype:
                _check_dtype(param, loaded[key], key, filename, where)
    for key, param in params.items():  # (all checked first: a failure changes nothing)
        if key in loaded:
            param.set_data(loaded[key])


def _check_shape(param: Any, value: Any, key: str, filename: str, where: str) -> None:
    shape = param.shape
    if not fills(shape, value.shape):
        raise ValueError(
            f"{where}: {key!r} ({param.name}) has shape {shape}, but the file "
            f"{filename!r} holds shape {value.shape}; build the network with the sizes it was "
            "saved with."
        )


def _check_dtype(param: Any, value: Any, key: str, filename: str, where: str) -> None:
    if np.dtype(param.dtype) != np.dtype(value.dtype):
        raise ValueError(
            f"{where}: {key!r} ({param.name}) is {np.dtype(param.dtype).name}, but the file "
            f"{filename!r} holds {np.dtype(value.dtype).name}; pass cast_dtype=True to convert."
        )
