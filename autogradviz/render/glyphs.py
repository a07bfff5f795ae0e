"""Small pictures of big arrays, drawn with text: a sparkline for 1-D, a heatmap for 2-D.

A node's label shows the numbers of a small array; a bigger one would make the box wider
than the page, so it gets a picture instead, plus one line of statistics:

- 1-D: a sparkline ``▁▃▇█▅▂``, one bar per element (evenly spaced ones for long arrays),
  its height from the smallest element (▁) to the largest (█), its colour the sign (red
  positive, blue negative, grey zero: the heights alone would hide where zero is);
- 2-D and more (seen as a matrix whose columns are the last axis): a heatmap, one coloured
  block per element of an evenly spaced grid: red positive, blue negative, pale near zero,
  the strongest colour at the largest magnitude. NaN and Inf are drawn in the "bad" colour.

Both pictures are characters, so every Graphviz (HTML-like labels or plain ones) and every
terminal can draw them. Imports numpy and the graph's ``summary`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph.summary import Summary, sample_grid

BARS = "▁▂▃▄▅▆▇█"
LEVELS = 6  # shades per sign in a heatmap
BLOCK = "█"
# Heatmap ends per theme: (neutral near zero, strongest negative, strongest positive).
HEAT = {
    "light": ("#dcdcdc", "#2166ac", "#b2182b"),
    "dark": ("#4a4a4a", "#6cb6ff", "#ff6b6b"),
}  # fmt: skip


def grid_of(value: Any) -> np.ndarray:
    """Return the sampled grid a picture of ``value`` (an array or a Summary) shows."""
    if isinstance(value, Summary):
        return value.grid()
    return sample_grid(np.asarray(value))


def is_line(value: Any) -> bool:
    """Return whether ``value`` is pictured as a sparkline (1-D or scalar-like)."""
    shape = value.shape if isinstance(value, Summary) else np.shape(value)
    return len(shape) <= 1


def sparkline(row: np.ndarray) -> str:
    """Return one bar character per element: ▁ for the smallest, █ for the largest."""
    finite = row[np.isfinite(row)]
    if not finite.size:
        return "?" * row.size
    low, high = float(finite.min()), float(finite.max())
    span = (high - low) or 1.0
    levels = np.clip(((row - low) / span * (len(BARS) - 1)).round(), 0, len(BARS) - 1)
    return "".join(
        BARS[int(k)] if np.isfinite(v) else "?" for k, v in zip(levels, row, strict=True)
    )


def sign_colours(row: np.ndarray, theme: str, bad: str) -> list[str]:
    """Return a colour per sparkline bar: red for positive, blue for negative, grey for 0."""
    neutral, negative, positive = HEAT[theme]
    return [bad if not np.isfinite(v) else positive if v > 0 else negative if v < 0 else neutral
            for v in row.tolist()]  # fmt: skip


def heat_colours(grid: np.ndarray, theme: str, bad: str) -> list[list[str]]:
    """Return a colour per cell: a mix from the neutral colour to blue (−) or red (+)."""
    neutral, negative, positive = (np.array(_rgb(c)) for c in HEAT[theme])
    finite = np.isfinite(grid)
    scale = float(np.abs(grid[finite]).max()) if finite.any() else 0.0
    strength = np.abs(np.where(finite, grid, 0.0)) / (scale or 1.0)
    rows = []
    for values, strengths, ok in zip(grid, strength, finite, strict=True):
        row = []
        for value, s, good in zip(values, strengths, ok, strict=True):
            end = negative if value < 0 else positive
            level = round(s**0.7 * LEVELS) / LEVELS  # a few shades, small values made visible
            row.append(_hex(neutral + (end - neutral) * level) if good else bad)
        rows.append(row)
    return rows


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: np.ndarray) -> str:
    r, g, b = (int(round(float(c))) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"
