"""A small harness that drives a real JupyterLab in Debian's Chromium with Playwright.

Three pieces, used by ``conftest.py``:

* :class:`LabServer` starts ``python -m jupyterlab`` on 127.0.0.1 with a random token and
  throw-away config, runtime, data, settings, workspace and IPython directories (autosave off,
  news and update checks off), waits for ``/api/status`` and stops it again by PID, together
  with the kernels it started.
* :func:`launch_chromium` starts ``/usr/bin/chromium`` headless (never a downloaded browser).
* :class:`NotebookPage` wraps one Playwright page showing one notebook: run all cells through
  the Run menu, wait for the kernel to be idle, add and run a cell, take a screenshot.

The selectors are JupyterLab 4's (checked on 4.6). Nothing here knows about autogradviz.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


def missing_requirements() -> str | None:
    """Say why the browser tests cannot run here, or ``None`` if they can."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[test]')"
    return None


# --- processes -----------------------------------------------------------------------------


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(option, value, 0, 0, 0)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _children(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the fields after the command name (which may hold spaces) start with state, ppid
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def _descendants(pid: int) -> list[int]:
    todo, found = [pid], []
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _kill(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


@contextlib.contextmanager
def reaping_orphans() -> Iterator[None]:
    """Adopt and reap the processes that the code inside orphans.

    Kernels outlive their server for a moment and Chromium's crashpad helper is reparented when
    the browser exits. While this is active they are reparented to us, not to PID 1; on exit we
    end and reap those of them that are not our own ``subprocess`` children (those have a
    parent other than us until they are orphaned, so nothing else's exit status is stolen).
    """
    before = set(_children(os.getpid()))
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    try:
        yield
    finally:
        start = time.monotonic()
        while adopted := [p for p in _children(os.getpid()) if p not in before]:
            waited = time.monotonic() - start
            for pid in adopted:
                if _alive(pid) and waited > 1:  # a second to exit on their own, then TERM, KILL
                    _kill(pid, signal.SIGTERM if waited < 4 else signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)
            if waited > 6:
                break
            time.sleep(0.1)
        _prctl(_PR_SET_CHILD_SUBREAPER, 0)


# --- the server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LabServer:
    """JupyterLab serving ``root_dir`` on 127.0.0.1, isolated from the user's Jupyter setup."""

    def __init__(self, root_dir: Path) -> None:
        self.root_dir = Path(root_dir)
        self.port = _free_port()
        self.token = secrets.token_urlsafe(24)
        self.proc: subprocess.Popen[bytes] | None = None
        self._home = Path(tempfile.mkdtemp(prefix="agv-lab-"))
        self.log_path = self._home / "server.log"

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for var, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTERLAB_SETTINGS_DIR", "settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
            ("IPYTHONDIR", "ipython"),
        ]:
            (self._home / sub).mkdir()
            env[var] = str(self._home / sub)
        env.pop("JUPYTER_PATH", None)
        # user settings: no news toast, no update check, and never write outputs to disk
        settings = self._home / "settings" / "@jupyterlab"
        for plugin, values in [
            ("apputils-extension/notification", {"fetchNews": "false", "checkForUpdates": False}),
            ("docmanager-extension/plugin", {"autosave": False}),
        ]:
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return env

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and return once ``/api/status`` answers."""
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                env=self._environment(),
                cwd=self.root_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.proc.returncode}):\n{self.log()}")
            if self._status_ok():
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"JupyterLab not up after {timeout:.0f} s:\n{self.log()}")
            time.sleep(0.2)

    def _status_ok(self) -> bool:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/status",
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def url(self, relpath: str) -> str:
        """The address that opens ``relpath`` (relative to ``root_dir``) in full JupyterLab.

        ``reset`` starts from an empty workspace, so notebooks opened earlier stay closed.
        """
        return f"http://127.0.0.1:{self.port}/lab/tree/{quote(relpath)}?reset&token={self.token}"

    def shutdown_kernels(self) -> int:
        """Shut down every kernel through the REST API (as closing the notebook would later)."""
        kernels = self._api("GET", "/api/kernels")
        for kernel in kernels:
            self._api("DELETE", f"/api/kernels/{kernel['id']}")
        return len(kernels)

    def _api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log(self, last: int = 4000) -> str:
        """The end of the server's combined stdout/stderr."""
        try:
            return self.log_path.read_text(errors="replace")[-last:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server by PID (it shuts its kernels down), then whatever it left behind."""
        if self.proc is not None:
            leftovers = _descendants(self.proc.pid)  # kernels run in sessions of their own
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)  # jupyter_server then stops its kernels
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            for pid in leftovers:
                if _alive(pid):
                    _kill(pid, signal.SIGKILL)
            self.proc = None
        shutil.rmtree(self._home, ignore_errors=True)


# --- the browser ---------------------------------------------------------------------------


def launch_chromium(playwright: Any) -> Any:
    """Start Debian's Chromium, headless, through a started ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# Reads the notebook's state in one round trip: prompts, kernel status, error outputs.
_STATE_JS = r"""(panel) => {
  const root = document.querySelector(panel);
  const q = (sel) => root ? [...root.querySelectorAll(sel)] : [];
  return {
    prompts: q('.jp-CodeCell .jp-InputPrompt').map(e => e.textContent.trim()),
    // the toolbar's indicator says "idle" before the kernel is even connected: both must agree
    status: [...document.querySelectorAll('.jp-StatusBar-TextItem')]
        .some(e => /\|\s*Idle$/.test(e.textContent.trim()))
      ? root?.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status ?? null
      : 'not idle in the status bar',
    errors: q(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
      .map(e => e.textContent).filter(t => /Traceback|Error/.test(t)),
  };
}"""

_DONE = re.compile(r"^\[\d+\]:$")


class CellError(AssertionError):
    """A cell raised while the harness was running cells."""


class NotebookPage:
    """One browser page with one notebook open in JupyterLab.

    Every selector is scoped to :attr:`PANEL`, the notebook in the current tab.
    """

    PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

    def __init__(self, page: Any) -> None:
        self.page = page
        self.panel = page.locator(self.PANEL)

    def open(self, url: str, n_cells: int, timeout: float = 60.0) -> None:
        """Load the notebook and wait until its cells are shown and its kernel is idle."""
        self.page.goto(url)
        self.page.wait_for_function(
            "a => document.querySelectorAll(a.panel + ' .jp-Cell').length >= a.n",
            arg={"panel": self.PANEL, "n": n_cells},
            timeout=timeout * 1000,
        )
        self.wait_for_idle(timeout)

    def state(self) -> dict[str, Any]:
        """``{"prompts": ["[1]:", "[*]:", ...], "status": "idle"|"busy"|..., "errors": [...]}``."""
        return dict(self.page.evaluate(_STATE_JS, self.PANEL))

    def wait_for_idle(self, timeout: float = 30.0) -> None:
        """Wait until the kernel status is idle and no cell shows ``[*]``."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if state["status"] == "idle" and "[*]:" not in state["prompts"]:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"kernel not idle after {timeout:.0f} s: {state}")
            time.sleep(0.1)

    def wait_for_cells_done(
        self, timeout: float = 60.0, upto: int | None = None, grace: float = 3.0
    ) -> None:
        """Wait until the first ``upto`` code cells (default: all) have run; fail if one raised.

        A cell has run when its prompt reads ``[n]:`` and the kernel is idle. Run All stops at
        a raising cell, so an idle kernel with a traceback on the page fails after ``grace`` s.
        """
        deadline = time.monotonic() + timeout
        stalled_since = None
        while True:
            state = self.state()
            idle = state["status"] == "idle" and "[*]:" not in state["prompts"]
            prompts = state["prompts"][:upto]
            if idle and prompts and all(_DONE.match(p) for p in prompts):
                if state["errors"]:
                    raise CellError(f"a cell raised:\n{state['errors'][0]}")
                return
            if idle and state["errors"]:  # Run All stops at a raising cell
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since > grace:
                    raise CellError(
                        f"a cell raised (prompts {state['prompts']}):\n{state['errors'][0]}"
                    )
            if time.monotonic() > deadline:
                raise TimeoutError(f"cells not done after {timeout:.0f} s: {state}")
            time.sleep(0.1)

    def run_all(self, timeout: float = 60.0) -> None:
        """Run > Run All Cells (through the menu, as a person would), then wait for the end."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        self.page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        self.wait_for_cells_done(timeout)

    def command_mode(self) -> None:
        """Leave the cell editor (JupyterLab's command mode takes single-key shortcuts)."""
        self.panel.locator(".jp-Cell .jp-InputPrompt").last.click()
        self.page.keyboard.press("Escape")

    def new_cell(self, code: str, timeout: float = 30.0) -> Any:
        """Run ``code`` in a new code cell at the end; wait for it; return the cell's locator.

        Shift+Enter leaves an empty cell below the one it ran: a later call types into that
        one instead of adding another.
        """
        cells = self.panel.locator(".jp-CodeCell")
        count = cells.count()
        self.command_mode()  # selects the last cell
        last = cells.nth(count - 1).locator(".jp-InputArea-editor") if count else None
        if last is not None and not last.inner_text().strip():  # the cell Shift+Enter left
            count -= 1
        else:
            self.page.keyboard.press("b")  # insert below the selected (last) cell
        self.page.keyboard.press("Enter")  # edit it
        self.page.keyboard.insert_text(code)  # verbatim: no auto-indent or bracket closing
        self.page.keyboard.press("Shift+Enter")
        cells.nth(count).wait_for()
        self.wait_for_cells_done(timeout, upto=count + 1)
        return cells.nth(count)

    def save(self, timeout: float = 30.0) -> None:
        """File > Save (Ctrl+S in command mode), then wait until the tab is no longer dirty."""
        self.command_mode()
        self.page.keyboard.press("Control+s")
        self.page.wait_for_function(
            "() => !document.querySelector('.jp-mod-current.jp-mod-dirty, "
            ".lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
            timeout=timeout * 1000,
        )

    def hide_file_browser(self) -> None:
        """Collapse the left sidebar (Ctrl+B in command mode) for a wider notebook."""
        self.command_mode()
        sidebar = self.page.locator("#jp-left-stack")
        if sidebar.is_visible():
            self.page.keyboard.press("Control+b")
            sidebar.wait_for(state="hidden")

    def screenshot(self, path: Path, of: Any = None) -> Path:
        """Save a PNG of the page, scrolled so that the locator ``of`` is in view."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if of is not None:  # its top at the top of the notebook, then let the page settle
            of.evaluate(
                "element => { element.scrollIntoView({block: 'start'});"
                " element.closest('.jp-WindowedPanel-outer')?.scrollBy(0, -50); }"
            )
            self.page.wait_for_timeout(500)
        self.page.screenshot(path=str(path))
        return path


def lesson(name: str) -> Any:
    """A lesson as committed, its solution cells unfolded (a folded cell shows no prompt)."""
    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parents[2] / "notebooks" / name, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("jupyter", None)
    return nb
