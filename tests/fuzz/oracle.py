"""The checks run on every fuzzed program, and the statistics ``make fuzz`` prints.

1. Forward: every value autogradviz computes (in the program's dtype) matches numpy's float64
   reference, and both take the same branches.
2. Gradients: ``backward``/``grad`` in float64 match central differences of the numpy program
   as a function of its variables (cut values and branch decisions held fixed); gradients in
   the program's dtype have the variables' shapes and dtypes and match float64 ones.
3. Second order (a sample of programs): a Hessian-vector product from
   ``autograd.grad(create_graph=True)`` matches central differences of the gradient.
4. Aliasing: what ``grad`` returns shares memory with nothing the caller holds.
A program that comes too close to a kink, tie or branch threshold, or overflows, is rejected.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from autogradviz import autograd, nd
from autogradviz.engine.tape import in_graph

from .interpret import Trace, make_leaves, run_mx, run_numpy
from .program import describe, leaf_array

MARGIN = {"float64": 1e-4, "float32": 1e-3, "float16": 3e-2}
FORWARD_TOL = {"float64": 1e-9, "float32": 1e-3, "float16": 3e-2}
STATS: Counter = Counter()
OPS_SEEN: Counter = Counter()
SHAPES_SEEN: Counter = Counter()


class RejectedError(Exception):
    """The program leaves the region where the comparison is meaningful."""


class MismatchError(AssertionError):
    """autogradviz disagrees with the reference."""


def check_program(program: dict) -> None:
    """Run every check on ``program``; raise :class:`RejectedError` or :class:`MismatchError`."""
    reference, trace = run_numpy(program)
    lowest = lowest_precision(program)
    _admissible(program, reference, trace, lowest)
    _count(program, reference)
    values, decisions, grads = forward_backward(program, program["dtype"])
    _compare_forward(program, reference, values, lowest)
    if decisions != trace.decisions:
        raise MismatchError(f"branches taken {decisions}, numpy took {trace.decisions}")
    if lowest == "float64":
        grads64 = grads
    else:
        grads64 = forward_backward(program, "float64", upcast=True)[2]
    _compare_numeric(program, reference, trace, grads64)
    if lowest == "float32":
        for i, grad in grads.items():
            _close(grad, grads64[i], 2e-3, 2e-3 * (1 + np.max(np.abs(grads64[i]), initial=0)),
                   f"float32 gradient of v{i} vs float64")  # fmt: skip
    custom = any(step["op"] == "function" for step in program["steps"])  # (not twice
    small = sum(leaf_array(s).size for s in _variables(program)) <= 16  # differentiable)
    if program["second_order"] and small and not custom:
        STATS["second order"] += 1
        _check_second_order(program, trace)


def lowest_precision(program: dict) -> str:
    """The least precise float type the program computes in (its dtype or an ``astype``)."""
    dtypes = {program["dtype"]}
    for step in program["steps"]:
        if step["op"] == "astype":
            dtypes.add(step["attrs"]["dtype"])
        elif step["op"] in ("argmax", "argmin"):  # MXNet gives indices as float32
            dtypes.add("float32")
    return next(d for d in ("float16", "float32", "float64") if d in dtypes)


def _variables(program: dict) -> list[dict]:
    return [s for s in program["steps"] if s["op"] == "leaf" and s["variable"]]


def _variable_ids(program: dict) -> list[int]:
    return [i for i, s in enumerate(program["steps"]) if s["op"] == "leaf" and s["variable"]]


def _admissible(program: dict, reference: dict, trace: Trace, lowest: str) -> None:
    for value in reference.values():
        if not np.all(np.isfinite(value)) or np.max(np.abs(value), initial=0) > 1e5:
            raise RejectedError("overflow or NaN")
    margin = MARGIN[lowest]
    for distance, why in trace.margins:
        if distance < margin:
            raise RejectedError(f"too close to a kink of {why}")


def _count(program: dict, reference: dict) -> None:
    STATS["programs"] += 1
    STATS[f"dtype {program['dtype']}"] += 1
    STATS[f"api {program['api']}"] += 1
    STATS["steps"] += len(program["steps"])
    STATS["heads"] += len(program["heads"])
    for step in program["steps"]:
        OPS_SEEN[step["op"]] += 1
        STATS["paused steps"] += bool(step.get("paused"))
        if step["op"] == "leaf":
            SHAPES_SEEN[tuple(step["shape"])] += 1
    if any(v.size == 0 for v in reference.values()):
        STATS["programs with size-0 values"] += 1


# ----------------------------------------------------------------------------- autogradviz runs


def _heads(program: dict, values: dict) -> tuple[list, list]:
    heads = [values[h] for h in program["heads"]]
    head_grads = [
        None if g is None else nd.array(np.reshape(g, h.shape), dtype=h.dtype)
        for h, g in zip(heads, program["head_grads"], strict=True)
    ]
    return heads, head_grads


def forward_backward(program: dict, dtype: str, replay: Trace | None = None,
                     overrides: dict | None = None, upcast: bool = False
                     ) -> tuple[dict, dict, dict]:  # fmt: skip
    """Values, branch decisions and the variables' gradients (as numpy), by autogradviz."""
    leaves = make_leaves(program, dtype, overrides)
    with autograd.record():
        values, trace = run_mx(program, leaves, replay, upcast)
    heads, head_grads = _heads(program, values)
    ids = _variable_ids(program)
    if program["api"] == "grad":
        results = autograd.grad(heads, [leaves[i] for i in ids], head_grads)
        _no_shared_memory(results, head_grads, [leaves[i] for i in ids])
        grads = {i: r.asnumpy() for i, r in zip(ids, results, strict=True)}
    else:
        rounds = 2 if program["twice"] else 1
        for k in range(rounds):
            retain = k < rounds - 1
            if program["api"] == "method":
                heads[0].backward(head_grads[0], retain_graph=retain)
            else:
                autograd.backward(heads, head_grads, retain_graph=retain)
        _no_shared_memory([leaves[i].grad for i in ids], head_grads, [])
        grads = {}
        for i in ids:
            added = program["steps"][i]["grad_req"] == "add"
            grads[i] = leaves[i].grad.asnumpy() / (rounds if added else 1)
    for i in ids:
        if grads[i].shape != leaves[i].shape or grads[i].dtype != leaves[i]._data.dtype:
            raise MismatchError(f"gradient of v{i} is {grads[i].dtype}{grads[i].shape}, the "
                           f"variable {leaves[i]._data.dtype}{leaves[i].shape}")  # fmt: skip
    return values, trace.decisions, grads


def _no_shared_memory(results: list, head_grads: list, variables: list) -> None:
    """``grad``'s answers (or the ``.grad`` buffers after ``backward``) are arrays of their
    own: none shares memory with another, a head gradient the caller passed, or a ``.grad``
    buffer (MXNET_API.md §1.4)."""
    others = [g._data for g in head_grads if g is not None] + [
        v._node.grad_data for v in variables if v._node.grad_data is not None
    ]
    for k, result in enumerate(results):
        for other in [r._data for r in results[k + 1 :]] + others:
            if np.shares_memory(result._data, other):
                raise MismatchError(
                    f"the gradient grad() returned for variable {k} shares "
                    "memory with another answer, a head gradient or a buffer"
                )


# ----------------------------------------------------------------------------- comparisons


def _close(actual: Any, expected: Any, rtol: float, atol: float, what: str) -> None:
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    if actual.shape != expected.shape:
        raise MismatchError(f"{what}: shape {actual.shape}, expected {expected.shape}")
    error = np.abs(actual - expected)
    bad = error > atol + rtol * np.abs(expected)
    if np.any(bad):
        worst = np.unravel_index(int(np.argmax(error)), error.shape)
        raise MismatchError(f"{what}: max error {np.max(error):.3g} at {worst} (got "
                       f"{actual[worst]:.8g}, expected {expected[worst]:.8g})")  # fmt: skip


def _compare_forward(program: dict, reference: dict, values: dict, lowest: str) -> None:
    tol = FORWARD_TOL[lowest]
    for i, step in enumerate(program["steps"]):
        inputs = [reference[a] for a in step.get("args", []) if isinstance(a, int)]
        scale = 1 + max([np.max(np.abs(v), initial=0) for v in [reference[i], *inputs]])
        _close(values[i].asnumpy(), reference[i], tol, tol * scale, f"forward value v{i}")


def _objective(program: dict, values: dict) -> float:
    total = 0.0
    for h, g in zip(program["heads"], program["head_grads"], strict=True):
        weight = 1.0 if g is None else np.reshape(g, values[h].shape)
        total += float(np.sum(values[h] * weight))
    return total


def _numeric(function: Any, program: dict, i: int, index: tuple, eps: float) -> float:
    base = leaf_array(program["steps"][i])
    sides = []
    for step in (eps, -eps):
        shifted = base.copy()
        shifted[index] += step
        sides.append(function({i: shifted}))
    return (sides[0] - sides[1]) / (2 * eps)


def _compare_numeric(program: dict, reference: dict, trace: Trace, grads: dict) -> None:
    """float64 gradients against central differences of the numpy program."""

    def objective(overrides: dict) -> float:
        return _objective(program, run_numpy(program, overrides, trace)[0])

    scale = 1 + _objective({**program, "head_grads": [
        None if g is None else np.abs(g).tolist() for g in program["head_grads"]]},
        {k: np.abs(v) for k, v in reference.items()})  # fmt: skip
    _compare_elements(objective, program, grads, 1e-5, 1e-7 * scale, "gradient")


def _compare_elements(function: Any, program: dict, grads: dict, rtol: float, atol: float,
                      what: str) -> None:  # fmt: skip
    """Element by element; an element fails only if three step sizes all disagree."""
    for i, grad in grads.items():
        for index in np.ndindex(grad.shape):
            errors = []
            for eps in (1e-6, 1e-5, 1e-7):
                numeric = _numeric(function, program, i, index, eps)
                errors.append((abs(grad[index] - numeric), numeric))
                if errors[-1][0] <= atol + rtol * abs(numeric):
                    break
            else:
                error, numeric = min(errors)
                raise MismatchError(f"{what} of v{i} at {index}: backward {grad[index]:.10g}, "
                               f"finite differences {numeric:.10g}")  # fmt: skip


# ----------------------------------------------------------------------------- second order


def _weighted_gradient(program: dict, trace: Trace, weights: dict, overrides: dict) -> float:
    grads = forward_backward({**program, "api": "grad"}, "float64", trace, overrides, True)[2]
    return float(sum(np.sum(grads[i] * w) for i, w in weights.items()))


def _check_second_order(program: dict, trace: Trace) -> None:
    """d/dx Σ w·grad(x) by ``grad(create_graph=True)`` against finite differences."""
    rng = np.random.default_rng(len(describe(program)))
    ids = _variable_ids(program)
    weights = {i: rng.normal(size=program["steps"][i]["shape"]) for i in ids}
    leaves = make_leaves(program, "float64")
    with autograd.record():
        values, _ = run_mx(program, leaves, trace, upcast=True)
        heads, head_grads = _heads(program, values)
        grads = autograd.grad(heads, [leaves[i] for i in ids], head_grads, create_graph=True)
        total = sum((g * nd.array(weights[i], dtype="float64")).sum()
                    for i, g in zip(ids, grads, strict=True))  # fmt: skip
    if in_graph(total):
        second = autograd.grad(total, [leaves[i] for i in ids])
        hvp = {i: s.asnumpy() for i, s in zip(ids, second, strict=True)}
    else:  # the gradient does not depend on the variables (a linear program)
        hvp = {i: np.zeros(leaves[i].shape) for i in ids}

    def weighted(overrides: dict) -> float:
        return _weighted_gradient(program, trace, weights, overrides)

    scale = 1 + max(abs(weighted({})), 1.0)
    _compare_elements(weighted, program, hvp, 1e-4, 1e-6 * scale, "second derivative")
