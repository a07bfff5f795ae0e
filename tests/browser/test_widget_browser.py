"""The widget in a real JupyterLab, driven through Debian's Chromium (issue 4, "a real browser").

The seed notebook is run with Run > Run All Cells; then, as a student would: wait for the
graph, click the node of ``x``, read its gradient in the inspector, press Step and watch the
highlight move in backward order. The last state is saved as a screenshot: to refresh the
README's picture, run ``make screenshot`` (it sets ``AUTOGRADVIZ_SCREENSHOT=docs/img/widget.png``).

The widget's DOM contract checked here: ``.agv-widget`` (root), ``.agv-graph`` (the anywidget
canvas) holding Graphviz SVG whose nodes are ``g.node`` with ``id`` = node id (``n0`` x,
``n1`` y, ``n2`` f), ``.agv-inspector``, ``.agv-status``, the stepper ``.agv-back``,
``.agv-step``, ``.agv-play``, ``.agv-slider``, the ``.agv-history`` selector, and the stroke
``#ff7f0e`` on the node being processed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from seed_notebook import SEED_CELLS, seed_notebook

pytestmark = pytest.mark.browser

SCREENSHOT_VARIABLE = "AUTOGRADVIZ_SCREENSHOT"  # where to save it; a temp file by default
TIMEOUT_MS = 30_000

# The ids of the graph's nodes drawn with the highlight stroke (attribute or CSS).
_HIGHLIGHTED_JS = """() => [...document.querySelectorAll('.agv-graph g.node')]
  .filter(node => [...node.querySelectorAll('*')].some(el => {
    const stroke = (el.getAttribute('stroke') || getComputedStyle(el).stroke || '');
    return /^(#ff7f0e|rgb\\(255, 127, 14\\))$/i.test(stroke.trim());
  }))
  .map(node => node.id)"""

# Every agv-* class on the page: tells which part of the contract is there when one is not.
_AGV_CLASSES_JS = """() => [...new Set([...document.querySelectorAll('[class*="agv-"]')]
  .flatMap(el => [...el.classList]).filter(c => c.startsWith('agv-')))].sort()"""


def _need(page: Any, selector: str, what: str, timeout: int = TIMEOUT_MS) -> Any:
    """The first element matching ``selector``, or a failure naming the selector."""
    locator = page.locator(selector).first
    try:
        locator.wait_for(state="attached", timeout=timeout)
    except Exception as exc:  # playwright's TimeoutError
        present = page.evaluate(_AGV_CLASSES_JS)
        raise AssertionError(
            f"{what}: selector {selector!r} matched nothing; agv-* classes on the page: {present}"
        ) from exc
    return locator


def _text(page: Any, selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())


def test_harness_round_trip(open_notebook: Any) -> None:
    """The harness itself, on plain ipywidgets: a browser click reaches Python and back."""
    nb = seed_notebook(
        [
            "import ipywidgets as w\n"
            "html = w.HTML('nothing yet'); html.add_class('agv-inspector')\n"
            "button = w.Button(description='Step'); button.add_class('agv-step')\n"
            "button.on_click(lambda b: setattr(html, 'value', 'clicked'))\n"
            "w.VBox([html, button])"
        ]
    )
    notebook = open_notebook("harness.ipynb", nb)
    notebook.run_all()
    page = notebook.page
    _need(page, ".agv-step", "button").click()
    page.wait_for_function(
        "() => document.querySelector('.agv-inspector').textContent.includes('clicked')",
        timeout=TIMEOUT_MS,
    )
    cell = notebook.new_cell("for word in ['a', 'b']:\n    print(word)\nhtml.value")
    assert cell.locator(".jp-OutputArea").inner_text().split()[-1] == "'clicked'"


def test_seed_graph_click_and_step(open_notebook: Any, tmp_path: Path) -> None:
    screenshot = Path(os.environ.get(SCREENSHOT_VARIABLE) or tmp_path / "widget.png")
    notebook = open_notebook("seed.ipynb", seed_notebook(SEED_CELLS))
    notebook.run_all()
    page = notebook.page

    # the graph, under the backward cell only, one widget
    _need(page, ".agv-graph svg", "graph canvas with SVG")
    backward_cell = notebook.panel.locator(".jp-CodeCell").nth(len(SEED_CELLS) - 1)
    assert page.locator(".agv-widget").count() == 1, "expected one .agv-widget on the page"
    assert backward_cell.locator(".agv-widget").count() == 1, "widget not under backward cell"
    for selector in (".agv-back", ".agv-step", ".agv-play", ".agv-slider", ".agv-history"):
        _need(backward_cell, selector, "widget control")
    for node_id, name in (("n0", "x"), ("n1", "y"), ("n2", "f")):
        _need(page, f".agv-graph g.node#{node_id}", f"graph node of {name}")

    # click x: the inspector shows its name, value and gradient [[4, 8], [1.2, 1.6]]
    page.locator(".agv-graph g.node#n0").click()
    inspector = _need(page, ".agv-inspector", "inspector")
    try:
        page.wait_for_function(
            "() => { const t = document.querySelector('.agv-inspector').textContent;"
            " return t.includes('1.2') && t.includes('1.6'); }",
            timeout=TIMEOUT_MS,
        )
    except Exception as exc:
        raise AssertionError(
            f"after clicking .agv-graph g.node#n0 the .agv-inspector shows no 1.2 and 1.6:"
            f" {inspector.inner_text()!r}"
        ) from exc
    assert re.search(r"\bx\b", inspector.inner_text()), inspector.inner_text()

    # Step walks the backward order: f (n2) then y (n1), the status naming the node
    status = _need(page, ".agv-status", "stepper status")
    step = _need(page, ".agv-step", "Step button")
    seen = [(" ".join(status.inner_text().split()), page.evaluate(_HIGHLIGHTED_JS))]
    for _ in range(3):
        before = seen[-1][0]
        step.click()
        try:
            page.wait_for_function(
                "before => document.querySelector('.agv-status').innerText"
                ".split(/\\s+/).filter(Boolean).join(' ') !== before",
                arg=before,
                timeout=10_000,
            )
        except Exception as exc:
            raise AssertionError(
                f"pressing .agv-step did not change .agv-status (still {before!r})"
            ) from exc
        seen.append((_text(page, ".agv-status"), page.evaluate(_HIGHLIGHTED_JS)))
        if seen[-1][1] == ["n1"]:
            break
    for text, highlighted in seen:
        assert len(highlighted) <= 1, f"several nodes highlighted at {text!r}: {highlighted}"
    order = [ids[0] for _, ids in seen if ids]
    order = [node for i, node in enumerate(order) if i == 0 or order[i - 1] != node]
    assert order[:2] == ["n2", "n1"], f"highlight (stroke #ff7f0e) moved as {seen}"
    names = {"n2": "f", "n1": "y"}
    for text, highlighted in seen:
        if highlighted and highlighted[0] in names:
            assert re.search(rf"\b{names[highlighted[0]]}\b", text), (text, highlighted)

    # Back from y's step returns to f's
    _need(page, ".agv-back", "Back button").click()
    try:
        page.wait_for_function(f"() => ({_HIGHLIGHTED_JS})().join() === 'n2'", timeout=10_000)
    except Exception as exc:
        raise AssertionError(
            f"pressing .agv-back after y's step highlights {page.evaluate(_HIGHLIGHTED_JS)},"
            f" expected ['n2']; status {_text(page, '.agv-status')!r}"
        ) from exc
    step.click()  # back to y's step for the picture
    page.wait_for_function(f"() => ({_HIGHLIGHTED_JS})().join() === 'n1'", timeout=10_000)

    # the README's picture: file browser hidden, the widget in view
    notebook.hide_file_browser()
    notebook.screenshot(screenshot, of=page.locator(".agv-widget"))
    assert screenshot.stat().st_size > 10_000
