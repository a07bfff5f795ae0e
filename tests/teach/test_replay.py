"""Replaying a graph's tape: every op of the table, run again from its recorded inputs.

Parametrized over the op table (``tests/op_samples.py``), so a new op whose ``nd.<op>``
cannot be called back from its recorded attributes fails here.
"""

from __future__ import annotations

import numpy as np
import pytest
from op_samples import SAMPLES, Sample
from student_functions import fails_when_replayed

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.graph import graph_of
from autogradviz.ndarray.functions import call
from autogradviz.ops import OPS
from autogradviz.teach import ReplayError, check, replay


def _samples(name: str) -> list[Sample]:
    """The op's samples with a float input (one_hot's integer ones have nothing to record)."""
    return [s for s in SAMPLES[name] if any(np.asarray(x).dtype.kind == "f" for x in s.inputs)]


RECORDABLE = sorted(name for name in OPS if _samples(name))


def test_replay_covers_every_op_with_a_float_input() -> None:
    assert set(OPS) - set(RECORDABLE) == {"one_hot"}  # integer indices in, nothing recorded


def _recorded(name: str, sample: Sample) -> tuple[mx.graph.Graph, list, nd.NDArray]:
    """Record one call of op ``name`` on ``sample`` and back-propagate random weights."""
    inputs = [nd.array(x, dtype=x.dtype) for x in sample.inputs]
    floats = [x for x in inputs if np.dtype(x.dtype).kind == "f"]
    for x in floats:
        x.attach_grad()
    with autograd.record():
        out = call(OPS[name], inputs, dict(sample.attrs))
    weights = np.random.default_rng(0).normal(size=out.shape)
    mx.capture.enable()
    try:
        out.backward(nd.array(weights, dtype=out.dtype))
        return mx.last_graph(), floats, out
    finally:
        mx.capture.disable()


@pytest.mark.parametrize("name", RECORDABLE)
def test_replay_every_op_gives_the_recorded_value(name: str) -> None:
    for sample in _samples(name):
        graph, _, out = _recorded(name, sample)
        values = replay.forward(graph)
        np.testing.assert_allclose(values[graph.heads[0]], out.asnumpy(), rtol=1e-12,
                                   err_msg=f"{name} with {sample}")  # fmt: skip


@pytest.mark.parametrize("name", RECORDABLE)
def test_replay_every_op_passes_check_on_its_rule_and_its_inputs(name: str) -> None:
    for sample in _samples(name):
        graph, floats, _ = _recorded(name, sample)
        result = check(graph, graph.heads[0])
        assert result.ok, f"{name} with {sample}: {result}"
        for node in graph.nodes:
            if node.kind == "variable":
                result = check(graph, node.id)
                assert result.ok, f"{name} with {sample}: {result}"


def test_replay_chains_the_rules_like_backward() -> None:
    x = nd.array([0.5, -1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = nd.tanh(x * x) * 3
        z = (y * x).sum()
    z.backward(retain_graph=True)
    graph = graph_of(z)
    grads = replay.backward(graph, replay.forward(graph))
    np.testing.assert_allclose(grads[graph.node("x").id], x.grad.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(grads[graph.node("y").id], x.asnumpy(), rtol=1e-6)


def test_replay_changed_value_moves_everything_downstream() -> None:
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    graph = graph_of(y)
    values = replay.forward(graph, {graph.node("x").id: np.array([3.0, 4.0])})
    assert values[graph.heads[0]].tolist() == [25.0]
    assert values[graph.node("x").id].dtype == np.float64


def test_replay_refuses_a_graph_too_big_to_keep_and_says_how() -> None:
    x = nd.ones((100, 100))
    x.attach_grad()
    with autograd.record():
        y = (x * 2).sum()
    graph = graph_of(y, replay_limit=1000)
    with pytest.raises(ReplayError, match=r"10,000 numbers, more than the 1,000.*replay_limit"):
        replay.forward(graph)


def test_replay_refuses_a_hand_made_graph() -> None:
    graph = mx.graph.Graph((), (), ())
    with pytest.raises(ReplayError, match="not recorded by autogradviz"):
        replay.forward(graph)


def test_replay_keeps_the_values_the_pass_used_after_an_sgd_step() -> None:
    mx.capture.enable()
    try:
        w = nd.array([1.0, 2.0])
        w.attach_grad()
        with autograd.record():
            loss = (w * w).sum()
        loss.backward()
        w[:] = w - 0.1 * w.grad
        graph = mx.last_graph()
    finally:
        mx.capture.disable()
    assert replay.forward(graph)[graph.heads[0]].tolist() == [5.0]


def test_replay_failure_of_a_student_function_names_the_box() -> None:
    fragile = fails_when_replayed("only once, please")
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = fragile()(x)
    graph = graph_of(y)
    with pytest.raises(ReplayError, match=r"box n1 \(Fragile\).*RuntimeError: only once"):
        replay.forward(graph)
