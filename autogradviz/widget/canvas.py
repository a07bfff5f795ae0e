"""The clickable, zoomable drawing: an anywidget whose front end is ``static/graph_canvas.js``.

The kernel sends the SVG; the browser shows it, pans and zooms it, and sends back the id of
the node the student clicked. Imports anywidget and traitlets; nothing of the engine.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets


class GraphCanvas(anywidget.AnyWidget):
    """The clickable, zoomable SVG drawing (front end: ``static/graph_canvas.js``)."""

    _esm = Path(__file__).parent / "static" / "graph_canvas.js"
    svg = traitlets.Unicode("", help="the SVG (or an HTML note) to show").tag(sync=True)
    selected = traitlets.Unicode("", help="id of the node the student clicked").tag(sync=True)
    theme = traitlets.Unicode("light", help="JupyterLab's theme: light or dark").tag(sync=True)
