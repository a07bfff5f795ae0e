"""The ops of one call of a user's function are framed together, or closed into one box.

Flat code stays flat (calls around the whole graph say nothing); variables stay outside the
frames, where students look for them; a big graph starts with its frames closed (issue 11).
"""

from __future__ import annotations

import re

import pytest
from graph_programs import dense, mlp_program, seed_program

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.graph.clusters import clusters_of
from autogradviz.graph.fold import fold_groups
from autogradviz.render.boxes import boxes
from autogradviz.render.options import COLLAPSE_ABOVE, make_options

pytestmark = pytest.mark.usefixtures("with_capture")


def _clusters(graph):
    clusters, _ = clusters_of(graph, fold_groups(graph))
    return clusters


def test_clusters_flat_code_stays_flat():
    seed_program()  # its ops are all inside seed_program(): a frame around everything
    assert _clusters(mx.last_graph()) == {}
    assert "subgraph cluster_c" not in mx.last_graph().to_dot()


def test_clusters_follow_the_calls_and_leave_variables_outside():
    mlp_program()
    graph = mx.last_graph()
    clusters = _clusters(graph)
    assert [(c.name, c.parent is None) for c in clusters.values()] == [
        ("net", True), ("dense", False), ("dense", False)
    ]  # fmt: skip
    net = next(c for c in clusters.values() if c.name == "net")
    ops = [graph.node(g.first).op for g in net.all_groups(clusters)]
    assert sorted(ops) == sorted(["dot", "add", "dot", "add", "relu", "dot", "add", "relu"])
    dot = graph.to_dot(collapse="none")
    frame = dot.split("subgraph cluster_c", 1)[1]
    for name in ("W1", "b1", "W2", "W3"):
        assert f"<B>{name}</B>" not in frame  # variables are drawn outside every frame
    assert dot.count("subgraph cluster_c") == 3 and 'label="dense()"' in dot


def test_clusters_closed_frame_is_one_box_with_the_arrows_of_its_ops():
    params, _ = mlp_program()
    graph = mx.last_graph()
    dot = graph.to_dot(collapse="all")
    net_id = next(c.id for c in _clusters(graph).values() if c.name == "net")
    assert re.search(rf"  {net_id} \[label=<<B>net\(\)</B>.*8 ops · click to open", dot)
    for name in ("W1", "b1", "W2", "b2", "W3", "b3"):
        assert f"  {graph.node(name).id} -> {net_id} " in dot
    assert "subgraph cluster_c" not in dot and " dot · " not in dot
    assert f"{net_id} -> {graph.node('loss').inputs[0]} " in dot  # into the loss's op
    opened = graph.to_dot(collapse="all", toggled=(net_id,))
    assert "subgraph cluster_" + net_id in opened and "label=<<B>dense()</B>" in opened


def test_clusters_close_by_default_only_for_big_graphs():
    mlp_program()
    assert "subgraph cluster_c" in mx.last_graph().to_dot()  # 18 boxes: drawn open
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        h = x
        for _ in range(COLLAPSE_ABOVE):
            h = dense(h, x, x)
        loss = h.sum()
    loss.backward()
    drawn = boxes(mx.last_graph(), make_options())
    assert len(drawn.closed) == COLLAPSE_ABOVE and not drawn.open_clusters


def test_rank_direction_reads_short_graphs_across_and_long_ones_down():
    seed_program()
    assert "rankdir=LR" in mx.last_graph().to_dot()
    mlp_program()
    assert "rankdir=TB" in mx.last_graph().to_dot()
    assert "rankdir=LR" in mx.last_graph().to_dot(rankdir="LR")


def test_options_toggled_must_be_call_ids():
    with pytest.raises(ValueError, match="toggled must be a tuple of call ids"):
        make_options(toggled="c0")


def test_clusters_closed_box_shows_what_the_call_returned():
    x = nd.array([1.0, 2.0])
    x.attach_grad()

    def model(v):
        out = v * 3
        penalty = (v * v).sum()  # made last, but returned first
        return out, penalty

    with autograd.record():
        out, _ = model(x)
        loss = out.sum()
    loss.backward()
    graph = mx.last_graph()
    dot = graph.to_dot(collapse="all")
    box = next(line for line in dot.splitlines() if "<B>model()</B>" in line)
    assert "returns 2 float32" in box  # out (shape 2), not the scalar penalty


def test_clusters_highlight_reaches_the_arrows_into_a_closed_box():
    x = nd.array([1.0])
    x.attach_grad()

    def f(v):
        a = v * 2
        return a * v

    with autograd.record():
        y = f(x) + 1
    y.backward()
    graph = mx.last_graph()
    inner = next(n.id for n in graph.nodes if n.op == "multiply" and len(n.inputs) == 2)
    dot = graph.to_dot(collapse="all", highlight=inner)
    arrow = next(
        line for line in dot.splitlines() if line.strip().startswith(f"{graph.node('x').id} -> c")
    )
    assert "#ff7f0e" in arrow, arrow
