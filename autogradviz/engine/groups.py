"""Named groups: ``autograd.group(name)`` draws the ops recorded inside as one named box.

A gluon Block's call is one (``dense0``), and students can name their own. The engine only
notes the group on each op's call site (``callers``); the pictures draw it. Imports the tape
and the callers only.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from types import FrameType

from .callers import NO_CALLS, Call, _calls, _groups, is_library_code, is_own_code
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
    previous = outer = _groups.calls
    if outer is None:  # the outermost group sits inside the user's calls around it
        user = _user_frame(sys._getframe(1))
        outer = NO_CALLS if user is None or user.f_code.co_name == "<module>" else _calls(user)
    _groups.calls = (*outer, Call(str(name), "group"))
    try:
        yield
    finally:
        _groups.calls = previous  # what was open before this group (a stack, kept by calls)


def _user_frame(frame: FrameType | None) -> FrameType | None:
    """Return the first frame outwards that is neither this package's nor the stdlib's.

    (``contextlib`` runs in between, used as ``with`` or as a decorator.)
    """
    while frame is not None and (is_own_code(frame.f_code) or is_library_code(frame.f_code)):
        frame = frame.f_back
    return frame
