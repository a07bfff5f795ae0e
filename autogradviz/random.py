"""``autogradviz.random`` (MXNet's ``mx.random``): ``seed`` and the random array functions."""

from __future__ import annotations

from .ndarray.random import (
    exponential,
    gamma,
    multinomial,
    normal,
    poisson,
    randint,
    seed,
    shuffle,
    uniform,
)

__all__ = ["exponential", "gamma", "multinomial", "normal", "poisson", "randint", "seed",
           "shuffle", "uniform"]  # fmt: skip
