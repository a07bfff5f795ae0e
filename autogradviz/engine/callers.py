"""Call sites: the user's line that made an op, and the user's function calls it was made in.

A viewer groups the ops made inside one call of a student's function (``def net(X): ...``)
into one named box, so the engine notes, for each op, the chain of the user's function calls
around it (outermost first), as :class:`Call` objects: one object per call, shared by every
op that call made. Frames of this package, of the standard library and of installed packages
(IPython, pytest) are not the user's; the walk stops at a module's top level (a notebook
cell, a script) or at the first frame that is not the user's.
Costs a walk over the caller's frames, so it runs only while a viewer asks for call sites.
Imports the standard library only.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import threading
from types import CodeType, FrameType

# The package root (this file is in engine/): frames of any of its modules are "own code".
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_NOT_USER = tuple(
    {os.path.abspath(sysconfig.get_paths()[key]) + os.sep
     for key in ("stdlib", "purelib", "platlib")}
)  # fmt: skip
MAX_DEPTH = 16  # user function calls kept per op (deeper recursion is cut off)
LIVE_FRAMES_SEARCHED = 12  # how far up forget() looks for a call still running


class Call:
    """One call of a user's function; every op that call made shares this object.

    ``kind`` is ``"call"`` for a function call found on the stack, ``"group"`` for a named
    group (``autograd.group``: a gluon Block's call, or a student's own).
    """

    __slots__ = ("name", "kind")

    def __init__(self, name: str, kind: str = "call") -> None:
        self.name = name
        self.kind = kind

    def __repr__(self) -> str:
        return f"<Call {self.name}>"


# Where an op was made: ``(code, lasti, calls)``, the user's code object and the offset of
# the instruction that ran in it (``site_location`` turns them into file and line), and the
# calls around it, outermost first. A plain tuple: it is built for every recorded op, and
# ``frame.f_lineno`` would scan the code's line table each time (a microsecond at the end
# of a long cell), so the line is found only when a picture needs it.
Site = tuple[CodeType, int, tuple[Call, ...]]
NO_CALLS: tuple[Call, ...] = ()


class _LastChain(threading.local):
    """The frames (held, so their ids stay unique) and calls of this thread's last op."""

    frames: tuple[FrameType, ...] = ()
    calls: tuple[Call, ...] = ()


_last = _LastChain()


class _Groups(threading.local):
    """The named groups open in this thread (``engine.groups``): the innermost one's calls."""

    calls: tuple[Call, ...] | None = None


_groups = _Groups()


def is_own_code(code: CodeType) -> bool:
    """Return whether a code object belongs to this package."""
    return code.co_filename.startswith(PACKAGE_DIR)


def is_library_code(code: CodeType) -> bool:
    """Return whether a code object belongs to the standard library or an installed package."""
    return code.co_filename.startswith(_NOT_USER)


def site_location(site: Site) -> tuple[str, int]:
    """Return ``(filename, line number)`` of a site."""
    code, lasti, _ = site
    for start, end, line in code.co_lines():
        if start <= lasti < end and line is not None:
            return code.co_filename, line
    return code.co_filename, code.co_firstlineno


def called_from_top_level(depth: int = 2) -> bool:
    """Return whether the innermost caller outside this package is a module's top level.

    The search starts ``depth`` frames up (0 is this function, 1 its caller).
    """
    frame = _outside_package(sys._getframe(depth))
    return frame is None or frame.f_code.co_name == "<module>"


def forget(at_top_level: bool = False) -> None:
    """Let go of the frames kept from the last op of this thread, unless its call still runs.

    (Their locals go with them.) A call still running (the backward of an ``autograd.grad``
    inside the function that made the ops) keeps them, so that the ops it makes next belong
    to the same call. Looks ``LIVE_FRAMES_SEARCHED`` frames up, no further; not at all if
    the caller says it runs at a module's top level (no user function is running then).
    """
    frames = _last.frames
    if not frames:
        return
    if at_top_level:
        _last.frames, _last.calls = (), ()
        return
    frame: FrameType | None = sys._getframe(1)
    for _ in range(LIVE_FRAMES_SEARCHED):
        if frame is None:
            break
        if frame is frames[-1]:  # the innermost is still running: so are all around it
            return
        frame = frame.f_back
    _last.frames, _last.calls = (), ()


def call_site(depth: int = 2) -> Site | None:
    """Return the ``Site`` of the innermost caller outside this package.

    The search starts ``depth`` frames up (0 is this function): callers that know how deep
    the user's code usually is jump there at once, which is much cheaper than walking.
    Runs for every recorded op while a viewer watches, so the usual cases return early: code
    at a cell's top level, and the next op of the same function call.
    """
    frame = sys._getframe(depth)
    code = frame.f_code
    if code.co_name != "<module>" and code.co_filename.startswith(PACKAGE_DIR):
        user = _outside_package(frame)  # called from deeper inside this package than usual
        if user is None:
            return None
        frame, code = user, user.f_code
    grouped = _groups.calls
    if grouped is not None:  # inside a named group: its calls, whatever runs inside it
        return (code, frame.f_lasti, grouped)
    last = _last.frames
    if code.co_name == "<module>":  # a cell's (or a script's) top level: no call around it
        if last:  # the last op was in a call: let its frames (and their locals) go
            _last.frames, _last.calls = (), ()
        return (code, frame.f_lasti, NO_CALLS)
    if last and last[-1] is frame:  # the same call as the last op: the same calls around it
        return (code, frame.f_lasti, _last.calls)
    return (code, frame.f_lasti, _calls(frame))


def _outside_package(frame: FrameType | None) -> FrameType | None:
    """Return the first frame from ``frame`` outwards that is not this package's."""
    while frame is not None and frame.f_code.co_filename.startswith(PACKAGE_DIR):
        frame = frame.f_back
    return frame


def _calls(frame: FrameType) -> tuple[Call, ...]:
    """Return the user's function calls around ``frame`` (included), outermost first."""
    back, code = frame.f_back, frame.f_code
    if back is not None and back.f_code.co_name == "<module>":  # called from a cell: one call
        if code.co_name.startswith("<") or code.co_filename.startswith(_NOT_USER):
            return NO_CALLS  # a comprehension or a lambda is no box, nor a library's function
        last = _last.frames  # back from a call it made: the same call as before it
        call = _last.calls[0] if last and last[0] is frame else Call(code.co_name)
        _last.frames, _last.calls = (frame,), (call,)
        return _last.calls
    return _walk(frame)


def _walk(frame: FrameType | None) -> tuple[Call, ...]:
    """Return the calls around ``frame`` when it is inside other calls (walk to the top)."""
    frames: list[FrameType] = []
    while frame is not None and len(frames) < MAX_DEPTH:
        code = frame.f_code
        if code.co_name == "<module>" or code.co_filename.startswith(_NOT_USER):
            break
        if not code.co_name.startswith("<"):  # comprehensions and lambdas are no box
            frames.append(frame)
        frame = frame.f_back
    frames.reverse()
    return _reuse(tuple(frames))


def _reuse(frames: tuple[FrameType, ...]) -> tuple[Call, ...]:
    """Match ``frames`` against the last op's chain: the same frame is the same call."""
    old_frames, old_calls = _last.frames, _last.calls
    if frames == old_frames:  # the common case: the next op of the same function call
        return old_calls
    calls: list[Call] = []
    same = True  # so far the chains agree: a new call makes every call inside it new too
    for k, frame in enumerate(frames):
        same = same and k < len(old_frames) and old_frames[k] is frame
        calls.append(old_calls[k] if same else Call(frame.f_code.co_name))
    _last.frames, _last.calls = frames, tuple(calls)
    return _last.calls
