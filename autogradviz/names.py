"""Finding the user's variable names for arrays (``x``, ``y``, ``f``), by identity.

Looks at the local variables of the calling frames outside this package and at the
notebook's namespace (``__main__``). Imports the standard library only.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
MAX_FRAMES = 8


def _namespaces() -> list[dict[str, Any]]:
    spaces = []
    frame = sys._getframe(1)
    while frame is not None and len(spaces) < MAX_FRAMES:
        if not frame.f_code.co_filename.startswith(_PACKAGE_DIR):
            spaces.append(frame.f_locals)
            if frame.f_globals is not frame.f_locals:
                spaces.append(frame.f_globals)
        frame = frame.f_back
    main = sys.modules.get("__main__")
    if main is not None:
        spaces.append(vars(main))
    return spaces


def find_names() -> dict[int, str]:
    """Return ``{id(array): name}`` for arrays bound to names the user can see.

    The innermost binding wins; names starting with ``_`` (IPython's ``_``, ``_3``) are
    skipped.
    """
    names: dict[int, str] = {}
    for space in _namespaces():
        for name, value in list(space.items()):
            if name.startswith("_") or not hasattr(value, "_node"):
                continue
            names.setdefault(id(value), name)
    return names
