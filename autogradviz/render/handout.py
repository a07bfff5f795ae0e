"""The handout: one self-contained HTML page that shows a graph and replays its backward pass.

``graph.save("x.html")`` writes it: no kernel, no network (it works from ``file://``, on a
learning platform, in slides). Its stepper (slider, Back, Step) goes from step 0 (only the
head gradient known) to the last (backward finished), the processed node in orange; each
step is a picture of its own (``graph.steps``), laid out here by the embedded Graphviz, kept
in a ``<template>`` and swapped in by a small inline script. A click on a box shows its card
under the picture (``handout_cards``; they are about the whole pass). Then the text
listing, the accessible fallback; without JavaScript, the final picture and every card. A
graph too slow to lay out once is not laid out once per step. Drawn light on white whatever
``theme`` says (it is printed and projected). Imports the graph model and its steps and the
other renderers; escapes every user string.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from typing import Any

from ..graph.model import Graph, Node
from ..graph.steps import drawn_name, graph_at_step, processing, step_count
from ..teach import ExactReplay
from .boxes import boxes
from .dot import html_escape as esc
from .dot import to_dot
from .handout_cards import box_ids, card
from .options import Options, make_options
from .svg import LayoutError, svg_from_dot
from .text import to_text

# Every step is a picture: about 8 kB each for the seed's three boxes, about 200 kB for a
# 48-box MLP whose boxes carry heatmaps (28 steps: a 5.9 MB file). Over MAX_STEPPED steps the
# handout holds the final picture only.
MAX_STEPPED = 60
FLOOR_PX = 11.0  # the smallest graph text on screen, in CSS pixels (style guide section 10)

_LEGEND = (
    "Each box is an array; arrows point forward, from an op's inputs to the op. Blue boxes "
    "are variables (<code>attach_grad</code>), where the gradients end up; grey rounded boxes "
    "are ops, with the name you gave the result in bold, the op, the shape and the value; "
    "dashed grey boxes are constants, which no gradient flows into; a double gold border "
    "marks the head, where backward started; <code>×N</code> is N identical ops drawn as one "
    "box. The gradient is in brown: <code>flowed</code> is what reached the box in this pass, "
    "<code>.grad</code> what the variable's <code>.grad</code> holds. Replay backward with "
    "the slider or Step: at step 0 only the head gradient is known; at each step one op "
    "(orange) sends its gradient back to its inputs (the orange arrows). Click a grey box to "
    "see its chain rule with this pass's numbers, a blue box for its value and gradient."
)

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 1.5em; }
h1 { font-size: 1.5em; margin: 0 0 .4em; } h2 { font-size: 1.15em; margin: 1.2em 0 .3em; }
.agv-legend { max-width: 60em; color: #333; } pre.agv-listing { font-size: 13px; }
.agv-controls { display: flex; gap: .6em; align-items: center; margin: .8em 0 .4em; }
.agv-controls button { font: inherit; padding: .2em .8em; }
.agv-controls input { width: min(30em, 60vw); }
.agv-status { margin: .3em 0; min-height: 1.5em; } .agv-note { color: #7a4a00; }
.agv-svg svg { display: block; max-width: none; background: #fff; }
.agv-svg g.node { cursor: pointer; } .agv-svg g.node:focus:not(:focus-visible) { outline: none; }
.agv-svg g.node.agv-selected polygon, .agv-svg g.node.agv-selected path {
  stroke-dasharray: 5 3; stroke-width: 2.5; }
.agv-card { border: 1px solid #ccc; border-radius: 6px; padding: .6em 1em; margin: .6em 0;
  max-width: 60em; font-size: 15px; background: #fafafa; }
.agv-card h3 { font-size: 1em; margin: 0 0 .3em; }
.agv-card table { border-collapse: collapse; margin: .2em 0 .5em; }
.agv-card td { padding: .15em .6em .15em 0; vertical-align: top; }
.agv-card code, .agv-card pre { font-size: 14px; white-space: pre-wrap; }
.agv-js .agv-card:not(.agv-open) { display: none; }
body:not(.agv-js) .agv-controls, body:not(.agv-js) .agv-hint { display: none; }
@media print { .agv-controls, .agv-hint { display: none; }
  .agv-svg svg { max-width: 100%; height: auto; } }
"""

# Swaps the step pictures in and out of their <template>s, and shows the card of a clicked box.
_SCRIPT = """
(() => {
  document.body.classList.add("agv-js");
  const picture = document.getElementById("agv-picture");
  const slider = document.getElementById("agv-slider");
  const shown = { [picture.dataset.step]: [...picture.childNodes] };
  for (const t of document.querySelectorAll("template.agv-step")) {
    shown[t.dataset.step] = [...t.content.childNodes];
  }
  let selected = "";
  const boxId = (g) => g.id.split("__")[0];
  const mark = () => {
    for (const g of picture.querySelectorAll("g.node")) {
      g.classList.toggle("agv-selected", boxId(g) === selected);
      g.setAttribute("tabindex", "0");
    }
  };
  const show = (step) => {
    picture.replaceChildren(...shown[step]);
    picture.dataset.step = String(step);
    slider.value = String(step);
    document.getElementById("agv-back").disabled = step === 0;
    document.getElementById("agv-step-number").textContent = String(step);
    mark();
    const current = picture.querySelector(".agv-svg").dataset.current;  // the orange box
    const g = [...picture.querySelectorAll("g.node")].find((n) => n.id === current);
    if (g) g.scrollIntoView({ block: "nearest", inline: "nearest" });
  };
  if (slider) {
    const last = Number(slider.max);
    slider.addEventListener("input", () => show(Number(slider.value)));
    document.getElementById("agv-back").addEventListener("click",
      () => show(Math.max(0, Number(slider.value) - 1)));
    document.getElementById("agv-step").addEventListener("click",  // past the end: from 1
      () => show(Number(slider.value) >= last ? 1 : Number(slider.value) + 1));
  }
  const cards = [...document.querySelectorAll(".agv-card")];
  const select = (event) => {  // a click on a box, or Enter on the box that has the focus
    const g = event.target.closest("g.node");
    if (!g || !cards.some((c) => c.dataset.box === boxId(g))) return;  // the legend: no card
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    selected = boxId(g);
    for (const card of cards) card.classList.toggle("agv-open", card.dataset.box === selected);
    document.querySelector(".agv-hint").hidden = true;
    mark();
  };
  for (const kind of ["click", "keydown"]) picture.addEventListener(kind, select);
  mark();
})();
"""
# The page's Content-Security-Policy runs this script only (user text has another hash).
_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()

_CONTROLS = (
    '<div class="agv-controls"><button id="agv-back">◀ Back</button><button id="agv-step">'
    'Step ▶</button><label>step <input id="agv-slider" type="range" min="0" max="{steps}" '
    'value="{steps}"></label><output id="agv-step-number">{steps}</output> of {steps}</div>'
)
_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
style-src 'unsafe-inline'; script-src '{script_hash}'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{style}</style></head>
<body><h1>{title}</h1>
<p class="agv-legend"><b>How to read this.</b> {legend}</p>
{stepper}
{pictures}
<h2>The boxes</h2>
<p class="agv-hint">Click a box of the picture to see its card here.</p>
<div class="agv-cards">
{cards}
</div>
<details><summary>Text listing</summary><pre class="agv-listing">{text}</pre></details>
<script>{script}</script>
</body></html>
"""


def to_handout(graph: Graph, **options: Any) -> str:
    """Return the handout of ``graph`` as one HTML page (options as for ``to_dot``).

    ``legend`` is off unless asked for (the page explains the colours), ``collapse`` is
    ``'none'`` unless asked for (a page cannot open a closed frame: every op gets its box and
    card), ``theme`` is always ``'light'`` and ``highlight`` the stepper's.

    Examples
    --------
    >>> import autogradviz as mx
    >>> x = mx.nd.array([1.0, 2.0]); x.attach_grad()
    >>> mx.capture.enable()
    >>> with mx.autograd.record():
    ...     y = x * 2
    >>> y.backward()
    >>> to_handout(mx.last_graph()).count("<svg")  # step 0, and step 1 (y's rule ran)
    2
    >>> mx.capture.disable()
    """
    opts = make_options(
        **{"legend": False, "collapse": "none", **options, "theme": "light", "highlight": ""}
    )
    steps, drawn = step_count(graph), boxes(graph, opts)
    final, laid_out = _picture(graph, steps, steps, opts, drawn.box_of)
    stepped = 0 < steps <= MAX_STEPPED and laid_out  # (too slow to lay out once: not per step)
    if stepped:
        pictures = [_picture(graph, k, steps, opts, drawn.box_of)[0] for k in range(steps)]
    else:  # the final picture only, with the reason instead of its status line
        note = f'<p class="agv-status agv-note">{esc(_unstepped(steps))}</p>'
        if laid_out:
            final = note + final.split("</p>", 1)[1]
        pictures = []
    pictures.append(final)
    # the last step is shown first, as in the live widget; the others wait in templates
    blocks = [f'<template class="agv-step" data-step="{k}">{body}</template>'
              for k, body in enumerate(pictures[:-1])]  # fmt: skip
    blocks.append(f'<div id="agv-picture" data-step="{steps}">{pictures[-1]}</div>')
    stepper = _CONTROLS.format(steps=steps) if stepped else ""
    replay = ExactReplay(graph)  # (one for every card: the numbers of summarized arrays)
    cards = "\n".join(card(graph, box, drawn, opts, replay) for box in box_ids(drawn))
    return _PAGE.format(
        title=esc(_title(graph)), style=_STYLE, legend=_LEGEND, stepper=stepper,
        pictures="\n".join(blocks), cards=cards, text=esc(to_text(graph, opts)),
        script=_SCRIPT, script_hash=_SCRIPT_HASH,
    )  # fmt: skip


def _title(graph: Graph) -> str:
    heads = ", ".join(graph.node(h).name or graph.node(h).op for h in graph.heads)
    return f"Backward through {heads or 'a graph'}: a handout"


def _unstepped(steps: int) -> str:
    """Say why a graph has no stepper: no backward pass yet, or too many steps."""
    if steps == 0:
        return "No backward pass ran through this graph: there is nothing to replay."
    return (f"This pass has {steps} backward steps: the stepper is off for graphs of more than "
            f"{MAX_STEPPED} (each step is a picture of its own: this file would be about "
            f"{steps + 1} times as big). The picture shows the pass finished.")  # fmt: skip


def _picture(graph: Graph, step: int, steps: int, opts: Options,
             box_of: dict[str, str]) -> tuple[str, bool]:  # fmt: skip
    """Return the status line and the picture at ``step`` (or why not), and if laid out."""
    current = processing(graph, step) if 0 < steps <= MAX_STEPPED else None
    shown = replace(opts, highlight=current.id if current else "")
    box = box_of.get(current.id, "") if current else ""  # the drawn box (a fold, a frame)
    status = _status(graph, step, steps, current, opts)
    try:
        svg, laid_out = readable(svg_from_dot(to_dot(graph_at_step(graph, step), shown))), True
    except LayoutError as error:  # too big or too slow to lay out: the listing is below
        first = str(error).splitlines()[0]
        svg = f'<p class="agv-note">{esc(first)} (the text listing at the end has it all)</p>'
        laid_out = False
    return f'{status}<div class="agv-svg" data-current="{esc(box)}">{svg}</div>', laid_out


def _status(graph: Graph, step: int, steps: int, current: Node | None, opts: Options) -> str:
    """Return the step's status line: which node sent its gradient back."""
    if current is None:
        text = f"step 0 of {steps}: only the head gradient is known."
    else:
        name = esc(drawn_name(graph, current, opts.fold))
        op = f" ({esc(current.op)})" if current.name else ""
        done = " Backward is finished: every gradient is final." if step == steps else ""
        text = f"step {step} of {steps}: <b>{name}</b>{op} sent its gradient to its inputs.{done}"
    return f'<p class="agv-status">{text}</p>'


_SIZE = re.compile(r'^<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_FONT = re.compile(r'font-size="([\d.]+)"')


def readable(svg: str) -> str:
    """Size an SVG in CSS pixels so that its smallest text is at least ``FLOOR_PX`` on screen.

    Graphviz gives sizes in points (4/3 px): 10 pt text is 13.3 px. Smaller text (the
    legend's 8 pt) scales the whole picture up; a picture wider than the page scrolls.
    """
    size = _SIZE.match(svg)
    fonts = [float(f) for f in _FONT.findall(svg)]
    if size is None or not fonts:
        return svg
    scale = max(4 / 3, FLOOR_PX / min(fonts))
    width, height = (float(v) * scale for v in size.groups())
    return f'<svg width="{width:.0f}px" height="{height:.0f}px"' + svg[size.end() :]
