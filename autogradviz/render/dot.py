"""Graph → Graphviz DOT text, built as plain text (no graphviz import, no side effects).

Legend (what the picture encodes)
---------------------------------
- blue box: a variable (``attach_grad``), the leaves gradients flow to;
- grey rounded box: an op; its label shows the user's name in bold (when known), the op,
  shape, value and gradient;
- dashed grey box: a constant (plain array, ``detach()``, ``pause()`` or a freed graph):
  no gradient flows into it, and its arrows are dashed (a *cut*);
- double gold border: a head (what ``backward`` started from);
- thick red outline: the first node whose value holds NaN or Inf;
- ``×N``: N identical ops in a chain folded into one box (``fold=False`` shows them all);
- orange outline and arrows: the node the backward stepper is processing, and the arrows
  carrying its gradient to its inputs.
Imports the standard library and the graph model only.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..graph.fold import Group, shown_groups
from ..graph.model import Graph, Node
from .options import Options, make_options
from .preview import grad_lines, preview

THEMES = {
    "light": dict(text="#1a1a1a", edge="#555555", cut="#999999", grad="#a0430a",
                  variable=("#d6ebff", "#1f6fb2"), op=("#f4f4f4", "#6b6b6b"),
                  constant=("#ececec", "#9a9a9a"), head="#c99700", bad="#d62728"),
    "dark": dict(text="#e8e8e8", edge="#b0b0b0", cut="#808080", grad="#ffb37a",
                 variable=("#1d3b57", "#6cb6ff"), op=("#2c2c2c", "#a8a8a8"),
                 constant=("#333333", "#8a8a8a"), head="#ffd24d", bad="#ff6b6b"),
}  # fmt: skip
HIGHLIGHT = "#ff7f0e"  # the backward stepper's current node, on both themes
SPLIT_LEAVES_ABOVE = 60  # from this many boxes on, a leaf used k times is drawn k times


def html_escape(text: Any) -> str:
    """Escape text for a Graphviz HTML-like label (and for SVG/HTML in general)."""
    return (
        str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&#39;")
    )  # fmt: skip


def quote(text: Any) -> str:
    """Return ``text`` as a double-quoted DOT string."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def op_text(node: Node) -> str:
    """``multiply(·, 2)`` for ops with scalar operands, ``sum(axis=1)``, or just the op."""
    scalars = {int(k.split()[1]): v for k, v in node.attrs if k.startswith("input ")}
    named = [f"{k}={v}" for k, v in node.attrs if not k.startswith("input ")]
    if not scalars and not named:
        return node.op
    arity = len(node.inputs) + len(scalars)
    operands = [scalars.get(i, "·") for i in range(arity)] if scalars else []
    return f"{node.op}({', '.join(operands + named)})"


def _label(node: Node, count: int, last: Node, opts: Options, colours: dict) -> str:
    lines = []
    if last.name:
        lines.append(f"<B>{html_escape(last.name)}</B>")
    kind = op_text(node) if node.kind == "op" else node.kind
    if node.cut and node.kind == "constant" and node.cut != "constant":  # not said twice
        kind += f" ({node.cut})"
    lines.append(html_escape(kind) + (f" ×{count}" if count > 1 else ""))
    if opts.shapes:
        lines.append(html_escape(f"{'×'.join(map(str, last.shape)) or 'scalar'} {last.dtype}"))
    if opts.values:
        text = preview(last.value, opts.precision, opts.max_elements)
        lines.append(html_escape(f"value {text}"))
    if opts.grads and last.kind != "constant":
        for line in grad_lines(last, opts.precision, opts.max_elements):
            lines.append(f'<FONT COLOR="{colours["grad"]}">{html_escape(line)}</FONT>')
    return "<" + '<BR ALIGN="LEFT"/>'.join(lines) + '<BR ALIGN="LEFT"/>>'


def _node_attrs(group: Group, graph: Graph, opts: Options, colours: dict, bad: str | None) -> str:
    first, last = graph.node(group.first), graph.node(group.last)
    fill, border = colours[first.kind]
    style = (
        "filled,dashed"
        if first.kind == "constant"
        else ("filled" if first.kind == "variable" else "rounded,filled")
    )
    attrs = {"label": _label(first, len(group.members), last, opts, colours),
             "fillcolor": quote(fill), "color": quote(border), "style": quote(style),
             "tooltip": quote(html_escape(_tooltip(first, last)))}  # fmt: skip
    if last.is_head:
        attrs.update(color=quote(colours["head"]), peripheries="2", penwidth="2")
    if bad in group.members:
        attrs.update(color=quote(colours["bad"]), penwidth="3")
    if opts.highlight in group.members:
        attrs.update(color=quote(HIGHLIGHT), penwidth="3")
    return ", ".join(f"{key}={value}" for key, value in attrs.items())


def _tooltip(first: Node, last: Node) -> str:
    where = f" at {last.source}" if last.source else ""
    name = f"{last.name} = " if last.name else ""
    return f"{name}{first.op}{where}: {first.formula or first.kind}"


def _edges(
    graph: Graph, groups: list[Group], colours: dict, split: set[str], highlight: str = ""
) -> tuple[list[str], Counter]:
    """Return the arrows' DOT lines and, for each split leaf, how many copies they use."""
    group_of = {m: g for g in groups for m in g.members}
    lines: list[str] = []
    uses: Counter[str] = Counter()
    for edge in graph.edges:
        src, dst = group_of.get(edge.src), group_of.get(edge.dst)
        if src is None or dst is None or src is dst or edge.dst != dst.first:
            continue
        src_id = src.first
        if src_id in split:
            uses[src_id] += 1
            src_id = f"{src_id}__{uses[src_id]}"
        cut = graph.node(edge.src).kind == "constant"
        style = f'style=dashed, color="{colours["cut"]}"' if cut else f'color="{colours["edge"]}"'
        if edge.dst == highlight and not cut:  # the stepper: gradient flowing to this input
            style = f'color="{HIGHLIGHT}", penwidth=2.5'
        lines.append(f"  {src_id} -> {dst.first} [{style}];")
    return lines, uses


def _leaves_to_split(graph: Graph, groups: list[Group]) -> set[str]:
    """Leaves with many uses in a big picture: drawing a copy per use keeps ``dot`` fast."""
    if len(groups) < SPLIT_LEAVES_ABOVE:
        return set()
    kept = {g.first for g in groups}
    uses = Counter(e.src for e in graph.edges if e.src in kept and e.dst in kept)
    return {nid for nid, n in uses.items() if n > 2 and graph.node(nid).kind != "op"}


def _legend(colours: dict) -> list[str]:
    rows = [("variable", "variable", "filled"), ("op", "op", "rounded,filled"),
            ("constant", "constant (cut)", "filled,dashed")]  # fmt: skip
    small = 'fontsize=8, width=0.1, height=0.1, margin="0.05,0.02"'
    lines = ["  subgraph cluster_legend {",
             '    label="legend"; fontsize=8; style=dashed; margin=4;',
             f'    color="{colours["cut"]}"; fontcolor="{colours["text"]}";']  # fmt: skip
    for kind, text, style in rows:
        fill, border = colours[kind]
        lines.append(f'    legend_{kind} [label="{text}", fillcolor="{fill}", color="{border}", '
                     f'style="{style}", {small}];')  # fmt: skip
    lines.append(
        f'    legend_head [label="head", peripheries=2, color="{colours["head"]}", '
        f'fillcolor="{colours["op"][0]}", style="rounded,filled", {small}];'
    )
    # One rank for all four boxes: a compact column (LR) or row (TB) beside the graph.
    lines.append("    {rank=same; legend_variable; legend_op; legend_constant; legend_head}")
    lines.append("  }")
    return lines


def to_dot(graph: Graph, options: Options | None = None, **changes: Any) -> str:
    """Return DOT text for ``graph``; options as in :class:`~autogradviz.render.options.Options`.

    Examples
    --------
    >>> from autogradviz import nd, autograd, graph_of
    >>> x = nd.array([1.0, 2.0]); x.attach_grad()
    >>> with autograd.record():
    ...     y = x * 2
    >>> print(graph_of(y).to_dot(legend=False).splitlines()[0])
    digraph autogradviz {
    """
    opts = make_options(options, **changes)
    colours = THEMES[opts.theme]
    groups, shown = shown_groups(graph, opts.fold, opts.max_nodes)
    split = _leaves_to_split(graph, shown)
    bad = graph.first_nonfinite
    lines = ["digraph autogradviz {",
             f'  graph [rankdir={opts.rankdir}, bgcolor="transparent", fontname="Helvetica", '
             f'fontcolor="{colours["text"]}", nodesep=0.25, ranksep=0.35];',
             f'  node [shape=box, fontname="Helvetica", fontsize=10, '
             f'fontcolor="{colours["text"]}", margin="0.08,0.04"];',
             f'  edge [arrowsize=0.7, color="{colours["edge"]}"];']  # fmt: skip
    edge_lines, copies = _edges(graph, shown, colours, split, opts.highlight)
    for group in shown:
        attrs = _node_attrs(group, graph, opts, colours, bad)
        element_ids = (
            [f"{group.first}__{k}" for k in range(1, copies[group.first] + 1)]
            if group.first in split else [group.first]
        )  # fmt: skip
        lines += [f'  {element_id} [{attrs}, id="{element_id}"];' for element_id in element_ids]
    lines += edge_lines
    notes = _notes(graph, groups, shown, bad)
    if notes:
        lines.append(f"  label={quote(' · '.join(notes))}; labelloc=b; fontsize=10;")
    if opts.legend:
        lines += _legend(colours)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _notes(graph: Graph, groups: list, shown: list, bad: str | None) -> list[str]:
    notes = []
    hidden = sum(len(g.members) for g in groups) - sum(len(g.members) for g in shown)
    if hidden:
        notes.append(f"{hidden} more nodes hidden (raise max_nodes to see them)")
    if bad is not None:
        node = graph.node(bad)
        # escaped: Graphviz reads entities in strings, and no raw markup reaches the DOT text
        notes.append(html_escape(f"first NaN/Inf: {node.name or node.id} ({node.op})"))
    return notes
