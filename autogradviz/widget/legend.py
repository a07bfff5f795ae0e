"""The widget's legend: what the colours, borders and pictures mean, small and collapsible.

Shown once per widget above the drawing, closed by default (a ``<details>`` element), instead
of a legend drawn inside every graph. Imports the renderer's colours only.
"""

from __future__ import annotations

from ..render.dot import HIGHLIGHT, THEMES
from ..render.glyphs import HEAT

_ROWS = (
    ("variable", "border:1px solid {variable_border};background:{variable_fill}",
     "a variable (attach_grad): gradients flow to it"),
    ("op", "border:1px solid {op_border};border-radius:4px;background:{op_fill}",
     "an op's output"),
    ("constant", "border:1px dashed {constant_border};background:{constant_fill}",
     "a constant: no gradient flows into it (a cut)"),
    ("head", "border:3px double {head}", "the head: where backward started"),
    ("f()", "border:1px dashed {cut}", "the ops one call of your function made; click its name "
     "to close it into one box, click the box to open it"),
    ("NaN", "border:2px solid {bad}", "the first value holding NaN or Inf"),
    ("step", f"border:2px solid {HIGHLIGHT}", "the node the stepper is at, and its arrows"),
)  # fmt: skip


def legend_html() -> str:
    """Return the legend as a closed ``<details>`` element (light colours)."""
    colours = THEMES["light"]
    names = {"variable_fill": colours["variable"][0], "variable_border": colours["variable"][1],
             "op_fill": colours["op"][0], "op_border": colours["op"][1],
             "constant_fill": colours["constant"][0], "constant_border": colours["constant"][1],
             "head": colours["head"], "cut": colours["cut"], "bad": colours["bad"]}  # fmt: skip
    items = "".join(
        f'<li><span style="display:inline-block;min-width:3.5em;text-align:center;'
        f'padding:0 4px;margin-right:6px;{style.format(**names)}">{word}</span>{text}</li>'
        for word, style, text in _ROWS
    )
    neutral, negative, positive = HEAT["light"]
    heat = (f'<li><span style="color:{positive}">█</span><span style="color:{neutral}">█'
            f'</span><span style="color:{negative}">█</span> a heatmap of a big array: red '
            "positive, grey near zero, blue negative, one block per element of an evenly spaced "
            "grid of at most 4 rows and 16 columns (not the matrix's shape: that is on the box), "
            "strongest at the largest magnitude of that picture; ▁▃▇ a sparkline of a 1-D one "
            "(height from smallest to largest, colour the sign); "
            "<i>.grad</i> is the gradient buffer (what print(x.grad) shows), "
            "<i>flowed</i> the gradient that reached an op's output</li>")  # fmt: skip
    key = (
        f'<span style="color:{positive}">█</span> + <span style="color:{neutral}">█</span> 0 '
        f'<span style="color:{negative}">█</span> − (each picture on its own scale)'
    )
    return (
        '<details class="agv-legend-box" style="font-size:12px"><summary '
        f'style="cursor:pointer">legend · {key}</summary><ul style="margin:4px 0;'
        f'padding-left:1em;list-style:none;line-height:1.7">{items}{heat}</ul></details>'
    )
