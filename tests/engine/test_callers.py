"""Each op knows the user's function calls it was made in (one ``Call`` object per call).

A viewer frames the ops of one call of ``def net(X)`` together (issue 11, clusters); the
engine only notes the calls, and only while a viewer asks for call sites.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from autogradviz import autograd, nd
from autogradviz.engine import callers

pytestmark = pytest.mark.usefixtures("with_capture")


def _scale(x, k):
    return x * k


def _twice(x):
    return _scale(_scale(x, 2), 3)


def _names(array):
    return [call.name for call in array._node.site[2]]


def test_callers_ops_of_one_call_share_its_call_object():
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        a, b = _scale(x, 2), _scale(x, 3)
        c = _twice(x)
    here = "test_callers_ops_of_one_call_share_its_call_object"
    assert _names(a) == [here, "_scale"] and _names(c) == [here, "_twice", "_scale"]
    assert a._node.site[2][0] is b._node.site[2][0]  # the same test function call
    assert a._node.site[2][1] is not b._node.site[2][1]  # two calls of _scale
    inner = c._node.inputs[0]._node  # the first _scale inside _twice
    assert inner.site[2][1] is c._node.site[2][1]  # one call of _twice
    assert inner.site[2][2] is not c._node.site[2][2]


def test_callers_loop_calls_of_one_line_are_told_apart():
    x = nd.array([1.0])
    x.attach_grad()
    outs = []
    with autograd.record():
        for k in range(3):
            outs.append(_scale(x, k))
    calls = [out._node.site[2][-1] for out in outs]
    assert len({id(call) for call in calls}) == 3


def test_callers_comprehensions_and_lambdas_are_no_call():
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        ys = [x * k for k in range(2)]
        z = (lambda v: v + 1)(x)
    assert _names(ys[0]) == _names(z) == ["test_callers_comprehensions_and_lambdas_are_no_call"]


class _Big:
    """Stands for a big local array: it must not outlive its function because of us."""


def _with_local(x, box):
    local = _Big()
    box.append(weakref.ref(local))
    return x * 2


def test_callers_frames_are_let_go_after_backward():
    x = nd.array([1.0])
    x.attach_grad()
    box: list = []
    with autograd.record():
        y = _with_local(x, box)
    y.backward()
    gc.collect()
    assert box[0]() is None  # the frame (and its locals) was not kept


def test_callers_site_stops_at_installed_packages():
    # pytest's own frames (site-packages) are not the user's: the walk stops there
    site = callers.call_site(1)
    assert site is not None and [c.name for c in site[2]] == [
        "test_callers_site_stops_at_installed_packages"
    ]


def test_callers_a_call_still_running_after_a_pass_stays_one_call():
    # autograd.grad inside a function, then more ops in the same call: one call, one frame
    x = nd.array([2.0])
    x.attach_grad()

    def step():
        with autograd.record():
            y = x * x
            (g,) = autograd.grad(y, [x], create_graph=True, retain_graph=True)
            z = g * 3
        return y, z

    y, z = step()
    assert y._node.site[2][-1] is z._node.site[2][-1]  # the same Call object for step()


# ----------------------------------------------------------------- code at a cell's top level
def _run_cell(source: str, **names):
    """Run ``source`` as a notebook cell would: module-level code of a file of the user's."""
    space = {"nd": nd, "autograd": autograd, **names}
    exec(compile(source, "/tmp/autogradviz-test-cell.py", "exec"), space)
    return space


CELL = """
def net(v):
    return v * 2 + 1

x = nd.array([1.0])
x.attach_grad()
with autograd.record():
    first = net(x)
    second = net(x)
    top = first + second
"""


def test_callers_functions_called_from_a_cell_are_one_call_each():
    space = _run_cell(CELL)
    first, second, top = space["first"], space["second"], space["top"]
    assert _names(first) == _names(second) == ["net"] and _names(top) == []
    assert first._node.inputs[0]._node.site[2][0] is first._node.site[2][0]  # v * 2, + 1
    assert first._node.site[2][0] is not second._node.site[2][0]  # two calls of net


def test_callers_a_library_function_called_from_a_cell_is_no_call():
    import sysconfig

    where = sysconfig.get_paths()["stdlib"] + "/autogradviz_fake.py"
    library = compile("def helper(v):\n    return v * 3\n", where, "exec")
    helpers: dict = {}
    exec(library, helpers)
    cell = "x = nd.array([1.0])\nx.attach_grad()\nwith autograd.record():\n    y = helper(x)\n"
    assert _names(_run_cell(cell, helper=helpers["helper"])["y"]) == []


ENTRIES = """
x = nd.array([[1.0, 2.0]])
x.attach_grad()
w = nd.array([[1.0], [2.0]])
with autograd.record():
    a = x * 2
    b = 2 - x
    c = x ** 2 + a
    d = nd.dot(x, w)
    e = nd.relu(x)
    f = nd.exp(x)
    g = nd.sum(x, axis=0)
    h = x.mean()
    i = x.sum(axis=1)
    j = x.reshape((2, 1))
    k = x[0]
"""


def test_callers_every_way_of_making_an_op_finds_the_cell_at_once(monkeypatch):
    # Each entry point knows how deep the user's code is: no frame walk on the hot path.
    walks: list = []
    real = callers._outside_package
    monkeypatch.setattr(callers, "_outside_package", lambda f: walks.append(f) or real(f))
    space = _run_cell(ENTRIES)
    assert walks == []
    lines = {name: callers.site_location(space[name]._node.site)[1] for name in "abcdefghijk"}
    assert lines == {name: 6 + n for n, name in enumerate("abcdefghijk")}


def test_backward_notes_whether_it_ran_at_a_cells_top_level():
    from autogradviz.engine.listeners import add_backward_listener, remove_backward_listener

    runs: list = []
    add_backward_listener(runs.append)
    try:
        _run_cell("""
x = nd.array([1.0])
x.attach_grad()
with autograd.record():
    y = x * 2
y.backward()

def inside():
    with autograd.record():
        z = x * 3
    z.backward()

inside()
""")
    finally:
        remove_backward_listener(runs.append)
    assert [run.top_level for run in runs] == [True, False]


WITH_LOCAL = """
def with_local(v, box):
    local = Big()
    box.append(weakref.ref(local))
    return v * 2

x = nd.array([1.0])
x.attach_grad()
with autograd.record():
    y = with_local(x, box)
"""


def _local_outlives_its_call(then: str) -> bool:
    """Run ``WITH_LOCAL`` and ``then`` as one cell; return whether the call's local lives."""
    box: list = []
    _run_cell(WITH_LOCAL + then, box=box, Big=_Big, weakref=weakref)
    gc.collect()
    return box[0]() is not None


def test_callers_frames_are_let_go_after_a_backward_at_top_level():
    assert not _local_outlives_its_call("y.backward()\n")


NESTED = """
def inner(v):
    return v * 3

def outer(v):
    a = v * 2
    b = inner(a)
    return b + 1

x = nd.array([1.0])
x.attach_grad()
with autograd.record():
    out = outer(x)
"""


def test_callers_a_call_that_made_a_call_stays_one_call_after_it_returns():
    # Found in review: the ops of outer() after inner() returned got a second Call.
    out = _run_cell(NESTED)["out"]
    b = out._node.inputs[0]._node  # inner's v * 3
    a = b.inputs[0]._node  # outer's v * 2
    assert [c.name for c in b.site[2]] == ["outer", "inner"]
    assert a.site[2][0] is out._node.site[2][0] is b.site[2][0]


def test_callers_an_op_at_top_level_lets_the_last_calls_frames_go():
    # Without any backward (graph_of, a forward only): the function's locals must not linger.
    assert not _local_outlives_its_call("    z = y * 3\n")
