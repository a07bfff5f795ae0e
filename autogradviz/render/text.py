"""Graph → a plain-text listing for terminals (terminal IPython uses it after backward).

One block per node in forward order: id, name, op, shape, value and gradient (numbers for
small arrays; statistics, and a sparkline for 1-D, for big ones, as on the picture's boxes),
and inputs. Imports the graph model and the label helpers.
"""

from __future__ import annotations

from typing import Any

from ..graph.fold import shown_groups
from ..graph.model import Graph
from . import glyphs
from .labels import kind_text
from .options import Options, make_options
from .preview import grad_lines, is_small, preview, stats_text


def _array_text(value: Any, opts: Options, spread: str) -> str:
    """Numbers for a small array; statistics (and a sparkline for 1-D) for a big one."""
    if is_small(value, opts.max_elements) or not opts.glyphs:
        return preview(value, opts.precision, opts.max_elements)
    text = stats_text(value, 3, spread)
    if glyphs.is_line(value) and not text.startswith("all "):
        text += "  " + glyphs.sparkline(glyphs.grid_of(value)[0])
    return text


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
    skip = _common_calls(graph) if opts.clusters else 0
    lines = []
    for group in shown:
        first, last = graph.node(group.first), graph.node(group.last)
        parts = [first.id, last.name or "·", kind_text(first, len(group.members))]
        if opts.shapes:
            parts.append(f"{last.shape} {last.dtype}")
        if first.inputs:
            parts.append("<- " + ", ".join(first.inputs))
        if last.is_head:
            parts.append("[head]")
        if opts.clusters and first.scope[skip:]:  # the frames the picture draws around it
            parts.append("in " + " › ".join(_call_label(c) for c in first.scope[skip:]))
        lines.append("  ".join(parts))
        if opts.values:
            lines.append(f"      value {_array_text(last.value, opts, 'mean')}")
        if opts.grads and last.kind != "constant":
            grads = grad_lines(last, opts.precision, opts.max_elements)
            if not is_small(last.grad, opts.max_elements) and opts.glyphs:
                word = grads[0].split(" ", 1)[0]  # '.grad' or 'flowed'
                grads[0] = f"{word} {_array_text(last.grad, opts, 'norm')}"
            lines.extend(f"      {line}" for line in grads)
    hidden = len(graph.nodes) - sum(len(g.members) for g in shown)
    if hidden:
        lines.append(f"... {hidden} more nodes hidden (raise max_nodes to see them)")
    if graph.first_nonfinite is not None:
        lines.append(f"first NaN/Inf: {graph.first_nonfinite}")
    return "\n".join(lines)


def _call_label(call: tuple[str, str]) -> str:
    """``net()`` for a function call, ``dense0`` for a named group (ids ``g...``)."""
    call_id, name = call
    return name if call_id.startswith("g") else f"{name}()"


def _common_calls(graph: Graph) -> int:
    """How many outer calls every op shares (a ``main()`` around the cell): not shown."""
    scopes = [n.scope for n in graph.nodes if n.kind == "op"]
    if not scopes:
        return 0
    shared = 0
    for calls in zip(*scopes, strict=False):
        if any(call != calls[0] for call in calls):
            break
        shared += 1
    return shared
