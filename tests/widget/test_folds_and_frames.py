"""A folded box and a function's frame in the widget: inspected and stepped as drawn (issue 11).

The box of a fold shows its last op's value; the inspector shows the same, with one row per
folded op, and the stepper names only what is drawn. A click on a frame opens or closes it.
"""

from __future__ import annotations

import re

import pytest
from graph_programs import loop_program, mlp_program

import autogradviz as mx
from autogradviz.graph.fold import fold_groups
from autogradviz.widget.inspector import inspector_html
from autogradviz.widget.stepper import status_html
from autogradviz.widget.view import GraphView

pytestmark = pytest.mark.usefixtures("with_capture")


def _fold(graph):
    return next(g for g in fold_groups(graph) if len(g.members) > 1)


def test_folded_box_inspector_shows_what_the_box_shows_and_every_op():
    loop_program()
    graph = mx.last_graph()
    fold = _fold(graph)
    last = graph.node(fold.last)
    html = inspector_html(graph, fold.first)  # the box's id is its first op's
    assert f"<b>{last.name}</b>" in html  # the name the box shows, not "—"
    assert f"({fold.first}…{fold.last})" in html
    value_cells = re.findall(r'<td style="background:#[0-9a-f]{8}">([^<]*)</td>', html)
    assert value_cells[: last.value.size] == [f"{v:.5g}" for v in last.value.tolist()]
    rows = re.findall(r"<td>(\d+)\. (n\d+)</td>", html)
    assert [node for _, node in rows] == list(fold.members)


def test_stepper_names_only_drawn_things():
    loop_program()
    graph = mx.last_graph()
    fold = _fold(graph)
    for step, node_id in enumerate(graph.backward_order, start=1):
        text = status_html(graph, step, True)
        if node_id in fold.members and graph.node(node_id).name is None:
            k = fold.members.index(node_id) + 1
            assert f"×{len(fold.members)}" in text and f"{k}" in text, text
            assert node_id not in text  # ids inside a fold are not drawn


def test_frame_click_toggles_open_and_closed():
    mlp_program()
    view = GraphView()
    view.push(mx.last_graph())
    assert "subgraph cluster_" in view.canvas.dot and "click to open" not in view.canvas.dot
    net = re.search(r'subgraph cluster_(c\d+) \{\n\s+id="\1"; label="net\(\)"', view.canvas.dot)
    assert net, view.canvas.dot[:2000]
    view._on_canvas_message(view.canvas, {"kind": "toggle", "cluster": net.group(1)}, [])
    assert f"  {net.group(1)} [label=<<B>net()</B>" in view.canvas.dot
    view._on_canvas_message(view.canvas, {"kind": "toggle", "cluster": net.group(1)}, [])
    assert "click to open" not in view.canvas.dot
