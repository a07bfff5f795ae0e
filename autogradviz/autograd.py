"""``autogradviz.autograd``: MXNet's ``autograd`` namespace, the engine's public names.

Recording scopes, ``backward``/``grad``, variables, ``Function``, ``get_symbol`` and the
backward listeners, each defined in ``autogradviz.engine``; one addition of ours, ``group``
(name the ops of a block of code for the picture). Imports the engine only.
"""

from __future__ import annotations

from .engine.backward import backward, grad
from .engine.function import Function
from .engine.groups import group
from .engine.history import get_symbol
from .engine.listeners import (
    BackwardPass,
    add_backward_listener,
    backward_listeners,
    remove_backward_listener,
)
from .engine.scopes import (
    is_recording,
    is_training,
    pause,
    predict_mode,
    record,
    set_recording,
    set_training,
    train_mode,
)
from .engine.variables import mark_variables

__all__ = [
    "Function", "backward", "get_symbol", "grad", "group", "is_recording", "is_training",
    "mark_variables", "pause", "predict_mode", "record", "set_recording", "set_training",
    "train_mode", "add_backward_listener", "remove_backward_listener", "backward_listeners",
    "BackwardPass",
]  # fmt: skip
