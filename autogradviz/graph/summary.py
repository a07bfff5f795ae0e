"""Copies of array values for graph snapshots, and summaries of arrays too big to copy.

Imports numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

PREVIEW_ELEMENTS = 6
HISTOGRAM_BINS = 16
HISTOGRAM_SAMPLE = 1 << 14  # elements a histogram counts at most (evenly spaced)
SAMPLE_ROWS, SAMPLE_COLUMNS = 4, 16  # the grid of elements a picture of a 2-D array shows
SAMPLE_LINE = 24  # elements a picture of a 1-D array shows


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
    sample: tuple[tuple[float, ...], ...] = ()  # evenly spaced elements, see ``sample_grid``

    @property
    def histogram_of(self) -> int:
        """How many elements the histogram counted (evenly spaced ones of a big array)."""
        return sum(self.histogram)

    def grid(self) -> np.ndarray:
        """Return ``sample`` as a 2-D float64 array (``(0, 0)`` for an empty array)."""
        return np.array(self.sample, dtype=np.float64) if self.sample else np.zeros((0, 0))

    @property
    def size(self) -> int:
        """Number of elements of the summarized array."""
        return int(np.prod(self.shape))

    def __str__(self) -> str:
        return (
            f"<{'x'.join(map(str, self.shape))} {self.dtype}: min {self.min:.4g}, "
            f"max {self.max:.4g}, mean {self.mean:.4g}, norm {self.norm:.4g}>"
        )


CHUNK = 1 << 18  # elements per pass-through block: bounds the temporary memory


def _chunks(data: np.ndarray) -> Any:
    """Yield the finite values of ``data`` block by block (a view of it when contiguous)."""
    flat = data.reshape(-1)
    for start in range(0, flat.size, CHUNK):
        block = flat[start : start + CHUNK]
        if block.dtype.kind in "fc":
            finite = np.isfinite(block)
            if not finite.all():
                block = block[finite]
        yield block


def _statistics(data: np.ndarray) -> tuple[float, float, float, float, int]:
    """Return min, max, mean and norm of the finite values, and how many there are."""
    low, high, total, squares, count = np.inf, -np.inf, 0.0, 0.0, 0
    for block in _chunks(data):
        if block.size:
            low, high = min(low, float(block.min())), max(high, float(block.max()))
            block_sum, block_squares = _sums(block)
            total, squares, count = total + block_sum, squares + block_squares, count + block.size
    if not count:
        return float("nan"), float("nan"), float("nan"), float("nan"), 0
    return low, high, total / count, float(np.sqrt(squares)), count


def _sums(block: np.ndarray) -> tuple[float, float]:
    """Return the sum and the sum of squares of a block of finite values.

    In float32 (fast: no float64 copy) for float32 and float16 data, unless that overflows
    (values near float32's limit): then again in float64. Integers and booleans: float64.
    """
    if block.dtype.kind == "f" and block.dtype.itemsize <= 4:
        work = block if block.dtype.itemsize == 4 else block.astype(np.float32)
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            total, squares = float(work.sum()), float(np.dot(work, work))
        if np.isfinite(total) and np.isfinite(squares):
            return total, squares
    wide = block.astype(np.float64)
    return float(wide.sum()), float(np.dot(wide, wide))


def _histogram(data: np.ndarray, low: float, high: float) -> tuple[int, ...]:
    """Return counts of the finite values in equal bins from ``low`` to ``high``.

    Counted on at most ``HISTOGRAM_SAMPLE`` evenly spaced elements (the shape of a big
    array's distribution, at a bounded cost; ``Summary.histogram_of`` says how many).
    """
    scale = HISTOGRAM_BINS / ((high - low) or 1.0)
    counts = np.zeros(HISTOGRAM_BINS + 1, dtype=np.int64)
    flat = data.reshape(-1)
    if flat.size > HISTOGRAM_SAMPLE:
        flat = flat[:: -(-flat.size // HISTOGRAM_SAMPLE)]
    for block in _chunks(flat):
        # in float64: a float32 or float16 block minus its minimum may overflow its own type
        bins = (np.subtract(block, low, dtype=np.float64) * scale).astype(np.intp)
        counts += np.bincount(bins, minlength=HISTOGRAM_BINS + 1)
    counts[HISTOGRAM_BINS - 1] += counts[HISTOGRAM_BINS]  # the maximum: in the last bin
    return tuple(counts[:HISTOGRAM_BINS].tolist())


def sample_grid(data: np.ndarray) -> np.ndarray:
    """Return evenly spaced elements of ``data`` as a small 2-D float64 grid (rows, columns).

    A 1-D array gives one row of up to ``SAMPLE_LINE`` elements; any other array is seen as
    a matrix (the last axis is the columns) and gives up to ``SAMPLE_ROWS × SAMPLE_COLUMNS``.
    Each cell is one element of the array (the first and last included), never an average.
    """
    grid = data.reshape(1, -1) if data.ndim <= 1 else data.reshape(-1, data.shape[-1])
    if grid.size == 0:
        return np.zeros((0, 0))
    rows, columns = sample_indices(data.shape)
    return grid[rows][:, columns].astype(np.float64)


def sample_indices(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Return the row and column numbers ``sample_grid`` takes from an array of ``shape``."""
    if len(shape) <= 1:
        lengths, most = (1, int(np.prod(shape))), (1, SAMPLE_LINE)
    else:
        lengths, most = (int(np.prod(shape[:-1])), shape[-1]), (SAMPLE_ROWS, SAMPLE_COLUMNS)
    rows, columns = (_spread(n, k) for n, k in zip(lengths, most, strict=True))
    return rows, columns


def _spread(length: int, count: int) -> np.ndarray:
    """Return ``min(length, count)`` evenly spaced indices from 0 to ``length - 1``."""
    count = min(length, count)
    if count <= 1:
        return np.zeros(count, dtype=np.intp)
    step = (length - 1) / (count - 1)
    return np.array(sorted({round(k * step) for k in range(count)}), dtype=np.intp)


def summarize(data: np.ndarray) -> Summary:
    """Return a :class:`Summary` of ``data`` (NaN/Inf are left out of the statistics).

    The array is read in blocks, so the extra memory stays small even for huge arrays.
    """
    low, high, mean, norm, count = _statistics(data)
    first = tuple(float(v) for v in data.reshape(-1)[:PREVIEW_ELEMENTS])
    counts = _histogram(data, low, high) if count else ()
    sample = tuple(tuple(row) for row in sample_grid(data).tolist())
    return Summary(tuple(data.shape), data.dtype.name, low, high, mean, norm, first,
                   int(data.size - count), counts, sample)  # fmt: skip


def root_buffer(data: np.ndarray) -> np.ndarray:
    """Return the buffer a numpy view looks into (the array itself if it owns its data)."""
    while isinstance(data.base, np.ndarray):
        data = data.base
    return data


def snapshot(data: Any, max_elements: int) -> tuple[Any, bool]:
    """Return ``(frozen copy or Summary, has_nonfinite)`` for an array, or ``(None, False)``."""
    if data is None:
        return None, False
    data = np.asarray(data)
    if data.size > max_elements:
        summary = summarize(data)
        return summary, summary.nonfinite > 0
    nonfinite = data.dtype.kind in "fc" and not bool(np.isfinite(data).all())
    copy = data.copy()
    copy.flags.writeable = False
    return copy, nonfinite
