"""The widget's models without a browser: clicks, stepping, history, options, inspector."""

from __future__ import annotations

import re

import numpy as np
import pytest
from graph_programs import fanout_program, graph_with_name, seed_program

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.widget.inspector import fanout_text, inspector_html
from autogradviz.widget.view import GraphView

pytestmark = pytest.mark.usefixtures("with_capture")


def _seed_view(**options) -> GraphView:
    seed_program()
    view = GraphView(**options)
    view.push(mx.last_graph())
    return view


def test_widget_shows_the_final_graph_first():
    view = _seed_view()
    assert view.picture().startswith("<svg") and 'id="n0"' in view.picture()
    assert view.slider.max == 2 and view.slider.value == 2
    assert "backward finished in 2 steps" in view.status.value
    assert "#ff7f0e" not in view.picture()  # nothing highlighted until the student steps


def _cells(html: str) -> list[str]:
    """The numbers in the inspector's tables of array elements, in order."""
    return re.findall(r'<td style="background:#[0-9a-f]{8}">([^<]*)</td>', html)


def test_widget_click_fills_the_inspector():
    view = _seed_view()
    assert "Click a node" in view.inspector.value
    view.canvas.selected = "n0"  # what a click in the browser does
    html = view.inspector.value
    assert "<b>x</b>" in html and "variable" in html
    assert _cells(html) == ["1", "2", "3", "4", "4", "8", "1.2", "1.6"]  # value, then .grad
    assert "<td>multiply (y)</td>" in html and "<td>multiply (f)</td>" in html  # fan-out rows
    assert "<td><b>sum</b></td><td><code>[[4. 8. ] [1.2 1.6]]</code>" in html


def test_widget_step_follows_the_backward_order():
    view = _seed_view()
    graph = view.graph
    seen = []
    for _ in range(3):
        view.step.click()
        seen.append(view.status.value)
    assert "step 1 of 2: <b>f</b>" in seen[0] and "step 2 of 2: <b>y</b>" in seen[1]
    assert "step 1 of 2" in seen[2]  # past the end: starts again
    assert graph.backward_order == ("n2", "n1")
    view.back.click()
    assert "step 0 of 2" in view.status.value
    assert 'id="n2"' in view.picture() and "#ff7f0e" not in view.picture()


def test_widget_stepping_shows_gradients_accumulated_so_far():
    fanout_program()
    view = GraphView()
    view.push(mx.last_graph())
    view.canvas.selected = "n0"
    view.slider.value = 1  # only z has run: x has received nothing yet
    assert "none (no gradient reached this node)" in view.inspector.value
    view.slider.value = 2  # v = x + 2 has sent 9 to x
    assert _cells(view.inspector.value) == ["3", "9"]  # value, gradient so far
    view.slider.value = 3  # u = x * x adds 2 * 15: x's gradient is final
    assert _cells(view.inspector.value) == ["3", "39"]
    assert "#ff7f0e" in view.picture()  # the processed node is highlighted


def test_widget_history_keeps_the_last_k():
    view = GraphView(history=5)
    x = nd.array([1.0])
    x.attach_grad()
    for i in range(8):
        with autograd.record():
            y = x * (i + 1)
        y.backward()
        view.push(mx.last_graph())
    assert len(view._entries) == 5
    assert view.history.options == (4, 5, 6, 7, 8) and view.history.value == 8
    np.testing.assert_allclose(view.graph.node("x").grad, [8.0])
    view.history.value = 4
    np.testing.assert_allclose(view.graph.node("x").grad, [4.0])


def test_widget_history_numbers_sampled_iterations():
    view = GraphView(history=3)
    seed_program()
    for iteration in (1, 40, 97):  # what the extension keeps of a fast loop
        view.push(mx.last_graph(), show=False, iteration=iteration)
    view.show_latest()
    assert view.history.options == (1, 40, 97) and view.history.value == 97


def test_widget_lazy_history_entries_build_on_demand():
    calls = []

    def build():
        calls.append(1)
        seed_program()
        return mx.last_graph()

    view = GraphView()
    view.push(build, show=False)
    assert calls == []
    view.show_latest()
    assert calls == [1] and view.picture().startswith("<svg")


def test_widget_toggles_and_theme_redraw():
    view = _seed_view()
    view.toggles["values"].value = False
    assert view.options.values is False and "value [[" not in view.picture()
    view.set_options(rankdir="TB")
    assert view.options.rankdir == "TB"
    view.canvas.theme = "dark"  # what the front end reports in JupyterLab's dark theme
    assert "#1d3b57" in view.picture()


def test_widget_without_the_asked_for_system_dot_shows_text(monkeypatch, tmp_path):
    from autogradviz.render import svg

    monkeypatch.setattr(svg, "_chosen", "system")  # set_graphviz("system"), no dot on PATH
    monkeypatch.setenv("PATH", str(tmp_path))
    view = _seed_view()
    assert "not installed" in view.picture() and "n0  x  variable" in view.picture()


def test_inspector_summarizes_big_arrays_with_a_histogram():
    x = nd.array(np.linspace(-1, 1, 5000))
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    y.backward()
    html = inspector_html(mx.last_graph(max_elements=100), "n0")
    assert "shape (5000,)" in html and "<svg" in html and "histogram" in html


def test_inspector_escapes_names():
    evil = "<b onmouseover=alert(1)>"
    html = inspector_html(graph_with_name(evil), "n0")
    assert "<b onmouseover" not in html and "&lt;b onmouseover=alert(1)&gt;" in html


def test_inspector_fanout_text_sums_to_the_gradient():
    fanout_program()
    graph = mx.last_graph()
    text = fanout_text(graph, graph.node("x"))
    assert text == "15 from multiply (u) + 15 from multiply (u) + 9 from add (v)"
