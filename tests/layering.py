"""The package's layers, and a checker that lists every import that breaks them.

Read from the top: a unit (a folder of ``autogradviz/``, or a top-level module) may import
units of its own layer or of the layers below it, never above. ``engine`` and ``ops`` share
a layer but are independent: the engine applies rules it does not know, and the op table
knows nothing of the engine. The data flow of ``docs/architecture.md`` is this list read
bottom up. Used by ``test_layering.py``; it reads the source with ``ast``, so it imports
nothing of the package and can check a deliberately broken copy of it.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

LAYERS: tuple[tuple[str, ...], ...] = (
    ("jupyter",),  # IPython extension, magics, kernel spec: wires listeners to widgets
    ("widget",),  # the live view and its model (stepper, inspector)
    ("render",),  # Graph -> DOT, SVG, text, files
    ("teach",),  # teaching tools: replay a graph's tape (check, ...) through the public API
    ("graph",),  # the snapshot model, capture, names, summaries, folding
    ("testing", "gluon"),  # tools on the public API: the gradient checker | MXNet's gluon
    ("autograd", "nd", "ndarray", "random"),  # the MXNet API: NDArray and namespaces
    ("engine", "ops"),  # the tape and backward | the derivative table
    ("context", "errors", "atomic"),  # shared by everything
)
INDEPENDENT = frozenset({"engine", "ops"})
# The package's entry points: they may import any unit, and no unit may import them.
FACADES = frozenset({"__init__", "capture", "kernel"})
# Upward imports allowed inside a function body only (never at module level): the Graph's
# convenience methods (g.to_svg(), Jupyter's display of a Graph) call their renderer.
DEFERRED = frozenset({("graph.model", "render"), ("graph.model", "teach")})
# Lower units a unit must not import although the layers would allow it: the pictures read
# the graph model only, never the engine or arrays (the snapshot holds numpy copies).
_CORE_AND_API = frozenset({"engine", "ops", "ndarray", "autograd", "nd", "random", "testing"})
FORBIDDEN = {
    "render": _CORE_AND_API,
    "widget": _CORE_AND_API,
    "graph": _CORE_AND_API - {"engine"},  # capture listens to the engine
    "gluon": frozenset({"engine", "ops", "testing"}),  # the public nd/autograd API only
    "teach": frozenset({"ops", "ndarray", "engine"}),  # nd/autograd (and ONLY_FROM below)
}
# The one module of a forbidden unit a unit may still import: the teaching tools mute their
# replays (engine.listeners.muted), so that no picture draws them.
ONLY_FROM = {("teach", "engine"): "engine.listeners"}
# Calls that import by name, which the checker cannot follow: none are allowed in the package.
DYNAMIC_IMPORTS = frozenset({"__import__", "import_module", "exec", "eval"})
# Third-party packages each unit may import (the standard library is always allowed).
THIRD_PARTY = {
    "jupyter": {"numpy", "IPython", "ipywidgets", "ipykernel", "jupyter_client"},
    "widget": {"numpy", "ipywidgets", "anywidget", "traitlets"},
    "render": {"numpy", "wasmtime"},  # the embedded Graphviz (render/wasm.py)
    "errors": set(),
    "context": set(),
    "atomic": set(),
}
DEFAULT_THIRD_PARTY = frozenset({"numpy"})

RANK = {unit: rank for rank, layer in enumerate(LAYERS) for unit in layer}


@dataclass(frozen=True)
class Import:
    """One import statement's target, seen from the module that contains it."""

    source: str  # dotted module name inside the package, e.g. "engine.tape"
    target: str  # absolute dotted name, e.g. "autogradviz.graph.model" or "numpy"
    line: int
    deferred: bool  # inside a function body


def module_names(package: Path) -> dict[str, Path]:
    """Return ``{"engine.tape": path, "__init__": path, "graph": path/__init__.py, ...}``."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def unit_of(module: str) -> str:
    """The unit a module belongs to: its folder, or itself for a top-level module."""
    return module.split(".")[0]


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, root: str) -> None:
        self.module, self.is_package, self.root = module, is_package, root
        self.depth = 0
        self.found: list[Import] = []

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function  # noqa: N815

    def _add(self, target: str, node: ast.stmt) -> None:
        self.found.append(Import(self.module, target, node.lineno, self.depth > 0))

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        function = node.func
        name = (
            function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        )
        if name in DYNAMIC_IMPORTS:
            self.found.append(Import(self.module, f"<{name}()>", node.lineno, self.depth > 0))
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        if node.level == 0:
            base = node.module or ""
        else:
            parts = [self.root] + ([] if self.module == "__init__" else self.module.split("."))
            if not self.is_package:
                parts = parts[:-1]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join(parts + ([node.module] if node.module else []))
        for alias in node.names:  # `from . import capture` imports a module: name it
            self._add(f"{base}.{alias.name}" if alias.name != "*" else base, node)


def imports_of(package: Path) -> list[Import]:
    """Every import in the package, with relative imports made absolute."""
    found = []
    for module, path in module_names(package).items():
        collector = _Collector(module, path.name == "__init__.py", package.name)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(collector.found)
    return found


def _internal_target(target: str, root: str, modules: dict[str, Path]) -> str | None:
    """The package module an absolute name refers to (``from x import name`` may name an
    attribute rather than a module: then its module), or None for another package."""
    parts = target.split(".")
    if parts[0] != root:
        return None
    parts = parts[1:]
    while parts and ".".join(parts) not in modules:
        parts = parts[:-1]
    return ".".join(parts) if parts else "__init__"


def violations(package: Path) -> list[str]:
    """Return one line per import that breaks the layers (empty when the tree is clean)."""
    modules = module_names(package)
    problems = [f"{name}: unit {unit_of(name)!r} is in no layer; add it to LAYERS"
                for name in modules
                if unit_of(name) not in RANK and unit_of(name) not in FACADES]  # fmt: skip
    for found in imports_of(package):
        target = _internal_target(found.target, package.name, modules)
        where = f"{found.source}:{found.line} imports {found.target}"
        if found.target.startswith("<"):
            problem: str | None = "imports by name; write an import statement the checker can read"
        elif target is None:
            problem = _third_party_problem(found)
        else:
            problem = _internal_problem(found, target)
        if problem:
            problems.append(f"{where}: {problem}")
    return problems


def _third_party_problem(found: Import) -> str | None:
    top = found.target.split(".")[0]
    unit = unit_of(found.source)
    if top in sys.stdlib_module_names or top == "__future__" or unit in FACADES:
        return None
    allowed = THIRD_PARTY.get(unit, DEFAULT_THIRD_PARTY)
    return None if top in allowed else f"{unit!r} may import only {sorted(allowed)} from PyPI"


def _internal_problem(found: Import, target: str) -> str | None:
    source_unit, target_unit = unit_of(found.source), unit_of(target)
    if source_unit in FACADES or source_unit == target_unit:
        return None
    if target_unit in FACADES:
        return "a public entry point; import the module that defines the name instead"
    if target_unit not in RANK or source_unit not in RANK:
        return None  # reported once as a unit in no layer
    if RANK[target_unit] < RANK[source_unit]:
        if found.deferred and (found.source, target_unit) in DEFERRED:
            return None
        return f"{target_unit!r} is above {source_unit!r} (see LAYERS)"
    if RANK[target_unit] == RANK[source_unit] and {source_unit, target_unit} <= INDEPENDENT:
        return f"{source_unit!r} and {target_unit!r} must stay independent"
    if ONLY_FROM.get((source_unit, target_unit)) == target:
        return None
    if target_unit in FORBIDDEN.get(source_unit, ()):
        return f"{source_unit!r} reads the graph model only, never {target_unit!r}"
    return None


def cycles(package: Path) -> list[list[str]]:
    """Return the module-level import cycles (Tarjan's strongly connected components)."""
    modules = module_names(package)
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for found in imports_of(package):
        if found.target.startswith("<"):
            continue
        target = _internal_target(found.target, package.name, modules)
        if target is not None and not found.deferred and target != found.source:
            edges[found.source].add(target)
    return [sorted(c) for c in _components(edges) if len(c) > 1]


def _components(edges: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    result: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in sorted(edges[name]):
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == name:
                    break
            result.append(component)

    for name in sorted(edges):
        if name not in index:
            visit(name)
    return result
