"""The graph in a real browser (issue 10): JupyterLab + Debian's Chromium, and saved notebooks.

- **backward → drawn in Chromium**: a cell records a chain of 10, 100 or 1,000 ops and calls
  ``backward()``; the time from that call (the kernel's wall clock) until the canvas has drawn
  the SVG laid out by the browser's Graphviz (``data-agv-drawn-at``, the browser's wall clock;
  both on this machine). Floor: ``dot -Tsvg`` alone on the same graph's DOT.
  A first cell loads Graphviz into the page's worker, so the sizes measure later graphs.
  Also reported: until the widget's view exists (``data-agv-render-at``), the part of that
  time JupyterLab spends before the canvas gets the DOT.
- **layout in the worker**: the same graphs' layout time inside the browser's Web Worker
  (``data-agv-layout-ms``) against ``dot -Tsvg`` alone.
- **notebook size** with 5 and 50 graph widgets, executed headless (nbclient) and saved with
  widget state: the Graphviz bundle must add under 1 MB whatever the count.
Skipped (with a note) without Chromium, playwright or a system ``dot`` for the floor.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10, 100, 1000)
ROUNDS = 3
CHAIN = """
import time
import autogradviz as mx
from autogradviz import nd, autograd
def chain(n):
    x, w = nd.array([0.5, -0.25, 1.0]), nd.array([0.9, 1.1, 0.95])
    x.attach_grad()
    with autograd.record():
        y = x
        for i in range(n):
            y = (y * w, nd.tanh(y), y + x, y * 0.5)[i % 4]
    return y
"""
MEASURED = "y = chain({n})\nstart_ms = time.time() * 1000\ny.backward()\nprint(start_ms)"
# The last pass is still captured: its DOT is the one the widget sent (same default options).
SAVE_DOT = "open('graph-{k}.dot', 'w').write(mx.last_graph().to_dot())"


def _lab() -> Any:
    sys.path.insert(0, str(ROOT / "tests"))
    from browser import lab

    return lab


def _browser_times(root: Path) -> list[dict[str, float]]:
    """In JupyterLab, run each measured cell alone (the page idle before it); return, per
    cell, the size and the times in ms: backward to drawn, to the view made, and the layout."""
    import nbformat
    from playwright.sync_api import sync_playwright

    lab = _lab()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    setup = ["%load_ext autogradviz", CHAIN, MEASURED.format(n=3)]  # 3: load the worker
    nb.cells = [nbformat.v4.new_code_cell(source) for source in setup]
    nbformat.write(nb, root / "bench.ipynb")
    server = lab.LabServer(root)
    with lab.reaping_orphans(), sync_playwright() as playwright:
        server.start()
        browser = lab.launch_chromium(playwright)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
            notebook = lab.NotebookPage(page)
            notebook.open(server.url("bench.ipynb"), n_cells=len(setup))
            notebook.run_all(timeout=300)
            page.locator(".agv-graph[data-agv-drawn-at]").first.wait_for(timeout=120_000)
            times = []
            for _ in range(ROUNDS):
                for n in SIZES:
                    cell = notebook.new_cell(MEASURED.format(n=n), timeout=300)
                    cell.locator(".agv-graph[data-agv-drawn-at]").wait_for(timeout=120_000)
                    times.append(_cell_times(cell, n))
                    notebook.new_cell(SAVE_DOT.format(k=len(times) - 1))
            return times
        finally:
            browser.close()
            server.stop()


def _cell_times(cell: Any, n: int) -> dict[str, float]:
    stdout = cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]')
    start_ms = float((stdout.first.text_content() or "").split()[0])
    canvas = cell.locator(".agv-graph")
    drawn_ms = float(canvas.get_attribute("data-agv-drawn-at"))
    render_ms = float(canvas.get_attribute("data-agv-render-at"))
    layout_ms = float(canvas.get_attribute("data-agv-layout-ms"))
    return {"n": n, "latency": drawn_ms - start_ms, "layout": layout_ms,
            "view": render_ms - start_ms}  # fmt: skip


def _dot_alone_ms(path: Path, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(["dot", "-Tsvg"], input=path.read_bytes(), capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def _notebook_size(graphs: int, workdir: Path) -> tuple[int, int]:
    """Bytes of a notebook with ``graphs`` graph widgets saved with state, and of its bundle."""
    import nbclient
    import nbformat

    cells = ["%load_ext autogradviz", CHAIN]
    cells += [f"y = chain(3 + {k} % 5)\ny.backward()" for k in range(graphs)]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(workdir)}}).execute()  # fmt: skip
    path = workdir / f"size-{graphs}.ipynb"
    nbformat.write(nb, path)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    bundles = [
        len(json.dumps(m["state"]["worker"])) for m in state.values() if "worker" in m["state"]
    ]
    return path.stat().st_size, sum(bundles)


def missing() -> str | None:
    """Say why this benchmark cannot run here, or None."""
    if not os.access("/usr/bin/chromium", os.X_OK):
        return "Debian's chromium is missing (.ci/system-deps chromium)"
    if shutil.which("dot") is None:
        return "no system dot for the floor (.ci/system-deps dot)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is missing (pip install -e '.[test]')"
    return None


def run(quick: bool) -> tuple[list[tuple[str, float, float, str]], list[str]]:
    """Return timing rows ``(what, ours ms, floor ms, target)`` and notebook-size lines."""
    reason = missing()
    if reason:
        return [], [f"browser benchmark skipped: {reason}"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        times = _browser_times(root)
        rows = []
        for n in SIZES:
            mine = [(k, t) for k, t in enumerate(times) if t["n"] == n]
            floor = min(_dot_alone_ms(root / f"graph-{k}.dot") for k, _ in mine)
            best = {key: min(t[key] for _, t in mine) for key in ("view", "latency", "layout")}
            rows.append((f"backward -> widget view made in Chromium, {n} ops", best["view"],
                         floor, "reported (no target)"))  # fmt: skip
            rows.append((f"backward -> drawn in Chromium, {n} ops", best["latency"], floor,
                         "reported (no target)"))  # fmt: skip
            rows.append((f"layout in the browser's worker, {n} ops", best["layout"], floor,
                         "<= 1.00x dot alone"))  # fmt: skip
        lines = []
        for graphs in (5,) if quick else (5, 50):
            size, bundle = _notebook_size(graphs, root)
            verdict = "MET" if bundle < 1_000_000 else "NOT met"
            lines.append(f"notebook with {graphs} graphs, widget state saved: "
                         f"{size / 1e3:,.0f} kB, of which the Graphviz bundle "
                         f"{bundle / 1e3:,.0f} kB (once): bundle < 1 MB whatever the count: "
                         f"{verdict}")  # fmt: skip
    return rows, lines
