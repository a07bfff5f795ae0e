"""The canvas's kernel side: it sends DOT for the browser to lay out, shares one Graphviz
runtime, answers the browser when it cannot lay out, and makes the static copy."""

from __future__ import annotations

import json

import pytest
from graph_programs import seed_program

import autogradviz as mx
from autogradviz.render.dot import to_dot
from autogradviz.widget.canvas import GraphCanvas
from autogradviz.widget.runtime import WORKER_FILE, shared_runtime
from autogradviz.widget.view import GraphView

pytestmark = pytest.mark.usefixtures("with_capture")


def _seed_view() -> GraphView:
    seed_program()
    view = GraphView()
    view.push(mx.last_graph())
    return view


def test_canvas_gets_dot_not_svg():
    view = _seed_view()
    # the widget draws its legend once, above the drawing, not in the graph
    assert view.canvas.dot == to_dot(mx.last_graph(), view.options, legend=False)
    assert view.canvas.svg == "" and view.canvas.note == ""  # the browser lays it out


def test_canvas_follows_the_stepper_in_its_dot():
    view = _seed_view()
    view._move(+1)  # step 1: f is processed, drawn in the stepper's colour
    assert "#ff7f0e" in view.canvas.dot and "#ff7f0e" in view.picture()


def test_canvas_shares_one_runtime_carrying_the_worker():
    one, two = GraphCanvas(), GraphCanvas()
    assert one.runtime is two.runtime is shared_runtime()
    assert one.runtime.worker == WORKER_FILE.read_text(encoding="utf-8")
    state = one.get_state()
    assert state["runtime"] == f"IPY_MODEL_{one.runtime.model_id}"
    assert len(json.dumps({k: v for k, v in state.items() if k != "_esm"})) < 2_000


def test_canvas_runtime_is_made_again_after_it_was_closed():
    first = shared_runtime()
    first.close()
    assert shared_runtime() is not first and GraphCanvas().runtime is shared_runtime()


def test_canvas_without_a_worker_asks_the_kernel_for_svg():
    view = _seed_view()
    view._on_canvas_message(view.canvas, {"kind": "need-svg"}, [])
    assert view.canvas.svg.startswith("<svg") and view.canvas.svg == view.picture()
    view._move(+1)  # from now on every redraw sends the kernel's SVG too
    assert "#ff7f0e" in view.canvas.svg


def test_canvas_failed_layout_shows_why_and_the_text_listing():
    view = _seed_view()
    message = {"kind": "layout-failed", "reason": "timeout",
               "message": "Graphviz needed more than 20 s <script>"}  # fmt: skip
    view._on_canvas_message(view.canvas, message, [])
    note = view.canvas.note
    assert "to_svg: Graphviz needed more than 20 s &lt;script&gt;" in note
    assert "<pre>n0  x  variable" in note and "<script" not in note
    view.refresh()  # the next drawing clears the note
    assert view.canvas.note == ""


def test_canvas_ignores_unknown_messages():
    view = _seed_view()
    for content in ({"kind": "bogus"}, "text", None, [1, 2], {"kind": None}):
        view._on_canvas_message(view.canvas, content, [])
    assert view.canvas.svg == "" and view.canvas.note == ""


def test_canvas_ignores_the_failure_of_a_replaced_dot():
    view = _seed_view()
    old = view.canvas.revision
    view._move(+1)  # a newer DOT text is sent before the old one's failure arrives
    stale = {"kind": "layout-failed", "reason": "timeout", "revision": old, "message": "slow"}
    view._on_canvas_message(view.canvas, stale, [])
    assert view.canvas.revision == old + 1 and view.canvas.note == ""
    fresh = dict(stale, revision=view.canvas.revision)
    view._on_canvas_message(view.canvas, fresh, [])
    assert "to_svg: slow" in view.canvas.note


def test_static_picture_is_final_light_and_on_white():
    view = _seed_view()
    view.canvas.theme = "dark"  # what JupyterLab reports in its dark theme
    view._move(+1)
    picture = view.static_picture()
    assert picture.startswith('<svg style="background:#ffffff"')
    assert "#ff7f0e" not in picture  # no stepper highlight in the copy
    assert "#1d3b57" not in picture and "#d6ebff" in picture  # light colours
