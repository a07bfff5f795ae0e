"""The op table (``OPS``), assembled from one module per family of ops.

Imports numpy and ``errors`` only (through the family modules).
"""

from __future__ import annotations

from . import elementwise, indexing, join, linalg, nn, reduce, shape  # noqa: F401  (each module registers its ops)
from .registry import ALIASES, OPS, Op, defop, unbroadcast

__all__ = ["ALIASES", "OPS", "Op", "defop", "unbroadcast"]
