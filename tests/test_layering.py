"""Dependency direction: the layers of ``layering.LAYERS``, no import cycles, nothing visual.

The style guide (section 3): engine <- ndarray/ops <- graph <- render <- widget <- jupyter, nothing
pointing up. The checker reads the source (``tests/layering.py``); each rule is shown to
fail on a deliberately broken copy of the package. And in a fresh interpreter, importing
autogradviz and running a backward pass leaves IPython, ipywidgets and graphviz (and our
own render, widget and jupyter packages) out of ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from layering import LAYERS, RANK, cycles, imports_of, module_names, violations

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "autogradviz"
VISUAL = ("IPython", "ipywidgets", "graphviz", "anywidget", "matplotlib", "traitlets", "ipykernel")
VISUAL_OWN = ("render", "widget", "jupyter")

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
with autograd.record():
    w = (x * 3).sum()
assert len(mx.graph_of(w)) == 3  # the graph model works without loading a renderer
print(x.grad)
print(json.dumps(sorted(sys.modules)))
"""


def test_layering_real_tree_has_no_violations():
    assert violations(PACKAGE) == []


def test_layering_real_tree_has_no_import_cycles():
    assert cycles(PACKAGE) == []


def test_layering_every_unit_of_the_tree_is_checked():
    units = {name.split(".")[0] for name in module_names(PACKAGE)}
    assert {"engine", "ops", "ndarray", "graph", "render", "widget", "jupyter"} <= units
    assert [unit for layer in LAYERS for unit in layer if unit not in units] == []
    assert len(imports_of(PACKAGE)) > 100  # the checker really reads the imports


def test_layering_data_flow_order():
    # engine <- ndarray/ops <- graph <- render <- widget <- jupyter
    order = ["engine", "ndarray", "graph", "render", "widget", "jupyter"]
    ranks = [RANK[unit] for unit in order]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) == len(ranks)


@pytest.fixture
def broken_copy(tmp_path):
    """A copy of the package to add one wrong import to."""
    copy = tmp_path / "autogradviz"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))

    def add(relative: str, line: str) -> Path:
        path = copy / relative
        path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n")
        return copy

    return add


WRONG_IMPORTS = {
    "the teaching tools import the tape (muted() is their only way in)": (
        "teach/replay.py", "from ..engine.tape import flags",
        "teach.replay:", "'teach' reads the graph model only, never 'engine'"),
    "engine imports the widget": (
        "engine/tape.py", "from ..widget import view",
        "engine.tape:", "'widget' is above 'engine'"),
    "ops import the engine": (
        "ops/registry.py", "from ..engine import tape",
        "ops.registry:", "'ops' and 'engine' must stay independent"),
    "graph imports a renderer at module level": (
        "graph/model.py", "from ..render import dot",
        "graph.model:", "'render' is above 'graph'"),
    "a renderer defers an upward import": (
        "render/text.py", "def _late():\n    from ..widget import view",
        "render.text:", "'widget' is above 'render'"),
    "the engine imports IPython": (
        "engine/backward.py", "import IPython",
        "engine.backward:", "'engine' may import only ['numpy'] from PyPI"),
    "ndarray imports the package facade": (
        "ndarray/nn.py", "from .. import capture",
        "ndarray.nn:", "a public entry point"),
    "a renderer imports the engine": (
        "render/dot.py", "from ..engine import tape",
        "render.dot:", "'render' reads the graph model only, never 'engine'"),
    "the widget imports NDArray": (
        "widget/stepper.py", "from ..ndarray import NDArray",
        "widget.stepper:", "'widget' reads the graph model only, never 'ndarray'"),
    "an import by name": (
        "engine/tape.py", "import importlib\nimportlib.import_module('autogradviz.widget')",
        "engine.tape:", "imports by name"),
    "errors imports numpy": (
        "errors.py", "import numpy",
        "errors:", "'errors' may import only [] from PyPI"),
}  # fmt: skip


@pytest.mark.parametrize("case", WRONG_IMPORTS, ids=list(WRONG_IMPORTS))
def test_layering_wrong_import_is_reported(broken_copy, case):
    relative, line, where, why = WRONG_IMPORTS[case]
    problems = violations(broken_copy(relative, line))
    assert len(problems) == 1, problems
    assert problems[0].startswith(where) and why in problems[0]


def test_layering_new_folder_outside_the_layers_is_reported(broken_copy):
    copy = broken_copy("errors.py", "")
    (copy / "quiz").mkdir()
    (copy / "quiz" / "__init__.py").write_text('"""A new unit."""\n')
    assert violations(copy) == ["quiz: unit 'quiz' is in no layer; add it to LAYERS"]


def test_layering_cycle_is_reported(broken_copy):
    # render.dot imports graph.model; graph.model importing render.dot at module level
    # closes a cycle (the Graph's methods import their renderers only when called).
    copy = broken_copy("graph/model.py", "from ..render import dot")
    found = cycles(copy)
    assert any({"graph.model", "render.dot"} <= set(cycle) for cycle in found), found


def test_layering_deferred_render_imports_are_inside_functions_only():
    deferred = [
        i for i in imports_of(PACKAGE) if i.source == "graph.model" and "render" in i.target
    ]
    assert len(deferred) == 5 and all(i.deferred for i in deferred)


def test_layering_package_init_imports_nothing_visual_eagerly():
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    for node in tree.body:  # module level only: the extension is imported inside a function
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [alias.name for alias in node.names] + [node.__dict__.get("module") or ""]
            for name in names:
                assert name.split(".")[0] not in VISUAL + VISUAL_OWN, name


@pytest.mark.parametrize(
    "folder",
    sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")),
)
def test_layering_folder_init_says_its_job_and_what_it_must_not_import(folder):
    doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text()))
    assert doc, f"{folder}/__init__.py has no docstring"
    first = doc.split("\n")[0]  # one sentence: the job, then what it must not import
    assert first.endswith(".") and ";" in first, first
    assert any(word in first for word in (" never ", " only", "imported by nothing")), first


UNIT_IMPORT_SCRIPT = """
import importlib, json, sys
unit, above = sys.argv[1], sys.argv[2:]
importlib.import_module("autogradviz." + unit)
loaded = sorted({m.split(".")[1] for m in sys.modules if m.startswith("autogradviz.")})
print(json.dumps(sorted(set(loaded) & set(above))))
"""


@pytest.mark.parametrize("unit", ["engine", "ops", "ndarray", "graph", "render", "widget"])
def test_layering_importing_a_unit_loads_nothing_above_it(unit):
    # What the source reading cannot see (an import inside a function that runs at load
    # time): in a fresh interpreter, importing the unit must load no unit above it, except
    # what the package's own __init__ loads for everyone (the MXNet API and the graph model).
    facade = {"autograd", "capture", "context", "errors", "graph", "nd", "ndarray", "ops",
              "random", "testing", "engine", "gluon"}  # fmt: skip
    above = [u for layer in LAYERS[: RANK[unit]] for u in layer if u not in facade]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", UNIT_IMPORT_SCRIPT, unit, *above],
                            capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


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
    own_visual = sorted(m for m in modules if m.startswith("autogradviz.")
                        and m.split(".")[1] in VISUAL_OWN)  # fmt: skip
    assert own_visual == []
