"""The graph model: ``Graph``, ``Node`` and ``Edge``, an immutable snapshot of a computation.

Nodes are in forward order with ids ``n0, n1, ...``; each carries numpy copies (or summaries
of big arrays) of its value and gradient, never live engine objects (its tape holds the ops,
to run them again, and copies of numbers). Renderers and the widget read only these
classes. Imports the standard library and ``tape`` (renderers lazily, see ``Graph``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .tape import Tape

_NO_TAPE = Tape(skipped="this graph was not recorded by autogradviz, so it has no tape")


class Node(NamedTuple):
    """One box of the picture: an op's output, a variable, or a constant.

    A named tuple (cheap to build by the thousand, and read-only). ``grad`` is the gradient
    of the heads with respect to this node's output (intermediates too), or ``None`` where
    no gradient was computed. ``cut`` says why no gradient can flow
    into a constant (``'detach'``, ``'pause'``, ``'freed'``, ``'constant'``).

    ``grad_kind`` says what ``grad`` is, so that no picture contradicts ``print(x.grad)``:

    - ``'buffer'``: what backward wrote into the variable's ``.grad`` (``grad_req='write'``);
    - ``'sum'``: the gradient of this pass, while ``.grad`` (``grad_buffer``) holds the sum
      over the passes (``grad_req='add'``);
    - ``'null'``: it flowed here, but ``.grad`` is not kept (``grad_req='null'``);
    - ``'grad()'``: it flowed here in ``autograd.grad``, which leaves ``.grad`` untouched;
    - ``'flowed'``: the gradient that reached an op's output (∂head/∂node);
    - ``None``: no gradient (constants, a graph before backward).

    ``reattached`` is set when ``attach_grad()`` made the array a new variable after this
    pass recorded it (MXNet 1.x cuts the array from the graph then): where it was called
    (``'cell [4]:7'``, or ``''`` if unknown). Its ``.grad`` is not this node's gradient.

    ``scope`` lists the user's function calls the op was made in, outermost first, as
    ``(call id, function name)`` pairs (``(("c0", "net"), ("c1", "dense"))``); empty for
    leaves and for ops made at a cell's top level (or while call sites are not recorded).
    Named groups (``autograd.group``, a gluon Block's call) have ids starting with ``g``
    (``("g2", "dense0")``).
    """

    id: str
    op: str
    kind: str
    name: str | None
    shape: tuple[int, ...]
    dtype: str
    value: Any
    grad: Any
    grad_req: str
    inputs: tuple[str, ...]
    source: str | None
    formula: str | None
    attrs: tuple[tuple[str, str], ...] = ()
    is_head: bool = False
    cut: str | None = None
    value_nonfinite: bool = False
    grad_nonfinite: bool = False
    grad_kind: str | None = None
    grad_buffer: Any = None
    scope: tuple[tuple[str, str], ...] = ()
    reattached: str | None = None


class Edge(NamedTuple):
    """An arrow from input ``src`` to the op ``dst`` that used it (as input ``index``).

    ``contribution`` is the gradient that flowed back along this edge; a node's ``grad`` is
    the sum of the contributions on its outgoing edges.
    """

    src: str
    dst: str
    index: int  # type: ignore[assignment]  # the issue's field name; it hides tuple.index
    contribution: Any = None


@dataclass(frozen=True)
class Graph:
    """A recorded computation: nodes in forward order, edges, heads and the backward order.

    ``tape`` is what it takes to run it again (see ``graph.tape``): the teaching tools use it.
    """

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    heads: tuple[str, ...]
    backward_order: tuple[str, ...] = ()
    tape: Tape = field(default=_NO_TAPE, repr=False, compare=False)
    _index: dict[str, Node] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for node in self.nodes:
            self._index[node.id] = node
            if node.name is not None:
                self._index.setdefault(node.name, node)

    def node(self, name_or_id: str) -> Node:
        """Return the node with this id (``'n3'``) or user variable name (``'x'``).

        Raises
        ------
        KeyError
            If no node has that id or name.
        """
        try:
            return self._index[name_or_id]
        except KeyError:
            known = ", ".join(sorted(n.name for n in self.nodes if n.name)) or "none"
            raise KeyError(
                f"Graph.node: no node has id or name {name_or_id!r}; ids are n0..n"
                f"{len(self.nodes) - 1}, names are {known}."
            ) from None

    @property
    def first_nonfinite(self) -> str | None:
        """Id of the first node (in forward order) whose value holds NaN or Inf, or None."""
        return next((n.id for n in self.nodes if n.value_nonfinite), None)

    def __len__(self) -> int:
        return len(self.nodes)

    # The renderers live in ``render`` and the teaching tools in ``teach``, layers up. These
    # methods are conveniences for users (``g.to_svg()``, ``g.check("w")``, and Jupyter's
    # display of a Graph): each imports its module when called, never when this module
    # loads, so ``graph`` depends on neither and there is no import cycle. The layering test
    # allows exactly these deferred imports.
    def to_dot(self, **options: Any) -> str:
        """Return the graph as Graphviz DOT text (see ``render.options`` for options)."""
        from ..render.dot import to_dot

        return to_dot(self, **options)

    def to_svg(self, **options: Any) -> str:
        """Return the graph drawn as SVG by Graphviz's ``dot`` (raises if it is missing)."""
        from ..render.svg import to_svg

        return to_svg(self, **options)

    def to_text(self, **options: Any) -> str:
        """Return a plain-text listing of the graph for terminals."""
        from ..render.text import to_text

        return to_text(self, **options)

    def save(self, path: str | os.PathLike, **options: Any) -> str:
        """Write ``.svg``, ``.png``, ``.dot``, ``.txt`` or ``.html`` (chosen by extension)."""
        from ..render.files import save

        return save(self, path, **options)

    def check(self, node: str) -> Any:
        """Check box ``node``'s gradient against finite differences (``teach.check``)."""
        from ..teach import check

        return check(self, node)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from ..render.files import mimebundle

        return mimebundle(self)
