"""The IPython extension in a real InteractiveShell: hooks, magics, one widget per cell."""

from __future__ import annotations

import json

import ipywidgets
import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from seed_notebook import html_image_svg

import autogradviz
import autogradviz.widget.view
from autogradviz import autograd, capture
from autogradviz.jupyter import extension

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

SEED = (
    "x = mx.nd.array([[1, 2], [3, 4]])\nx.attach_grad()\n"
    "with autograd.record():\n    y = x * 2\n    f = y * x\n"
    "f.backward(nd.array([[1., 1.], [.1, .1]]))"
)
LOOP = (
    "w = nd.array([1.0, 2.0]); w.attach_grad()\n"
    "for i in range({n}):\n"
    "    with autograd.record():\n        loss = ((w * 3 - 1) ** 2).sum()\n"
    "    loss.backward()\n    w[:] = w - 0.01 * w.grad\n"
)


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    shell.run_cell("import autogradviz as mx\nfrom autogradviz import nd, autograd")
    yield shell
    shell.run_line_magic("unload_ext", "autogradviz")
    shell.extension_manager.loaded.discard("autogradviz")


@pytest.fixture
def widget_shell(shell, jupyter_shell):
    """The shell, with the extension behaving as in Jupyter (a widget, not text)."""
    return jupyter_shell


def test_extension_load_and_unload_remove_every_hook(shell):
    listeners_before = autograd.backward_listeners()
    callbacks_before = {e: list(c) for e, c in shell.events.callbacks.items()}
    shell.run_line_magic("load_ext", "autogradviz")
    assert extension._session.on_backward in autograd.backward_listeners()
    assert "autogradviz" in shell.magics_manager.magics["line"]
    assert capture.is_enabled()
    shell.run_line_magic("load_ext", "autogradviz")  # twice: harmless
    assert autograd.backward_listeners().count(extension._session.on_backward) == 1
    shell.run_line_magic("unload_ext", "autogradviz")
    assert autograd.backward_listeners() == listeners_before
    assert {e: list(c) for e, c in shell.events.callbacks.items()} == callbacks_before
    assert "autogradviz" not in shell.magics_manager.magics["line"]
    assert not capture.is_enabled()


def test_extension_terminal_prints_the_text_rendering(shell, capsys):
    shell.run_line_magic("load_ext", "autogradviz")
    shell.run_cell("z = nd.array([1.0]) * 2")  # no backward: nothing printed
    assert capsys.readouterr().out == ""
    shell.run_cell(SEED)
    out = capsys.readouterr().out
    assert "n0  x  variable" in out and ".grad [[4 8] [1.2 1.6]]" in out


def test_extension_magic_check_prints_the_verdict_in_a_terminal(shell, capsys):
    shell.run_line_magic("load_ext", "autogradviz")
    shell.run_cell(SEED)
    capsys.readouterr()
    shell.run_line_magic("autogradviz", "check x")
    out = capsys.readouterr().out
    assert out.startswith("✓ x: x.grad matches central finite differences (float64 replay, all 4")
    shell.run_line_magic("autogradviz", "check nope")
    out = capsys.readouterr().out
    assert "%autogradviz: check nope: Graph.node: no node has id or name 'nope'" in out
    assert "Traceback" not in out
    shell.run_line_magic("autogradviz", "check")
    assert "check needs a box" in capsys.readouterr().out


def test_extension_magic_quiz_in_a_terminal_asks_with_input(shell, capsys, monkeypatch):
    shell.run_line_magic("load_ext", "autogradviz")
    shell.run_cell(SEED)
    answers = iter(["1 2 0.3 0.4", "9 9 9 9", "4 8 1.2 1.6"])
    monkeypatch.setattr("builtins.input", lambda prompt: print(prompt) or next(answers))
    capsys.readouterr()
    shell.run_line_magic("autogradviz", "quiz")
    out = capsys.readouterr().out
    assert out.startswith("2 question(s) on the last pass; a blank line stops.")
    assert "What is ∂L/∂y, the gradient of box n1?" in out and "✓ Right: y is" in out
    assert "✗ Not quite. Hint: x is used 2 times (by 2 ops): add what each use sends back." in out
    assert out.rstrip().endswith("score 1.5 / 2")
    shell.run_line_magic("autogradviz", "quiz both")
    assert "quiz takes grads, values or off, not 'both'" in capsys.readouterr().out


def test_extension_magic_quiz_starts_in_the_widget_and_on_new_ones(widget_shell, capsys):
    widget_shell.run_cell(SEED)
    view = extension._session.view
    widget_shell.run_line_magic("autogradviz", "quiz")
    assert "quiz on: pictures hide their gradients" in capsys.readouterr().out
    assert json.loads(view.canvas.quiz)["question"].startswith("What is ∂L/∂y")
    widget_shell.run_cell(SEED)  # a new cell: its widget starts with the quiz too
    fresh = extension._session.view
    assert fresh is not view and json.loads(fresh.canvas.quiz)["score"] == "score 0 / 2"
    widget_shell.run_line_magic("autogradviz", "quiz off")
    assert fresh.canvas.quiz == ""
    widget_shell.run_cell(SEED)
    assert extension._session.view.canvas.quiz == ""


def test_extension_last_graph_names_cells_as_the_widget_does(shell):
    shell.run_line_magic("load_ext", "autogradviz")
    shell.run_cell(SEED)
    source = autogradviz.last_graph().node("f").source
    assert source is not None and source.startswith("cell [")
    shell.run_line_magic("unload_ext", "autogradviz")
    assert autogradviz.graph.snapshot._namer == []  # unloading puts file names back


def test_extension_never_changes_a_number(shell):
    shell.run_cell(SEED + "\nplain = x.grad.asnumpy()")
    shell.run_line_magic("load_ext", "autogradviz")
    shell.run_cell(SEED + "\nwatched = x.grad.asnumpy()")
    np.testing.assert_array_equal(shell.user_ns["plain"], shell.user_ns["watched"])


def test_extension_user_exceptions_pass_through(shell):
    shell.run_line_magic("load_ext", "autogradviz")
    result = shell.run_cell("1 / 0")
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    result = shell.run_cell("with autograd.record():\n    bad = nd.ones(3) * 2\nbad.backward()")
    assert type(result.error_in_exec).__name__ == "GraphError"
    assert not autograd.is_recording()  # the flags were restored


def test_extension_drawing_failure_leaves_the_cell_alone(shell, monkeypatch, capsys):
    shell.run_line_magic("load_ext", "autogradviz")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(extension, "graph_from_capture", broken)
    result = shell.run_cell(SEED + "\ngrad = x.grad.asnumpy()")
    assert result.success
    np.testing.assert_allclose(shell.user_ns["grad"], [[4, 8], [1.2, 1.6]], rtol=1e-6)
    assert "could not draw the graph (RuntimeError: renderer exploded)" in capsys.readouterr().err


def test_extension_one_widget_per_cell(widget_shell):
    widget_shell.run_cell(SEED)
    widget_shell.run_cell(LOOP.format(n=5))
    # two outputs per backward cell (the widget, its static copy), not per backward
    assert len(widget_shell.displayed) == 4
    view = extension._session.view
    assert view._total == 5 and view.history.value == 5
    widgets = [b for b in widget_shell.updates if WIDGET_VIEW in b]
    assert widgets[-1][WIDGET_VIEW]["model_id"] == view.model_id
    assert "image/svg+xml" not in widgets[-1]  # the picture is in the static copy only
    static = widget_shell.updates[-1]  # the cell's static copy at its end
    assert static["image/svg+xml"] == view.static_picture()
    assert static["image/svg+xml"].startswith("<svg")
    assert static["text/html"].startswith('<div class="agv-static"><style>')
    assert html_image_svg(static["text/html"]) == static["image/svg+xml"]
    assert static["text/plain"] == view.graph.to_text()


def test_extension_throttles_redraws_and_ends_with_the_final_state(widget_shell, monkeypatch):
    monkeypatch.setattr(extension, "REDRAW_SECONDS", 3600.0)
    redraws = []
    original = autogradviz.widget.view.GraphView.refresh
    monkeypatch.setattr(autogradviz.widget.view.GraphView, "refresh",
                        lambda self: redraws.append(1) or original(self))  # fmt: skip
    widget_shell.run_cell(LOOP.format(n=200))
    view = extension._session.view
    assert view._total == 200
    assert len(redraws) <= 3  # the first draw and the final one, not 200
    assert view.history.value == 200  # the final state is shown
    np.testing.assert_allclose(view.graph.node("w").value, widget_shell.user_ns["w"].asnumpy())


def test_extension_final_picture_shows_the_values_of_the_final_pass(widget_shell, monkeypatch):
    monkeypatch.setattr(extension, "REDRAW_SECONDS", 3600.0)
    monkeypatch.setattr(extension, "SAMPLE_SECONDS", 3600.0)  # the last pass: built at the end
    widget_shell.run_cell(LOOP.format(n=3).replace("0.01", "0.1"))
    graph = extension._session.view.graph
    shown_w, shown_loss = graph.node("w").value, graph.node("loss").value
    now = widget_shell.user_ns["w"].asnumpy()
    assert not np.allclose(shown_w, now)  # the cell updated w after its last backward...
    np.testing.assert_allclose(shown_loss, [((shown_w * 3 - 1) ** 2).sum()], rtol=1e-5)
    static = widget_shell.updates[-1]["text/plain"]  # ...and the static copy agrees too
    assert (
        f"value {np.array2string(shown_w, precision=3)}"[:12] in static or "w  variable" in static
    )


def test_extension_cell_run_again_releases_its_old_widgets(widget_shell):
    from ipywidgets.widgets.widget import _instances

    widget_shell.run_cell(SEED, cell_id="cell-a")
    first = extension._session.view
    live = len(_instances)
    for _ in range(3):
        widget_shell.run_cell(SEED, cell_id="cell-a")  # the student runs the same cell again
    assert first.comm is None and first.canvas.comm is None  # closed, with its parts
    assert len(_instances) <= live  # not three more views' worth of widgets
    assert first.canvas.runtime.comm is not None  # the shared runtime stays
    widget_shell.run_cell(SEED, cell_id="cell-b")  # another cell keeps its own
    assert extension._session.view.comm is not None


def test_extension_one_pass_hides_the_history_slider(widget_shell):
    widget_shell.run_cell(SEED)
    assert extension._session.view.history.layout.display == "none"
    widget_shell.run_cell(LOOP.format(n=3))
    assert extension._session.view.history.layout.display == ""


def test_extension_draws_nothing_for_check_grads(widget_shell):
    widget_shell.run_cell(
        "from autogradviz.testing import check_grads\n"
        "check_grads(lambda v: (v * v).sum(), nd.array([1.0, 2.0]), order=2)"
    )
    assert widget_shell.displayed == []  # its float64 passes are checks, not the lesson


def test_extension_magic_switches_and_options(widget_shell, capsys):
    widget_shell.run_line_magic("autogradviz", "off")
    widget_shell.run_cell(SEED)
    assert widget_shell.displayed == []
    widget_shell.run_line_magic("autogradviz", "on --no-values --max-nodes 20 --rankdir TB")
    widget_shell.run_line_magic("autogradviz", "--history 3")
    capsys.readouterr()
    widget_shell.run_line_magic("autogradviz", "status")
    status = capsys.readouterr().out
    assert "autogradviz is on" in status and "history 3" in status
    assert "max_nodes=20" in status and "values=False" in status and "rankdir=TB" in status
    widget_shell.run_cell(SEED)
    view = extension._session.view
    assert view.options.values is False and view.options.rankdir == "TB"
    assert view._entries.maxlen == 3


def test_extension_magic_chooses_the_kernel_graphviz(widget_shell, capsys, monkeypatch):
    from autogradviz.render import svg

    monkeypatch.setattr(svg, "_chosen", None)
    widget_shell.run_line_magic("autogradviz", "--graphviz system")
    assert svg.get_graphviz() == "system" and "graphviz system" in capsys.readouterr().out
    widget_shell.run_cell(SEED)  # no dot on PATH: the static copy says so, the cell works
    static = widget_shell.updates[-1]
    assert "image/svg+xml" not in static and "dot" in static["text/html"]
    widget_shell.run_line_magic("autogradviz", "--graphviz wasm")
    widget_shell.run_cell(SEED)
    assert widget_shell.updates[-1]["image/svg+xml"].startswith("<svg")


@pytest.mark.parametrize("line, message", [
    ("--bogus", "unrecognized arguments: --bogus"),
    ("sideways", "invalid choice: 'sideways'"),
    ("--max-nodes many", "invalid int value: 'many'"),
    ("--max-nodes 0", "--max-nodes must be a whole number from 1 to 100,000, not 0"),
    ("--history 0", "--history must be a whole number from 1 to 10,000, not 0"),
    ("--history 99999999999999999999", "--history must be a whole number from 1 to 10,000"),
    ("--max-nodes 99999999999999999999", "--max-nodes must be a whole number from 1 to"),
    ("--rankdir XY", "invalid choice: 'XY'"),
    ("--graphviz cairo", "invalid choice: 'cairo'"),
    ("show", "show needs an expression"),
    ("show undefined_name", "NameError"),
])  # fmt: skip
def test_extension_magic_bad_options_print_usage(widget_shell, capsys, line, message):
    widget_shell.run_line_magic("autogradviz", line)
    out = capsys.readouterr().out
    assert message in out and "Usage:" in out and "Traceback" not in out


def test_extension_magic_a_refused_line_changes_nothing(widget_shell, capsys):
    options = dict(extension._session.options)
    widget_shell.run_line_magic("autogradviz", "--rankdir LR --no-values --history 0")
    assert extension._session.options == options and "--history must" in capsys.readouterr().out


def test_extension_magic_a_refused_history_leaves_the_next_cells_working(widget_shell, capsys):
    # --history 99999999999999999999 used to be taken, and every later cell then printed a
    # traceback (a deque cannot be that long).
    history = extension._session.history
    widget_shell.run_line_magic("autogradviz", "--history 99999999999999999999")
    assert extension._session.history == history
    capsys.readouterr()
    widget_shell.run_cell(SEED)
    assert "Traceback" not in capsys.readouterr().err and extension._session.view is not None


def test_extension_magic_show_draws_without_backward(widget_shell):
    widget_shell.run_cell(
        "q = nd.array([2.0]); q.attach_grad()\nwith autograd.record():\n    r = q * q + 1"
    )
    widget_shell.run_line_magic("autogradviz", "show r")
    (live,), (static,) = widget_shell.displayed[-2:]
    view = ipywidgets.widgets.widget._instances[live[WIDGET_VIEW]["model_id"]]
    assert isinstance(view, autogradviz.widget.view.GraphView)
    assert static["image/svg+xml"] == view.static_picture()
    assert view.graph.node("r").op == "add" and view.graph.node("q").grad is None


def test_extension_history_samples_a_fast_loop(widget_shell, monkeypatch):
    monkeypatch.setattr(extension, "SAMPLE_SECONDS", 3600.0)  # keep one pass an hour...
    widget_shell.run_cell(LOOP.format(n=200))
    view = extension._session.view
    assert view.history.options == (1, 200)  # ...so: the first, and always the last


def test_extension_history_keeps_the_last_k_snapshots(widget_shell, monkeypatch):
    monkeypatch.setattr(extension, "SAMPLE_SECONDS", 0.0)  # keep every pass
    widget_shell.run_line_magic("autogradviz", "--history 7")
    widget_shell.run_cell(LOOP.format(n=30))
    view = extension._session.view
    assert view.history.options == tuple(range(24, 31))
    # snapshots, not live engine objects: the passes' arrays can be freed
    assert all(isinstance(entry._source, autogradviz.Graph) for entry in view._entries)
