"""MXNet 1.9's high-level API (Blocks, layers, losses, Trainer, data); it uses ``nd`` only.

Written on the public ``nd`` and ``autograd`` API only, so a gluon model records the same
ops as the same model written from scratch, and its graph can be drawn the same way.
``mx.init``, ``mx.optimizer``, ``mx.metric`` and ``mx.test_utils`` live here too (the
package's top level gives them MXNet's names).
"""

from __future__ import annotations

from . import data, initializer, io, loss, metric, nn, optimizer, test_utils
from .block import Block, HybridBlock
from .parameter import DeferredInitializationError, Parameter
from .parameter_dict import ParameterDict
from .trainer import Trainer

__all__ = ["Block", "DeferredInitializationError", "HybridBlock", "Parameter", "ParameterDict",
           "Trainer", "data", "initializer", "io", "loss", "metric", "nn", "optimizer",
           "test_utils"]  # fmt: skip
