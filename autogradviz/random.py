"""``autogradviz.random`` (MXNet's ``mx.random``): ``seed`` and the random array functions."""

from __future__ import annotations

from .ndarray.random import multinomial, normal, seed, uniform

__all__ = ["multinomial", "normal", "seed", "uniform"]
