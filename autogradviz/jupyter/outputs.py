"""The two outputs under a cell: the live widget, and a static copy of its picture after it.

A notebook keeps outputs, not widgets. So next to the live widget the extension writes a
second, ordinary output: the same picture as SVG (``image/svg+xml``, and ``text/html`` with
the SVG as an ``<img>`` data URI: an untrusted notebook's HTML is sanitized, which keeps
images but would strip an inline ``<svg>`` to its bare text), laid out in the kernel by the
same Graphviz. What each place shows:

- a live JupyterLab or Notebook 7 page: the widget. Its canvas adds a page style that hides
  the static output right after a live widget (see ``js/src/canvas.js``), so the picture is
  not there twice;
- the notebook reopened without a kernel: the static copy. Its own style hides the output
  just before it when that output holds no live widget ("Error displaying widget: model not
  found", or the widget's plain-text stand-in in nbconvert's HTML);
- nbconvert's HTML (offline, with or without widget state), nbviewer, GitHub: the static
  copy, the best static mimetype of its output.
Both rules use CSS ``:has()`` and JupyterLab's output classes; where those do not apply
(VS Code, Colab), the static copy shows under the live widget. Imports nothing but ``render``.
"""

from __future__ import annotations

import base64
from typing import Any

from ..render.dot import html_escape

WIDGET_TEXT = "autogradviz: the live graph widget shows when this cell runs; its picture is below"
# Hide the output just before the static copy when it holds no live widget. Child
# combinators only: an output that merely contains a copy deeper down (an Output widget)
# does not count.
_STATIC_STYLE = (
    "<style>.jp-OutputArea-child:has(+ .jp-OutputArea-child > .jp-OutputArea-output"
    " > .agv-static):not(:has(.agv-widget)){display:none}</style>"
)
_NOTE_TEXT = "autogradviz: the graph appears when this cell finishes…"


def widget_bundle(view: Any) -> dict[str, Any]:
    """Return the live output: the widget view, with a one-line text for places without it."""
    bundle = dict(view._repr_mimebundle_())
    bundle["text/plain"] = WIDGET_TEXT
    return bundle


def static_bundle(picture: str, text: str) -> dict[str, str]:
    """Return the static output for ``picture`` (SVG, or the HTML note of a failed layout).

    ``text`` is the graph's text listing, for terminals and plain-text viewers.
    """
    is_svg = picture.startswith("<svg")
    shown = _image(picture) if is_svg else picture
    bundle = {"text/html": f'<div class="agv-static">{_STATIC_STYLE}{shown}</div>',
              "text/plain": text}  # fmt: skip
    if is_svg:
        bundle["image/svg+xml"] = picture
    return bundle


def _image(svg: str) -> str:
    """Return the SVG as an ``<img>`` (what HTML sanitizers keep), at its natural size."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="agv-static-picture" alt="autogradviz graph (static copy)" '
            f'src="data:image/svg+xml;base64,{data}">')  # fmt: skip


def placeholder_bundle() -> dict[str, str]:
    """Return the static output shown while a cell's first pass waits for its drawing."""
    return static_bundle(f"<p>{html_escape(_NOTE_TEXT)}</p>", _NOTE_TEXT)
