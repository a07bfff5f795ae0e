"""The tape of a graph: what it takes to run the recorded computation again.

A :class:`Graph` shows values (summaries of big ones); its :class:`Tape` keeps the recipe:
each op with its attributes and which boxes it read, plus full copies of the numbers it
started from (the variables and constants, as the pass used them), the gradient backward
started from at each head, and the gradient the pass gave each variable. The teaching tools
(``autogradviz.teach``) replay it, in float64, with finite differences or a moved slider;
the student's cell is never run again.

Copies cost memory, so a tape keeps at most ``REPLAY_LIMIT`` numbers; a bigger graph gets a
tape that says why it cannot be replayed (``skipped``). Op objects are held, never called
here. Imports numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

REPLAY_LIMIT = 1 << 20  # numbers a tape copies at most (values, seeds and gradients)


class Ref(NamedTuple):
    """An input of a step that is a box of the graph (``Ref('n3')``)."""

    id: str


@dataclass(frozen=True)
class Step:
    """One recorded op: box ``id`` is ``op(*args, **attrs)``.

    ``args`` holds a :class:`Ref` for each array input and the Python scalar itself for the
    others (``x * 2``). ``op`` is the op-table entry, or, for a custom ``autograd.Function``,
    the object standing for output ``index`` of its call (it has ``.function``).
    """

    id: str
    op: Any
    args: tuple
    attrs: dict


@dataclass(frozen=True)
class Tape:
    """The recipe of a graph, and the numbers it starts from; see the module docstring.

    ``values`` (variables and constants), ``seeds`` (heads) and ``grads`` (variables) are
    float copies by box id. ``skipped`` says why they are empty, when they are.
    """

    steps: tuple[Step, ...] = ()
    values: dict[str, np.ndarray] = field(default_factory=dict)
    seeds: dict[str, np.ndarray] = field(default_factory=dict)
    grads: dict[str, np.ndarray] = field(default_factory=dict)
    skipped: str | None = None

    @property
    def replayable(self) -> bool:
        """Whether the tape holds the numbers a replay needs."""
        return self.skipped is None


class TapeWriter:
    """Collects a tape while the builder walks the pass, within ``limit`` numbers."""

    def __init__(self, limit: int = REPLAY_LIMIT) -> None:
        self.limit = limit
        self.size = 0
        self.steps: list[Step] = []
        self.values: dict[str, np.ndarray] = {}
        self.seeds: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.reason: str | None = None

    def step(self, node_id: str, op: Any, args: tuple, attrs: dict | None) -> None:
        """Add the op that made box ``node_id``."""
        self.steps.append(Step(node_id, op, args, dict(attrs or {})))

    def keep(self, kind: str, node_id: str, data: Any) -> None:
        """Copy ``data`` as box ``node_id``'s value, seed or gradient (``kind``)."""
        if data is None:
            return
        self.size += int(np.size(data))
        if self.size <= self.limit:  # (past the limit nothing is kept: nothing is copied)
            getattr(self, kind)[node_id] = np.array(data, copy=True)

    def skip(self, reason: str) -> None:
        """Say why this graph cannot be replayed (the first reason given wins)."""
        self.reason = self.reason or reason

    def tape(self) -> Tape:
        """Return the tape; empty of numbers if they came to more than the limit."""
        if self.reason is not None:
            return Tape(tuple(self.steps), skipped=self.reason)
        if self.size > self.limit:
            return Tape(tuple(self.steps), skipped=(
                f"the graph starts from {self.size:,} numbers, more than the {self.limit:,} "
                "a replay keeps; try it on a smaller batch or model, or pass a bigger "
                "replay_limit to graph_of / last_graph"))  # fmt: skip
        return Tape(tuple(self.steps), self.values, self.seeds, self.grads)
