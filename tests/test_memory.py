"""Memory stays bounded through long training: 10,000 SGD steps of a small MLP.

A student's kernel runs for hours. Each test trains a 2-16-16-2 MLP (batch 32) for 10,000
steps and measures, at steps 1,000, 5,000 and 10,000, the resident memory (RSS) and the
number of live NDArrays: both reach a plateau. Weak references to each step's
intermediates show when its graph is freed. Runs plain, with graph capture on, and in an
IPython shell with the extension loaded and its widget displayed.

Each test prints its figures: ``pytest tests/test_memory.py -s`` shows them.
"""

from __future__ import annotations

import gc
import time
import weakref
from pathlib import Path

import numpy as np
import pytest

from autogradviz import autograd, capture, nd
from autogradviz.jupyter import extension
from autogradviz.ndarray import NDArray
from autogradviz.widget.view import GraphView

STEPS = 10_000
CHECKPOINTS = (1_000, 5_000, 10_000)
HISTORY = 20  # K: the widget's history limit in the extension test
# The bound on RSS growth between steps 1,000 and 10,000, in MiB. Measured growth: 0.0 plain,
# 0.0 with capture, under 1 with the widget (its first drawings warm graphviz and the
# allocator's caches). A leak of a single 32x16 float32 activation per step would add
# 18 MiB, a leak of each step's graph (about 50 arrays) several hundred, so 8 MiB leaves
# room for allocator noise while catching any per-step leak of an array. Smaller leaks of
# engine objects are caught exactly by counting live NDArrays.
RSS_GROWTH_MIB = 8.0
STATUS = Path("/proc/self/status")


def _rss_mib() -> float:
    """Resident memory of this process in MiB (Linux's /proc; other systems skip)."""
    if not STATUS.exists():
        pytest.skip("resident memory is read from /proc/self/status (Linux only)")
    for line in STATUS.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("/proc/self/status has no VmRSS line")


def _live_ndarrays() -> int:
    return sum(type(obj) is NDArray for obj in gc.get_objects())


class _MLP:
    """A 2-16-16-2 MLP trained by plain SGD on a fixed batch of 32 (regression to noise)."""

    def __init__(self, retain_graph: bool = False) -> None:
        rng = np.random.default_rng(0)
        self.x = nd.array(rng.normal(size=(32, 2)))
        self.y = nd.array(rng.normal(size=(32, 2)))
        shapes = [(2, 16), (16,), (16, 16), (16,), (16, 2), (2,)]
        self.params = [nd.array(rng.normal(size=shape) * 0.3) for shape in shapes]
        for param in self.params:
            param.attach_grad()
        self.retain_graph = retain_graph
        self.hidden = None  # weak reference to this step's first hidden activation

    def step(self):
        w1, b1, w2, b2, w3, b3 = self.params
        with autograd.record():
            hidden = nd.relu(nd.dot(self.x, w1) + b1)
            self.hidden = weakref.ref(hidden)
            hidden = nd.tanh(nd.dot(hidden, w2) + b2)
            loss = ((nd.dot(hidden, w3) + b3 - self.y) ** 2).mean()
        loss.backward(retain_graph=self.retain_graph)
        for param in self.params:
            param[:] = param - 0.05 * param.grad
        return loss


class _Probe:
    """Called after every step: measures at the checkpoints, checks the graph was freed."""

    def __init__(self, mlp: _MLP, freed_after: int, seconds_after: float = 0.0) -> None:
        self.mlp = mlp
        self.freed_after = freed_after  # steps after which a step's intermediates are gone
        self.seconds_after = seconds_after  # ... and seconds (a pass waiting to be drawn)
        self.refs: dict[int, tuple[weakref.ref, float]] = {}
        self.rss: dict[int, float] = {}
        self.arrays: dict[int, int] = {}
        self.seconds: dict[int, float] = {}
        self.start = time.perf_counter()

    def __call__(self, step: int) -> None:
        now = time.perf_counter()
        if step % 500 == 0:
            self.refs[step] = self.mlp.hidden, now
        for old_step, (old, when) in list(self.refs.items()):
            if step - old_step >= self.freed_after and now - when >= self.seconds_after:
                del self.refs[old_step]  # freed by plain reference counting: no gc.collect()
                assert old() is None, f"step {old_step}'s graph is still alive at step {step}"
        if step in CHECKPOINTS:
            self.rss[step] = _rss_mib()
            self.arrays[step] = _live_ndarrays()
            self.seconds[step] = time.perf_counter() - self.start

    def report(self, label: str) -> str:
        rows = ", ".join(
            f"step {s}: {self.rss[s]:.1f} MiB, {self.arrays[s]} arrays, {self.seconds[s]:.1f} s"
            for s in CHECKPOINTS
        )
        return f"{label}: {rows}"

    def check_plateau(self, array_slack: int) -> None:
        first, last = CHECKPOINTS[0], CHECKPOINTS[-1]
        growth = self.rss[last] - self.rss[first]
        assert growth < RSS_GROWTH_MIB, f"RSS grew {growth:.1f} MiB over {last - first} steps"
        assert self.arrays[last] <= self.arrays[first] + array_slack, self.arrays


def _train(mlp: _MLP, probe: _Probe) -> None:
    for step in range(1, STEPS + 1):
        loss = mlp.step()
        probe(step)
    assert float(loss.asscalar()) < 0.9  # it did learn something (starts near 1.4)


@pytest.mark.usefixtures("without_capture")
def test_memory_plain_training_plateaus():
    # Without capture, backward frees each step's graph before the step even returns.
    mlp = _MLP()
    probe = _Probe(mlp, freed_after=0)
    _train(mlp, probe)
    probe.check_plateau(array_slack=5)
    print("\n" + probe.report("plain"))


@pytest.mark.usefixtures("with_capture")
def test_memory_capture_keeps_only_the_last_pass():
    # With capture on, the last pass stays alive for last_graph(); the next one replaces it.
    mlp = _MLP()
    probe = _Probe(mlp, freed_after=1)
    _train(mlp, probe)
    assert mlp.hidden() is not None  # the last pass, kept for drawing
    probe.check_plateau(array_slack=5)
    capture.clear()
    assert mlp.hidden() is None
    print("\n" + probe.report("capture"))


@pytest.mark.usefixtures("without_capture")
def test_memory_retain_graph_freed_when_heads_go_away():
    # A retained graph lives exactly as long as its head: dropping the head frees it by
    # reference counting (the graph has no cycles, so no gc.collect() is needed).
    mlp = _MLP(retain_graph=True)
    counts = []
    for step in range(1, 2_001):
        loss = mlp.step()
        assert mlp.hidden() is not None  # the head keeps its retained graph
        del loss
        assert mlp.hidden() is None
        if step in (500, 2_000):
            counts.append(_live_ndarrays())
    assert counts[1] <= counts[0] + 5


@pytest.mark.usefixtures("with_capture")
def test_memory_retain_graph_with_capture_freed_by_the_next_pass():
    mlp = _MLP(retain_graph=True)
    loss = mlp.step()
    first = mlp.hidden
    del loss
    assert first() is not None  # the captured pass still holds it
    loss = mlp.step()
    assert first() is None  # replaced by the next pass
    loss.backward()  # retained: a second backward works, then frees it
    del loss
    capture.clear()
    assert mlp.hidden() is None


# ----------------------------------------------------------------------------- the widget


@pytest.fixture
def widget_shell(jupyter_shell, monkeypatch):
    """The Jupyter-mode shell, redrawing and sampling often (the widget works hard)."""
    monkeypatch.setattr(extension, "REDRAW_SECONDS", 0.25)
    monkeypatch.setattr(extension, "SAMPLE_SECONDS", 0.02)
    jupyter_shell.run_line_magic("autogradviz", f"--history {HISTORY}")
    yield jupyter_shell
    for name in ("mlp", "probe", "loss", "step"):
        jupyter_shell.user_ns.pop(name, None)


def test_memory_widget_history_stays_at_its_limit(widget_shell, monkeypatch):
    redraws = []
    original_refresh = GraphView.refresh
    monkeypatch.setattr(GraphView, "refresh",
                        lambda view: redraws.append(1) or original_refresh(view))  # fmt: skip
    mlp = _MLP()
    # The history keeps at most K snapshots, plus at most K passes waiting for the next
    # drawing (pinned, with their engine arrays, so that the loop never pays for a
    # snapshot): a step's engine arrays are gone 2K + 1 steps later, once the next drawing
    # (at most a redraw interval away) has built the passes waiting for it.
    probe = _Probe(mlp, freed_after=2 * HISTORY + 1, seconds_after=2 * extension.REDRAW_SECONDS)
    widget_shell.user_ns.update(mlp=mlp, probe=probe)
    warm_up = widget_shell.run_cell("loss = mlp.step()")  # imports the widget's modules
    assert warm_up.success
    cell = widget_shell.run_cell(
        f"for step in range(1, {STEPS + 1}):\n    loss = mlp.step()\n    probe(step)"
    )
    assert cell.success, cell.error_in_exec
    view = extension._session.view
    assert view is not None
    assert view._entries.maxlen == HISTORY
    assert len(view._entries) == HISTORY  # full, and no longer
    assert max(entry.iteration for entry in view._entries) == STEPS  # the last is shown
    assert len(redraws) >= 2  # drawn during the loop, not only at the end
    # Each kept pass holds under 60 arrays (17 nodes, their gradients, the parameters).
    probe.check_plateau(array_slack=2 * HISTORY * 60)
    print("\n" + probe.report(f"widget (history {HISTORY}, {len(redraws)} redraws)"))
