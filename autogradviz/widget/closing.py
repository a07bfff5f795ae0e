"""Closing a view: every widget it is made of, so that a re-run cell leaves nothing alive.

Imports ipywidgets and the shared runtime's class (which is never closed: every view uses it).
"""

from __future__ import annotations

import ipywidgets as widgets

from .runtime import GraphvizRuntime


def parts(widget: widgets.Widget) -> list[widgets.Widget]:
    """Return the widget, its children, and their layout and style models, depth first."""
    found: list[widgets.Widget] = []
    seen: set[int] = set()
    stack = [widget]
    while stack:
        current = stack.pop()
        if not isinstance(current, widgets.Widget) or id(current) in seen:
            continue
        if isinstance(current, GraphvizRuntime):  # shared by every view
            continue
        seen.add(id(current))
        found.append(current)
        stack.extend(getattr(current, "children", ()))
        models = ("layout", "style", "canvas", "_link")
        stack.extend(getattr(current, name, None) for name in models)
    return found
