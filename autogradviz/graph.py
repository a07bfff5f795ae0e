"""The graph model: an immutable snapshot of a recorded computation, for pictures and text.

``graph_of(head)`` snapshots the history behind arrays; ``last_graph()`` the most recent
backward pass, with every node's gradient and the gradient carried by every edge. The
snapshot holds numpy copies (or summaries of big arrays), never live engine objects.
Renderers read only this module's classes. Imports numpy and the core; nothing visual.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from . import capture
from .autograd import BackwardPass, topological_order
from .errors import GraphError
from .names import find_names
from .summary import snapshot

DEFAULT_MAX_ELEMENTS = 1000


class Node(NamedTuple):
    """One box of the picture: an op's output, a variable, or a constant.

    A named tuple (cheap to build by the thousand, and read-only). ``grad`` is the gradient
    of the heads with respect to this node's output (intermediates too), or ``None`` where
    no gradient was computed. ``cut`` says why no gradient can flow
    into a constant (``'detach'``, ``'pause'``, ``'freed'``, ``'constant'``).
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
    """A recorded computation: nodes in forward order, edges, heads and the backward order."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    heads: tuple[str, ...]
    backward_order: tuple[str, ...] = ()
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

    # The renderers live in ``render``; these methods only forward to them.
    def to_dot(self, **options: Any) -> str:
        """Return the graph as Graphviz DOT text (see ``render.options`` for options)."""
        from .render.dot import to_dot

        return to_dot(self, **options)

    def to_svg(self, **options: Any) -> str:
        """Return the graph drawn as SVG by Graphviz's ``dot`` (raises if it is missing)."""
        from .render.svg import to_svg

        return to_svg(self, **options)

    def to_text(self, **options: Any) -> str:
        """Return a plain-text listing of the graph for terminals."""
        from .render.text import to_text

        return to_text(self, **options)

    def save(self, path: str | os.PathLike, **options: Any) -> str:
        """Write ``.svg``, ``.png``, ``.dot``, ``.txt`` or ``.html`` (chosen by extension)."""
        from .render.files import save

        return save(self, path, **options)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from .render.files import mimebundle

        return mimebundle(self)


# --------------------------------------------------------------------------- building


class _Builder:
    """Turns engine nodes (plus an optional backward pass) into a :class:`Graph`."""

    def __init__(self, order: list, arrays: dict, names: dict[int, str], max_elements: int,
                 where: Callable[[str], str] | None = None):  # fmt: skip
        self.order, self.arrays, self.names = order, arrays, names
        self.where = where or os.path.basename  # how a source file is named
        self.max_elements = max_elements
        self.ids: dict[int, str] = {}
        self.nodes: list[Node] = []
        self.edges: list[tuple] = []

    def _new_id(self, key: int) -> str:
        self.ids[key] = f"n{len(self.ids)}"
        return self.ids[key]

    def build(self, heads: list, run: BackwardPass | None, kept: dict | None = None) -> Graph:
        """Return the snapshot; ``kept`` holds inputs and attrs a backward pass has freed."""
        self.sent = run.contributions if run is not None else {}
        head_nodes = {id(h._node) for h in heads}
        kept_inputs = kept["inputs"] if kept else [n.inputs for n in self.order]
        kept_attrs = kept["attrs"] if kept else [n.attrs for n in self.order]
        for engine_node, raw_inputs, attrs in zip(
            self.order, kept_inputs, kept_attrs, strict=True
        ):
            inputs = self._inputs(engine_node, raw_inputs)
            self._add(engine_node, inputs, run, id(engine_node) in head_nodes,
                      _attrs_text(engine_node.op, raw_inputs, attrs))  # fmt: skip
        edges = tuple(
            Edge(src, dst, index, self._contribution(run, engine_node, index))
            for src, dst, index, engine_node in self.edges
        )
        processed = run.processed if run is not None else []
        return Graph(
            tuple(self.nodes),
            edges,
            tuple(self.ids[id(h._node)] for h in heads),
            tuple(self.ids[id(n)] for n in processed if id(n) in self.ids),
        )

    def _inputs(self, engine_node: Any, inputs: tuple | None) -> list[tuple[int, Any]]:
        """Return ``(index, input)`` pairs for array inputs, adding constant nodes first."""
        pairs = []
        for index, x in enumerate(inputs or ()):
            if not hasattr(x, "_node") and not isinstance(x, np.ndarray):
                continue  # a Python scalar: shown in the op's label
            child = getattr(x, "_node", None)
            key = id(child) if child is not None and id(child) in self.ids else id(x)
            if key not in self.ids:
                self._add_constant(x)
            pairs.append((index, self.ids[key]))
        return pairs

    def _add_constant(self, x: Any) -> None:
        data = getattr(x, "_data", x)
        value, nonfinite = snapshot(data, self.max_elements)
        node = Node(
            id=self._new_id(id(x)), op="constant", kind="constant",
            name=self.names.get(id(x)), shape=tuple(np.shape(data)),
            dtype=str(np.asarray(data).dtype), value=value, grad=None, grad_req="null",
            inputs=(), source=None, formula=None, cut=_cut_reason(x),
            value_nonfinite=nonfinite,
        )  # fmt: skip
        self.nodes.append(node)

    def _add(self, engine_node: Any, inputs: list, run: Any, is_head: bool,
             attrs: tuple) -> None:  # fmt: skip
        array = self.arrays[engine_node]
        value, value_nonfinite = snapshot(array._data, self.max_elements)
        grad, grad_nonfinite = snapshot(_grad_of(engine_node, run), self.max_elements)
        node_id = self._new_id(id(engine_node))
        is_variable = engine_node.op is None
        self.edges.extend((src, node_id, index, engine_node) for index, src in inputs)
        self.nodes.append(Node(
            id=node_id,
            op="variable" if is_variable else engine_node.op.name,
            kind="variable" if is_variable else "op",
            name=self.names.get(id(array)),
            shape=array._data.shape, dtype=array._data.dtype.name,
            value=value, grad=grad, grad_req=engine_node.grad_req,
            inputs=tuple(src for _, src in inputs),
            source=_source_text(engine_node.site, self.where),
            formula=None if is_variable else engine_node.op.formula,
            attrs=attrs,
            is_head=is_head, value_nonfinite=value_nonfinite, grad_nonfinite=grad_nonfinite,
        ))  # fmt: skip

    def _contribution(self, run: Any, engine_node: Any, index: int) -> Any:
        if run is None:
            return None
        grad = self.sent.get((engine_node, index))
        return None if grad is None else snapshot(grad._data, self.max_elements)[0]


def _grad_of(engine_node: Any, run: BackwardPass | None) -> np.ndarray | None:
    if run is not None:
        grad = run.grads.get(engine_node)
        return None if grad is None else grad._data
    # A variable's buffer counts only once a backward pass has written it.
    return engine_node.grad_data if engine_node.fresh else None


def _cut_reason(x: Any) -> str:
    node = getattr(x, "_node", None)
    if node is None:
        return "constant"
    if node.op is not None:
        return "freed"
    return node.attrs.get("cut", "constant") if node.attrs else "constant"


def _source_text(site: tuple[str, int] | None, where: Callable[[str], str]) -> str | None:
    if site is None:
        return None
    filename, lineno = site
    return f"{where(filename)}:{lineno}"


def _attrs_text(op: Any, inputs: tuple | None, attrs: dict | None) -> tuple[tuple[str, str], ...]:
    """Text of an op's attributes and of its scalar operands (``("input 1", "2")``)."""
    if op is None:
        return ()
    defaults = getattr(op, "attrs", {})
    pairs = [
        (key, _short(value)) for key, value in (attrs or {}).items()
        if not (key in defaults and _same(defaults[key], value))
    ]  # fmt: skip
    for index, x in enumerate(inputs or ()):
        if not hasattr(x, "_node") and not isinstance(x, np.ndarray):
            pairs.append((f"input {index}", _short(x)))
    return tuple(pairs)


def _same(default: Any, value: Any) -> bool:
    if isinstance(value, np.ndarray) or isinstance(default, np.ndarray):
        return default is value
    try:
        return bool(default == value) and type(default) is type(value)
    except (TypeError, ValueError):
        return False


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array{tuple(value.shape)}"
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------------------- public functions


def graph_of(head: Any, *more_heads: Any, max_elements: int = DEFAULT_MAX_ELEMENTS) -> Graph:
    """Return a snapshot of the recorded history that produced ``head`` (and ``more_heads``).

    Works before backward (values only) and after it with ``retain_graph=True`` (variables
    then carry their ``.grad``).

    Raises
    ------
    GraphError
        If a head is not part of a live recorded graph.
    """
    heads = [head, *more_heads]
    for h in heads:
        if getattr(h, "_node", None) is None or h._node.inputs is None:
            raise GraphError(
                "graph_of: the array is not part of a live recorded graph (shape "
                f"{getattr(h, 'shape', '?')}); compute it inside autograd.record(), and pass "
                "retain_graph=True to backward to keep the graph, or use last_graph()."
            )
    order, arrays = topological_order(heads)
    return _Builder(order, arrays, find_names(), max_elements).build(heads, None)


def last_graph(max_elements: int = DEFAULT_MAX_ELEMENTS) -> Graph:
    """Return the graph of the most recent ``backward()`` or ``autograd.grad()`` call.

    Every node carries its gradient (intermediates too) and every edge the gradient it
    carried. Needs graph capture: ``autogradviz.capture.enable()`` or ``%load_ext autogradviz``.

    Raises
    ------
    GraphError
        If no backward pass was captured yet.
    """
    captured = capture.last()
    if captured is None:
        raise GraphError(
            "last_graph: no backward pass has been captured yet. Turn capture on with "
            "autogradviz.capture.enable() (or %load_ext autogradviz), then run backward()."
        )
    return graph_from_capture(captured, max_elements, find_names())


def graph_from_capture(
    captured: tuple,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    names_now: dict | None = None,
    where: Callable[[str], str] | None = None,
) -> Graph:
    """Return the graph of a captured backward pass (an item of ``capture.last()``).

    Names seen when backward ran win over ``names_now`` (a function's locals are gone later).
    ``where`` names a source file for ``Node.source`` (the extension says ``cell [3]``).
    """
    run, kept, names_then = captured
    names = {**(names_now or {}), **names_then}
    builder = _Builder(run.order, run.arrays, names, max_elements, where)
    return builder.build(run.heads, run, kept)
