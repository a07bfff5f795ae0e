"""Passes the extension keeps from a loop are built when it draws, and stay true (issue 11).

A kept pass is pinned: the SGD step of the next iterations must not change the values its
picture shows, although its graph is built only at the next drawing (not inside the loop).
"""

from __future__ import annotations

import pytest

from autogradviz import autograd, nd
from autogradviz.graph import capture

pytestmark = pytest.mark.usefixtures("with_capture")


def _pass(w, x):
    with autograd.record():
        y = (w * x).sum()
    y.backward()
    return capture.last()


@pytest.mark.parametrize("pinned", [True, False])
def test_pinned_pass_keeps_its_values_through_later_writes(pinned):
    from autogradviz.graph.snapshot import graph_from_capture

    w, x = nd.array([1.0, 1.0]), nd.array([3.0, 4.0])
    w.attach_grad()
    first = _pass(w, x)
    if pinned:
        capture.pin(first)
    _pass(w, x)  # a second pass: the first is no longer the last
    x[:] = 0  # a write after both (new data for the next epoch, say)
    w[:] = 5
    graph = graph_from_capture(first, names_now={id(w): "w", id(x): "x"})
    capture.unpin(first)
    shown = graph.node("x").value.tolist(), graph.node("w").value.tolist()
    if pinned:  # as the first pass used them
        assert shown == ([3.0, 4.0], [1.0, 1.0])
    else:  # not protected any more: what a pass that is not kept would show
        assert shown == ([0.0, 0.0], [5.0, 5.0])
    assert capture._pinned == []


def test_extension_builds_kept_passes_at_drawing_not_in_the_loop(jupyter_shell):
    shell = jupyter_shell
    shell.run_cell(
        "from autogradviz import nd, autograd\n"
        "w = nd.array([1.0, 2.0]); w.attach_grad()\n"
        "for _ in range(5):\n"
        "    with autograd.record():\n"
        "        loss = (w * w).sum()\n"
        "    loss.backward()\n"
        "    w[:] = w - 0.1 * w.grad\n"
    )
    from autogradviz.jupyter import extension

    view = extension._session.view
    first = next(e for e in view._entries if e.iteration == 1).graph()
    assert first.node("w").value.tolist() == [1.0, 2.0]  # before any SGD step
    assert capture._pinned == []  # every kept pass was built, then let go


def test_extension_recovers_when_capture_is_switched_off_and_on(jupyter_shell):
    # capture.disable(); capture.enable() puts the capture's listener after the extension's:
    # the extension puts itself back after it, and the next pass is drawn.
    from autogradviz.jupyter import extension

    jupyter_shell.run_cell("import autogradviz as mx\nmx.capture.disable(); mx.capture.enable()")
    cell = jupyter_shell.run_cell(
        "from autogradviz import nd, autograd\n"
        "x = nd.array([2.0]); x.attach_grad()\n"
        "for _ in range(2):\n"
        "    with autograd.record():\n"
        "        y = x * x\n"
        "    y.backward()\n"
    )
    assert cell.success
    view = extension._session.view
    assert view is not None and view.graph.node("y").value.tolist() == [4.0]
