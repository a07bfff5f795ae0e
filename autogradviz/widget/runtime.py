"""The browser's Graphviz, sent once per kernel: a hidden widget whose trait is the worker's code.

Graphviz compiled to WebAssembly (``static/graphviz_worker.js``, built from ``js/``) is about
0.8 MB. Every :class:`~autogradviz.widget.canvas.GraphCanvas` points at the one shared
``GraphvizRuntime`` instead of carrying it, so five graphs in a notebook (or fifty) cost the
bundle once, in the kernel's messages and in saved widget state alike. It is never displayed.
Imports anywidget and traitlets; nothing of the engine.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

WORKER_FILE = Path(__file__).parent / "static" / "graphviz_worker.js"


class GraphvizRuntime(anywidget.AnyWidget):
    """Holds the Web Worker code that lays out DOT in the browser (see ``js/src/worker.js``)."""

    _esm = "export default { render({ el }) { el.hidden = true; } };"
    worker = traitlets.Unicode("", help="JavaScript of the layout worker").tag(sync=True)


_shared: GraphvizRuntime | None = None


def shared_runtime() -> GraphvizRuntime:
    """Return this kernel's runtime widget, creating it (once) if needed."""
    global _shared
    if _shared is None or getattr(_shared, "comm", None) is None:  # never made, or closed
        _shared = GraphvizRuntime(worker=WORKER_FILE.read_text(encoding="utf-8"))
    return _shared
