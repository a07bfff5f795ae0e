"""The ``autograd`` API: scopes and flags, variables, backward, grad, get_symbol, listeners.

Expected values come from hand-derived calculus or numpy, never from the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import autograd, nd
from autogradviz.engine import backward as engine_backward
from autogradviz.errors import GraphError


def _variable(values, grad_req="write"):
    x = nd.array(values)
    x.attach_grad(grad_req)
    return x


def _flags():
    return autograd.is_recording(), autograd.is_training()


# ----------------------------------------------------------------------------- flags and scopes


def test_flags_default_off():
    assert _flags() == (False, False)


def test_record_sets_both_flags_and_restores():
    with autograd.record():
        assert _flags() == (True, True)
    assert _flags() == (False, False)


def test_record_train_mode_false_records_in_predict_mode():
    with autograd.record(train_mode=False):
        assert _flags() == (True, False)
    assert _flags() == (False, False)


def test_pause_inside_record_and_restore():
    with autograd.record():
        with autograd.pause():
            assert _flags() == (False, False)
        assert _flags() == (True, True)


def test_pause_train_mode_true():
    with autograd.pause(train_mode=True):
        assert _flags() == (False, True)
    assert _flags() == (False, False)


def test_predict_mode_inside_record_keeps_recording():
    with autograd.record():
        with autograd.predict_mode():
            assert _flags() == (True, False)
        assert _flags() == (True, True)


def test_train_mode_leaves_recording_alone():
    with autograd.train_mode():
        assert _flags() == (False, True)
        with autograd.record(train_mode=False):
            assert _flags() == (True, False)
            with autograd.train_mode():
                assert _flags() == (True, True)
            assert _flags() == (True, False)
        assert _flags() == (False, True)
    assert _flags() == (False, False)


@pytest.mark.parametrize(
    "scope", [autograd.record, autograd.pause, autograd.train_mode, autograd.predict_mode]
)
def test_scope_enter_returns_none(scope):
    with scope() as value:
        assert value is None


@pytest.mark.parametrize(
    "scope", [autograd.record, autograd.pause, autograd.train_mode, autograd.predict_mode]
)
def test_scope_restores_flags_after_exception(scope):
    autograd.set_training(True)
    with pytest.raises(ZeroDivisionError):
        with scope():
            raise ZeroDivisionError("inside the scope")
    assert _flags() == (False, True)
    autograd.set_training(False)


@pytest.mark.parametrize(
    ("scope", "inside"),
    [(autograd.record, (True, True)), (autograd.pause, (False, False)),
     (autograd.train_mode, (False, True)), (autograd.predict_mode, (False, False))],
)  # fmt: skip
def test_scope_object_can_be_entered_again(scope, inside):
    # MXNet's scope objects are reusable: `ctx = autograd.record()` then `with ctx:` twice.
    block = scope()
    for _ in range(2):
        with block:
            assert _flags() == inside
        assert _flags() == (False, False)
    with autograd.record(train_mode=False):
        with block:
            first = _flags()
            with block:
                assert _flags() == first
            assert _flags() == first
        assert _flags() == (True, False)


def test_set_recording_returns_previous():
    assert autograd.set_recording(True) is False
    assert autograd.is_recording() is True
    assert autograd.set_recording(False) is True
    assert autograd.is_recording() is False


def test_set_training_returns_previous():
    assert autograd.set_training(True) is False
    assert autograd.is_training() is True
    assert autograd.set_training(False) is True
    assert autograd.is_training() is False


# ----------------------------------------------------------------------------- what is recorded


def test_record_without_variables_records_nothing():
    with autograd.record():
        y = nd.ones(3) * 2
    with pytest.raises(GraphError, match="not in a computational graph"):
        y.backward()


def test_ops_outside_record_are_not_recorded():
    x = _variable([1.0, 2.0])
    y = x * 2
    with pytest.raises(GraphError, match="not in a computational graph"):
        y.backward()


def test_ops_inside_pause_become_constants():
    x = _variable([1.0, 2.0])
    with autograd.record():
        with autograd.pause():
            c = x * 10
        y = x * c
    y.backward()
    # c is a constant 10x, so dy/dx = c, not 20x.
    np.testing.assert_allclose(x.grad.asnumpy(), [10.0, 20.0])


# ----------------------------------------------------------------------------- mark_variables


def test_mark_variables_writes_into_given_buffer():
    x = nd.array([1.0, 2.0, 3.0])
    dx = nd.zeros(3)
    autograd.mark_variables(x, dx)
    with autograd.record():
        y = x * x
    y.backward()
    np.testing.assert_allclose(dx.asnumpy(), [2.0, 4.0, 6.0])
    # x.grad shares storage with dx: a write through one is seen through the other.
    x.grad[:] = 0
    np.testing.assert_allclose(dx.asnumpy(), [0.0, 0.0, 0.0])


def test_mark_variables_lists_and_per_variable_reqs():
    x, y = nd.array([1.0, 2.0]), nd.array([3.0, 4.0])
    dx, dy = nd.ones(2), nd.ones(2)
    autograd.mark_variables([x, y], [dx, dy], grad_reqs=["write", "add"])
    with autograd.record():
        z = x * y
    z.backward()
    np.testing.assert_allclose(dx.asnumpy(), [3.0, 4.0])  # overwritten
    np.testing.assert_allclose(dy.asnumpy(), [2.0, 3.0])  # 1 + x


def test_mark_variables_again_replaces_buffer_and_req():
    x = nd.array([2.0])
    first, second = nd.zeros(1), nd.ones(1)
    autograd.mark_variables(x, first)
    autograd.mark_variables(x, second, "add")
    with autograd.record():
        y = x * x
    y.backward()
    assert first.asscalar() == 0.0
    assert second.asscalar() == 1.0 + 4.0
    assert x.grad_req == "add"


def test_mark_variables_single_variable_needs_single_gradient():
    with pytest.raises(TypeError, match="mark_variables: a single variable"):
        autograd.mark_variables(nd.ones(2), [nd.zeros(2)])


def test_mark_variables_invalid_req_is_key_error():
    with pytest.raises(KeyError, match="mark_variables: invalid grad_req 'sum'"):
        autograd.mark_variables(nd.ones(2), nd.zeros(2), "sum")


# ----------------------------------------------------------------------------- backward


def test_backward_default_head_grad_is_ones():
    x = _variable([[1.0, 2.0], [3.0, 4.0]])
    with autograd.record():
        z = x * x
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), 2 * np.array([[1, 2], [3, 4]]))


def test_backward_with_head_grad():
    x = _variable([1.0, 2.0])
    with autograd.record():
        z = x * x
    z.backward(nd.array([10.0, 0.5]))
    np.testing.assert_allclose(x.grad.asnumpy(), [20.0, 2.0])


def test_backward_out_grad_keyword():
    x = _variable([3.0])
    with autograd.record():
        z = x * x
    z.backward(out_grad=nd.array([2.0]))
    assert x.grad.asscalar() == 12.0


def test_backward_several_heads_sum():
    x = _variable([1.0, 2.0])
    with autograd.record():
        a = x * x
        b = x * 3
    autograd.backward([a, b])
    np.testing.assert_allclose(x.grad.asnumpy(), [2 * 1 + 3, 2 * 2 + 3])


def test_backward_head_grads_list_with_none_entry():
    x = _variable([1.0, 2.0])
    with autograd.record():
        a = x * x
        b = x * 3
    autograd.backward([a, b], [None, nd.array([10.0, 100.0])])
    np.testing.assert_allclose(x.grad.asnumpy(), [2 * 1 + 30, 2 * 2 + 300])


def test_backward_same_head_twice_in_list_counts_twice():
    x = _variable([1.0])
    with autograd.record():
        a = x * 5
    autograd.backward([a, a])
    assert x.grad.asscalar() == 10.0


def test_backward_grad_req_write_overwrites():
    x = _variable([1.0, 2.0])
    for scale in (1.0, 10.0):
        with autograd.record():
            z = x * scale
        z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [10.0, 10.0])


def test_backward_grad_req_add_accumulates():
    x = _variable([1.0, 2.0], "add")
    for scale in (1.0, 10.0):
        with autograd.record():
            z = x * scale
        z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [11.0, 11.0])


def test_backward_retain_graph_write_repeats_add_doubles():
    w = _variable([1.0, 2.0], "write")
    a = _variable([3.0, 4.0], "add")
    with autograd.record():
        z = w * a
    z.backward(retain_graph=True)
    z.backward(retain_graph=True)
    np.testing.assert_allclose(w.grad.asnumpy(), [3.0, 4.0])
    np.testing.assert_allclose(a.grad.asnumpy(), [2.0, 4.0])  # 2 × w


def test_backward_grad_req_null_leaves_zeros():
    x = _variable([1.0, 2.0], "null")
    y = _variable([3.0, 4.0])
    with autograd.record():
        z = x * y
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [0.0, 0.0])
    np.testing.assert_allclose(y.grad.asnumpy(), [1.0, 2.0])
    assert x._fresh_grad is False


def test_backward_only_null_variables_is_an_error():
    x = _variable([1.0, 2.0], "null")
    with autograd.record():
        z = x * x
    with pytest.raises(GraphError, match="backward: there are no inputs .* require gradients"):
        z.backward()


def test_backward_unreached_variable_untouched():
    x = _variable([1.0])
    other = _variable([5.0])
    other.grad[:] = 7.0
    with autograd.record():
        z = x * x
        _ = other * 2
    z.backward()
    assert other.grad.asscalar() == 7.0
    assert other._fresh_grad is False
    assert x._fresh_grad is True


def test_backward_inside_record_keeps_recording():
    x = _variable([2.0])
    with autograd.record():
        z = x * x
        z.backward()
        assert _flags() == (True, True)
        w = x * 3
    w.backward()
    assert x.grad.asscalar() == 3.0


def test_backward_gradients_are_plain_arrays():
    x = _variable([2.0])
    with autograd.record():
        z = x * x
    z.backward()
    with autograd.record():
        g = x.grad * 2
    with pytest.raises(GraphError, match="not in a computational graph"):
        g.backward()


def test_backward_frees_graph_second_backward_fails():
    x = _variable([2.0])
    with autograd.record():
        y = x * 3
        z = y * y
    z.backward()
    with pytest.raises(GraphError, match="already back-propagated.*retain_graph=True"):
        z.backward()
    with pytest.raises(GraphError, match="retain_graph=True"):
        y.backward()
    # The variable keeps its mark and its gradient.
    assert x.grad.asscalar() == 2 * 9 * 2.0
    with autograd.record():
        w = x * x
    w.backward()
    assert x.grad.asscalar() == 4.0


def test_backward_freed_intermediate_used_later_is_a_constant():
    x = _variable([2.0])
    with autograd.record():
        y = x * x
        z = y * 2
    z.backward()
    with autograd.record():
        w = y * x  # y is a plain array now: d/dx (y·x) = y
    w.backward()
    assert x.grad.asscalar() == 4.0


def test_backward_through_intermediate_freed_by_other_head_raises():
    x = _variable([1.0, 2.0])
    w = _variable([3.0, 4.0])
    with autograd.record():
        y = x * x
        z1 = y * 2
        z2 = y * w
    z1.backward()
    with pytest.raises(GraphError, match="multiply .* had its graph freed .* retain_graph=True"):
        z2.backward()
    # A freed result used *after* the freeing is a plain constant, as in MXNet.
    with autograd.record():
        z3 = y * w
    z3.backward()
    np.testing.assert_allclose(w.grad.asnumpy(), y.asnumpy())


def test_backward_retain_graph_keeps_it():
    x = _variable([2.0])
    with autograd.record():
        z = x * x * x
    z.backward(retain_graph=True)
    z.backward()
    assert x.grad.asscalar() == 3 * 4.0


# ----------------------------------------------------------------------------- attach_grad, .grad


def test_grad_none_before_attach_and_for_intermediates():
    x = nd.array([1.0])
    assert x.grad is None
    x.attach_grad()
    with autograd.record():
        y = x * 2
        assert y.grad is None


def test_grad_is_new_object_sharing_storage():
    x = _variable([1.0, 2.0])
    assert x.grad is not x.grad
    x.grad[:] = 5
    np.testing.assert_allclose(x.grad.asnumpy(), [5.0, 5.0])


def test_attach_grad_again_resets_to_zeros_and_cuts_history():
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = x * x
    y.backward()
    x.attach_grad()
    np.testing.assert_allclose(x.grad.asnumpy(), [0.0, 0.0])
    assert x._fresh_grad is False


def test_attach_grad_after_the_forward_cuts_the_intermediate_from_its_graph():
    # MXNET_API.md §2 (attach_grad "cuts history") and §1.8: in 1.9.1, u.attach_grad() after
    # recording leaves u.grad at zeros and the leaves get their gradients as before.
    x = _variable([1.0, 2.0, 3.0, 4.0])
    y = _variable([5.0, 6.0, 7.0, 8.0])
    with autograd.record():
        u = x * y
        z = u * x
    u.attach_grad()
    out_grad = np.array([10.0, 10.0, 10.0, 10.0])
    z.backward(nd.array(out_grad))
    xv, yv = x.asnumpy(), y.asnumpy()
    np.testing.assert_allclose(u.grad.asnumpy(), 0.0)
    np.testing.assert_allclose(x.grad.asnumpy(), out_grad * 2 * xv * yv)
    np.testing.assert_allclose(y.grad.asnumpy(), out_grad * xv * xv)


def test_attach_grad_on_the_head_after_the_forward_makes_it_a_plain_variable():
    x = _variable([1.0, 2.0])
    with autograd.record():
        z = x * 3
    z.attach_grad()
    z.backward(nd.array([10.0, 20.0]))
    np.testing.assert_allclose(z.grad.asnumpy(), [10.0, 20.0])
    np.testing.assert_allclose(x.grad.asnumpy(), 0.0)  # z's history was cut


def test_attach_grad_inside_record_cuts_what_came_before_and_feeds_what_comes_after():
    x = _variable([1.0, 2.0])
    y = _variable([3.0, 4.0])
    with autograd.record():
        u = x * y
        u.attach_grad()  # u is a new variable from here on
        z = u * x
    z.backward()
    np.testing.assert_allclose(u.grad.asnumpy(), [1.0, 2.0])  # dz/du = x
    np.testing.assert_allclose(x.grad.asnumpy(), [3.0, 8.0])  # only the direct use: u
    np.testing.assert_allclose(y.grad.asnumpy(), 0.0)


def test_attach_grad_again_after_the_forward_leaves_the_new_buffer_at_zero():
    # The classic mistake: attach_grad() between the forward and backward of a step.
    w = _variable([1.0, 2.0])
    with autograd.record():
        loss = (w * w).sum()
    w.attach_grad()
    loss.backward()
    np.testing.assert_allclose(w.grad.asnumpy(), 0.0)
    assert w._fresh_grad is False


def test_attach_grad_in_every_step_keeps_one_old_node_not_one_per_step():
    w = _variable([1.0])
    for _ in range(5):
        with autograd.record():
            loss = w * 2
        loss.backward()
        w.attach_grad()
    node, depth = w._node, 0
    while node is not None:
        node, depth = node.previous, depth + 1
    assert depth <= 2


def test_attach_grad_on_plain_result_makes_a_leaf():
    a = nd.array([1.0, 2.0]) * 3  # not recorded: a plain array
    a.attach_grad()
    with autograd.record():
        z = a * a
    z.backward()
    np.testing.assert_allclose(a.grad.asnumpy(), [6.0, 12.0])


def test_fresh_grad_flag():
    x = _variable([1.0])
    plain = nd.array([1.0])
    assert x._fresh_grad is False
    assert plain._fresh_grad is False
    with autograd.record():
        y = x * 2
    y.backward()
    assert x._fresh_grad is True
    x._fresh_grad = False
    assert x._fresh_grad is False
    with pytest.raises(mx.MXNetError, match="_fresh_grad: NDArray has not been marked"):
        plain._fresh_grad = True


def test_grad_req_property():
    assert nd.ones(1).grad_req == "null"
    assert _variable([1.0], "add").grad_req == "add"


# ----------------------------------------------------------------------------- detach


def test_detach_shares_storage_and_cuts_graph():
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = x * 2
        d = y.detach()
        z = d * x
    z.backward()
    # d is a constant 2x: dz/dx = d, with no contribution through y.
    np.testing.assert_allclose(x.grad.asnumpy(), [2.0, 4.0])
    d[:] = 7.0
    np.testing.assert_allclose(y.asnumpy(), [7.0, 7.0])


def test_detached_head_is_not_in_graph():
    x = _variable([1.0])
    with autograd.record():
        d = (x * 2).detach()
        z = d * 3
        with autograd.pause():
            p = x * 2
    for head in (z, d, p):
        with pytest.raises(GraphError, match="not in a computational graph"):
            head.backward()


# ----------------------------------------------------------------------------- grad()


def test_grad_returns_list_of_new_arrays_and_leaves_dot_grad():
    x = _variable([1.0, 2.0])
    x.grad[:] = 42.0
    with autograd.record():
        z = x * x
    result = autograd.grad(z, x)
    assert isinstance(result, list) and len(result) == 1
    np.testing.assert_allclose(result[0].asnumpy(), [2.0, 4.0])
    np.testing.assert_allclose(x.grad.asnumpy(), [42.0, 42.0])
    assert x._fresh_grad is False
    result[0][:] = -1.0
    np.testing.assert_allclose(x.grad.asnumpy(), [42.0, 42.0])


def test_grad_answers_never_share_memory_with_each_other_or_the_head_gradient():
    # MXNET_API.md §1.4: the returned gradients are new arrays. x + y sends the same array
    # back to both inputs, and for an identity-like op it is the caller's head gradient.
    x, y = _variable([1.0, 2.0]), _variable([3.0, 4.0])
    head = nd.array([1.0, 1.0])
    with autograd.record():
        z = x + y
    gx, gy = autograd.grad(z, [x, y], head_grads=head)
    answers = [gx._data, gy._data, head._data]
    assert not any(np.shares_memory(a, b) for k, a in enumerate(answers) for b in answers[k + 1 :])
    gx[:] = 7.0
    assert gy.asnumpy().tolist() == [1.0, 1.0] and head.asnumpy().tolist() == [1.0, 1.0]
    with autograd.record():
        r = x.reshape((2, 1))  # the rule returns a view of the head gradient
    column = nd.ones((2, 1))
    (g,) = autograd.grad(r, [x], head_grads=column)
    assert not np.shares_memory(g._data, column._data)
    with autograd.record():
        w = x * 1.0
    first, second = autograd.grad(w, [x, x])
    assert first is not second and not np.shares_memory(first._data, second._data)


def test_grad_answers_with_create_graph_stay_differentiable():
    x = _variable([2.0])
    with autograd.record():
        y = x * x
        (g,) = autograd.grad(y, [x], create_graph=True)  # a copy, recorded: 2x
    g.backward()
    assert x.grad.asnumpy().tolist() == [2.0]


def test_grad_ignores_add_req():
    x = _variable([1.0, 2.0], "add")
    with autograd.record():
        z = x * x
    first = autograd.grad(z, [x], retain_graph=True)[0]
    second = autograd.grad(z, [x])[0]
    np.testing.assert_allclose(first.asnumpy(), [2.0, 4.0])
    np.testing.assert_allclose(second.asnumpy(), [2.0, 4.0])


def test_grad_several_variables_and_head_grads():
    x = _variable([1.0, 2.0])
    y = _variable([3.0, 4.0])
    with autograd.record():
        z = x * y
    gx, gy = autograd.grad([z], [x, y], head_grads=[nd.array([2.0, 3.0])])
    np.testing.assert_allclose(gx.asnumpy(), [6.0, 12.0])
    np.testing.assert_allclose(gy.asnumpy(), [2.0, 6.0])


def test_grad_unreached_variable_gets_zeros():
    x = _variable([1.0, 2.0])
    y = _variable([3.0, 4.0])
    with autograd.record():
        z = x * x
    gx, gy = autograd.grad(z, [x, y])
    np.testing.assert_allclose(gy.asnumpy(), [0.0, 0.0])
    assert gy.shape == y.shape


def test_grad_retain_graph_none_frees_graph():
    x = _variable([1.0])
    with autograd.record():
        z = x * x
    autograd.grad(z, [x])
    with pytest.raises(GraphError, match="retain_graph=True"):
        z.backward()


def test_grad_create_graph_keeps_graph_by_default():
    x = _variable([1.0])
    with autograd.record():
        z = x * x
        autograd.grad(z, [x], create_graph=True)
    z.backward()
    assert x.grad.asscalar() == 2.0


def test_grad_create_graph_second_derivative_spec_example():
    x = _variable([1.0])
    with autograd.record():
        z = nd.exp(x) + x
        dz = autograd.grad(z, [x], create_graph=True)[0]
    np.testing.assert_allclose(dz.asnumpy(), [np.e + 1], rtol=1e-6)
    dz.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [np.e], rtol=1e-6)


def test_grad_third_derivative_inside_record():
    x = _variable([2.0, -1.0])
    xv = x.asnumpy().astype(np.float64)
    with autograd.record():
        y = x * x * x * x  # x^4
        d1 = autograd.grad(y, [x], create_graph=True, retain_graph=True)[0]
        d2 = autograd.grad(d1, [x], create_graph=True, retain_graph=True)[0]
        d3 = autograd.grad(d2, [x], create_graph=True, retain_graph=True)[0]
    np.testing.assert_allclose(d1.asnumpy(), 4 * xv**3, rtol=1e-6)
    np.testing.assert_allclose(d2.asnumpy(), 12 * xv**2, rtol=1e-6)
    np.testing.assert_allclose(d3.asnumpy(), 24 * xv, rtol=1e-6)


def test_grad_without_create_graph_returns_plain_arrays():
    x = _variable([1.0])
    with autograd.record():
        z = x * x * x
        (dz,) = autograd.grad(z, [x])
        w = dz * 2
    with pytest.raises(GraphError, match="not in a computational graph"):
        w.backward()


def test_grad_variable_rejected_messages():
    x = _variable([1.0])
    with autograd.record():
        z = x * x
    with pytest.raises(GraphError, match="grad: variables cannot be an empty list"):
        autograd.grad(z, [])
    with pytest.raises(GraphError, match="the 2-th variable because it does not require"):
        autograd.grad(z, [x, nd.array([1.0])])
    null = _variable([1.0], "null")
    with pytest.raises(GraphError, match="the 1-th variable"):
        autograd.grad(z, [null])


# ----------------------------------------------------------------------------- flags in backward


class _FlagSpy(autograd.Function):
    """Identity whose backward records the flags it runs under."""

    seen: list = []

    def forward(self, x):
        return x * 1

    def backward(self, grad_out):
        _FlagSpy.seen.append(_flags())
        return grad_out


@pytest.mark.parametrize("train", [True, False])
def test_backward_runs_rules_with_recording_off_and_given_train_mode(train):
    _FlagSpy.seen = []
    x = _variable([1.0])
    with autograd.record(train_mode=not train):
        y = _FlagSpy()(x)
    y.backward(train_mode=train)
    assert _FlagSpy.seen == [(False, train)]
    assert _flags() == (False, False)


def test_backward_restores_flags_when_a_rule_raises():
    class Broken(autograd.Function):
        def forward(self, x):
            return x * 1

        def backward(self, grad_out):
            raise ZeroDivisionError("rule failed")

    x = _variable([1.0])
    with autograd.record():
        y = Broken()(x)
        with pytest.raises(ZeroDivisionError):
            y.backward(train_mode=False)
        assert _flags() == (True, True)
    assert _flags() == (False, False)


# ----------------------------------------------------------------------------- get_symbol


def test_get_symbol_one_variable():
    x = _variable([1.0])
    with autograd.record():
        y = x * x + 2 * x - 1
    symbol = autograd.get_symbol(y)
    assert symbol.list_arguments() == ["var0"]
    assert len(symbol.list_outputs()) == 1
    assert symbol.list_outputs()[0].startswith("node_")
    assert symbol.list_outputs()[0].endswith("_output")


def test_get_symbol_two_variables():
    x = _variable([1.0])
    z = _variable([2.0])
    with autograd.record():
        y = x * x + 2 * z - 1
    assert len(autograd.get_symbol(y).list_arguments()) == 2


def test_get_symbol_constant_array_counts_as_null():
    x = _variable([1.0])
    p = nd.array([3.0])
    with autograd.record():
        y = x * p + 2 * x
    assert autograd.get_symbol(y).list_arguments() == ["var0", "null1"]


def test_get_symbol_not_in_graph():
    with pytest.raises(GraphError, match="not part of a computation graph.*turn on recording"):
        autograd.get_symbol(nd.ones(2))
    with pytest.raises(TypeError, match="get_symbol: expected an NDArray"):
        autograd.get_symbol(np.ones(2))


# ----------------------------------------------------------------------------- listeners


class _Recorder:
    """A listener that keeps each pass plus its edges (the graph is freed after the call)."""

    def __init__(self):
        self.runs = []

    def __call__(self, run):
        edges = {
            (source, index): source.inputs[index]._node for source, index in run.contributions
        }
        self.runs.append((run, edges))


def _contributions_into(run, edges, node):
    total = None
    for key, grad in run.contributions.items():
        if edges[key] is node:
            total = grad.asnumpy() if total is None else total + grad.asnumpy()
    return total


def test_listener_receives_backward_pass():
    recorder = _Recorder()
    autograd.add_backward_listener(recorder)
    try:
        x = _variable([1.0, 2.0])
        with autograd.record():
            y = x * x  # fan-out: x is used twice by multiply and once by 3 * x
            z = y + 3 * x
        z.backward()
    finally:
        autograd.remove_backward_listener(recorder)
    assert len(recorder.runs) == 1
    run, edges = recorder.runs[0]
    assert isinstance(run, autograd.BackwardPass)
    assert run.heads == [z]
    assert run.arrays[z._node] is z
    x_node = x._node
    assert [node.op.name if node.op else "variable" for node in run.order] == [
        "variable", "multiply", "multiply", "add"]  # fmt: skip
    assert set(run.processed) == set(run.order) - {x_node}
    assert run.processed[0] is z._node  # reverse order: the head first
    np.testing.assert_allclose(run.grads[x_node].asnumpy(), [2 * 1 + 3, 2 * 2 + 3])
    np.testing.assert_allclose(run.grads[z._node].asnumpy(), [1.0, 1.0])
    np.testing.assert_allclose(run.grads[y._node].asnumpy(), [1.0, 1.0])
    # Three edges reach x (x * x twice, 3 * x once); their contributions add up to its grad.
    assert sum(child is x_node for child in edges.values()) == 3
    np.testing.assert_allclose(
        _contributions_into(run, edges, x_node), run.grads[x_node].asnumpy()
    )


def test_listener_contributions_sum_at_every_fan_out_node():
    recorder = _Recorder()
    autograd.add_backward_listener(recorder)
    try:
        x = _variable([0.5, -1.5])
        with autograd.record():
            a = x * 2
            b = nd.exp(a) + a * a  # a fans out to exp and to multiply (twice)
            c = b * a
        c.backward()
    finally:
        autograd.remove_backward_listener(recorder)
    run, edges = recorder.runs[0]
    assert len(run.order) == 6
    for node in run.order[:-1]:
        np.testing.assert_allclose(
            _contributions_into(run, edges, node), run.grads[node].asnumpy(), rtol=1e-6
        )
    # dc/dx by hand: c = (e^a + a²)·a with a = 2x, so dc/da = e^a·(a + 1) + 3a².
    av = 2 * x.asnumpy().astype(np.float64)
    np.testing.assert_allclose(x.grad.asnumpy(), 2 * (np.exp(av) * (av + 1) + 3 * av**2),
                               rtol=1e-5)  # fmt: skip


def test_listener_called_for_grad_too():
    seen = []
    autograd.add_backward_listener(seen.append)
    try:
        x = _variable([1.0])
        with autograd.record():
            y = x * x
        autograd.grad(y, [x])
    finally:
        autograd.remove_backward_listener(seen.append)
    assert len(seen) == 1


def test_listener_removed_is_not_called():
    seen = []
    autograd.add_backward_listener(seen.append)
    autograd.remove_backward_listener(seen.append)
    autograd.remove_backward_listener(seen.append)  # unknown: ignored
    x = _variable([1.0])
    with autograd.record():
        y = x * x
    y.backward()
    assert seen == []


def test_listener_added_twice_is_called_once():
    seen = []
    autograd.add_backward_listener(seen.append)
    autograd.add_backward_listener(seen.append)
    try:
        x = _variable([1.0])
        with autograd.record():
            y = x * x
        y.backward()
    finally:
        autograd.remove_backward_listener(seen.append)
    assert len(seen) == 1


@pytest.mark.usefixtures("without_capture")
def test_without_listener_pass_records_no_trace(monkeypatch):
    runs = []
    monkeypatch.setattr(engine_backward, "_notify", runs.append)
    x = _variable([1.0, 2.0])
    with autograd.record():
        y = x * x
        z = y * 3
    z.backward()
    (run,) = runs
    assert run.processed == []
    assert run.contributions == {}
    # Intermediate gradients are dropped once used; only the variables' stay.
    assert set(run.grads) <= {x._node}


def test_listener_sees_graph_before_it_is_freed():
    inputs_seen = []

    def listener(run):
        inputs_seen.append(all(node.inputs is not None for node in run.order))

    autograd.add_backward_listener(listener)
    try:
        x = _variable([1.0])
        with autograd.record():
            y = x * x
        y.backward()
    finally:
        autograd.remove_backward_listener(listener)
    assert inputs_seen == [True]


def test_mark_variables_sharing_one_add_buffer_sum_both_gradients():
    # Both contributions reach the shared buffer, as with MXNet's sequential += (found in
    # review: staging each from the old buffer kept only the last).
    x, y = nd.array([1.0]), nd.array([1.0])
    shared = nd.zeros((1,))
    autograd.mark_variables([x, y], [shared, shared], "add")
    with autograd.record():
        z = x * 2 + y * 3
    z.backward()
    assert shared.asnumpy().tolist() == [5.0]


def test_attach_grad_twice_on_an_intermediate_still_lets_earlier_ops_reach_the_leaves():
    # Found in review: the chain was trimmed to one old *variable*, dropping the op node.
    x = _variable([1.0])
    with autograd.record():
        y = x * 2
        z = (y * 3).sum()
    y.attach_grad()
    y.attach_grad()
    z.backward()
    assert x.grad.asnumpy().tolist() == [6.0] and y.grad.asnumpy().tolist() == [0.0]
