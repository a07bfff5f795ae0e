"""The widget's built front end: pinned, rebuilt identically from js/, shipped with its notices.

``autogradviz/widget/static/`` holds what ``make js`` builds from ``js/src`` (committed, so
that ``pip install`` needs no Node). When ``npm`` is on PATH (CI has it), the bundle is built
again from a clean copy of ``js/`` with ``npm ci`` and must equal the committed files byte for
byte.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "js"
STATIC = ROOT / "autogradviz" / "widget" / "static"
BUILT = ("canvas.js", "graphviz_worker.js")


def test_bundle_dependencies_are_pinned_exactly():
    package = json.loads((JS / "package.json").read_text())
    lock = json.loads((JS / "package-lock.json").read_text())
    for name, version in package["devDependencies"].items():
        assert version[0].isdigit(), f"{name} {version}: pin an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert package["devDependencies"]["@hpcc-js/wasm-graphviz"] == "1.29.2"


def test_bundle_files_are_committed_and_carry_their_origin():
    canvas = (STATIC / "canvas.js").read_text()
    worker = (STATIC / "graphviz_worker.js").read_text()
    assert canvas.startswith("// Built by js/build.mjs from js/src/canvas.js")
    assert worker.startswith("// Built by js/build.mjs from js/src/worker.js")
    assert 700_000 < len(worker) < 1_000_000  # Graphviz and its wasm, inlined
    assert "THIRD_PARTY_NOTICES.md" in worker.splitlines()[0]


def test_bundle_notices_name_each_component():
    notices = (STATIC / "THIRD_PARTY_NOTICES.md").read_text()
    for text in ("Apache License", "Version 2.0", "Eclipse Public License - v 2.0",
                 "https://gitlab.com/graphviz/graphviz", "Expat maintainers",
                 "Permission is hereby granted"):  # fmt: skip
        assert text in notices, text


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_bundle_rebuilds_identically(tmp_path):
    source = tmp_path / "js"
    shutil.copytree(JS, source, ignore=shutil.ignore_patterns("node_modules"))
    run = {"cwd": source, "capture_output": True, "text": True, "timeout": 300}
    installed = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], **run)
    assert installed.returncode == 0, installed.stderr[-2000:]
    built = subprocess.run(["node", "build.mjs", "--outdir", str(tmp_path / "out")], **run)
    assert built.returncode == 0, built.stderr[-2000:]
    for name in BUILT:
        fresh, committed = (tmp_path / "out" / name).read_bytes(), (STATIC / name).read_bytes()
        assert fresh == committed, f"{name} differs from a fresh build: run `make js`"


@pytest.mark.slow
def test_bundle_ships_in_the_wheel(tmp_path):
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("autogradviz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (*BUILT, "THIRD_PARTY_NOTICES.md"):
        assert f"autogradviz/widget/static/{name}" in names, name
    assert not any(name.startswith("js/") for name in names)  # sources stay in the repository
