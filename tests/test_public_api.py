"""The public spellings keep working after the code moved into folders (issue 9).

Each alias is the defining object itself (not a copy), so state and monkeypatching agree.
"""

from __future__ import annotations

import subprocess
import sys

import autogradviz as mx
import autogradviz.capture
import autogradviz.engine.backward
import autogradviz.graph.capture
import autogradviz.jupyter.kernel_command
import autogradviz.jupyter.kernelspec
import autogradviz.kernel
from autogradviz import autograd, nd


def test_public_api_mxnet_namespaces():
    assert autograd.backward is autogradviz.engine.backward.backward
    assert autograd.grad is autogradviz.engine.backward.grad
    assert mx.nd is autogradviz.nd and mx.ndarray.NDArray is nd.NDArray
    assert mx.random.seed is nd.random.seed
    for name in autograd.__all__:
        assert getattr(autograd, name) is not None, name


def test_public_api_graph_functions_and_capture_alias():
    assert mx.graph_of is autogradviz.graph.graph_of
    assert mx.last_graph is autogradviz.graph.last_graph
    assert mx.Graph is autogradviz.graph.model.Graph
    assert mx.capture is autogradviz.capture
    for name in ("enable", "disable", "is_enabled", "last", "clear"):
        assert getattr(mx.capture, name) is getattr(autogradviz.graph.capture, name), name


def test_public_api_capture_alias_drives_the_real_capture(without_capture):
    mx.capture.enable()
    try:
        x = nd.array([1.0, 2.0])
        x.attach_grad()
        with autograd.record():
            y = (x * x).sum()
        y.backward()
        assert autogradviz.graph.capture.is_enabled()
        graph = mx.last_graph()
        assert [node.op for node in graph.nodes] == ["variable", "multiply", "sum"]
        assert graph.node("x").grad.tolist() == [2.0, 4.0]
    finally:
        mx.capture.disable()
    assert not autogradviz.graph.capture.is_enabled()


def test_public_api_testing_and_errors():
    assert callable(mx.testing.check_grads)
    assert mx.MXNetError is mx.AutogradvizError is autogradviz.errors.AutogradvizError


def test_public_api_kernel_alias_is_the_jupyter_code():
    assert autogradviz.kernel.install is autogradviz.jupyter.kernelspec.install
    assert autogradviz.kernel.main is autogradviz.jupyter.kernel_command.main
    assert autogradviz.kernel.kernel_json()["argv"][-1] == "--ext=autogradviz"


def test_public_api_python_m_kernel_runs(tmp_path):
    command = [sys.executable, "-m", "autogradviz.kernel", "status", "--prefix", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr  # 1: not installed at that prefix
    assert result.stdout.startswith("not installed: no autogradviz kernel spec 'autogradviz'")


def test_public_api_extension_entry_points_on_the_package():
    assert callable(mx.load_ipython_extension) and callable(mx.unload_ipython_extension)
