"""Profile autogradviz alone on one scenario, to find where its time goes.

Usage: ``python benchmarks/profile_engine.py a|b|c|d [--calls N] [--sort tottime|cumtime]``.
Prints cProfile's top functions for ``N`` forward + backward steps. (Not named
``profile.py``: that would shadow the standard library module cProfile imports.)
"""

from __future__ import annotations

import os

# One BLAS thread, as in run.py (set before numpy is first imported).
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `benchmarks` as a package

from benchmarks import chain, dag, mlp, seed_loop  # noqa: E402

MODULES = {"a": chain, "b": mlp, "c": dag, "d": seed_loop}
DEFAULT_CALLS = {"a": 50, "b": 50, "c": 5, "d": 2000}


def main(argv: list[str] | None = None) -> None:
    """Run the chosen scenario's autogradviz step under cProfile and print the hot spots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=sorted(MODULES))
    parser.add_argument("--calls", type=int, help="how many steps to profile")
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumtime"))
    parser.add_argument("--top", type=int, default=30, help="how many functions to print")
    args = parser.parse_args(argv)
    module = MODULES[args.scenario]
    step = module.autogradviz_step(module.make_inputs())
    step()  # warm up: lazy imports and first-call caches are not what we want to see
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.calls or DEFAULT_CALLS[args.scenario]):
        step()
    profiler.disable()
    pstats.Stats(profiler).strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
