"""Copies of array values for graph snapshots, and summaries of arrays too big to copy.

Imports numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

PREVIEW_ELEMENTS = 6
HISTOGRAM_BINS = 16


@dataclass(frozen=True)
class Summary:
    """Statistics that stand in for a big array (computed without copying it)."""

    shape: tuple[int, ...]
    dtype: str
    min: float
    max: float
    mean: float
    norm: float
    first: tuple[float, ...]
    nonfinite: int
    histogram: tuple[int, ...] = ()  # counts in HISTOGRAM_BINS equal bins from min to max

    @property
    def size(self) -> int:
        """Number of elements of the summarized array."""
        return int(np.prod(self.shape))

    def __str__(self) -> str:
        return (
            f"<{'x'.join(map(str, self.shape))} {self.dtype}: min {self.min:.4g}, "
            f"max {self.max:.4g}, mean {self.mean:.4g}, norm {self.norm:.4g}>"
        )


def _histogram(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Return counts in equal bins from ``low`` to ``high`` (np.histogram is 4x slower)."""
    scale = HISTOGRAM_BINS / ((high - low) or 1.0)
    bins = ((values.reshape(-1) - low) * scale).astype(np.intp)
    return np.bincount(np.minimum(bins, HISTOGRAM_BINS - 1), minlength=HISTOGRAM_BINS)


def summarize(data: np.ndarray) -> Summary:
    """Return a :class:`Summary` of ``data`` (NaN/Inf are left out of the statistics)."""
    finite = np.isfinite(data) if data.dtype.kind in "fc" else np.ones(data.shape, bool)
    values = data[finite] if not finite.all() else data
    stats = (
        (float(values.min()), float(values.max()), float(values.mean()),
         float(np.sqrt(np.sum(np.square(values, dtype=np.float64)))))
        if values.size else (float("nan"),) * 4
    )  # fmt: skip
    first = tuple(float(v) for v in data.reshape(-1)[:PREVIEW_ELEMENTS])
    counts = _histogram(values, stats[0], stats[1]) if values.size else ()
    return Summary(
        tuple(data.shape), data.dtype.name, *stats, first, int(data.size - finite.sum()),
        tuple(int(c) for c in counts),
    )  # fmt: skip


def snapshot(data: Any, max_elements: int) -> tuple[Any, bool]:
    """Return ``(frozen copy or Summary, has_nonfinite)`` for an array, or ``(None, False)``."""
    if data is None:
        return None, False
    data = np.asarray(data)
    nonfinite = data.dtype.kind in "fc" and not bool(np.isfinite(data).all())
    if data.size > max_elements:
        return summarize(data), nonfinite
    copy = data.copy()
    copy.flags.writeable = False
    return copy, nonfinite
