"""Property tests for edges the program fuzzer cannot reach (issue 12).

- float16 reductions of up to 150,000 elements: they accumulate in float32 (as MXNet's do),
  so the result is float16's rounding of the exact sum, and a mean's gradient is never 0.
- Hostile objects in the notebook's namespace and in a training function's locals while the
  extension draws every backward: whatever their hooks raise, none is ever called (so none
  can break the student's cell), and the picture is still made.

Quick and derandomized in ``make test``; ``make fuzz`` runs many more examples.
"""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autogradviz import autograd, nd
from autogradviz.ops.floats import hide_numpy_float_warnings

from .test_fuzz import LONG

EXAMPLES = settings(max_examples=400 if LONG else 25, deadline=None, derandomize=not LONG,
                    database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                          HealthCheck.too_slow])  # fmt: skip


@EXAMPLES
@given(
    size=st.integers(1, 150_000),
    low=st.floats(-2.0, 1.0),
    width=st.floats(0.01, 3.0),
    op=st.sampled_from(["sum", "mean", "nansum", "norm"]),
    seed=st.integers(0, 2**16),
)
def test_fuzz_float16_reductions_accumulate_in_float32(size, low, width, op, seed):
    values = np.random.default_rng(seed).uniform(low, low + width, size).astype(np.float16)
    exact = values.astype(np.float64)
    expected = {"sum": exact.sum(), "nansum": exact.sum(), "mean": exact.mean(),
                "norm": np.sqrt((exact * exact).sum())}[op]  # fmt: skip
    x = nd.array(values, dtype="float16")
    x.attach_grad()
    with warnings.catch_warnings(), autograd.record():  # as outside pytest: a sum past
        hide_numpy_float_warnings()  # 65504 gives inf without a word, as in MXNet
        out = getattr(nd, op)(x)
    assert out.dtype == np.float16
    got = float(out.asnumpy()[0])
    if abs(expected) > 60_000:  # beyond float16's range: inf, as in MXNet
        assert np.isinf(got) or abs(got - expected) <= 64
        return
    spacing = float(np.spacing(np.float16(abs(expected)))) if expected else 2e-7
    assert abs(got - expected) <= 2 * spacing + 1e-7, (op, size, got, expected)
    if op == "mean":
        out.backward()
        assert np.all(x.grad.asnumpy() == np.float16(1.0 / size)) and x.grad.asnumpy()[0] > 0


HOOKS = ["__getattr__", "__getattribute__", "__eq__", "__hash__", "__bool__", "__len__",
         "__iter__", "__repr__", "meta __getattr__", "meta __getattribute__"]  # fmt: skip
ERRORS = [KeyError, RuntimeError, ValueError, TypeError, AttributeError, RecursionError,
          SystemExit]  # fmt: skip


def _hostile_object(hooks: list[str], error: type[BaseException], calls: list) -> object:
    """An object whose chosen hooks record that they ran, then raise ``error``."""

    def hook(name: str):  # noqa: ANN202
        def raising(*args, **kwargs):  # noqa: ANN202
            calls.append(name)
            raise error(name)

        return raising

    meta_hooks = {h.split()[1]: hook(h) for h in hooks if h.startswith("meta ")}
    meta = type("Meta", (type,), meta_hooks)
    own = {h: hook(h) for h in hooks if not h.startswith("meta ")}
    return meta("Hostile", (), own)()


@EXAMPLES
@given(
    hooks=st.lists(st.sampled_from(HOOKS), min_size=1, unique=True),
    error=st.sampled_from(ERRORS),
    inside=st.booleans(),
)
def test_fuzz_hostile_objects_are_never_asked_while_the_extension_draws(
    jupyter_shell, hooks, error, inside
):
    calls: list = []
    hostile = _hostile_object(hooks, error, calls)
    shell = jupyter_shell
    shell.user_ns.update(hostile=hostile, helper=[hostile], np=np)
    cell = (
        "w = nd.array([1.0, -2.0]); w.attach_grad()\n"
        "def step(w, hostile):\n"
        "    local = hostile\n"
        "    with autograd.record():\n"
        "        loss = (w * w).sum()\n"
        "    loss.backward()\n"
        "    return loss\n"
        + (
            "loss = step(w, hostile)\n"
            if inside
            else "with autograd.record():\n    loss = (w * w).sum()\nloss.backward()\n"
        )
    )
    result = shell.run_cell(cell)
    assert result.success, result.error_in_exec
    assert calls == [], f"autogradviz called the user's {calls}"
    assert w_grad(shell) == [2.0, -4.0]
    from autogradviz.jupyter import extension

    assert extension._session.view is not None and extension._session.view.graph is not None


def w_grad(shell) -> list:
    return shell.user_ns["w"].grad.asnumpy().tolist()
