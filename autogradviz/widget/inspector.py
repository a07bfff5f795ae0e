"""The inspector's content: everything about one node of a graph, as escaped HTML.

Name, op, kind, shape and dtype, source line, value and gradient (whole arrays when small;
statistics and a histogram when large), the op's derivative rule, and the fan-out breakdown:
the node's gradient as the sum of what each consumer sent back. Reads only the graph model;
imports numpy (no widget library), so it is tested without a browser.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph.model import Graph, Node
from ..graph.summary import Summary
from ..render.dot import html_escape, op_text

FULL_ARRAY_ELEMENTS = 100
_STYLE = (
    "<style>.agv-inspector table{border-collapse:collapse;font-size:12px}"
    ".agv-inspector td{padding:1px 6px;vertical-align:top}"
    ".agv-inspector td:first-child{opacity:.7}"
    ".agv-inspector pre{margin:0;font-size:11px;white-space:pre}"
    ".agv-bad{color:#d62728;font-weight:bold}</style>"
)


def array_html(value: Any, nonfinite: bool = False) -> str:
    """Return a value or gradient as HTML: the array itself, or a summary with a histogram."""
    if value is None:
        return "<i>none (no gradient reached this node)</i>"
    bad = ' <span class="agv-bad">contains NaN/Inf</span>' if nonfinite else ""
    if isinstance(value, Summary):
        return _summary_html(value) + bad
    array = np.asarray(value)
    text = np.array2string(array, precision=5, threshold=FULL_ARRAY_ELEMENTS, max_line_width=72)
    return f"<pre>{html_escape(text)}</pre>{bad}"


def _summary_html(summary: Summary) -> str:
    stats = (
        f"shape {summary.shape}, min {summary.min:.4g}, max {summary.max:.4g}, "
        f"mean {summary.mean:.4g}, norm {summary.norm:.4g}"
    )
    if summary.nonfinite:
        stats += f", {summary.nonfinite} NaN/Inf"
    return f"{html_escape(stats)}<br>{histogram_svg(summary.histogram, summary.min, summary.max)}"


def histogram_svg(counts: tuple[int, ...], low: float, high: float) -> str:
    """Return a small inline SVG bar chart of histogram ``counts`` between ``low`` and ``high``."""
    if not counts:
        return ""
    width, height, peak = 160, 40, max(counts) or 1
    bar = width / len(counts)
    bars = "".join(
        f'<rect x="{i * bar:.1f}" y="{height - height * c / peak:.1f}" width="{bar - 1:.1f}" '
        f'height="{height * c / peak:.1f}" fill="#4c8ed9"/>'
        for i, c in enumerate(counts)
    )
    return (
        f'<svg width="{width}" height="{height + 12}" role="img" aria-label="histogram">{bars}'
        f'<text x="0" y="{height + 11}" font-size="9">{low:.3g}</text>'
        f'<text x="{width}" y="{height + 11}" font-size="9" text-anchor="end">{high:.3g}</text>'
        "</svg>"
    )


def fanout_text(graph: Graph, node: Node) -> str:
    """Return the node's gradient as a sum over its consumers: ``3 from multiply + 2 from add``."""
    parts = []
    for edge in graph.edges:
        if edge.src != node.id or edge.contribution is None:
            continue
        consumer = graph.node(edge.dst)
        label = consumer.name or consumer.id
        parts.append(f"{_short(edge.contribution)} from {consumer.op} ({label})")
    return " + ".join(parts)


def _short(value: Any) -> str:
    if isinstance(value, Summary):
        return f"[{value.shape} array, mean {value.mean:.3g}]"
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
    rows = f"<tr><td>{label}</td><td>{array_html(node.grad, node.grad_nonfinite)}</td></tr>"
    if node.grad_kind == "sum":
        rows += f"<tr><td>.grad</td><td>{array_html(node.grad_buffer)}</td></tr>"
    note = _NOTES.get(node.grad_kind or "")
    if note:
        rows += f"<tr><td></td><td><small>{html_escape(note)}</small></td></tr>"
    return rows


def inspector_html(graph: Graph, node_id: str) -> str:
    """Return the inspector's HTML for ``node_id`` (or a hint when nothing is selected)."""
    if not node_id:
        return _STYLE + "<p><i>Click a node of the graph to inspect it.</i></p>"
    node = graph.node(node_id)
    rows = [
        ("name", node.name or "—"),
        ("op", op_text(node) if node.kind == "op" else node.kind),
        ("kind", node.kind + (f" (cut: {node.cut})" if node.cut else "")),
        ("shape", f"{node.shape} {node.dtype}"),
        ("source", node.source or "—"),
        ("rule", node.formula or "—"),
    ]
    cells = "".join(f"<tr><td>{k}</td><td>{html_escape(v)}</td></tr>" for k, v in rows)
    cells += f"<tr><td>value</td><td>{array_html(node.value, node.value_nonfinite)}</td></tr>"
    if node.kind != "constant":
        cells += _grad_rows(node)
    fanout = fanout_text(graph, node)
    if fanout and sum(1 for e in graph.edges if e.src == node.id) > 1:
        cells += f"<tr><td>grad =</td><td>{html_escape(fanout)}</td></tr>"
    title = html_escape(node.name or node.id)
    return f"{_STYLE}<b>{title}</b> <small>({node.id})</small><table>{cells}</table>"
