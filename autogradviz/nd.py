"""``autogradviz.nd``: the same namespace as ``autogradviz.ndarray`` under MXNet's short name."""

from __future__ import annotations

from .ndarray import *  # noqa: F403
from .ndarray import __all__  # noqa: F401
