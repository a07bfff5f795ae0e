"""Labels that scale (issue 11): numbers for small arrays, statistics and a picture for big ones.

No label line may be wider than a box should be, whatever the array's size; a big array gets
a sparkline (1-D) or a heatmap (2-D) and one line of min, max and mean (or norm).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from graph_programs import mlp_program, seed_program

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.render import glyphs
from autogradviz.render.plain_labels import restyle, to_plain
from autogradviz.render.preview import stats_text

pytestmark = pytest.mark.usefixtures("with_capture")
LABEL = re.compile(r"label=<(.*?)>, fillcolor")
TAG = re.compile(r"<[^>]+>")
WIDEST_LINE = 44  # characters: about 300 px at the widget's 13 px text


def _label_lines(dot: str, node_id: str) -> list[str]:
    line = next(ln for ln in dot.splitlines() if ln.strip().startswith(f"{node_id} ["))
    markup = LABEL.search(line).group(1)
    return [TAG.sub("", part) for part in markup.split('<BR ALIGN="LEFT"/>') if part]


def test_labels_small_arrays_show_their_numbers():
    seed_program()
    assert _label_lines(mx.last_graph().to_dot(), "n0") == [
        "x", "variable · 2×2 float32", "value [[1 2] [3 4]]", ".grad [[4 8] [1.2 1.6]]"
    ]  # fmt: skip


def test_labels_big_arrays_get_statistics_and_a_picture_never_a_wide_printout():
    params, _ = mlp_program()
    graph = mx.last_graph()
    dot = graph.to_dot()
    for node in graph.nodes:
        lines = _label_lines(dot, node.id)
        assert max(len(line) for line in lines) <= WIDEST_LINE, (node.id, lines)
    w2 = _label_lines(dot, graph.node("W2").id)
    grad = params[2].grad.asnumpy()
    assert w2[2].startswith("value min ") and w2[2].endswith(
        " mean " + f"{graph.node('W2').value.mean:.3g}"
    )
    stats = f"min {grad.min():.3g} max {grad.max():.3g} norm {np.linalg.norm(grad):.3g}"
    assert f".grad {stats}" in w2  # the numbers print() would give, summarised
    heat_rows = [line for line in w2 if set(line) == {glyphs.BLOCK}]
    assert len(heat_rows) == 8 and {len(row) for row in heat_rows} == {16}  # value and .grad
    b1 = _label_lines(dot, graph.node("b1").id)
    assert b1[2] == "value all 0"  # nothing to draw: no picture
    assert any(set(line) <= set(glyphs.BARS) and len(line) == 24 for line in b1)  # .grad


def test_glyphs_sparkline_runs_from_the_smallest_to_the_largest():
    assert glyphs.sparkline(np.array([0.0, 1.0, 2.0, 7.0])) == "▁▂▃█"
    assert glyphs.sparkline(np.array([3.0, np.nan, -1.0])) == "█?▁"


def test_glyphs_heatmap_colours_by_sign_and_size_and_marks_nan():
    neutral, negative, positive = glyphs.HEAT["light"]
    colours = glyphs.heat_colours(np.array([[-4.0, 0.0, 4.0, np.nan]]), "light", "#d62728")
    assert colours == [[negative, neutral, positive, "#d62728"]]
    weak = glyphs.heat_colours(np.array([[0.5, 4.0]]), "light", "#000000")[0][0]
    assert weak not in (neutral, positive)  # in between: a paler red


def test_glyphs_sample_evenly_spaced_elements_of_any_shape():
    from autogradviz.graph.summary import sample_grid

    grid = sample_grid(np.arange(300 * 32, dtype=np.float32).reshape(300, 32))
    assert grid.shape == (4, 16) and grid[0, 0] == 0 and grid[-1, -1] == 300 * 32 - 1
    assert sample_grid(np.arange(5.0)).shape == (1, 5)
    assert sample_grid(np.zeros((2, 3, 4))).shape == (4, 4)  # seen as a 6×4 matrix
    assert sample_grid(np.zeros((0, 3))).shape == (0, 0)


@pytest.mark.parametrize(
    "values",
    [np.full((40, 40), 40000, np.float16), np.full((40, 40), -40000, np.float16),
     np.full((40, 40), 3e38, np.float32), np.array([np.nan, np.inf] * 600, np.float32)],
    ids=["float16-big", "float16-small", "float32-near-max", "nan-inf"],
)  # fmt: skip
def test_labels_huge_finite_and_nonfinite_values_never_crash(values):
    x = nd.array(values, dtype=values.dtype)
    x.attach_grad()
    with autograd.record():
        y = x * 1
    y.backward()
    graph = mx.last_graph()
    lines = _label_lines(graph.to_dot(), "n0")
    finite = values[np.isfinite(values)]
    if finite.size:
        assert lines[2] == f"value all {float(finite[0]):.3g}"
    else:
        assert lines[2] == "value no finite element · 1200 NaN/Inf"
    assert "<svg" in graph.to_svg()


def test_stats_text_says_all_equal_and_counts_nonfinite():
    assert stats_text(np.zeros(10), 3) == "all 0"
    assert stats_text(np.array([1.0, np.nan, 3.0]), 3) == "min 1 max 3 mean 2 · 1 NaN/Inf"
    assert stats_text(np.array([3.0, 4.0]), 3, "norm") == "min 3 max 4 norm 5"


def test_plain_labels_draw_heatmap_rows_one_coloured_block_each():
    row = '<FONT COLOR="#111111">█</FONT><FONT COLOR="#222222">█</FONT>'
    plain, styles = to_plain(f'  n0 [label=<value<BR ALIGN="LEFT"/>{row}<BR ALIGN="LEFT"/>>];')
    assert plain == '  n0 [label="value\\l██\\l"];'
    assert styles == {"n0": {1: ("#111111", "#222222")}}
    svg = '<g id="n0" class="node"><text x="1">value</text><text x="1">██</text></g>'
    out = restyle(svg, styles)
    assert '<tspan fill="#111111">█</tspan><tspan fill="#222222">█</tspan>' in out


def test_text_listing_summarises_big_arrays_in_one_short_line():
    params, _ = mlp_program()
    text = mx.last_graph().to_text()
    assert max(len(line) for line in text.splitlines()) <= 80, text  # a terminal's width
    grad = params[1].grad.asnumpy()  # b1: 1-D, with a sparkline
    line = next(ln for ln in text.splitlines()[3:6] if ln.strip().startswith(".grad"))
    assert f"norm {np.linalg.norm(grad):.3g}" in line and set(line.split()[-1]) <= set(glyphs.BARS)
