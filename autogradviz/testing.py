"""``check_grads``: compare backward's gradients with central finite differences (float64).

Students can use it on their own functions and custom ``autograd.Function`` rules.
Imports numpy and the core only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import autograd
from .engine.listeners import muted
from .errors import AutogradvizError, shape_text
from .ndarray import NDArray


class GradientCheckError(AutogradvizError, AssertionError):
    """A gradient from ``backward`` disagrees with finite differences."""


def _float64_copies(arrays: tuple) -> list[NDArray]:
    copies = []
    for x in arrays:
        data = np.array(x._data if isinstance(x, NDArray) else x)
        copies.append(NDArray(data.astype(np.float64) if data.dtype.kind == "f" else data))
    return copies


def _differentiable(xs: list[NDArray]) -> list[int]:
    return [i for i, x in enumerate(xs) if x._data.dtype.kind == "f"]


def _output(fn: Callable, xs: list[NDArray]) -> NDArray:
    out = fn(*xs)
    if not isinstance(out, NDArray):
        raise TypeError(f"check_grads: fn must return one NDArray, got {type(out).__name__}.")
    return out


def _analytic(fn: Callable, xs: list[NDArray], wrt: list[int], head: np.ndarray) -> tuple:
    """Gradients of Σ head·fn(xs) by backward, plus the names of the ops recorded."""
    xs = [NDArray(x._data.copy()) for x in xs]
    for i in wrt:
        xs[i].attach_grad()
    with autograd.record():
        out = _output(fn, xs)
    ops = _op_names(out)
    if ops is None:  # output does not depend on the inputs at all
        return [np.zeros_like(xs[i]._data) for i in wrt], []
    out.backward(NDArray(head.astype(out._data.dtype)))
    return [xs[i]._node.grad_data.copy() for i in wrt], ops


def _op_names(out: NDArray) -> list[str] | None:
    try:
        nodes = autograd.get_symbol(out).nodes
    except AutogradvizError:
        return None
    return sorted({node.op.name for node in nodes if node.op is not None})


def _numeric(fn: Callable, xs: list[NDArray], i: int, head: np.ndarray, eps: float) -> np.ndarray:
    """Central differences of Σ head·fn(xs) with respect to input ``i``, element by element."""
    x = xs[i]._data
    grad = np.zeros_like(x)
    with autograd.pause():
        for index in np.ndindex(x.shape):
            values = []
            for step in (eps, -eps):
                shifted = [NDArray(a._data.copy()) for a in xs]
                shifted[i]._data[index] += step
                values.append(float(np.sum(_output(fn, shifted)._data * head)))
            grad[index] = (values[0] - values[1]) / (2 * eps)
    return grad


def _compare(analytic: np.ndarray, numeric: np.ndarray, i: int, ops: list, rtol: float,
             atol: float, what: str) -> None:  # fmt: skip
    if analytic.shape != numeric.shape:
        raise GradientCheckError(
            f"check_grads: {what} of input {i} has shape {shape_text(analytic.shape)} but the "
            f"input has shape {shape_text(numeric.shape)} (op(s) {', '.join(ops)}). A VJP "
            "rule (the function that turns an op's output gradient into its input's gradient) "
            "must return a gradient shaped like its input (see ops.registry.unbroadcast)."
        )
    error = np.abs(analytic - numeric)
    bound = atol + rtol * np.abs(numeric)
    if np.all(error <= bound):
        return
    worst = np.unravel_index(int(np.argmax(error - bound)), error.shape) if error.size else ()
    raise GradientCheckError(
        f"check_grads: {what} of input {i} (shape {shape_text(numeric.shape)}) is wrong "
        f"through op(s) {', '.join(ops) or '?'}: max abs error {float(np.max(error)):.3g} at "
        f"index {tuple(int(k) for k in worst)} (backward {analytic[worst]:.6g}, finite "
        f"differences {numeric[worst]:.6g}; both are gradients of sum(w * fn(...)) for fixed "
        f"random weights w, so they differ from fn's plain derivative). Fix the VJP rule (the "
        "backward function: output gradient in, input gradient out) of the op(s) named."
    )


def check_grads(
    fn: Callable[..., NDArray],
    *arrays: Any,
    order: int = 1,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    seed: int = 0,
) -> None:
    """Check the gradients of ``fn`` at ``arrays`` against central finite differences.

    Inputs are copied to float64 (integer inputs, such as indices, are passed through and
    not differentiated). ``order=2`` also checks second derivatives: the derivative of the
    gradient (through ``autograd.grad(create_graph=True)``) against finite differences of
    the gradient. Its own backward passes are checks, not your computation: no graph viewer
    (``last_graph``, the live widget) is told of them.

    Raises
    ------
    GradientCheckError
        Naming the op(s), the input, its shape, the worst element and both values.

    Examples
    --------
    >>> from autogradviz import nd
    >>> from autogradviz.testing import check_grads
    >>> check_grads(lambda x: (x * x).sum(), nd.array([1.0, 2.0]), order=2)
    """
    with muted():
        _check(fn, arrays, order, eps, rtol, atol, seed)


def _check(fn: Callable, arrays: tuple, order: int, eps: float, rtol: float, atol: float,
           seed: int) -> None:  # fmt: skip
    xs = _float64_copies(arrays)
    wrt = _differentiable(xs)
    rng = np.random.default_rng(seed)
    with autograd.pause():
        head = rng.normal(size=_output(fn, xs).shape)
    analytic, ops = _analytic(fn, xs, wrt, head)
    for k, i in enumerate(wrt):
        numeric = _numeric(fn, xs, i, head, eps)
        _compare(analytic[k], numeric, i, ops, rtol, atol, "gradient")
    if order >= 2 and wrt:  # with no float input there is nothing to differentiate twice
        _check_second_order(fn, xs, wrt, head, rng, eps, rtol, atol)


def _check_second_order(fn: Callable, xs: list, wrt: list, head: np.ndarray, rng: Any,
                        eps: float, rtol: float, atol: float) -> None:  # fmt: skip
    """Check d/dx Σ w·grad(x) (a Hessian-vector product) against finite differences."""
    weights = [rng.normal(size=xs[i].shape) for i in wrt]

    def weighted_gradient(*inputs: NDArray) -> NDArray:
        variables = [inputs[i] for i in wrt]
        if not autograd.is_recording():
            grads, _ = _analytic(fn, list(inputs), wrt, head)
            return NDArray(
                np.asarray([sum(np.sum(g * w) for g, w in zip(grads, weights, strict=True))])
            )
        out = _output(fn, list(inputs))
        if _op_names(out) is None:
            return (inputs[wrt[0]] * 0).sum()
        grads = autograd.grad(out, variables, NDArray(head.astype(out._data.dtype)),
                              create_graph=True, retain_graph=True)  # fmt: skip
        terms = [
            (g * NDArray(w.astype(g._data.dtype))).sum()
            for g, w in zip(grads, weights, strict=True)
        ]
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return total

    analytic, ops = _analytic(weighted_gradient, xs, wrt, np.ones(1))
    for k, i in enumerate(wrt):
        numeric = _numeric(weighted_gradient, xs, i, np.ones(1), eps)
        _compare(analytic[k], numeric, i, ops, rtol * 10, atol * 10, "second derivative")
