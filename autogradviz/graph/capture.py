"""Graph capture: keeps the most recent backward pass so ``last_graph()`` can draw it.

Off by default, so plain training loops pay nothing; ``enable()`` (or ``%load_ext
autogradviz``) turns it on. It is a backward listener (the engine's hook interface): while
enabled, backward records its trace (order, gradients, edge contributions), new nodes get
their call sites, and the last pass stays alive until the next one.

A picture must show the values the pass used, also after the usual SGD step in the same cell
(``w[:] = w - lr * w.grad``). So capture also listens to in-place writes: the first write
into an array the last pass used (or into the buffer it is a view of) saves a copy of its
values first; the graph is built from that copy. Nothing is copied unless written.
Imports numpy and the engine only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.callers import forget as forget_frames
from ..engine.listeners import (
    BackwardPass,
    add_backward_listener,
    add_write_listener,
    backward_listeners,
    remove_backward_listener,
    remove_write_listener,
)
from ..engine.tape import watch
from ..engine.variables import add_seen
from .names import find_names
from .summary import root_buffer

_last: tuple[BackwardPass, dict, dict] | None = None
_pinned: list[tuple] = []  # earlier passes a viewer will draw: their values are saved too


def _keep(run: BackwardPass) -> None:
    global _last
    # Backward frees each node's inputs and attrs right after this; keep them, and the
    # names of the calling functions' local variables (gone once they return).
    order = run.order
    kept = {"inputs": [n.inputs for n in order], "attrs": [n.attrs for n in order],
            "saved": {}, "buffers": _sum_buffers(run) if _sums_kept(run) else {}}  # fmt: skip
    # the names of function locals: none when backward ran at a cell's top level
    names = {} if run.top_level else _local_names()
    _last = (run, kept, names)
    forget_frames(run.top_level)  # the frames of the pass's last op: their locals may be big


def _local_names() -> dict[int, str]:
    """Names of the calling functions' arrays; none if looking fails (never break backward).

    The lookup runs none of the user's code, but it runs inside the student's ``backward()``:
    a picture without names is better than a training step that raises.
    """
    try:
        return find_names(modules=False)
    except Exception:
        return {}


def _sums_kept(run: BackwardPass) -> bool:
    """Whether the pass may hold ``grad_req='add'`` buffers (never, unless one was made)."""
    return run.writes_grads and add_seen.value


def _sum_buffers(run: BackwardPass) -> dict[int, np.ndarray]:
    """Copy the ``grad_req='add'`` buffers after this pass (the next pass adds to them)."""
    return {
        id(n): n.grad_data.copy() for n in run.order
        if n.grad_req == "add" and n.op is None and n.grad_data is not None
    }  # fmt: skip


def pin(captured: tuple) -> None:
    """Keep protecting ``captured``'s values after the next pass (a picture will be built).

    A viewer that samples passes pins each one it keeps, and builds its graph later, when it
    draws (not in the middle of the student's loop); then it calls :func:`unpin`.
    """
    if all(captured is not other for other in _pinned):
        _pinned.append(captured)


def unpin(captured: tuple) -> None:
    """Stop protecting ``captured``'s values (its graph is built)."""
    _pinned[:] = [other for other in _pinned if other is not captured]


def _before_write(array: Any) -> None:
    """Save what ``array``'s coming in-place write would change (last and pinned passes)."""
    data = array._data
    if not isinstance(data, np.ndarray):
        return
    key, own = id(data), data.base is None  # the usual case: w[:] = w - lr * w.grad
    if _last is not None:
        saved = _last[1]["saved"]
        if own and key not in saved and array._node in _last[0].arrays:  # (inlined: hot)
            saved[key] = data.copy(order="K")
        elif key not in saved:
            _save_before_write(_last, array, data, key, own)
    if not _pinned:
        return
    for captured in _pinned:  # (few: the passes kept since the last drawing)
        if captured is not _last and key not in captured[1]["saved"]:
            _save_before_write(captured, array, data, key, own)


def _save_before_write(captured: tuple, array: Any, data: np.ndarray, key: int,
                       own: bool) -> None:  # fmt: skip
    run, kept, _ = captured
    saved = kept["saved"]
    if own and array._node in run.arrays:
        # The buffer is its own; views of it that the pass used are rebuilt from this copy
        # when the graph is built (build.values_used), so nothing else needs saving now.
        if key not in saved:
            saved[key] = data.copy(order="K")  # the same memory layout as the buffer
        return
    root = root_buffer(data)
    if id(root) in saved:  # the whole buffer is saved already: its views are rebuilt from it
        return
    for used in _index(captured).get(id(root), ()):
        if id(used) not in saved:
            saved[id(used)] = used.copy()


def _index(captured: tuple) -> dict[int, list[np.ndarray]]:
    """Return the numpy data of every array a pass used, by the id of their root buffer.

    Built on the first write that needs it (into a constant, a view, or an array the pass
    did not use, such as a momentum buffer) and kept with the pass: a plain SGD loop never
    builds it.
    """
    kept = captured[1]
    if "by_root" not in kept:
        kept["by_root"] = _by_root(captured)
    return kept["by_root"]


def _by_root(captured: tuple) -> dict[int, list[np.ndarray]]:
    """Return a pass's numpy data by their root buffers' ids (see ``_index``)."""
    found: dict[int, list[np.ndarray]] = {}
    for data in _used_buffers(captured[0], captured[1]["inputs"]):
        found.setdefault(id(root_buffer(data)), []).append(data)
    return found


def _used_buffers(run: BackwardPass, inputs: list) -> list[np.ndarray]:
    """Return the numpy data of every array the pass used: node outputs and constants."""
    buffers = [array._data for array in run.arrays.values()]
    for node_inputs in inputs:
        for x in node_inputs or ():
            data = getattr(x, "_data", x)
            if isinstance(data, np.ndarray):
                buffers.append(data)
    return buffers


def enable() -> None:
    """Capture every backward pass, and record each op's call site (file and line)."""
    add_backward_listener(_keep)
    add_write_listener(_before_write)
    watch.sites = True


def disable() -> None:
    """Stop capturing, stop recording call sites, and forget the last pass."""
    global _last
    remove_backward_listener(_keep)
    remove_write_listener(_before_write)
    watch.sites = False
    forget_frames()
    _last = None
    _pinned.clear()


def is_enabled() -> bool:
    """Return whether backward passes are being captured."""
    return _keep in backward_listeners()


def last() -> tuple[BackwardPass, dict, dict] | None:
    """Return the last pass, what it freed, and the names seen then; or ``None``.

    What it freed is ``{"inputs": [...], "attrs": [...], "saved": {...}}``: lists aligned with
    ``run.order``, and copies of values written over since, by ``id`` of the array data.
    """
    return _last


def clear() -> Any:
    """Forget the last pass without turning capture off."""
    global _last
    _last = None
    _pinned.clear()
