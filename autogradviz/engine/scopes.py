"""Recording and training scopes: ``record``, ``pause``, ``train_mode``, ``predict_mode``.

They set MXNet's two per-thread switches (``tape.flags``) for a ``with`` block and restore
them afterwards, even when the block raises. Imports the tape only.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from .tape import PAUSED_RECORDING, flags


def set_recording(is_recording: bool) -> bool:
    """Turn recording on or off for this thread; return the previous value."""
    previous, flags.recording = flags.recording, bool(is_recording)
    return bool(previous)


def set_training(train_mode: bool) -> bool:
    """Turn training mode on or off for this thread; return the previous value."""
    previous, flags.training = flags.training, bool(train_mode)
    return previous


def is_recording() -> bool:
    """Return whether ops are being recorded in this thread."""
    return bool(flags.recording)


def is_training() -> bool:
    """Return whether ops run in training mode (``Dropout`` is active) in this thread."""
    return flags.training


class _Scope:
    """A ``with`` block that sets the given flags (``None``: leave as is) and restores them.

    Like MXNet's scope objects, one instance can be entered again, even while it is active,
    and by several threads at once: the flags to restore are kept per thread.
    """

    def __init__(self, recording: Any, training: bool | None):
        self._new = recording, training
        self._saved: dict[int, list[tuple[Any, bool]]] = {}  # thread id -> saved flags

    def __enter__(self) -> None:
        recording, training = self._new
        self._saved.setdefault(threading.get_ident(), []).append((flags.recording, flags.training))
        if recording is not None:
            flags.recording = recording
        if training is not None:
            flags.training = training

    def __exit__(self, *exc_info: object) -> None:
        saved = self._saved[threading.get_ident()]
        flags.recording, flags.training = saved.pop()
        if not saved:  # a long-lived scope object used by many threads stays small
            del self._saved[threading.get_ident()]


_scope = _Scope


def record(train_mode: bool = True) -> contextlib.AbstractContextManager[None]:
    """Record ops inside the ``with`` block so that ``backward`` can differentiate them.

    Examples
    --------
    >>> from autogradviz import nd, autograd
    >>> x = nd.array([1.0, 2.0]); x.attach_grad()
    >>> with autograd.record():
    ...     y = x * x
    >>> y.backward(); x.grad.asnumpy().tolist()
    [2.0, 4.0]
    """
    return _scope(True, bool(train_mode))


def pause(train_mode: bool = False) -> contextlib.AbstractContextManager[None]:
    """Stop recording inside the ``with`` block (ops there become constants of the graph)."""
    return _scope(PAUSED_RECORDING, bool(train_mode))


def train_mode() -> contextlib.AbstractContextManager[None]:
    """Run the block in training mode; recording is left as it is."""
    return _scope(None, True)


def predict_mode() -> contextlib.AbstractContextManager[None]:
    """Run the block in prediction mode; recording is left as it is."""
    return _scope(None, False)
