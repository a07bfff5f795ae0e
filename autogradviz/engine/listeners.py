"""Listeners: who is told of each backward pass (``BackwardPass``) and of in-place writes.

The engine's hook interface: the graph capture and the IPython extension listen; nothing
is recorded for them while nobody listens. The capture uses the write hook to keep the
values a pass used when the user changes them later (``w[:] = w - lr * w.grad``).
Imports the tape only.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .tape import Node

_listeners: list[Callable[[BackwardPass], None]] = []


class _Quiet(threading.local):
    depth = 0  # > 0 inside muted(): this thread's passes are told to nobody


_quiet = _Quiet()


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Tell no listener of the backward passes run in this block, in this thread.

    ``testing.check_grads`` runs its own float64 passes inside it: they are checks, not the
    student's computation, so no picture draws them. Lessons check exercises inside it
    (``autogradviz.capture.muted()``), so the check never draws the solution's graph.

    Examples
    --------
    >>> import autogradviz as mx
    >>> x = mx.nd.array([1.0]); x.attach_grad()
    >>> with mx.capture.muted():
    ...     with mx.autograd.record():
    ...         y = x * 3
    ...     y.backward()
    >>> x.grad.asnumpy().tolist()
    [3.0]
    """
    _quiet.depth += 1
    try:
        yield
    finally:
        _quiet.depth -= 1


@dataclass
class BackwardPass:
    """What one backward pass did, handed to listeners before the graph is freed.

    ``order`` lists nodes in forward (topological) order and ``processed`` in the order the
    pass applied their rules; ``arrays`` maps a node to its output array; ``grads`` holds
    the total gradient reaching each node; ``sent[k]`` lists what ``processed[k]`` sent back
    to each of its inputs (``None`` where nothing), and ``contributions`` is the same as a
    dict ``{(node, i): grad}``. ``writes_grads`` is False for ``autograd.grad``, which
    leaves the variables' ``.grad`` buffers untouched. ``top_level`` says whether it was
    called at a module's top level (a cell), where no function locals name arrays.
    ``seq`` tells nodes made before the pass from nodes made after it.
    """

    heads: list
    order: list[Node]
    arrays: dict[Node, Any]
    writes_grads: bool = True
    top_level: bool = False
    seq: int = -1  # a creation number taken when the pass ran (nodes made later are newer)
    grads: dict[Node, Any] = field(default_factory=dict)
    processed: list[Node] = field(default_factory=list)
    sent: list[list] = field(default_factory=list)

    @property
    def contributions(self) -> dict[tuple[Node, int], Any]:
        """``{(node, i): grad}``: the gradient ``node`` sent back to its input ``i``."""
        return {
            (node, index): grad
            for node, grads in zip(self.processed, self.sent, strict=True)
            for index, grad in enumerate(grads)
            if grad is not None
        }


def add_backward_listener(listener: Callable[[BackwardPass], None]) -> None:
    """Call ``listener(backward_pass)`` after every backward pass (and ``grad`` call)."""
    if not callable(listener):
        raise TypeError(
            f"add_backward_listener: the listener must be callable, got "
            f"{type(listener).__name__}; pass a function taking one BackwardPass argument."
        )
    if listener not in _listeners:
        _listeners.append(listener)


def backward_listeners() -> tuple:
    """Return the listeners currently registered."""
    return tuple(_listeners)


def remove_backward_listener(listener: Callable[[BackwardPass], None]) -> None:
    """Stop calling ``listener``; unknown listeners are ignored."""
    if listener in _listeners:
        _listeners.remove(listener)


def has_listeners() -> bool:
    """Return whether anyone listens (backward then records its trace)."""
    return bool(_listeners) and not _quiet.depth


def notify(run: BackwardPass) -> None:
    """Call every listener with ``run`` (none inside :func:`muted`)."""
    if _quiet.depth:
        return
    for listener in list(_listeners):
        listener(run)


# ----------------------------------------------------------------------------- writes

write_listeners: list[Callable[[Any], None]] = []  # called with the array about to change


def add_write_listener(listener: Callable[[Any], None]) -> None:
    """Call ``listener(array)`` just before ``array``'s values are overwritten in place."""
    if listener not in write_listeners:
        write_listeners.append(listener)


def remove_write_listener(listener: Callable[[Any], None]) -> None:
    """Stop calling ``listener``; unknown listeners are ignored."""
    if listener in write_listeners:
        write_listeners.remove(listener)


def notify_write(array: Any) -> None:
    """Tell every write listener that ``array`` is about to change."""
    for listener in list(write_listeners):
        listener(array)
