"""The chain rule with numbers: one op's backward step, as a formula, with this pass's numbers.

For each input of an op the card says three things:

- the rule: ``∂L/∂a = ∂L/∂y ⊙ b`` (L is the head; ``y`` here is the op's output, named as
  in the student's code, or by its box id);
- the same with the numbers of this pass plugged in (whole arrays when small; for a big
  one, one element: the one that received the most);
- the shapes at each step, with the steps students miss: a broadcast input gets the
  gradient *summed back* to its own shape; ``dot``'s rule multiplies by a *transpose*.

The numbers are the pass's own: the snapshot's copies, or (for big arrays) the tape
replayed in the pass's dtypes. A card never contradicts the picture: the result it computes
must equal what the pass sent back along that edge, or the card gives the op's rule as text
with the recorded result instead. ``markdown()`` writes it with LaTeX, for a handout.
Imports numpy, the graph model and the replay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..graph.model import Graph, Node
from ..graph.summary import Summary
from .replay import ReplayError, backward, forward, head_label, local_vjp
from .rules import RULES, Args, Local, elementwise_sum_axes

SMALL = 6  # arrays up to this size are written out whole


@dataclass(frozen=True)
class Part:
    """One input's step of the chain rule (see the module docstring)."""

    input: int
    rule: str  # Unicode
    latex: str
    numbers: str  # the rule with this pass's numbers
    latex_numbers: str
    shapes: tuple[str, ...]
    share: str = ""  # for an input used several times: its gradient is the sum of the shares


@dataclass(frozen=True)
class Card:
    """The chain rule of one op, input by input."""

    id: str
    op: str
    output: str
    formula: str
    parts: tuple[Part, ...]
    note: str = ""
    head: str = "the head"  # what L stands for: the head's name, or Σ head_grad·head

    def __str__(self) -> str:
        lines = [f"{self.op} ({self.id}), output {self.output}; {self.l_is}. {self.formula}"]
        for part in self.parts:
            lines += [f"  input {part.input}: {part.rule}", f"    = {part.numbers}"]
            lines += [f"    shapes: {' → '.join(part.shapes)}"] if part.shapes else []
            lines += [f"    ({part.share})"] if part.share else []
        if self.note:
            lines.append(f"  {self.note}")
        return "\n".join(lines)

    @property
    def l_is(self) -> str:
        """Say what L stands for: ``L is loss`` (``L is the head`` when it is called L)."""
        return "L is the head" if self.head == "L" else f"L is {self.head}"

    def markdown(self) -> str:
        """Return the card as Markdown with LaTeX (``$$ ... $$``), for a handout."""
        lines = [f"**{self.op}** (`{self.id}`), output `{self.output}`; {self.l_is}.", ""]
        for part in self.parts:
            lines += [f"Input {part.input}:", "", f"$$ {part.latex} $$", "",
                      f"$$ = {part.latex_numbers} $$", ""]  # fmt: skip
            if part.shapes:
                lines += [f"Shapes: {' → '.join(part.shapes)}", ""]
            if part.share:
                lines += [f"*{part.share}.*", ""]
        if self.note:
            lines.append(f"*{self.note}*")
        return "\n".join(lines).rstrip() + "\n"


def chain_rule(graph: Graph, node: str, replay: ExactReplay | None = None) -> Card:
    """Return the chain-rule card of op box ``node`` (an id or a name).

    ``replay``: the graph's exact replay, shared by the cards of one graph (made here if
    not given; it runs only if a number the card needs was summarized).

    Raises
    ------
    ReplayError
        If the box is not an op, or no gradient reached it (run backward first).
    KeyError
        If no box has that id or name.
    """
    op = graph.node(node)
    if op.kind != "op":
        raise ReplayError(f"chain_rule: box {op.id} is a {op.kind}; pick an op (a grey box).")
    if op.grad is None:
        raise ReplayError(f"chain_rule: no gradient reached box {op.id} ({op.op}); run "
                          "backward() first, or pick an op on the way to the head.")  # fmt: skip
    numbers = _Numbers(graph, op, replay if replay is not None else ExactReplay(graph))
    parts = [
        _part(graph, op, edge.index, numbers)
        for edge in sorted(graph.edges, key=lambda e: e.index)
        if edge.dst == op.id and edge.contribution is not None
    ]
    note = "" if op.op in RULES else f"(the rule of {op.op} as text: {op.formula})"
    return Card(op.id, op.op, op.name or op.id, op.formula or "", tuple(parts), note,
                head_label(graph))  # fmt: skip


class ExactReplay:
    """The pass replayed in its own dtypes (values, gradients), run once when first needed.

    One serves every card of a graph (a handout writes one per op): the replay is the same.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._done: tuple[dict, dict] | None = None

    def __call__(self) -> tuple[dict, dict]:
        """Return ``(values, gradients)`` of every box, as the pass computed them."""
        if self._done is None:
            values = forward(self.graph, tool="chain_rule", exact=True)
            self._done = values, backward(self.graph, values, tool="chain_rule", exact=True)
        return self._done


class _Numbers:
    """The pass's numbers around one op: snapshot copies, or an exact replay if summarized."""

    def __init__(self, graph: Graph, op: Node, replay: ExactReplay) -> None:
        self.graph, self.op, self._replay = graph, op, replay

    def value(self, node_id: str) -> np.ndarray:
        """Return box ``node_id``'s value as the pass computed it."""
        value = self.graph.node(node_id).value
        return self._replay()[0][node_id] if isinstance(value, Summary) else np.asarray(value)

    def grad(self) -> np.ndarray:
        """Return the gradient that reached the op's output."""
        grad = self.op.grad
        return self._replay()[1][self.op.id] if isinstance(grad, Summary) else np.asarray(grad)

    def sent(self, index: int) -> np.ndarray:
        """Return what the op sent back to its positional input ``index``."""
        edge = next(e for e in self.graph.edges if e.dst == self.op.id and e.index == index)
        if not isinstance(edge.contribution, Summary):
            return np.asarray(edge.contribution)
        values, grads = self._replay()
        step = next(s for s in self.graph.tape.steps if s.id == self.op.id)
        return np.asarray(local_vjp(step, values, grads[self.op.id])[index])


def _symbol(graph: Graph, node_id: str) -> str:
    node = graph.node(node_id)
    return node.name or node.id


def _args(graph: Graph, op: Node, numbers: _Numbers) -> Args:
    """Return the rules' view of the op's arguments: boxes and scalars, by position."""
    scalars = {int(key.split()[1]): text for key, text in op.attrs if key.startswith("input ")}
    boxes = iter(op.inputs)
    values: list[Any] = []
    names: list[str] = []
    for k in range(len(op.inputs) + len(scalars)):
        if k in scalars:
            values.append(_number(scalars[k]))
            names.append(scalars[k])
        else:
            box = next(boxes)
            values.append(numbers.value(box))
            names.append(_symbol(graph, box))
    attrs = {key: text for key, text in op.attrs if not key.startswith("input ")}
    return Args(values, names, numbers.value(op.id), attrs, _symbol(graph, op.id))


def _number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


def _part(graph: Graph, op: Node, index: int, numbers: _Numbers) -> Part:
    """Return the card's part for positional input ``index``: rule, numbers, shapes."""
    args = _args(graph, op, numbers)
    name = args.names[index]
    sent, grad = numbers.sent(index), numbers.grad()
    rule = RULES.get(op.op)
    local = rule(args, index) if rule is not None else None
    found = _plugged(local, grad, sent, name, index, args) if local is not None else None
    part = found if found is not None else _as_recorded(op, name, index, grad, sent, args)
    return _as_share(graph, op, index, part, name)


def _as_share(graph: Graph, op: Node, index: int, part: Part, name: str) -> Part:
    """Mark the part of an input used more than once: this op sends one share (``+=``)."""
    src = next(e.src for e in graph.edges if e.dst == op.id and e.index == index)
    uses = sum(e.src == src for e in graph.edges)
    if uses < 2:
        return part
    total = graph.node(src).grad
    summed = f" ({_fmt(total)})" if total is not None and np.size(total) <= SMALL else ""
    share = (f"{name} is used {uses} times: this is one share; its gradient{summed} is the "
             f"sum of the {uses} shares")  # fmt: skip
    lhs, rhs = part.rule.split(" = ", 1)
    return replace(part, rule=f"{lhs} += {rhs}", share=share)


def _plugged(local: Local, grad: np.ndarray, sent: np.ndarray, name: str, index: int,
             args: Args) -> Part | None:  # fmt: skip
    """Return the part a rule writes, or ``None`` if it does not give what the pass sent."""
    try:
        result = np.asarray(local.apply(grad), dtype=np.float64)
    except (ValueError, TypeError):  # shapes our formula does not cover
        return None
    axes: tuple[int, ...] = ()
    if local.elementwise and result.shape != sent.shape:
        axes = elementwise_sum_axes(result.shape, sent.shape)
        result = result.sum(axis=axes, keepdims=True).reshape(sent.shape) if axes else result
    finite = np.abs(sent[np.isfinite(sent)])
    scale = float(finite.max()) if finite.size else 0.0  # (a NaN or Inf is not a scale)
    if result.shape != sent.shape or not np.allclose(result, sent, rtol=1e-4,
                                                     atol=1e-6 * scale + 1e-30):  # fmt: skip
        return None
    lhs = f"∂L/∂{name}"
    shapes = [f"{args.g} {tuple(grad.shape)}", *local.shapes]
    if axes:
        shapes.append(f"summed over axis {', '.join(map(str, axes))} (the broadcast, undone) "
                      f"→ {tuple(sent.shape)}")  # fmt: skip
    shapes.append(f"{lhs} {tuple(sent.shape)}")
    if grad.size <= SMALL and sent.size <= SMALL and all(v.size <= SMALL for _, v in local.terms):
        summed = " summed back:" if axes else ""
        numbers = f"{local.numbers(_fmt, grad)} ={summed} {_fmt(sent)}"
        tex = f"{local.numbers(_tex, grad, latex=True)} = {_tex(sent)}"
    else:
        numbers, tex = _one_element(local, grad, sent, name)
    latex = rf"\frac{{\partial L}}{{\partial {_tex_name(name)}}} = {local.latex}"
    return Part(index, f"{lhs} = {local.text}", latex, numbers, tex, tuple(shapes))


def _one_element(local: Local, grad: np.ndarray, sent: np.ndarray,
                 name: str) -> tuple[str, str]:  # fmt: skip
    """For a big array: the element that received the most, worked out when elementwise."""
    flat = int(np.argmax(np.abs(sent))) if sent.size else 0
    index = tuple(int(k) for k in np.unravel_index(flat, sent.shape)) if sent.ndim else ()
    where = f"[{', '.join(map(str, index))}]"
    value = float(sent[index]) if sent.size else 0.0
    same = local.elementwise and grad.shape == sent.shape and all(
        v.shape in (sent.shape, ()) for _, v in local.terms)  # fmt: skip
    if same:
        at = lambda v: np.asarray(v)[index] if np.ndim(v) else v  # noqa: E731
        worked = local.numbers(lambda v: _fmt(at(v)), grad)
        worked_tex = local.numbers(lambda v: _tex(at(v)), grad, latex=True)
        text = f"at {where}, the element that received the most: {worked} = {value:.4g}"
        tex = f"{worked_tex} = {value:.4g}"
        return text, rf"\text{{at }}{where}:\ {tex}"
    text = (f"one element, the one that received the most: ∂L/∂{name}{where} = {value:.4g} "
            f"({local.element_hint})")  # fmt: skip
    tex = rf"\frac{{\partial L}}{{\partial {_tex_name(name)}_{{{where[1:-1]}}}}} = {value:.4g}"
    return text, tex


def _as_recorded(op: Node, name: str, index: int, grad: np.ndarray, sent: np.ndarray,
                 args: Args) -> Part:  # fmt: skip
    """Return the op's rule as text, with the gradient the pass sent (no formula of ours)."""
    rule = f"∂L/∂{name} = (the rule of {op.op}) applied to {args.g}"
    small = sent.size <= SMALL and grad.size <= SMALL
    norm = float(np.linalg.norm(sent))
    numbers = (f"rule({_fmt(grad)}) = {_fmt(sent)}" if small else
               f"an array of shape {tuple(sent.shape)} (norm {norm:.4g})")  # fmt: skip
    latex = (rf"\frac{{\partial L}}{{\partial {_tex_name(name)}}} = \mathrm{{rule}}_"
             rf"{{\mathrm{{{_tex_name(op.op)}}}}}\left({args.g_tex}\right)")  # fmt: skip
    tex = _tex(sent) if small else rf"\text{{shape }} {tuple(sent.shape)}"
    return Part(index, rule, latex, numbers, tex,
                (f"{args.g} {tuple(grad.shape)}", f"∂L/∂{name} {tuple(sent.shape)}"))  # fmt: skip


def _fmt(array: Any) -> str:
    """Write an array with 4 significant digits per element: ``[[0.5751 0.0001993]]``."""
    a = np.asarray(array)
    if a.size == 1:
        return f"{float(a.reshape(-1)[0]):.4g}"
    if a.ndim <= 1:
        return "[" + " ".join(f"{float(v):.4g}" for v in a.reshape(-1)) + "]"
    return "[" + " ".join(_fmt(row) for row in a) + "]"


def _tex(array: Any) -> str:
    a = np.asarray(array, dtype=np.float64)
    if a.size == 1:
        return f"{float(a.reshape(-1)[0]):.4g}"
    rows = a.reshape(1, -1) if a.ndim == 1 else a.reshape(a.shape[0], -1)
    body = r" \\ ".join(" & ".join(f"{v:.4g}" for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def _tex_name(name: str) -> str:
    return name.replace("_", r"\_")
