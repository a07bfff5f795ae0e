"""Building a :class:`~autogradviz.graph.model.Graph` from engine nodes and a backward pass.

Ids are given in forward order (``n0, n1, ...``), never ``id(obj)``; values and gradients
are copied (or summarized) by ``summary.snapshot``. Imports numpy, the engine's
``BackwardPass`` and the graph model; nothing visual.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine.callers import site_location
from ..engine.listeners import BackwardPass
from ..engine.tape import node_at
from .model import Edge, Graph, Node
from .summary import root_buffer, snapshot
from .tape import REPLAY_LIMIT, Ref, TapeWriter


class Builder:
    """Turns engine nodes (plus an optional backward pass) into a :class:`Graph`."""

    def __init__(self, order: list, arrays: dict, names: dict[int, str], max_elements: int,
                 where: Callable[[str], str] | None = None,
                 replay_limit: int = REPLAY_LIMIT):  # fmt: skip
        self.order, self.arrays, self.names = order, arrays, names
        self.tape = TapeWriter(replay_limit)
        self.where = where or os.path.basename  # how a source file is named
        self.max_elements = max_elements
        self.ids: dict[int, str] = {}
        self.nodes: list[Node] = []
        self.edges: list[tuple] = []
        self.calls: dict[int, tuple[str, str]] = {}  # id(Call) -> (call id, function name)
        self.lines: dict[tuple[int, int], str] = {}  # (id(code), offset) -> "file:line"
        # The nodes each array had in this pass, oldest first: the graph is built from them,
        # not from the array's node now (attach_grad() may have given it a new one since).
        self.nodes_of: dict[int, list] = {}
        for engine_node in order:
            self.nodes_of.setdefault(id(arrays[engine_node]), []).append(engine_node)
        self.ran_at: int | None = None  # the backward pass's creation number, if any

    def _new_id(self, key: int) -> str:
        self.ids[key] = f"n{len(self.ids)}"
        return self.ids[key]

    def build(self, heads: list, run: BackwardPass | None, kept: dict | None = None) -> Graph:
        """Return the snapshot; ``kept`` holds inputs and attrs a backward pass has freed."""
        self.sent = run.contributions if run is not None else {}
        self.saved = kept.get("saved", {}) if kept else {}  # values written over since
        self.buffers = kept.get("buffers", {}) if kept else {}  # 'add' buffers after the pass
        self.ran_at = run.seq if run is not None else None
        head_nodes = {id(self._pass_node(h)) for h in heads}
        kept_inputs = kept["inputs"] if kept else [n.inputs for n in self.order]
        kept_attrs = kept["attrs"] if kept else [n.attrs for n in self.order]
        for engine_node, raw_inputs, attrs in zip(
            self.order, kept_inputs, kept_attrs, strict=True
        ):
            inputs = self._inputs(engine_node, raw_inputs)
            self._add(engine_node, inputs, run, id(engine_node) in head_nodes,
                      _attrs_text(engine_node.op, raw_inputs, attrs))  # fmt: skip
            self._step(engine_node, raw_inputs, dict(inputs), attrs)
        edges = tuple(
            Edge(src, dst, index, self._contribution(run, engine_node, index))
            for src, dst, index, engine_node in self.edges
        )
        processed = run.processed if run is not None else []
        head_ids = tuple(self.ids[id(self._pass_node(h))] for h in heads)
        if run is not None:
            self._seeds(run, head_ids)
        return Graph(
            tuple(self.nodes),
            edges,
            head_ids,
            tuple(self.ids[id(n)] for n in processed if id(n) in self.ids),
            self.tape.tape(),
        )

    def _step(self, engine_node: Any, raw_inputs: tuple | None, ids: dict[int, str],
              attrs: dict | None) -> None:  # fmt: skip
        """Write the op that made ``engine_node`` on the tape (array inputs as references)."""
        node_id = self.ids[id(engine_node)]
        if engine_node.op is None:
            return
        if raw_inputs is None:
            self.tape.skip(f"the inputs of box {node_id} ({engine_node.op.name}) were freed")
            return
        args = tuple(Ref(ids[i]) if i in ids else x for i, x in enumerate(raw_inputs))
        self.tape.step(node_id, engine_node.op, args, attrs)

    def _seeds(self, run: BackwardPass, head_ids: tuple[str, ...]) -> None:
        """Keep the gradient backward started from at each head (its own part only)."""
        for engine_node in run.order:
            node_id = self.ids.get(id(engine_node))
            if node_id not in head_ids or engine_node not in run.grads:
                continue
            seed = run.grads[engine_node]._data
            for src, _, index, consumer in self.edges:  # a head used by another head
                sent = self.sent.get((consumer, index)) if src == node_id else None
                if sent is not None:
                    seed = seed - sent._data
            self.tape.keep("seeds", node_id, seed)

    def _inputs(self, engine_node: Any, inputs: tuple | None) -> list[tuple[int, Any]]:
        """Return ``(index, input)`` pairs for array inputs, adding constant nodes first."""
        pairs = []
        for index, x in enumerate(inputs or ()):
            if not hasattr(x, "_node") and not isinstance(x, np.ndarray):
                continue  # a Python scalar: shown in the op's label
            child = self._pass_node(x, engine_node.seq)
            key = id(child) if child is not None and id(child) in self.ids else id(x)
            if key not in self.ids:
                self._add_constant(x)
            pairs.append((index, self.ids[key]))
        return pairs

    def _add_constant(self, x: Any) -> None:
        data = getattr(x, "_data", x)
        used = values_used(data, self.saved)
        value, nonfinite = snapshot(used, self.max_elements)
        self.tape.keep("values", self._new_id(id(x)), used)
        node = Node(
            id=self.ids[id(x)], op="constant", kind="constant",
            name=self.names.get(id(x)), shape=tuple(np.shape(data)),
            dtype=str(np.asarray(data).dtype), value=value, grad=None, grad_req="null",
            inputs=(), source=self._source(getattr(getattr(x, "_node", None), "site", None)),
            formula=None, cut=_cut_reason(x),
            value_nonfinite=nonfinite,
        )  # fmt: skip
        self.nodes.append(node)

    def _add(self, engine_node: Any, inputs: list, run: Any, is_head: bool,
             attrs: tuple) -> None:  # fmt: skip
        array = self.arrays[engine_node]
        data = values_used(array._data, self.saved)  # as the pass used it
        value, value_nonfinite = snapshot(data, self.max_elements)
        raw_grad = _grad_of(engine_node, run)
        grad, grad_nonfinite = snapshot(raw_grad, self.max_elements)
        reattached = self._reattached(array, engine_node)
        kind = "flowed" if reattached is not None and raw_grad is not None else (
            _grad_kind(engine_node, run, raw_grad))  # fmt: skip
        buffer = self.buffers.get(id(engine_node)) if kind == "sum" else None
        node_id = self._new_id(id(engine_node))
        is_variable = engine_node.op is None
        if is_variable:
            self.tape.keep("values", node_id, data)
            self.tape.keep("grads", node_id, raw_grad)
        self.edges.extend((src, node_id, index, engine_node) for index, src in inputs)
        self.nodes.append(Node(
            id=node_id,
            op="variable" if is_variable else engine_node.op.name,
            kind="variable" if is_variable else "op",
            name=self.names.get(id(array)),
            shape=array._data.shape, dtype=array._data.dtype.name,
            value=value, grad=grad, grad_req=engine_node.grad_req,
            inputs=tuple(src for _, src in inputs),
            source=self._source(engine_node.site),
            formula=None if is_variable else engine_node.op.formula,
            attrs=attrs,
            is_head=is_head, value_nonfinite=value_nonfinite, grad_nonfinite=grad_nonfinite,
            grad_kind=kind,
            grad_buffer=None if buffer is None else snapshot(buffer, self.max_elements)[0],
            scope=() if is_variable else self._scope(engine_node.site),
            reattached=reattached,
        ))  # fmt: skip

    def _pass_node(self, x: Any, before: int | None = None) -> Any:
        """Return the node ``x`` had in this pass (the newest made before op ``before``)."""
        candidates = [n for n in self.nodes_of.get(id(x), ()) if before is None or n.seq < before]
        return candidates[-1] if candidates else None

    def _reattached(self, array: Any, engine_node: Any) -> str | None:
        """Where ``attach_grad()`` gave ``array`` a new node between its use and backward.

        That is the node the array had when the pass ran (``node_at``; now, for a graph
        without a pass): if it is not this one, this node's gradient never reached the
        array's ``.grad``. A node made after the pass is not this pass's business.
        """
        current = array._node if self.ran_at is None else node_at(array, self.ran_at)
        if current is None or current is engine_node:
            return None
        return self._source(current.site) or ""

    def _source(self, site: Any) -> str | None:
        """``cell [3]:2``: where an op was made (lines found once per code and offset)."""
        if site is None:
            return None
        key = (id(site[0]), site[1])
        if key not in self.lines:
            filename, lineno = site_location(site)
            self.lines[key] = f"{readable(self.where(filename))}:{lineno}"
        return self.lines[key]

    def _scope(self, site: Any) -> tuple[tuple[str, str], ...]:
        """Return ``((call id, name), ...)`` of the user's calls around an op.

        Function calls get ids ``c0, c1, ...``, named groups (``autograd.group``, gluon
        Blocks) ``g2, ...``: one count for both.
        """
        calls = site[2] if site is not None else ()
        for call in calls:
            if id(call) not in self.calls:
                prefix = "g" if getattr(call, "kind", "call") == "group" else "c"
                self.calls[id(call)] = (f"{prefix}{len(self.calls)}", call.name)
        return tuple(self.calls[id(call)] for call in calls)

    def _contribution(self, run: Any, engine_node: Any, index: int) -> Any:
        if run is None:
            return None
        grad = self.sent.get((engine_node, index))
        return None if grad is None else snapshot(grad._data, self.max_elements)[0]


def readable(text: str) -> str:
    """Return ``text`` as valid Unicode: a file name that is not UTF-8 keeps a "�" instead.

    Python gives such names lone surrogates (``'\udcff'``), which no UTF-8 file (SVG, HTML,
    DOT) can hold.
    """
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def values_used(data: Any, saved: dict[int, np.ndarray]) -> Any:
    """Return ``data`` as the pass used it: its saved copy if written over since, else itself.

    A view (``w.T``, ``w[0]``, a reshape) of a buffer written over since is rebuilt from the
    buffer's saved copy: the same bytes at the same place (the copy has the buffer's layout).
    """
    old = saved.get(id(data))
    if old is not None or not isinstance(data, np.ndarray) or data.base is None:
        return data if old is None else old
    root = root_buffer(data)
    old_root = saved.get(id(root))
    if old_root is None:
        return data
    offset = data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    memory = old_root.ravel(order="K")  # the copy's bytes in memory order (a view: no copy)
    return np.ndarray(data.shape, data.dtype, buffer=memory, offset=offset, strides=data.strides)


def _grad_of(engine_node: Any, run: BackwardPass | None) -> np.ndarray | None:
    if run is not None:
        grad = run.grads.get(engine_node)
        return None if grad is None else grad._data
    # A variable's buffer counts only once a backward pass has written it.
    return engine_node.grad_data if engine_node.fresh else None


_BUFFER_KINDS = {"write": "buffer", "add": "sum", "null": "null"}


def _grad_kind(engine_node: Any, run: BackwardPass | None, grad: Any) -> str | None:
    """Say what a node's drawn gradient is (see :class:`~autogradviz.graph.model.Node`)."""
    if grad is None:
        return None
    if engine_node.op is not None:
        return "flowed"
    if run is None:  # graph_of after backward: the buffer that backward wrote
        return "buffer"
    if not run.writes_grads:
        return "grad()"
    return _BUFFER_KINDS.get(engine_node.grad_req, "flowed")


def _cut_reason(x: Any) -> str:
    node = getattr(x, "_node", None)
    if node is None:
        return "constant"
    if node.op is not None:
        return "freed"
    return node.attrs.get("cut", "constant") if node.attrs else "constant"


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
