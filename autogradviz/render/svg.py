"""DOT text → SVG, by running Graphviz's ``dot`` program with a time limit.

``dot`` is called directly (not through the ``graphviz`` package) so that a layout that
takes too long is stopped: a student's cell must never hang. Imports the standard library.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

from ..errors import AutogradvizError

LAYOUT_TIMEOUT_SECONDS = 20.0
INSTALL_HELP = (
    "Graphviz's `dot` program is not installed (the Python package `graphviz` does not "
    "include it). Install it with one of:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "  Windows:        winget install graphviz   (or choco install graphviz)\n"
    "then restart the kernel. Meanwhile graph.to_text() and graph.to_dot() work without it."
)


class DotNotFoundError(AutogradvizError, RuntimeError):
    """Graphviz's ``dot`` program is missing."""


class LayoutError(AutogradvizError, RuntimeError):
    """``dot`` failed or ran out of time."""


def dot_path() -> str | None:
    """Return the path of the ``dot`` program, or ``None`` if it is not on ``PATH``."""
    return shutil.which("dot")


def run_dot(dot_text: str, fmt: str = "svg", timeout: float = LAYOUT_TIMEOUT_SECONDS) -> bytes:
    """Run ``dot -T<fmt>`` on ``dot_text`` and return its output.

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
        raise LayoutError(
            f"to_svg: Graphviz needed more than {timeout:.0f} s to lay out the graph; draw "
            "fewer nodes (max_nodes=50) or keep fold=True."
        ) from None
    if done.returncode != 0:
        raise LayoutError(f"to_svg: dot failed: {done.stderr.decode(errors='replace')[:500]}")
    return done.stdout


def svg_from_dot(dot_text: str, timeout: float = LAYOUT_TIMEOUT_SECONDS) -> str:
    """Return the SVG drawing of ``dot_text``, starting at ``<svg`` (no XML prolog)."""
    svg = run_dot(dot_text, "svg", timeout).decode("utf-8")
    return svg[svg.find("<svg") :]


def to_svg(graph: Any, **options: Any) -> str:
    """Return the SVG drawing of a graph (options as for ``to_dot``)."""
    from .dot import to_dot

    return svg_from_dot(to_dot(graph, **options))
