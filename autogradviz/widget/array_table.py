"""An array in the inspector: an aligned, scrollable table of numbers, each cell tinted.

Every cell is tinted with the heatmap colours of the graph's boxes (red positive, blue
negative, pale near zero), so the table and the box's picture read the same way. A small
array shows all its elements; a big one (a ``Summary``) shows its statistics, a histogram
and the evenly spaced elements its box pictures, with their row and column numbers.
Reads the graph's summaries; imports numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph.summary import Summary, sample_indices
from ..render.dot import THEMES, html_escape
from ..render.glyphs import heat_colours
from ..render.preview import stats_text

MAX_CELLS = 1000  # more than this is a Summary already (graph snapshots copy up to 1000)
STYLE = (
    ".agv-inspector .agv-array{display:inline-block;max-height:220px;max-width:100%;"
    "overflow:auto;border:1px solid var(--jp-border-color2,#ddd);vertical-align:top}"
    ".agv-inspector .agv-array table{border-collapse:collapse;font-size:12px;"
    "font-family:var(--jp-code-font-family,monospace)}"
    ".agv-inspector .agv-array td{padding:1px 5px;text-align:right;color:#111}"
    ".agv-inspector .agv-array th{padding:1px 4px;font-weight:normal;opacity:.6;"
    "position:sticky;top:0;background:var(--jp-layout-color1,#fff)}"
)


def array_table(value: Any, nonfinite: bool = False) -> str:
    """Return a value or gradient as HTML: statistics, then the tinted table of elements."""
    if value is None:
        return "<i>none (no gradient reached this node)</i>"
    bad = ' <span class="agv-bad">contains NaN/Inf</span>' if nonfinite else ""
    if isinstance(value, Summary):
        return _summary(value) + bad
    array = np.asarray(value)
    if array.ndim == 0:
        return f"<code>{html_escape(_number(array.item()))}</code>{bad}"
    grid = array.reshape(1, -1) if array.ndim == 1 else array.reshape(-1, array.shape[-1])
    rows, columns = np.arange(grid.shape[0]), np.arange(grid.shape[1])
    stats = html_escape(stats_text(array, 4)) if array.size > 1 else ""
    return f"<div>{stats}</div>{bad}{_table(grid, rows, columns)}"


def _summary(summary: Summary) -> str:
    stats = html_escape(f"shape {summary.shape}, norm {summary.norm:.4g}, ")
    stats += html_escape(stats_text(summary, 4))
    grid = summary.grid()
    rows, columns = sample_indices(summary.shape)
    note = "<br><small>evenly spaced elements (row and column numbers on the edges):</small>"
    histogram = histogram_svg(summary.histogram, summary.min, summary.max)
    if summary.histogram and summary.histogram_of < summary.size - summary.nonfinite:
        histogram += f"<small>(of {summary.histogram_of:,} evenly spaced elements)</small>"
    return f"{stats}<br>{histogram}{note}{_table(grid, rows, columns)}"


def histogram_svg(counts: tuple[int, ...], low: float, high: float) -> str:
    """Return a small inline SVG bar chart of histogram ``counts`` between ``low`` and ``high``."""
    if not counts:
        return ""
    width, height, peak = 160, 40, max(counts) or 1
    bar = width / len(counts)
    bars = "".join(
        f'<rect x="{i * bar:.1f}" y="{height - height * c / peak:.1f}" width="{bar - 1:.1f}" '
        f'height="{height * c / peak:.1f}" fill="#4c8ed9"/>'
        for i, c in enumerate(counts)
    )
    return (
        f'<svg width="{width}" height="{height + 12}" role="img" aria-label="histogram">{bars}'
        f'<text x="0" y="{height + 11}" font-size="9">{low:.3g}</text>'
        f'<text x="{width}" y="{height + 11}" font-size="9" text-anchor="end">{high:.3g}</text>'
        "</svg>"
    )


def _table(grid: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> str:
    if grid.size == 0:
        return "<i>no elements</i>"
    bad = str(THEMES["light"]["bad"])
    colours = heat_colours(grid.astype(np.float64), "light", bad)
    head = "<tr><th></th>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr>"
    body = "".join(
        f"<tr><th>{r}</th>"
        + "".join(
            f'<td style="background:{colour}80">{html_escape(_number(v))}</td>'
            for v, colour in zip(values, tints, strict=True)
        )
        + "</tr>"
        for r, values, tints in zip(rows, grid.tolist(), colours, strict=True)
    )
    return f'<div class="agv-array"><table>{head}{body}</table></div>'


def _number(value: Any) -> str:
    return f"{value:.5g}" if isinstance(value, float) else str(value)
