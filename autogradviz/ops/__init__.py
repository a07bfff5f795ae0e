"""The derivative table (``OPS``), one module per family; never imports the engine or NDArray.

Imports numpy and ``errors`` only (through the family modules); the engine applies the
rules by duck typing, so neither knows the other.
"""

from __future__ import annotations

from . import elementwise, floats, indexing, join, linalg, nn, reduce, shape, special  # noqa: F401  (each module registers its ops)
from .registry import ALIASES, OPS, Op, defop, unbroadcast

__all__ = ["ALIASES", "OPS", "Op", "defop", "unbroadcast"]
