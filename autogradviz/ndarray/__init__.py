"""``NDArray`` and the ``nd`` functions; imports engine and ops, never graph or anything visual.

The ``nd`` namespace (``autogradviz.nd`` is the same): ``NDArray`` (``base``: what an array
knows; ``ndarray``: its operators and op methods; ``writes``: ``x[i] = v`` and ``+=``),
creation functions, random arrays, MXNet's output layers (``outputs``: losses folded into
the last layer), and one function per op of the table (``nd.exp``,
``nd.dot``, ``nd.sum``, ...). Imports numpy, the op table, the engine, ``context`` and
``errors`` only; never the graph model, anything visual or IPython.
"""

from __future__ import annotations

from . import random
from .creation import arange, array, empty, eye, full, ones, ones_like, waitall, zeros, zeros_like
from .functions import op_functions
from .ndarray import NDArray
from .nn import Activation, Dropout, FullyConnected, LeakyReLU, softmax_cross_entropy
from .outputs import (
    LinearRegressionOutput,
    LogisticRegressionOutput,
    MAERegressionOutput,
    SoftmaxOutput,
)
from .random import (
    normal,
    random_exponential,
    random_gamma,
    random_normal,
    random_poisson,
    random_randint,
    random_uniform,
    sample_multinomial,
    shuffle,
    uniform,
)
from .saving import load, save
from .shapes import concat, split, stack

__all__ = [
    "NDArray", "random", "array", "arange", "empty", "eye", "full", "ones", "ones_like",
    "waitall", "zeros", "zeros_like", "random_normal", "random_uniform", "sample_multinomial",
    "normal", "uniform", "random_exponential", "random_gamma", "random_poisson",
    "random_randint", "shuffle",
    "Activation", "Dropout", "FullyConnected", "LeakyReLU", "softmax_cross_entropy",
    "LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput",
    "SoftmaxOutput", "concat",
    "split", "stack",
    "load", "save",
]  # fmt: skip

# One function per table op (nd.exp, nd.sum, ...), except where a hand-written front end
# above already has the name.
_generated = {name: f for name, f in op_functions().items() if name not in __all__}
globals().update(_generated)
__all__ += sorted(_generated)
