"""``autogradviz.capture``: switch graph capture on and off (defined in ``graph.capture``).

A public path kept as a thin alias; the code lives in ``autogradviz/graph/capture.py`` (and
``muted``, which hides the passes of a block from every viewer, in ``engine/listeners.py``).
"""

from __future__ import annotations

from .engine.listeners import muted
from .graph.capture import clear, disable, enable, is_enabled, last

__all__ = ["clear", "disable", "enable", "is_enabled", "last", "muted"]
