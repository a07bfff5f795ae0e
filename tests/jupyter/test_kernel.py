"""The kernel installer: where it writes, what kernel.json says, and that the kernel really
starts with the extension loaded.

Every test runs with JUPYTER_DATA_DIR, JUPYTER_PATH, IPYTHONDIR and friends pointed at tmp
dirs, and checks afterwards that the real user and system kernel dirs did not change.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import autogradviz
from autogradviz import kernel

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
STANDIN = '''"""A stand-in autogradviz: proves the kernel's argv loads an extension at start."""


def load_ipython_extension(ipython):
    ipython.user_ns["standin_loaded"] = True
'''


def _files(directory: str | Path) -> set[str]:
    return {os.path.join(top, name) for top, _, names in os.walk(directory) for name in names}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point every Jupyter/IPython dir at tmp_path; fail if a real kernel dir changes."""
    from jupyter_client.kernelspec import KernelSpecManager

    real = KernelSpecManager()
    real_dirs = [*real.kernel_dirs, real.user_kernel_dir, kernel.spec_dir(sys_prefix=True)]
    before = {directory: _files(directory) for directory in real_dirs}
    for variable, name in (("JUPYTER_DATA_DIR", "data"), ("JUPYTER_PATH", "path"),
                           ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                           ("IPYTHONDIR", "ipython")):  # fmt: skip
        (tmp_path / "env" / name).mkdir(parents=True)
        monkeypatch.setenv(variable, str(tmp_path / "env" / name))
    yield
    assert {directory: _files(directory) for directory in real_dirs} == before


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autogradviz.kernel", *args],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env}, timeout=60,
    )  # fmt: skip


def _start_and_ask(prefix: Path, cwd: Path, expressions: dict[str, str]) -> dict[str, object]:
    """Start the installed kernel through jupyter_client and evaluate `expressions` in it."""
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager(kernel_dirs=[str(prefix / "share" / "jupyter" / "kernels")])
    manager = KernelManager(kernel_name=kernel.NAME, kernel_spec_manager=specs)
    assert manager.kernel_spec.argv == kernel.kernel_json()["argv"]
    manager.start_kernel(cwd=str(cwd))
    try:
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            reply = client.execute("", user_expressions=expressions, reply=True, timeout=60)
        finally:
            client.stop_channels()
    finally:
        manager.shutdown_kernel(now=True)
    results = reply["content"]["user_expressions"]
    assert all(result["status"] == "ok" for result in results.values()), results
    return {key: ast.literal_eval(result["data"]["text/plain"]) for key, result in results.items()}


def test_kernel_json_runs_current_interpreter_with_extension():
    spec = kernel.kernel_json()
    assert spec["argv"] == [sys.executable, "-m", "ipykernel_launcher", "-f",
                            "{connection_file}", "--ext=autogradviz"]  # fmt: skip
    assert spec["display_name"] == "Python 3 (autogradviz)"
    assert spec["language"] == "python"


def test_kernel_spec_dir_defaults_to_sys_prefix():
    expected = os.path.join(sys.prefix, "share", "jupyter", "kernels", "autogradviz")
    assert kernel.spec_dir() == kernel.spec_dir(sys_prefix=True) == expected


def test_kernel_install_uninstall_round_trip_under_prefix(tmp_path):
    path = kernel.install(prefix=str(tmp_path / "prefix"))
    assert path == str(tmp_path / "prefix" / "share" / "jupyter" / "kernels" / "autogradviz")
    with open(os.path.join(path, "kernel.json")) as file:
        assert json.load(file) == kernel.kernel_json()
    assert kernel.loads_autogradviz(path)
    assert kernel.uninstall(prefix=str(tmp_path / "prefix")) == path
    assert not os.path.exists(path)
    assert not _files(tmp_path / "prefix")


def test_kernel_install_user_goes_to_jupyter_data_dir(tmp_path, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    # In a venv, Jupyter looks in the environment first; a kernel `make lab` installed there
    # would then hide the user's. Ask for the user's directories first.
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")
    path = kernel.install(user=True)
    assert path == str(tmp_path / "env" / "data" / "kernels" / "autogradviz")
    assert KernelSpecManager().find_kernel_specs()["autogradviz"] == path
    kernel.uninstall(user=True)
    assert not os.path.exists(path)
    assert KernelSpecManager().find_kernel_specs().get("autogradviz") != path


def test_kernel_install_name_and_display_name(tmp_path):
    path = kernel.install(prefix=str(tmp_path), name="agv-2", display_name="Course kernel")
    assert os.path.basename(path) == "agv-2"
    with open(os.path.join(path, "kernel.json")) as file:
        assert json.load(file)["display_name"] == "Course kernel"


def test_kernel_install_replaces_existing(tmp_path):
    kernel.install(prefix=str(tmp_path), display_name="old")
    path = kernel.install(prefix=str(tmp_path))
    with open(os.path.join(path, "kernel.json")) as file:
        assert json.load(file)["display_name"] == "Python 3 (autogradviz)"


def test_kernel_install_writes_only_under_prefix(tmp_path):
    for name in ("prefix", "tmp", "home"):
        (tmp_path / name).mkdir()
    before = _files(tmp_path)
    result = _run("install", "--prefix", str(tmp_path / "prefix"),
                  TMPDIR=str(tmp_path / "tmp"), HOME=str(tmp_path / "home"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    created = _files(tmp_path) - before
    assert created  # kernel.json and the logos
    assert all(Path(path).is_relative_to(tmp_path / "prefix") for path in created), created
    assert {Path(path).parent.name for path in created} == {"autogradviz"}  # no staging left
    assert "note: Jupyter does not look in" in result.stdout


def test_kernel_uninstall_not_installed_raises(tmp_path):
    with pytest.raises(kernel.KernelNotInstalledError, match=r"kernel uninstall: no kernel spec"
                       r" 'autogradviz' in .*\. Pass the location flag"):  # fmt: skip
        kernel.uninstall(prefix=str(tmp_path))
    result = _run("uninstall", "--prefix", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("error: kernel uninstall: no kernel spec")


def test_kernel_uninstall_refuses_foreign_spec(tmp_path):
    foreign = Path(kernel.spec_dir(prefix=str(tmp_path)))
    foreign.mkdir(parents=True)
    (foreign / "kernel.json").write_text(json.dumps({"argv": ["python"], "language": "python"}))
    with pytest.raises(kernel.KernelSpecError, match="is not an autogradviz kernel"):
        kernel.uninstall(prefix=str(tmp_path))
    assert (foreign / "kernel.json").exists()


def test_kernel_location_two_given_raises(tmp_path):
    with pytest.raises(kernel.KernelSpecError, match=r"more than one location given \(--user "
                       r"and --prefix\)\. Pass only one"):  # fmt: skip
        kernel.install(prefix=str(tmp_path), user=True)


def test_kernel_invalid_name_raises(tmp_path):
    with pytest.raises(kernel.KernelSpecError, match="invalid kernel name 'My Kernel'"):
        kernel.install(prefix=str(tmp_path), name="My Kernel")


def test_kernel_install_unwritable_prefix_raises(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    prefix = str(tmp_path / "file" / "prefix")
    with pytest.raises(
        kernel.KernelSpecError, match=r"kernel install: cannot write .*Pass --user"
    ):
        kernel.install(prefix=prefix)
    result = _run("install", "--prefix", prefix)
    assert result.returncode == 2
    assert result.stderr.startswith("error: kernel install: cannot write")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["install", "--bogus"], ["install", "--user", "--prefix", "x"], ["install", "--prefix"], []],
    ids=["unknown-flag", "two-locations", "missing-value", "no-command"],
)
def test_kernel_cli_bad_flags_exit_2_with_usage(args):
    result = _run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m autogradviz.kernel")
    assert "Traceback" not in result.stderr


def test_kernel_cli_status_install_uninstall(tmp_path, capsys):
    assert kernel.main(["status", "--user"]) == 1
    assert "not installed" in capsys.readouterr().out
    assert kernel.main(["install", "--user", "--display-name", "Mine"]) == 0
    assert kernel.main(["status", "--user"]) == 0
    assert f"(Mine, python {sys.executable})" in capsys.readouterr().out
    assert kernel.main(["uninstall", "--user"]) == 0
    assert "Removed kernel 'autogradviz' from " + str(tmp_path) in capsys.readouterr().out
    assert kernel.main(["status", "--user"]) == 1


def test_kernel_starts_with_extension_from_argv(tmp_path, monkeypatch):
    # A stand-in package named autogradviz shadows the real one, so this checks the argv alone.
    (tmp_path / "standin" / "autogradviz").mkdir(parents=True)
    (tmp_path / "standin" / "autogradviz" / "__init__.py").write_text(STANDIN)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "standin"))
    kernel.install(prefix=str(tmp_path / "prefix"))
    answers = _start_and_ask(tmp_path / "prefix", tmp_path, {
        "loaded": "sorted(get_ipython().extension_manager.loaded)",
        "standin": "standin_loaded",
    })  # fmt: skip
    assert "autogradviz" in answers["loaded"]
    assert answers["standin"] is True


def test_kernel_starts_with_autogradviz_extension_loaded(tmp_path):
    kernel.install(prefix=str(tmp_path / "prefix"))
    answers = _start_and_ask(tmp_path / "prefix", tmp_path, {
        "loaded": "sorted(get_ipython().extension_manager.loaded)",
        "package": "__import__('autogradviz').__file__",
    })  # fmt: skip
    assert "autogradviz" in answers["loaded"]
    assert answers["package"] == autogradviz.__file__
