"""The seed example as a notebook, one step a cell: run by nbclient and by the browser test."""

from __future__ import annotations

import nbformat

# The seed example of the project, one step a cell. The browser test runs it too.
SEED_CELLS = [
    "%load_ext autogradviz",
    "import autogradviz as mx\nfrom autogradviz import nd, autograd",
    "x = mx.nd.array([[1, 2], [3, 4]])\nx.attach_grad()",
    "with autograd.record():\n    y = x * 2\n    f = y * x",
    "f.backward(nd.array([[1., 1.], [.1, .1]]))",
]


def seed_notebook(cells: list[str] = SEED_CELLS) -> nbformat.NotebookNode:
    """A notebook of code cells with the ``python3`` kernelspec (no kernel-picker dialog)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return nb
