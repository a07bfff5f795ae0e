"""Shared test fixtures: every test must leave the engine's per-thread flags switched off.

The whole suite runs with Graphviz's ``dot`` absent from PATH (kernels, notebooks and the
JupyterLab of the browser tests inherit it): autogradviz must draw with its embedded
Graphviz alone. Directories of PATH that hold ``dot`` are replaced by copies made of symbolic
links to everything else they hold. Tests of the optional system Graphviz read the real PATH
from ``$AUTOGRADVIZ_TEST_REAL_PATH``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from autogradviz import autograd

REAL_PATH_VARIABLE = "AUTOGRADVIZ_TEST_REAL_PATH"
_shadows: list[str] = []


def _path_without_dot(path: str) -> str:
    """Return ``path`` with each directory that holds ``dot`` replaced by a dot-less copy."""
    parts = []
    for directory in path.split(os.pathsep):
        if not directory or not os.path.isfile(os.path.join(directory, "dot")):
            parts.append(directory)
            continue
        shadow = Path(tempfile.mkdtemp(prefix="agv-path-"))
        _shadows.append(str(shadow))
        for entry in os.scandir(directory):
            if entry.name != "dot":
                (shadow / entry.name).symlink_to(entry.path)
        parts.append(str(shadow))
    return os.pathsep.join(parts)


def pytest_configure(config: pytest.Config) -> None:
    real = os.environ.get("PATH", "")
    os.environ.setdefault(REAL_PATH_VARIABLE, real)
    os.environ["PATH"] = _path_without_dot(real)
    assert shutil.which("dot") is None, "dot is still on PATH"


def pytest_unconfigure(config: pytest.Config) -> None:
    os.environ["PATH"] = os.environ.get(REAL_PATH_VARIABLE, os.environ.get("PATH", ""))
    for shadow in _shadows:
        shutil.rmtree(shadow, ignore_errors=True)


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
