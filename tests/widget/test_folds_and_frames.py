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


def test_slow_layout_stepping_recolours_and_never_lays_out_again():
    # A graph whose layout took long (or timed out): each Step must not send a new DOT (the
    # browser would lay it out again, for as long), only the marks to re-colour.
    import json

    from graph_programs import fanout_program

    fanout_program()
    view = GraphView()
    view.push(mx.last_graph())
    final_dot, revision = view.canvas.dot, view.canvas.revision
    view._on_canvas_message(view.canvas, {"kind": "laid-out", "ms": 5000.0}, [])
    view.step.click()
    assert view.canvas.dot == final_dot and view.canvas.revision == revision
    marks = json.loads(view.canvas.step)
    head = view.graph.backward_order[0]
    assert marks["current"] == head and head not in marks["dim"]
    assert "slow to lay out" in view.status.value
    view.step.click()
    assert view.canvas.revision == revision  # still no new layout
    x = view.graph.node("x").id
    assert x in json.loads(view.canvas.step)["dim"] or view.slider.value >= 2
    # a fast layout again: stepping sends DOT with the highlight, as usual
    view._on_canvas_message(view.canvas, {"kind": "laid-out", "ms": 20.0}, [])
    view.step.click()
    assert view.canvas.revision > revision and view.canvas.step == ""


def test_timed_out_layout_is_not_laid_out_again_by_stepping():
    from graph_programs import fanout_program

    fanout_program()
    view = GraphView()
    view.push(mx.last_graph())
    revision = view.canvas.revision
    failed = {"kind": "layout-failed", "reason": "timeout", "revision": revision, "message": "x"}
    view._on_canvas_message(view.canvas, failed, [])
    assert view.canvas.note  # the failure is shown, with the text listing
    view.step.click()
    assert view.canvas.revision == revision


def test_slow_layout_stepping_still_redraws_for_new_options():
    import json

    from graph_programs import fanout_program

    fanout_program()
    view = GraphView()
    view.push(mx.last_graph())
    view._on_canvas_message(view.canvas, {"kind": "laid-out", "ms": 5000.0}, [])
    view.step.click()
    revision = view.canvas.revision
    view.toggles["values"].value = False  # a new picture is asked for: it must be drawn
    assert view.canvas.revision == revision + 1 and "value [" not in view.canvas.dot
    assert json.loads(view.canvas.step)["current"]  # and the step's marks go with it


def test_inspector_without_folding_inspects_the_clicked_node():
    loop_program()
    graph = mx.last_graph()
    fold = _fold(graph)
    middle = fold.members[1]
    html = inspector_html(graph, middle, fold=False)
    assert f"({middle})" in html and "folded" not in html


def test_inspector_mid_step_sent_back_rows_add_up_to_the_sum():
    from autogradviz import autograd, nd
    from autogradviz.widget.stepper import graph_at_step

    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        a = x * 2
        c = x * 3
        y = a + c
    y.backward()
    graph = mx.last_graph()
    for step in range(len(graph.backward_order) + 1):
        shown = graph_at_step(graph, step)
        html = inspector_html(shown, shown.node("x").id)
        rows = re.findall(r"<td>multiply \([^)]*\)</td><td><code>([^<]*)</code>", html)
        total = re.findall(r"<td><b>sum</b></td><td><code>([^<]*)</code>", html)
        if total and total[0] != "—":
            parts = [float(r) for r in rows if r != "—"]
            assert sum(parts) == float(total[0]), (step, rows, total)
