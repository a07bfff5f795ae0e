"""The chain-rule cards' formulas: each common op's backward step, written for students.

``RULES[op](index, args)`` returns a :class:`Local` for positional input ``index``: the
right-hand side of ``∂L/∂input = ...`` in Unicode and LaTeX, the pieces to print with
numbers, and the computation itself (``apply``), which the card checks against what the
pass sent back. ``args`` gives each positional argument's value and symbol, the output and
the attributes. A rule returns ``None`` for a case it does not cover (``dot`` with
``transpose_a``): the card then shows the op's rule as text. Symbols are the student's:
the input's and the output's names (``%x`` and ``%y`` in the one-input templates), or their
box ids. Imports numpy only.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

GRAD = "∂L/∂out"  # the piece standing for the gradient that reached the output


@dataclass(frozen=True)
class Args:
    """What a rule may read: positional values and symbols, the output, the attributes."""

    values: list[Any]  # numpy arrays, or floats for scalar operands
    names: list[str]
    y: np.ndarray
    attrs: dict[str, str]
    out: str = "y"  # the output's symbol: its name in the student's code, or its box id

    @property
    def g(self) -> str:
        """The gradient that reached the output, as text: ``∂L/∂f``."""
        return f"∂L/∂{self.out}"

    @property
    def g_tex(self) -> str:
        """The same in LaTeX."""
        name = self.out.replace("_", r"\_")
        return rf"\frac{{\partial L}}{{\partial {name}}}"

    def fill(self, template: str) -> str:
        """Put the input's and the output's symbols into ``%x`` and ``%y``."""
        return template.replace("%x", self.names[0]).replace("%y", self.out)

    def attr(self, key: str, default: Any = None) -> Any:
        """Return an attribute's value (they arrive as text: ``"1"``, ``"(0, 1)"``)."""
        if key not in self.attrs:
            return default
        try:
            return ast.literal_eval(self.attrs[key])
        except (ValueError, SyntaxError):
            return self.attrs[key]


@dataclass(frozen=True)
class Local:
    """One input's backward step: ``∂L/∂input = text``; see the module docstring.

    ``pieces`` is what the numbers line prints, in order: ``GRAD``, an operator as a
    ``(unicode, latex)`` pair, or a value as ``("value", array)``.
    """

    text: str
    latex: str
    pieces: tuple
    apply: Callable[[np.ndarray], np.ndarray]
    elementwise: bool = True
    shapes: tuple[str, ...] = ()
    element_hint: str = "the same product, element by element"

    @property
    def terms(self) -> list[tuple[str, np.ndarray]]:
        """The values the numbers line prints (for the 'small enough' test)."""
        return [(p[0], np.asarray(p[1])) for p in self.pieces if p[0] == "value"]

    def numbers(self, fmt: Callable[[Any], str], grad: np.ndarray, latex: bool = False) -> str:
        """Return the right-hand side with numbers, each value written by ``fmt``."""
        out = []
        for piece in self.pieces:
            if piece == GRAD:
                out.append(fmt(grad))
            elif piece[0] == "value":
                out.append(fmt(piece[1]))
            else:
                out.append(piece[1] if latex else piece[0])
        return " ".join(out)


TIMES, OVER, DOT = ("⊙", r"\odot"), ("⊘", r"\oslash"), ("·", r"\cdot")


def _value(v: Any) -> tuple:
    return ("value", v)


def _times(a: Args, index: int) -> Local:
    other = 1 - index
    b, name = a.values[other], a.names[other]
    return Local(f"{a.g} ⊙ {name}", rf"{a.g_tex} \odot {name}",
                 (GRAD, TIMES, _value(b)), lambda g: g * b,
                 shapes=(f"⊙ {name} {np.shape(b)}",))  # fmt: skip


def _divide(a: Args, index: int) -> Local:
    x, d = a.values
    if index == 0:
        return Local(f"{a.g} ⊘ {a.names[1]}", rf"{a.g_tex} \oslash {a.names[1]}",
                     (GRAD, OVER, _value(d)), lambda g: g / d)  # fmt: skip
    factor = -x / (np.asarray(d) ** 2)
    return Local(f"{a.g} ⊙ (−{a.names[0]} ⊘ {a.names[1]}²)",
                 rf"{a.g_tex} \odot "
                 rf"\left(-{a.names[0]} \oslash {a.names[1]}^2\right)",
                 (GRAD, TIMES, _value(factor)), lambda g: g * factor)  # fmt: skip


def _elementwise(text: str, latex: str, factor: Callable[[Args], Any]) -> Callable:
    """Return the rule of a one-input op whose step is ``∂L/∂out ⊙ factor``."""

    def rule(a: Args, index: int) -> Local:
        f = factor(a)
        text_, latex_ = a.fill(text), a.fill(latex)
        return Local(f"{a.g} ⊙ {text_}", rf"{a.g_tex} \odot {latex_}",
                     (GRAD, TIMES, _value(f)), lambda g: g * f,
                     shapes=(f"⊙ {text_} {np.shape(f)}",))  # fmt: skip

    return rule


def _sign(a: Args, index: int) -> Local:
    sign = 1.0 if index == 0 else -1.0
    text = a.g if sign > 0 else f"−{a.g}"
    latex = a.g_tex if sign > 0 else f"-{a.g_tex}"
    return Local(text, latex, (GRAD,) if sign > 0 else (("−", "-"), GRAD), lambda g: sign * g)


def _power(a: Args, index: int) -> Local | None:
    if index != 0 or isinstance(a.values[1], np.ndarray):
        return None
    p = float(a.values[1])
    x = a.values[0]
    f = p * np.asarray(x) ** (p - 1)
    return Local(f"{a.g} ⊙ {p:g}·{a.names[0]}^{p - 1:g}",
                 rf"{a.g_tex} \odot {p:g}\,{a.names[0]}^{{{p - 1:g}}}",
                 (GRAD, TIMES, _value(f)), lambda g: g * f)  # fmt: skip


def _dot(a: Args, index: int) -> Local | None:
    x, w = a.values
    if a.attr("transpose_a") or a.attr("transpose_b") or np.ndim(x) != 2 or np.ndim(w) != 2:
        return None
    if index == 0:
        wt = np.asarray(w).T
        return Local(f"{a.g} · {a.names[1]}ᵀ", rf"{a.g_tex} \cdot {a.names[1]}^\top",
                     (GRAD, DOT, _value(wt)), lambda g: g @ wt, elementwise=False,
                     shapes=(f"· {a.names[1]}ᵀ {tuple(wt.shape)} (the transpose of "
                             f"{a.names[1]} {np.shape(w)})",),
                     element_hint=f"row i of {a.g} times row j of {a.names[1]}: "
                                  f"{np.shape(w)[1]} products summed")  # fmt: skip
    xt = np.asarray(x).T
    return Local(f"{a.names[0]}ᵀ · {a.g}", rf"{a.names[0]}^\top \cdot {a.g_tex}",
                 (_value(xt), DOT, GRAD), lambda g: xt @ g, elementwise=False,
                 shapes=(f"{a.names[0]}ᵀ {tuple(xt.shape)} · (the transpose of "
                         f"{a.names[0]} {np.shape(x)})",),
                 element_hint=f"column i of {a.names[0]} times column j of {a.g}: "
                              f"{np.shape(x)[0]} products summed")  # fmt: skip


def _spread(mean: bool) -> Callable:
    """Return the rule of ``sum`` or ``mean``: the gradient copied back to each element."""

    def rule(a: Args, index: int) -> Local | None:
        x = np.asarray(a.values[0])
        axis, keepdims = a.attr("axis"), a.attr("keepdims", False)
        if a.attr("exclude", False) or x.ndim == 0:
            return None
        axes = tuple(range(x.ndim)) if axis is None else tuple(np.atleast_1d(axis).tolist())
        axes = tuple(int(k) % x.ndim for k in axes)
        n = int(np.prod([x.shape[k] for k in axes]))

        def apply(g: np.ndarray) -> np.ndarray:
            g = np.asarray(g)
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axes)
            out = np.array(np.broadcast_to(g, x.shape))
            return out / n if mean else out

        divided = (f" ÷ {n}", rf" / {n}") if mean else ("", "")
        text = f"{a.g}{divided[0]}, copied to each element it summed"
        latex = rf"{a.g_tex}{divided[1]}\ \text{{(copied)}}"
        spread = (f"{divided[0]} → copied to shape {x.shape}".strip(),
                  rf"{divided[1]} \to \text{{copied to shape }} {x.shape}".strip())  # fmt: skip
        return Local(text, latex, (GRAD, spread), apply, elementwise=False,
                     shapes=(f"copied to every element of {a.names[0]} {x.shape}",),
                     element_hint="every element gets the same share")  # fmt: skip

    return rule


def elementwise_sum_axes(shape: tuple[int, ...], target: tuple[int, ...]) -> tuple[int, ...]:
    """Return the axes a broadcast gradient of ``shape`` is summed over to get ``target``."""
    extra = len(shape) - len(target)
    return tuple(range(extra)) + tuple(
        extra + k for k, size in enumerate(target) if size == 1 and shape[extra + k] != 1
    )


RULES: dict[str, Callable[[Args, int], Local | None]] = {
    "add": lambda a, i: _sign(a, 0),
    "subtract": lambda a, i: _sign(a, i),
    "negative": lambda a, i: _sign(a, 1),
    "multiply": _times,
    "divide": _divide,
    "power": _power,
    "dot": _dot,
    "exp": _elementwise("exp(%x) = %y", r"e^{%x} = %y", lambda a: a.y),
    "log": _elementwise("1/%x", r"\frac{1}{%x}", lambda a: 1.0 / np.asarray(a.values[0])),
    "tanh": _elementwise("(1 − %y²)", r"(1 - %y^2)", lambda a: 1.0 - a.y**2),
    "sigmoid": _elementwise("%y(1 − %y)", r"%y(1 - %y)", lambda a: a.y * (1.0 - a.y)),
    "relu": _elementwise(
        "[%x > 0]", r"[%x > 0]", lambda a: (np.asarray(a.values[0]) > 0).astype(a.y.dtype)
    ),
    "square": _elementwise("2%x", "2%x", lambda a: 2.0 * np.asarray(a.values[0])),
    "sqrt": _elementwise("1/(2%y)", r"\frac{1}{2%y}", lambda a: 0.5 / a.y),
    "sum": _spread(mean=False),
    "mean": _spread(mean=True),
}
