"""Why is this gradient zero, or missing? A diagnosis read off the recorded pass.

The numbers are the pass's own (float32 zeros included), never a replay: the question is
about what ``print(x.grad)`` shows. The reasons, in the order they are looked for:

- a constant: cut by ``detach()`` or ``pause()`` (with the line), freed by an earlier
  backward, or plain data (made outside ``record()``, or without ``attach_grad()``);
- no gradient at all: ``backward()`` has not run on this graph, or every op that used the
  box takes no gradient through it (``floor``, a comparison, ``argmax``: a variable's
  ``.grad`` then holds zeros);
- exactly zero, everywhere or in places: walking from the box towards the heads, the ops
  where the gradient stopped, each with its reason (a dead ReLU, a clipped value, a flat
  op such as ``floor``, a factor that is 0, a head gradient of 0);
- ``.grad`` is not this pass's gradient: a sum over passes (``grad_req='add'``), or a later
  pass wrote over it (``grad_req='write'``, seen on an older pass of the history).

Imports numpy and the graph model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..graph.model import Graph, Node
from ..graph.summary import Summary

MAX_REASONS = 5  # stops named one by one (a wide layer of dead ReLUs is not 1000 lines)


@dataclass(frozen=True)
class Diagnosis:
    """What the gradient of one box is, and why: ``reasons`` (sentences), ``stops`` (ids)."""

    id: str
    label: str
    verdict: str  # 'nonzero', 'zero', 'partly zero', 'missing' or 'constant'
    reasons: tuple[str, ...]
    stops: tuple[str, ...] = ()  # the boxes where the gradient stopped, to mark them

    def __str__(self) -> str:
        head = {
            "nonzero": f"{self.label}: its gradient is not zero.",
            "zero": f"{self.label}: its gradient is exactly 0.",
            "partly zero": f"{self.label}: its gradient is exactly 0 in places.",
            "missing": f"{self.label}: it has no gradient.",
            "constant": f"{self.label}: a constant, so it has no gradient.",
        }[self.verdict]
        return "\n".join([head, *(f"  - {reason}" for reason in self.reasons)])


_CUTS = {
    "detach": "it was cut from its history by detach(){where}: no gradient flows into it, "
    "nor through it to the arrays it was computed from",
    "pause": "it was computed inside autograd.pause(){where}, which records nothing: no "
    "gradient flows into it, nor through it to the arrays it was computed from",
    "freed": "its history was freed by an earlier backward() (pass retain_graph=True to "
    "keep it), so no gradient flows through it",
    "constant": "it is plain data: made outside autograd.record(), or from arrays without "
    "attach_grad(); call attach_grad() on it before record() to get a gradient",
}


def why(graph: Graph, node: str, latest: bool = True) -> Diagnosis:
    """Diagnose box ``node``'s gradient (``latest``: this is the newest pass of the history).

    Raises
    ------
    KeyError
        If no box has that id or name.
    """
    target = graph.node(node)
    label = target.name or f"{target.op} ({target.id})"
    if target.kind == "constant":
        where = f" at {target.source}" if target.source else ""
        reason = _CUTS.get(target.cut or "constant", _CUTS["constant"]).format(where=where)
        return Diagnosis(target.id, label, "constant", (reason,))
    if target.grad is None and not graph.backward_order:
        return Diagnosis(target.id, label, "missing", (
            "backward() has not run on this graph yet: call loss.backward()",))  # fmt: skip
    if target.grad is None:  # every op using it took no gradient through it
        ends = [(e.dst, e.index) for e in graph.edges if e.src == target.id]
        # a variable's .grad was written with zeros; an op's gradient simply never existed
        verdict = "zero" if target.kind == "variable" else "missing"
        return Diagnosis(target.id, label, verdict,
                         tuple(_stop_text(graph, *end) for end in ends),
                         tuple(dict.fromkeys(op for op, _ in ends)))  # fmt: skip
    zeros, size = _zeros(target.grad)
    reasons: list[str] = []
    stops: list[tuple[str, int]] = []
    if zeros:
        stops = _stops(graph, target)
        reasons += [_stop_text(graph, *stop) for stop in stops[:MAX_REASONS]]
        if len(stops) > MAX_REASONS:
            reasons.append(f"and {len(stops) - MAX_REASONS} more ops like these")
        if zeros < size:
            reasons.insert(0, f"{zeros} of {size} elements are exactly 0")
    reasons += _buffer_notes(target, latest)
    verdict = "nonzero" if not zeros else "zero" if zeros == size else "partly zero"
    return Diagnosis(target.id, label, verdict, tuple(reasons),
                     tuple(dict.fromkeys(op for op, _ in stops)))  # fmt: skip


def _zeros(grad: object) -> tuple[int, int]:
    """Return (exact zeros, size); a summary of a big array tells all or nothing."""
    if isinstance(grad, Summary):
        return (grad.size if grad.min == grad.max == 0 and not grad.nonfinite else 0), grad.size
    array = np.asarray(grad)
    return int(np.count_nonzero(array == 0)), int(array.size)


def _stops(graph: Graph, start: Node) -> list[tuple[str, int]]:
    """Return ``(op id, input index)`` where the gradient stopped on its way to ``start``.

    Walks from ``start`` to the ops that use it, along edges that carried zeros: an op
    whose own gradient has zeros too is followed (the zeros came from further on); one
    whose gradient has none, or whose zeros lead nowhere, is where the gradient stopped.
    A head whose gradient is 0 is a stop of its own: ``(head id, -1)``. (A loop, not a
    recursion: a chain of thousands of ops is walked too.)
    """
    uses: dict[str, list] = {}
    for edge in graph.edges:
        if edge.contribution is not None and _zeros(edge.contribution)[0]:
            uses.setdefault(edge.src, []).append(edge)
    found: list[tuple[str, int]] = []
    stack, seen = [start], {start.id}
    while stack:
        box = stack.pop()
        if box.id in graph.heads and _zeros(box.grad)[0]:
            found.append((box.id, -1))
        for edge in uses.get(box.id, ()):
            user = graph.node(edge.dst)
            if user.grad is not None and _zeros(user.grad)[0] and _leads_on(graph, user, uses):
                if user.id not in seen:
                    seen.add(user.id)
                    stack.append(user)
            else:
                found.append((user.id, edge.index))
    return list(dict.fromkeys(found))


def _leads_on(graph: Graph, box: Node, uses: dict[str, list]) -> bool:
    """Whether the zeros of ``box``'s gradient came from further on (else it stopped them)."""
    return box.id in uses or (box.id in graph.heads and bool(_zeros(box.grad)[0]))


_FLAT = {"floor", "ceil", "round", "rint", "fix", "trunc", "sign", "argmax", "argmin",
         "equal", "not_equal", "greater", "greater_equal", "less", "less_equal"}  # fmt: skip
_SELECTS = {"pick", "take", "getitem", "slice", "slice_axis", "max", "min", "maximum",
            "minimum", "where"}  # fmt: skip


def _stop_text(graph: Graph, op_id: str, index: int) -> str:
    """Say why op ``op_id`` sent 0 back to its input ``index`` (-1: a head started at 0)."""
    op = graph.node(op_id)
    if index < 0:
        return (f"the head {op.name or op.id} started backward from a gradient of 0 there "
                "(the out_grad given to backward)")  # fmt: skip
    name = f"{op.op} ({op.name or op.id}{f', {op.source}' if op.source else ''})"
    inputs = [graph.node(i) for i in op.inputs]
    if op.op == "relu":
        return _relu_text(name, inputs[0])
    if op.op == "clip":
        return (f"{name} sends back 0 where its input is outside [a_min, a_max]: those "
                "values were clipped, so moving them changes nothing")  # fmt: skip
    if op.op in _FLAT:
        return f"{name} is flat (piecewise constant): it sends back no gradient"
    if op.op in _SELECTS:
        return f"{name} sends a gradient only to the elements it selects; the others get 0"
    if op.op == "dropout":
        return f"{name} dropped these elements (its mask is 0 there), so they get 0"
    if op.op == "multiply" and any(k.startswith("input") and float(v) == 0
                                   for k, v in op.attrs if _is_number(v)):  # fmt: skip
        return f"{name} multiplies it by 0, so its gradient is 0"
    if op.op == "multiply" and len(inputs) == 2:
        other = inputs[1 - index] if index < 2 else None
        if other is not None and other.value is not None and _zeros(other.value)[0]:
            return f"{name}: the other factor is 0 there, so this one's gradient is 0"
    rule = f" ({op.formula})" if op.formula else ""
    return f"{name}: its rule{rule} gives 0 for input {index} at these values"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _relu_text(name: str, x: Node) -> str:
    below, size = _at_most_zero(x.value)
    if below == size:
        return (
            f"{name} is dead: every one of its inputs is ≤ 0, where relu is flat, so "
            "it sends back 0 (a common cause: weights or a bias pushed too negative)"
        )
    counted = f"{below} of {size} of its inputs are" if below else "some of its inputs are"
    return f"{name} sends back 0 where its input is ≤ 0; {counted} ≤ 0"


def _at_most_zero(value: object) -> tuple[int, int]:
    if isinstance(value, Summary):
        return (value.size if value.max <= 0 else 0), value.size
    array = np.asarray(value)
    return int(np.count_nonzero(array <= 0)), int(array.size)


def _same(a: object, b: object) -> bool:
    """Whether two snapshots hold the same numbers (summaries: the same statistics)."""
    if isinstance(a, Summary) or isinstance(b, Summary):
        return a == b
    return a is not None and b is not None and np.array_equal(np.asarray(a), np.asarray(b))


def _buffer_notes(target: Node, latest: bool) -> list[str]:
    """Say when ``.grad`` does not hold this pass's gradient."""
    name = target.name or "this array"
    if target.grad_kind == "sum" and not _same(target.grad_buffer, target.grad):
        return [f"{name}.grad is the sum over passes (grad_req='add'), not this pass's "
                f"gradient; zero it between passes with {name}.grad[:] = 0"]  # fmt: skip
    if target.grad_kind == "grad()":
        return [f"autograd.grad returned this gradient and left {name}.grad untouched "
                "(print shows what it held before)"]  # fmt: skip
    if target.grad_kind == "null":
        return [f"grad_req='null': {name}.grad is not kept, so print shows zeros; use "
                "attach_grad() (grad_req='write') to keep it"]  # fmt: skip
    if target.grad_kind == "buffer" and not latest:
        return [f"this is an older pass: {name}.grad now holds what a later backward wrote "
                "over it (grad_req='write')"]  # fmt: skip
    if target.reattached is not None:
        return [f"attach_grad() ran on {name} after this graph was recorded, so "
                f"{name}.grad is a new, zero buffer cut from this graph"]  # fmt: skip
    return []
