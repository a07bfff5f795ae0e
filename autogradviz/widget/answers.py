"""The teaching tools' answers as HTML: escaped text in small tables, for the canvas.

Every user string (variable names, Function class names) goes through ``html_escape``.
Imports ``render.dot`` and ``teach``'s result types.
"""

from __future__ import annotations

from ..render.dot import html_escape
from ..teach import Card, CheckResult, Diagnosis


def error_html(error: BaseException) -> str:
    """Return why a tool could not answer (a failed replay, the student's code raising)."""
    return f"<div>{html_escape(f'{type(error).__name__}: {error}')}</div>"


def check_html(result: CheckResult) -> str:
    """Return a check's verdict as HTML: the text form, coloured, the culprit named."""
    colour = "#2ca02c" if result.ok else "#d62728"
    lines = str(result).split("\n")
    head = f'<div style="color:{colour};font-weight:bold">{html_escape(lines[0])}</div>'
    rest = "".join(f"<div>{html_escape(line.strip())}</div>" for line in lines[1:])
    return f'<div class="agv-check-verdict">{head}{rest}</div>'


def why_html(diagnosis: Diagnosis) -> str:
    """Return a diagnosis as HTML: its verdict, then one line per reason."""
    lines = str(diagnosis).split("\n")
    items = "".join(f"<li>{html_escape(line.strip()[2:])}</li>" for line in lines[1:])
    return (f'<div class="agv-why"><b>{html_escape(lines[0])}</b>'
            f'{f"<ul>{items}</ul>" if items else ""}</div>')  # fmt: skip


def card_html(card: Card) -> str:
    """Return a chain-rule card as HTML: a table per input, and its Markdown to copy."""
    rows = []
    for part in card.parts:
        cells = [("rule", part.rule), ("numbers", part.numbers),
                 ("shapes", " → ".join(part.shapes))] + ([("sum", part.share)] if part.share
                                                         else [])  # fmt: skip
        body = "".join(f"<tr><td>{k}</td><td><code>{html_escape(v)}</code></td></tr>"
                       for k, v in cells)  # fmt: skip
        rows.append(f"<div><b>input {part.input}</b><table>{body}</table></div>")
    note = f"<div><i>{html_escape(card.note)}</i></div>" if card.note else ""
    title = f"{card.op} ({card.id}), output {card.output}; {card.l_is}"
    return (f'<div class="agv-card"><b>Chain rule: {html_escape(title)}</b>{"".join(rows)}'
            f"{note}<details><summary>Markdown with LaTeX, for a handout</summary>"
            f'<pre class="agv-card-markdown">{html_escape(card.markdown())}</pre></details>'
            "</div>")  # fmt: skip
