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
