"""Central finite differences on a replayed tape, and how far two gradients are apart.

``numeric_gradient`` moves one element at a time by ±h and replays: the slope it finds is
what the analytic gradient must match. Which elements: all of a small array, a reproducible
random sample (plus the biggest gradient) of a big one. Imports numpy only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

ALL_UP_TO = 64  # arrays up to this size are checked element by element
SAMPLE = 24  # elements checked in a bigger array


def step_size(value: float, precise: bool) -> float:
    """Return h for an element: relative to its size, bigger when the replay is float32."""
    return (1e-6 if precise else 1e-3) * max(1.0, abs(value))


def elements(shape: tuple[int, ...], grad: np.ndarray | None, seed: int = 0) -> list[tuple]:
    """Return the indices to check: every one, or a sample that includes the biggest |grad|."""
    size = int(np.prod(shape))
    if size <= ALL_UP_TO:
        return list(np.ndindex(*shape))
    rng = np.random.default_rng(seed)
    flat = sorted(rng.choice(size, SAMPLE, replace=False).tolist())
    if grad is not None and grad.size == size:
        biggest = int(np.argmax(np.abs(grad)))
        flat = sorted({*flat, biggest})
    return [tuple(int(k) for k in np.unravel_index(i, shape)) for i in flat]


def numeric_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, indices: list[tuple],
                     precise: bool = True) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Return (f(x + h·e) - f(x - h·e)) / 2h at each of ``indices``, and its uncertainty.

    The uncertainty is what rounding of f itself can fake: a slope smaller than it is
    invisible (a small term of a big sum moves the sum by less than its last digit).
    """
    found, uncertain = np.zeros(len(indices)), np.zeros(len(indices))
    rounding = 1e-13 if precise else 1e-6
    for k, index in enumerate(indices):
        h = step_size(float(x[index]), precise)
        moved = x.copy()
        moved[index] = x[index] + h
        up = f(moved)
        moved[index] = x[index] - h
        down = f(moved)
        found[k] = (up - down) / (2 * h)
        uncertain[k] = rounding * max(abs(up), abs(down)) / (2 * h)
    return found, uncertain


def relative_error(analytic: np.ndarray, numeric: np.ndarray,
                   uncertain: np.ndarray | None = None) -> tuple[float, int]:  # fmt: skip
    """Return the biggest difference over the biggest magnitude, and where it is.

    Measured against the whole array's scale, so a tiny element (near 0) that is off in its
    last digits does not count as wrong; differences within ``uncertain`` do not count.
    """
    if analytic.size == 0:
        return 0.0, 0
    difference = np.abs(analytic - numeric)
    if uncertain is not None:
        difference = np.maximum(difference - uncertain, 0.0)
    worst = int(np.argmax(difference))
    scale = max(float(np.max(np.abs(numeric))), float(np.max(np.abs(analytic))), 1e-30)
    return float(difference[worst]) / scale, worst


def tolerance(precise: bool) -> float:
    """Return the relative error that still counts as a match."""
    return 1e-5 if precise else 1e-2
