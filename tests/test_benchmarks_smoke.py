"""Smoke test of the benchmarks: each autogradviz scenario runs at a tiny size and its
gradients agree with the hand-written numpy floor. Correctness only, never timing; the peer
libraries (PyTorch, HIPS autograd) are not test dependencies and are not used here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `benchmarks` as a package

from benchmarks import chain, dag, mlp, seed_loop  # noqa: E402

TINY_SIZES = [
    (chain, {"n_ops": 40}),
    (mlp, {"sizes": (12, 8, 8, 4), "batch": 6}),
    (mlp, {"sizes": (12, 8, 8, 4), "batch": 6, "loss": "log_softmax"}),
    (mlp, {"sizes": (12, 8, 8, 4), "batch": 6, "loss": "softmax_log"}),
    (dag, {"n_ops": 300}),
    (seed_loop, {"seed": 0}),
    (seed_loop, {"seed": 3}),  # a draw that takes the other branch (c = 100 * b)
]


def _as_list(result: object) -> list:
    return list(result) if isinstance(result, (tuple, list)) else [result]


@pytest.mark.parametrize(("module", "size"), TINY_SIZES, ids=lambda v: getattr(v, "__name__", ""))
def test_benchmarks_autogradviz_matches_numpy_floor(module: object, size: dict) -> None:
    inputs = module.make_inputs(**size)
    expected = _as_list(module.numpy_step(inputs)())
    got = _as_list(module.autogradviz_step(inputs)())
    assert len(got) == len(expected)
    for index, (ours, floor) in enumerate(zip(got, expected, strict=True)):
        ours, floor = np.asarray(ours, dtype=np.float64), np.asarray(floor, dtype=np.float64)
        assert ours.size == floor.size, f"output {index}: shapes {ours.shape} vs {floor.shape}"
        scale = max(float(np.max(np.abs(floor))), 1e-6)
        error = float(np.max(np.abs(ours.reshape(floor.shape) - floor))) / scale
        assert error < 1e-4, f"output {index}: relative error {error:.2e}"


def test_benchmarks_seed_loop_sizes_cover_both_branches() -> None:
    # b is a positive multiple of a, so the branch follows the sign of sum(a).
    signs = {bool(seed_loop.make_inputs(seed)["a"].sum() > 0) for seed in (0, 3)}
    assert signs == {True, False}


def test_benchmarks_dag_backward_only_matches_numpy_floor() -> None:
    inputs = dag.make_inputs(n_ops=200, seed=1)
    floor = dag.numpy_prepare(inputs)()
    ours = dag.autogradviz_prepare(inputs)()
    np.testing.assert_allclose(np.concatenate([np.asarray(g) for g in ours]),
                               np.concatenate(floor), rtol=1e-4, atol=1e-6)  # fmt: skip


def test_benchmarks_run_shows_na_without_peers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(variable, raising=False)  # run.py sets them; undo that afterwards
    from benchmarks import peers, run

    monkeypatch.setattr(peers, "load_torch", lambda: None)
    monkeypatch.setattr(peers, "load_hips", lambda: None)
    table = tmp_path / "table.md"
    rows = run.main(["--quick", "--only", "d", "--repeats", "1", "--markdown", str(table)])
    assert [row.times["torch"] for row in rows] == [None]
    assert "| n/a | n/a |" in table.read_text(encoding="utf-8")


def test_benchmarks_op_costs_cover_every_differentiable_op() -> None:
    from autogradviz.ops import OPS
    from benchmarks import op_costs

    rows = op_costs.run(repeats=1, min_time=1e-4)
    differentiable = {op.name for op in OPS.values() if any(rule for rule in op.vjps)}
    assert sorted(name for name, _, _ in rows) == sorted(differentiable)  # each op once
    assert len(rows) > 60 and all(forward > 0 and backward > 0 for _, forward, backward in rows)
    table = op_costs.markdown(rows)
    assert table.count("\n") == len(rows) + 1 and "| dot |" in table
