"""Renderings of the graph model: golden DOT text, SVG via the real `dot`, text, files."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from graph_programs import (
    detach_program,
    fanout_program,
    graph_of_function_named,
    graph_with_name,
    loop_program,
    seed_program,
)

import autogradviz as mx
from autogradviz import autograd, nd

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("AUTOGRADVIZ_UPDATE_GOLDEN") == "1"
REAL_PATH = os.environ.get("AUTOGRADVIZ_TEST_REAL_PATH")  # PATH with dot (tests/conftest.py)
needs_dot = pytest.mark.skipif(
    shutil.which("dot", path=REAL_PATH) is None, reason="Graphviz `dot` not installed"
)


pytestmark = pytest.mark.usefixtures("with_capture")


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.dot"
    if UPDATE:
        path.write_text(text)
    assert text == path.read_text(), f"{name}: DOT differs; rerun with AUTOGRADVIZ_UPDATE_GOLDEN=1"


@pytest.mark.parametrize(
    "name, program",
    [("seed", seed_program), ("fanout", fanout_program), ("loop", loop_program),
     ("detach", detach_program)],
)  # fmt: skip
def test_render_golden_dot(name, program):
    program()
    _check_golden(name, mx.last_graph().to_dot())


def test_render_seed_labels_show_names_values_and_grads():
    x, y, f = seed_program()
    dot = mx.last_graph().to_dot()
    assert "<B>x</B>" in dot and "<B>y</B>" in dot and "<B>f</B>" in dot
    assert "grad [[4 8] [1.2 1.6]]" in dot
    assert "multiply(·, 2)" in dot
    assert "peripheries=2" in dot  # the head


def test_render_loop_is_one_folded_node():
    a, b, c = loop_program()
    g = mx.last_graph()
    dot = g.to_dot(legend=False)
    assert "multiply(·, 2) ×10" in dot
    assert len(re.findall(r"^  n\d+ \[", dot, re.M)) == 2  # a and the folded chain
    unfolded = g.to_dot(fold=False, legend=False)
    assert len(re.findall(r"^  n\d+ \[", unfolded, re.M)) == 11


def test_render_detach_draws_a_dashed_cut():
    detach_program()
    dot = mx.last_graph().to_dot(legend=False)
    assert "constant (detach)" in dot
    assert re.search(r"n\d+ -> n\d+ \[style=dashed", dot)


def test_render_options_change_the_labels():
    seed_program()
    g = mx.last_graph()
    plain = g.to_dot(values=False, grads=False, shapes=False, legend=False)
    assert "value " not in plain and "grad " not in plain and "float32" not in plain
    assert "rankdir=TB" in g.to_dot(rankdir="TB")
    assert "#1d3b57" in g.to_dot(theme="dark")
    assert "cluster_legend" not in plain


def test_render_bad_options_are_explained():
    seed_program()
    g = mx.last_graph()
    with pytest.raises(TypeError, match="unknown option.*colour"):
        g.to_dot(colour="red")
    with pytest.raises(ValueError, match="rankdir='XY' is not allowed"):
        g.to_dot(rankdir="XY")
    with pytest.raises(ValueError, match="max_nodes must be a positive integer"):
        g.to_text(max_nodes=0)


def _chain(n: int):
    x = nd.array([0.5])
    x.attach_grad()
    with autograd.record():
        y = x
        for i in range(n):
            y = y * 1.01 if i % 2 else y + x  # alternating ops: nothing folds
    y.backward()
    return mx.last_graph()


def test_render_max_nodes_keeps_heads_and_variables():
    g = _chain(400)
    dot = g.to_dot(max_nodes=50, legend=False)
    assert len(re.findall(r"^  n\d+(__\d+)? \[", dot, re.M)) <= 50 + 3
    assert "more nodes hidden" in dot
    assert f"  {g.heads[0]} [" in dot and "  n0" in dot
    assert "more nodes hidden" in g.to_text(max_nodes=50)


def test_render_big_graph_draws_within_the_layout_limit():
    # 10,000 ops are cut to max_nodes; the layout would raise LayoutError past its limit.
    svg = _chain(10_000).to_svg()
    assert svg.startswith("<svg") and "more nodes hidden" in svg


def test_render_escapes_user_strings():
    evil = '<img src=x onerror="alert(1)">'
    g = graph_with_name(evil)  # a notebook namespace can bind any string, not only identifiers
    assert g.node("n0").name == evil
    dot = g.to_dot()
    assert "<img" not in dot and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in dot
    assert "<img" not in g.to_svg()


def test_render_escapes_custom_function_names(tmp_path):
    g = graph_of_function_named("<script>alert(1)</script>")
    assert "<script" not in g.to_dot()
    page = Path(g.save(tmp_path / "g.html")).read_text()
    assert page.count("<script") == 1 and "alert(1)</script>" not in page  # (the page's own)


def test_render_text_listing():
    seed_program()
    text = mx.last_graph().to_text()
    lines = text.splitlines()
    assert lines[0] == "n0  x  variable  (2, 2) float32"
    assert ".grad [[4 8] [1.2 1.6]]" in text
    assert lines[-3].endswith("[head]")


def test_render_svg_and_files(tmp_path):
    seed_program()
    g = mx.last_graph()
    svg = g.to_svg()
    assert svg.startswith("<svg") and 'id="n0"' in svg
    for ext in ("svg", "dot", "txt", "html"):
        path = Path(g.save(tmp_path / f"graph.{ext}"))
        assert path.stat().st_size > 100
    html = (tmp_path / "graph.html").read_text()
    assert "<svg" in html and html.count("<script") == 1  # the handout's own script only
    with pytest.raises(ValueError, match="unknown file extension '.gif'"):
        g.save(tmp_path / "graph.gif")


@needs_dot
def test_render_png_with_system_dot(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", REAL_PATH)
    seed_program()
    path = Path(mx.last_graph().save(tmp_path / "graph.png"))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_mimebundle_has_svg_and_text():
    seed_program()
    bundle = mx.last_graph()._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}


def test_render_nonfinite_is_outlined():
    x = nd.array([1.0, -1.0])
    x.attach_grad()
    with autograd.record(), np.errstate(invalid="ignore"):
        bad = nd.sqrt(x)
        z = (bad * 2).sum()
    with np.errstate(invalid="ignore"):
        z.backward()
    dot = mx.last_graph().to_dot()
    assert "penwidth=3" in dot and "first NaN/Inf: bad (sqrt)" in dot


def test_render_plain_constant_is_not_labelled_twice():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    c = nd.array([3.0, 4.0])  # a plain array: cut reason "constant"
    with autograd.record():
        y = (x * c).sum()
    y.backward()
    graph = mx.last_graph()
    assert "constant (constant)" not in graph.to_dot() + graph.to_text()
    assert "constant" in graph.to_text()


def test_render_nan_note_carries_no_raw_markup():
    dot = graph_with_name("<script>", nonfinite=True).to_dot()
    assert "first NaN/Inf" in dot and "<script" not in dot


def test_render_a_failed_save_leaves_the_existing_file_as_it_was(tmp_path, monkeypatch):
    # The file used to be opened (truncated to 0 bytes) before its content was made.
    from autogradviz.errors import LayoutError
    from autogradviz.render import files

    graph = graph_with_name("x")
    target = tmp_path / "graph.svg"
    target.write_text("the picture from yesterday")
    target.chmod(0o640)

    def broken_layout(*args, **kwargs):
        raise LayoutError("to_svg: Graphviz stopped (injected)")

    monkeypatch.setattr(files, "svg_from_dot", broken_layout)
    with pytest.raises(LayoutError):
        graph.save(target)
    assert target.read_text() == "the picture from yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.svg"]  # no temporary file left
    monkeypatch.undo()
    graph.save(target)
    assert target.read_text().lstrip().startswith(("<?xml", "<svg"))
    assert target.stat().st_mode & 0o777 == 0o640  # it keeps its permissions


def test_render_save_writes_through_a_symlink_and_keeps_the_umask(tmp_path):
    graph = graph_with_name("x")
    real = tmp_path / "real.svg"
    real.write_text("old")
    link = tmp_path / "link.svg"
    link.symlink_to(real)
    graph.save(link)
    assert link.is_symlink() and real.read_text().lstrip().startswith(("<?xml", "<svg"))
    old_mask = os.umask(0o077)
    try:
        graph.save(tmp_path / "private.svg")
    finally:
        os.umask(old_mask)
    assert (tmp_path / "private.svg").stat().st_mode & 0o777 == 0o600
