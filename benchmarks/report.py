"""The results table: times per unit for each library, ratios, and the issue's targets.

Pure formatting: it takes measured numbers and returns text (a console table or Markdown).
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field

LIBRARIES = ("numpy", "autogradviz", "torch", "hips")
HEADERS = ("numpy (floor)", "autogradviz", "PyTorch eager", "HIPS autograd")


@dataclass
class Row:
    """One scenario's result: seconds are already converted to ``unit``; None means n/a."""

    name: str
    unit: str
    times: dict[str, float | None]
    target: tuple[str, float] | None = None  # (peer library, the largest allowed ratio)
    notes: list[str] = field(default_factory=list)

    def ratio(self, peer: str) -> float | None:
        """autogradviz's time divided by ``peer``'s (lower is better for autogradviz)."""
        ours, theirs = self.times.get("autogradviz"), self.times.get(peer)
        return None if ours is None or not theirs else ours / theirs

    def target_text(self) -> str:
        """Say the target and whether it is met, e.g. "<= 1.00x torch: met"."""
        if self.target is None:
            return "none"
        peer, limit = self.target
        ratio = self.ratio(peer)
        verdict = "n/a" if ratio is None else ("MET" if ratio <= limit else "NOT met")
        return f"<= {limit:.2f}x {peer}: {verdict}"


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}" if value < 1000 else f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _cells(row: Row) -> list[str]:
    times = [_number(row.times.get(lib)) for lib in LIBRARIES]
    ratios = [_ratio(row.ratio("torch")), _ratio(row.ratio("numpy"))]
    return [row.name, row.unit, *times, *ratios, row.target_text()]


_COLUMNS = ["scenario", "unit", *HEADERS, "agv/torch", "agv/numpy", "target"]


def text_table(rows: list[Row]) -> str:
    """Return the table aligned for a terminal."""
    lines = [_COLUMNS, *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(_COLUMNS))]
    out = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    ]
    out.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(out)


def markdown_table(rows: list[Row]) -> str:
    """Return the table as GitHub Markdown."""
    lines = ["| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * len(_COLUMNS)]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def machine_text(versions: dict[str, str], settings: str) -> str:
    """Describe the machine, the library versions and the run's settings in a few lines."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            names = [
                line.split(":", 1)[1].strip() for line in file if line.startswith("model name")
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    libraries = ", ".join(f"{name} {version}" for name, version in versions.items())
    return (
        f"Machine: {cpu}, {os.cpu_count()} logical cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}.\n"
        f"Libraries: {libraries}.\n"
        f"Settings: {settings}."
    )
