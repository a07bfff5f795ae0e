"""IPython extension: ``%load_ext autogradviz`` shows a live graph under each backward cell.

The connectivity layer, and the only module that imports IPython. It wires three things
together: a backward listener (the engine's hook), the widget (``widget.view.GraphView``), and
IPython's cell events. Each cell that calls ``backward()`` gets ONE widget, updated in place
on later backward calls of the same cell: at most once a second while the cell runs, and
always with the final state when it ends. Its history holds snapshots of the cell's
backward calls: every call of a slow cell, a sample of a fast training loop (at most 4 a
second, and always the last); the last K of them (``--history K``, default 50). In terminal
IPython it prints the text rendering. Nothing here changes a computed number, and a failure
here never breaks the user's cell.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from typing import Any

from ..engine.listeners import add_backward_listener, remove_backward_listener
from ..graph import capture
from ..graph.names import find_names
from ..graph.snapshot import graph_from_capture, name_sources
from ..render import wasm
from .magics import AutogradvizMagics
from .outputs import WIDGET_TEXT, placeholder_bundle, static_bundle, widget_bundle

REDRAW_SECONDS = 1.0  # at most one redraw a second during a loop (keeps loops fast)
SAMPLE_SECONDS = 0.25  # a fast loop keeps at most 4 of its passes a second in the history


class Session:
    """What the extension knows in one IPython shell: settings and the current cell's widget."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.enabled = True
        self.options: dict[str, Any] = {}
        self.history = 50
        self.quiz: str | None = None  # %autogradviz quiz: new widgets start a quiz
        self.terminal = not _has_widget_frontend(shell)
        self._capture_was_on = capture.is_enabled()
        self._views_by_cell: dict[str, Any] = {}  # the live view of each cell, by cell id
        self._cell_id: str | None = None
        self.pending: deque[tuple[tuple, dict, int]] = deque()
        self._new_cell()

    def _let_go(self) -> None:
        """Unpin the passes kept but not built (a drawing that failed or was interrupted)."""
        for captured, _, _ in self.pending:
            capture.unpin(captured)
        self.pending.clear()

    def _new_cell(self) -> None:
        self._let_go()  # (captured, names, iteration) of kept passes, not built yet
        self.view: Any = None  # the cell's GraphView, built at its first drawing
        self.handle: Any = None  # the cell's display, shown at its first backward
        self.static: Any = None  # the static copy of its picture, in the next output
        self.count = 0  # backward calls in this cell
        self.other_threads = 0  # passes run by other threads in this cell (not drawn)
        self._cell_thread = threading.get_ident()
        self.latest: Any = None  # the latest captured pass (alive, like the pinned ones)
        self.latest_kept = False  # whether the latest pass is in the history already
        self.last_draw = 0.0
        self.last_sample = -float("inf")

    # ----------------------------------------------------------------- hooks
    def start(self) -> None:
        """Install the hooks: graph capture, the backward listener, cell events, the magic."""
        capture.enable()
        name_sources(self._cell_name)  # last_graph() says "cell [3]:2", as the widget does
        if not self.terminal:  # compile the kernel's Graphviz now, not in the first cell
            wasm.warm_up()
        add_backward_listener(self.on_backward)
        self.shell.events.register("pre_run_cell", self.pre_run_cell)
        self.shell.events.register("post_run_cell", self.post_run_cell)
        self.shell.register_magics(AutogradvizMagics(self.shell, self))

    def stop(self) -> None:
        """Remove every hook :meth:`start` installed."""
        remove_backward_listener(self.on_backward)
        for event, callback in (("pre_run_cell", self.pre_run_cell),
                                ("post_run_cell", self.post_run_cell)):  # fmt: skip
            if callback in self.shell.events.callbacks[event]:
                self.shell.events.unregister(event, callback)
        self.shell.magics_manager.magics["line"].pop("autogradviz", None)
        name_sources(None)
        if not self._capture_was_on:
            capture.disable()

    def pre_run_cell(self, info: Any = None) -> None:
        """Forget the previous cell's widget: this cell's first backward makes a new one.

        A cell run again replaces its output, so its old view is closed (with all its
        widgets) instead of staying alive in the kernel.
        """
        self._cell_id = getattr(info, "cell_id", None)
        old = self._views_by_cell.pop(self._cell_id, None) if self._cell_id else None
        if old is not None:
            old.close_all()
        self._new_cell()

    def on_backward(self, run: Any) -> None:
        """Record the pass (the capture listener ran first); keep and draw it if it is time."""
        if not self.enabled:
            return
        if threading.get_ident() != self._cell_thread:  # a worker the cell started
            self.other_threads += 1  # (widgets are not thread-safe: said once, at cell end)
            if self.latest is not None:  # its pass is the last now: keep the cell's one true
                capture.pin(self.latest)
            return
        try:
            captured = capture.last()
            if captured is None or captured[0] is not run:  # capture off, or it runs after us
                self._listen_after_capture()  # (capture.disable(); capture.enable() did it)
                return
            self.count += 1
            if self.other_threads and self.latest is not None and not self.latest_kept:
                capture.unpin(self.latest)  # pinned for a worker's pass; not kept after all
            self.latest, self.latest_kept = captured, False
            if self.terminal:
                return
            now = time.perf_counter()
            if now - self.last_sample >= SAMPLE_SECONDS:
                self._keep_latest()
                self.last_sample = now
            if self.handle is None:
                self._show_placeholder()
            elif now - self.last_draw >= REDRAW_SECONDS:
                self._draw()
        except Exception as error:  # a drawing problem must never break the user's cell
            self.enabled_note(error)

    def _listen_after_capture(self) -> None:
        """Put the capture's listener back before ours; the next pass is drawn again."""
        capture.enable()
        remove_backward_listener(self.on_backward)
        add_backward_listener(self.on_backward)

    def post_run_cell(self, result: Any = None) -> None:
        """Draw the cell's final state, and refresh the static SVG copy."""
        if self.other_threads:
            print(f"autogradviz: {self.other_threads} backward pass(es) ran in other threads "
                  "and are not drawn (the live graph shows the passes of the cell's own "
                  "thread); draw one with autogradviz.graph_of(head) in that thread, before "
                  "backward.", file=sys.stderr)  # fmt: skip
        try:
            if self.latest is None:
                return
            if self.terminal:
                print(self._graph(self.latest).to_text(**self.options))
                return
            if not self.latest_kept or self.pending:
                self._draw()
            self._update_static()
        except KeyboardInterrupt:  # Ctrl-C after the cell's code ran: only the picture stops
            print("autogradviz: drawing was interrupted; the picture of this cell is "
                  "incomplete (run the cell again to draw it).", file=sys.stderr)  # fmt: skip
            self._let_go()
        except Exception as error:
            self.enabled_note(error)
        finally:
            if self.latest is not None and not self.latest_kept:
                capture.unpin(self.latest)  # (pinned only if a worker's pass came after it)
            self.latest = None

    def _keep_latest(self) -> None:
        """Keep the latest pass for the history; its graph is built at the next drawing.

        The pass is pinned (``capture.pin``), so the values it used stay saved however the
        loop writes into them, and the names are looked up now (later, ``loss`` names a newer
        array). Building waits for the drawing, at most once a second: a loop never pays for
        a snapshot in the middle. A snapshot summarizes big arrays, and only the newest few
        keep a tape (``widget.entries``), so memory stays small.
        """
        if not self.latest_kept:
            capture.pin(self.latest)
            self.pending.append((self.latest, self._names(), self.count))
            self.latest_kept = True
            if len(self.pending) > self.history:  # more than the view keeps: drop the oldest
                capture.unpin(self.pending.popleft()[0])

    def _names(self) -> dict[int, str]:
        return find_names(extra=(self.shell.user_ns,))

    def _graph(self, captured: tuple, names: dict[int, str] | None = None) -> Any:
        """Build a captured pass's graph, naming arrays from the notebook's variables too."""
        names = self._names() if names is None else names
        return graph_from_capture(captured, names_now=names, where=self._cell_name)

    def _cell_name(self, filename: str) -> str:
        """Name a notebook cell's code the way the student sees it: ``cell [3]``."""
        number = getattr(self.shell.compile, "_filename_map", {}).get(filename)
        return f"cell [{number}]" if number is not None else os.path.basename(filename)

    # ----------------------------------------------------------------- display
    def _show_placeholder(self) -> None:
        """Show a one-line note at once: building the widget waits for the first drawing.

        A loop's first backward then costs almost nothing; the widget replaces the note
        after a second, or when the cell ends. Two outputs appear, in this order: the live
        one (the widget, later) and its static copy (see ``outputs``).
        """
        from IPython.display import display

        self.handle = display({"text/plain": WIDGET_TEXT}, raw=True, display_id=True)
        self.static = display(placeholder_bundle(), raw=True, display_id=True)
        self.last_draw = time.perf_counter()

    def _draw(self) -> None:
        """Move kept passes into the view (building it on first use); draw the latest."""
        from ..widget.view import GraphView

        self._keep_latest()
        created = self.view is None
        if created:
            self.view = GraphView(history=self.history, **self.options)
            if self._cell_id:
                self._views_by_cell[self._cell_id] = self.view
        while self.pending:
            captured, names, iteration = self.pending.popleft()
            try:
                graph = self._graph(captured, names)
            finally:  # built, or failed: either way nobody will build it again
                capture.unpin(captured)
            self.view.push(graph, show=False, iteration=iteration)
        self.view.show_latest()
        if created and self.quiz is not None:
            self.view.tools.quiz.start(self.quiz)
        if created:
            self.handle.update(widget_bundle(self.view), raw=True)
        self.last_draw = time.perf_counter()

    def _update_static(self) -> None:
        """Bring the static copy up to date with the widget's final picture.

        Only at the cell's end: it is laid out in the kernel and hidden while the widget lives.
        """
        graph = self.view.graph
        text = graph.to_text(**self.options) if graph is not None else ""
        self.static.update(static_bundle(self.view.static_picture(), text), raw=True)

    def show(self, array: Any) -> None:
        """Display the graph that produced ``array`` (no backward needed)."""
        from ..graph.snapshot import graph_of

        graph = graph_of(array)
        if self.terminal:
            print(graph.to_text(**self.options))
            return
        from IPython.display import display

        from ..widget.view import GraphView

        view = GraphView(history=1, **self.options)
        view.push(graph)
        display(widget_bundle(view), raw=True)
        display(static_bundle(view.static_picture(), graph.to_text(**self.options)), raw=True)

    def enabled_note(self, error: Exception) -> None:
        """Tell the student, in one line, that drawing failed (their cell is unaffected)."""
        print(f"autogradviz: could not draw the graph ({type(error).__name__}: {error}); "
              "your results are unaffected.", file=sys.stderr)  # fmt: skip


def _has_widget_frontend(shell: Any) -> bool:
    """Return whether the shell runs in a kernel (Jupyter) rather than a terminal."""
    return getattr(shell, "kernel", None) is not None


_session: Session | None = None


def load_ipython_extension(ipython: Any) -> None:
    """Start the extension in ``ipython`` (loading twice is harmless)."""
    global _session
    if _session is not None and _session.shell is ipython:
        return
    if _session is not None:
        _session.stop()
    _session = Session(ipython)
    _session.start()


def unload_ipython_extension(ipython: Any) -> None:
    """Remove every hook the extension installed."""
    global _session
    if _session is not None:
        _session.stop()
        _session = None
