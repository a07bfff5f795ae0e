"""Fixtures for the browser tests: one JupyterLab and one Chromium per test module.

The tests are skipped (with the reason) only when ``/usr/bin/chromium`` or the ``playwright``
package is missing; CI installs both. Everything started here is stopped here: the browser,
the server (by PID) with its kernels, and any process they orphan (reaped, see ``lab.py``).
Every request a page makes is logged; a test fails if one left 127.0.0.1 (or ``file://``):
the widget must draw with nothing from the network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from .lab import LabServer, NotebookPage, launch_chromium, missing_requirements, reaping_orphans

VIEWPORT = {"width": 1280, "height": 1000}


@pytest.fixture(scope="module")
def _reaper() -> Iterator[None]:
    reason = missing_requirements()
    if reason:
        pytest.skip(reason)
    with reaping_orphans():
        yield


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder JupyterLab serves; tests write their notebooks here."""
    return tmp_path_factory.mktemp("lab-root")


@pytest.fixture(scope="module")
def lab_server(_reaper: None, lab_root: Path) -> Iterator[LabServer]:
    server = LabServer(lab_root)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium(_reaper: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_notebook(
    lab_server: LabServer, lab_root: Path, chromium: Any
) -> Iterator[Callable[[str, Any], NotebookPage]]:
    """``open_notebook(name, nb)`` writes ``nb`` into the served folder and opens it."""
    import nbformat

    contexts = []
    requests: list[str] = []

    def _open(name: str, nb: Any = None) -> NotebookPage:
        if nb is not None:  # None: reopen what is on disk (a saved notebook)
            nbformat.write(nb, lab_root / name)
        n_cells = len(nbformat.read(lab_root / name, as_version=4).cells)
        context = chromium.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        notebook = NotebookPage(page)
        notebook.open(lab_server.url(name), n_cells=n_cells)
        return notebook

    yield _open
    for context in contexts:
        context.close()
    assert requests, "no request was logged"
    assert_local(requests)


def assert_local(urls: list[str]) -> None:
    """Fail if a request went anywhere but 127.0.0.1 (data:, blob: and file: stay local)."""
    outside = sorted({url for url in urls if not _local(url)})
    assert outside == [], f"requests that left 127.0.0.1: {outside[:10]}"


def _local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "file") or parsed.hostname == "127.0.0.1"
