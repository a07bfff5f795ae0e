"""Scenario (c): backward through a big random graph of one-element ops.

The graph has 16 leaves of shape (1,) and 10,000 ops. Op ``i`` is ``tanh``, ``sin``, ``+``
or ``*`` (``+`` twice as often as the others, which keeps values and leaf gradients in a
readable range instead of vanishing). Its first input is node ``i - 1``; a binary op's
second input is any earlier node, drawn at random. Chaining the first input keeps all
10,000 ops upstream of the head, so backward visits every one of them; the random second
inputs make the fan-out that forces real gradient accumulation. Reported per op, for
record + backward and for backward alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

NAME = "(c) random DAG, 10,000 ops, shape (1,)"
NAME_BACKWARD = "(c) same DAG, backward only"
UNIT = "µs/op"
SCALE = 1e6
KINDS = ("tanh", "sin", "add", "multiply")
N_LEAVES = 16
WEIGHTS = (0.2, 0.2, 0.4, 0.2)  # how often each of KINDS is drawn


def make_inputs(n_ops: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """Return the leaf values and the op list: ``(kind, index of the second input or -1)``."""
    rng = np.random.default_rng(seed)
    leaves = [rng.uniform(-1, 1, 1).astype(np.float32) for _ in range(N_LEAVES)]
    kinds = rng.choice(len(KINDS), n_ops, p=WEIGHTS)
    ops = []
    for i, kind in enumerate(kinds):
        n_earlier = N_LEAVES + i  # nodes 0 .. n_earlier-1 exist when op i runs
        other = int(rng.integers(0, n_earlier)) if KINDS[kind] in ("add", "multiply") else -1
        ops.append((KINDS[kind], other))
    return {"leaves": leaves, "ops": ops}


def units(inputs: dict[str, Any]) -> int:
    """The number of ops one step records."""
    return len(inputs["ops"])


def forward(leaves: list, ops: list, tanh: Any, sin: Any) -> list:
    """Build the graph; return every node's value (the leaves first, the head last)."""
    nodes = list(leaves)
    for kind, other in ops:
        last = nodes[-1]
        if kind == "tanh":
            nodes.append(tanh(last))
        elif kind == "sin":
            nodes.append(sin(last))
        elif kind == "add":
            nodes.append(last + nodes[other])
        else:
            nodes.append(last * nodes[other])
    return nodes


# --------------------------------------------------------------------------- the numpy floor


def numpy_backward(leaves: list, ops: list, nodes: list) -> list:
    """Hand-written backward: one gradient slot per node, filled from the head down."""
    grads: list = [None] * len(nodes)
    grads[-1] = np.ones_like(nodes[-1])
    for i in range(len(nodes) - 1, N_LEAVES - 1, -1):
        grad_out, (kind, other) = grads[i], ops[i - N_LEAVES]
        last = i - 1
        if kind == "tanh":
            parts = [(last, grad_out * (1 - nodes[i] * nodes[i]))]
        elif kind == "sin":
            parts = [(last, grad_out * np.cos(nodes[last]))]
        elif kind == "add":
            parts = [(last, grad_out), (other, grad_out)]
        else:
            parts = [(last, grad_out * nodes[other]), (other, grad_out * nodes[last])]
        for j, grad in parts:
            grads[j] = grad if grads[j] is None else grads[j] + grad
    return [
        g if g is not None else np.zeros_like(x)
        for g, x in zip(grads[:N_LEAVES], leaves, strict=True)
    ]


def numpy_prepare(inputs: dict[str, Any]) -> Any:
    """Untimed forward; returns the timed backward."""
    leaves, ops = inputs["leaves"], inputs["ops"]
    nodes = forward(leaves, ops, np.tanh, np.sin)
    return lambda: numpy_backward(leaves, ops, nodes)


def numpy_step(inputs: dict[str, Any]) -> Any:
    """Forward and backward by hand."""
    return lambda: numpy_prepare(inputs)()


# --------------------------------------------------------------------------- the engines


def autogradviz_prepare(inputs: dict[str, Any]) -> Any:
    """Record the graph (untimed); return its backward pass."""
    from autogradviz import autograd, nd

    leaves = [nd.array(x) for x in inputs["leaves"]]
    for leaf in leaves:
        leaf.attach_grad()
    with autograd.record():
        head = forward(leaves, inputs["ops"], nd.tanh, nd.sin)[-1]

    def backward() -> list:
        head.backward()
        return [leaf.grad for leaf in leaves]

    return backward


def autogradviz_step(inputs: dict[str, Any]) -> Any:
    """Record and back-propagate (leaves are recreated each time: cheap next to 10,000 ops)."""
    return lambda: autogradviz_prepare(inputs)()


def torch_prepare(inputs: dict[str, Any], torch: Any) -> Any:
    """Record the graph in PyTorch (untimed); return its backward pass."""
    leaves = [torch.tensor(x, requires_grad=True) for x in inputs["leaves"]]
    head = forward(leaves, inputs["ops"], torch.tanh, torch.sin)[-1]

    def backward() -> list:
        head.backward()
        return [leaf.grad for leaf in leaves]

    return backward


def torch_step(inputs: dict[str, Any], torch: Any) -> Any:
    """Record and back-propagate in PyTorch."""
    return lambda: torch_prepare(inputs, torch)()


def hips_prepare(inputs: dict[str, Any], hips: Any) -> Any:
    """Trace the graph with ``make_vjp`` (untimed); return the VJP call."""
    anp, ops = hips.numpy, inputs["ops"]

    def head_of(leaves: list) -> Any:
        return forward(leaves, ops, anp.tanh, anp.sin)[-1]

    vjp, head = hips.make_vjp(head_of)(inputs["leaves"])

    def backward() -> list:
        # HIPS's tanh rule divides by cosh(x)², which overflows to inf (harmlessly) for big x.
        with np.errstate(over="ignore"):
            return vjp(np.ones_like(head))

    return backward


def hips_step(inputs: dict[str, Any], hips: Any) -> Any:
    """Trace and back-propagate in HIPS autograd."""
    return lambda: hips_prepare(inputs, hips)()
