"""Short text previews of values and gradients for labels and listings.

Imports numpy and the graph model's ``Summary`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph.summary import Summary


def preview(value: Any, precision: int, max_elements: int) -> str:
    """Return a one-line preview: ``[[4 8] [1.2 1.6]]``, a summary, or ``—`` for none."""
    if value is None:
        return "—"
    if isinstance(value, Summary):
        head = " ".join(f"{v:.{precision}g}" for v in value.first[:max_elements])
        return (
            f"[{head} ...] min {value.min:.{precision}g} max {value.max:.{precision}g} "
            f"mean {value.mean:.{precision}g}"
        )
    array = np.asarray(value)
    if array.size <= max_elements:
        return _nested(array, precision)
    text = np.array2string(
        array, precision=precision, threshold=max_elements,
        edgeitems=max(1, max_elements // 2), max_line_width=10_000, floatmode="maxprec",
    )  # fmt: skip
    return " ".join(text.split())


def is_small(value: Any, max_elements: int) -> bool:
    """Return whether ``value`` is shown as numbers (``None`` and arrays of few elements)."""
    if value is None:
        return True
    if isinstance(value, Summary):
        return False
    return int(np.size(value)) <= max_elements


def stats_text(value: Any, precision: int, spread: str = "mean") -> str:
    """Return ``min -1 max 2 mean 0.3`` (``spread='norm'``: the norm instead of the mean).

    An array whose elements are all equal says so (``all 0``); NaN and Inf are counted.
    """
    low, high, mean, norm, bad = _statistics(value)
    if low != low:  # no finite element
        text = "no finite element"
    elif low == high:
        text = f"all {low:.{precision}g}"
    else:
        middle = f"norm {norm:.{precision}g}" if spread == "norm" else f"mean {mean:.{precision}g}"
        text = f"min {low:.{precision}g} max {high:.{precision}g} {middle}"
    return text + (f" · {bad} NaN/Inf" if bad else "")


def _statistics(value: Any) -> tuple[float, float, float, float, int]:
    if isinstance(value, Summary):
        return value.min, value.max, value.mean, value.norm, value.nonfinite
    array = np.asarray(value, dtype=np.float64).reshape(-1)
    finite = array[np.isfinite(array)]
    if not finite.size:
        return float("nan"), float("nan"), float("nan"), float("nan"), array.size
    return (float(finite.min()), float(finite.max()), float(finite.mean()),
            float(np.sqrt(np.dot(finite, finite))), int(array.size - finite.size))  # fmt: skip


def _nested(array: np.ndarray, precision: int) -> str:
    """Format a small array as nested brackets, each number in ``precision`` digits."""
    if array.ndim == 0:
        value = array.item()
        return f"{value:.{precision}g}" if isinstance(value, float) else str(value)
    return "[" + " ".join(_nested(row, precision) for row in array) + "]"


def grad_lines(node: Any, precision: int, max_elements: int) -> list[str]:
    """Return the lines that say what a node's gradient is: ``.grad [4 8]``, ``flowed [1 1]``.

    ``.grad`` is the variable's buffer (what ``print(x.grad)`` shows); ``flowed`` is the
    gradient that reached the node in this pass (∂head/∂node). See ``Node.grad_kind``.
    """
    text = preview(node.grad, precision, max_elements)
    kind = node.grad_kind
    if kind == "buffer":
        return [f".grad {text}"]
    if kind is None:
        return [f"grad {text}"]
    lines = [f"flowed {text}"]
    if kind == "sum":
        lines.append(f".grad {preview(node.grad_buffer, precision, max_elements)} (sum)")
    elif kind == "null":
        lines.append(".grad not kept (grad_req='null')")
    elif kind == "grad()":
        lines.append(".grad untouched (autograd.grad)")
    if getattr(node, "reattached", None) is not None:
        lines.append("not in .grad: attach_grad() later")
    return lines
