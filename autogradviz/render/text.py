"""Graph → a plain-text listing for terminals (terminal IPython uses it after backward).

One block per node in forward order: id, name, op, shape, value and gradient previews,
and inputs. Imports the graph model only.
"""

from __future__ import annotations

from typing import Any

from ..graph.fold import shown_groups
from ..graph.model import Graph
from .dot import op_text
from .options import Options, make_options
from .preview import grad_lines, preview


def to_text(graph: Graph, options: Options | None = None, **changes: Any) -> str:
    """Return a readable listing of ``graph``.

    Examples
    --------
    >>> from autogradviz import nd, autograd, graph_of
    >>> x = nd.array([1.0, 2.0]); x.attach_grad()
    >>> with autograd.record():
    ...     y = x * 2
    >>> print(graph_of(y).to_text(values=False, grads=False))
    n0  x  variable  (2,) float32
    n1  y  multiply(·, 2)  (2,) float32  <- n0  [head]
    """
    opts = make_options(options, **changes)
    groups, shown = shown_groups(graph, opts.fold, opts.max_nodes)
    lines = []
    for group in shown:
        first, last = graph.node(group.first), graph.node(group.last)
        kind = op_text(first) if first.kind == "op" else first.kind
        kind += f" ×{len(group.members)}" if len(group.members) > 1 else ""
        if first.cut and first.kind == "constant" and first.cut != "constant":
            kind += f" ({first.cut})"
        parts = [first.id, last.name or "·", kind]
        if opts.shapes:
            parts.append(f"{last.shape} {last.dtype}")
        if first.inputs:
            parts.append("<- " + ", ".join(first.inputs))
        if last.is_head:
            parts.append("[head]")
        lines.append("  ".join(parts))
        if opts.values:
            lines.append(f"      value {preview(last.value, opts.precision, opts.max_elements)}")
        if opts.grads and last.kind != "constant":
            grads = grad_lines(last, opts.precision, opts.max_elements)
            lines.extend(f"      {line}" for line in grads)
    hidden = len(graph.nodes) - sum(len(g.members) for g in shown)
    if hidden:
        lines.append(f"... {hidden} more nodes hidden (raise max_nodes to see them)")
    if graph.first_nonfinite is not None:
        lines.append(f"first NaN/Inf: {graph.first_nonfinite}")
    return "\n".join(lines)
