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


def relative_error(analytic: np.ndarray, numeric: np.ndarray, precise: bool = True,
                   uncertain: np.ndarray | None = None) -> tuple[float, int]:  # fmt: skip
    """Return the worst element's relative error, and where it is.

    Each element is measured against its own size, but never against less than a small
    part of the array's largest (``floor``): an element near 0, off in its last digits, does
    not count as wrong, while a small element that is off by a factor does. Differences
    within ``uncertain`` (what rounding can fake) do not count.
    """
    if analytic.size == 0:
        return 0.0, 0
    scale = max(float(np.max(np.abs(numeric))), float(np.max(np.abs(analytic))), 1e-300)
    size = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor(precise) * scale)
    difference = np.abs(analytic - numeric)
    if uncertain is not None:
        difference = np.maximum(difference - uncertain, 0.0)
    ratios = difference / size
    worst = int(np.argmax(ratios))
    return float(ratios[worst]), worst


def floor(precise: bool) -> float:
    """Return the part of an array's largest element that its small elements are held to."""
    return 1e-6 if precise else 1e-2


def tolerance(precise: bool) -> float:
    """Return the relative error that still counts as a match.

    ``precise``: both sides in float64. A float32 pass rounds every op: its gradient is held
    to 0.2%, and its small elements to 1% of its largest.
    """
    return 1e-5 if precise else 2e-3
