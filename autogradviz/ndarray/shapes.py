"""MXNet's spellings of joining and splitting: ``concat``, ``stack`` and ``split``.

``concat(*arrays, dim=1)``, ``stack(*arrays, axis=0)`` and
``split(data, num_outputs, axis=1, squeeze_axis=False)``.
"""

from __future__ import annotations

from typing import Any

from ..errors import ShapeError, shape_text
from ..ops import OPS
from .functions import call
from .ndarray import NDArray


def concat(*arrays: Any, dim: int = 1) -> NDArray:
    """Join arrays along axis ``dim`` (MXNet's default is 1)."""
    return call(OPS["concat"], arrays, {"dim": dim})


def stack(*arrays: Any, axis: int = 0) -> NDArray:
    """Stack same-shaped arrays along a new axis."""
    return call(OPS["stack"], arrays, {"axis": axis})


def split(data: NDArray, num_outputs: int, axis: int = 1, squeeze_axis: bool = False) -> Any:
    """Split ``data`` into ``num_outputs`` equal parts along ``axis``; one part is returned bare.

    Each part is recorded as its own ``slice_axis`` node.
    """
    if (
        not isinstance(data, NDArray)
        or not isinstance(num_outputs, int)
        or not isinstance(axis, int)
    ):
        raise TypeError(
            f"split: expected an NDArray and an int number of outputs, got "
            f"{type(data).__name__}, {type(num_outputs).__name__} and axis "
            f"{type(axis).__name__}; call it as "
            "nd.split(x, num_outputs=2, axis=1)."
        )
    if not -data.ndim <= axis < data.ndim:
        raise ShapeError(
            f"split: axis {axis} is out of range for shape {shape_text(data.shape)}; use an "
            "axis between -ndim and ndim-1."
        )
    size = data.shape[axis]
    if num_outputs <= 0 or size % num_outputs:
        raise ShapeError(
            f"split: axis {axis} of shape {shape_text(data.shape)} has size {size}, which does "
            f"not divide into {num_outputs} equal parts; pick num_outputs dividing {size}."
        )
    step = size // num_outputs
    parts = [
        call(OPS["slice_axis"], (data,), {"axis": axis, "begin": i * step, "end": (i + 1) * step})
        for i in range(num_outputs)
    ]
    if squeeze_axis:
        parts = [call(OPS["squeeze"], (part,), {"axis": axis}) for part in parts]
    return parts[0] if num_outputs == 1 else parts
