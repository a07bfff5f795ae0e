"""``make lab`` leaves the committed lessons as it found them (issue 11, item 8).

It opens working copies in ``my-lessons/`` (gitignored), made once and never overwritten, so
JupyterLab's autosave writes a student's outputs there and ``make test``'s "lessons are
committed without outputs" check keeps passing. It also starts without the news pop-up.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(*args: str) -> str:
    done = subprocess.run(["make", "-s", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    return done.stdout


def test_makefile_lab_copies_the_lessons_once(tmp_path):
    work = tmp_path / "lessons"
    out = _make("lab-copies", f"WORKDIR={work}")
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in work.glob("*.ipynb")) == lessons and "made" in out
    first = work / lessons[0]
    first.write_text('{"the student": "worked here"}')
    (work / lessons[1]).unlink()  # a lesson the student deleted comes back; theirs stay
    _make("lab-copies", f"WORKDIR={work}")
    assert first.read_text() == '{"the student": "worked here"}'
    assert (work / lessons[1]).read_bytes() == (ROOT / "notebooks" / lessons[1]).read_bytes()


def test_makefile_lab_opens_the_copy_without_news():
    commands = _make("-n", "lab")
    assert "--LabApp.default_url=/lab/tree/my-lessons/01-autograd.ipynb" in commands
    assert "--LabApp.news_url=None" in commands and "NeverCheckForUpdate" in commands
    assert "--ServerApp.ip=127.0.0.1" in commands
    # JupyterLab's own settings, as defaults of this environment: never ask about news
    assert '"fetchNews": "false", "checkForUpdates": false' in commands
    assert "share/jupyter/lab/settings/overrides.json" in commands


def test_makefile_working_copies_are_not_committed():
    assert "my-lessons/" in (ROOT / ".gitignore").read_text().splitlines()
