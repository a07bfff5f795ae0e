"""``get_symbol``: the recorded history of an array, as a small symbol-like object.

Leaves are named the way MXNet names them (``var<k>`` for variables, ``null<k>`` for captured
constant arrays) and ops ``node_<k>``. Imports ``errors`` and ``tape`` only.
"""

from __future__ import annotations

from typing import Any

from ..errors import GraphError
from .tape import Node, in_graph


class Symbol:
    """The recorded graph behind one array: its arguments (leaves) and its output."""

    def __init__(self, arguments: list[str], output: str, nodes: list[Node]) -> None:
        self._arguments = arguments
        self._output = output
        self.nodes = nodes

    def list_arguments(self) -> list[str]:
        """Return the names of the graph's leaves in creation order."""
        return list(self._arguments)

    def list_outputs(self) -> list[str]:
        """Return the name of the graph's output."""
        return [self._output]

    def __repr__(self) -> str:
        return f"<Symbol {self._output}>"


def _history(head_node: Node) -> list[Node]:
    seen, stack = {head_node}, [head_node]
    while stack:
        for x in stack.pop().inputs:
            node = getattr(x, "_node", None)
            if node is not None and node.inputs is not None and node not in seen:
                seen.add(node)
                stack.append(node)
    return sorted(seen, key=lambda node: node.seq)


def get_symbol(x: Any) -> Symbol:
    """Return the recorded history of ``x``.

    Raises
    ------
    GraphError
        If ``x`` is not part of a recorded graph.
    """
    if not hasattr(x, "_node"):
        raise TypeError(f"get_symbol: expected an NDArray, got {type(x).__name__}.")
    if not in_graph(x):
        raise GraphError(
            "get_symbol: NDArray is not part of a computation graph. Did you forget to turn "
            "on recording? Compute it inside `with autograd.record():`."
        )
    nodes = _history(x._node)
    names: dict[int, str] = {}
    for node in nodes:
        if node.op is None:
            names.setdefault(id(node), f"var{len(names)}")
            continue
        for x in node.inputs:
            if hasattr(x, "_node") and not in_graph(x):
                names.setdefault(id(x), f"null{len(names)}")
    arguments = list(names.values())
    ops = [node for node in nodes if node.op is not None]
    return Symbol(arguments, f"node_{len(ops) - 1}_output" if ops else "var0", nodes)
