"""Running a graph's tape again, in float64, through the public ``nd`` and ``autograd`` API.

``forward`` recomputes every box from the tape's starting numbers (some of them changed, for
finite differences or a what-if slider); ``local_vjp`` runs one op's backward rule on given
numbers; ``backward`` chains those rules from the heads, as the engine did, so every box
gets its gradient. Each op runs as ``nd.<op>(...)``; a custom ``autograd.Function`` runs as a
fresh (deep) copy of the student's object (an instance may be called once). The student's cell is
never run again, and no picture draws these passes (``muted``).

The student's objects may raise anything: a failure becomes a :class:`ReplayError` naming
the box and the op. Imports numpy and the public API.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from .. import autograd, nd
from ..engine.listeners import muted
from ..errors import AutogradvizError, GraphError
from ..graph.model import Graph
from ..graph.tape import Ref, Step, Tape


class ReplayError(AutogradvizError, RuntimeError):
    """The tape of a graph cannot be run again (too big, freed, or an op failed)."""


def tape_of(graph: Graph, tool: str) -> Tape:
    """Return ``graph``'s tape, or raise a ReplayError saying why ``tool`` cannot use it."""
    tape = graph.tape
    if not tape.replayable:
        raise ReplayError(f"{tool}: cannot replay this graph: {tape.skipped}.")
    return tape


def as_float64(value: Any) -> Any:
    """Return a float array as float64 (a copy); integers (indices) and scalars unchanged."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float64)
    return value


def starting_values(tape: Tape, changed: dict[str, Any] | None = None,
                    exact: bool = False) -> dict[str, Any]:  # fmt: skip
    """Return the tape's variables and constants in float64, with ``changed`` ones replaced.

    ``exact``: keep the pass's own dtypes instead, so a replay gives the pass's numbers.
    """
    cast = (lambda v: v) if exact else as_float64
    values = {node_id: cast(value) for node_id, value in tape.values.items()}
    for node_id, value in (changed or {}).items():
        values[node_id] = np.asarray(value, dtype=np.float64).reshape(np.shape(values[node_id]))
    return values


def forward(graph: Graph, changed: dict[str, Any] | None = None, tool: str = "replay",
            tape: Tape | None = None, exact: bool = False) -> dict[str, np.ndarray]:  # fmt: skip
    """Return every box's value, recomputed in float64 from the tape (``changed`` replaced).

    ``exact``: in the pass's own dtypes, so the numbers are the pass's (the same ops on the
    same numbers).
    """
    tape = tape or tape_of(graph, tool)
    values = starting_values(tape, changed, exact)
    with muted(), autograd.pause():
        for step in tape.steps:
            values[step.id] = run_step(step, step_inputs(step, values)).asnumpy()
    return values


def step_inputs(step: Step, values: dict[str, Any]) -> list:
    """Return ``step``'s arguments: NDArrays of the boxes it reads, and its scalars."""
    return [
        nd.array(values[a.id], dtype=values[a.id].dtype) if isinstance(a, Ref) else a
        for a in step.args
    ]


def run_step(step: Step, args: list) -> Any:
    """Run one recorded op on ``args`` (NDArrays and scalars) and return its output."""
    try:
        function = getattr(step.op, "function", None)
        if function is not None:  # a custom Function: a fresh copy, called once
            clone = _fresh_copy(function)
            outputs = clone(*args)
            out = outputs[step.op.index] if isinstance(outputs, (list, tuple)) else outputs
        else:
            out = getattr(nd, step.op.name)(*args, **_float64_attrs(step.attrs))
    except Exception as error:  # the student's code, or an op given changed numbers
        raise ReplayError(
            f"replay: box {step.id} ({_op_name(step)}) failed when run again: "
            f"{type(error).__name__}: {error}"
        ) from error
    if not hasattr(out, "asnumpy"):
        raise ReplayError(f"replay: box {step.id} ({_op_name(step)}) did not give an NDArray.")
    return out


def _fresh_copy(function: Any) -> Any:
    """Return an unused copy of the student's Function, sharing nothing it could change.

    A deep copy, so that a replay leaves the original's attributes (a list it appends to)
    as they were; an object that cannot be deep-copied is copied shallowly (class-level
    state is shared either way).
    """
    saved = getattr(function, "saved_tensors", ())
    try:  # (the arrays the first call saved are not copied: the copy starts without them)
        clone = copy.deepcopy(function, {id(saved): ()})
    except Exception:  # (a lock, a generator, a __deepcopy__ that raises)
        clone = copy.copy(function)
    clone._used, clone.saved_tensors = False, ()
    return clone


def _op_name(step: Step) -> str:
    return str(getattr(step.op, "name", type(step.op).__name__))


def _float64_attrs(attrs: dict) -> dict:
    """Keep a cast (``dtype='float32'``) from dropping the replay's float64 precision."""
    if "dtype" not in attrs:
        return attrs
    try:
        is_float = np.dtype(attrs["dtype"]).kind == "f"
    except TypeError:
        is_float = False
    return {**attrs, "dtype": "float64"} if is_float else attrs


def local_vjp(step: Step, values: dict[str, Any], grad_out: np.ndarray) -> list[Any]:
    """Return what ``step``'s backward rule sends to each input, given ``grad_out``.

    ``None`` for inputs that take no gradient (scalars, integer indices, and inputs the
    output does not depend on).
    """
    inputs = step_inputs(step, values)
    wrt = [i for i, a in enumerate(step.args) if isinstance(a, Ref) and _is_float(values[a.id])]
    if not wrt:
        return [None] * len(step.args)
    with muted():
        for i in wrt:
            inputs[i].attach_grad()
        with autograd.record():
            out = run_step(step, inputs)
        head = nd.array(np.broadcast_to(grad_out, out.shape), dtype=out.dtype)
        try:
            grads = autograd.grad(out, [inputs[i] for i in wrt], head_grads=head)
        except GraphError:  # the output does not depend on these inputs (zeros_like)
            return [None] * len(step.args)
        except Exception as error:  # the student's backward raising, or returning junk
            raise ReplayError(
                f"replay: the backward rule of box {step.id} ({_op_name(step)}) failed when "
                f"run again: {type(error).__name__}: {error}"
            ) from error
    sent: list[Any] = [None] * len(step.args)
    for i, g in zip(wrt, grads, strict=True):
        sent[i] = g.asnumpy()
    return sent


def _is_float(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind == "f"


def backward(graph: Graph, values: dict[str, Any], seeds: dict[str, Any] | None = None,
             tool: str = "replay", exact: bool = False,
             sent: dict[tuple[str, int], np.ndarray] | None = None,
             ) -> dict[str, np.ndarray]:  # fmt: skip
    """Return every box's gradient: the seeds at the heads, chained back through each rule.

    ``seeds`` defaults to what the recorded pass started from (ones if it had no pass);
    ``exact`` keeps their dtype (with values from ``forward(exact=True)``). ``sent``, if
    given, collects what each op sent back along each edge: ``(op id, input index)``.
    """
    tape = tape_of(graph, tool)
    grads: dict[str, np.ndarray] = {}
    for head in graph.heads:
        seed = (seeds or tape.seeds).get(head)
        if seed is None:
            grads[head] = np.ones_like(values[head])
        else:
            grads[head] = np.array(seed) if exact else as_float64(seed)
    for step in reversed(tape.steps):
        grad_out = grads.get(step.id)
        if grad_out is None:
            continue
        for index, part in enumerate(local_vjp(step, values, grad_out)):
            if part is None:
                continue
            arg = step.args[index]
            grads[arg.id] = grads[arg.id] + part if arg.id in grads else part
            if sent is not None:
                sent[(step.id, index)] = part
    return grads


def objective(graph: Graph, values: dict[str, Any], seeds: dict[str, Any]) -> float:
    """Return Σ over heads of seed · head: the number whose gradient backward computed.

    A head given twice (``autograd.backward([L, L])``) counts once: its seed holds both.
    """
    total = 0.0
    for head in dict.fromkeys(graph.heads):
        seed = seeds.get(head)
        value = values[head]
        total += float(np.sum(value if seed is None else as_float64(seed) * value))
    return total


def head_label(graph: Graph) -> str:
    """Name what backward differentiated: the head, or ``Σ head_grad·head``.

    The head's own name only when it is one head started from ones (``loss.backward()``):
    with ``backward(out_grad)`` or several heads the number is not what ``print`` shows.
    """
    heads = list(dict.fromkeys(graph.heads))
    seed = graph.tape.seeds.get(heads[0]) if len(heads) == 1 else None
    if len(heads) == 1 and (seed is None or bool(np.all(np.asarray(seed) == 1))):
        node = graph.node(heads[0])
        if int(np.prod(node.shape)) == 1:
            return node.name or node.id
    return "Σ head_grad·head"


def users_of(graph: Graph, start: str) -> set[str]:
    """Return the ops that use box ``start``, directly or through others."""
    found = {start}
    for node in graph.nodes:  # forward order: inputs come before their users
        if any(i in found for i in node.inputs):
            found.add(node.id)
    return found - {start}


def refuse_loss_layers(graph: Graph, start: str, tool: str) -> None:
    """Raise if MXNet's output layers lie between ``start`` and the head.

    Their backward sends a loss's gradient, not the derivative of their output, so the
    number backward differentiated is not a function the replay can move: no slope of it
    would be true.
    """
    users = users_of(graph, start)
    for step in graph.tape.steps:
        function = getattr(step.op, "function", None)
        if step.id in users and getattr(function, "loss_layer", False):
            name = getattr(step.op, "name", "an output layer")
            raise ReplayError(
                f"{tool}: the pass goes through {name} (box {step.id}), one of MXNet's output "
                "layers: its backward sends a loss's gradient (out - label) instead of the "
                "derivative of its output, so no finite difference or slope of what follows "
                "it is that gradient. Write the loss out (e.g. gluon.loss.L2Loss) to "
                f"use {tool} here."
            )
