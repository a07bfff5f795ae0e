"""Rendering options, with their defaults and checks, shared by every renderer.

Imports the standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Options:
    """How to draw a graph.

    values, grads, shapes : bool
        Show value previews, gradient previews, and shapes/dtypes on the nodes.
    precision : int
        Significant digits in previews.
    max_elements : int
        Elements shown per preview before ``...``.
    rankdir : str
        ``'LR'`` (left to right) or ``'TB'`` (top to bottom).
    theme : str
        ``'light'`` or ``'dark'``: colours readable on JupyterLab's light and dark themes.
    max_nodes : int
        Beyond this many nodes, keep the heads, the variables and their nearest nodes.
    fold : bool
        Draw chains of identical ops (same op, same constant operand) as one ``×N`` node.
    legend : bool
        Add a legend explaining colours and line styles.
    highlight : str
        Id of a node to draw in orange with the arrows to its inputs (the backward stepper's
        "node being processed"); empty for none.
    """

    values: bool = True
    grads: bool = True
    shapes: bool = True
    precision: int = 4
    max_elements: int = 6
    rankdir: str = "LR"
    theme: str = "light"
    max_nodes: int = 150
    fold: bool = True
    legend: bool = True
    highlight: str = ""


_CHOICES = {"rankdir": ("LR", "TB"), "theme": ("light", "dark")}


def make_options(options: Options | None = None, **changes: Any) -> Options:
    """Return ``options`` (or the defaults) with ``changes`` applied, checked.

    Raises
    ------
    TypeError
        For an unknown option name.
    ValueError
        For a value outside the allowed choices or ranges.
    """
    known = {f.name for f in fields(Options)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise TypeError(
            f"render: unknown option(s) {', '.join(unknown)}; the options are "
            f"{', '.join(sorted(known))}."
        )
    result = replace(options or Options(), **changes)
    for name, choices in _CHOICES.items():
        if getattr(result, name) not in choices:
            raise ValueError(
                f"render: {name}={getattr(result, name)!r} is not allowed; use one of "
                f"{', '.join(repr(c) for c in choices)}."
            )
    for name in ("precision", "max_elements", "max_nodes"):
        if not isinstance(getattr(result, name), int) or getattr(result, name) < 1:
            raise ValueError(f"render: {name} must be a positive integer.")
    return result
