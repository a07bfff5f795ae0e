"""autogradviz: MXNet's NDArray + autograd API on numpy, with the recorded graph made visible.

Public names only; the IPython extension is imported lazily, so importing autogradviz
never imports IPython, ipywidgets or graphviz.
"""

from __future__ import annotations

from . import autograd, capture, gluon, nd, ndarray, random, testing
from .context import Context, cpu, current_context, gpu
from .errors import AutogradvizError
from .gluon import initializer, io, metric, optimizer, test_utils
from .gluon import initializer as init
from .graph import Graph, graph_of, last_graph

__version__ = "0.1.0"
MXNetError = AutogradvizError

__all__ = [
    "AutogradvizError", "Context", "Graph", "MXNetError", "autograd", "capture", "cpu",
    "current_context", "gluon", "gpu", "graph_of", "init", "initializer", "io", "last_graph",
    "metric", "nd", "ndarray", "optimizer", "random", "test_utils", "testing", "__version__",
]  # fmt: skip


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext autogradviz``: a live graph under every cell that calls backward()."""
    from .jupyter.extension import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: object) -> None:
    """``%unload_ext autogradviz``: remove every hook the extension installed."""
    from .jupyter.extension import unload_ipython_extension as unload

    unload(ipython)
