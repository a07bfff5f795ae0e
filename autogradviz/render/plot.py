"""A small SVG plot: a curve, a point on it, and the tangent there (what-if's picture).

The tangent's slope is the gradient backward gives at that point: the picture shows what
"the gradient is the slope" means. Numbers only go into the SVG (labels are escaped), so it
is safe to put in a page. Imports the standard library and ``dot.html_escape``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .dot import html_escape

WIDTH, HEIGHT, MARGIN = 360, 200, 38
TOP = 24  # the plot area starts under the line naming the head


def tangent_plot(curve: Sequence[tuple[float, float]], point: tuple[float, float],
                 slope: float, x_label: str, y_label: str) -> str:  # fmt: skip
    """Return an SVG plot of ``curve`` with ``point`` marked and the tangent through it."""
    xs = [x for x, _ in curve] + [point[0]]
    ys = [y for _, y in curve if math.isfinite(y)] + [point[1]]
    x_low, x_high = min(xs), max(xs)
    y_low, y_high = min(ys), max(ys)
    if y_high - y_low < 1e-12:
        y_low, y_high = y_low - 1, y_high + 1

    def at(x: float, y: float) -> tuple[float, float]:
        px = MARGIN + (x - x_low) / (x_high - x_low or 1) * (WIDTH - 2 * MARGIN)
        py = HEIGHT - MARGIN - (y - y_low) / (y_high - y_low) * (HEIGHT - MARGIN - TOP - 6)
        return px, py

    line = " ".join(f"{px:.1f},{py:.1f}" for px, py in (at(x, y) for x, y in curve
                                                        if math.isfinite(y)))  # fmt: skip
    reach = (x_high - x_low) / 4
    x0, y0 = point
    (tx1, ty1), (tx2, ty2) = at(x0 - reach, y0 - slope * reach), at(x0 + reach, y0 + slope * reach)
    cx, cy = at(x0, y0)
    left, bottom = MARGIN, HEIGHT - MARGIN + 6
    return (
        f'<svg class="agv-plot" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-size="12" '
        'font-family="sans-serif">'
        f'<rect x="{left}" y="{TOP}" width="{WIDTH - 2 * MARGIN}" height="{bottom - TOP}" '
        'fill="none" stroke="#bbb"/>'
        f'<clipPath id="agv-plot-area"><rect x="{left}" y="{TOP}" '
        f'width="{WIDTH - 2 * MARGIN}" height="{bottom - TOP}"/></clipPath>'
        f'<polyline class="agv-curve" points="{line}" fill="none" stroke="#1f77b4" '
        'stroke-width="2"/>'
        f'<line class="agv-tangent" x1="{tx1:.1f}" y1="{ty1:.1f}" x2="{tx2:.1f}" '
        f'y2="{ty2:.1f}" stroke="#ff7f0e" stroke-width="2" stroke-dasharray="5 3" '
        'clip-path="url(#agv-plot-area)"/>'
        f'<circle class="agv-point" cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="#d62728"/>'
        f'<text x="{left}" y="{HEIGHT - 6}">{x_low:.3g}</text>'
        f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 6}" text-anchor="end">{x_high:.3g}</text>'
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 6}" text-anchor="middle">'
        f"{html_escape(x_label)}</text>"
        f'<text x="4" y="{TOP - 8}">{html_escape(y_label)} (top: {y_high:.4g}, bottom: '
        f"{y_low:.4g})</text>"
        "</svg>"
    )
