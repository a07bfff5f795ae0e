"""The teaching tools in a real JupyterLab (issue 14): click a box, press a tool, read the answer.

A student's own cells: a custom ``autograd.Function`` with a wrong backward, and a layer
whose ReLU is dead. As a student would: click a box of the graph, press the button that
appears in the bar above the drawing ("Check this node", "Why zero?", "Chain rule"), and
read the answer right under the drawing; the box to blame is outlined in red on the
picture. Screenshots of each answer are saved (``tools-check.png``, ``tools-why.png``,
``tools-chain.png``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from seed_notebook import seed_notebook

from .lab import lesson

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000

CELLS = [
    "%load_ext autogradviz",
    "import autogradviz as mx\nfrom autogradviz import nd, autograd",
    # a custom op whose backward forgot the factor 2
    "class Square(autograd.Function):\n"
    "    def forward(self, x):\n        self.save_for_backward(x)\n        return x * x\n"
    "    def backward(self, dy):\n        (x,) = self.saved_tensors\n        return x * dy\n"
    "\n"
    "x = nd.array([1.0, -2.0, 0.5])\nx.attach_grad()\n"
    "with autograd.record():\n    y = Square()(x)\n    z = (nd.exp(y * 0.5)).sum()\n"
    "z.backward()",
    # a layer whose ReLU is dead: every pre-activation is negative
    "w = nd.array([[1.0, -2.0], [0.5, 1.0]])\nb = nd.array([-10.0, -10.0])\n"
    "w.attach_grad(); b.attach_grad()\n"
    "with autograd.record():\n    h = nd.relu(nd.dot(nd.array([[1.0, 2.0]]), w) + b)\n"
    "    loss = (h * 3).sum()\n"
    "loss.backward()",
    # a parabola to explore with the what-if slider
    "v = nd.array([2.0])\nv.attach_grad()\n"
    "with autograd.record():\n    cost = ((v * 3 - 1) ** 2).sum()\n"
    "cost.backward()",
]

# The boxes outlined by a tool's answer, with their outline's colour and width on screen.
_MARKED_JS = """cell => [...cell.querySelectorAll('.agv-graph g.node.agv-marked')].map(g => {
  const shape = g.querySelector('polygon, path, ellipse');
  const style = getComputedStyle(shape);
  return {id: g.id, stroke: style.stroke, width: parseFloat(style.strokeWidth)};
})"""


# The id of the box whose first line of text is the given name (or op).
_BOX_JS = """([cell, name]) => [...cell.querySelectorAll('.agv-graph g.node')]
  .filter(g => (g.querySelector('text')?.textContent || '').trim() === name)
  .map(g => g.id.split('__')[0])"""


def _box(cell: Any, name: str) -> Any:
    """The drawn box whose first line is ``name``, for a click."""
    ids = cell.evaluate(f"cell => ({_BOX_JS})([cell, {name!r}])")
    assert len(ids) == 1, f"boxes named {name!r}: {ids}"
    return cell.locator(f".agv-graph g.node#{ids[0]}"), ids[0]


def _cell(notebook: Any, index: int) -> Any:
    return notebook.panel.locator(".jp-CodeCell").nth(index)


def _press(cell: Any, tool: str, label: str) -> None:
    """Press a tool's button on the drawing, checking its label and that it is readable."""
    button = cell.locator(f".agv-toolbar .agv-tool-{tool}")
    button.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert button.inner_text() == label
    size = button.evaluate("b => parseFloat(getComputedStyle(b).fontSize)")
    assert size >= 12, f"the {label!r} button's text is {size} CSS px"
    button.click()


def _wait_for_answer(cell: Any, text: str) -> str:
    """The answer under the drawing, once it holds ``text``; readable (at least 12 CSS px)."""
    answer = cell.locator(".agv-graph .agv-answer")
    try:
        answer.locator(f"text={text}").first.wait_for(timeout=TIMEOUT_MS)
    except Exception as exc:
        raise AssertionError(f"no {text!r} under the drawing: {answer.inner_text()!r}") from exc
    size = answer.evaluate("a => parseFloat(getComputedStyle(a).fontSize)")
    assert size >= 12, f"the answer's text is {size} CSS px"
    return " ".join(answer.inner_text().split())


def _marked(cell: Any) -> list[dict]:
    cell.locator(".agv-graph g.node.agv-marked").first.wait_for(timeout=TIMEOUT_MS)
    return cell.evaluate(_MARKED_JS)


def test_tools_check_and_why_on_the_students_own_cells(open_notebook: Any,
                                                       tmp_path: Path) -> None:  # fmt: skip
    notebook = open_notebook("tools.ipynb", seed_notebook(CELLS))
    notebook.run_all()
    notebook.hide_file_browser()
    check_cell, why_cell = _cell(notebook, 2), _cell(notebook, 3)
    for cell in (check_cell, why_cell):
        cell.locator(".agv-graph svg").wait_for(timeout=TIMEOUT_MS)
        hint = cell.locator(".agv-toolbar .agv-tool-hint")  # nothing clicked: a hint, and
        assert hint.inner_text() == "Click a box: tools to test it appear here."  # the tools
        visible = cell.locator(".agv-toolbar button:visible")  # for the whole graph
        assert visible.all_inner_texts() == ["Quiz me", "Handout"]

    # Check x: ✗, the wrong backward named, its box outlined in red
    check_cell.locator(".agv-graph g.node#n0").click()
    _press(check_cell, "check", "Check this node")
    answer = _wait_for_answer(check_cell, "Look at Square.backward")
    assert "✗ x: x.grad disagrees with central finite differences" in answer
    assert "relative error 0.5" in answer
    _, square = _box(check_cell, "y")  # the Function's output, named y
    marked = _marked(check_cell)
    assert [m["id"] for m in marked] == [square], (marked, square)
    assert "Square" in check_cell.locator(f".agv-graph g.node#{square}").text_content()
    assert marked[0]["stroke"] == "rgb(214, 39, 40)" and marked[0]["width"] >= 3, marked
    # the toolbar sits above the drawing: it hides no box
    bar = check_cell.locator(".agv-toolbar").bounding_box()
    top = check_cell.locator(".agv-graph g.node#n0").bounding_box()
    assert bar is not None and top is not None and bar["y"] + bar["height"] <= top["y"] + 1
    check_cell.scroll_into_view_if_needed()
    notebook.screenshot(tmp_path / "tools-check.png", of=check_cell.locator(".agv-graph"))

    # Why is w's gradient zero? The dead ReLU, outlined
    why_cell.scroll_into_view_if_needed()
    _, relu = _box(why_cell, "h")
    w_box, _ = _box(why_cell, "w")
    w_box.click()
    _press(why_cell, "why", "Why zero?")
    answer = _wait_for_answer(why_cell, "is dead")
    assert "w: its gradient is exactly 0." in answer
    assert "every one of its inputs is ≤ 0" in answer
    marked = _marked(why_cell)
    assert [m["id"] for m in marked] == [relu], marked
    # another box: the answer and the outline go
    _box(why_cell, "loss")[0].click()
    outlined = why_cell.locator(".agv-graph g.node.agv-marked").first
    outlined.wait_for(state="detached", timeout=TIMEOUT_MS)
    assert why_cell.locator(".agv-graph .agv-answer").is_hidden()
    w_box.click()
    _press(why_cell, "why", "Why zero?")
    _wait_for_answer(why_cell, "is dead")
    notebook.screenshot(tmp_path / "tools-why.png", of=why_cell.locator(".agv-graph"))
    assert (tmp_path / "tools-why.png").stat().st_size > 10_000

    # the chain rule at the dead ReLU: the gradient that arrived, times [x > 0], gives 0
    _box(why_cell, "h")[0].click()
    _press(why_cell, "chain", "Chain rule")
    answer = _wait_for_answer(why_cell, "Chain rule: relu")
    assert "∂L/∂h ⊙ [n4 > 0]" in answer and "[[3 3]] ⊙ [[0 0]] = [[0 0]]" in answer
    assert "(1, 2)" in answer  # the shapes line
    notebook.screenshot(tmp_path / "tools-chain.png", of=why_cell.locator(".agv-graph"))


def _box_text(cell: Any, box_id: str) -> str:
    return " ".join(cell.locator(f".agv-graph g.node#{box_id}").text_content().split())


def test_tools_what_if_slider_moves_the_picture_and_plots_the_slope(
    open_notebook: Any, tmp_path: Path
) -> None:
    notebook = open_notebook("whatif.ipynb", seed_notebook(CELLS))
    notebook.run_all()
    notebook.hide_file_browser()
    cell = _cell(notebook, 4)
    cell.locator(".agv-graph svg").wait_for(timeout=TIMEOUT_MS)
    cell.scroll_into_view_if_needed()
    v_box, v_id = _box(cell, "v")
    assert "value [2]" in _box_text(cell, v_id)
    v_box.click()
    _press(cell, "whatif", "What if?")
    slider = cell.locator(".agv-whatif .agv-whatif-range")
    slider.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert cell.locator(".agv-whatif b").first.inner_text() == "What if v ="
    # drag to 0.5: (3·0.5 - 1)² = 0.25, slope 6·(3·0.5 - 1) = 3
    slider.evaluate("r => { r.value = '0.5'; r.dispatchEvent(new Event('input')); }")
    plot = cell.locator(".agv-whatif-plot")
    plot.locator("text=What if v = 0.5?").wait_for(timeout=TIMEOUT_MS)
    text = " ".join(plot.inner_text().split())
    assert "cost = 0.25" in text and "∂cost/∂v = 3" in text and "nothing in your notebook" in text
    cell.locator(".agv-graph.agv-hypothetical").wait_for(timeout=TIMEOUT_MS)
    page = notebook.page
    page.wait_for_function(
        "([cell, id]) => cell.querySelector(`.agv-graph g.node#${id}`)?.textContent"
        ".includes('value [0.5]')",
        arg=[cell.element_handle(), v_id],
        timeout=TIMEOUT_MS,
    )
    assert plot.locator("svg .agv-curve").count() == 1
    assert plot.locator("svg .agv-tangent").count() == 1
    width = plot.locator("svg").bounding_box()
    assert width is not None and width["width"] >= 300
    size = plot.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert size >= 12
    notebook.screenshot(tmp_path / "tools-whatif.png", of=cell.locator(".agv-graph"))
    # Close: the recorded pass again, v unchanged in the notebook
    cell.locator(".agv-whatif button", has_text="Close").click()
    page.wait_for_function(
        "([cell, id]) => cell.querySelector(`.agv-graph g.node#${id}`)?.textContent"
        ".includes('value [2]')",
        arg=[cell.element_handle(), v_id],
        timeout=TIMEOUT_MS,
    )
    assert cell.locator(".agv-whatif").is_hidden()
    check = notebook.new_cell("print(v, v.grad)")
    assert "[2.]" in check.locator(".jp-OutputArea").inner_text()


def test_tools_quiz_hides_the_gradients_and_grades_typed_answers(
    open_notebook: Any, tmp_path: Path
) -> None:
    cells = [*CELLS[:2], "x = nd.array([[1, 2], [3, 4]])\nx.attach_grad()\n"
             "with autograd.record():\n    y = x * 2\n    f = y * x\n"
             "f.backward(nd.array([[1., 1.], [.1, .1]]))"]  # fmt: skip
    notebook = open_notebook("quiz.ipynb", seed_notebook(cells))
    notebook.run_all()
    notebook.hide_file_browser()
    cell = _cell(notebook, 2)
    cell.locator(".agv-graph svg").wait_for(timeout=TIMEOUT_MS)
    _, y_id = _box(cell, "y")
    assert "flowed [[1 2] [0.3 0.4]]" in _box_text(cell, y_id)
    _press(cell, "quiz", "Quiz me")  # nothing clicked: the quiz is for the whole graph
    question = cell.locator(".agv-quiz .agv-quiz-question")
    question.locator("text=What is ∂L/∂y").wait_for(timeout=TIMEOUT_MS)
    page = notebook.page
    hidden = "([cell, id]) => !cell.querySelector(`.agv-graph g.node#${id}`)?.textContent" \
             ".includes('0.3')"  # fmt: skip
    page.wait_for_function(hidden, arg=[cell.element_handle(), y_id], timeout=TIMEOUT_MS)
    assert [m["id"] for m in _marked(cell)] == [y_id]  # the box asked about, outlined
    field = cell.locator(".agv-quiz .agv-quiz-answer")
    field.fill("0 0 0 0")
    field.press("Enter")
    message = cell.locator(".agv-quiz .agv-quiz-message")
    message.locator("text=Not quite").wait_for(timeout=TIMEOUT_MS)
    assert "Hint: multiply" in message.inner_text() and "∂L/∂f ⊙ x" in message.inner_text()
    size = message.evaluate("m => parseFloat(getComputedStyle(m).fontSize)")
    assert size >= 12
    notebook.screenshot(tmp_path / "tools-quiz.png", of=cell.locator(".agv-graph"))
    field.fill("1 2 0.3 0.4")
    cell.locator(".agv-quiz .agv-quiz-send").click()
    message.locator("text=✓ Right: y is [1 2 0.3 0.4].").wait_for(timeout=TIMEOUT_MS)
    assert cell.locator(".agv-quiz .agv-quiz-score").inner_text() == "score 0.5 / 2"
    page.wait_for_function(hidden.replace("!cell", "cell"), arg=[cell.element_handle(), y_id],
                           timeout=TIMEOUT_MS)  # fmt: skip
    question.locator("text=What is ∂L/∂x").wait_for(timeout=TIMEOUT_MS)
    cell.locator(".agv-quiz button", has_text="Stop").click()
    cell.locator(".agv-quiz").wait_for(state="hidden", timeout=TIMEOUT_MS)

    # the handout: the browser downloads one self-contained page of this pass
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        _press(cell, "handout", "Handout")
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename == "autogradviz-handout.html"
    assert saved.startswith("<!DOCTYPE html>") and saved.count("<svg") >= 3
    assert "<script src" not in saved and "Backward through f" in saved
    _wait_for_answer(cell, "downloaded as")


# ------------------------------------------------------------------ on the lessons' own graphs

_CLICK_OP_JS = """([cell, op]) => {
  const g = [...cell.querySelectorAll('.agv-graph g.node')]
    .find(n => [...n.querySelectorAll('text')].some(t => t.textContent.startsWith(op + ' ')));
  return g ? g.id.split('__')[0] : null;
}"""


def _widget_cell(notebook: Any, marker: str) -> Any:
    """The code cell whose source holds ``marker``, once its graph is drawn."""
    cell = notebook.panel.locator(".jp-CodeCell", has_text=marker).first
    cell.locator(".agv-graph svg").wait_for(timeout=TIMEOUT_MS)
    cell.scroll_into_view_if_needed()
    return cell


def test_tools_on_lesson_06_check_chain_quiz(open_notebook: Any) -> None:
    notebook = open_notebook("lesson06-tools.ipynb", lesson("06-mlp-from-scratch.ipynb"))
    notebook.run_all(timeout=240)
    notebook.hide_file_browser()
    cell = _widget_cell(notebook, "for a network that knows nothing")
    w1, _ = _box(cell, "W1")
    w1.click()
    _press(cell, "check", "Check this node")
    answer = _wait_for_answer(cell, "W1.grad matches central finite differences")
    assert answer.startswith("✓ W1:") and "all 64 elements" in answer
    dot = cell.evaluate(f"cell => ({_CLICK_OP_JS})([cell, 'dot'])")
    assert dot is not None
    cell.locator(f".agv-graph g.node#{dot}").click()
    _press(cell, "chain", "Chain rule")
    answer = _wait_for_answer(cell, "Chain rule: dot")
    assert "ᵀ" in answer and "the transpose of" in answer
    _press(cell, "quiz", "Quiz me")
    question = cell.locator(".agv-quiz .agv-quiz-question")
    question.locator("text=What is ∂L/∂").wait_for(timeout=TIMEOUT_MS)
    assert "score 0 / " in cell.locator(".agv-quiz .agv-quiz-score").inner_text()


def test_tools_on_lessons_05_and_08_what_if_and_why(open_notebook: Any) -> None:
    notebook = open_notebook(
        "lesson05-tools.ipynb", lesson("05-linear-regression-from-scratch.ipynb")
    )
    notebook.run_all(timeout=180)
    notebook.hide_file_browser()
    cell = _widget_cell(notebook, "for epoch in range(5)")
    _box(cell, "w")[0].click()
    _press(cell, "whatif", "What if?")
    slider = cell.locator(".agv-whatif .agv-whatif-range")
    slider.wait_for(state="visible", timeout=TIMEOUT_MS)
    slider.evaluate(
        "r => { r.value = String(Number(r.max)); r.dispatchEvent(new Event('input')); }"
    )
    plot = cell.locator(".agv-whatif-plot")
    plot.locator("text=What if w[0, 0] =").wait_for(timeout=TIMEOUT_MS)
    assert "nothing in your notebook changed" in plot.inner_text()
    assert plot.locator("svg .agv-tangent").count() == 1

    notebook = open_notebook("lesson08-tools.ipynb", lesson("08-debugging-gradients.ipynb"))
    notebook.run_all(timeout=180)
    notebook.hide_file_browser()
    cell = _widget_cell(notebook, "pushed far too negative")
    _box(cell, "w")[0].click()
    _press(cell, "why", "Why zero?")
    answer = _wait_for_answer(cell, "is dead")
    assert "w: its gradient is exactly 0." in answer and "relu (hidden, cell [" in answer
