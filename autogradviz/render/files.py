"""Saving a graph to a file by extension, and the notebook display bundle.

``.svg``, ``.png`` (needs a system ``dot``), ``.dot``, ``.txt`` and ``.html`` (self-contained:
the SVG inlined, no script). Imports the standard library and the other renderers.
"""

from __future__ import annotations

import os
from typing import Any

from ..atomic import write_whole
from .dot import html_escape, to_dot
from .svg import DotNotFoundError, LayoutError, run_dot, svg_from_dot
from .text import to_text

_HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>body{{font-family:sans-serif;margin:1em}} pre{{font-size:12px}}</style></head>
<body><h1>{title}</h1>
{svg}
<details><summary>Text listing</summary><pre>{text}</pre></details>
</body></html>
"""


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
        ".html": lambda: _html(graph, options),
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


def _html(graph: Any, options: dict) -> str:
    svg = svg_from_dot(to_dot(graph, **options))
    return _HTML_PAGE.format(
        title="autogradviz graph", svg=svg, text=html_escape(to_text(graph, **options))
    )


def mimebundle(graph: Any, **options: Any) -> dict[str, str]:
    """Return ``image/svg+xml`` and ``text/plain`` (text only if the layout fails)."""
    bundle = {"text/plain": to_text(graph, **options)}
    try:
        bundle["image/svg+xml"] = svg_from_dot(to_dot(graph, **options))
    except (DotNotFoundError, LayoutError) as error:
        bundle["text/plain"] += f"\n({str(error).splitlines()[0]})"
    return bundle
