"""The extension in a real kernel, headless: nbclient runs the seed notebook.

Every cell that calls ``backward()`` must show exactly one widget view, with a static
``image/svg+xml`` of the graph in the same output bundle (what GitHub, nbviewer and nbconvert
show), and the widget state must be saved in the notebook's metadata.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
from seed_notebook import (  # noqa: E402
    SEED_CELLS,
    assert_static_copy,
    html_image_svg,
    seed_notebook,
    views_and_static_copies,
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# Three backward calls in one cell still give one widget, updated in place.
LOOP_CELL = (
    "for _ in range(3):\n"
    "    with autograd.record():\n"
    "        g = (x * x).sum()\n"
    "    g.backward()\n"
    "x.grad"
)


def _views(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [out for out in cell.outputs if WIDGET_VIEW in out.get("data", {})]


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    workdir: Path = tmp_path_factory.mktemp("seed")
    nb = seed_notebook([*SEED_CELLS, LOOP_CELL])
    client = nbclient.NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(workdir)}},
    )
    client.execute()  # raises CellExecutionError if a cell raises
    nbformat.validate(nb)
    return nb


def test_one_widget_view_per_backward_cell(executed: nbformat.NotebookNode) -> None:
    for index, cell in enumerate(executed.cells):
        views = _views(cell)
        if "backward(" in cell.source:
            assert len(views) == 1, f"cell {index}: {len(views)} widget views, expected 1"
        else:
            assert views == [], f"cell {index} (no backward) shows a widget"


def test_static_copy_is_the_output_after_the_view(executed: nbformat.NotebookNode) -> None:
    pairs = [pair for cell in executed.cells for pair in views_and_static_copies(cell)]
    assert len(pairs) == 2
    for view, static in pairs:
        assert "image/svg+xml" not in view  # the picture is in the copy only
        assert_static_copy(static)


def test_kernel_has_no_dot_on_path() -> None:
    # The kernel inherits the test session's PATH, from which tests/conftest.py removed dot.
    probe = seed_notebook(["import shutil\nprint(shutil.which('dot'))"])
    nbclient.NotebookClient(probe, timeout=60, kernel_name="python3").execute()
    assert probe.cells[0].outputs[0]["text"] == "None\n"


def test_widget_state_saved_in_metadata(executed: nbformat.NotebookNode) -> None:
    state = executed.metadata["widgets"][WIDGET_STATE]["state"]
    for cell in executed.cells:
        for bundle in _views(cell):
            model_id = bundle["data"][WIDGET_VIEW]["model_id"]
            assert model_id in state, f"view {model_id} has no saved state"


def test_seed_gradient_unchanged_by_the_extension(executed: nbformat.NotebookNode) -> None:
    # the loop cell's result: x.grad of sum(x * x) is 2x, whatever the widget did
    result = executed.cells[-1].outputs[-1]["data"]["text/plain"]
    assert "2." in result and "8." in result, result


def test_graphviz_bundle_is_saved_once_however_many_widgets(tmp_path: Path) -> None:
    cells = [*SEED_CELLS[:3]]
    cells += [f"with autograd.record():\n    z = (x * {k}).sum()\nz.backward()" for k in range(5)]
    nb = seed_notebook(cells)
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    views = [view for cell in nb.cells for view, _ in views_and_static_copies(cell)]
    assert len(views) == 5
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    runtimes = [m for m in state.values() if "worker" in m["state"]]
    assert len(runtimes) == 1  # one shared runtime for the five canvases
    bundle = len(runtimes[0]["state"]["worker"])
    path = tmp_path / "five.ipynb"
    nbformat.write(nb, path)
    # the bundle once, then under 100 kB a graph (its widgets' state and its static copy)
    assert path.stat().st_size < bundle + 5 * 100_000, (path.stat().st_size, bundle)


# How viewers without a kernel choose what to show: the first mimetype they know.
VIEWER_PRIORITIES = {
    "nbconvert HTML": None,  # nbconvert's own list, read below
    "GitHub-like (images first)": ["image/svg+xml", "image/png", "text/html", "text/plain"],
    "nbviewer-like (HTML first)": ["text/html", "image/svg+xml", "image/png", "text/plain"],
    # JupyterLab on an untrusted notebook: only "safe" renderers (sanitized HTML, text)
    "JupyterLab, untrusted": ["text/html", "text/plain"],
}


@pytest.mark.parametrize("viewer", list(VIEWER_PRIORITIES))
def test_static_viewers_pick_the_svg(executed: nbformat.NotebookNode, viewer: str) -> None:
    priority = VIEWER_PRIORITIES[viewer]
    if priority is None:
        from nbconvert import HTMLExporter

        configured = HTMLExporter().default_config["NbConvertBase"]["display_data_priority"]
        priority = [m for m in configured if m != WIDGET_VIEW]
    for cell in executed.cells:
        for view, static in views_and_static_copies(cell):
            chosen = next(static[m] for m in priority if m in static)
            svg = html_image_svg(chosen) if chosen.startswith("<div") else chosen
            assert svg.startswith("<svg") and "grad [[" in svg  # a picture with its gradients
            shown_for_view = next((view[m] for m in priority if m in view), "")
            assert "<svg" not in shown_for_view  # the picture appears once
