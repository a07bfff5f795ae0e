"""A node's label: its name, op, shape, and its value and gradient as numbers or a picture.

Lines, top to bottom:

- the user's name, in bold (when known);
- the op (``multiply(·, 2)``, ``dot ×3`` for a fold, ``variable``) and ``shape dtype``;
- ``value [1 2 3]``: the numbers, for arrays of up to ``max_elements`` entries; a bigger
  array gets one line of statistics (``value min -1 max 2 mean 0.3``) and a picture
  (``glyphs``: a sparkline for 1-D, a heatmap for 2-D);
- the gradient the same way, named for what it is (``.grad`` or ``flowed``, see
  ``preview.grad_lines``), in the gradient colour.

Each line is returned as Graphviz HTML-like markup (``plain_labels`` turns it into a plain
label for the kernel's Graphviz). Imports numpy and the graph model.
"""

from __future__ import annotations

from typing import Any

from ..graph.model import Node
from . import glyphs
from .options import Options
from .preview import grad_lines, is_small, preview, stats_text

BREAK = '<BR ALIGN="LEFT"/>'


def html_escape(text: Any) -> str:
    """Escape text for a Graphviz HTML-like label (and for SVG/HTML in general).

    Lone surrogates (from bytes that are not UTF-8) become "?": UTF-8 files cannot hold them.
    """
    text = str(text)
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&#39;")
    )  # fmt: skip


def op_text(node: Node) -> str:
    """``multiply(·, 2)`` for ops with scalar operands, ``sum(axis=1)``, or just the op."""
    scalars = {int(k.split()[1]): v for k, v in node.attrs if k.startswith("input ")}
    named = [f"{k}={v}" for k, v in node.attrs if not k.startswith("input ")]
    if not scalars and not named:
        return node.op
    arity = len(node.inputs) + len(scalars)
    operands = [scalars.get(i, "·") for i in range(arity)] if scalars else []
    return f"{node.op}({', '.join(operands + named)})"


def kind_text(first: Node, count: int) -> str:
    """``multiply(·, 2) ×3`` for a fold of 3, ``variable``, ``constant (detach)``."""
    kind = op_text(first) if first.kind == "op" else first.kind
    if first.cut and first.kind == "constant" and first.cut != "constant":  # not said twice
        kind += f" ({first.cut})"
    return kind + (f" ×{count}" if count > 1 else "")


def shape_text(node: Node) -> str:
    """``2×3 float32``, or ``scalar float32``."""
    return f"{'×'.join(map(str, node.shape)) or 'scalar'} {node.dtype}"


def node_label(first: Node, count: int, last: Node, opts: Options, colours: dict) -> str:
    """Return the HTML-like label of a box: ``first`` to ``last`` of a fold of ``count``."""
    lines = []
    if last.name:
        lines.append(f"<B>{html_escape(last.name)}</B>")
    kind = kind_text(first, count)
    lines.append(html_escape(kind + (f" · {shape_text(last)}" if opts.shapes else "")))
    if opts.values:
        lines += _array_lines("value", last.value, "", opts, colours, "mean")
    if opts.grads and last.kind != "constant":
        lines += _grad_lines(last, opts, colours)
    return "<" + BREAK.join(lines) + BREAK + ">"


def _grad_lines(node: Node, opts: Options, colours: dict) -> list[str]:
    if is_small(node.grad, opts.max_elements) or not opts.glyphs:
        texts = grad_lines(node, opts.precision, opts.max_elements)
        return [_coloured(html_escape(text), colours["grad"]) for text in texts]
    word, *notes = grad_lines(node, opts.precision, opts.max_elements)
    lines = _array_lines(word.split(" ", 1)[0], node.grad, colours["grad"], opts, colours, "norm")
    return lines + [_coloured(html_escape(note), colours["grad"]) for note in notes]


def _array_lines(
    word: str, value: Any, colour: str, opts: Options, colours: dict, spread: str
) -> list[str]:
    """``word [numbers]`` for small arrays; ``word statistics`` and a picture for big ones."""
    if is_small(value, opts.max_elements) or not opts.glyphs:
        text = f"{word} {preview(value, opts.precision, opts.max_elements)}"
        return [_coloured(html_escape(text), colour)]
    lines = [_coloured(html_escape(f"{word} {stats_text(value, 3, spread)}"), colour)]
    grid = glyphs.grid_of(value)
    if stats_text(value, 3).startswith("all "):  # all equal: the picture says nothing more
        return lines
    if glyphs.is_line(value):
        bars = glyphs.sparkline(grid[0])
        signs = glyphs.sign_colours(grid[0], opts.theme, colours["bad"])
        return lines + ["".join(f'<FONT COLOR="{c}">{html_escape(b)}</FONT>'
                                for b, c in zip(bars, signs, strict=True))]  # fmt: skip
    for row in glyphs.heat_colours(grid, opts.theme, colours["bad"]):
        # one FONT per block: Graphviz places each at its own x, so the rows line up
        lines.append("".join(f'<FONT COLOR="{c}">{glyphs.BLOCK}</FONT>' for c in row))
    return lines


def _coloured(markup: str, colour: str) -> str:
    return f'<FONT COLOR="{colour}">{markup}</FONT>' if colour else markup
