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
        Arrays of up to this many elements are shown as numbers; bigger ones as statistics
        and a picture (see ``glyphs``).
    glyphs : bool
        Draw big arrays as a sparkline (1-D) or a heatmap (2-D) with one line of statistics;
        ``False``: a shortened printout instead.
    rankdir : str
        ``'LR'`` (left to right), ``'TB'`` (top to bottom), or ``'auto'``: left to right for
        short graphs (at most ``AUTO_LR_RANKS`` boxes deep), top to bottom for longer ones,
        which then fit a notebook's column and scroll down.
    theme : str
        ``'light'`` or ``'dark'``: colours readable on JupyterLab's light and dark themes.
    max_nodes : int
        Beyond this many nodes, keep the heads, the variables and their nearest nodes.
    fold : bool
        Draw chains of identical ops (same op, same constant operand) as one ``×N`` node.
    clusters : bool
        Frame the ops made inside one call of a user's function (``def net(X)``), named.
    collapse : str
        Which frames are drawn closed, as one box: ``'auto'`` (function calls once the graph
        has more than ``COLLAPSE_ABOVE`` boxes; named groups that hold no other group, such
        as a gluon layer, always), ``'all'`` or ``'none'``.
    toggled : tuple of str
        Call ids (``'c0'``) whose frame is drawn the other way round (the widget's clicks).
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
    glyphs: bool = True
    rankdir: str = "auto"
    theme: str = "light"
    max_nodes: int = 150
    fold: bool = True
    clusters: bool = True
    collapse: str = "auto"
    toggled: tuple[str, ...] = ()
    legend: bool = True
    highlight: str = ""


AUTO_LR_RANKS = 4  # about what fits a notebook column across (boxes ~250 px wide)
COLLAPSE_ABOVE = 40
_CHOICES = {
    "rankdir": ("auto", "LR", "TB"), "theme": ("light", "dark"),
    "collapse": ("auto", "all", "none"),
}  # fmt: skip


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
    if isinstance(result.toggled, str) or not all(isinstance(t, str) for t in result.toggled):
        raise ValueError("render: toggled must be a tuple of call ids such as ('c0', 'c2').")
    result = replace(result, toggled=tuple(result.toggled))
    for name in ("precision", "max_elements", "max_nodes"):
        if not isinstance(getattr(result, name), int) or getattr(result, name) < 1:
            raise ValueError(f"render: {name} must be a positive integer.")
    return result
