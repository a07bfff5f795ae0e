"""Each op's backward against its own forward: how much numpy work its VJP rule does.

For every differentiable op of the table, on float32 inputs of a training-sized shape
(256×256; a 128×10 batch of scores for the softmax family, ``pick`` and the cross-entropy),
the time of the op's forward (numpy alone) and of its backward (the VJP rules of every
input, run outside ``record()``). Issue 12's target: no backward costs more than about twice
its forward. A forward that only makes a view (a slice, a transpose) does no numpy work at
all, while any backward must at least write a gradient of its input's size; so the
reference is the forward or one copy of the inputs, whichever takes longer.
Usage: ``python benchmarks/op_costs.py`` (``make bench`` runs it too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks import timing

SIDE = 256
TARGET = 2.25  # backward / forward: "about twice"

# Ops whose inputs are not "one or two float arrays of the same shape", and what to give them.
SCORES = (128, 10)
_RNG = np.random.default_rng(0)


def _floats(shape: tuple, low: float = 0.5, high: float = 1.5) -> np.ndarray:
    return _RNG.uniform(low, high, shape).astype(np.float32)


def _labels() -> np.ndarray:
    return _RNG.integers(0, SCORES[1], SCORES[0]).astype(np.float32)


SPECIAL: dict[str, Callable[[], tuple[tuple, dict]]] = {
    "arcsin": lambda: ((_floats((SIDE, SIDE), -0.9, 0.9),), {}),
    "clip": lambda: ((_floats((SIDE, SIDE)),), {"a_min": 0.8, "a_max": 1.2}),
    "astype": lambda: ((_floats((SIDE, SIDE)),), {"dtype": np.float64}),
    "leaky_relu": lambda: ((_floats((SIDE, SIDE), -1.0, 1.0),), {}),
    "relu": lambda: ((_floats((SIDE, SIDE), -1.0, 1.0),), {}),
    "arccos": lambda: ((_floats((SIDE, SIDE), -0.9, 0.9),), {}),
    "dot": lambda: ((_floats((SIDE, SIDE)), _floats((SIDE, SIDE))), {}),
    "batch_dot": lambda: ((_floats((8, 64, 64)), _floats((8, 64, 64))), {}),
    "softmax": lambda: ((_floats(SCORES),), {}),
    "log_softmax": lambda: ((_floats(SCORES),), {}),
    "softmax_cross_entropy": lambda: ((_floats(SCORES), _labels()), {}),
    "pick": lambda: ((_floats(SCORES), _labels()), {}),
    "take": lambda: (
        (_floats((SIDE, SIDE)), _RNG.integers(0, SIDE, SIDE).astype(np.float32)),
        {},
    ),  # fmt: skip
    "where": lambda: (
        (
            _RNG.integers(0, 2, (SIDE, SIDE)).astype(np.float32),
            _floats((SIDE, SIDE)),
            _floats((SIDE, SIDE)),
        ),
        {},
    ),  # fmt: skip
    "concat": lambda: ((_floats((SIDE, SIDE)), _floats((SIDE, SIDE))), {"dim": 0}),
    "stack": lambda: ((_floats((SIDE, SIDE)), _floats((SIDE, SIDE))), {}),
    "broadcast_to": lambda: ((_floats((1, SIDE)),), {"shape": (SIDE, SIDE)}),
    "broadcast_like": lambda: ((_floats((1, SIDE)), _floats((SIDE, SIDE))), {}),
    "reshape": lambda: ((_floats((SIDE, SIDE)),), {"shape": (SIDE * 4, -1)}),
    "reshape_like": lambda: ((_floats((SIDE, SIDE)), _floats((SIDE * 4, SIDE // 4))), {}),
    "tile": lambda: ((_floats((SIDE, SIDE // 4)),), {"reps": (1, 4)}),
    "repeat": lambda: ((_floats((SIDE, SIDE // 4)),), {"repeats": 4, "axis": 1}),
    "expand_dims": lambda: ((_floats((SIDE, SIDE)),), {"axis": 0}),
    "squeeze": lambda: ((_floats((1, SIDE, SIDE)),), {}),
    "slice_axis": lambda: ((_floats((SIDE, SIDE)),), {"axis": 0, "begin": 0, "end": SIDE // 2}),
    "slice": lambda: ((_floats((SIDE, SIDE)),), {"begin": (0, 0), "end": (SIDE // 2, SIDE)}),
    "getitem": lambda: ((_floats((SIDE, SIDE)),), {"key": slice(0, SIDE // 2)}),
    "scatter_add": lambda: (
        (_floats((SIDE // 2, SIDE)),),
        {"shape": (SIDE, SIDE), "key": slice(0, SIDE // 2)},
    ),  # fmt: skip
    "swapaxes": lambda: ((_floats((SIDE, SIDE)),), {"dim1": 0, "dim2": 1}),
    "dropout": lambda: (
        (_floats((SIDE, SIDE)),),
        {"mask": (_RNG.random((SIDE, SIDE)) < 0.5) * 2.0},
    ),  # fmt: skip
    "sum": lambda: ((_floats((SIDE, SIDE)),), {"axis": 1}),
    "mean": lambda: ((_floats((SIDE, SIDE)),), {"axis": 1}),
    "nansum": lambda: ((_floats((SIDE, SIDE)),), {"axis": 1}),
    "prod": lambda: ((_floats((SIDE, SIDE), 0.99, 1.01),), {"axis": 1}),
    "max": lambda: ((_floats((SIDE, SIDE)),), {"axis": 1}),
    "min": lambda: ((_floats((SIDE, SIDE)),), {"axis": 1}),
    "norm": lambda: ((_floats((SIDE, SIDE)),), {"axis": 1}),
    "arccosh": lambda: ((_floats((SIDE, SIDE), 1.2, 3.0),), {}),
    "arctanh": lambda: ((_floats((SIDE, SIDE), -0.9, 0.9),), {}),
    "erfinv": lambda: ((_floats((SIDE, SIDE), -0.9, 0.9),), {}),
}


def _inputs(op: Any) -> tuple[tuple, dict]:
    if op.name in SPECIAL:
        return SPECIAL[op.name]()
    count = op.n_inputs if op.n_inputs is not None else 2
    return tuple(_floats((SIDE, SIDE)) for _ in range(count)), {}


def _steps(op: Any) -> dict[str, Callable[[], object]]:
    """The op's forward on numpy arrays, and its backward on the same inputs (NDArrays)."""
    from autogradviz import nd

    arrays, extra = _inputs(op)
    attrs = {**op.attrs, **extra}
    inputs = tuple(nd.array(a, dtype=a.dtype) for a in arrays)
    for x in inputs:
        x.attach_grad()  # (so that every input's rule runs; nothing is recorded)
    out = nd.array(op.forward(*arrays, **attrs))
    grad_out = nd.ones(out.shape, dtype=out.dtype)

    def forward() -> object:
        return op.forward(*arrays, **attrs)

    def backward() -> object:
        return op.vjp(grad_out, out, inputs, attrs)

    def copies() -> object:
        return [a.copy() for a in arrays]

    return {"forward": forward, "backward": backward, "copies": copies}


def differentiable_ops() -> list[Any]:
    """Every op of the table with at least one VJP rule, once each (aliases skipped)."""
    from autogradviz.ops import OPS

    return [op for name, op in sorted(OPS.items()) if op.name == name and any(op.vjps)]


def _settle_the_allocator() -> None:
    """Free a few big blocks first: glibc then serves 256 KB arrays from its heap.

    Until it has freed one such block, it maps fresh pages for each (a page fault per 4 KB),
    which made a backward that holds three temporaries at once look 4x slower than it is
    in any program that has run for a moment.
    """
    for _ in range(3):
        np.empty(4 * 10**6, np.float32).fill(0)


def run(repeats: int, min_time: float) -> list[tuple[str, float, float]]:
    """Return ``(op, reference seconds, backward seconds)`` for every differentiable op.

    The reference is the forward, or one copy of the inputs if that takes longer.
    """
    _settle_the_allocator()
    rows = []
    for op in differentiable_ops():
        seconds = timing.measure(_steps(op), repeats, min_time)
        reference = max(seconds["forward"], seconds["copies"])
        rows.append((op.name, reference, seconds["backward"]))
    return rows


def markdown(rows: list[tuple[str, float, float]]) -> str:
    """The table, worst ratio first."""
    lines = ["| op | forward or a copy (µs) | backward (µs) | ratio | target |",
             "|---|---|---|---|---|"]  # fmt: skip
    for name, forward, backward in sorted(rows, key=lambda r: -r[2] / r[1]):
        ratio = backward / forward
        verdict = "met" if ratio <= TARGET else "NOT met"
        lines.append(f"| {name} | {forward * 1e6:.1f} | {backward * 1e6:.1f} | {ratio:.2f}x | "
                     f"about 2x (<= {TARGET:g}x): {verdict} |")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(markdown(run(5, 0.02)))
