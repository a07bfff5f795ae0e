"""The backward pass: ``backward`` and ``grad`` (MXNet's API), and the topological sort.

Backward is three steps: sort the recorded nodes topologically (iteratively, so a chain of
100,000 ops needs no recursion), walk them in reverse applying each op's VJP rule, and add
up the gradients arriving at each node. Imports the rest of the engine and the errors only:
never the op table's math, anything visual, or IPython.
"""

from __future__ import annotations

import operator
import sys
from typing import Any

import numpy as np

from ..errors import GraphError
from .callers import called_from_top_level
from .heads import check_heads
from .listeners import BackwardPass, has_listeners, notify
from .scopes import _scope
from .tape import Node, creation_counter, in_graph, node_at, relinked

# ----------------------------------------------------------------------------- the backward pass


def topological_order(heads: list) -> tuple[list[Node], dict[Node, Any]]:
    """Return the live nodes reachable from ``heads`` (inputs first) and each node's array.

    A node is always created after its inputs, so sorting by creation number ``seq`` gives
    a topological order without recursion.
    """
    arrays = {head._node: head for head in heads}
    stack = list(arrays)
    old_nodes = relinked.value  # some array got a new node from attach_grad() (rare)
    while stack:
        node = stack.pop()
        for x in node.inputs:
            child = getattr(x, "_node", None)
            if old_nodes and child is not None and child.seq > node.seq:  # the node it had
                child = node_at(x, node.seq)
            if child is None or child in arrays:
                continue
            if child.inputs is not None:
                arrays[child] = x
                stack.append(child)
            elif child.op is not None and child.attrs["freed_at"] > node.seq:
                _freed_under(node, x)
    return sorted(arrays, key=_creation_number), arrays


def _freed_under(node: Node, x: Any) -> None:
    """Refuse to go on: an input's history was freed *after* ``node`` used it."""
    raise GraphError(
        f"backward: an input of {node.op.name} (shape {x.shape}) had its graph freed by an "
        "earlier backward call, so gradients cannot flow through it. Pass retain_graph=True "
        "to the earlier backward when two results share part of a graph."
    )


_creation_number = operator.attrgetter("seq")


def _propagate(heads: list, head_grads: list, run: BackwardPass, trace: bool) -> None:
    """Walk the graph in reverse, filling ``run.grads`` with every node's total gradient."""
    grads, arrays = run.grads, run.arrays
    old_nodes = relinked.value  # (see topological_order)
    for head, head_grad in zip(heads, head_grads, strict=True):
        node = head._node
        grads[node] = head_grad if node not in grads else grads[node] + head_grad
    for node in reversed(run.order):
        # Without a listener, an intermediate's gradient is dropped once used (less memory).
        if trace or node.grad_data is not None:
            grad_out = grads.get(node)
        else:
            grad_out = grads.pop(node, None)
        if grad_out is None or node.op is None:
            continue
        inputs = node.inputs
        input_grads = node.op.vjp(grad_out, arrays[node], inputs, node.attrs)
        if trace:
            run.processed.append(node)
            run.sent.append(input_grads)
        for index, grad_x in enumerate(input_grads):
            if grad_x is None:
                continue
            x = inputs[index]
            child = x._node
            if old_nodes and child.seq > node.seq:  # attach_grad() since: the op's old node
                child = node_at(x, node.seq)
                if child is None:  # forgotten (attach_grad twice since): nobody can see it
                    continue
            old = grads.get(child)
            grads[child] = grad_x if old is None else old + grad_x


def _run(
    heads: Any, head_grads: Any, create_graph: bool, train_mode: bool, where: str = "backward"
) -> BackwardPass:
    """Check the heads, then run one backward pass with the flags set for it."""
    heads, head_grads = check_heads(heads, head_grads, where)
    order, arrays = topological_order(heads)
    trace = has_listeners()
    # (3 frames up: the caller of backward() or grad(), an NDArray method or the user's code)
    top_level = trace and called_from_top_level(3)
    run = BackwardPass(heads, order, arrays, writes_grads=where == "backward", top_level=top_level,
                       seq=next(creation_counter))  # fmt: skip
    with _scope(create_graph, train_mode):
        _propagate(heads, head_grads, run, trace)
    return run


def _free(run: BackwardPass) -> None:
    """Drop the history of every non-variable node the pass traversed (MXNet's default)."""
    freed_at = next(creation_counter)  # consumers recorded before this lost their inputs
    for node in run.order:
        if node.op is not None:
            node.inputs = None
            node.attrs = {"freed_at": freed_at}


_notify = notify  # (a module-level name, so tests can watch the calls)


def _finish(run: BackwardPass, free: bool) -> None:
    """Call the listeners, then free the graph (if ``free``) even when a listener raises."""
    try:
        _notify(run)
    finally:  # e.g. Ctrl-C while a viewer draws: the finished pass must not stay alive
        if free:
            _free(run)


def backward(
    heads: Any, head_grads: Any = None, retain_graph: bool = False, train_mode: bool = True
) -> None:
    """Compute the gradients of ``heads`` and write them into the variables' ``.grad``.

    Parameters
    ----------
    heads : NDArray or list of NDArray
        Outputs to differentiate. A non-scalar head behaves like its sum.
    head_grads : NDArray, list or None
        Gradients of some final value with respect to each head; ``None`` means ones.
    retain_graph : bool
        Keep the graph so the same heads can be differentiated again.
    train_mode : bool
        Training flag while the VJP rules run.

    Raises
    ------
    GraphError
        If a head is not in a recorded graph, or no reachable variable needs a gradient.
    ShapeError
        If a head gradient's shape differs from its head's shape.
    """
    run = _run(heads, head_grads, create_graph=False, train_mode=train_mode)
    targets = [n for n in run.order if n.grad_data is not None and n.grad_req != "null"]
    if not targets:
        raise GraphError(
            "backward: there are no inputs in the computation graph that require gradients. "
            "Call x.attach_grad() (grad_req 'write' or 'add') on an input before "
            "autograd.record()."
        )
    staged = _staged([(node, run.grads[node]._data) for node in targets if node in run.grads])
    adopted = set() if has_listeners() else _adoptable(staged, run.grads)
    try:
        _copy_in(staged, adopted)
    except KeyboardInterrupt:  # Ctrl-C in the middle of the writes: finish them, and the pass
        _copy_in(staged, adopted)  # (each write can be redone: as if not interrupted)
        _finish(run, free=not retain_graph)
        raise
    _finish(run, free=not retain_graph)


def _staged(pairs: list[tuple[Node, Any]]) -> list[tuple[Node, Any]]:
    """Return each buffer's new contents, computed before any is written (all or none).

    ``'add'``: the buffer plus the gradient, and plus the earlier ones when variables share
    a buffer (``mark_variables([x, y], [g, g], 'add')``). Writing them is then a plain copy
    that can be done again: an interrupt before the writes changes nothing, and one during
    them can finish them all.
    """
    sums: dict[int, Any] = {}
    staged = []
    for node, grad in pairs:
        if node.grad_req == "add":
            key = id(node.grad_data)
            grad = sums[key] = sums.get(key, node.grad_data) + grad
        staged.append((node, grad))
    return staged


def _adoptable(staged: list[tuple[Node, Any]], grads: dict) -> set[int]:
    """Which new gradients can *become* their variable's ``.grad`` buffer instead of a copy.

    Only when nobody but the engine holds either array: the old buffer (a user who kept
    ``g = x.grad``, or passed buffers to ``mark_variables``, expects them written in place)
    and the new one (not a head gradient, not another variable's gradient, not a
    ``Function``'s saved array). ``sys.getrefcount`` tells, counting the references this
    code holds itself. Saves a copy of every weight per step (5% of an MLP step). A viewer
    listening keeps gradients for its picture, so then every buffer is copied.
    """
    adopted = set()
    for k, (node, new) in enumerate(staged):
        if (type(new) is not np.ndarray or new.base is not None
                or new.shape != node.grad_data.shape or new.dtype != node.grad_data.dtype
                or not new.flags.c_contiguous or not new.flags.writeable):  # fmt: skip
            continue
        wrapper = grads.get(node)  # the NDArray backward computed (not the 'add' sum)
        wrapped = wrapper is not None and wrapper._data is new
        # the references this code holds: the staged tuple, the loop name, the call's
        # argument, and (wrapped) the wrapper; the wrapper's own: the dict, the name, the call
        if (sys.getrefcount(new) <= 3 + wrapped and sys.getrefcount(node.grad_data) <= 2
                and (not wrapped or sys.getrefcount(wrapper) <= 3)):  # fmt: skip
            adopted.add(k)
    return adopted


def _copy_in(staged: list[tuple[Node, Any]], adopted: set[int]) -> None:
    for k, (node, new) in enumerate(staged):
        if k in adopted:
            node.grad_data = new
        else:
            node.grad_data[...] = new
        node.fresh = True


def grad(
    heads: Any,
    variables: Any,
    head_grads: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    train_mode: bool = True,
) -> list:
    """Return the gradients of ``heads`` with respect to ``variables`` as new arrays.

    ``.grad`` buffers are left untouched. With ``create_graph=True`` the returned gradients
    are recorded, so they can be differentiated again (second derivatives).

    Raises
    ------
    GraphError
        If ``variables`` is empty or one of them does not require a gradient.
    """
    variables = list(variables) if isinstance(variables, (list, tuple)) else [variables]
    if not variables:
        raise GraphError("grad: variables cannot be an empty list; pass the arrays to "
                         "differentiate with respect to.")  # fmt: skip
    for k, var in enumerate(variables, start=1):
        if not hasattr(var, "_node"):
            raise TypeError(
                f"grad: variables must be NDArrays, but the {k}-th is a {type(var).__name__}; "
                "pass the arrays you called attach_grad() on."
            )
        node = var._node
        if node is None or node.grad_data is None or node.grad_req == "null":
            raise GraphError(
                f"grad: cannot differentiate with respect to the {k}-th variable because it "
                f"does not require gradient (shape {var.shape}). Call attach_grad() on it "
                "before autograd.record()."
            )
    run = _run(heads, head_grads, create_graph=create_graph, train_mode=train_mode, where="grad")
    with _scope(create_graph, train_mode):  # (the copies are recorded with create_graph)
        results = [_result_grad(var, run.grads.get(var._node), create_graph)
                   for var in variables]  # fmt: skip
    _finish(run, free=not (create_graph if retain_graph is None else retain_graph))
    return results


def _result_grad(var: Any, grad: Any, create_graph: bool = False) -> Any:
    """``grad``'s answer for one variable: a new array (zeros if no gradient reached it).

    Always a copy, in the variable's dtype: the gradient the pass computed may be another
    variable's too (``x + y`` sends the same array to both), the caller's head gradient, or
    a view of it, and writing into one answer must not change another (MXNET_API.md §1.4).
    With ``create_graph``, a gradient that does not depend on the variable (``x * 2`` gives
    2 everywhere) is still a function of it, with slope 0, as in MXNet: it is tied to the
    variable (``broadcast_like``, whose rule sends nothing to its second input), so it can be
    differentiated again and gives zeros.
    """
    fresh = grad is None or grad.dtype != var.dtype  # then the array below is new already
    if fresh:
        grad = var.zeros_like() if grad is None else grad.astype(var.dtype)
    if create_graph and not in_graph(grad):
        return grad.broadcast_like(var)  # (a new array, tied to the variable)
    return grad if fresh else grad.copy()
