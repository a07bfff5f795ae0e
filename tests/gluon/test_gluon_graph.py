"""A gluon model in the picture: one named box per layer, parameters by their gluon names.

Also ``autograd.group``, the named groups the Blocks use, for a student's own code.
"""

from __future__ import annotations

import pytest

import autogradviz as mx
from autogradviz import autograd, gluon, nd
from autogradviz.gluon import block as block_module
from autogradviz.gluon import nn
from autogradviz.render.boxes import boxes
from autogradviz.render.options import make_options

pytestmark = pytest.mark.usefixtures("with_capture")


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch):
    monkeypatch.setattr(block_module, "_global_counters", block_module._Counters())


def _names(node):
    """The node's calls from its first group on (the test functions around them dropped)."""
    ids = [call_id for call_id, _ in node.scope]
    first = next((k for k, call_id in enumerate(ids) if call_id.startswith("g")), len(ids))
    return [name for _, name in node.scope[first:]]


def _train_step():
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(8, activation="relu"), nn.Dense(3))
    net.initialize()
    x, label = nd.random.normal(shape=(4, 5)), nd.array([0, 1, 2, 1])
    with autograd.record():
        loss = gluon.loss.SoftmaxCrossEntropyLoss()(net(x), label)
    loss.backward()
    return mx.last_graph()


def test_gluon_graph_names_variables_after_their_parameters():
    graph = _train_step()
    names = {n.name for n in graph.nodes if n.kind == "variable"}
    assert names == {"sequential0_dense0_weight", "sequential0_dense0_bias",
                     "sequential0_dense1_weight", "sequential0_dense1_bias"}  # fmt: skip


def test_gluon_graph_one_group_per_block_call_nested_as_the_model():
    graph = _train_step()
    scopes = {n.op: _names(n) for n in graph.nodes if n.kind == "op"}
    assert scopes["relu"] == ["sequential0", "dense0"]  # the activation is in its layer's box
    assert scopes["pick"] == ["softmaxcrossentropyloss0"]


def test_gluon_graph_draws_the_network_as_its_layers_and_a_click_opens_one():
    graph = _train_step()
    drawn = boxes(graph, make_options())
    closed = {drawn.clusters[c].name for c in drawn.closed}
    assert closed == {"dense0", "dense1", "softmaxcrossentropyloss0"}
    assert [c.name for c in drawn.open_clusters] == ["sequential0"]
    dot = graph.to_dot()
    assert "<B>dense0</B>" in dot and "3 ops · click to open" in dot and "dense0()" not in dot
    dense0 = next(c for c in drawn.clusters.values() if c.name == "dense0").id
    opened = graph.to_dot(toggled=(dense0,))
    assert f"subgraph cluster_{dense0}" in opened and 'label="dense0"' in opened


def test_group_names_the_ops_of_a_block_of_code_and_nests():
    x = nd.array([1.0, 2.0])
    x.attach_grad()

    def helper(v):  # a function called inside a group draws no frame of its own
        return v * 2

    with autograd.record():
        with autograd.group("encoder"):
            h = helper(x)
            with autograd.group("inner"):
                h = h + 1
        y = (h * h).sum()
    y.backward()
    graph = mx.last_graph()
    multiply, add, total = (next(n for n in graph.nodes if n.op == op)
                            for op in ("multiply", "add", "sum"))  # fmt: skip
    assert _names(multiply) == ["encoder"]  # helper() draws no frame inside the group
    assert _names(add) == ["encoder", "inner"] and _names(total) == []


def test_group_inside_a_function_sits_in_that_functions_frame():
    x = nd.array([1.0])
    x.attach_grad()

    def model(v):
        with autograd.group("layer"):
            return v * 3

    with autograd.record():
        y = model(x) + 1
    y.backward()
    graph = mx.last_graph()
    multiply = next(n for n in graph.nodes if n.op == "multiply")
    assert [name for _, name in multiply.scope][-2:] == ["model", "layer"]


def test_group_records_nothing_without_a_viewer():
    mx.capture.disable()
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record(), autograd.group("g"):
        y = x * 2
    assert y._node.site is None


def test_group_as_a_decorator_and_a_paused_generator_leave_no_group_behind():
    x = nd.array([1.0])
    x.attach_grad()

    @autograd.group("scaled")
    def scaled(v):
        return v * 3

    def steps():
        with autograd.group("inside"):
            yield x * 2

    with autograd.record():
        generator = steps()
        doubled = next(generator)  # paused inside its group
        generator.close()  # leaves it: what was open before (nothing) is open again
        y = scaled(doubled) + 1
    y.backward()
    graph = mx.last_graph()
    doubling, tripling = (n for n in graph.nodes if n.op == "multiply")  # in creation order
    add = next(n for n in graph.nodes if n.op == "add")
    assert _names(doubling) == ["inside"] and _names(tripling) == ["scaled"]
    assert _names(add) == []  # the generator's group ended when it was closed


def test_gluon_text_listing_names_the_layer_of_each_op():
    text = _train_step().to_text(values=False, grads=False)
    relu = next(line for line in text.splitlines() if "  relu  " in line)
    assert relu.endswith("in sequential0 › dense0"), relu
    pick = next(line for line in text.splitlines() if "  pick" in line)
    assert pick.endswith("in softmaxcrossentropyloss0"), pick
