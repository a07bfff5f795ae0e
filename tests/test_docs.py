"""The Python examples in README.md and docs/*.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import autogradviz as mx

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _python_blocks(path: Path) -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    # IPython magics (%load_ext ...) are not Python; the rest of such a block still runs.
    return ["\n".join(line for line in block.splitlines() if not line.startswith("%"))
            for block in blocks]  # fmt: skip


EXAMPLES = [
    pytest.param(block, id=f"{path.name}-{i}")
    for path in DOCUMENTS
    for i, block in enumerate(_python_blocks(path))
]


@pytest.mark.parametrize("code", EXAMPLES)
def test_docs_example_runs(code, capsys):
    was_enabled = mx.capture.is_enabled()
    try:
        exec(compile(code, "<docs example>", "exec"), {"__name__": "__docs__"})
    finally:
        (mx.capture.enable if was_enabled else mx.capture.disable)()


def test_docs_quickstart_prints_the_seed_gradient(capsys):
    readme = _python_blocks(ROOT / "README.md")
    quickstart = next(block for block in readme if "print(x.grad)" in block)
    exec(compile(quickstart, "<quickstart>", "exec"), {})
    assert capsys.readouterr().out == "\n[[4.  8. ]\n [1.2 1.6]]\n<NDArray 2x2 @cpu(0)>\n"
