"""Graph capture: keeps the most recent backward pass so ``last_graph()`` can draw it.

Off by default, so plain training loops pay nothing; ``enable()`` (or ``%load_ext
autogradviz``) turns it on. It is a backward listener (the engine's hook interface): while
enabled, backward records its trace (order, gradients, edge contributions), new nodes get
their call sites, and the last pass stays alive until the next one.
Imports the engine only.
"""

from __future__ import annotations

from typing import Any

from ..engine.listeners import (
    BackwardPass,
    add_backward_listener,
    backward_listeners,
    remove_backward_listener,
)
from ..engine.tape import watch
from .names import find_names

_last: tuple[BackwardPass, dict, dict] | None = None


def _keep(run: BackwardPass) -> None:
    global _last
    # Backward frees each node's inputs and attrs right after this; keep them, and the
    # names of the calling functions' local variables (gone once they return).
    order = run.order
    kept = {"inputs": [n.inputs for n in order], "attrs": [n.attrs for n in order]}
    _last = (run, kept, find_names(modules=False))


def enable() -> None:
    """Capture every backward pass, and record each op's call site (file and line)."""
    add_backward_listener(_keep)
    watch.sites = True


def disable() -> None:
    """Stop capturing, stop recording call sites, and forget the last pass."""
    global _last
    remove_backward_listener(_keep)
    watch.sites = False
    _last = None


def is_enabled() -> bool:
    """Return whether backward passes are being captured."""
    return _keep in backward_listeners()


def last() -> tuple[BackwardPass, dict, dict] | None:
    """Return the last pass, what it freed, and the names seen then; or ``None``.

    What it freed is ``{"inputs": [...], "attrs": [...]}``, lists aligned with ``run.order``.
    """
    return _last


def clear() -> Any:
    """Forget the last pass without turning capture off."""
    global _last
    _last = None
