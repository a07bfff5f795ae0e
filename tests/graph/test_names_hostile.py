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
