"""The clickable, zoomable drawing: an anywidget whose front end is ``static/canvas.js``.

The kernel sends the graph as DOT text; the browser lays it out with Graphviz compiled to
WebAssembly, in a Web Worker with a time limit, and sends back the id of the node the student
clicked. The worker's code comes once per kernel from the shared ``runtime`` widget. Where no
worker can run, the browser asks for the SVG, which the kernel then lays out (same Graphviz).
Imports anywidget, ipywidgets and traitlets; nothing of the engine.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets
from ipywidgets import widget_serialization

from ..render.svg import LAYOUT_TIMEOUT_SECONDS
from .runtime import GraphvizRuntime, shared_runtime


class GraphCanvas(anywidget.AnyWidget):
    """The clickable SVG drawing of one graph (front end: ``js/src/canvas.js``)."""

    _esm = Path(__file__).parent / "static" / "canvas.js"
    dot = traitlets.Unicode("", help="the graph as DOT text, laid out in the browser").tag(
        sync=True
    )
    note = traitlets.Unicode("", help="HTML shown instead of the drawing (a failed layout)").tag(
        sync=True
    )
    svg = traitlets.Unicode("", help="SVG laid out by the kernel, sent only if asked").tag(
        sync=True
    )
    runtime = traitlets.Instance(GraphvizRuntime, allow_none=True,
                                 help="the shared widget holding the browser's Graphviz").tag(
        sync=True, **widget_serialization
    )  # fmt: skip
    timeout = traitlets.Float(LAYOUT_TIMEOUT_SECONDS, help="layout time limit, seconds").tag(
        sync=True
    )
    revision = traitlets.Int(0, help="counts the DOT texts sent; failures name theirs").tag(
        sync=True
    )
    selected = traitlets.Unicode("", help="id of the node the student clicked").tag(sync=True)
    step = traitlets.Unicode("", help="JSON: the stepper's marks, re-coloured in place").tag(
        sync=True
    )
    marks = traitlets.Unicode("", help="JSON list of the boxes a teaching tool points at").tag(
        sync=True
    )
    tools = traitlets.Unicode("", help="JSON: the tool buttons' labels for the clicked box").tag(
        sync=True
    )
    answer = traitlets.Unicode("", help="HTML: a tool's answer, shown under the drawing").tag(
        sync=True
    )
    whatif = traitlets.Unicode("", help="JSON: the what-if slider (range, start, value)").tag(
        sync=True
    )
    plot = traitlets.Unicode("", help="HTML: the what-if plot and its sentence").tag(sync=True)
    quiz = traitlets.Unicode("", help="JSON: the quiz's question, last reply and score").tag(
        sync=True
    )
    theme = traitlets.Unicode("light", help="JupyterLab's theme: light or dark").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("runtime", shared_runtime())
        super().__init__(**kwargs)
