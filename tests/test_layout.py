"""The map stays true to the tree: docs/architecture.md and the README name real files, every
unit is described, and files stay small enough to read (style guide section 8: ~300 lines).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from layering import LAYERS, module_names

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "autogradviz"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
MAX_LINES = 320  # "around 300": a little slack, not a second limit


def _named_paths(text: str) -> set[str]:
    """Paths in backticks that name files or folders (`graph/model.py`, `ops/`, `tape.py`).

    A bare file name in a folder's paragraph (one that opens with **`engine/`**) is taken
    inside that folder.
    """
    named = set()
    for paragraph in text.split("\n\n"):
        folder = re.match(r"\*\*`([a-z_]+/)`\*\*", paragraph)
        for path in re.findall(r"`([a-z_]+(?:/[a-z_]+)*(?:\.py|/))`", paragraph):
            inside = folder and "/" not in path and (PACKAGE / folder[1] / path).exists()
            named.add(folder[1] + path if inside else path)
    return named


def _exists(path: str) -> bool:
    return (PACKAGE / path).exists() or (ROOT / path).exists() or (ROOT / "tests" / path).exists()


def test_layout_architecture_names_only_real_files():
    named = _named_paths(ARCHITECTURE)
    assert len(named) > 30  # the map really names the files
    assert sorted(path for path in named if not _exists(path)) == []


@pytest.mark.parametrize("folder", sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")))
def test_layout_architecture_describes_every_folder(folder):
    assert f"**`{folder}/`**" in ARCHITECTURE


def test_layout_architecture_table_lists_every_unit():
    table = ARCHITECTURE.split("## The layers", 1)[1].split("\n\n**One allowed", 1)[0]
    for layer in LAYERS:
        for unit in layer:
            spelled = f"`{unit}/`" if (PACKAGE / unit).is_dir() else f"`{unit}.py`"
            assert spelled in table, unit


def test_layout_readme_lists_every_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Project layout", 1)[1].split("\n## ", 1)[0]
    for folder in sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")):
        assert f"  {folder}/" in layout, folder


@pytest.mark.parametrize("module", sorted(module_names(PACKAGE)))
def test_layout_module_is_small(module):
    path = module_names(PACKAGE)[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by concern"
