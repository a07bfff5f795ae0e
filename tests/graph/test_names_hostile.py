"""Finding variable names never runs the user's code (issue 12's first bug, fixed in passing).

A class that keeps its parameters in a dict and looks them up in ``__getattr__`` raises
``KeyError`` for ``_node``; ``hasattr`` would call it and the student's backward would fail
only with the viewer on.
"""

from __future__ import annotations

import pytest

import autogradviz as mx
from autogradviz import autograd, nd

pytestmark = pytest.mark.usefixtures("with_capture")


class _Params:
    def __init__(self) -> None:
        self.calls = 0
        self.store = {"w": nd.array([2.0])}

    def __getattr__(self, name):
        self.__dict__["calls"] = self.__dict__.get("calls", 0) + 1
        return self.__dict__["store"][name]  # KeyError for anything else, like '_node'


def test_names_user_object_with_a_raising_getattr_is_never_asked():
    params = _Params()
    params.w.attach_grad()
    with autograd.record():
        loss = (params.w * 3).sum()
    calls = params.calls
    loss.backward()  # with capture on: names are looked up here
    assert params.calls == calls  # not one __getattr__ call from us
    graph = mx.last_graph()
    assert graph.node("loss").grad_kind == "flowed"


def _hostile_classes():
    """A metaclass whose class-level attribute hooks count and raise, and a class using it.

    Made inside a function: pytest itself inspects module-level classes.
    """
    seen = {"calls": 0}

    class Spiteful(type):
        def __getattr__(cls, name):
            seen["calls"] += 1
            raise KeyError(name)

        def __getattribute__(cls, name):
            seen["calls"] += 1
            return type.__getattribute__(cls, name)

    class Hostile(metaclass=Spiteful):
        def __getattr__(self, name):
            raise RuntimeError(name)

        def __eq__(self, other):
            raise RuntimeError("eq")

        def __hash__(self):
            raise RuntimeError("hash")

        def __bool__(self):
            raise RuntimeError("bool")

    return Hostile, seen


def test_names_a_metaclass_with_raising_hooks_is_never_asked_either():
    hostile_class, seen = _hostile_classes()
    hostile = hostile_class()  # a local of this function, as a step's helper object would be
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = (x * 2).sum()
    seen["calls"] = 0
    y.backward()
    graph = mx.last_graph()
    assert seen["calls"] == 0 and hostile is not None
    assert graph.node("y").op == "sum" and graph.node("x").grad_kind == "buffer"


def test_names_a_namespace_with_a_key_that_is_not_a_string_is_read_anyway():
    import __main__

    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = (x * 2).sum()
    vars(__main__)[1] = 2  # globals()[1] = 2 in a notebook
    try:
        y.backward()
        assert mx.last_graph().node("y").op == "sum"
    finally:
        del vars(__main__)[1]
