"""DOT text → SVG with a time limit, by the embedded Graphviz or, on request, a system ``dot``.

The default is ``"wasm"``: Graphviz compiled to WebAssembly and run in this process
(``render.wasm``), so ``pip install autogradviz`` alone draws on every system. ``"system"``
runs Graphviz's ``dot`` program (it must be on ``PATH``); choose it with
``set_graphviz("system")`` or the environment variable ``AUTOGRADVIZ_GRAPHVIZ=system``. PNG
files need the system ``dot`` (the WebAssembly build has no PNG renderer). Either way a
layout that takes too long is stopped: a student's cell must never hang.
Imports the standard library (and ``render.wasm``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

from ..errors import DotNotFoundError, LayoutError
from . import wasm
from .dot import to_dot
from .plain_labels import restyle, to_plain

__all__ = ["DotNotFoundError", "LayoutError", "get_graphviz", "set_graphviz", "svg_from_dot"]

LAYOUT_TIMEOUT_SECONDS = 20.0
ENGINES = ("wasm", "system")
ENVIRONMENT_VARIABLE = "AUTOGRADVIZ_GRAPHVIZ"
INSTALL_HELP = (
    "Graphviz's `dot` program is not installed (the Python package `graphviz` does not "
    "include it). Install it with one of:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Windows:        winget install graphviz   (or choco install graphviz)\n"
    "then restart the kernel. Or use the embedded Graphviz: set_graphviz('wasm')."
)
_chosen: str | None = None  # set by set_graphviz; None: the environment variable, or wasm


def set_graphviz(engine: str) -> None:
    """Choose the Graphviz that draws SVG in this process: ``"wasm"`` or ``"system"``.

    Raises
    ------
    ValueError
        For any other name.
    """
    global _chosen
    _chosen = _checked(engine, "set_graphviz")


def get_graphviz() -> str:
    """Return the Graphviz in use: set_graphviz's choice, else $AUTOGRADVIZ_GRAPHVIZ, else wasm."""
    if _chosen is not None:
        return _chosen
    return _checked(os.environ.get(ENVIRONMENT_VARIABLE) or "wasm", ENVIRONMENT_VARIABLE)


def _checked(engine: Any, where: str) -> str:
    if engine not in ENGINES:
        raise ValueError(
            f"{where}: unknown Graphviz {engine!r}; use 'wasm' (embedded, the default) or "
            "'system' (the dot program on PATH)."
        )
    return str(engine)


def dot_path() -> str | None:
    """Return the path of the ``dot`` program, or ``None`` if it is not on ``PATH``."""
    return shutil.which("dot")


def run_dot(dot_text: str, fmt: str = "svg", timeout: float = LAYOUT_TIMEOUT_SECONDS) -> bytes:
    """Run the system's ``dot -T<fmt>`` on ``dot_text`` and return its output.

    Raises
    ------
    DotNotFoundError
        If ``dot`` is not installed (the message says how to install it).
    LayoutError
        If ``dot`` fails or takes longer than ``timeout`` seconds.
    """
    program = dot_path()
    if program is None:
        raise DotNotFoundError(f"to_svg: {INSTALL_HELP}")
    try:
        done = subprocess.run(
            [program, f"-T{fmt}"], input=dot_text.encode("utf-8"),
            capture_output=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise LayoutError.timed_out(timeout) from None
    if done.returncode != 0:
        raise LayoutError(f"to_svg: dot failed: {done.stderr.decode(errors='replace')[:500]}")
    return done.stdout


def svg_from_dot(
    dot_text: str, timeout: float = LAYOUT_TIMEOUT_SECONDS, graphviz: str | None = None
) -> str:
    """Return the SVG drawing of ``dot_text``, starting at ``<svg`` (no XML prolog).

    ``graphviz`` is ``"wasm"`` or ``"system"``; by default, :func:`get_graphviz`.

    Raises
    ------
    LayoutError
        If the layout fails or takes longer than ``timeout`` seconds (``DotNotFoundError``
        when the system ``dot`` was asked for and is missing).
    """
    engine = get_graphviz() if graphviz is None else _checked(graphviz, "to_svg")
    if engine == "system":
        text = run_dot(dot_text, "svg", timeout).decode("utf-8")
        return text[text.find("<svg") :]
    plain, styles = to_plain(dot_text)  # the embedded Graphviz reads no HTML-like labels
    text = wasm.layout(plain, "svg", timeout).decode("utf-8")
    return restyle(text[text.find("<svg") :], styles)


def to_svg(graph: Any, graphviz: str | None = None, **options: Any) -> str:
    """Return the SVG drawing of a graph (``graphviz`` as above; options as for ``to_dot``)."""
    return svg_from_dot(to_dot(graph, **options), graphviz=graphviz)
