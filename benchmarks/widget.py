"""The live widget (issue 4): what the extension costs a student's cell, kernel side.

- **backward → widget state**: after a backward pass of 10, 100 or 1,000 recorded ops,
  the time to turn it into the widget's new state (graph snapshot, DOT, inspector, stepper;
  the browser lays out the DOT) plus the static copy's SVG (laid out in the kernel), against
  rendering the same graph's SVG alone. Target: <= 1.2x the SVG alone.
- **training loops**: 1,000 iterations of a small linear-regression loop (lesson 05: a
  handful of tiny ops per step, the worst case for any per-step cost) and of a small MLP
  (lesson 06), 30 steps of the benchmark MLP (784-256-256-10), 20 steps on 1e6-element
  arrays, and the training cells of lessons 05 and 06 as they are written, each run in an
  IPython shell with and without ``%load_ext autogradviz`` (the widget front end is
  simulated: no browser). Target: <= 1.10x.
"""

from __future__ import annotations

from collections.abc import Callable

from benchmarks import rendering, timing

LOOP_SETUP = """
import numpy as np, time
import autogradviz as mx
from autogradviz import nd, autograd
rng = np.random.default_rng(0)
X = nd.array(rng.normal(size=(64, 2)))
Y = nd.array(X.asnumpy() @ np.array([[2.0], [-3.4]]) + 4.2)
w = nd.random_normal(shape=(2, 1)); b = nd.zeros((1,)); w.attach_grad(); b.attach_grad()
"""
LOOP = """
start = time.perf_counter()
for i in range(1000):
    with autograd.record():
        loss = ((nd.dot(X, w) + b - Y) ** 2).mean()
    loss.backward()
    w[:] = w - 0.1 * w.grad
    b[:] = b - 0.1 * b.grad
elapsed = time.perf_counter() - start
"""
MLP_SETUP = """
import numpy as np, time
from autogradviz import nd, autograd
rng = np.random.default_rng(0)
X = nd.array(rng.normal(size=(300, 2))); y = nd.array(rng.integers(0, 3, 300))
shapes = [(2, 32), (32,), (32, 32), (32,), (32, 3), (3,)]
params = [nd.array(rng.normal(size=s) * 0.3) for s in shapes]
for p in params:
    p.attach_grad()
W1, b1, W2, b2, W3, b3 = params
"""
MLP_LOOP = """
start = time.perf_counter()
for i in range(1000):
    with autograd.record():
        h = nd.relu(nd.dot(nd.relu(nd.dot(X, W1) + b1), W2) + b2)
        loss = nd.softmax_cross_entropy(nd.dot(h, W3) + b3, y) / 300
    loss.backward()
    for p in params:
        p[:] = p - 0.5 * p.grad
elapsed = time.perf_counter() - start
"""
BIG_SETUP = """
import numpy as np, time
from autogradviz import nd, autograd
# glibc serves big blocks by mmap until one is freed; then from its heap (no page faults).
# Free a few first, so that "on" and "off" run with the same allocator, whatever ran before.
for _ in range(3):
    np.empty(4 * 10**6, np.float32).fill(0)
rng = np.random.default_rng(0)
x = nd.array(rng.normal(size=10**6).astype(np.float32))
w = nd.array(rng.normal(size=10**6).astype(np.float32)); w.attach_grad()
"""
BIG_LOOP = """
start = time.perf_counter()
for i in range(20):
    with autograd.record():
        loss = ((w * x - 1.0) ** 2).mean()
    loss.backward()
    w[:] = w - 0.1 * w.grad
elapsed = time.perf_counter() - start
"""
BENCH_MLP_SETUP = """
import numpy as np, time
from autogradviz import nd, autograd
rng = np.random.default_rng(0)
X = nd.array(rng.normal(size=(128, 784)).astype(np.float32))
y = nd.array(rng.integers(0, 10, 128).astype(np.float32))
shapes = [(784, 256), (256,), (256, 256), (256,), (256, 10), (10,)]
params = [nd.array((rng.normal(size=s) * 0.05).astype(np.float32)) for s in shapes]
for p in params:
    p.attach_grad()
W1, b1, W2, b2, W3, b3 = params
"""
BENCH_MLP_LOOP = """
start = time.perf_counter()
for i in range(30):
    with autograd.record():
        h = nd.relu(nd.dot(nd.relu(nd.dot(X, W1) + b1), W2) + b2)
        loss = nd.softmax_cross_entropy(nd.dot(h, W3) + b3, y) / 128
    loss.backward()
    for p in params:
        p[:] = p - 0.1 * p.grad
elapsed = time.perf_counter() - start
"""


def _lesson_cells(lesson: str, setup: list[int], loop: int) -> tuple[str, str]:
    """Return a lesson's setup cells and its training cell, timed (``elapsed``), as code.

    Magics are left out and figures go to matplotlib's Agg backend (no kernel here); the
    code is the lesson's.
    """
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "notebooks" / f"{lesson}.ipynb"
    cells = [
        "".join(c["source"]) for c in json.loads(path.read_text())["cells"]
        if c["cell_type"] == "code"
    ]  # fmt: skip

    def plain(code: str) -> str:
        return "\n".join(line for line in code.splitlines() if not line.startswith("%"))

    setup_code = "import time, matplotlib\nmatplotlib.use('Agg')\n"
    setup_code += "\n".join(plain(cells[k]) for k in setup) + "\nimport matplotlib.pyplot\n"
    setup_code += "matplotlib.pyplot.close('all')\n"
    timed = "bench_start_ = time.perf_counter()\n" + plain(cells[loop])
    return setup_code, timed + "\nelapsed = time.perf_counter() - bench_start_\n"


LESSON_LOOPS = {
    "lesson 05's training cell as written (50 steps)": ("05-linear-regression-from-scratch",
                                                         [1, 2, 3, 4], 5),
    "lesson 06's training cell as written (300 steps)": ("06-mlp-from-scratch", [1, 2, 3], 5),
}  # fmt: skip

LOOPS = {
    "linear regression (lesson 05)": (LOOP_SETUP, LOOP),
    "MLP 2-32-32-3 (lesson 06)": (MLP_SETUP, MLP_LOOP),
    "benchmark MLP 784-256-256-10, batch 128 (30 steps)": (BENCH_MLP_SETUP, BENCH_MLP_LOOP),
    "1e6-element arrays (20 steps)": (BIG_SETUP, BIG_LOOP),
    **{name: _lesson_cells(*where) for name, where in LESSON_LOOPS.items()},
}


def _state_steps(n_ops: int) -> dict[str, Callable[[], object]]:
    import autogradviz as mx
    from autogradviz.graph import graph_from_capture
    from autogradviz.render.dot import to_dot
    from autogradviz.render.svg import svg_from_dot
    from autogradviz.widget.view import GraphView

    rendering._record_chain(n_ops)
    captured = mx.capture.last()
    graph = mx.last_graph()
    view = GraphView()

    def widget_state() -> object:
        view.push(lambda: graph_from_capture(captured))
        return view.canvas.dot, view.static_picture()  # the live state and the static copy

    return {"svg alone": lambda: svg_from_dot(to_dot(graph)), "widget": widget_state}


class _Handle:
    def update(self, *args: object, **kwargs: object) -> None:
        """Drop the update (there is no front end here)."""


def _loop_seconds(
    shell: object, code: tuple[str, str], with_extension: bool, repeats: int
) -> float:
    if with_extension:
        shell.run_line_magic("load_ext", "autogradviz")  # type: ignore[attr-defined]
    best = float("inf")
    for _ in range(repeats):
        shell.run_cell(code[0])  # type: ignore[attr-defined]
        shell.run_cell(code[1])  # type: ignore[attr-defined]
        best = min(best, shell.user_ns["elapsed"])  # type: ignore[attr-defined]
    if with_extension:
        shell.run_line_magic("unload_ext", "autogradviz")  # type: ignore[attr-defined]
    return best


def _loop_rows(repeats: int) -> list[tuple[str, float, float, str]]:
    import IPython.display
    from IPython.core.interactiveshell import InteractiveShell

    from autogradviz.jupyter import extension

    shell = InteractiveShell.instance()
    saved = IPython.display.display, extension._has_widget_frontend
    IPython.display.display = lambda *args, **kwargs: _Handle()  # simulate Jupyter's front end
    extension._has_widget_frontend = lambda _shell: True
    rows = []
    try:
        for name, code in LOOPS.items():
            off, on = [], []
            for _ in range(3):  # alternate, so both see the same machine load
                off.append(_loop_seconds(shell, code, False, repeats))
                on.append(_loop_seconds(shell, code, True, repeats))
            steps = "" if "steps)" in name else "1,000 steps of "
            rows.append((f"{steps}{name}, extension on/off", min(on) * 1e3,
                         min(off) * 1e3, "<= 1.10x extension off"))  # fmt: skip
    finally:
        IPython.display.display, extension._has_widget_frontend = saved
    return rows


def run(repeats: int, min_time: float, quick: bool) -> list[tuple[str, float, float, str]]:
    """Return rows ``(what, ours, floor, target)`` with times in milliseconds."""
    import autogradviz as mx

    rows = []
    was_enabled = mx.capture.is_enabled()
    mx.capture.enable()
    try:
        for n_ops in rendering.SIZES[:2] if quick else rendering.SIZES:
            seconds = timing.measure(_state_steps(n_ops), repeats, min_time)
            rows.append((f"backward -> widget state, {n_ops} ops", seconds["widget"] * 1e3,
                         seconds["svg alone"] * 1e3, "<= 1.20x svg alone"))  # fmt: skip
    finally:
        (mx.capture.enable if was_enabled else mx.capture.disable)()
    rows += _loop_rows(2 if quick else 5)
    return rows
