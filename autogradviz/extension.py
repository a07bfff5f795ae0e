"""IPython extension: ``%load_ext autogradviz`` shows a live graph under each backward cell.

The connectivity layer, and the only module that imports IPython. It wires three things
together: a backward listener (the engine's hook), the widget (``widgets.GraphView``), and
IPython's cell events. Each cell that calls ``backward()`` gets ONE widget, updated in place
on later backward calls of the same cell: at most once a second while the cell runs, and
always with the final state when it ends. In terminal IPython it prints the text rendering.
Nothing here changes a computed number, and a failure here never breaks the user's cell.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from functools import partial
from typing import Any

from . import capture
from .autograd import add_backward_listener, remove_backward_listener
from .graph import graph_from_capture
from .magics import AutogradvizMagics
from .names import find_names

REDRAW_SECONDS = 1.0  # at most one redraw a second during a loop (keeps loops fast)


class Session:
    """What the extension knows in one IPython shell: settings and the current cell's widget."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.enabled = True
        self.options: dict[str, Any] = {}
        self.history = 50
        self.terminal = not _has_widget_frontend(shell)
        self._capture_was_on = capture.is_enabled()
        self._new_cell()

    def _new_cell(self) -> None:
        self.view: Any = None  # the cell's GraphView, built at its first drawing
        self.handle: Any = None  # the cell's display, shown at its first backward
        self.latest: Any = None  # builds the graph of the cell's latest backward pass
        self.pending: deque = deque(maxlen=self.history)  # passes not yet in the view
        self.dropped = 0  # passes that fell out of ``pending`` before any drawing
        self.last_draw = 0.0

    # ----------------------------------------------------------------- hooks
    def start(self) -> None:
        """Install the hooks: graph capture, the backward listener, cell events, the magic."""
        capture.enable()
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
        if not self._capture_was_on:
            capture.disable()

    def pre_run_cell(self, info: Any = None) -> None:
        """Forget the previous cell's widget: this cell's first backward makes a new one."""
        self._new_cell()

    def on_backward(self, run: Any) -> None:
        """Record the pass (the capture listener ran first) and redraw if it is time."""
        if not self.enabled:
            return
        try:
            captured = capture.last()
            assert captured is not None  # the capture listener ran just before this one
            self.latest = partial(self._graph, captured)
            if self.terminal:
                return
            if len(self.pending) == self.pending.maxlen:
                self.dropped += 1  # older than the history keeps: only counted
            self.pending.append(self.latest)
            if self.handle is None:
                self._show_placeholder()
            elif time.perf_counter() - self.last_draw >= REDRAW_SECONDS:
                self._draw()
        except Exception as error:  # a drawing problem must never break the user's cell
            self.enabled_note(error)

    def post_run_cell(self, result: Any = None) -> None:
        """Draw the cell's final state, and refresh the static SVG copy."""
        try:
            if self.latest is None:
                return
            if self.terminal:
                print(self.latest().to_text(**self.options))
                return
            if self.pending:
                self._draw(update_display=False)
            self.handle.update(self._bundle(), raw=True)
        except Exception as error:
            self.enabled_note(error)
        finally:
            self.latest = None

    def _graph(self, captured: tuple) -> Any:
        """Build a captured pass's graph, naming arrays from the notebook's variables too."""
        names = find_names(extra=(self.shell.user_ns,))
        return graph_from_capture(captured, names_now=names, where=self._cell_name)

    def _cell_name(self, filename: str) -> str:
        """Name a notebook cell's code the way the student sees it: ``cell [3]``."""
        number = getattr(self.shell.compile, "_filename_map", {}).get(filename)
        return f"cell [{number}]" if number is not None else os.path.basename(filename)

    # ----------------------------------------------------------------- display
    def _show_placeholder(self) -> None:
        """Show a one-line note at once: building the widget waits for the first drawing.

        A loop's first backward then costs almost nothing; the widget replaces the note
        after a second, or when the cell ends.
        """
        import ipywidgets
        from IPython.display import display

        note = ipywidgets.HTML("autogradviz: the graph appears when this cell finishes…")
        note.add_class("agv-placeholder")
        self.handle = display(note, display_id=True)
        self.last_draw = time.perf_counter()

    def _draw(self, update_display: bool = True) -> None:
        """Move pending passes into the view (building it on first use); draw the latest."""
        from .widgets import GraphView

        created = self.view is None
        if created:
            self.view = GraphView(history=self.history, **self.options)
        self.view.skip(self.dropped)
        self.dropped = 0
        while self.pending:
            self.view.push(self.pending.popleft(), show=False)
        self.view.show_latest()
        if created and update_display:
            self.handle.update(self._bundle(), raw=True)
        self.last_draw = time.perf_counter()

    def _bundle(self) -> dict[str, Any]:
        """Return the widget view plus a static SVG (for GitHub, nbviewer, nbconvert)."""
        bundle = dict(self.view._repr_mimebundle_())
        svg = self.view.canvas.svg
        if svg.startswith("<svg"):
            bundle["image/svg+xml"] = svg
        return bundle

    def show(self, array: Any) -> None:
        """Display the graph that produced ``array`` (no backward needed)."""
        from .graph import graph_of

        graph = graph_of(array)
        if self.terminal:
            print(graph.to_text(**self.options))
            return
        from IPython.display import display

        from .widgets import GraphView

        view = GraphView(history=1, **self.options)
        view.push(graph)
        display(view)

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
