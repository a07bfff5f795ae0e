"""The handout in Debian's Chromium, opened from ``file://`` with the network cut off.

As a student would: the picture is there and readable (graph text at 11 CSS px or more),
Step replays backward in its order (the seed: ``f`` then ``y``, outlined in the stepper's
orange), the slider goes back to step 0, a click on an op shows its chain-rule card with
this pass's numbers, a click on a variable its gradient. Every request that is not a
``file://`` one is aborted and makes the test fail. No JupyterLab: ``conftest.py``'s
``chromium`` fixture starts the browser alone. Screenshots: ``handout-step.png``,
``handout-card.png`` in the test's ``tmp_path``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from graph_programs import seed_program

import autogradviz as mx
from autogradviz.graph.model import Graph

pytestmark = pytest.mark.browser

FLOOR_PX = 11
CARD_FLOOR_PX = 12

# The smallest graph text on screen (font size × the drawing's scale), and the drawing's width.
_MEASURE_JS = """() => {
  const svg = document.querySelector('#agv-picture svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')]
    .map(t => parseFloat(t.getAttribute('font-size')) * scale);
  return { smallest: Math.min(...sizes), count: sizes.length,
           width: svg.getBoundingClientRect().width,
           boxes: svg.querySelectorAll('g.node').length };
}"""

# The boxes drawn in the stepper's orange, and the text of each box by id.
_LIT_JS = """() => [...document.querySelectorAll('#agv-picture g.node')]
  .filter(g => [...g.querySelectorAll('polygon, path')]
                 .some(s => s.getAttribute('stroke') === '#ff7f0e'))
  .map(g => g.id)"""
_BOX_TEXT_JS = """id => [...document.querySelectorAll('#agv-picture g.node')]
  .find(g => g.id === id).textContent"""


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Path]:
    """The seed's graph and its handout, saved by ``graph.save``."""
    was_enabled = mx.capture.is_enabled()
    mx.capture.enable()
    try:
        seed_program()
        graph = mx.last_graph()
    finally:
        (mx.capture.enable if was_enabled else mx.capture.disable)()
    path = tmp_path_factory.mktemp("handout") / "seed.html"
    graph.save(path)
    return graph, path


@pytest.fixture
def page(chromium: Any, handout: tuple[Graph, Path]) -> Iterator[Any]:
    """The handout open in a fresh page; every request that is not ``file://`` is aborted."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(handout[1].as_uri())
    yield opened
    context.close()
    assert blocked == [], f"the handout asked the network for {blocked}"
    assert errors == [], f"the handout's script failed: {errors}"


def _numbers(text: str, shape: tuple[int, ...]) -> np.ndarray:
    """Read ``[[2 4] [0.6 0.8]]`` back as an array of ``shape``."""
    return np.array(
        [float(v) for v in re.findall(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?", text)]
    ).reshape(shape)


def _card(page: Any, box: str) -> Any:
    card = page.locator(f'.agv-card[data-box="{box}"]')
    card.wait_for(state="visible")
    return card


def test_handout_offline_reads_steps_and_cards(page, handout, tmp_path):
    graph, _ = handout
    measured = page.evaluate(_MEASURE_JS)
    assert measured["boxes"] == 3 and measured["width"] > 300, measured
    assert measured["smallest"] >= FLOOR_PX - 0.01, measured
    assert page.evaluate(_LIT_JS) == ["n1"]  # opens finished: y was the last step

    page.click("#agv-step")  # past the end: the replay starts again at step 1
    assert page.evaluate(_LIT_JS) == ["n2"]
    assert page.locator("#agv-picture .agv-status").inner_text().startswith("step 1 of 2: f")
    page.screenshot(path=str(tmp_path / "handout-step.png"), full_page=True)
    page.click("#agv-step")
    assert page.evaluate(_LIT_JS) == ["n1"]

    page.focus("#agv-slider")
    page.keyboard.press("Home")  # the slider back to 0, from the keyboard
    assert page.locator("#agv-step-number").inner_text() == "0"
    assert page.evaluate(_LIT_JS) == []
    assert "grad —" in page.evaluate(_BOX_TEXT_JS, "n1")  # nothing reached y yet

    page.locator("#agv-picture g.node#n2").click()
    card = _card(page, "n2")
    text = card.inner_text()
    assert "∂L/∂x += ∂L/∂f ⊙ y" in text
    sent = next(e for e in graph.edges if e.dst == "n2" and e.index == 1).contribution
    numbers = next(line for line in text.splitlines() if "⊙ [[2 4] [6 8]]" in line)
    np.testing.assert_allclose(_numbers(numbers.rsplit(" = ", 1)[1], sent.shape), sent)
    size = card.locator("code").first.evaluate("c => parseFloat(getComputedStyle(c).fontSize)")
    assert size >= CARD_FLOOR_PX
    assert page.locator(".agv-card:visible").count() == 1
    page.screenshot(path=str(tmp_path / "handout-card.png"), full_page=True)

    page.locator("#agv-picture g.node#n0").click()
    gradient = next(line for line in _card(page, "n0").inner_text().splitlines()
                    if ".grad" in line)  # fmt: skip
    x = graph.node("x")
    np.testing.assert_allclose(_numbers(gradient, x.grad.shape), x.grad, rtol=1e-4)
    assert not page.locator('.agv-card[data-box="n2"]').is_visible()

    page.locator("#agv-picture g.node#n1").focus()
    page.keyboard.press("Enter")  # the boxes work from the keyboard too
    assert "∂L/∂x += ∂L/∂y ⊙ 2" in _card(page, "n1").inner_text()  # x is used twice
