"""Threads: the recording and training flags belong to one thread, as in MXNet."""

from __future__ import annotations

import threading

import numpy as np

from autogradviz import autograd, nd


def _in_thread(function):
    """Run ``function`` in a new thread and return its result (re-raising its error)."""
    result = {}

    def target():
        try:
            result["value"] = function()
        except BaseException as error:  # noqa: BLE001 (handed back to the test)
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    if "error" in result:
        raise result["error"]
    return result["value"]


def _flags():
    return autograd.is_recording(), autograd.is_training()


def test_threads_new_thread_starts_with_flags_off():
    with autograd.record():
        assert _in_thread(_flags) == (False, False)
        assert _flags() == (True, True)


def test_threads_flags_set_in_thread_stay_there():
    def set_both():
        autograd.set_recording(True)
        autograd.set_training(True)
        return _flags()

    assert _in_thread(set_both) == (True, True)
    assert _flags() == (False, False)


def test_threads_op_in_other_thread_not_recorded_by_main_scope():
    x = nd.array([1.0])
    x.attach_grad()
    with autograd.record():
        y = _in_thread(lambda: x * 2)
    assert y._node is None


def test_threads_record_concurrently_with_correct_gradients():
    barrier = threading.Barrier(2)
    rounds = 200

    def worker(power):
        values = np.array([1.5, -0.5, 2.0])
        grads = []
        for _ in range(rounds):
            x = nd.array(values)
            x.attach_grad()
            with autograd.record():
                barrier.wait()  # both threads are inside record() at the same time
                y = x
                for _ in range(power - 1):
                    y = y * x
                barrier.wait()
            y.backward()
            grads.append(x.grad.asnumpy())
            assert _flags() == (False, False)
        return grads

    results = {}
    errors = []

    def run(power):
        try:
            results[power] = worker(power)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(power,)) for power in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    values = np.array([1.5, -0.5, 2.0])
    for grad in results[2]:
        np.testing.assert_allclose(grad, 2 * values, rtol=1e-6)
    for grad in results[3]:
        np.testing.assert_allclose(grad, 3 * values**2, rtol=1e-6)


def test_threads_pause_in_one_thread_does_not_stop_another():
    started, paused = threading.Event(), threading.Event()

    def pauser():
        with autograd.record():
            started.wait(timeout=30)
            with autograd.pause():
                paused.set()
                return _flags()

    x = nd.array([2.0])
    x.attach_grad()
    thread_result = {}
    thread = threading.Thread(target=lambda: thread_result.setdefault("flags", pauser()))
    thread.start()
    with autograd.record():
        started.set()
        paused.wait(timeout=30)
        assert _flags() == (True, True)
        y = x * x
    thread.join(timeout=30)
    assert thread_result["flags"] == (False, False)
    y.backward()
    assert x.grad.asscalar() == 4.0


# ----------------------------------------------------------------------------- many threads


def _mlp_gradients(seed, steps):
    """Train a small MLP for ``steps`` SGD steps; return every step's gradients."""
    rng = np.random.default_rng(seed)
    x = nd.array(rng.normal(size=(8, 3)))
    w1, w2 = nd.array(rng.normal(size=(3, 5))), nd.array(rng.normal(size=(5, 1)))
    for w in (w1, w2):
        w.attach_grad()
    history = []
    for _ in range(steps):
        with autograd.record():
            hidden = nd.tanh(nd.dot(x, w1))
            with autograd.pause():
                scale = hidden.abs().mean()  # a constant: pause is per thread too
            loss = (nd.dot(hidden / (1 + scale), w2) ** 2).mean()
            assert _flags() == (True, True)
        loss.backward()
        assert _flags() == (False, False)
        history.append((w1.grad.asnumpy().copy(), w2.grad.asnumpy().copy()))
        for w in (w1, w2):
            w[:] = w - 0.1 * w.grad
    return history


def _run_threads(target, count):
    """Start ``count`` threads running ``target(k)`` together; return results by ``k``."""
    barrier = threading.Barrier(count)
    results, errors = {}, []

    def run(k):
        try:
            barrier.wait(timeout=60)  # all start at once, so their records overlap
            results[k] = target(k)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == count
    return results


def test_threads_many_threads_train_like_one():
    steps = 150
    expected = {seed: _mlp_gradients(seed, steps) for seed in range(6)}
    results = _run_threads(lambda k: _mlp_gradients(k % 6, steps), count=12)
    for k, history in results.items():
        for got, want in zip(history, expected[k % 6], strict=True):
            np.testing.assert_array_equal(got[0], want[0])  # bit for bit: same operations
            np.testing.assert_array_equal(got[1], want[1])


def test_threads_share_one_graph_read_only():
    # Several threads back-propagate the same retained graph at once (each with its own
    # head gradient, through grad(), which writes no shared buffer).
    x = nd.array([0.5, -1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = (nd.exp(x) * x).sum()

    def differentiate(k):
        return [autograd.grad(y, [x], head_grads=nd.array([float(k + 1)]),
                              retain_graph=True)[0].asnumpy() for _ in range(50)]  # fmt: skip

    results = _run_threads(differentiate, count=8)
    base = (np.exp([0.5, -1.0, 2.0]) * (1 + np.array([0.5, -1.0, 2.0]))).astype(np.float32)
    for k, grads in results.items():
        for grad in grads:
            np.testing.assert_allclose(grad, (k + 1) * base, rtol=1e-6)


def test_threads_train_and_predict_modes_are_per_thread():
    inside = threading.Event()
    release = threading.Event()

    def predicting():
        with autograd.predict_mode():
            inside.set()
            release.wait(timeout=30)
            return _flags()

    with autograd.train_mode():
        thread_result = {}
        thread = threading.Thread(target=lambda: thread_result.setdefault("flags", predicting()))
        thread.start()
        inside.wait(timeout=30)
        assert _flags() == (False, True)  # the other thread's predict_mode is its own
        release.set()
        thread.join(timeout=30)
    assert thread_result["flags"] == (False, False)


def test_threads_capture_and_listeners_do_not_crash(with_capture):
    # Listeners run in the thread that called backward; capture keeps one of the last
    # passes. Neither may crash, and the numbers stay those of a single thread.
    seen = []
    lock = threading.Lock()

    def listener(run):
        with lock:
            seen.append((threading.get_ident(), len(run.order)))

    import autogradviz as mx

    expected = _mlp_gradients(0, 40)
    autograd.add_backward_listener(listener)
    try:
        results = _run_threads(lambda k: _mlp_gradients(0, 40), count=6)
        graph = mx.last_graph()
    finally:
        autograd.remove_backward_listener(listener)
    for history in results.values():
        for got, want in zip(history, expected, strict=True):
            np.testing.assert_array_equal(got[0], want[0])
    assert len(seen) == 6 * 40
    assert len({ident for ident, _ in seen}) == 6
    assert graph is not None and len(graph.nodes) > 0


def test_threads_share_one_scope_object():
    # One scope object (say, a module-level `recording = autograd.record()`) entered by two
    # threads that overlap: the first enters, the second enters, the first exits, then the
    # second. Each thread gets back its own flags on exit.
    scope = autograd.record(train_mode=False)
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first():
        with scope:
            first_in.set()
            second_in.wait(timeout=30)
        first_out.set()
        return _flags()

    def second():
        autograd.set_training(True)  # this thread's own state before the scope
        first_in.wait(timeout=30)
        with scope:
            second_in.set()
            first_out.wait(timeout=30)
            inside = _flags()
        flags = _flags()
        autograd.set_training(False)
        return inside, flags

    results = {}
    threads = [threading.Thread(target=lambda f=f: results.setdefault(f.__name__, f()))
               for f in (first, second)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == {"first": (False, False), "second": ((True, False), (False, True))}


def test_threads_with_the_extension_draw_the_cell_thread_and_say_why_not_the_others(
    jupyter_shell, capsys
):
    # Widgets are not thread-safe: passes of worker threads are not drawn, and the student is
    # told so in one line, instead of "could not draw the graph".
    result = jupyter_shell.run_cell(
        "import threading\n"
        "from autogradviz import nd, autograd\n"
        "def train():\n"
        "    w = nd.array([1.0, 2.0]); w.attach_grad()\n"
        "    for _ in range(5):\n"
        "        with autograd.record():\n"
        "            loss = (w * w).sum()\n"
        "        loss.backward()\n"
        "        w[:] = w - 0.1 * w.grad\n"
        "workers = [threading.Thread(target=train) for _ in range(3)]\n"
        "for t in workers: t.start()\n"
        "for t in workers: t.join()\n"
        "x = nd.array([3.0]); x.attach_grad()\n"
        "with autograd.record():\n"
        "    y = x * x\n"
        "y.backward()\n"
    )
    assert result.success
    err = capsys.readouterr().err
    assert "15 backward pass(es) ran in other threads" in err and "could not draw" not in err
    from autogradviz.jupyter import extension

    graph = extension._session.view.graph
    assert graph.node("y").value.tolist() == [9.0]  # the cell's own pass is drawn


def test_threads_a_worker_pass_after_the_cells_pass_keeps_the_cells_picture_true(jupyter_shell):
    # The worker's pass becomes the last one while the cell still has an SGD step to do:
    # the cell's pass must keep the values it used (found in review).
    result = jupyter_shell.run_cell(
        "import threading\n"
        "from autogradviz import nd, autograd\n"
        "w = nd.array([1.0]); w.attach_grad()\n"
        "for _ in range(2):  # the second pass comes too soon to be sampled: only the last\n"
        "    with autograd.record():\n"
        "        y = w * 2\n"
        "    y.backward()\n"
        "    if _ == 0:\n"
        "        w[:] = 3.0\n"
        "def other():\n"
        "    v = nd.array([5.0]); v.attach_grad()\n"
        "    with autograd.record():\n"
        "        z = v * v\n"
        "    z.backward()\n"
        "t = threading.Thread(target=other); t.start(); t.join()\n"
        "w[:] = w - 0.25 * w.grad\n"
    )
    assert result.success
    from autogradviz.graph import capture
    from autogradviz.jupyter import extension

    graph = extension._session.view.graph
    assert graph.node("w").value.tolist() == [3.0]  # as the last pass used it, not 2.5
    assert capture._pinned == []
