"""The handout's cards: what a click on a box shows under the picture, as escaped HTML.

An op's chain rule with this pass's numbers (``teach.chain_rule``), a variable's value and
gradient, a constant's value, a closed frame's note. Imports the graph model, ``teach`` and
the labels' text helpers.
"""

from __future__ import annotations

from ..graph.model import Graph, Node
from ..teach import Card, ExactReplay, chain_rule
from .boxes import Boxes
from .dot import html_escape as esc
from .labels import kind_text, shape_text
from .options import Options
from .preview import grad_lines, preview

PANEL_ELEMENTS = 36  # a card writes arrays of up to this many elements out whole


def box_ids(drawn: Boxes) -> list[str]:
    """Return the ids of the boxes a click can select: drawn boxes, closed frames."""
    return [group.first for group in drawn.shown] + list(drawn.closed)


def card(graph: Graph, box: str, drawn: Boxes, opts: Options, replay: ExactReplay) -> str:
    """Return the card a click on ``box`` shows (an op's chain rule, a leaf's numbers)."""
    if box in drawn.closed:
        cluster = drawn.clusters[box]
        count = sum(len(group.members) for group in drawn.closed[box])
        body = (f"<h3>{esc(cluster.label)}: {count} ops, drawn closed as one box</h3><p>Save "
                "with <code>collapse='none'</code> to see each op and its card.</p>")  # fmt: skip
        return f'<div class="agv-card" data-box="{esc(box)}">{body}</div>'
    group = next(g for g in drawn.shown if g.first == box)
    first, node = graph.node(group.first), graph.node(group.last)  # a fold shows its last op
    title = " · ".join([node.name or node.id, kind_text(first, len(group.members)),
                        shape_text(node), node.id])  # fmt: skip
    rows = [("value", preview(node.value, opts.precision, PANEL_ELEMENTS))]
    if node.kind != "constant":
        rows += [("gradient", line) for line in grad_lines(node, opts.precision, PANEL_ELEMENTS)]
    body = f"<h3>{esc(title)}</h3>" + _table(rows)
    if len(group.members) > 1:
        body += f"<p>{len(group.members)} ops drawn as one box: this card is the last one's.</p>"
    if node.kind == "op":
        body += _chain_html(graph, node, replay)
    elif node.kind == "constant":
        body += "<p>A constant: no gradient flows into it, so its arrows are dashed.</p>"
    return f'<div class="agv-card" data-box="{esc(box)}">{body}</div>'


def _chain_html(graph: Graph, node: Node, replay: ExactReplay) -> str:
    """Return an op's chain-rule card, or why there is none (never raises)."""
    if node.grad is None:
        return "<p>No gradient reached this op (not on the way to the head, or no backward).</p>"
    try:
        card = chain_rule(graph, node.id, replay)
    except Exception as error:  # a replay too big, or the student's own Function raising
        return f'<p class="agv-note">{esc(f"{type(error).__name__}: {error}")}</p>'
    return _chain_card(card)


def _chain_card(card: Card) -> str:
    """Return a chain-rule card as HTML: per input its rule, numbers and shapes, escaped."""
    parts = "".join(
        f"<p><b>input {p.input}</b></p>"
        + _table(
            [
                ("rule", p.rule),
                ("numbers", p.numbers),
                ("shapes", " → ".join(p.shapes)),
                *([("sum", p.share)] if p.share else []),
            ]
        )
        for p in card.parts
    )
    note = f"<p><i>{esc(card.note)}</i></p>" if card.note else ""
    return (f"<p><b>Chain rule of {esc(card.op)}</b>, input by input: {esc(card.output)} is "
            f"this op's output and {esc(card.l_is)}. The op's rule: {esc(card.formula)}"
            f"</p>{parts}{note}<details><summary>Markdown with LaTeX"
            f"</summary><pre>{esc(card.markdown())}</pre></details>")  # fmt: skip


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td>{esc(key)}</td><td><code>{esc(value)}</code></td></tr>"
                    for key, value in rows)  # fmt: skip
    return f"<table>{cells}</table>"
