"""Scenario (a): per-op overhead. A chain of elementwise ops on shape-(3,) arrays.

The chain repeats four ops: ``y * w``, ``y + b``, ``tanh(y)``, ``exp(y)``, so it mixes
binary and unary ops, and ``w`` and ``b`` fan out to every cycle (their gradients add up).
On arrays this small numpy's own work is tiny: the time is the engine's Python overhead
of recording each op and running its rule backward. Reported per op.
"""

from __future__ import annotations

from typing import Any

import numpy as np

NAME = "(a) chain of 1,000 ops, shape (3,)"
UNIT = "µs/op"
SCALE = 1e6
OPS_PER_CYCLE = 4


def make_inputs(n_ops: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Return the leaves ``x``, ``w``, ``b`` (float32, shape (3,)) and the chain length."""
    rng = np.random.default_rng(seed)
    x, w, b = (rng.uniform(-0.5, 0.5, 3).astype(np.float32) for _ in range(3))
    return {"x": x, "w": w, "b": b, "cycles": n_ops // OPS_PER_CYCLE}


def units(inputs: dict[str, Any]) -> int:
    """The number of ops one step records."""
    return inputs["cycles"] * OPS_PER_CYCLE


def forward(x: Any, w: Any, b: Any, cycles: int, tanh: Any, exp: Any) -> Any:
    """The chain itself, written once for every library (they differ in tanh and exp)."""
    y = x
    for _ in range(cycles):
        y = exp(tanh(y * w + b))
    return y


# --------------------------------------------------------------------------- the numpy floor


def numpy_step(inputs: dict[str, Any]) -> Any:
    """Hand-written forward and backward: remember each cycle's values, then walk back."""
    x, w, b, cycles = inputs["x"], inputs["w"], inputs["b"], inputs["cycles"]

    def step() -> tuple:
        saved = []
        y = x
        for _ in range(cycles):
            t = np.tanh(y * w + b)
            out = np.exp(t)
            saved.append((y, t, out))
            y = out
        grad_y, grad_w, grad_b = np.ones_like(y), np.zeros_like(w), np.zeros_like(b)
        for y_in, t, out in reversed(saved):
            grad_y = grad_y * out  # through exp
            grad_y = grad_y * (1 - t * t)  # through tanh
            grad_b = grad_b + grad_y  # through + b
            grad_w = grad_w + grad_y * y_in  # through * w
            grad_y = grad_y * w
        return grad_y, grad_w, grad_b

    return step


# --------------------------------------------------------------------------- the engines


def autogradviz_step(inputs: dict[str, Any]) -> Any:
    """Record the chain with autogradviz and back-propagate from its (3,) output."""
    from autogradviz import autograd, nd

    x, w, b = (nd.array(inputs[k]) for k in "xwb")
    for leaf in (x, w, b):
        leaf.attach_grad()
    cycles = inputs["cycles"]

    def step() -> tuple:
        with autograd.record():
            y = forward(x, w, b, cycles, nd.tanh, nd.exp)
        y.backward()
        return x.grad, w.grad, b.grad

    return step


def torch_step(inputs: dict[str, Any], torch: Any) -> Any:
    """The same chain in PyTorch eager mode."""
    x, w, b = (torch.tensor(inputs[k], requires_grad=True) for k in "xwb")
    cycles, ones = inputs["cycles"], torch.ones(3)

    def step() -> tuple:
        x.grad = w.grad = b.grad = None  # PyTorch accumulates; start from zero each time
        forward(x, w, b, cycles, torch.tanh, torch.exp).backward(ones)
        return x.grad, w.grad, b.grad

    return step


def hips_step(inputs: dict[str, Any], hips: Any) -> Any:
    """The same chain in HIPS autograd: ``make_vjp`` records, calling the VJP runs backward."""
    anp, cycles = hips.numpy, inputs["cycles"]
    leaves = (inputs["x"], inputs["w"], inputs["b"])

    def chain(leaves: tuple) -> Any:
        return forward(*leaves, cycles, anp.tanh, anp.exp)

    def step() -> tuple:
        vjp, out = hips.make_vjp(chain)(leaves)
        return vjp(np.ones_like(out))

    return step
