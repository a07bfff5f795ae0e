"""The backward engine: fan-out accumulation, long chains, memory, and recorded call sites."""

from __future__ import annotations

import gc
import sys
import weakref

import numpy as np
import pytest

from autogradviz import autograd, nd
from autogradviz.engine.callers import site_location
from autogradviz.errors import GraphError


def _variable(values):
    x = nd.array(values)
    x.attach_grad()
    return x


def test_engine_fan_out_accumulates():
    # The bug tinygrad fixed in PR #119: a variable used twice must get the sum of both paths.
    x = _variable([1.0, -2.0, 0.5])
    with autograd.record():
        z = x * x + 3 * x
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), 2 * x.asnumpy() + 3)


def test_engine_diamond():
    #     x
    #    / \
    #   a   b      a = 2x, b = x²
    #    \ /
    #     c        c = a · b = 2x³, dc/dx = 6x²
    x = _variable([1.0, 2.0, 3.0])
    with autograd.record():
        a = x * 2
        b = x * x
        c = a * b
    c.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), 6 * x.asnumpy() ** 2)


def test_engine_intermediate_used_by_many():
    x = _variable([0.5])
    with autograd.record():
        a = x * 3
        total = a
        for _ in range(9):
            total = total + a  # a fans out 10 ways
    total.backward()
    assert x.grad.asscalar() == 30.0


def test_engine_same_array_both_inputs_of_one_op():
    x = _variable([4.0])
    with autograd.record():
        y = x + x
        z = y * y  # 4x², dz/dx = 8x
    z.backward()
    assert x.grad.asscalar() == 32.0


@pytest.mark.parametrize("length", [5_000, 100_000])
def test_engine_long_chain_no_recursion(length):
    x = _variable([1.0])
    with autograd.record():
        y = x
        for _ in range(length):
            y = y + 1.0
    limit = sys.getrecursionlimit()
    assert length > limit  # the chain is deeper than any recursive walk could go
    y.backward()
    assert x.grad.asscalar() == 1.0
    np.testing.assert_allclose(y.asnumpy(), [1.0 + length])


def test_engine_long_chain_multiplies_gradient():
    x = _variable([1.0])
    with autograd.record():
        y = x
        for _ in range(5_000):
            y = y * 1.0001
    y.backward()
    np.testing.assert_allclose(x.grad.asscalar(), 1.0001**5_000, rtol=1e-3)


def test_engine_long_chain_frees_without_recursion():
    # Dropping the last reference to a 100,000-node chain must not recurse either.
    x = _variable([1.0])
    with autograd.record():
        y = x
        for _ in range(100_000):
            y = y * 1.0
    ref = weakref.ref(y)
    del y
    gc.collect()
    assert ref() is None


@pytest.mark.usefixtures("without_capture")
def test_engine_intermediates_freed_after_backward():
    x = _variable([1.0, 2.0])
    with autograd.record():
        a = x * 2
        b = nd.exp(a)
        z = b * a
    refs = [weakref.ref(a), weakref.ref(b)]
    del a, b
    assert all(ref() is not None for ref in refs)  # the graph keeps them alive for backward
    z.backward()
    # No reference cycles: they are gone without the cyclic garbage collector.
    assert [ref() for ref in refs] == [None, None]
    assert x.grad is not None


@pytest.mark.usefixtures("without_capture")
def test_engine_retain_graph_keeps_intermediates():
    x = _variable([1.0, 2.0])
    with autograd.record():
        a = x * 2
        z = a * a
    ref = weakref.ref(a)
    del a
    z.backward(retain_graph=True)
    assert ref() is not None
    z.backward()
    assert ref() is None


@pytest.mark.usefixtures("without_capture")
def test_engine_grad_frees_intermediates():
    x = _variable([1.0, 2.0])
    with autograd.record():
        a = x * 2
        z = a * a
    ref = weakref.ref(a)
    del a
    autograd.grad(z, [x])
    assert ref() is None


def test_engine_head_becomes_plain_array_after_backward():
    x = _variable([1.0])
    with autograd.record():
        z = x * 2
    z.backward()
    assert z.grad is None
    with autograd.record():
        w = z * 3  # z is a constant now, so nothing is recorded
    with pytest.raises(GraphError, match="not in a computational graph"):
        w.backward()


@pytest.mark.usefixtures("with_capture")
def test_engine_records_call_site():
    x = _variable([1.0])
    with autograd.record():
        y = x * 2  # the site of this line
    line = sys._getframe().f_lineno - 1
    assert site_location(y._node.site) == (__file__, line)


@pytest.mark.usefixtures("with_capture")
def test_engine_records_call_site_for_nd_functions_and_methods():
    x = _variable([1.0])
    with autograd.record():
        a = nd.exp(x)
        line_a = sys._getframe().f_lineno - 1
        b = a.sum()
        line_b = sys._getframe().f_lineno - 1
        c = b[0]
        line_c = sys._getframe().f_lineno - 1
    assert site_location(a._node.site) == (__file__, line_a)
    assert site_location(b._node.site) == (__file__, line_b)
    assert site_location(c._node.site) == (__file__, line_c)


def _helper_in_user_code(x):
    return x * 5


@pytest.mark.usefixtures("with_capture")
def test_engine_call_site_is_innermost_user_frame():
    x = _variable([1.0])
    with autograd.record():
        y = _helper_in_user_code(x)
    line = _helper_in_user_code.__code__.co_firstlineno + 1
    assert site_location(y._node.site) == (__file__, line)


def test_engine_nodes_numbered_in_creation_order():
    x = _variable([1.0])
    with autograd.record():
        a = x * 2
        b = a + 1
        c = b * a
    assert x._node.seq < a._node.seq < b._node.seq < c._node.seq
    assert c._node.op.name == "multiply"
    assert c._node.inputs[0] is b and c._node.inputs[1] is a


def test_engine_scalar_constants_are_not_nodes():
    x = _variable([2.0])
    with autograd.record():
        y = 3.0 - x
    assert y._node.inputs[0] == 3.0
    y.backward()
    assert x.grad.asscalar() == -1.0


@pytest.mark.usefixtures("with_capture")
def test_engine_capture_keeps_only_the_last_pass():
    import autogradviz as mx

    assert mx.capture.is_enabled()
    x = _variable([1.0, 2.0])
    with autograd.record():
        a = x * 2
        z = a * a
    ref = weakref.ref(a)
    del a
    z.backward()
    assert ref() is not None  # the captured pass still holds it
    with autograd.record():
        w = x * 3
    w.backward()
    assert ref() is None  # the next pass replaced it: memory stays bounded


def test_engine_records_no_call_site_when_nobody_watches():
    import autogradviz as mx

    assert not mx.capture.is_enabled()  # off by default: plain loops pay nothing
    x = _variable([1.0])
    with autograd.record():
        y = x * 2
    assert y._node.site is None
