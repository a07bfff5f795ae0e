"""float32 transcendental functions rounded correctly, as MXNet's are (for small arrays).

numpy's fast float32 ``exp``, ``log``, ``sin``... can be one unit in the last place off the
exact result (``exp(1)`` gives 2.718282 where MXNet prints 2.7182817), and the book prints
those digits. Computing in float64 and rounding once to float32 gives the correctly rounded
value, but float64 routines are 8-14 times slower on big arrays (measured on 256×256:
``exp`` 37 µs against 277 µs). So arrays of up to ``SMALL`` elements, the ones people
print, are computed that way, and bigger ones (a training batch) use numpy's float32.
Imports numpy only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

SMALL = 4096  # elements: up to here, float32 results are computed in float64 and rounded


def rounded(function: Callable[[np.ndarray], Any]) -> Callable[[np.ndarray], Any]:
    """Return ``function`` with float32 inputs of up to ``SMALL`` elements done in float64."""

    def forward(x: np.ndarray) -> Any:
        if x.dtype == np.float32 and x.size <= SMALL:
            return function(x.astype(np.float64)).astype(np.float32)
        return function(x)

    forward.__name__ = getattr(function, "__name__", "forward")
    return forward
