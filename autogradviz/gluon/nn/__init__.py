"""``gluon.nn``: the layers (MXNet's ``mxnet.gluon.nn``)."""

from __future__ import annotations

from ..block import Block, HybridBlock
from .layers import Activation, Dense, Dropout, Flatten, HybridSequential, Sequential

__all__ = ["Activation", "Block", "Dense", "Dropout", "Flatten", "HybridBlock",
           "HybridSequential", "Sequential"]  # fmt: skip
