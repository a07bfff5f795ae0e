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


class _DisplayHandle:
    """Stands in for IPython's DisplayHandle: records what the display was replaced with."""

    def __init__(self, updates: list) -> None:
        self.updates = updates

    def update(self, bundle: object, **kwargs: object) -> None:
        self.updates.append(bundle)


@pytest.fixture
def jupyter_shell(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A real IPython shell with ``%load_ext autogradviz``, behaving as in Jupyter.

    The widget front end is simulated: ``shell.displayed`` lists what was displayed and
    ``shell.updates`` what displays were replaced with. The extension is unloaded after.
    """
    from IPython.core.interactiveshell import InteractiveShell

    from autogradviz.jupyter import extension

    displayed: list = []
    updates: list = []
    shell = InteractiveShell.instance()
    monkeypatch.setattr(extension, "_has_widget_frontend", lambda _: True)
    monkeypatch.setattr(
        "IPython.display.display",
        lambda *args, **kwargs: displayed.append(args) or _DisplayHandle(updates),
    )
    shell.run_cell("import autogradviz as mx\nfrom autogradviz import nd, autograd")
    shell.run_line_magic("load_ext", "autogradviz")
    shell.displayed, shell.updates = displayed, updates  # type: ignore[attr-defined]
    yield shell
    shell.run_line_magic("unload_ext", "autogradviz")
    shell.extension_manager.loaded.discard("autogradviz")
