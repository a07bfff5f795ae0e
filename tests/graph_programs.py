"""Small recorded programs shared by the graph and rendering tests (and their golden files).

Each function runs a backward pass and returns the arrays a test needs. Keep line numbers
stable: node sources (file:line) appear in the golden DOT files.
"""

from __future__ import annotations

import autogradviz as mx
from autogradviz import autograd, nd


def seed_program():
    """The seed tutorial's first example: f = (x * 2) * x with head gradients."""
    x = mx.nd.array([[1, 2], [3, 4]])
    x.attach_grad()
    with autograd.record():
        y = x * 2
        f = y * x
    f.backward(nd.array([[1.0, 1.0], [0.1, 0.1]]))
    return x, y, f


def fanout_program():
    """x feeds two consumers: its gradient is the sum of what each sends back."""
    x = nd.array([3.0])
    x.attach_grad()
    with autograd.record():
        u = x * x
        v = x + 2
        z = u * v
    z.backward()
    return x, u, v, z


def loop_program():
    """The seed's control-flow example with a fixed starting point: b = a * 2, then 9 doublings."""
    a = nd.array([1.0, 1.0, 1.0])
    a.attach_grad()
    with autograd.record():
        b = a * 2
        while (nd.norm(b) < 1000).asscalar():
            b = b * 2
        c = b if (nd.sum(b) > 0).asscalar() else 100 * b
    c.backward(nd.array([0.1, 1.0, 0.0001]))
    return a, b, c


def detach_program():
    """A detached copy is a constant: no gradient flows through it."""
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * 3
        d = y.detach()
        z = (y * d).sum()
    z.backward()
    return x, y, d, z
