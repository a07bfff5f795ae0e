"""The backward stepper's widget side: its status line and the re-colouring of slow drawings.

The model (what the gradients were after the first k steps of backward: ``step_count``,
``processing``, ``grads_after``, ``graph_at_step``, ``drawn_name``) lives in
``graph/steps.py``, where the saved handout (``render/handout.py``) reads it too; it is
imported here so that ``widget.stepper`` keeps its names. Reads only the graph model.
"""

from __future__ import annotations

import html
from typing import Any

from ..graph.model import Graph
from ..graph.steps import drawn_name, grads_after, graph_at_step, processing, step_count

__all__ = ["drawn_name", "graph_at_step", "grads_after", "processing", "status_html",
           "step_count", "step_marks"]  # fmt: skip


def status_html(graph: Graph, step: int, stepping: bool, fold: bool = True) -> str:
    """Return the stepper's status line (HTML): which node sent its gradient at ``step``."""
    steps = step_count(graph)
    if not stepping:
        return (f"backward finished in {steps} step{'s' * (steps != 1)}: every gradient is "
                "final. Press Step to replay it.")  # fmt: skip
    if step == 0:
        return f"step 0 of {steps}: only the head gradient is known"
    node = processing(graph, step)
    assert node is not None  # 1 <= step <= steps here
    name = html.escape(drawn_name(graph, node, fold))
    op = f" ({html.escape(node.op)})" if node.name else ""
    done = " Backward is finished." if step == steps else ""
    return f"step {step} of {steps}: <b>{name}</b>{op} sent its gradient to its inputs.{done}"


def step_marks(graph: Graph, step: int, box_of: dict[str, str]) -> dict[str, Any]:
    """Return what re-colouring a drawn graph shows at ``step`` (for graphs slow to lay out).

    ``current``: the box of the node being processed (none at step 0); ``arrows``: its
    arrows, from each input's box to it; ``dim``: the boxes no gradient has reached yet.
    ``box_of`` maps node ids to the drawn boxes (``render.boxes``). Empty at the end.
    """
    if step >= step_count(graph):
        return {}
    node = processing(graph, step)  # None at step 0: only the head gradient is known
    grads = grads_after(graph, step)
    current = box_of.get(node.id, node.id) if node is not None else ""
    inputs = node.inputs if node is not None else ()
    arrows = sorted({(box_of[src], current) for src in inputs if src in box_of})
    reached = {box_of[i] for i, grad in grads.items() if grad is not None and i in box_of}
    dim = sorted(set(box_of.values()) - reached - {current})
    return {"current": current, "arrows": [list(a) for a in arrows], "dim": dim}
