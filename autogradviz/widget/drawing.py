"""The kernel's own drawing of a graph, for the static copy and where the browser cannot draw.

SVG from ``render`` (the embedded Graphviz); if the layout fails, the first line of the
error and the graph's text listing, escaped. Reads ``graph`` and ``render`` only.
"""

from __future__ import annotations

from ..graph.model import Graph
from ..render.dot import html_escape, to_dot
from ..render.options import Options
from ..render.svg import LayoutError, svg_from_dot
from ..render.text import to_text


def drawing(graph: Graph, options: Options) -> str:
    """Return ``graph`` laid out in the kernel: SVG, or a failure note and the text listing."""
    try:
        return svg_from_dot(to_dot(graph, options))
    except LayoutError as error:
        return failed_html(str(error), graph, options)


def failed_html(error: str, graph: Graph, options: Options) -> str:
    """Return the first line of a layout error, then the graph's text listing, as HTML."""
    note = html_escape(error.splitlines()[0])
    return f"<p><b>{note}</b></p><pre>{html_escape(to_text(graph, options))}</pre>"


def on_white(picture: str) -> str:
    """Give an SVG a white background (the static copy is seen on any page's colours)."""
    if picture.startswith("<svg"):
        return '<svg style="background:#ffffff"' + picture[len("<svg") :]
    return picture
