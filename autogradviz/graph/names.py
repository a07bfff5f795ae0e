"""Finding the user's variable names for arrays (``x``, ``y``, ``f``), by identity.

Looks at the local variables of the calling frames outside this package and at the
notebook's namespace (``__main__``), then at gluon's parameters (``dense0_weight``). Imports
the standard library, the engine's callers (to tell this package's own frames from the
user's) and gluon's parameter names.
"""

from __future__ import annotations

import sys
from types import FrameType, MemberDescriptorType
from typing import Any

from ..engine.callers import called_from_top_level, is_library_code, is_own_code
from ..gluon.parameter import parameter_names

MAX_FRAMES = 8


def _namespaces(modules: bool) -> list[dict[str, Any]]:
    """Return the namespaces to search, innermost first.

    Walks up from the caller through function frames (their locals) and stops at the
    first module-level frame (the user's script or notebook cell) or at the first frame of
    the standard library or an installed package: frames above belong to whatever runs the
    code (IPython, runpy, pytest), whose variables mean nothing to the user.
    """
    spaces: list[dict[str, Any]] = []
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and len(spaces) < MAX_FRAMES:
        if is_own_code(frame.f_code):  # (f_locals builds a dict: never for our frames)
            frame = frame.f_back
            continue
        if is_library_code(frame.f_code):  # IPython, runpy, timeit: nothing of the user's
            break
        if frame.f_locals is frame.f_globals:  # module level: the top
            if modules:
                spaces.append(frame.f_globals)
            break
        spaces.append(frame.f_locals)
        # the user's module variables (compared by identity: dicts can be huge)
        if modules and all(space is not frame.f_globals for space in spaces):
            spaces.append(frame.f_globals)
        frame = frame.f_back
    main = sys.modules.get("__main__")
    if modules and main is not None:
        spaces.append(vars(main))
    return spaces


def find_names(modules: bool = True, extra: tuple[dict, ...] = ()) -> dict[int, str]:
    """Return ``{id(array): name}`` for arrays bound to names the user can see.

    Searches the calling functions' local variables and, with ``modules=True``, the
    module namespaces (a notebook's variables) and the ``extra`` namespaces given. Locals
    vanish when a function returns, so backward records them at once (``modules=False`` is
    cheap); module variables are looked up later, when a picture is drawn. The innermost
    binding wins; names starting with ``_`` (IPython's ``_``, ``_3``) are skipped.
    """
    names: dict[int, str] = {}
    if not modules and not extra and called_from_top_level(2):
        return names  # no function locals to look at (a cell's loop calls this each pass)
    for space in [*_namespaces(modules), *extra]:
        for name, value in list(space.items()):
            if type(name) is str and not name.startswith("_") and _is_array(value):
                names.setdefault(id(value), name)
    if modules:  # a gluon model's parameters have names of their own (dense0_weight)
        for key, name in parameter_names().items():
            names.setdefault(key, name)
    return names


# The getters behind ``cls.__mro__`` and ``cls.__dict__``, taken from ``type`` itself: called
# directly, they never run a metaclass's ``__getattr__`` or ``__getattribute__``.
_MRO_OF = vars(type)["__mro__"].__get__
_DICT_OF = vars(type)["__dict__"].__get__


def _is_array(value: Any) -> bool:
    """Return whether ``value`` is an array of ours, without running any of the user's code.

    The classes are asked, not the object: ``hasattr(value, "_node")`` would call a user
    class's ``__getattr__``, and even ``getattr(type(value), ...)`` a metaclass's, which may
    raise anything (or do anything). Our arrays have a ``_node`` slot in their class.
    """
    for klass in _MRO_OF(type(value)):
        slot = _DICT_OF(klass).get("_node")
        if slot is not None:
            return type(slot) is MemberDescriptorType
    return False
