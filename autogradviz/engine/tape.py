"""The tape: graph nodes, the per-thread recording/training flags, and call-site capture.

A :class:`Node` is one recorded step: which op ran, on which input arrays, with which
attributes. Variables (arrays with ``attach_grad()``) are leaf nodes that own a gradient buffer.
Imports the standard library and ``callers``; arrays are used by duck typing (``._node``).
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from .callers import call_site

creation_counter = itertools.count()  # numbers nodes and frees in one sequence


class Node:
    """One step of the recorded history.

    Attributes
    ----------
    op : Op or None
        The op that produced the array; ``None`` for a leaf (a variable).
    inputs : tuple or None
        The op's inputs: NDArrays, or plain scalars/numpy arrays used as constants.
        ``()`` for a leaf; ``None`` once backward has freed this node's history.
    attrs : dict
        The op's non-array arguments (``axis``, ``shape``, ...).
    seq : int
        Creation order, unique across the process.
    site : Site or None
        The user's file, line and function calls that created the node (``callers``).
    grad_data : numpy.ndarray or None
        The gradient buffer, for variables and for intermediates that called ``attach_grad``.
    grad_req : str
        ``'write'``, ``'add'`` or ``'null'``.
    fresh : bool
        Whether a backward pass has written ``grad_data`` (MXNet's ``_fresh_grad``).
    previous : Node or None
        For a variable made by ``attach_grad()`` on an array that had a node already: that
        node. Ops recorded before still use it (see :func:`node_at`).
    """

    __slots__ = ("op", "inputs", "attrs", "seq", "site", "grad_data", "grad_req", "fresh",
                 "previous")  # fmt: skip

    def __init__(self, op: Any, inputs: Any, attrs: Any, site: Any = None) -> None:
        self.op = op
        self.inputs = inputs
        self.attrs = attrs
        self.seq = next(creation_counter)
        self.site = site
        self.grad_data: Any = None
        self.grad_req = "null"
        self.fresh = False
        self.previous: Node | None = None

    @property
    def is_leaf(self) -> bool:
        """True for variables: nodes with no op."""
        return self.op is None

    @property
    def is_live(self) -> bool:
        """False once a backward pass without ``retain_graph`` has freed the history."""
        return self.inputs is not None

    def __repr__(self) -> str:
        name = "variable" if self.op is None else self.op.name
        return f"<Node {self.seq} {name}>"


class _Relinked:
    """Whether ``attach_grad()`` ever gave an array in a graph a new node (see ``node_at``).

    Until then, backward need not look for old nodes at every edge.
    """

    value = False


relinked = _Relinked()


def node_at(array: Any, seq: int) -> Node | None:
    """Return the node ``array`` had when the op numbered ``seq`` used it (MXNet 1.x).

    ``attach_grad()`` gives an array a new variable node; ops recorded before keep the node
    they were recorded with, so their gradient never reaches the new ``.grad``. A node is
    always newer than the ops that used it only in that case, so one comparison tells.
    ``None`` if that node is no longer known (``attach_grad`` ran twice since).
    """
    node = array._node
    while node is not None and node.seq > seq:
        node = node.previous
    return node


def in_graph(array: Any) -> bool:
    """Return whether ``array`` takes part in a live recorded graph."""
    node = getattr(array, "_node", None)
    return node is not None and node.inputs is not None


class _Paused:
    """``flags.recording`` inside ``autograd.pause()``: false, but distinguishable.

    Ops there are not recorded, but their results are marked as cut (for the graph view).
    One flag read tells the hot path both things.
    """

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "PAUSED"


PAUSED_RECORDING = _Paused()


class _Flags(threading.local):
    """MXNet's two global switches, one pair per thread.

    ``recording`` is ``True``, ``False`` or ``PAUSED_RECORDING`` (false, inside ``pause()``).
    """

    recording: Any = False
    training = False


flags = _Flags()


class _Watch:
    """Process-wide switch: record call sites (file, line) on new nodes.

    Finding the caller's frame costs about half a microsecond per op, so it is off until a
    viewer asks for it (``autogradviz.capture.enable()`` and the IPython extension do).
    """

    sites = False


watch = _Watch()


def connect(op: Any, inputs: tuple, attrs: dict, depth: int = 2) -> Node | None:
    """Return a new node for ``op`` if some input is in a live graph (call it when recording).

    This is MXNet's rule: ops on arrays that are not in a graph are not recorded, even
    inside ``autograd.record()``; such arrays become constants of the graph. ``depth`` is
    how many frames above this one the user's code usually is (for the call site).
    """
    for x in inputs:
        node = getattr(x, "_node", None)
        if node is not None and node.inputs is not None:
            return Node(op, inputs, attrs, call_site(depth + 1) if watch.sites else None)
    return None


def _cut_marker(reason: str) -> Node:
    """Return a dead leaf that tells the graph view why an array is cut from its history."""
    return Node(None, None, {"cut": reason})


DETACHED = _cut_marker("detach")
PAUSED = _cut_marker("pause")
_SHARED_CUTS = {"detach": DETACHED, "pause": PAUSED}


def cut_mark(reason: str, depth: int) -> Node:
    """Return the marker of an array cut from its history (``'detach'``, ``'pause'``).

    While a viewer watches, a new marker holding the user's line (``depth`` frames above
    the caller), so a picture can say where the cut happened; otherwise the shared one.
    """
    if not watch.sites:
        return _SHARED_CUTS[reason]
    return Node(None, None, {"cut": reason}, call_site(depth + 2))


def pause_mark(inputs: tuple, depth: int = 2) -> Node | None:
    """Return a ``pause`` marker if some input is in a live graph (inside ``pause()``).

    ``depth``: how many frames above this one the user's code is (for the call site).
    """
    for x in inputs:
        node = getattr(x, "_node", None)
        if node is not None and node.inputs is not None:
            return cut_mark("pause", depth)
    return None
