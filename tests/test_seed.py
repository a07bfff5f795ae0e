"""The seed tutorial (MXNet's "Automatic differentiation with autograd") runs unchanged.

Its code cells are executed with only the imports swapped, the way a student would run them
in Jupyter (a cell ending in an expression shows that expression's repr).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

import autogradviz as mx

# A verbatim copy of the seed tutorial (The Straight Dope, chapter 1, "autograd").
SEED = Path(__file__).parent / "data" / "seed_autograd_tutorial.txt"
IMPORTS = {
    "import mxnet as mx": "import autogradviz as mx",
    "import mxnet.ndarray as nd": "import autogradviz.ndarray as nd",
    "from mxnet import autograd": "from autogradviz import autograd",
}
X_GRAD = "\n[[4.  8. ]\n [1.2 1.6]]\n<NDArray 2x2 @cpu(0)>"


def _code_cells(text: str) -> list[str]:
    """Return each ``In [n]:`` cell's code.

    After a marker come blank-line-separated paragraphs: code, then printed output or prose.
    The cell is the longest run of leading paragraphs that still parses as Python.
    """
    cells = []
    for block in re.split(r"^In \[\d+\]:\n", text, flags=re.MULTILINE)[1:]:
        code = ""
        for paragraph in re.split(r"\n\s*\n", block):
            candidate = f"{code}\n\n{paragraph}" if code else paragraph
            try:
                ast.parse(candidate)
            except SyntaxError:
                break
            code = candidate
        cells.append(code.strip("\n") + "\n")
    return cells


def _swap_imports(cell: str) -> str:
    for old, new in IMPORTS.items():
        cell = cell.replace(old, new)
    assert "mxnet" not in cell
    return cell


def _run_cell(cell: str, namespace: dict) -> None:
    """Execute a cell like Jupyter: a final expression is evaluated and its repr shown."""
    tree = ast.parse(cell)
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        tree.body.pop()
        exec(compile(tree, "<seed cell>", "exec"), namespace)
        value = eval(compile(ast.Expression(last.value), "<seed cell>", "eval"), namespace)
        if value is not None:
            print(repr(value))
    else:
        exec(compile(tree, "<seed cell>", "exec"), namespace)


def _run_seed(seed: int) -> tuple[str, dict]:
    cells = [_swap_imports(cell) for cell in _code_cells(SEED.read_text())]
    namespace: dict = {}
    output = io.StringIO()
    mx.random.seed(seed)
    with contextlib.redirect_stdout(output):
        for cell in cells:
            _run_cell(cell, namespace)
    return output.getvalue(), namespace


def _expected_a_grad(a: np.ndarray, head_gradient: np.ndarray) -> np.ndarray:
    """The spec's formula: head_gradient · 2^(k+1) · (1 if sum(b) > 0 else 100).

    k counts the loop's doublings, replayed here in float32 with numpy alone.
    """
    b = a.astype(np.float32) * np.float32(2)
    k = 0
    while np.sqrt(np.sum(b * b)) < 1000:
        b = b * np.float32(2)
        k += 1
    branch = 1.0 if b.sum() > 0 else 100.0
    return head_gradient * 2.0 ** (k + 1) * branch


def test_seed_file_has_the_expected_cells():
    cells = _code_cells(SEED.read_text())
    assert len(cells) == 9
    assert cells[0].startswith("import mxnet as mx")
    assert "print(x.grad)" in cells[5]
    assert cells[-1].strip() == "x.grad"


def test_seed_prints_x_grad_like_mxnet():
    output, _ = _run_seed(seed=1)
    # Printed once by print(x.grad) and once by the final cell's x.grad, as in the tutorial.
    assert output == X_GRAD + "\n" + X_GRAD + "\n"


@pytest.mark.parametrize("seed", range(8))
def test_seed_control_flow_gradient_follows_formula(seed):
    _, namespace = _run_seed(seed)
    a, c = namespace["a"], namespace["c"]
    head_gradient = np.array([0.1, 1.0, 0.0001])
    expected = _expected_a_grad(a.asnumpy(), head_gradient)
    np.testing.assert_allclose(a.grad.asnumpy(), expected, rtol=1e-6)
    # c is either b or 100·b, where b = a · 2^(k+1).
    ratio = expected / head_gradient
    np.testing.assert_allclose(c.asnumpy(), a.asnumpy() * ratio, rtol=1e-5)


def test_seed_runs_both_branches_over_seeds():
    branches = set()
    for seed in range(8):
        _, namespace = _run_seed(seed)
        branches.add(bool(namespace["b"].asnumpy().sum() > 0))
    assert branches == {True, False}


def test_seed_k_10_and_the_100_branch_by_hand():
    # a = [-0.5, 0.2, 0.2]: |2a| = 1.149, so b doubles k = 10 times (1.149 · 2^10 >= 1000),
    # and sum(b) < 0 picks c = 100·b: a.grad = head · 2^11 · 100 (the book's case).
    cells = [_swap_imports(cell) for cell in _code_cells(SEED.read_text())]
    namespace: dict = {}
    _run_cell(cells[0], namespace)
    _run_cell(cells[6].replace("nd.random_normal(shape=3)", "nd.array([-0.5, 0.2, 0.2])"),
              namespace)  # fmt: skip
    _run_cell(cells[7], namespace)
    np.testing.assert_allclose(namespace["a"].grad.asnumpy(), [20480.0, 204800.0, 20.48],
                               rtol=1e-6)  # fmt: skip
