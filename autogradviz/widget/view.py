"""The live graph widget: the drawing, an inspector, a backward stepper and a history.

``GraphView`` shows one graph at a time out of a bounded history (one entry per backward
call of a cell). It computes nothing itself: pictures come from ``render``, the inspector's
text from ``inspector``, the stepper's partial gradients from ``stepper``.

Legend (what the widget shows)
------------------------------
- the drawing uses the renderer's encoding (see ``autogradviz.render.dot``): blue boxes are
  variables, grey rounded boxes ops, dashed boxes constants, a double gold border the head,
  a thick red outline the first NaN/Inf, orange the node the stepper is processing;
- a dashed outline marks the node selected for the inspector; a click on a function's
  frame (its name) or closed box closes or opens it;
- a graph slow to lay out (over ``SLOW_LAYOUT_MS``) is re-coloured by the stepper, never laid
  out again;
- the stepper's slider goes from 0 (nothing back-propagated yet: only the head gradient) to
  the last step (backward finished: every gradient final).
Imports ipywidgets (the canvas: anywidget); never imported by the engine.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import ipywidgets as widgets

from ..graph.model import Graph
from ..render.boxes import boxes
from ..render.dot import to_dot
from ..render.options import Options, make_options
from .canvas import GraphCanvas
from .closing import parts
from .drawing import drawing, failed_html, on_white
from .entries import Entry, classed, drop_old_tapes
from .inspector import clicked_box, inspector_html
from .legend import legend_html
from .stepper import graph_at_step, processing, status_html, step_count, step_marks
from .tools import Tools

DEFAULT_HISTORY = 50
SLOW_LAYOUT_MS = 1000.0  # a layout slower than this: the stepper re-colours, never lays out


class GraphView(widgets.VBox):
    """A live view of recorded graphs: drawing, inspector, stepper and history.

    Parameters
    ----------
    history : int
        How many graphs to keep (the oldest are dropped).
    **options
        Rendering options (``values``, ``grads``, ``shapes``, ``max_nodes``, ``rankdir``, ...).
    """

    def __init__(self, history: int = DEFAULT_HISTORY, **options: Any) -> None:
        self.options = make_options(**options)
        self._stepping = False  # True once the student steps: highlight the processed node
        self._quiet = False  # True while the view itself moves the step slider
        self._entries: deque[Entry] = deque(maxlen=history)
        self._total = 0  # backward calls seen, including dropped ones
        self._shown: tuple[Graph, Options] | None = None  # what the canvas shows now
        self._kernel_layout = False  # True once the browser asked the kernel for SVG
        self._slow_layout = False  # True once a layout took long: stepping only re-colours
        self.canvas = GraphCanvas()
        self.inspector = classed(widgets.HTML(), "agv-inspector")
        self.status = classed(widgets.HTML(), "agv-status")
        self.legend = classed(widgets.HTML(legend_html()), "agv-legend")
        self.slider = classed(widgets.IntSlider(description="step", min=0, max=0), "agv-slider")
        self.play = classed(widgets.Play(interval=700, min=0, max=0), "agv-play")
        self.back = classed(widgets.Button(description="◀ Back", tooltip="one step back"),
                             "agv-back")  # fmt: skip
        self.step = classed(widgets.Button(description="Step ▶", tooltip="one step forward"),
                             "agv-step")  # fmt: skip
        self.history = classed(widgets.SelectionSlider(description="iteration", options=[0]),
                                "agv-history")  # fmt: skip
        self.toggles = {name: classed(widgets.Checkbox(value=getattr(self.options, name),
                                                        description=name, indent=False),
                                       f"agv-toggle-{name}")
                        for name in ("values", "grads", "shapes")}  # fmt: skip
        self.tools = Tools(self)
        super().__init__(self._layout())
        self.add_class("agv-widget")
        self._link = widgets.jslink((self.play, "value"), (self.slider, "value"))
        self._wire()

    # ------------------------------------------------------------------ layout and events
    def _layout(self) -> list[widgets.Widget]:
        # The drawing takes the full width (a readable size needs it); the inspector goes
        # under the stepper. Set on the widgets' own Layout models (a replaced one would
        # never be closed).
        self.canvas.layout.width = "100%"
        self.inspector.layout.overflow, self.inspector.layout.max_height = "auto", "60vh"
        toggles = widgets.HBox(list(self.toggles.values()))
        top = widgets.HBox(
            [self.history, toggles, self.legend],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        stepper = widgets.HBox([self.back, self.step, self.play, self.slider, self.status],
                               layout=widgets.Layout(flex_flow="row wrap"))  # fmt: skip
        return [top, self.canvas, stepper, self.inspector]

    def _wire(self) -> None:
        self.back.on_click(lambda _: self._move(-1))
        self.step.on_click(lambda _: self._move(+1))
        self.slider.observe(self._on_slider, "value")
        self.history.observe(self._on_history, "value")
        self.canvas.observe(lambda _: self._show_inspector(), "selected")
        self.canvas.observe(lambda _: self.refresh(), "theme")
        self.canvas.on_msg(self._on_canvas_message)
        for name, box in self.toggles.items():
            box.observe(lambda change, name=name: self.set_options(**{name: change.new}), "value")

    def _move(self, delta: int) -> None:
        """Step back or forward; the first Step (or a Step past the end) starts at step 1."""
        if not self._stepping:
            target = 1 if delta > 0 else self.slider.max - 1
        elif delta > 0 and self.slider.value == self.slider.max:
            target = 1
        else:
            target = self.slider.value + delta
        self._stepping = True
        target = min(self.slider.max, max(0, target))
        if target == self.slider.value:
            self.refresh()
        else:
            self.slider.value = target

    def _on_slider(self, change: Any) -> None:
        if not self._quiet:  # the student moved it (the view's own moves redraw themselves)
            self._stepping = True
            self.refresh()

    def _on_history(self, change: Any) -> None:
        if not self._quiet:
            self._show_final()

    # ------------------------------------------------------------------ public API
    @property
    def graph(self) -> Graph | None:
        """The graph being shown (the history entry the ``iteration`` slider points at)."""
        for entry in self._entries:
            if entry.iteration == self.history.value:
                return entry.graph()
        return self._entries[-1].graph() if self._entries else None

    @property
    def showing_latest(self) -> bool:
        """Whether the graph shown is the newest of the history (later passes overwrite)."""
        return not self._entries or self.history.value == self._entries[-1].iteration

    def push(
        self, source: Graph | Callable[[], Graph], show: bool = True, iteration: int | None = None
    ) -> None:
        """Add a backward call's graph (or a function building it) to the history.

        ``iteration`` numbers the call within the cell (by default, one more than the last).
        With ``show=True`` the view jumps to it and redraws; otherwise only the history
        grows (call :meth:`show_latest` later: the extension throttles redraws this way).
        """
        following = not self._entries or self.history.value == self._entries[-1].iteration
        self._total = self._total + 1 if iteration is None else iteration
        self._entries.append(Entry(source, self._total))
        if show and following:
            self._show_latest()
        elif show:
            self._sync_history()

    def _sync_history(self, value: int | None = None) -> None:
        """Bring the iteration slider up to date (one message, not one per push)."""
        options = [entry.iteration for entry in self._entries]
        value = self.history.value if value is None else value
        self._quiet = True
        try:
            if tuple(self.history.options) != tuple(options):
                self.history.options = options
            self.history.value = value if value in options else options[-1]
            # one pass: a slider with one position would be a control that does nothing
            self.history.layout.display = "none" if len(options) < 2 else ""
        finally:
            self._quiet = False

    def _show_latest(self) -> None:
        self._sync_history(value=self._entries[-1].iteration)
        self._show_final()

    def show_latest(self) -> None:
        """Jump to the most recent graph and draw it."""
        self._show_latest()

    def _show_final(self) -> None:
        graph = self.graph
        if graph is None:
            return
        drop_old_tapes(self._entries, self.history.value)
        steps = step_count(graph)
        self._stepping, self._quiet = False, True
        try:
            self.play.max = self.slider.max = steps
            self.slider.value = steps
        finally:
            self._quiet = False
        self.refresh()

    def set_options(self, **changes: Any) -> None:
        """Change rendering options (``values=False``, ``rankdir='TB'``, ...) and redraw."""
        self.options = make_options(self.options, **changes)
        for name, box in self.toggles.items():
            box.value = getattr(self.options, name)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the current graph at the current step (the browser lays out the DOT)."""
        graph = self.graph
        if graph is None:
            return
        step = self.slider.value
        what_if = self.tools.hypothetical  # a what-if replay is drawn instead while it is open
        shown = graph_at_step(graph, step) if what_if is None else what_if
        drawn = self._shown
        slow = self._slow_layout and self._stepping and what_if is None
        same = replace(self.options, theme=self.canvas.theme, legend=False, highlight="")
        # slow to lay out: the final drawing stays (drawn again only for new options) and the
        # step is shown by re-colouring it
        if not (slow and drawn is not None and drawn[0] is graph and drawn[1] == same):
            self._draw(graph if slow else shown, step)
        if slow and self._shown is not None:
            marks = step_marks(graph, step, boxes(graph, self._shown[1]).box_of)
            self.canvas.step = json.dumps(marks)
        status = status_html(graph, step, self._stepping, self.options.fold)
        if slow and step < step_count(graph):
            status += (" <i>(this graph is slow to lay out: the drawing keeps the final "
                       "gradients, the inspector shows the ones so far)</i>")  # fmt: skip
        self.status.value = status
        self._show_inspector(shown)

    def _draw(self, shown: Graph, step: int) -> None:
        """Send ``shown`` as DOT (the browser lays it out), highlighting ``step``'s node."""
        current = processing(shown, step) if self._stepping and not self._slow_layout else None
        options = replace(self.options, theme=self.canvas.theme, legend=False,
                          highlight=current.id if current else "")  # fmt: skip
        self._shown = shown, options
        with self.canvas.hold_sync():
            self.canvas.note = self.canvas.step = ""
            self.canvas.revision += 1
            self.canvas.dot = to_dot(shown, options)
            if self._kernel_layout:
                self.canvas.svg = self.picture()

    def close_all(self) -> None:
        """Close this view and every widget it is made of (its cell was run again).

        The shared Graphviz runtime stays: other views use it.
        """
        for widget in parts(self):
            widget.close()

    def picture(self) -> str:
        """Return the current drawing laid out in the kernel (the widget's static copy).

        SVG, or, if the layout fails, an HTML note and the graph's text listing.
        """
        if self._shown is None:
            return ""
        return drawing(*self._shown)

    def static_picture(self) -> str:
        """Return the final state of the shown graph for the static copy, readable anywhere.

        Light colours on a white background whatever the page's theme (the copy is seen on
        GitHub, in nbconvert's HTML and in a reopened notebook), and no stepper highlight.
        """
        graph = self.graph
        if graph is None:
            return ""
        return on_white(drawing(graph, replace(self.options, theme="light", highlight="")))

    def _on_canvas_message(self, canvas: Any, content: Any, buffers: Any) -> None:
        """Answer the browser when it cannot lay out: draw in the kernel, or show why."""
        kind = content.get("kind") if isinstance(content, dict) else None
        if kind == "tool":  # a teaching tool's button: it answers under the drawing
            self.tools.run(str(content.get("tool", "")))
        elif kind == "whatif":  # the what-if slider moved (or closed: value None)
            self.tools.what_if(content.get("element"), content.get("value"))
        elif kind == "quiz" and "text" in content:  # an answer typed into the quiz
            self.tools.quiz.answer(content["text"])
        elif kind == "quiz":  # its Stop button
            self.tools.quiz.stop()
        elif kind == "toggle":  # a function's frame clicked: open or close it
            cluster = str(content.get("cluster", ""))
            toggled = set(self.options.toggled) ^ {cluster}
            self.set_options(toggled=tuple(sorted(toggled)))
        elif kind == "laid-out":  # slow to lay out: stepping re-colours instead
            self._slow_layout = float(content.get("ms", 0)) > SLOW_LAYOUT_MS
        elif kind == "need-svg":  # no Web Worker in this front end
            self._kernel_layout = True
            self.canvas.svg = self.picture()
        elif kind == "layout-failed" and self._shown is not None:
            if content.get("revision", self.canvas.revision) != self.canvas.revision:
                return  # the failure of a DOT text that has been replaced since
            self._slow_layout = self._slow_layout or content.get("reason") == "timeout"
            message = str(content.get("message", ""))[:200]
            self.canvas.note = failed_html(f"to_svg: {message}", *self._shown)

    def _show_inspector(self, shown: Graph | None = None) -> None:
        """Fill the inspector for the selected node of ``shown`` (the graph at this step)."""
        graph = self.graph
        if graph is not None:
            if shown is None:  # (a quiz's masked graph, or a what-if replay, if one is open)
                drawn = self.tools.hypothetical
                shown = graph_at_step(graph, self.slider.value) if drawn is None else drawn
            selected = clicked_box(graph, self.canvas.selected)
            self.inspector.value = inspector_html(shown, selected, self.options.fold)
        self.tools.update()
