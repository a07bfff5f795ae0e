"""Every drawn gradient says what it is, so no picture contradicts ``print(x.grad)`` (issue 11).

``.grad`` marks the buffer backward wrote; ``flowed`` the gradient that reached a node in this
pass, with a line saying why ``.grad`` differs (``grad_req='null'``, ``'add'``,
``autograd.grad``).
"""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.render.preview import grad_lines
from autogradviz.widget.inspector import inspector_html
from autogradviz.widget.stepper import graph_at_step

pytestmark = pytest.mark.usefixtures("with_capture")


def _variable(values, grad_req="write"):
    array = nd.array(values)
    array.attach_grad(grad_req=grad_req)
    return array


def _lines(name: str) -> list[str]:
    return grad_lines(mx.last_graph().node(name), 4, 6)


def test_grad_kinds_write_buffer_is_what_print_shows():
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = (x * x).sum()
    y.backward()
    assert mx.last_graph().node("x").grad_kind == "buffer"
    assert _lines("x") == [".grad [2 4]"] and x.grad.asnumpy().tolist() == [2.0, 4.0]
    assert _lines("y") == ["flowed [1]"]


def test_grad_kinds_null_says_the_buffer_is_not_kept():
    x, c = _variable([1.0, 2.0]), _variable([3.0, 4.0], grad_req="null")
    with autograd.record():
        y = (x * c).sum()
    y.backward()
    assert _lines("c") == ["flowed [1 2]", ".grad not kept (grad_req='null')"]
    assert c.grad.asnumpy().tolist() == [0.0, 0.0]  # what print shows; the picture agrees
    assert "print(x.grad) shows zeros" in inspector_html(mx.last_graph(), "n1")


def test_grad_kinds_add_shows_this_pass_and_the_sum():
    a = _variable([1.0, 1.0], grad_req="add")
    for scale in (1.0, 2.0):
        with autograd.record():
            y = (a * scale).sum()
        y.backward()
    assert _lines("a") == ["flowed [2 2]", ".grad [3 3] (sum)"]
    assert a.grad.asnumpy().tolist() == [3.0, 3.0]
    html = inspector_html(mx.last_graph(), mx.last_graph().node("a").id)
    assert "the sum over passes" in html


def test_grad_kinds_add_buffer_is_the_one_after_its_pass():
    a = _variable([1.0], grad_req="add")
    with autograd.record():
        y = (a * 5).sum()
    y.backward()
    a.grad[:] = 0  # the student zeroes it afterwards: the picture still shows that pass's sum
    assert _lines("a") == ["flowed [5]", ".grad [5] (sum)"]


def test_grad_kinds_autograd_grad_leaves_the_buffer_untouched():
    x = _variable([1.0, 2.0])
    with autograd.record():
        z = (x * x).sum()
    (g,) = autograd.grad(z, [x])
    assert _lines("x") == ["flowed [2 4]", ".grad untouched (autograd.grad)"]
    assert g.asnumpy().tolist() == [2.0, 4.0] and x.grad.asnumpy().tolist() == [0.0, 0.0]


def test_grad_kinds_before_backward_there_is_no_gradient():
    x = _variable([1.0])
    with autograd.record():
        y = x * 2
    node = mx.graph_of(y).node("x")
    assert node.grad is None and node.grad_kind is None
    assert grad_lines(node, 4, 6) == ["grad —"]


def test_grad_kinds_mid_step_everything_is_what_flowed_so_far():
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = x * 3
        z = y.sum()
    z.backward()
    graph = mx.last_graph()
    first = graph_at_step(graph, 1)  # only z has sent its gradient
    assert [n.grad_kind for n in first.nodes] == [None, "flowed", "flowed"]
    assert graph_at_step(graph, 2).node("x").grad_kind == "buffer"  # the end: the buffer


def test_grad_kinds_in_the_kernel_svg_are_all_coloured():
    x, c = _variable([1.0]), _variable([3.0], grad_req="null")
    with autograd.record():
        y = (x * c * 2).sum()
    y.backward()
    svg = mx.last_graph().to_svg(graphviz="wasm")
    body = svg.split('<g id="n1" class="node">', 1)[1].split('class="node"', 1)[0]
    for text in ("flowed [2]", ".grad not kept (grad_req=&#39;null&#39;)"):
        line = next(t for t in body.split("<text")[1:] if text in t)
        assert 'fill="#a0430a"' in line, line
    np.testing.assert_array_equal(c.grad.asnumpy(), [0.0])


def test_grad_kinds_attach_grad_after_the_forward_is_drawn_as_a_cut():
    # MXNET_API.md §2: attach_grad() cuts the array from what was recorded before. The
    # picture must not show the gradient that flowed as if it were u.grad (which prints 0).
    x = _variable([1.0, 2.0])
    with autograd.record():
        u = x * 3
        z = (u * u).sum()
    u.attach_grad()
    z.backward()
    graph = mx.last_graph()
    node = graph.node("u")
    assert u.grad.asnumpy().tolist() == [0.0, 0.0] and x.grad.asnumpy().tolist() == [18.0, 36.0]
    assert node.reattached and node.reattached.endswith(f":{_line_of('u.attach_grad()')}")
    assert _lines("u") == ["flowed [6 12]", "not in .grad: attach_grad() later"]
    html = inspector_html(graph, node.id)
    assert "Why u.grad does not show this: u.attach_grad() ran (at " in html
    assert 'style="rounded,filled,dashed"' in graph.to_dot().split(f"  {node.id} [", 1)[1]
    assert "not in .grad: attach_grad() later" in graph.to_text()


def test_grad_kinds_a_variable_attached_again_after_the_forward_shows_no_buffer():
    w = _variable([1.0, 2.0])
    with autograd.record():
        loss = (w * w).sum()
    w.attach_grad()
    loss.backward()
    node = mx.last_graph().node("w")
    assert node.grad_kind == "flowed" and node.reattached is not None  # not ".grad [2 4]"
    assert _lines("w") == ["flowed [2 4]", "not in .grad: attach_grad() later"]
    assert w.grad.asnumpy().tolist() == [0.0, 0.0]


def _line_of(text: str) -> int:
    import inspect

    lines = inspect.getsource(test_grad_kinds_attach_grad_after_the_forward_is_drawn_as_a_cut)
    first = test_grad_kinds_attach_grad_after_the_forward_is_drawn_as_a_cut.__code__
    return first.co_firstlineno + next(k for k, line in enumerate(lines.splitlines())
                                       if line.strip() == text)  # fmt: skip


def test_grad_kinds_a_pass_drawn_later_is_drawn_as_it_ran():
    # Found in review: a history pass built after the next step's attach_grad() was marked
    # "attach_grad() later", and after two of them w was drawn cut off from its op.
    from autogradviz.graph import capture
    from autogradviz.graph.snapshot import graph_from_capture

    w = _variable([1.0, 2.0])
    with autograd.record():
        loss = (w * w).sum()
    loss.backward()
    captured = capture.last()
    w.attach_grad()
    w.attach_grad()
    graph = graph_from_capture(captured)
    node = graph.node("w")
    assert node.reattached is None and node.grad_kind == "buffer"
    assert [e.src for e in graph.edges if e.dst == graph.nodes[-2].id] == [node.id, node.id]


def test_grad_kinds_a_head_attached_again_after_backward_still_draws():
    x = _variable([1.0])
    with autograd.record():
        loss = (x * 3).sum()
    loss.backward(retain_graph=True)
    loss.attach_grad()
    graph = mx.last_graph()
    assert graph.heads == (graph.nodes[-1].id,) and graph.nodes[-1].op == "sum"
