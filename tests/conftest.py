"""Shared test fixtures: every test must leave the engine's per-thread flags switched off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from autogradviz import autograd


@pytest.fixture(autouse=True)
def _flags_restored() -> Iterator[None]:
    """Fail a test that leaves recording or training on (a scope that forgot to restore)."""
    autograd.set_recording(False)
    autograd.set_training(False)
    yield
    leaked = autograd.set_recording(False), autograd.set_training(False)
    assert leaked == (False, False), f"test left (recording, training) = {leaked}"


@pytest.fixture
def without_capture() -> Iterator[None]:
    """Turn graph capture off for one test (it keeps the last backward pass alive)."""
    import autogradviz as mx

    was_enabled = mx.capture.is_enabled()
    mx.capture.disable()
    yield
    if was_enabled:
        mx.capture.enable()


@pytest.fixture
def with_capture() -> Iterator[None]:
    """Turn graph capture (and call-site recording) on for one test."""
    import autogradviz as mx

    was_enabled = mx.capture.is_enabled()
    mx.capture.enable()
    yield
    if not was_enabled:
        mx.capture.disable()
