"""Saving a graph to a file by extension, and the notebook display bundle.

``.svg``, ``.png`` (needs a system ``dot``), ``.dot``, ``.txt`` and ``.html`` (the handout of
``handout``: one self-contained page with the backward stepper and the chain-rule cards, the
text listing at its end). Imports the standard library and the other renderers.
"""

from __future__ import annotations

import os
from typing import Any

from ..atomic import write_whole
from .dot import to_dot
from .handout import to_handout
from .svg import DotNotFoundError, LayoutError, run_dot, svg_from_dot
from .text import to_text


def save(graph: Any, path: str | os.PathLike, **options: Any) -> str:
    """Write ``graph`` to ``path`` in the format its extension names; return the path.

    Raises
    ------
    ValueError
        For an extension other than .svg, .png, .dot, .txt or .html.
    """
    path = os.fspath(path)
    extension = os.path.splitext(path)[1].lower()
    if extension == ".png":
        write_whole(path, _png(to_dot(graph, **options)))
        return path
    writers = {
        ".svg": lambda: svg_from_dot(to_dot(graph, **options)),
        ".dot": lambda: to_dot(graph, **options),
        ".txt": lambda: to_text(graph, **options) + "\n",
        ".html": lambda: to_handout(graph, **options),
    }
    if extension not in writers:
        raise ValueError(
            f"save: unknown file extension {extension!r} in {path!r}; use .svg, .png, .dot, "
            ".txt or .html."
        )
    write_whole(path, writers[extension]().encode("utf-8"))
    return path


def _png(dot_text: str) -> bytes:
    """PNG needs the system ``dot``: the embedded (WebAssembly) Graphviz draws only SVG."""
    try:
        return run_dot(dot_text, "png")
    except DotNotFoundError as error:
        raise DotNotFoundError(
            "save: .png files need Graphviz's dot program, which the embedded Graphviz "
            f"cannot replace (save as .svg instead, which needs nothing). {error}"
        ) from None


def mimebundle(graph: Any, **options: Any) -> dict[str, str]:
    """Return ``image/svg+xml`` and ``text/plain`` (text only if the layout fails)."""
    bundle = {"text/plain": to_text(graph, **options)}
    try:
        bundle["image/svg+xml"] = svg_from_dot(to_dot(graph, **options))
    except (DotNotFoundError, LayoutError) as error:
        bundle["text/plain"] += f"\n({str(error).splitlines()[0]})"
    return bundle
