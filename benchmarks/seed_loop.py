"""Scenario (d): the seed tutorial's program with Python control flow.

From MXNet's autograd tutorial: double ``b = a * 2`` until its norm reaches 1000, keep it if
its sum is positive (else multiply by 100), and back-propagate the head gradient
``[0.1, 1.0, 0.0001]``. A whole run is a dozen tiny ops, so this measures a student's
everyday cell: creating a variable, recording, and one small backward. Reported per run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

NAME = "(d) seed tutorial while loop"
UNIT = "µs/run"
SCALE = 1e6
HEAD_GRADS = (0.1, 1.0, 0.0001)


def make_inputs(seed: int = 0) -> dict[str, Any]:
    """Return ``a`` (what ``nd.random_normal(shape=3)`` drew) and the head gradient."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(3).astype(np.float32)
    return {"a": a, "head_grads": np.array(HEAD_GRADS, dtype=np.float32)}


def units(inputs: dict[str, Any]) -> int:
    """One program run per call."""
    return 1


def numpy_step(inputs: dict[str, Any]) -> Any:
    """Forward by hand, counting the doublings; backward multiplies the head gradient back."""
    a, head_grads = inputs["a"], inputs["head_grads"]

    def step() -> np.ndarray:
        b, doublings = a * 2, 1
        while np.linalg.norm(b) < 1000:
            b, doublings = b * 2, doublings + 1
        positive = b.sum() > 0
        grad_b = head_grads if positive else head_grads * 100
        for _ in range(doublings):
            grad_b = grad_b * 2
        return grad_b

    return step


def autogradviz_step(inputs: dict[str, Any]) -> Any:
    """The tutorial's code as written, with ``import autogradviz as mx``."""
    import autogradviz as mx
    from autogradviz import autograd, nd

    a_values, head_grads = inputs["a"], nd.array(inputs["head_grads"])

    def step() -> Any:
        a = nd.array(a_values)
        a.attach_grad()
        with autograd.record():
            b = a * 2
            while (nd.norm(b) < 1000).asscalar():
                b = b * 2
            if (mx.nd.sum(b) > 0).asscalar():
                c = b
            else:
                c = 100 * b
        c.backward(head_grads)
        return a.grad

    return step


def torch_step(inputs: dict[str, Any], torch: Any) -> Any:
    """The same program in PyTorch eager mode."""
    a_values, head_grads = inputs["a"], torch.from_numpy(inputs["head_grads"])

    def step() -> Any:
        a = torch.tensor(a_values, requires_grad=True)
        b = a * 2
        while torch.linalg.vector_norm(b) < 1000:
            b = b * 2
        c = b if b.sum() > 0 else 100 * b
        c.backward(head_grads)
        return a.grad

    return step


def hips_step(inputs: dict[str, Any], hips: Any) -> Any:
    """The same program in HIPS autograd (its boxes support the comparisons)."""
    anp, a_values, head_grads = hips.numpy, inputs["a"], inputs["head_grads"]

    def program(a: Any) -> Any:
        b = a * 2
        while anp.linalg.norm(b) < 1000:
            b = b * 2
        return b if anp.sum(b) > 0 else 100 * b

    def step() -> Any:
        vjp, _ = hips.make_vjp(program)(a_values)
        return vjp(head_grads)

    return step
