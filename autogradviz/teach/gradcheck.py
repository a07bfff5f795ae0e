"""Check this node: is the gradient on the picture right? Finite differences say.

For a variable, the recorded computation is replayed in float64 with the variable's elements
moved one at a time (central differences), and the slope of the number backward
differentiated (Σ seed·head, usually the loss) is compared with the gradient this pass
computed. On a mismatch the culprit is localised: walking back from the head, the first op
whose own backward rule disagrees with its own finite differences. That is how a wrong
``autograd.Function.backward`` is caught on the picture. For an op, only its own rule is
checked. Imports numpy, the graph model and the replay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import nd
from ..graph.model import Graph, Node
from ..graph.tape import Ref, Step
from . import differences as fd
from .replay import (
    ReplayError,
    backward,
    forward,
    local_vjp,
    objective,
    refuse_loss_layers,
    run_step,
    step_inputs,
    tape_of,
    users_of,
)  # fmt: skip


@dataclass(frozen=True)
class Culprit:
    """The op whose own rule disagrees with finite differences, for input ``input``."""

    id: str
    op: str
    input: int
    rule: float  # what its backward sent, at the worst element
    numeric: float  # what finite differences say there
    error: float  # relative error
    custom: bool  # a custom autograd.Function
    loss_layer: bool = False  # MXNet's *Output layers: backward sends a loss's gradient

    def __str__(self) -> str:
        found = (
            f"the first op, walking back from the head, whose own rule disagrees with its "
            f"finite differences is box {self.id} ({self.op}), input {self.input}: it sends "
            f"back {self.rule:.6g} where finite differences give {self.numeric:.6g} "
            f"(relative error {self.error:.2g})."
        )
        if self.loss_layer:
            return (
                f"{found} {self.op} is one of MXNet's output layers: a loss folded into the "
                "last layer, whose backward sends the loss's gradient (out - label) whatever "
                "gradient arrives. That is by design; put no op after it, or use a "
                "gluon.loss instead."
            )
        if self.custom:
            return f"{found} Look at {self.op}.backward."
        return (
            f"{found} {self.op} is built in, and its rule is tested against finite "
            "differences; here its input probably sits on a kink (relu or abs at 0, a tie in "
            "max or min, round at .5), where the slope changes and finite differences "
            "straddle two slopes."
        )


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a check on one box (see ``check``)."""

    id: str
    label: str  # the box's name, or its op and id
    ok: bool
    error: float  # relative error over the checked elements
    worst: tuple[int, ...]  # index of the worst element
    analytic: float  # the gradient there
    numeric: float  # finite differences there
    checked: int
    size: int
    compared: str  # what the analytic gradient is ("the gradient this pass computed")
    culprit: Culprit | None = None
    note: str = ""

    def __str__(self) -> str:
        how = (f"all {self.size} elements" if self.checked == self.size else
               f"{self.checked} of {self.size} elements, chosen at random")  # fmt: skip
        mark = "✓" if self.ok else "✗"
        index = f"[{', '.join(map(str, self.worst))}]" if self.worst else ""
        verdict = (
            f"{mark} {self.label}: {self.compared} matches central finite differences "
            f"(float64 replay, {how}): relative error {self.error:.2g}."
            if self.ok else
            f"{mark} {self.label}: {self.compared} disagrees with central finite differences "
            f"(float64 replay, {how}): relative error {self.error:.2g} at "
            f"{self.label}{index}: {self.analytic:.6g} against {self.numeric:.6g}."
        )  # fmt: skip
        lines = [verdict]
        if self.culprit is not None:
            lines.append(f"  {str(self.culprit)[0].upper()}{str(self.culprit)[1:]}")
        if self.note:
            lines.append(f"  {self.note}")
        return "\n".join(lines)


def check(graph: Graph, node: str, latest: bool = True) -> CheckResult:
    """Check box ``node`` (an id such as ``'n3'`` or a name) against finite differences.

    ``latest``: this graph is the newest pass (otherwise ``.grad`` has been written since).

    Raises
    ------
    ReplayError
        If the graph cannot be replayed (too big, freed, or made by hand), or an op fails.
    KeyError
        If no box has that id or name.
    """
    target = graph.node(node)
    tape_of(graph, "check")
    if target.kind == "op":
        return _check_rule(graph, target)
    if target.kind != "variable":
        raise ReplayError(
            f"check: box {target.id} is a constant, which takes no gradient; check a "
            "variable (a blue box) or an op."
        )
    return _check_variable(graph, target, latest)


def _label(node: Node) -> str:
    return node.name or f"{node.op} ({node.id})"


def _check_variable(graph: Graph, target: Node, latest: bool) -> CheckResult:
    tape = graph.tape
    refuse_loss_layers(graph, target.id, "check")
    values = forward(graph, tool="check")
    # float64 all through, unless a student's Function rounds (its numbers then are float32)
    floats = [v for v in values.values() if isinstance(v, np.ndarray) and v.dtype.kind == "f"]
    replay_precise = all(v.dtype == np.float64 for v in floats)
    precise = replay_precise  # and the gradient compared with it, for the tolerance
    # A graph without a recorded pass (graph_of) cannot say what backward started from.
    recorded = tape.grads.get(target.id) if graph.backward_order else None
    if recorded is None and graph.backward_order:
        analytic_all = np.zeros(target.shape)  # this pass sent it nothing
        compared = "the gradient of this pass (none reached it: zero)"
    elif recorded is None:
        analytic_all = backward(graph, values, tool="check").get(target.id, np.zeros(target.shape))
        compared = "the gradient backward gives from ones at the head (replayed: no pass)"
    else:
        analytic_all = np.asarray(recorded, dtype=np.float64)
        compared = _what_grad(target, latest)
        precise = precise and np.asarray(recorded).dtype == np.float64
    indices = fd.elements(target.shape, analytic_all)
    start = values[target.id]

    def loss(moved: np.ndarray) -> float:
        replayed = forward(graph, {target.id: moved}, tool="check", tape=tape)
        return objective(graph, replayed, tape.seeds)

    numeric, uncertain = fd.numeric_gradient(loss, start, indices, replay_precise)
    analytic = np.array([analytic_all[i] for i in indices])
    judged, worst = fd.relative_error(analytic, numeric, precise, uncertain)
    error = fd.relative_error(analytic, numeric, precise)[0]  # shown: as measured
    ok = judged <= fd.tolerance(precise)
    culprit = None if ok else _localise(graph, values, target.id)
    note = "" if ok or culprit is not None else _no_culprit_note()
    return CheckResult(target.id, _label(target), ok, error, indices[worst] if indices else (),
                       float(analytic[worst]) if indices else 0.0,
                       float(numeric[worst]) if indices else 0.0, len(indices),
                       int(np.prod(target.shape)), compared, culprit, note)  # fmt: skip


def _what_grad(node: Node, latest: bool = True) -> str:
    name = node.name or node.id
    return {
        "buffer": f"{name}.grad"
        if latest
        else (f"the gradient this pass wrote into {name}.grad (a later pass wrote over it)"),
        "sum": f"the gradient that flowed to {name} in this pass",
        "null": f"the gradient that flowed to {name} (grad_req='null')",
        "grad()": f"the gradient autograd.grad returned for {name}",
    }.get(node.grad_kind or "", f"the gradient of {name}")


def _no_culprit_note() -> str:
    return ("Every op's own rule agrees with its finite differences, so the ops are right; "
            "look for a kink (relu or abs at 0, a tie in max) where finite differences "
            "straddle two slopes.")  # fmt: skip


def _localise(graph: Graph, values: dict, start: str) -> Culprit | None:
    """Return the first op (in backward order from the heads) whose rule is wrong."""
    users = users_of(graph, start)
    for step in reversed(graph.tape.steps):
        if step.id in users:
            worst = _rule_error(step, values)
            if worst is not None and worst.judged > fd.tolerance(worst.precise):
                return worst.culprit(step)
    return None


@dataclass(frozen=True)
class _RuleError:
    """The worst input of one op's rule check."""

    input: int
    judged: float  # relative error beyond what rounding can fake: the verdict's number
    error: float  # relative error as measured: the number shown
    rule: float
    numeric: float
    precise: bool
    checked: int
    size: int

    def culprit(self, step: Step) -> Culprit:
        function = getattr(step.op, "function", None)
        return Culprit(step.id, str(getattr(step.op, "name", "?")), self.input, self.rule,
                       self.numeric, self.error, function is not None,
                       bool(getattr(function, "loss_layer", False)))  # fmt: skip


def _rule_error(step: Step, values: dict, seed: int = 0) -> _RuleError | None:
    """Compare one op's rule with finite differences of the op alone; return the worst input.

    Both sides are the gradient of Σ w·op(inputs) for fixed random weights w.
    """
    out = values[step.id]
    precise = out.dtype == np.float64
    weights = np.random.default_rng(seed).normal(size=np.shape(out))
    sent = local_vjp(step, values, weights)
    worst: _RuleError | None = None
    base = step_inputs(step, values)
    for i, arg in enumerate(step.args):
        if sent[i] is None or not isinstance(arg, Ref):
            continue
        x = values[arg.id]
        indices = fd.elements(x.shape, sent[i], seed)

        def weighted(moved: np.ndarray, position: int = i) -> float:
            inputs = list(base)  # only this argument moves (x * x reads x twice)
            inputs[position] = nd.array(moved, dtype=moved.dtype)
            return float(np.sum(weights * run_step(step, inputs).asnumpy()))

        numeric, uncertain = fd.numeric_gradient(weighted, x, indices, precise)
        rule = np.array([sent[i][k] for k in indices])
        judged, at = fd.relative_error(rule, numeric, precise, uncertain)
        if worst is None or judged > worst.judged:
            error = fd.relative_error(rule, numeric, precise)[0]
            worst = _RuleError(i, judged, error, float(rule[at]), float(numeric[at]), precise,
                               len(indices), x.size)  # fmt: skip
    return worst


def _check_rule(graph: Graph, target: Node) -> CheckResult:
    values = forward(graph, tool="check")
    step = next(s for s in graph.tape.steps if s.id == target.id)
    worst = _rule_error(step, values)
    what = f"the backward rule of {target.op}"
    if worst is None:
        return CheckResult(target.id, _label(target), True, 0.0, (), 0.0, 0.0, 0, 0, what,
                           note="No input of this op takes a gradient.")  # fmt: skip
    ok = worst.judged <= fd.tolerance(worst.precise)
    return CheckResult(target.id, _label(target), ok, worst.error, (), worst.rule,
                       worst.numeric, worst.checked, worst.size, what,
                       None if ok else worst.culprit(step))  # fmt: skip
