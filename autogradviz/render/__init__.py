"""Graph → DOT, SVG, text and files; reads the graph model only, never the engine or widget.

``dot`` (Graph → DOT text), ``svg`` (DOT → SVG with a time limit), ``text`` (a terminal
listing), ``handout`` (the ``.html`` page: a picture per backward step, chain-rule cards),
``files`` (save by extension, the notebook display bundle), ``options`` and
``preview`` (shared by all), ``wasm`` (the embedded Graphviz). Reads only the graph model
(and ``teach``, for the handout's cards); never imports the engine, the widget, ``jupyter``
or IPython.

``set_graphviz("system")`` draws with the ``dot`` program on PATH instead of the embedded
Graphviz (``"wasm"``, the default); so does the environment variable
``AUTOGRADVIZ_GRAPHVIZ=system``.
"""

from __future__ import annotations

from .svg import get_graphviz, set_graphviz

__all__ = ["get_graphviz", "set_graphviz"]
