"""Named groups: ``autograd.group(name)`` draws the ops recorded inside as one named box.

A gluon Block's call is one (``dense0``), and students can name their own. The engine only
notes the group on each op's call site (``callers``); the pictures draw it. Imports the tape
and the callers only.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from .callers import NO_CALLS, Call, _calls, _groups, _outside_package
from .tape import watch


@contextlib.contextmanager
def group(name: str) -> Iterator[None]:
    """Draw the ops recorded inside the block as one named group (a frame, or one box).

    Groups nest. Inside a group, the function calls made there draw no frames of their
    own: the group is the unit. Costs nothing while no viewer records call sites.

    Examples
    --------
    >>> import autogradviz as mx
    >>> x = mx.nd.array([1.0, 2.0]); x.attach_grad()
    >>> mx.capture.enable()
    >>> with mx.autograd.record():
    ...     with mx.autograd.group("square"):
    ...         y = x * x
    ...     z = y.sum()
    >>> z.backward()
    >>> [name for _, name in mx.last_graph().node("y").scope]
    ['square']
    >>> mx.capture.disable()
    """
    if not watch.sites:
        yield
        return
    outer = _groups.calls
    if outer is None:  # the outermost group sits inside the user's calls around it
        user = _outside_package(sys._getframe(2))
        outer = NO_CALLS if user is None or user.f_code.co_name == "<module>" else _calls(user)
    _groups.calls = (*outer, Call(str(name), "group"))
    try:
        yield
    finally:
        _groups.calls = outer if outer and outer[-1].kind == "group" else None
