"""The seed example as a notebook, one step a cell: run by nbclient and by the browser test."""

from __future__ import annotations

import nbformat

# The seed example of the project, one step a cell. The browser test runs it too.
SEED_CELLS = [
    "%load_ext autogradviz",
    "import autogradviz as mx\nfrom autogradviz import nd, autograd",
    "x = mx.nd.array([[1, 2], [3, 4]])\nx.attach_grad()",
    "with autograd.record():\n    y = x * 2\n    f = y * x",
    "f.backward(nd.array([[1., 1.], [.1, .1]]))",
]


def seed_notebook(cells: list[str] = SEED_CELLS) -> nbformat.NotebookNode:
    """A notebook of code cells with the ``python3`` kernelspec (no kernel-picker dialog)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return nb


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def views_and_static_copies(cell: nbformat.NotebookNode) -> list[tuple[dict, dict]]:
    """Return ``(widget view data, static copy data)`` for each widget view in ``cell``.

    The extension writes the static copy of a widget's picture as the very next output.
    """
    pairs = []
    for index, output in enumerate(cell.outputs):
        if WIDGET_VIEW in output.get("data", {}):
            after = cell.outputs[index + 1] if index + 1 < len(cell.outputs) else {}
            pairs.append((output["data"], after.get("data", {})))
    return pairs


def assert_static_copy(static: dict) -> None:
    """The static copy: the SVG as an image, in HTML as an <img> data URI, and as text."""
    svg = static["image/svg+xml"]
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert static["text/html"].startswith('<div class="agv-static"><style>')
    assert html_image_svg(static["text/html"]) == svg
    assert static["text/plain"].startswith("n0  ")


def html_image_svg(html: str) -> str:
    """The SVG inside the static copy's ``<img src="data:image/svg+xml;base64,...">``."""
    import base64
    import re

    match = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    assert match, html[:200]
    return base64.b64decode(match.group(1)).decode("utf-8")
