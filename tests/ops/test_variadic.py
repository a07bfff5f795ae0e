"""``concat`` and ``stack``: one backward rule call for all their inputs (issue 12).

Called once per input, with every input splatted into each call, the backward of a concat
of 8,000 pieces took 16 s (n² work). Speed itself is measured in the benchmarks; these tests
pin the contract that keeps it linear, and the gradients with constants among the pieces.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from autogradviz import autograd, nd
from autogradviz.ops import OPS


@pytest.mark.parametrize(("name", "attrs"), [("concat", {"dim": 0}), ("stack", {"axis": 0})])
def test_variadic_rule_runs_once_for_all_inputs(name, attrs):
    op = OPS[name]
    calls: list = []

    def spy(*args, **kwargs):
        calls.append(len(args[2]))
        return op.vjps[0](*args, **kwargs)

    pieces = [nd.array([float(k), float(k)]) for k in range(50)]
    for piece in pieces[::2]:
        piece.attach_grad()
    with autograd.record():
        out = getattr(nd, name)(*pieces, **attrs)
    grads = dataclasses.replace(op, vjps=(spy,)).vjp(nd.ones(out.shape), out, tuple(pieces),
                                                     attrs)  # fmt: skip
    assert calls == [50]
    assert [g is None for g in grads] == [k % 2 == 1 for k in range(50)]  # constants: none
    assert all(g.shape == (2,) for g in grads if g is not None)


def test_variadic_concat_sends_each_piece_its_slice():
    a, b, c = nd.array([[1.0, 2.0]]), nd.array([[3.0], [4.0]]).reshape((1, 2)), nd.ones((1, 3))
    for x in (a, c):
        x.attach_grad()
    with autograd.record():
        out = nd.concat(a, b, c, dim=1)
    out.backward(nd.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]]))
    assert a.grad.asnumpy().tolist() == [[1.0, 2.0]]
    assert c.grad.asnumpy().tolist() == [[5.0, 6.0, 7.0]]
    np.testing.assert_array_equal(out.asnumpy(), [[1, 2, 3, 4, 1, 1, 1]])


def test_scatter_both_ways_of_adding_repeated_picks_agree():
    # A few rows of a big table go through np.add.at, a dense pick through one bincount.
    from autogradviz.ops.shape import SCATTER_BY_COUNT

    for rows in (40 * SCATTER_BY_COUNT, 3):
        table = nd.array(np.arange(rows * 3, dtype=np.float64).reshape(rows, 3))
        table.attach_grad()
        picks = nd.array([1, 1, 2, 1])
        with autograd.record():
            out = nd.take(table, picks) * nd.array([[1.0], [2.0], [3.0], [4.0]])
        out.backward()
        expected = np.zeros((rows, 3))
        np.add.at(expected, [1, 1, 2, 1], np.array([[1.0], [2.0], [3.0], [4.0]]) * np.ones(3))
        np.testing.assert_array_equal(table.grad.asnumpy(), expected)
