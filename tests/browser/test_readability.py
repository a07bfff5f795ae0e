"""The readability floor, in a real JupyterLab (issue 11): what a student sees at first sight.

Lessons 05 and 06 are run as they are; every graph on the page must draw its text at 11 CSS
pixels or more (font size × the drawing's scale on screen), across the output area's full
width; W1, W2 and W3 must be there to click, and a click must mark the node. A 300-node graph
scrolls instead of shrinking, with an overview (the minimap). Screenshots are saved (for
the README: ``make screenshot``); open them and look.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from .lab import lesson

pytestmark = pytest.mark.browser

FLOOR_PX = 11
TIMEOUT_MS = 60_000

# For each widget: the smallest text on screen (px), its count, the canvas's width, the
# output area's width, whether the minimap shows, and the texts drawn.
_MEASURE_JS = """() => [...document.querySelectorAll('.agv-widget')].map(widget => {
  const svg = widget.querySelector('.agv-graph svg');
  if (!svg) return null;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')];
  const sizes = texts.map(t => parseFloat(t.getAttribute('font-size')) * scale);
  const area = widget.closest('.jp-OutputArea-output') || widget.parentElement;
  const minimap = widget.querySelector('.agv-minimap');
  return { smallest: Math.min(...sizes), count: sizes.length,
           canvas: widget.querySelector('.agv-graph').getBoundingClientRect().width,
           area: area.getBoundingClientRect().width,
           minimap: minimap ? getComputedStyle(minimap).display !== 'none' : false,
           texts: texts.map(t => t.textContent) };
})"""

_BIG_GRAPH = (
    "from autogradviz import autograd, nd\n"
    "x = nd.array([0.5, -0.2, 0.1, 0.3]); x.attach_grad()\n"
    "with autograd.record():\n"
    "    h = x\n"
    "    for k in range(100):\n"
    "        h = nd.tanh(h * x + k * 0.01)\n"
    "    loss = h.sum()\n"
    "loss.backward()"
)


def _screenshot_path(tmp_path: Path, name: str) -> Path:
    readme = os.environ.get("AUTOGRADVIZ_SCREENSHOT")  # make screenshot: next to widget.png
    return Path(readme).with_name(name) if readme else tmp_path / name


def _measure(notebook: Any) -> list[dict]:
    page = notebook.page
    page.wait_for_function(
        "() => { const w = [...document.querySelectorAll('.agv-widget')];"
        " return w.length && w.every(x => x.querySelector('.agv-graph svg')); }",
        timeout=TIMEOUT_MS,
    )
    return [m for m in page.evaluate(_MEASURE_JS) if m is not None]


def _assert_readable(measures: list[dict], lesson: str) -> None:
    assert measures, f"{lesson}: no graph drawn"
    for k, m in enumerate(measures):
        assert m["count"] > 3, (lesson, k, m["texts"])
        assert m["smallest"] >= FLOOR_PX - 0.01, (
            f"{lesson}, graph {k}: text at {m['smallest']:.2f} px, under the {FLOOR_PX} px floor"
        )
        assert m["canvas"] >= 0.95 * m["area"], f"{lesson}, graph {k}: canvas not full width {m}"


def test_readability_lesson_05_graphs(open_notebook: Any, tmp_path: Path) -> None:
    notebook = open_notebook("lesson05.ipynb", lesson("05-linear-regression-from-scratch.ipynb"))
    notebook.run_all(timeout=180)
    _assert_readable(_measure(notebook), "lesson 05")
    notebook.hide_file_browser()
    notebook.screenshot(tmp_path / "lesson05.png", of=notebook.page.locator(".agv-widget").first)


def test_readability_lesson_06_mlp_click_w1(open_notebook: Any, tmp_path: Path) -> None:
    notebook = open_notebook("lesson06.ipynb", lesson("06-mlp-from-scratch.ipynb"))
    notebook.run_all(timeout=240)
    measures = _measure(notebook)
    _assert_readable(measures, "lesson 06")
    first = measures[0]
    for name in ("W1", "W2", "W3"):
        assert name in first["texts"], f"{name} is not drawn: {first['texts'][:40]}"
    page = notebook.page
    widget = page.locator(".agv-widget").first
    w1 = widget.locator(".agv-graph g.node", has=page.locator("text", has_text="W1")).first
    w1.scroll_into_view_if_needed()
    w1.click()
    page.wait_for_function(
        "() => document.querySelector('.agv-inspector').textContent.includes('W1')",
        timeout=TIMEOUT_MS,
    )
    mark = w1.evaluate(
        "g => ({cls: g.classList.contains('agv-selected'),"
        " width: getComputedStyle(g.querySelector('polygon, path')).strokeWidth})"
    )
    assert mark == {"cls": True, "width": "3px"}, f"the clicked W1 is not marked: {mark}"
    notebook.hide_file_browser()
    notebook.screenshot(_screenshot_path(tmp_path, "mlp.png"), of=widget)


def test_readability_lesson_09_gluon_layers(open_notebook: Any, tmp_path: Path) -> None:
    notebook = open_notebook("lesson09.ipynb", lesson("09-from-scratch-to-gluon.ipynb"))
    notebook.run_all(timeout=240)
    measures = _measure(notebook)
    _assert_readable(measures, "lesson 09")
    gluon_pass = measures[1]  # the scratch network's pass, then the gluon network's
    for box in ("sequential0", "dense0", "dense1", "dense2", "softmaxcrossentropyloss0"):
        assert box in gluon_pass["texts"], (box, gluon_pass["texts"][:40])
    assert "W1" in measures[0]["texts"] and "sequential0_dense0_weight" in gluon_pass["texts"]
    notebook.hide_file_browser()
    widget = notebook.page.locator(".agv-widget").nth(1)  # the gluon network's picture
    for _ in range(3):  # (the notebook lays out cells lazily while it scrolls: let it settle)
        widget.scroll_into_view_if_needed()
        notebook.page.wait_for_timeout(700)
    widget.screenshot(path=str(_screenshot_path(tmp_path, "lesson09.png")))


def test_readability_300_nodes_scroll_with_a_minimap(open_notebook: Any, tmp_path: Path) -> None:
    from seed_notebook import seed_notebook

    notebook = open_notebook("big.ipynb", seed_notebook(["%load_ext autogradviz", _BIG_GRAPH]))
    notebook.run_all(timeout=120)
    measures = _measure(notebook)
    _assert_readable(measures, "300-node graph")
    assert measures[0]["minimap"], "a graph bigger than the view shows no overview"
    notebook.screenshot(tmp_path / "big.png", of=notebook.page.locator(".agv-widget").first)


def test_slow_layout_stepping_recolours_the_drawing(open_notebook: Any) -> None:
    # A graph the browser lays out slowly is re-coloured by the stepper, not laid out again:
    # the same SVG element stays, the processed node turns orange, unreached ones dim.
    from seed_notebook import SEED_CELLS, seed_notebook

    notebook = open_notebook("slow.ipynb", seed_notebook(SEED_CELLS))
    notebook.run_all()
    page = notebook.page
    page.locator(".agv-graph svg").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    notebook.new_cell(
        "from autogradviz.jupyter import extension\n"
        "view = list(extension._session._views_by_cell.values())[-1]  # the backward cell's\n"
        "view._slow_layout = True  # as if its layout had taken seconds"
    )
    page.evaluate("() => { document.querySelector('.agv-graph svg').dataset.agvFirst = '1'; }")
    page.locator(".agv-step").first.click()
    # the canvas's marks and the status line are two widgets, updated by two messages: wait
    # for both (the status may be drawn a moment after the marks)
    try:
        page.wait_for_function(
            "() => document.querySelector('.agv-graph g.node.agv-step-current') !== null"
            " && document.querySelector('.agv-status').textContent.includes('slow to lay out')",
            timeout=TIMEOUT_MS,
        )
    except Exception:  # (the assertions below then say what is missing)
        pass
    state = page.evaluate(
        """() => {
          const svg = document.querySelector('.agv-graph svg');
          const current = svg.querySelector('g.node.agv-step-current');
          const shape = current.querySelector('polygon, path');
          const dim = [...svg.querySelectorAll('g.node.agv-dim')].map(g => g.id);
          return { same: svg.dataset.agvFirst === '1', current: current.id,
                   stroke: getComputedStyle(shape).stroke, dim,
                   status: document.querySelector('.agv-status').textContent };
        }"""
    )
    assert state["same"], "the drawing was laid out again"
    assert state["current"] == "n2" and state["stroke"] == "rgb(255, 127, 14)", state
    assert state["dim"] == [] and "slow to lay out" in state["status"], state  # all reached
    page.locator(".agv-back").first.click()  # step 0: only the head gradient is known
    page.wait_for_function(
        "() => document.querySelectorAll('.agv-graph g.node.agv-dim').length === 2",
        timeout=TIMEOUT_MS,
    )
    dim = page.evaluate(
        "() => [...document.querySelectorAll('.agv-graph g.node.agv-dim')].map(g => g.id)"
    )
    opacity = page.evaluate(
        "() => getComputedStyle(document.querySelector('.agv-graph g.node.agv-dim')).opacity"
    )
    assert sorted(dim) == ["n0", "n1"] and opacity == "0.35", (dim, opacity)
    assert page.evaluate("() => document.querySelector('.agv-graph svg').dataset.agvFirst")


_TRUTH_CELLS = [
    "%load_ext autogradviz",
    "import time\nfrom autogradviz import autograd, nd",
    # 2: the SGD step in the same cell: the picture keeps the values the pass used
    "w = nd.array([1.0]); w.attach_grad()\n"
    "with autograd.record():\n"
    "    y = w * 2\n"
    "y.backward()\n"
    "w[:] = w - 0.2 * w.grad\n"
    "print('w after the step:', w.asscalar())",
    # 3: grad_req='null': the gradient flowed, .grad stays zeros
    "c = nd.array([1.0, 2.0]); c.attach_grad(grad_req='null')\n"
    "k = nd.array([3.0]); k.attach_grad()\n"
    "with autograd.record():\n"
    "    z = (c * k).sum()\n"
    "z.backward()\n"
    "print('c.grad =', c.grad.asnumpy())",
    # 4: three passes, slow enough to be kept: three history positions
    "v = nd.array([1.0]); v.attach_grad()\n"
    "for i in range(3):\n"
    "    with autograd.record():\n"
    "        q = v * (i + 1)\n"
    "    q.backward()\n"
    "    time.sleep(0.3)",
    # 5: a fold: b = b * 2 six times, one box
    "a = nd.array([1.0, 1.0]); a.attach_grad()\n"
    "with autograd.record():\n"
    "    b = a * 2\n"
    "    for _ in range(5):\n"
    "        b = b * 2\n"
    "    s = b.sum()\n"
    "s.backward()",
]


def _node_text(cell: Any, name: str) -> str:
    """The drawn text of the box whose first line is ``name``."""
    return cell.locator(
        ".agv-graph g.node", has=cell.page.locator("text", has_text=name)
    ).first.evaluate("g => [...g.querySelectorAll('text')].map(t => t.textContent).join(' | ')")


def test_pictures_agree_with_print_history_and_folds(open_notebook: Any) -> None:
    from seed_notebook import seed_notebook

    notebook = open_notebook("truth.ipynb", seed_notebook(_TRUTH_CELLS))
    notebook.run_all(timeout=120)
    page = notebook.page
    cells = notebook.panel.locator(".jp-CodeCell")
    page.wait_for_function(
        "() => document.querySelectorAll('.agv-graph svg').length >= 4", timeout=TIMEOUT_MS
    )
    sgd = cells.nth(2)
    assert "w after the step: 0.6" in sgd.locator(".jp-OutputArea").inner_text()
    w_box = _node_text(sgd, "w")
    assert "value [1]" in w_box and ".grad [2]" in w_box and "0.6" not in w_box, w_box

    null = cells.nth(3)
    assert "c.grad = [0. 0.]" in null.locator(".jp-OutputArea").inner_text()
    c_box = _node_text(null, "c")
    assert "flowed [3 3]" in c_box and ".grad not kept (grad_req='null')" in c_box, c_box

    history = cells.nth(4).locator(".agv-history")
    assert history.is_visible() and history.locator(".widget-readout").inner_text() == "3"
    history.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "el => el.querySelector('.widget-readout').textContent.trim() === '2'",
        arg=history.element_handle(),
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function(  # the drawing follows: the second pass multiplied by 2
        "cell => [...cell.querySelectorAll('.agv-graph text')].some(t =>"
        " t.textContent.startsWith('multiply(·, 2)'))",
        arg=cells.nth(4).element_handle(),
        timeout=TIMEOUT_MS,
    )

    fold = cells.nth(5)
    box = fold.locator(".agv-graph g.node", has=page.locator("text", has_text="×6")).first
    box.click()
    inspector = fold.locator(".agv-inspector")
    page.wait_for_function(
        "el => el.textContent.includes('folded')",
        arg=inspector.element_handle(),
        timeout=TIMEOUT_MS,
    )
    text = inspector.inner_text()
    assert "6 multiply ops drawn as one box" in text and "b" in text.split()[0], text
    assert text.count("flowed") >= 6, text  # a row per folded op


_FRAME_CELLS = [
    "%load_ext autogradviz",
    "from autogradviz import autograd, nd\n"
    "w = nd.array([[0.5, -1.0], [2.0, 0.1]]); w.attach_grad()\n"
    "def net(x):\n"
    "    return nd.relu(nd.dot(x, w)) * 2\n"
    "with autograd.record():\n"
    "    loss = net(nd.array([[1.0, 2.0]])).sum()\n"
    "loss.backward()",
]


def test_function_frame_closes_and_opens_on_click(open_notebook: Any) -> None:
    from seed_notebook import seed_notebook

    notebook = open_notebook("frames.ipynb", seed_notebook(_FRAME_CELLS))
    notebook.run_all()
    page = notebook.page
    frame = page.locator(".agv-graph g.cluster", has=page.locator("text", has_text="net()"))
    frame.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    frame.first.locator("text", has_text="net()").click()  # the frame's name: close it
    closed = page.locator(".agv-graph g.node", has=page.locator("text", has_text="click to open"))
    closed.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert page.locator(".agv-graph g.cluster").count() == 0
    texts = closed.first.evaluate("g => [...g.querySelectorAll('text')].map(t => t.textContent)")
    assert texts[0] == "net()" and "3 ops · click to open" in texts, texts
    closed.first.click()  # the closed box: open it again
    frame.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert page.locator(".agv-graph g.node", has=page.locator("text", has_text="relu")).count()


_GLUON_CELLS = [
    "%load_ext autogradviz",
    "import autogradviz as mx\n"
    "from autogradviz import autograd, gluon, nd\n"
    "net = gluon.nn.Sequential()\n"
    "with net.name_scope():\n"
    "    net.add(gluon.nn.Dense(16, activation='relu'), gluon.nn.Dense(16, activation='relu'),\n"
    "            gluon.nn.Dense(3))\n"
    "net.initialize(mx.init.Xavier())\n"
    "x, y = nd.random.normal(shape=(32, 2)), nd.array([0, 1, 2, 1] * 8)\n"
    "loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()\n"
    "with autograd.record():\n"
    "    loss = loss_fn(net(x), y)\n"
    "loss.backward()",
]


def test_gluon_network_is_drawn_as_its_layers_and_a_click_opens_one(
    open_notebook: Any, tmp_path: Path
) -> None:
    from seed_notebook import seed_notebook

    notebook = open_notebook("gluon.ipynb", seed_notebook(_GLUON_CELLS))
    notebook.run_all()
    page = notebook.page
    measures = _measure(notebook)
    _assert_readable(measures, "gluon")
    texts = measures[-1]["texts"]
    for layer in ("dense0", "dense1", "dense2", "softmaxcrossentropyloss0"):
        assert layer in texts, (layer, texts)  # one closed box per layer
    assert "sequential0" in texts and "sequential0_dense0_weight" in texts, texts
    ops = ("dot", "relu", "add")
    assert not [t for t in texts if t.startswith(ops)], texts  # inside the layers' closed boxes
    page.screenshot(path=str(_screenshot_path(tmp_path, "gluon.png")), full_page=True)
    exactly = re.compile(r"^dense1$")  # (not sequential0_dense1_weight)
    layer = page.locator(".agv-graph g.node", has=page.locator("text", has_text=exactly))
    layer.first.click()  # open one layer
    frame = page.locator(".agv-graph g.cluster", has=page.locator("text", has_text=exactly))
    frame.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    opened = page.evaluate(_MEASURE_JS)[-1]["texts"]
    assert {t.split()[0].split("(")[0] for t in opened if t.startswith(ops)} == set(ops), opened
    assert "dense0" in opened and "dense2" in opened, opened  # the other layers stay closed
    page.screenshot(path=str(_screenshot_path(tmp_path, "gluon-open.png")), full_page=True)
