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


def dense(x, weight, bias):
    """One layer, as students write it: its three ops form one cluster per call."""
    return nd.relu(nd.dot(x, weight) + bias)


def mlp_program(batch=300, hidden=32, seed=0):
    """Lesson 06's network: two calls of ``dense`` inside ``net``, a loss outside it."""
    mx.random.seed(seed)
    X = nd.random_normal(shape=(batch, 2))  # noqa: N806 (the lesson's names)
    y = nd.array([k % 3 for k in range(batch)])
    W1, b1 = nd.random_normal(shape=(2, hidden)) * 0.7, nd.zeros(hidden)  # noqa: N806
    W2, b2 = nd.random_normal(shape=(hidden, hidden)) * 0.2, nd.zeros(hidden)  # noqa: N806
    W3, b3 = nd.random_normal(shape=(hidden, 3)) * 0.2, nd.zeros(3)  # noqa: N806
    params = [W1, b1, W2, b2, W3, b3]
    for _param in params:  # (a name with "_" is never shown: b3 keeps its own)
        _param.attach_grad()

    def net(inputs):
        return nd.dot(dense(dense(inputs, W1, b1), W2, b2), W3) + b3

    with autograd.record():
        loss = nd.softmax_cross_entropy(net(X), y) / batch
    loss.backward()
    return params, loss


def graph_with_name(name: str, nonfinite: bool = False):
    """Bind ``name`` in this module's namespace (as a notebook may), run backward, snapshot.

    The name may be any string (a notebook namespace can bind one): the tests of escaping
    use it. ``nonfinite``: the pass makes a NaN (its note is escaped too).
    """
    import numpy as np  # (here: an import at the top would move the golden files' lines)

    namespace = globals()
    namespace[name] = nd.array([1.0, -1.0 if nonfinite else 2.0])
    try:
        namespace[name].attach_grad()
        with autograd.record(), np.errstate(all="ignore"):
            head = nd.sqrt(namespace[name]) * 2 if nonfinite else namespace[name] * 2
            total = head.sum()
        with np.errstate(all="ignore"):
            total.backward()
        return mx.last_graph()
    finally:
        del namespace[name]


def graph_of_function_named(name: str):
    """Run backward through a doubling ``autograd.Function`` whose class is called ``name``.

    A class name is user text too: the tests of escaping use this. Needs capture on.
    """

    class Named(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, grad_out):
            return grad_out * 2

    Named.__name__ = Named.__qualname__ = name
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        Named()(x).backward()  # (unnamed: the box is called by its op, the class name)
    return mx.last_graph()
