"""Run every benchmark once, side by side, and print the comparison table.

Usage: ``python benchmarks/run.py [--quick] [--only a,c] [--markdown PATH]`` (or ``make bench``).
Ratios are measured in the same run, so they mean more than the absolute times.
"""

from __future__ import annotations

import os

# Every library gets one thread (BLAS included), set before numpy is first imported.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `benchmarks` as a package

import numpy as np  # noqa: E402

import autogradviz  # noqa: E402
from benchmarks import (  # noqa: E402
    browser,
    chain,
    dag,
    mlp,
    op_costs,
    peers,
    rendering,
    seed_loop,
    timing,
    widget,
)
from benchmarks.report import LIBRARIES, Row, machine_text, markdown_table, text_table  # noqa: E402

# (letter, module, size arguments for a full run, for --quick, target)
SCENARIOS = [
    ("a", chain, {"n_ops": 1000}, {"n_ops": 200}, ("torch", 1.0)),
    ("b", mlp, {}, {}, ("numpy", 1.10)),
    ("b", mlp, {"loss": "log_softmax"}, {"loss": "log_softmax"}, ("numpy", 1.10)),
    ("b", mlp, {"loss": "softmax_log"}, {"loss": "softmax_log"}, ("numpy", 1.10)),
    ("c", dag, {"n_ops": 10_000}, {"n_ops": 1000}, ("torch", 1.0)),
    ("d", seed_loop, {}, {}, None),
]


def _steps(module: ModuleType, inputs: dict, libs: dict) -> dict:
    """Return each available library's step function for ``module`` (forward + backward)."""
    steps = {"numpy": module.numpy_step(inputs), "autogradviz": module.autogradviz_step(inputs)}
    for name, library in libs.items():
        if library is not None:
            steps[name] = getattr(module, f"{name}_step")(inputs, library)
    return steps


def _prepares(module: ModuleType, inputs: dict, libs: dict) -> dict:
    """Return each library's set-up function that records a graph and returns its backward."""
    prepares = {"numpy": lambda: module.numpy_prepare(inputs),
                "autogradviz": lambda: module.autogradviz_prepare(inputs)}  # fmt: skip
    for name, library in libs.items():
        if library is not None:
            prepare = getattr(module, f"{name}_prepare")
            prepares[name] = lambda prepare=prepare, library=library: prepare(inputs, library)
    return prepares


def _row(name: str, module: ModuleType, seconds: dict, inputs: dict, target: tuple | None) -> Row:
    scale = module.SCALE / module.units(inputs)
    per_unit = {lib: seconds[lib] * scale if lib in seconds else None for lib in LIBRARIES}
    return Row(name, module.UNIT, per_unit, target)


def run(letters: str, quick: bool, repeats: int, min_time: float) -> list[Row]:
    """Measure the chosen scenarios and return their table rows."""
    libs = {"torch": peers.load_torch(), "hips": peers.load_hips()}
    rows = []
    for letter, module, full_size, quick_size, target in SCENARIOS:
        if letter not in letters:
            continue
        print(f"running {module.NAME} ...", file=sys.stderr, flush=True)
        inputs = module.make_inputs(**(quick_size if quick else full_size))
        seconds = timing.measure(_steps(module, inputs, libs), repeats, min_time)
        size = f" [quick: {module.units(inputs)} ops]" if quick and letter in "ac" else ""
        rows.append(_row(inputs.get("name", module.NAME) + size, module, seconds, inputs,
                         target))  # fmt: skip
        if module is dag:
            seconds = timing.measure_prepared(_prepares(module, inputs, libs), repeats)
            rows.append(_row(dag.NAME_BACKWARD + size, module, seconds, inputs, target))
    return rows


def _versions() -> dict[str, str]:
    torch, hips = peers.load_torch(), peers.load_hips()
    return {"autogradviz": autogradviz.__version__, "numpy": np.__version__,
            "torch": peers.version(torch), "HIPS autograd": _hips_version(hips)}  # fmt: skip


def _hips_version(hips: ModuleType | None) -> str:
    if hips is None:
        return "not installed"
    from importlib.metadata import version

    return version("autograd")


def main(argv: list[str] | None = None) -> list[Row]:
    """Parse the command line, run, print the table and optionally write it as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 repeats (smoke run)")
    parser.add_argument("--only", default="abcdorwg",
                        help="scenarios, e.g. 'a,c' (o: each op's backward against its "
                             "forward, r: rendering, w: widget, g: the graph in a real "
                             "browser)")  # fmt: skip
    parser.add_argument("--repeats", type=int, help="timing rounds (default 7, quick 2)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    repeats = args.repeats or (2 if args.quick else 7)
    min_time = 0.005 if args.quick else 0.1
    rows = run(args.only.replace(",", ""), args.quick, repeats, min_time)
    settings = (f"best of {repeats} rounds, each >= {min_time * 1000:g} ms, libraries "
                f"interleaved; one thread everywhere (torch.set_num_threads(1), "
                f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']})"
                + ("; --quick sizes" if args.quick else ""))  # fmt: skip
    machine = machine_text(_versions(), settings)
    render_rows = rendering.run(repeats, min_time, args.quick) if "r" in args.only else []
    if "w" in args.only:
        render_rows += widget.run(repeats, min_time, args.quick)
    notes: list[str] = []
    if "g" in args.only:
        browser_rows, notes = browser.run(args.quick)
        render_rows += browser_rows
    op_table = op_costs.markdown(op_costs.run(repeats, min_time / 5)) if "o" in args.only else ""
    print(text_table(rows))
    if op_table:  # issue 12: no backward much dearer than its forward
        print(op_table)
    if render_rows:  # issues 3, 4 and 10: what seeing the graph costs
        print(rendering.table(render_rows))
    for note in notes:
        print(note)
    print(machine)
    if args.markdown:
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        lines = machine.replace("\n", "  \n")  # two spaces: a Markdown line break
        text = f"Run on {stamp}.\n\n{markdown_table(rows)}\n\n"
        text += f"{op_table}\n\n" if op_table else ""
        if render_rows:
            text += f"{rendering.markdown(render_rows)}\n\n"
        text += "".join(f"- {note}\n" for note in notes) + ("\n" if notes else "")
        text += f"{lines}\n"
        args.markdown.write_text(text, encoding="utf-8")
    return rows


if __name__ == "__main__":
    main()
