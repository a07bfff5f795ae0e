"""The handout (``graph.save("x.html")``): self-contained, one picture per step, a card per box.

Read as HTML with the standard library's parser, never by looking for substrings alone: what
counts is what a browser would load and show.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from graph_programs import graph_of_function_named, graph_with_name, seed_program

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.graph.steps import graph_at_step, processing, step_count
from autogradviz.render.dot import HIGHLIGHT, html_escape, to_dot
from autogradviz.render.handout import MAX_STEPPED, readable, to_handout
from autogradviz.render.options import make_options
from autogradviz.render.svg import svg_from_dot
from autogradviz.teach import chain_rule

pytestmark = pytest.mark.usefixtures("with_capture")


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text inside each ``<script>``."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


def _pictures(page: str) -> dict[int, str]:
    """Return ``{step: its status line and SVG}``, from the templates and the live picture."""
    found = {int(k): body for k, body in
             re.findall(r'<template class="agv-step" data-step="(\d+)">(.*?)</template>', page,
                        re.S)}  # fmt: skip
    live = re.search(r'<div id="agv-picture" data-step="(\d+)">(.*?)</div>\n<h2>', page, re.S)
    assert live is not None
    found[int(live.group(1))] = live.group(2)
    return found


def _cards(page: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="agv-card" data-box="([^"]+)">(.*?)</div>\n', page, re.S))


def _node_svg(svg: str, node_id: str) -> str:
    match = re.search(rf'<g id="{node_id}" class="node">(.*?)\n</g>\n</g>', svg, re.S)
    assert match is not None, node_id
    return match.group(1)


@pytest.fixture
def seed(tmp_path):
    seed_program()
    graph = mx.last_graph()
    return graph, Path(graph.save(tmp_path / "seed.html")).read_text(encoding="utf-8")


def test_handout_is_self_contained(seed):
    page = _Page(seed[1])
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if name.startswith("xmlns"):
                continue  # an SVG namespace's name, never fetched
            assert name not in ("src", "href", "xlink:href", "action", "srcset"), (tag, attrs)
            assert not re.match(r"\s*(https?:|//|url\()", value or ""), (tag, name, value)
    assert page.count("script") == 1 and "src" not in dict(page.tags)["script"]
    for tag in ("link", "img", "iframe", "object", "embed", "image", "use"):
        assert page.count(tag) == 0, tag
    assert "@import" not in seed[1] and "url(" not in seed[1]
    assert "fetch(" not in page.scripts[0] and "XMLHttpRequest" not in page.scripts[0]
    policy = next(a["content"] for t, a in page.tags if a.get("http-equiv"))
    assert "default-src 'none'" in (policy or "")


def test_handout_holds_one_picture_per_step(seed):
    graph, page = seed
    assert step_count(graph) == 2
    assert _Page(page).count("svg") == 3
    assert sorted(_pictures(page)) == [0, 1, 2]
    slider = next(a for t, a in _Page(page).tags if a.get("id") == "agv-slider")
    assert (slider["min"], slider["max"], slider["value"]) == ("0", "2", "2")  # opens finished


def test_handout_step_pictures_are_graph_at_step(seed):
    graph, page = seed
    pictures = _pictures(page)
    options = make_options(legend=False)
    assert readable(svg_from_dot(to_dot(graph_at_step(graph, 0), options))) in pictures[0]
    y = _node_svg(pictures[0], "n1")
    assert "grad —" in y and "flowed" not in y  # no gradient reached y at step 0
    assert "flowed [[1 2] [0.3 0.4]]" in _node_svg(pictures[2], "n1")
    assert "step 0 of 2: only the head gradient is known" in pictures[0]


def test_handout_highlights_the_processed_node(seed):
    graph, page = seed
    for step, picture in _pictures(page).items():
        lit = [n for n in ("n0", "n1", "n2") if HIGHLIGHT in _node_svg(picture, n)]
        current = processing(graph, step)
        assert lit == ([current.id] if current else []), step
    assert [processing(graph, k).id for k in (1, 2)] == ["n2", "n1"]  # backward order


def test_handout_has_a_card_per_box(seed):
    graph, page = seed
    cards = _cards(page)
    assert sorted(cards) == ["n0", "n1", "n2"]
    for node in graph.nodes:
        if node.kind == "op":
            for part in chain_rule(graph, node.id).parts:
                assert html_escape(part.rule) in cards[node.id]
                assert html_escape(part.numbers) in cards[node.id]
    assert "∂L/∂x += ∂L/∂f ⊙ y" in cards["n2"]  # f = y * x: each symbol as in the code
    assert "Chain rule" not in cards["n0"] and ".grad [[4 8] [1.2 1.6]]" in cards["n0"]


def test_handout_escapes_a_hostile_name(tmp_path):
    evil = "</script><b>x"
    graph = graph_with_name(evil)
    page = Path(graph.save(tmp_path / "evil.html")).read_text(encoding="utf-8")
    assert evil not in page and "<b>x" not in page
    assert html_escape(evil) in _cards(page)["n0"]
    parsed = _Page(page)
    assert parsed.count("script") == 1 and "agv-picture" in parsed.scripts[0]


def test_handout_escapes_a_hostile_op_name(tmp_path):
    graph = graph_of_function_named("<script>alert(1)</script>")
    page = Path(graph.save(tmp_path / "evil.html")).read_text(encoding="utf-8")
    assert page.count("<script") == 1 and "alert(1)</script>" not in page
    assert "step 1 of 1: <b>&lt;script&gt;alert(1)&lt;/script&gt;</b> sent" in page
    assert _Page(page).count("script") == 1


def test_handout_of_a_long_pass_has_one_picture_and_says_why(tmp_path):
    x = nd.array([0.5])
    x.attach_grad()
    with autograd.record():
        h = x
        for _ in range(MAX_STEPPED + 5):
            h = nd.tanh(h)
    h.backward()
    graph = mx.last_graph()
    assert step_count(graph) > MAX_STEPPED
    page = Path(graph.save(tmp_path / "long.html")).read_text(encoding="utf-8")
    parsed = _Page(page)
    assert parsed.count("svg") == 1 and parsed.count("input") == parsed.count("button") == 0
    assert f"the stepper is off for graphs of more than {MAX_STEPPED}" in page
    assert HIGHLIGHT not in page  # no step is being processed in the finished picture


def test_handout_shows_a_replay_error_in_the_card(tmp_path):
    x = nd.ones((40, 40))
    x.attach_grad()
    with autograd.record():
        z = nd.tanh(x * 3).sum()
    z.backward()
    graph = mx.last_graph(replay_limit=10)
    page = Path(graph.save(tmp_path / "big.html")).read_text(encoding="utf-8")
    card = _cards(page)[graph.nodes[1].id]
    assert "ReplayError: chain_rule: cannot replay this graph" in card
    assert _Page(page).count("svg") == step_count(graph) + 1


def test_handout_passes_options_and_keeps_the_text_listing(tmp_path):
    seed_program()
    graph = mx.last_graph()
    page = to_handout(graph, values=False, theme="dark")
    assert "value [[2 4] [6 8]]" not in page.split("<details><summary>Text")[0]
    assert 'fill="#d6ebff"' in page  # drawn light whatever the theme (printed, projected)
    listing = page.split('<pre class="agv-listing">')[1]
    assert listing.startswith("n0  x  variable  (2, 2) float32")


def test_handout_readable_scales_small_text_to_the_floor():
    svg = '<svg width="80pt" height="40pt" viewBox="0 0 80 40"><text font-size="8.00">a</text>'
    assert readable(svg).startswith('<svg width="110px" height="55px"')  # 8 × 110/80 = 11 px
    normal = svg.replace('font-size="8.00"', 'font-size="10.00"')
    assert readable(normal).startswith('<svg width="107px" height="53px"')  # points: 4/3 px


def test_handout_lays_out_once_when_a_graph_is_too_slow(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import autogradviz.render.handout as handout
    from autogradviz.render.svg import LayoutError

    calls = []

    def too_slow(dot: str) -> str:
        calls.append(dot)
        raise LayoutError("to_svg: Graphviz took more than 20 s")

    monkeypatch.setattr(handout, "svg_from_dot", too_slow)
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    mx.capture.enable()
    try:
        with autograd.record():
            y = ((x * 2) * 3).sum()
        y.backward()
        page = to_handout(mx.last_graph())
    finally:
        mx.capture.disable()
    assert len(calls) == 1  # not once per step (3 steps)
    assert "Graphviz took more than 20 s" in page and 'id="agv-slider"' not in page
