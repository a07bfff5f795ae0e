"""Interrupts and errors: an exception anywhere in a training step leaves the engine usable.

A student presses Ctrl-C (``KeyboardInterrupt``) or hits a bug in the middle of a step. We
inject the exception at EVERY point of a small program in turn: the k-th op forward, the
k-th VJP rule call, the k-th line of user code (the program, a custom ``Function``'s
forward and backward, a backward listener), for k = 1..N. After each injection the
recording/training flags must be back to what they were (in this thread), no gradient may
be half written, and the next ``record()``/``backward()`` must give the clean gradients.
"""

from __future__ import annotations

import linecache
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from autogradviz import autograd, nd
from autogradviz.engine.function import _FunctionOutput
from autogradviz.errors import GraphError
from autogradviz.ops import OPS

SENTINEL = 7.0  # what the .grad buffers hold before a step: a failed step leaves it there


@contextmanager
def _nothing() -> Iterator[None]:
    yield


OUTER_FLAGS = {  # the scopes the program runs in, and the flags they set
    "plain": (_nothing, (False, False)),
    "train_mode": (lambda: autograd.train_mode(), (False, True)),
    "pause": (lambda: autograd.pause(train_mode=True), (False, True)),
}


class Cube(autograd.Function):
    """A custom op with a hand-written backward (its lines are injection points too)."""

    def forward(self, x):
        self.save_for_backward(x)
        return x * x * x

    def backward(self, grad_out):
        (x,) = self.saved_tensors
        return 3 * x * x * grad_out


def forward(x, w):
    """The program's forward pass: record, pause, predict/train modes and a Function."""
    with autograd.record():
        a = nd.dot(x, w)
        with autograd.pause():
            scale = a.abs().max()  # a constant of the graph
        with autograd.predict_mode():
            b = nd.tanh(a / (1 + scale))
        c = Cube()(b)
        with autograd.train_mode():
            head = (c * a + w.sum()).sum()
    return head


def _variables():
    x = nd.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    w = nd.array([[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]])
    x.attach_grad()
    w.attach_grad("add")  # an 'add' buffer shows a half-applied backward at once
    for v in (x, w):
        v.grad[:] = SENTINEL
    return x, w


def _clean_grads() -> tuple[np.ndarray, np.ndarray]:
    x, w = _variables()
    forward(x, w).backward()
    return x.grad.asnumpy(), w.grad.asnumpy()


def _flags() -> tuple[bool, bool]:
    return autograd.is_recording(), autograd.is_training()


# ----------------------------------------------------------------------------- injectors


class _Counter:
    """Counts calls; the ``fail_at``-th call raises ``error`` (0: never)."""

    def __init__(self, fail_at: int = 0, error: type[BaseException] = KeyboardInterrupt):
        self.calls = 0
        self.fail_at = fail_at
        self.error = error

    def tick(self) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise self.error(f"injected at call {self.calls}")

    def wrap(self, function: Callable) -> Callable:
        def counted(*args, **kwargs):
            self.tick()
            return function(*args, **kwargs)

        return counted


@contextmanager
def _inject_op_forwards(counter: _Counter) -> Iterator[None]:
    """Count every op's forward (ops inside VJP rules and ``Function.forward`` too)."""
    ops = {id(op): op for op in OPS.values()}.values()
    saved = [(op, op.forward) for op in ops]
    try:
        for op, original in saved:
            object.__setattr__(op, "forward", counter.wrap(original))  # Op is frozen
        yield
    finally:
        for op, original in saved:
            object.__setattr__(op, "forward", original)


@contextmanager
def _inject_vjp_rules(counter: _Counter) -> Iterator[None]:
    """Count every VJP rule call: the table's rules and custom ``Function`` backwards."""
    ops = {id(op): op for op in OPS.values()}.values()
    saved = [(op, op.vjps) for op in ops]
    original_function_vjp = _FunctionOutput.vjp
    try:
        for op, rules in saved:
            wrapped = tuple(None if rule is None else counter.wrap(rule) for rule in rules)
            object.__setattr__(op, "vjps", wrapped)
        _FunctionOutput.vjp = counter.wrap(original_function_vjp)
        yield
    finally:
        for op, rules in saved:
            object.__setattr__(op, "vjps", rules)
        _FunctionOutput.vjp = original_function_vjp


USER_CODE = {forward.__code__, Cube.forward.__code__, Cube.backward.__code__}


def _is_with_exit(frame, seen: set) -> bool:
    """Return whether this line event is a ``with`` block's exit, just before ``__exit__``.

    No library can defend that point: an exception raised there skips ``__exit__`` (a real
    Ctrl-C can land there too, as the first instruction of a Python ``__exit__``; CPython
    issue bpo-29988), so the sweep does not count it as a point of user code.
    """
    revisit = frame.f_lineno in seen
    seen.add(frame.f_lineno)
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    return revisit and line.strip().startswith("with ")


@contextmanager
def _inject_user_lines(counter: _Counter, codes: set = USER_CODE) -> Iterator[None]:
    """Count every line of user code run (as Ctrl-C can arrive at any of them)."""

    def new_call(frame, event, arg):
        if frame.f_code not in codes:
            return None
        seen: set[int] = set()  # lines run so far in this call

        def on_line(frame, event, arg):
            if event == "line" and not _is_with_exit(frame, seen):
                counter.tick()
            return on_line

        return on_line

    previous = sys.gettrace()
    sys.settrace(new_call)
    try:
        yield
    finally:
        sys.settrace(previous)


INJECTORS = {
    "op_forward": _inject_op_forwards,
    "vjp_rule": _inject_vjp_rules,
    "user_line": _inject_user_lines,
}


def _count_points(injector) -> int:
    counter = _Counter()
    x, w = _variables()
    with injector(counter):
        forward(x, w).backward()
    return counter.calls


# ----------------------------------------------------------------------------- the sweep


def _check_one_injection(injector, k: int, error: type[BaseException], outer, clean) -> None:
    """Fail the k-th point, then check flags, buffers, the same graph and a fresh run."""
    scope, outer_flags = outer
    x, w = _variables()
    head = None
    with scope():
        with pytest.raises(error, match=f"injected at call {k}$"):
            with injector(_Counter(fail_at=k, error=error)):
                head = forward(x, w)
                head.backward()
        assert _flags() == outer_flags, f"flags leaked after injection {k}"
    assert _flags() == (False, False)
    # All or nothing: a failed step writes no gradient at all.
    np.testing.assert_array_equal(x.grad.asnumpy(), SENTINEL)
    np.testing.assert_array_equal(w.grad.asnumpy(), SENTINEL)
    if head is not None:  # failed inside backward: the graph is intact, so retry it
        head.backward()
    else:  # failed while recording: record again with the same variables
        forward(x, w).backward()
    np.testing.assert_allclose(x.grad.asnumpy(), clean[0], rtol=1e-6)
    np.testing.assert_allclose(w.grad.asnumpy(), clean[1], rtol=1e-6)
    for got, want in zip(_clean_grads(), clean, strict=True):  # and a fresh step works
        np.testing.assert_allclose(got, want, rtol=1e-6)


def _sweep(injector, error, outer) -> int:
    clean = _clean_grads()
    points = _count_points(injector)
    assert points > 5  # the program really passes through the injector
    for k in range(1, points + 1):
        _check_one_injection(injector, k, error, outer, clean)
    return points


@pytest.mark.parametrize("outer", sorted(OUTER_FLAGS))
@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
@pytest.mark.parametrize("where", sorted(INJECTORS))
def test_interrupts_injected_at_every_point_leave_engine_usable(where, error, outer):
    _sweep(INJECTORS[where], error, OUTER_FLAGS[outer])


def test_interrupts_with_capture_on(with_capture):
    # With a listener the engine keeps every gradient for it (another code path).
    for where in sorted(INJECTORS):
        _sweep(INJECTORS[where], KeyboardInterrupt, OUTER_FLAGS["plain"])


def test_interrupts_in_a_thread_leave_other_threads_flags_alone():
    # The sweep runs in a worker while the main thread sits inside record(): neither thread
    # sees the other's flags, before, during or after the injections.
    result: dict = {}

    def worker():
        try:
            result["points"] = _sweep(_inject_op_forwards, KeyboardInterrupt,
                                      OUTER_FLAGS["train_mode"])  # fmt: skip
            result["flags"] = _flags()
        except BaseException as error:  # noqa: BLE001 (handed back to the test)
            result["error"] = error

    with autograd.record(train_mode=False):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join(timeout=120)
        assert _flags() == (True, False)
    assert "error" not in result, result.get("error")
    assert result["flags"] == (False, False)
    assert result["points"] > 5


# ----------------------------------------------------------------------------- listeners


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_interrupts_in_backward_listener(error):
    # The pass is finished when listeners run: gradients are written and the graph is freed
    # all the same (it used to stay alive), and the listener stays registered until the
    # user removes it.
    calls = []

    def listener(run):
        calls.append(run)
        raise error("listener failed")

    clean = _clean_grads()
    autograd.add_backward_listener(listener)
    try:
        x, w = _variables()
        head = forward(x, w)
        with pytest.raises(error, match="listener failed"):
            head.backward()
        assert _flags() == (False, False)
        assert len(calls) == 1 and listener in autograd.backward_listeners()
        np.testing.assert_allclose(x.grad.asnumpy(), clean[0], rtol=1e-6)
        assert not head._node.is_live  # freed as after any finished pass
        with pytest.raises(GraphError, match="already back-propagated"):
            head.backward()  # so an 'add' buffer cannot be added to twice by a retry
        np.testing.assert_allclose(w.grad.asnumpy(), clean[1], rtol=1e-6)
        x, w = _variables()
        head = forward(x, w)
        with pytest.raises(error, match="listener failed"):
            autograd.grad(head, [x])
        assert not head._node.is_live
        np.testing.assert_array_equal(x.grad.asnumpy(), SENTINEL)  # grad() writes no buffer
    finally:
        autograd.remove_backward_listener(listener)
    assert listener not in autograd.backward_listeners()
    np.testing.assert_allclose(_clean_grads()[0], clean[0], rtol=1e-6)


def test_interrupts_listener_with_retain_graph_keeps_the_graph():
    def listener(run):
        raise KeyboardInterrupt

    x, w = _variables()
    head = forward(x, w)
    autograd.add_backward_listener(listener)
    try:
        with pytest.raises(KeyboardInterrupt):
            head.backward(retain_graph=True)
    finally:
        autograd.remove_backward_listener(listener)
    assert head._node.is_live  # retained, as asked
    head.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), _clean_grads()[0], rtol=1e-6)


def test_interrupts_listener_lines_every_one(with_capture):
    # Ctrl-C at each line of a listener that does some work of its own.
    seen = []

    def listener(run):
        names = [node.op.name for node in run.processed]
        seen.append(len(names))

    clean = _clean_grads()
    counter = _Counter()
    autograd.add_backward_listener(listener)
    try:
        x, w = _variables()
        with _inject_user_lines(counter, {listener.__code__}):
            forward(x, w).backward()
        for k in range(1, counter.calls + 1):
            x, w = _variables()
            with pytest.raises(KeyboardInterrupt):
                with _inject_user_lines(_Counter(fail_at=k), {listener.__code__}):
                    forward(x, w).backward()
            assert _flags() == (False, False)
            np.testing.assert_allclose(x.grad.asnumpy(), clean[0], rtol=1e-6)
    finally:
        autograd.remove_backward_listener(listener)
    assert counter.calls >= 2


# ----------------------------------------------------------------------------- scopes


SCOPES = {
    "record": (autograd.record, (True, True)),
    "record_predict": (lambda: autograd.record(train_mode=False), (True, False)),
    "pause": (autograd.pause, (False, False)),
    "train_mode": (autograd.train_mode, None),
    "predict_mode": (autograd.predict_mode, None),
}


@pytest.mark.parametrize("error", [KeyboardInterrupt, ValueError])
@pytest.mark.parametrize("inner", sorted(SCOPES))
@pytest.mark.parametrize("outer", sorted(SCOPES))
def test_interrupts_nested_scopes_restore_flags(outer, inner, error):
    # One instance entered twice (MXNet allows it) must unwind right too.
    outer_scope, inner_scope = SCOPES[outer][0](), SCOPES[inner][0]()
    with outer_scope:
        before = _flags()
        with pytest.raises(error):
            with inner_scope:
                with inner_scope:
                    raise error("stop")
        assert _flags() == before
    assert _flags() == (False, False)


def test_interrupts_set_recording_scope_error_then_clean_step():
    # A raw set_recording(True) left on by an interrupted cell is what record() fixes:
    # record() restores the flag it found, so the user's own switch stays theirs.
    previous = autograd.set_recording(True)
    try:
        with pytest.raises(KeyboardInterrupt):
            with autograd.record(train_mode=False):
                raise KeyboardInterrupt
        assert _flags() == (True, False)
    finally:
        autograd.set_recording(previous)
    assert _flags() == (False, False)


# ----------------------------------------------------------------------------- the extension


@pytest.fixture
def widget_shell(jupyter_shell, monkeypatch):
    """The Jupyter-mode shell, snapshotting every backward pass."""
    from autogradviz.jupyter import extension

    monkeypatch.setattr(extension, "SAMPLE_SECONDS", 0.0)
    return jupyter_shell


LOOP_CELL = """\
w = nd.array([1.0, 2.0]); w.attach_grad()
for i in range(5):
    with autograd.record():
        hidden = w * 3 - 1
        loss = (hidden ** 2).sum()
    hidden_ref = weakref.ref(hidden)
    loss.backward()
    w[:] = w - 0.01 * w.grad
"""


@pytest.mark.parametrize("fail_at", [1, 3])
def test_interrupts_while_the_extension_draws(widget_shell, monkeypatch, fail_at):
    # Ctrl-C while the extension builds a pass's graph (the slow part, so the likely one),
    # during a redraw in the loop (REDRAW_SECONDS = 0: every pass redraws): the cell stops,
    # the flags are off, the pass is freed, the hooks stay installed, and the next cell
    # trains and draws as usual.
    from autogradviz.graph import capture
    from autogradviz.jupyter import extension

    monkeypatch.setattr(extension, "REDRAW_SECONDS", 0.0)
    counter = _Counter(fail_at=fail_at)
    monkeypatch.setattr(extension, "graph_from_capture",
                        counter.wrap(extension.graph_from_capture))  # fmt: skip
    widget_shell.run_cell("import weakref")
    result = widget_shell.run_cell(LOOP_CELL)
    assert isinstance(result.error_in_exec, KeyboardInterrupt)
    assert _flags() == (False, False)
    session = extension._session
    assert session.on_backward in autograd.backward_listeners()
    assert not widget_shell.user_ns["loss"]._node.is_live  # backward finished and freed it
    result = widget_shell.run_cell(LOOP_CELL)
    assert result.success, result.error_in_exec
    assert widget_shell.user_ns["hidden_ref"]() is not None  # only the captured last pass
    assert max(entry.iteration for entry in session.view._entries) == 5
    expected = np.array([1.0, 2.0])
    for _ in range(5):
        expected = expected - 0.01 * 2 * 3 * (expected * 3 - 1)
    np.testing.assert_allclose(widget_shell.user_ns["w"].asnumpy(), expected, rtol=1e-5)
    assert capture._pinned == []  # the interrupted cell's kept passes were let go


def test_interrupts_while_the_cell_end_draws(widget_shell, monkeypatch, capsys):
    # Ctrl-C while the cell's final picture is built (after the student's code ran): one
    # line says the picture is incomplete; no traceback from IPython's callback machinery.
    from autogradviz.graph import capture
    from autogradviz.jupyter import extension

    counter = _Counter(fail_at=1)
    monkeypatch.setattr(extension, "graph_from_capture",
                        counter.wrap(extension.graph_from_capture))  # fmt: skip
    widget_shell.run_cell("import weakref")
    result = widget_shell.run_cell(LOOP_CELL)
    assert result.success  # the student's code finished
    err = capsys.readouterr().err
    assert "drawing was interrupted" in err and "Traceback" not in err, err
    assert capture._pinned == []
    assert widget_shell.run_cell(LOOP_CELL).success


def test_interrupts_while_gradients_are_written_write_all_or_none():
    # Ctrl-C between two buffer writes used to leave x.grad updated and w.grad not.
    from autogradviz.engine import backward as engine_backward

    codes = {
        engine_backward.backward.__code__,
        engine_backward._staged.__code__,
        engine_backward._copy_in.__code__,
    }
    clean = _clean_grads()
    points = _count_points(lambda counter: _inject_user_lines(counter, codes))
    assert points >= 4  # staging, and each buffer's copy
    outcomes = set()
    for k in range(1, points + 1):
        x, w = _variables()
        head = forward(x, w)
        with pytest.raises(KeyboardInterrupt):
            with _inject_user_lines(_Counter(fail_at=k), codes):
                head.backward()
        written = [not np.all(v.grad.asnumpy() == SENTINEL) for v in (x, w)]
        assert written[0] == written[1], f"half written after an interrupt at point {k}"
        assert x._fresh_grad == w._fresh_grad == written[0]
        if written[0]:
            np.testing.assert_allclose(x.grad.asnumpy(), clean[0], rtol=1e-6)
            np.testing.assert_allclose(w.grad.asnumpy(), clean[1], rtol=1e-6)
        outcomes.add(written[0])
    assert outcomes == {True, False}  # both cases were hit: before and during the writes


def test_interrupts_during_the_writes_still_finish_the_pass():
    # All written: so the pass is over too (its graph freed, its listeners told), and a
    # second backward cannot add the same gradients again.
    from autogradviz.engine import backward as engine_backward
    from autogradviz.engine.listeners import add_backward_listener, remove_backward_listener

    told: list = []
    add_backward_listener(told.append)
    try:
        x, w = _variables()
        head = forward(x, w)
        codes = {engine_backward._copy_in.__code__}
        with pytest.raises(KeyboardInterrupt):
            with _inject_user_lines(_Counter(fail_at=2), codes):
                head.backward()
    finally:
        remove_backward_listener(told.append)
    assert len(told) == 1
    with pytest.raises(GraphError):
        head.backward()
