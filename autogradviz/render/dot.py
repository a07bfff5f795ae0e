"""Graph → Graphviz DOT text, built as plain text (no graphviz import, no side effects).

Legend (what the picture encodes)
---------------------------------
- blue box: a variable (``attach_grad``), the leaves gradients flow to;
- grey rounded box: an op; its label (``labels``) shows the user's name in bold (when
  known), the op, shape, value and gradient: numbers, or statistics and a picture;
- dashed grey box: a constant (plain array, ``detach()``, ``pause()`` or a freed graph):
  no gradient flows into it, and its arrows are dashed (a *cut*);
- double gold border: a head (what ``backward`` started from);
- thick red outline: the first node whose value holds NaN or Inf;
- ``×N``: N identical ops in a chain folded into one box (``fold=False`` shows them all);
- orange outline and arrows: the node the backward stepper is processing, and the arrows
  carrying its gradient to its inputs (pointing back, the way the gradient goes);
- dashed frame named ``f()``: the ops one call of the user's function made; a bold box
  ``f()``: the same, closed (``boxes``).
Imports the standard library, the graph model and the other render modules.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..graph.clusters import Cluster
from ..graph.fold import Group
from ..graph.model import Graph, Node
from .boxes import Boxes, boxes, rank_direction
from .labels import BREAK, html_escape, node_label, op_text, shape_text
from .options import Options, make_options

__all__ = ["THEMES", "html_escape", "op_text", "quote", "to_dot"]

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


def quote(text: Any) -> str:
    """Return ``text`` as a double-quoted DOT string."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _node_attrs(group: Group, graph: Graph, opts: Options, colours: dict, bad: str | None) -> str:
    first, last = graph.node(group.first), graph.node(group.last)
    fill, border = colours[first.kind]
    style = (
        "filled,dashed"
        if first.kind == "constant"
        else ("filled" if first.kind == "variable" else "rounded,filled")
    )
    if last.reattached is not None and "dashed" not in style:  # cut from its array since
        style += ",dashed"
    attrs = {"label": node_label(first, len(group.members), last, opts, colours),
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
    graph: Graph, drawn: Boxes, colours: dict, split: set[str], highlight: str = ""
) -> tuple[list[str], Counter]:
    """Return the arrows' DOT lines and, for each split leaf, how many copies they use."""
    lines: list[str] = []
    uses: Counter[str] = Counter()
    for src_id, dst_id, src_node, _ in drawn.arrows:
        if src_id in split:
            uses[src_id] += 1
            src_id = f"{src_id}__{uses[src_id]}"
        cut = graph.node(src_node).kind == "constant"
        style = f'style=dashed, color="{colours["cut"]}"' if cut else f'color="{colours["edge"]}"'
        if highlight and drawn.box_of.get(highlight) == dst_id and not cut:  # the stepper
            style = f'color="{HIGHLIGHT}", penwidth=2.5, dir=back'  # the gradient goes back
        lines.append(f"  {src_id} -> {dst_id} [{style}];")
    return lines, uses


def _leaves_to_split(graph: Graph, drawn: Boxes) -> set[str]:
    """Leaves with many uses in a big picture: drawing a copy per use keeps ``dot`` fast."""
    if len(drawn.shown) + len(drawn.closed) < SPLIT_LEAVES_ABOVE:
        return set()
    uses = Counter(src for src, _, _, _ in drawn.arrows)
    return {box for box, n in uses.items() if n > 2 and box in graph._index and
            graph.node(box).kind != "op"}  # fmt: skip


def _closed_box(cluster: Cluster, members: list[Group], graph: Graph, opts: Options,
                colours: dict, bad: str | None) -> str:  # fmt: skip
    """Return the attributes of a closed frame's box: the function's name, what it returned."""
    ids = [m for g in members for m in g.members]
    inside = set(ids)
    leaving = {e.src for e in graph.edges if e.src in inside and e.dst not in inside}
    returned = [m for m in ids if m in leaving or graph.node(m).is_head] or ids
    out = graph.node(returned[-1])  # what the call gave back (its last output used outside)
    lines = [f"<B>{html_escape(cluster.label)}</B>",
             html_escape(f"{len(ids)} ops · click to open"),
             html_escape(f"returns {shape_text(out)}")]  # fmt: skip
    label = node_label(out, 1, out, opts, colours)[1:-1].split(BREAK)
    lines += [line for line in label[2 if out.name else 1 :] if line]
    fill, border = colours["op"]
    attrs = {
        "label": "<" + BREAK.join(lines) + BREAK + ">",
        "fillcolor": quote(fill),
        "color": quote(border),
        "style": quote("rounded,filled,bold"),
        "penwidth": "2",
        "tooltip": quote(html_escape(f"{cluster.label}: {len(ids)} ops; click to open")),
    }
    if any(graph.node(m).is_head for m in ids):
        attrs.update(color=quote(colours["head"]), peripheries="2")
    if bad in ids:
        attrs.update(color=quote(colours["bad"]), penwidth="3")
    if opts.highlight in ids:
        attrs.update(color=quote(HIGHLIGHT), penwidth="3")
    return ", ".join(f"{key}={value}" for key, value in attrs.items())  # fmt: skip


def _box_lines(graph: Graph, drawn: Boxes, opts: Options, colours: dict,
               split: set[str], copies: Counter) -> dict[str, list[str]]:  # fmt: skip
    """Return the DOT lines of each drawn box, by box id."""
    bad = graph.first_nonfinite
    lines: dict[str, list[str]] = {}
    for group in drawn.shown:
        attrs = _node_attrs(group, graph, opts, colours, bad)
        ids = ([f"{group.first}__{k}" for k in range(1, copies[group.first] + 1)]
               if group.first in split else [group.first])  # fmt: skip
        lines[group.first] = [f'{box} [{attrs}, id="{box}"];' for box in ids]
    for call_id, members in drawn.closed.items():
        attrs = _closed_box(drawn.clusters[call_id], members, graph, opts, colours, bad)
        lines[call_id] = [f'{call_id} [{attrs}, id="{call_id}"];']
    return lines


def _frames(drawn: Boxes, box_lines: dict[str, list[str]], colours: dict) -> list[str]:
    """Nest the boxes in their open frames (``subgraph cluster_c0``); the rest at top level."""
    where: dict[str, str | None] = {}
    for group in drawn.shown:
        where[group.first] = None
    for cluster in drawn.open_clusters:
        for group in cluster.groups:
            if group.first in box_lines:
                where[group.first] = cluster.id
    for call_id in drawn.closed:
        where[call_id] = drawn.clusters[call_id].parent
    open_ids = {c.id for c in drawn.open_clusters}

    def emit(parent: str | None, indent: str) -> list[str]:
        out = [indent + line for box, frame in where.items() if frame == parent
               for line in box_lines[box]]  # fmt: skip
        for cluster in drawn.open_clusters:
            if cluster.parent == parent and cluster.id in open_ids:
                out += [f"{indent}subgraph cluster_{cluster.id} {{",
                        f'{indent}  id="{cluster.id}"; label={quote(cluster.label)}; '
                        f'labeljust=l; style="rounded,dashed"; color="{colours["cut"]}"; '
                        f'fontcolor="{colours["text"]}"; fontsize=10; '
                        f'tooltip={quote(cluster.label + ": click the name to close")};',
                        *emit(cluster.id, indent + "  "), f"{indent}}}"]  # fmt: skip
        return out

    return emit(None, "  ")


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
    drawn = boxes(graph, opts)
    split = _leaves_to_split(graph, drawn)
    lines = ["digraph autogradviz {",
             f'  graph [rankdir={rank_direction(drawn, opts)}, bgcolor="transparent", '
             f'fontname="Helvetica", fontcolor="{colours["text"]}", nodesep=0.25, '
             'ranksep=0.35];',
             f'  node [shape=box, fontname="Helvetica", fontsize=10, '
             f'fontcolor="{colours["text"]}", margin="0.08,0.04"];',
             f'  edge [arrowsize=0.7, color="{colours["edge"]}"];']  # fmt: skip
    edge_lines, copies = _edges(graph, drawn, colours, split, opts.highlight)
    lines += _frames(drawn, _box_lines(graph, drawn, opts, colours, split, copies), colours)
    lines += edge_lines
    notes = _notes(graph, drawn.groups, drawn.shown, drawn.closed, graph.first_nonfinite)
    if notes:
        lines.append(f"  label={quote(' · '.join(notes))}; labelloc=b; fontsize=10;")
    if opts.legend:
        lines += _legend(colours)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _notes(graph: Graph, groups: list, shown: list, closed: dict, bad: str | None) -> list[str]:
    notes = []
    drawn = sum(len(g.members) for g in shown)
    drawn += sum(len(g.members) for members in closed.values() for g in members)
    hidden = sum(len(g.members) for g in groups) - drawn
    if hidden:
        notes.append(f"{hidden} more nodes hidden (raise max_nodes to see them)")
    if bad is not None:
        node = graph.node(bad)
        # escaped: Graphviz reads entities in strings, and no raw markup reaches the DOT text
        notes.append(html_escape(f"first NaN/Inf: {node.name or node.id} ({node.op})"))
    return notes
