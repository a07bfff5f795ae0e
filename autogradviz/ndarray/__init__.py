"""The ``nd`` namespace (``autogradviz.nd`` is the same): ``NDArray``, creation functions,
random arrays, and one function per op of the table (``nd.exp``, ``nd.dot``, ``nd.sum``, ...).
"""

from __future__ import annotations

from . import random
from .creation import arange, array, empty, eye, full, ones, ones_like, waitall, zeros, zeros_like
from .functions import op_functions
from .ndarray import NDArray
from .nn import Activation, Dropout, LeakyReLU, softmax_cross_entropy
from .random import random_normal, random_uniform, sample_multinomial
from .shapes import concat, split, stack

# One function per table op, except where a hand-written wrapper above has the name.
globals().update({k: f for k, f in op_functions().items() if k not in globals()})

__all__ = sorted(
    [name for name in op_functions()]
    + ["NDArray", "random", "array", "arange", "empty", "eye", "full", "ones", "ones_like",
       "waitall", "zeros", "zeros_like", "random_normal", "random_uniform",
       "sample_multinomial", "Activation", "Dropout", "LeakyReLU", "softmax_cross_entropy",
       "concat", "split", "stack"]
)  # fmt: skip
