"""The inspector's content: everything about one box of a graph, as escaped HTML.

Name, op, kind, shape and dtype, source line, value and gradient (``array_table``: a tinted
table of the elements, statistics for big arrays), the op's derivative rule, and the fan-out
breakdown: one row per consumer with what it sent back, and their sum, the node's gradient.
A folded box (``×N``) is inspected as drawn: its last op, the one whose value the box shows,
and a row per folded op. Reads only the graph model; imports numpy (no widget library),
so it is tested without a browser.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph.fold import fold_groups
from ..graph.model import Graph, Node
from ..graph.summary import Summary
from ..render.dot import html_escape, op_text
from ..render.preview import stats_text
from .array_table import STYLE, array_table

_STYLE = (
    "<style>.agv-inspector table.agv-rows{border-collapse:collapse;font-size:12px}"
    ".agv-inspector table.agv-rows > tbody > tr > td{padding:2px 6px;vertical-align:top}"
    ".agv-inspector table.agv-rows > tbody > tr > td:first-child{opacity:.7;"
    "white-space:nowrap}"
    ".agv-bad{color:#d62728;font-weight:bold}" + STYLE + "</style>"
)


def fanout_text(graph: Graph, node: Node) -> str:
    """Return the node's gradient as a sum over its consumers: ``3 from multiply + 2 from add``."""
    return " + ".join(
        f"{_short(part)} from {op} ({label})" for op, label, part in _sent(graph, node)
    )


def _sent(graph: Graph, node: Node) -> list[tuple[str, str, Any]]:
    """Return ``(consumer op, consumer name or id, gradient it sent back)`` per use."""
    found = []
    for edge in graph.edges:
        if edge.src == node.id and edge.contribution is not None:
            consumer = graph.node(edge.dst)
            found.append((consumer.op, consumer.name or consumer.id, edge.contribution))
    return found


def _fanout_rows(graph: Graph, node: Node) -> str:
    """One row per consumer (what it sent back), then their sum: the node's gradient."""
    parts = _sent(graph, node)
    if len(parts) < 2:
        return ""
    rows = "".join(
        f"<tr><td>{html_escape(op)} ({html_escape(label)})</td><td>{_short_html(part)}</td></tr>"
        for op, label, part in parts
    )
    total = f"<tr><td><b>sum</b></td><td>{_short_html(node.grad)}</td></tr>"
    return (
        "<tr><td>sent back</td><td><small>what each use of this node sent back; their sum is "
        f'its gradient</small><table class="agv-rows">{rows}{total}</table></td></tr>'
    )


def _short_html(value: Any) -> str:
    return "—" if value is None else f"<code>{html_escape(_short(value))}</code>"


def _short(value: Any) -> str:
    if isinstance(value, Summary):
        return f"[{value.shape} array: {stats_text(value, 3, 'norm')}]"
    array = np.asarray(value)
    if array.size == 1:
        return f"{array.reshape(-1)[0]:.4g}"
    return " ".join(np.array2string(array, precision=4, threshold=6, edgeitems=2).split())


_NOTES = {
    "sum": "flowed: this pass's gradient; .grad: the sum over passes (grad_req='add')",
    "null": ".grad is not kept: grad_req='null' (print(x.grad) shows zeros)",
    "grad()": "autograd.grad returned this gradient and left .grad untouched",
    "flowed": "the gradient of the head with respect to this node (∂head/∂node)",
}


def _grad_rows(node: Node) -> str:
    """``.grad`` (the buffer) or ``flowed`` (what reached the node), with what it means."""
    label = {"buffer": ".grad", None: "grad"}.get(node.grad_kind, "flowed")
    rows = f"<tr><td>{label}</td><td>{array_table(node.grad, node.grad_nonfinite)}</td></tr>"
    if node.grad_kind == "sum":
        rows += f"<tr><td>.grad</td><td>{array_table(node.grad_buffer)}</td></tr>"
    note = _NOTES.get(node.grad_kind or "")
    if node.reattached is not None:
        note = _reattached_note(node)
    if note:
        rows += f"<tr><td></td><td><small>{html_escape(note)}</small></td></tr>"
    return rows


def _reattached_note(node: Node) -> str:
    """Say why this gradient never reaches the array's ``.grad`` (attach_grad after use)."""
    where = f" (at {node.reattached})" if node.reattached else ""
    name = node.name or "this array"
    return (
        f"Why {name}.grad does not show this: {name}.attach_grad() ran{where} after this graph "
        f"was recorded. That made {name} a new variable with a fresh zero .grad, cut from this "
        "graph (MXNet 1.x); this gradient flowed to the old node and on to its inputs. Call "
        "attach_grad() before autograd.record()."
    )


def _fold_rows(graph: Graph, members: tuple[str, ...]) -> str:
    """Return a row per op of a folded box: its value and gradient, shortened."""
    rows = []
    for k, member in enumerate(members, start=1):
        node = graph.node(member)
        value, grad = (_short(v) if v is not None else "—" for v in (node.value, node.grad))
        rows.append(f"<tr><td>{k}. {html_escape(node.id)}</td><td>value "
                    f"<code>{html_escape(value)}</code>, flowed <code>{html_escape(grad)}</code>"
                    "</td></tr>")  # fmt: skip
    return (
        f"<tr><td>folded</td><td><small>{len(members)} {html_escape(graph.node(members[0]).op)}"
        " ops drawn as one box; the box shows the last</small>"
        f'<table class="agv-rows">{"".join(rows)}</table></td></tr>'
    )


def _fold_of(graph: Graph, node_id: str, fold: bool) -> tuple[str, ...]:
    for group in fold_groups(graph) if fold else ():
        if node_id in group.members:
            return group.members
    return (node_id,)


def clicked_box(graph: Graph, clicked: str) -> str:
    """Return ``clicked`` if it is a box of ``graph``, else ``""`` (a frame, or stale)."""
    return clicked if any(node.id == clicked for node in graph.nodes) else ""


def inspected_id(graph: Graph, node_id: str, fold: bool = True) -> str:
    """Return the id of the box the inspector shows for a click on ``node_id`` (or ``""``)."""
    return _fold_of(graph, node_id, fold)[-1] if node_id else ""


def inspector_html(graph: Graph, node_id: str, fold: bool = True) -> str:
    """Return the inspector's HTML for the box ``node_id`` (or a hint when nothing is selected).

    ``fold``: whether the picture folds repeated ops (then a fold's box is inspected whole).
    """
    if not node_id:
        return _STYLE + "<p><i>Click a node of the graph to inspect it.</i></p>"
    members = _fold_of(graph, node_id, fold)
    node = graph.node(members[-1])  # what the box shows: a fold's last op
    rows = [
        ("name", node.name or "—"),
        ("op", (op_text(node) if node.kind == "op" else node.kind)
         + (f" ×{len(members)}" if len(members) > 1 else "")),
        ("kind", node.kind + (f" (cut: {node.cut})" if node.cut else "")),
        ("shape", f"{node.shape} {node.dtype}"),
        ("source", node.source or "—"),
        ("rule", node.formula or "—"),
    ]  # fmt: skip
    cells = "".join(f"<tr><td>{k}</td><td>{html_escape(v)}</td></tr>" for k, v in rows)
    cells += f"<tr><td>value</td><td>{array_table(node.value, node.value_nonfinite)}</td></tr>"
    if node.kind != "constant":
        cells += _grad_rows(node)
    if len(members) > 1:
        cells += _fold_rows(graph, members)
    cells += _fanout_rows(graph, node)
    title = html_escape(node.name or node.op)
    ids = node.id if len(members) == 1 else f"{members[0]}…{members[-1]}"
    return f'{_STYLE}<b>{title}</b> <small>({ids})</small><table class="agv-rows">{cells}</table>'
