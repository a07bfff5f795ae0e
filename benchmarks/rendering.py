"""Graph capture and rendering (issue 3): what seeing the graph costs.

Two measurements, each against its own floor:

- **to SVG**: ``last_graph()`` then ``to_svg()`` (the embedded Graphviz, WebAssembly in this
  process) for graphs of 10, 100 and 1,000 recorded ops, against running ``dot -Tsvg``
  alone on the same DOT text (the floor: a native Graphviz's layout). Target: <= 1.20x.
- **embedded Graphviz alone**: ``svg_from_dot`` by the WebAssembly Graphviz (plain labels and
  their restyling included) against ``dot -Tsvg`` on the same DOT. Target: <= 1.20x.
- **compiling the embedded Graphviz**: a new process's first layout, with wasmtime's cache
  empty (a new machine) and filled (every later process). Reported, no target.
- **capture on vs off**: ``backward()`` alone (the graph recorded untimed) on scenario (c)'s
  10,000-op DAG and (b)'s MLP, with ``autogradviz.capture`` enabled and disabled.
  Target: <= 1.10x. (Recording call sites adds about 0.5 µs per op to the forward pass.)
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from typing import Any

from benchmarks import dag, mlp, timing

SIZES = (10, 100, 1000)


def _record_chain(n_ops: int) -> None:
    """Record ``n_ops`` ops mixing a variable, a constant and four op kinds, then backward."""
    from autogradviz import autograd, nd

    x, w = nd.array([0.5, -0.25, 1.0]), nd.array([0.9, 1.1, 0.95])
    x.attach_grad()
    with autograd.record():
        y = x
        for i in range(n_ops):
            y = (y * w, nd.tanh(y), y + x, y * 0.5)[i % 4]
    y.backward()


def _dot_alone(dot_text: str) -> Callable[[], object]:
    """The floor: the system's ``dot -Tsvg`` on ``dot_text``, process start included."""
    program = shutil.which("dot")
    return lambda: subprocess.run([program, "-Tsvg"], input=dot_text.encode(), capture_output=True)


def _svg_steps(n_ops: int) -> dict[str, Callable[[], object]]:
    import autogradviz as mx

    _record_chain(n_ops)
    floor = _dot_alone(mx.last_graph().to_dot())
    return {"dot alone": floor, "autogradviz": lambda: mx.last_graph().to_svg(graphviz="wasm")}


def _embedded_steps(n_ops: int) -> dict[str, Callable[[], object]]:
    import autogradviz as mx
    from autogradviz.render.svg import svg_from_dot

    _record_chain(n_ops)
    dot_text = mx.last_graph().to_dot()
    embedded = lambda: svg_from_dot(dot_text, graphviz="wasm")  # noqa: E731
    return {"dot alone": _dot_alone(dot_text), "embedded": embedded}


FIRST_LAYOUT = (
    "import time; t = time.perf_counter()\n"
    "from autogradviz.render.svg import svg_from_dot\n"
    "svg_from_dot('digraph { a -> b }', graphviz='wasm')\n"
    "print(time.perf_counter() - t)"
)


def _first_layout_seconds(home: str) -> float:
    """A new process's import + first layout, with wasmtime's cache under ``home``."""
    import os
    import sys

    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=os.path.join(home, ".cache"))
    done = subprocess.run([sys.executable, "-c", FIRST_LAYOUT], env=env, check=True,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


def _compile_row() -> tuple[str, float, float, str]:
    import tempfile

    with tempfile.TemporaryDirectory() as home:
        cold = _first_layout_seconds(home)
        warm = min(_first_layout_seconds(home) for _ in range(3))
    return (
        "first layout in a new process: cache empty vs filled",
        cold * 1e3,
        warm * 1e3,
        "reported (no target)",
    )


def _capture_prepares(module: Any, inputs: dict) -> dict[str, Callable[[], Callable]]:
    """Record the graph untimed (capture on or off), return its backward to time."""
    import autogradviz as mx

    def prepare(enabled: bool) -> Callable:
        (mx.capture.enable if enabled else mx.capture.disable)()
        return module.autogradviz_prepare(inputs)

    return {"capture off": lambda: prepare(False), "capture on": lambda: prepare(True)}


def run(repeats: int, min_time: float, quick: bool) -> list[tuple[str, float, float, str]]:
    """Return rows ``(what, ours, floor, target)`` with times in milliseconds."""
    import autogradviz as mx

    rows = []
    was_enabled = mx.capture.is_enabled()
    mx.capture.enable()
    try:
        if shutil.which("dot"):
            for n_ops in SIZES[:2] if quick else SIZES:
                seconds = timing.measure(_svg_steps(n_ops), repeats, min_time)
                rows.append((f"last_graph() -> SVG, {n_ops} ops", seconds["autogradviz"] * 1e3,
                             seconds["dot alone"] * 1e3, "<= 1.20x dot alone"))  # fmt: skip
            for n_ops in SIZES[:2] if quick else SIZES:
                seconds = timing.measure(_embedded_steps(n_ops), repeats, min_time)
                rows.append((f"embedded Graphviz, {n_ops} ops", seconds["embedded"] * 1e3,
                             seconds["dot alone"] * 1e3, "<= 1.20x dot alone"))  # fmt: skip
        rows.append(_compile_row())
        for name, module, size in (("(c) DAG", dag, {"n_ops": 1000 if quick else 10_000}),
                                   ("(b) MLP", mlp, {})):  # fmt: skip
            prepares = _capture_prepares(module, module.make_inputs(**size))
            seconds = timing.measure_prepared(prepares, max(repeats, 15))
            rows.append((f"{name} backward(), capture on vs off", seconds["capture on"] * 1e3,
                         seconds["capture off"] * 1e3, "<= 1.10x capture off"))  # fmt: skip
    finally:
        (mx.capture.enable if was_enabled else mx.capture.disable)()
    return rows


def table(rows: list[tuple[str, float, float, str]]) -> str:
    """Format rows as a text table with the ratio and whether each target is met."""
    lines = [f"{'graph capture and rendering':44}  {'ours ms':>9}  {'floor ms':>9}  "
             f"{'ratio':>6}  target"]  # fmt: skip
    for what, ours, floor, target in rows:
        verdict = _verdict(ours, floor, target)
        lines.append(f"{what:44}  {ours:9.3f}  {floor:9.3f}  {ours / floor:5.2f}x  "
                     f"{target}: {verdict}")  # fmt: skip
    return "\n".join(lines)


def _verdict(ours: float, floor: float, target: str) -> str:
    if not target.startswith("<="):
        return "-"
    limit = float(target.split("x")[0].split()[-1])
    return "MET" if ours / floor <= limit else "NOT met"


def markdown(rows: list[tuple[str, float, float, str]]) -> str:
    """Format rows as a Markdown table."""
    out = ["| measurement | ours (ms) | floor (ms) | ratio | target |", "|---|---|---|---|---|"]
    for what, ours, floor, target in rows:
        out.append(f"| {what} | {ours:.3f} | {floor:.3f} | {ours / floor:.2f}x | {target} |")
    return "\n".join(out)
