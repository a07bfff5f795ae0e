"""Dependency direction: the core (engine, NDArray, ops) never imports anything visual.

STYLE.md section 3: importing autogradviz and running a backward pass leaves IPython,
ipywidgets and graphviz out of ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "autogradviz"
VISUAL = ("IPython", "ipywidgets", "graphviz", "anywidget", "matplotlib", "traitlets", "ipykernel")
# Modules of this package that draw or talk to Jupyter; "graph" is the snapshot model the
# visual side reads, so the core must not import it either (it points the other way).
VISUAL_OWN = ("render", "widgets", "extension", "magics", "inspector", "stepper")
ABOVE_CORE = ("graph", *VISUAL_OWN)
CORE = ("errors", "ops", "tape", "scopes", "listeners", "autograd", "heads", "variables",
        "function", "history", "ndarray", "context")  # fmt: skip

SCRIPT = """
import json, sys
import autogradviz as mx
from autogradviz import nd, autograd
x = nd.array([[1.0, 2.0], [3.0, 4.0]])
x.attach_grad()
with autograd.record():
    y = nd.exp(x * 2).sum() + nd.dot(x, x).mean()
y.backward()
with autograd.record():
    z = (x * x).sum()
(g,) = autograd.grad(z, [x], create_graph=True)
assert x.grad.shape == g.shape == (2, 2)
print(x.grad)
print(json.dumps(sorted(sys.modules)))
"""


def _core_files() -> list[Path]:
    files = []
    for name in CORE:
        path = PACKAGE / f"{name}.py"
        if path.exists():
            files.append(path)
        elif (PACKAGE / name).is_dir():
            files.extend(sorted((PACKAGE / name).rglob("*.py")))
    return files


def _imported_names(path: Path) -> list[str]:
    """Every module a file imports, absolute names for ``from . import x`` resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names.append(prefix)
            names.extend(f"{prefix}.{alias.name}" for alias in node.names)
    return names


def test_layering_core_files_found():
    names = {path.relative_to(PACKAGE).as_posix() for path in _core_files()}
    for expected in ("tape.py", "autograd.py", "errors.py", "ndarray/ndarray.py",
                     "ops/registry.py", "heads.py", "variables.py", "function.py",
                     "history.py"):  # fmt: skip
        assert expected in names


@pytest.mark.parametrize(
    "path", _core_files(), ids=lambda path: path.relative_to(PACKAGE).as_posix()
)
def test_layering_core_module_imports_nothing_visual(path):
    for name in _imported_names(path):
        top = name.split(".")[0]
        assert top not in VISUAL, f"{path.name} imports {name}"
        if top == "autogradviz":
            part = name.split(".")[1] if "." in name else ""
            assert part not in ABOVE_CORE, f"{path.name} imports {name} (above the core)"


def test_layering_package_init_imports_nothing_visual_eagerly():
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    for node in tree.body:  # module level only: the extension is imported inside a function
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [alias.name for alias in node.names] + [node.__dict__.get("module") or ""]
            for name in names:
                assert name.split(".")[0] not in VISUAL + VISUAL_OWN, name


def test_layering_ops_import_no_engine():
    # errors <- ops <- autograd <- ndarray: the op table knows nothing of the engine.
    for path in sorted((PACKAGE / "ops").rglob("*.py")):
        for name in _imported_names(path):
            parts = name.split(".")
            if parts[0] == "autogradviz" and len(parts) > 1:
                assert parts[1] in ("ops", "errors"), f"{path.name} imports {name}"


def test_layering_errors_imports_nothing_from_package():
    assert not [n for n in _imported_names(PACKAGE / "errors.py") if n.startswith("autogradviz")]


def test_layering_backward_leaves_visual_modules_unimported():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "autogradviz.autograd" in modules  # the script really ran the package
    loaded = sorted(m for m in modules if m.split(".")[0] in VISUAL)
    assert loaded == []
    own_visual = sorted(m for m in modules if m.split(".")[:2][-1] in VISUAL_OWN
                        and m.startswith("autogradviz."))  # fmt: skip
    assert own_visual == []
