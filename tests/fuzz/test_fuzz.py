"""Differential fuzzing of autogradviz against numpy, and replay of saved regressions.

``make test`` runs a quick, derandomized profile; ``make fuzz`` sets ``AUTOGRADVIZ_FUZZ=long``
for thousands of programs (``AUTOGRADVIZ_FUZZ_EXAMPLES``, ``AUTOGRADVIZ_FUZZ_SEED``) and prints
the seed and the statistics. A failing program is shrunk by Hypothesis, saved to
``tests/fuzz/regressions/`` and replayed by ``test_fuzz_regression`` from then on.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, Phase, assume, given, note, seed, settings
from hypothesis.control import current_build_context

from .catalogue import BUILDERS, programs
from .oracle import OPS_SEEN, SHAPES_SEEN, STATS, RejectedError, check_program
from .program import describe, dumps, load_regressions, save_regression

LONG = os.environ.get("AUTOGRADVIZ_FUZZ") == "long"
MINUTES = float(os.environ.get("AUTOGRADVIZ_FUZZ_MINUTES") or "inf")  # long profile only
START = time.monotonic()
SEED = int(os.environ.get("AUTOGRADVIZ_FUZZ_SEED") or random.randrange(2**32))
_HEALTH = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
           HealthCheck.function_scoped_fixture]  # fmt: skip

if LONG:
    PROFILE = settings(
        max_examples=int(os.environ.get("AUTOGRADVIZ_FUZZ_EXAMPLES") or "5000"),
        deadline=None, print_blob=True, suppress_health_check=_HEALTH,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    )  # fmt: skip
else:  # the same programs on every run: CI stays deterministic
    PROFILE = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                       print_blob=True, suppress_health_check=_HEALTH)  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    start = time.perf_counter()
    yield
    if LONG:
        print(f"\nautogradviz fuzz: seed {SEED}, {time.perf_counter() - start:.0f} s")
        print(json.dumps({**STATS, "ops covered": len(OPS_SEEN), "ops": dict(OPS_SEEN),
                          "leaf shapes": len(SHAPES_SEEN)}, indent=1))  # fmt: skip
        missing = sorted(set(BUILDERS) - set(OPS_SEEN))
        print(f"ops never run: {missing or 'none'}")


def _is_final() -> bool:
    try:
        return current_build_context().is_final
    except Exception:  # no Hypothesis context (a plain call): treat it as final
        return True


def _run(program: dict) -> None:
    if LONG and not STATS["failures"] and time.monotonic() - START > 60 * MINUTES:
        pytest.skip(f"time budget of {MINUTES:g} minutes used: {STATS['programs']} programs")
    try:
        check_program(program)
    except RejectedError:
        STATS["rejected"] += 1
        assume(False)
    except Exception as error:
        STATS["failures"] += 1  # from now on, let Hypothesis finish shrinking
        if _is_final():
            path = save_regression(program, error)
            note(f"saved the program to {path}")
        note(describe(program))
        raise


@seed(SEED)
@PROFILE
@given(programs(max_steps=24 if LONG else 12))
def test_fuzz_programs(program: dict) -> None:
    _run(program)


@pytest.mark.parametrize("path", load_regressions(), ids=lambda path: path.stem)
def test_fuzz_regression(path) -> None:
    program = json.loads(path.read_text())["program"]
    try:
        check_program(program)
    except RejectedError as reason:
        pytest.fail(f"{path.name} is no longer a valid program: {reason}\n{describe(program)}")


def test_fuzz_program_format_roundtrips() -> None:
    program = {"dtype": "float64", "heads": [0], "head_grads": [None], "api": "backward",
               "twice": False, "second_order": True,
               "steps": [{"op": "leaf", "shape": [2], "values": [0.5, -1.0], "variable": True,
                          "grad_req": "write"}]}  # fmt: skip
    assert json.loads(dumps(program)) == program
    check_program(program)
