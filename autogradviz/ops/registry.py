"""The op table: what an op is, how entries are registered, and the ``unbroadcast`` helper.

Imports numpy and ``errors`` only. The engine reads this table; it holds no per-op math itself.

Glossary
--------
VJP (vector-Jacobian product)
    Backpropagation never builds a Jacobian. For an op ``out = f(x, y)`` and the gradient
    ``grad_out`` of the final result with respect to ``out``, the VJP rule for ``x`` returns
    ``grad_x = grad_out · ∂out/∂x`` directly, with the shape of ``x``.

Fields of an :class:`Op` (one entry of the table)
-------------------------------------------------
name
    numpy-style name (``"multiply"``, ``"exp"``, ``"sum"``), shown on graph nodes.
forward
    ``forward(*inputs, **attrs) -> numpy.ndarray``: plain numpy, one output.
vjps
    One rule per array input, in input order: ``rule(grad_out, out, *inputs, **attrs)``.
    ``grad_out``, ``out`` and array inputs arrive as NDArrays, so a rule written with NDArray
    operators and methods is itself recorded when ``create_graph=True``: that is how every op
    gets higher-order gradients. A rule may return ``None`` for "zero gradient"; a ``None``
    entry instead of a rule marks an input that is not differentiable (integer indices).
    Variadic ops (``concat``, ``stack``) have a single rule for all inputs at once:
    ``rule(grad_out, out, inputs, needed, **attrs)`` returns one gradient (or ``None``)
    per input; ``needed[i]`` says whether input ``i`` wants one. (One call per input would
    make the backward of a concat of n pieces cost n².)
formula
    The derivative in one line of text, e.g. ``"d/dx exp(x) = exp(x)"``. Graph views show it.
attrs
    Non-array arguments and their defaults, in the order they may be passed positionally.
n_inputs
    How many leading positional arguments are arrays; ``None`` means "all of them" (variadic).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ShapeError

Rule = Callable[..., Any]


@dataclass(frozen=True, eq=False)
class Op:
    """One entry of the op table; see the module docstring for the meaning of each field."""

    name: str
    forward: Callable[..., Any]
    vjps: tuple[Rule | None, ...]
    formula: str
    attrs: dict[str, Any] = field(default_factory=dict)
    n_inputs: int | None = 1
    method: bool = True

    def __repr__(self) -> str:
        return f"Op({self.name!r})"

    def vjp(self, grad_out: Any, out: Any, inputs: tuple, attrs: dict) -> list:
        """Return each input's gradient, or ``None`` for inputs that need none.

        An input needs a gradient when it is an array in a live recorded graph; constants
        and Python scalars do not, so their rules never run.
        """
        if self.n_inputs is None:
            variadic_rule = self.vjps[0]
            assert variadic_rule is not None  # variadic ops always have their rule
            return list(variadic_rule(grad_out, out, inputs, [needs_grad(x) for x in inputs],
                                      **attrs))  # fmt: skip
        if attrs:
            return [
                rule(grad_out, out, *inputs, **attrs)
                if rule is not None and needs_grad(x) else None
                for rule, x in zip(self.vjps, inputs, strict=True)
            ]  # fmt: skip
        return [
            rule(grad_out, out, *inputs) if rule is not None and needs_grad(x) else None
            for rule, x in zip(self.vjps, inputs, strict=True)
        ]


def needs_grad(x: Any) -> bool:
    """Return whether ``x`` is an array in a live recorded graph (duck-typed: ``x._node``)."""
    node = getattr(x, "_node", None)
    return node is not None and node.inputs is not None


OPS: dict[str, Op] = {}


def defop(
    name: str,
    forward: Callable[..., Any],
    *vjps: Rule | None,
    formula: str,
    attrs: dict[str, Any] | None = None,
    n_inputs: int | None = 1,
    method: bool = True,
) -> Op:
    """Register an op in the table and return it.

    Parameters
    ----------
    name : str
        Unique numpy-style name.
    forward : callable
        ``forward(*inputs, **attrs)`` on numpy arrays.
    *vjps : callable or None
        One VJP rule per array input (a single one for variadic ops).
    formula : str
        One line of derivative text.
    attrs : dict, optional
        Non-array arguments with their defaults, in positional order.
    n_inputs : int or None
        Number of array inputs; ``None`` for variadic ops.
    method : bool
        Whether NDArray gets a fluent method of the same name (``x.exp()``).

    Returns
    -------
    Op
        The registered entry.

    Raises
    ------
    ValueError
        If the name is taken or the number of rules does not match ``n_inputs``.
    """
    if name in OPS:
        raise ValueError(f"defop: op {name!r} is registered twice; pick another name.")
    expected = 1 if n_inputs is None else n_inputs
    if len(vjps) != expected:
        raise ValueError(f"defop: {name} has {len(vjps)} VJP rules for {expected} inputs.")
    op = Op(name, forward, tuple(vjps), formula, dict(attrs or {}), n_inputs, method)
    OPS[name] = op
    return op


def alias(new_name: str, name: str) -> None:
    """Make ``new_name`` another spelling of an existing op (``elemwise_add`` → ``add``)."""
    ALIASES[new_name] = name


ALIASES: dict[str, str] = {}


def check_axis(op_name: str, ndim: int, axis: int) -> int:
    """Return ``axis`` as a non-negative index, or raise a ShapeError naming the op.

    Raises
    ------
    ShapeError
        If ``axis`` is outside ``-ndim .. ndim - 1``.
    """
    if not -ndim <= axis < ndim:
        raise ShapeError(
            f"{op_name}: axis {axis} is out of range for an array with {ndim} dimension(s); "
            f"use an axis between {-ndim} and {ndim - 1}."
        )
    return axis % ndim


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` down to ``shape``, undoing numpy broadcasting.

    When ``x`` of shape ``(1, 3)`` is broadcast against ``(2, 3)``, each element of ``x`` is
    used twice, so its gradient is the sum over the broadcast axis. Works on NDArrays (so the
    sum is recorded for higher-order gradients).
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    stretched = tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1
    )
    if stretched:  # axes where x had size 1: sum, keeping the axis
        grad = grad.sum(axis=stretched, keepdims=True)
    if extra:  # leading axes x did not have: sum them away
        grad = grad.sum(axis=tuple(range(extra)))
        if grad.shape != shape:  # a full reduction gives (1,), MXNet's convention
            grad = grad.reshape(shape, literal=True)
    return grad
