"""The timing harness: best-of-N wall-clock times, libraries interleaved round by round.

Another process may share the machine, so a single measurement means little. Each library
is timed several times, taking turns with the others (so a burst of load hits everyone), and
the fastest repeat counts: it is the one least disturbed by the rest of the machine.
Python's garbage collector stays on, because pure-Python engines really do pay for it.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable

Step = Callable[[], object]


def _calls_per_repeat(step: Step, min_time: float) -> int:
    """Return how many calls make one repeat last at least ``min_time`` seconds."""
    start = time.perf_counter()
    step()  # also warms up caches and lazy imports
    once = time.perf_counter() - start
    return max(1, math.ceil(min_time / max(once, 1e-9)))


def measure(steps: dict[str, Step], repeats: int, min_time: float) -> dict[str, float]:
    """Return the best seconds per call of each step, timing the steps in turn.

    Parameters
    ----------
    steps : dict
        Library name -> a function that runs one unit of work (say, forward + backward).
    repeats : int
        How many rounds; every library is timed once per round.
    min_time : float
        Each timing repeats the call enough times to last at least this long.
    """
    calls = {name: _calls_per_repeat(step, min_time) for name, step in steps.items()}
    best = dict.fromkeys(steps, math.inf)
    # Round 0 is a discarded warm-up: the first rounds in a fresh process run measurably
    # slower (the memory allocator and caches are still settling on the working set).
    for round_number in range(repeats + 1):
        for name, step in steps.items():
            gc.collect()  # start every timing with the same (empty) garbage
            n = calls[name]
            start = time.perf_counter()
            for _ in range(n):
                step()
            if round_number > 0:
                best[name] = min(best[name], (time.perf_counter() - start) / n)
    return best


def measure_prepared(prepares: dict[str, Callable[[], Step]], repeats: int) -> dict[str, float]:
    """Like :func:`measure`, but only the part after an untimed set-up is timed.

    Each ``prepare()`` does the untimed work (recording a graph) and returns the function
    to time once (its backward pass). Used to time backward on its own.
    """
    prepares = dict(prepares)
    best = dict.fromkeys(prepares, math.inf)
    for _ in range(repeats):
        for name, prepare in prepares.items():
            timed = prepare()
            gc.collect()
            start = time.perf_counter()
            timed()
            best[name] = min(best[name], time.perf_counter() - start)
    return best
