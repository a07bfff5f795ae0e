"""The teaching notebooks run top to bottom, fast, with their key results asserted.

Each notebook in ``notebooks/`` is executed once with nbclient on the plain ``python3`` kernel
(the notebooks load the extension themselves with ``%load_ext autogradviz``). After the last
cell, the test appends a *probe* cell that prints chosen variables as JSON, so the assertions
below read the notebook's own results rather than re-computing them. The notebook files are
never written: they stay committed without outputs.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")
from seed_notebook import assert_static_copy, views_and_static_copies  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = [
    "01-autograd",
    "02-computational-graphs",
    "03-control-flow",
    "04-head-gradients-and-grad-req",
    "05-linear-regression-from-scratch",
    "06-mlp-from-scratch",
    "07-higher-order-and-custom-functions",
    "08-debugging-gradients",
    "09-from-scratch-to-gluon",
]
MAX_SECONDS = 60  # per notebook, kernel start included; each takes a few seconds here
PROBE_MARK = "PROBE:"

# What each notebook's probe cell reports: name -> Python expression evaluated in the kernel.
PROBES: dict[str, dict[str, str]] = {
    "01-autograd": {
        "a_grad": "a.grad.asnumpy().tolist()",
        "k_times_head": "(k * gradients.asnumpy()).tolist()",
    },
    "02-computational-graphs": {"fan_out_parts": "[float(p[0]) for p in parts]"},
    "03-control-flow": {
        "nodes": "[nodes_small, nodes_large]",
        "steps": "[steps, steps_large]",
    },
    "04-head-gradients-and-grad-req": {"exercise_3_grad": "x.grad.asnumpy().tolist()"},
    "05-linear-regression-from-scratch": {
        "losses": "[float(v) for v in losses]",
        "w_error": "float(w_error)",
        "variables_after_mistake": "variables",
    },
    "06-mlp-from-scratch": {
        "accuracy": "float(final_accuracy)",
        "loss": "[float(history['loss'][0]), float(history['loss'][-1])]",
    },
    "07-higher-order-and-custom-functions": {
        "second_derivative_x4_at_2": "float(second_derivative)",
    },
    "09-from-scratch-to-gluon": {
        "max_relative_difference": "max_relative_difference",
        "accuracy": "float(final_accuracy)",
        "same_outputs": "same_outputs",
        "names": "list(net.collect_params().keys())",
    },
    "08-debugging-gradients": {
        "first_nonfinite": "first.name",
        "sigmoid_input_grad": "float(sigmoid_input_grad)",
        "relu_input_grad": "float(relu_input_grad)",
        "check_message": "message",
    },
}


def _probe_source(lesson: str) -> str:
    items = ", ".join(f"{name!r}: {expr}" for name, expr in PROBES[lesson].items())
    return f"import json as _json\nprint({PROBE_MARK!r} + _json.dumps({{{items}}}))"


class Run:
    """One executed notebook: its cells, the probe's values and the wall time."""

    def __init__(self, nb: Any, seconds: float) -> None:
        self.nb = nb
        self.seconds = seconds
        probe = self.stdout(nb.cells[-1])
        self.probe = json.loads(probe.split(PROBE_MARK, 1)[1])

    @staticmethod
    def stdout(cell: Any) -> str:
        return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")

    def cell(self, source_fragment: str) -> Any:
        """The first code cell whose source contains ``source_fragment``."""
        for cell in self.nb.cells:
            if cell.cell_type == "code" and source_fragment in cell.source:
                return cell
        raise AssertionError(f"no code cell contains {source_fragment!r}")


_RUNS: dict[str, Run | Exception] = {}


@pytest.fixture(params=LESSONS)
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _execute(request.param, tmp_path_factory)


def _execute(lesson: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Execute a notebook once per test session (several tests read the same run)."""
    if lesson not in _RUNS:
        nb = nbformat.read(NOTEBOOKS / f"{lesson}.ipynb", as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(_probe_source(lesson)))
        workdir = tmp_path_factory.mktemp(lesson[:2])  # the notebooks write no files
        client = nbclient.NotebookClient(
            nb, timeout=MAX_SECONDS, kernel_name="python3",
            resources={"metadata": {"path": str(workdir)}},
        )  # fmt: skip
        start = time.perf_counter()
        try:
            client.execute()  # raises CellExecutionError, with the traceback, if a cell fails
            _RUNS[lesson] = Run(nb, time.perf_counter() - start)
        except Exception as error:  # remembered, so a broken notebook runs only once
            _RUNS[lesson] = error
    result = _RUNS[lesson]
    if isinstance(result, Exception):
        raise result
    return result


def lesson_run(lesson: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _execute(lesson, tmp_path_factory)


# --------------------------------------------------------------------------- every notebook


def test_notebooks_listed_are_the_notebooks_on_disk() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == LESSONS


@pytest.mark.parametrize("lesson", LESSONS)
def test_notebook_committed_without_outputs(lesson: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{lesson}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code[0].source.strip() == "%load_ext autogradviz", "the first code cell loads it"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert "widgets" not in nb.metadata, "saved widget state: clear the outputs"


def test_notebook_runs_fast_without_errors(run: Run) -> None:
    # An error would already have failed the fixture; stderr must be empty (no numpy warning
    # pointing into the library, see ops/floats.py).
    assert run.seconds < MAX_SECONDS
    for cell in run.nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source
            if output.get("name") == "stderr":
                text = re.sub(r"\[IPKernelApp\] WARNING \| Kernel is running over TCP.*\n?", "",
                              output.text)  # fmt: skip
                assert text.strip() == "", text


# A cell that runs a backward pass of its own: `.backward(` or `autograd.grad(` (not the
# `def backward(` of a custom Function, whose cell may only run check_grads).
CALLS_BACKWARD = re.compile(r"\.backward\(|autograd\.grad\(")


def test_every_backward_cell_shows_one_widget_and_its_static_copy(run: Run) -> None:
    for cell in run.nb.cells:
        if cell.cell_type != "code" or not CALLS_BACKWARD.search(cell.source):
            continue  # (a cell that only runs check_grads draws nothing: its passes are checks)
        if "capture.muted()" in cell.source:
            continue  # an exercise's check: it draws nothing (tested above)
        pairs = views_and_static_copies(cell)
        assert len(pairs) == 1, f"{len(pairs)} widget views under {cell.source[:80]!r}"
        assert_static_copy(pairs[0][1])


def _checks(nb: Any) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code" and "Correct!" in c.source]


def test_exercise_checks_say_not_answered_yet_on_run_all(run: Run) -> None:
    # Run All answers nothing: no check may say "Correct!" for an exercise nobody answered
    checks = _checks(run.nb)
    assert checks, "every lesson has at least one self-checking exercise"
    for cell in checks:
        text = run.stdout(cell)
        assert "Not answered yet" in text and "Correct!" not in text, (cell.source, text)
        assert "folded cell" in text  # and where the solution is


def test_exercise_checks_draw_no_graph(run: Run) -> None:
    # a check's own pass would show the solution's graph above the verdict
    for cell in _checks(run.nb):
        assert views_and_static_copies(cell) == [], cell.source[:80]


@pytest.mark.parametrize("lesson", LESSONS)
def test_exercise_solution_cells_show_no_answer_first_and_do_nothing(lesson: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{lesson}.ipynb", as_version=4)
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) == len(_checks(nb))
    for cell in solutions:
        assert cell.metadata["jupyter"]["source_hidden"] is True
        lines = cell.source.splitlines()
        assert lines[0] == "# Solution: open it once you have tried the exercise."
        assert all(line.startswith("#") for line in lines), "the solution cell runs nothing"
        assert "# The answer:" in lines


def _answered(nb: Any) -> Any:
    """The notebook with each exercise's answer cell replaced by its solution's answer."""
    cells = nb.cells
    for k, cell in enumerate(cells):
        if "solution" in cell.metadata.get("tags", []):
            lines = cell.source.splitlines()
            answer = lines[lines.index("# The answer:") + 1 :]
            cells[k - 1].source = "\n".join(line[2:] for line in answer)
    return nb


@pytest.mark.parametrize("lesson", LESSONS)
def test_exercise_solutions_pass_their_checks(lesson: str, tmp_path: Path) -> None:
    nb = _answered(nbformat.read(NOTEBOOKS / f"{lesson}.ipynb", as_version=4))
    nbclient.NotebookClient(nb, timeout=MAX_SECONDS, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    for cell in _checks(nb):
        assert "Correct!" in Run.stdout(cell), (cell.source, cell.outputs)


# --------------------------------------------------------------------------- key results


def test_01_seed_gradient_printed_as_mxnet_does(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = lesson_run("01-autograd", tmp_path_factory)
    assert run.cell("print(x.grad)").source == "print(x.grad)"
    assert run.stdout(run.cell("print(x.grad)")) == (
        "\n[[4.  8. ]\n [1.2 1.6]]\n<NDArray 2x2 @cpu(0)>\n"
    )
    # the last seed cell shows a.grad (not x.grad): k * head gradient for the random a
    last = run.cell("a.grad")
    assert last.source == "a.grad" and last.outputs[0]["output_type"] == "execute_result"
    assert run.probe["a_grad"] == pytest.approx(run.probe["k_times_head"], rel=1e-4)


def test_01_seed_code_unchanged_apart_from_the_import(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    run = lesson_run("01-autograd", tmp_path_factory)
    sources = [c.source for c in run.nb.cells if c.cell_type == "code"]
    assert "import autogradviz as mx\nimport autogradviz.ndarray as nd\n" in sources[1]
    for seed_line in (
        "with autograd.record():\n  y = x * 2\n  f = y * x",
        "gradients = nd.array([[1.,1.],[.1,.1]])\nf.backward(gradients)",
        "    else :\n        c = 100 * b",
        "gradients = nd.array([0.1,1.0,.0001])\nc.backward(gradients)",
    ):
        assert any(seed_line in source for source in sources), seed_line


def test_02_fan_out_gradients_add_up(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = lesson_run("02-computational-graphs", tmp_path_factory)
    assert "x.grad = \n[7.]\n<NDArray 1 @cpu(0)>" in run.stdout(run.cell("y = x * x + x"))
    assert sorted(run.probe["fan_out_parts"]) == [1.0, 3.0, 3.0]  # 2x + 1 at x = 3


def test_03_graph_differs_per_input(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = lesson_run("03-control-flow", tmp_path_factory)
    nodes_small, nodes_large = run.probe["nodes"]
    steps_small, steps_large = run.probe["steps"]
    assert nodes_small > nodes_large and steps_small > steps_large


def test_04_grad_req_and_cuts(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = lesson_run("04-head-gradients-and-grad-req", tmp_path_factory)
    text = run.stdout(run.cell('for req in ("write", "add")'))
    assert "grad_req='write'  w.grad after 3 passes: [2. 4.]" in text
    assert "grad_req='add'    w.grad after 3 passes: [ 6. 12.]" in text
    assert "retain_graph=True" in run.stdout(run.cell("except mx.AutogradvizError"))
    assert "x.grad = [1. 4. 9.]" in run.stdout(run.cell("v = u.detach()"))
    assert "x.grad = [10. 40. 90.]" in run.stdout(run.cell("with autograd.pause():"))
    assert run.probe["exercise_3_grad"] == [2.0, 3.0, 4.0]  # x * x.detach() + x


def test_05_loss_decreases_and_the_rebinding_mistake_is_shown(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    run = lesson_run("05-linear-regression-from-scratch", tmp_path_factory)
    losses = run.probe["losses"]
    assert all(later < earlier for earlier, later in zip(losses, losses[1:], strict=False))
    assert losses[-1] < 1e-3 and run.probe["w_error"] < 0.05
    mistake = run.stdout(run.cell("the mistake: a new array"))
    assert "step 0: backward worked" in mistake
    assert "step 1: GraphError" in mistake and "not in a computational graph" in mistake
    assert run.probe["variables_after_mistake"] == ["b"]  # w is no longer a variable


def test_06_mlp_learns_the_spirals(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = lesson_run("06-mlp-from-scratch", tmp_path_factory)
    assert run.probe["accuracy"] > 0.9
    first, last = run.probe["loss"]
    assert last < first / 10
    plots = [
        o for c in run.nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert len(plots) == 3  # data, loss + gradient norms, decision boundary


def test_07_second_derivative(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = lesson_run("07-higher-order-and-custom-functions", tmp_path_factory)
    assert "d²y/dx² = [ 6. 12. 18.]" in run.stdout(run.cell("create_graph=True)\ndy_dx"))
    assert run.probe["second_derivative_x4_at_2"] == 48.0


def test_08_debugging_tools(tmp_path_factory: pytest.TempPathFactory) -> None:
    run = lesson_run("08-debugging-gradients", tmp_path_factory)
    assert run.probe["first_nonfinite"] == "logs"
    assert run.probe["sigmoid_input_grad"] < 0.25**10 and run.probe["relu_input_grad"] == 1.0
    message = run.probe["check_message"]
    assert message.startswith("check_grads: gradient of input 0") and "BadSigmoid" in message


def test_09_gluon_gives_the_scratch_gradients_and_learns(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    run = lesson_run("09-from-scratch-to-gluon", tmp_path_factory)
    assert run.probe["max_relative_difference"] < 1e-5  # float32 rounding, nothing more
    assert run.probe["accuracy"] > 0.9 and run.probe["same_outputs"] is True
    assert run.probe["names"][0] == "sequential0_dense0_weight"  # MXNet's naming
    assert "Dense(None -> 32, Activation(relu))" in run.stdout(run.cell("print(net)"))
