// The clickable graph canvas of autogradviz's widget (an anywidget ES module).
//
// Python sends the graph as DOT text (the `dot` trait); the canvas lays it out in the browser
// with Graphviz compiled to WebAssembly, in a Web Worker with a time limit (see layout.js),
// and shows the SVG. It lets the student zoom (buttons, Ctrl + wheel), pan (drag, or scroll),
// fit the graph to the width, and click a node: the node's id goes to the `selected` trait
// and Python fills the inspector. Then the teaching tools' buttons appear in the bar above
// the drawing (the `tools` trait: their labels, JSON; none for a box they cannot help with);
// a click sends a "tool" message and Python's answer (the `answer` trait, HTML we escaped)
// shows right under the drawing. The boxes an answer points at (the `marks` trait: a JSON
// list of box ids) get a red outline. A click on a function's frame (its name) or on its closed
// box asks Python to close or open it (a "toggle" message).
//
// Stepping normally sends the DOT of each step (its labels show the gradients so far); for a
// graph whose layout is slow, Python sends only the step (see applyStep) and the drawing is
// re-coloured, never laid out again.
//
// Readability floor: the drawing takes the output area's full width and at most 70% of the
// window's height, and "fit" never shrinks it below the scale at which the graph's text is
// FLOOR_PX CSS pixels tall: a bigger graph scrolls instead, and an overview in the corner
// (the minimap) shows the whole graph with the visible part framed; click it to go there. It reports JupyterLab's theme (`theme`: "light" or "dark")
// so Python can redraw in matching colours. Where no worker can run, it asks Python for the
// SVG instead (the `svg` trait, laid out in the kernel by the same Graphviz). Every user
// string in the DOT was escaped by our renderer.
//
// It also hides the static copy of the picture that the extension puts in the next output
// (for saved notebooks, nbconvert and GitHub) while this live canvas is on the page.
import { LayoutTimeout, Superseded, WorkerUnavailable, runtimeLayouter } from "./layout.js";

const STYLE = `
.agv-graph { position: relative; border: 1px solid var(--jp-border-color2, #ccc);
  border-radius: 4px; background: var(--jp-layout-color0, transparent); }
.agv-graph .agv-zoombar { position: absolute; top: 4px; right: 4px; z-index: 1; display: flex; gap: 2px; }
.agv-graph .agv-zoombar button { font-size: 11px; padding: 0 6px; cursor: pointer; }
.agv-graph .agv-toolbar { display: flex; align-items: center; gap: 6px; min-height: 26px;
  padding: 3px 96px 3px 6px; border-bottom: 1px solid var(--jp-border-color2, #ccc); }
.agv-graph .agv-toolbar button { font-size: 12px; padding: 1px 8px; cursor: pointer; }
.agv-graph .agv-toolbar .agv-tool-hint { font-size: 12px; opacity: 0.7; }
.agv-graph .agv-answer { font-size: 13px; padding: 6px 10px; display: none;
  border-top: 1px solid var(--jp-border-color2, #ccc); }
.agv-graph .agv-answer ul { margin: 4px 0; padding-left: 20px; }
.agv-graph .agv-answer table { border-collapse: collapse; margin: 2px 0 6px; }
.agv-graph .agv-answer td { padding: 1px 8px 1px 0; vertical-align: top; }
.agv-graph .agv-answer td:first-child { opacity: 0.7; white-space: nowrap; }
.agv-graph .agv-answer pre { font-size: 12px; white-space: pre-wrap; }
.agv-graph .agv-whatif { display: none; font-size: 13px; padding: 6px 10px;
  border-top: 2px dashed #ff7f0e; }
.agv-graph .agv-whatif-controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.agv-graph .agv-whatif input[type=range] { width: 260px; }
.agv-graph .agv-whatif input[type=number] { width: 4em; }
.agv-graph.agv-hypothetical .agv-viewport { outline: 2px dashed #ff7f0e; outline-offset: -2px; }
.agv-graph .agv-quiz { display: none; font-size: 13px; padding: 6px 10px;
  border-top: 2px solid #1f77b4; }
.agv-graph .agv-quiz-row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap;
  margin-top: 4px; }
.agv-graph .agv-quiz input[type=text] { width: 18em; font-size: 13px; }
.agv-graph .agv-viewport { overflow: auto; max-height: 70vh; cursor: grab; }
.agv-graph .agv-minimap { position: absolute; right: 14px; bottom: 14px; z-index: 1;
  width: 150px; border: 1px solid var(--jp-border-color1, #999); cursor: pointer;
  background: var(--jp-layout-color0, #fff); opacity: 0.92; display: none; }
.agv-graph .agv-minimap img { display: block; width: 100%; }
.agv-graph .agv-minimap .agv-minimap-frame { position: absolute; pointer-events: none;
  border: 2px solid #ff7f0e; box-sizing: border-box; }
.agv-graph g.cluster text { cursor: pointer; text-decoration: underline dotted; }
.agv-graph g.node.agv-step-current polygon, .agv-graph g.node.agv-step-current path {
  stroke: #ff7f0e; stroke-width: 3px; }
.agv-graph g.edge.agv-step-arrow path { stroke: #ff7f0e; stroke-width: 2.5px; }
.agv-graph g.edge.agv-step-arrow polygon { stroke: #ff7f0e; fill: #ff7f0e; }
.agv-graph g.node.agv-dim { opacity: 0.35; }
.agv-graph .agv-viewport.agv-dragging { cursor: grabbing; }
.agv-graph g.node { cursor: pointer; }
/* the node's outline sits inside the <a> Graphviz adds for its tooltip: no ">" here */
.agv-graph g.node.agv-selected polygon, .agv-graph g.node.agv-selected path {
  stroke-width: 3px; stroke-dasharray: 5 2; }
/* a teaching tool's answer points here (the op to blame, where a gradient stopped) */
.agv-graph g.node.agv-marked polygon, .agv-graph g.node.agv-marked path {
  stroke: #d62728; stroke-width: 4px; }
`;

const GRAPH_TOOLS = new Set(["quiz", "handout"]); // tools for the whole graph, not a box
const FONT_PT = 10; // the DOT's node font size, in points (render/dot.py)
const FLOOR_PX = 11; // no graph text below this many CSS pixels at the default view
export const FLOOR_SCALE = FLOOR_PX / (FONT_PT * 96 / 72);

function button(label, title, onClick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}

// Only while this canvas shows a drawing (not a failure note), and only the output right
// after it: the static copy of the same picture.
const PAGE_STYLE = `
.jp-OutputArea-child:has(.agv-graph.agv-drawn)
  + .jp-OutputArea-child:has(> .jp-OutputArea-output > .agv-static) { display: none; }
`;

function addPageStyle() {
  if (document.getElementById("agv-page-style")) return;
  const style = document.createElement("style");
  style.id = "agv-page-style";
  style.textContent = PAGE_STYLE;
  document.head.append(style);
}

function element(tag, className) {
  const made = document.createElement(tag);
  made.className = className;
  return made;
}

// A trait Python fills with JSON (or leaves empty): its value, or `empty` if there is none.
function traitJSON(model, name, empty) {
  try {
    return JSON.parse(model.get(name) || "null") ?? empty;
  } catch {
    return empty;
  }
}

function mark(name) {
  try { performance.mark(name); } catch { /* marks are for benchmarks only */ }
}

// The what-if panel: a slider on one element of a leaf (the `whatif` trait: label, element,
// size, low, high, start, value), the element to move (for an array), and the plot Python
// sends back (the `plot` trait). Moves are sent as "whatif" messages, at most one per 120 ms
// while dragging; Close sends one with no value.
function whatIfPanel(model, el) {
  const panel = element("div", "agv-whatif");
  const controls = element("div", "agv-whatif-controls");
  const label = document.createElement("b");
  const which = element("input", "agv-whatif-element"); // the element of the array to move
  which.type = "number";
  which.min = "0";
  which.title = "which element of the array to move (flat index)";
  const range = element("input", "agv-whatif-range");
  range.type = "range";
  const shown = element("span", "agv-whatif-value");
  const reset = button("Reset", "back to the value the pass used", () => send(spec.start));
  const close = button("Close", "close the slider and show the recorded pass again",
    () => model.send({ kind: "whatif", element: null, value: null }));
  const plot = element("div", "agv-whatif-plot");
  controls.append(label, which, range, shown, reset, close);
  panel.append(controls, plot);
  let spec = {};
  let timer = null;
  const send = (value) => model.send({ kind: "whatif", element: spec.element, value });
  range.addEventListener("input", () => {
    shown.textContent = Number(range.value).toPrecision(4);
    clearTimeout(timer);
    timer = setTimeout(() => send(Number(range.value)), 120);
  });
  which.addEventListener("change", () =>
    model.send({ kind: "whatif", element: Number(which.value), value: null }));
  const apply = () => {
    spec = traitJSON(model, "whatif", {});
    const open = "low" in spec;
    panel.style.display = open ? "block" : "none";
    el.classList.toggle("agv-hypothetical", open && spec.value !== spec.start);
    if (!open) return;
    label.textContent = `What if ${spec.label} =`;
    which.style.display = spec.size > 1 ? "" : "none";
    which.max = String(spec.size - 1);
    which.value = String(spec.element);
    range.min = String(spec.low);
    range.max = String(spec.high);
    range.step = String((spec.high - spec.low) / 200);
    if (document.activeElement !== range) range.value = String(spec.value);
    shown.textContent = Number(spec.value).toPrecision(4);
  };
  const applyPlot = () => { plot.innerHTML = model.get("plot") || ""; }; // built by Python
  model.on("change:whatif", apply);
  model.on("change:plot", applyPlot);
  apply();
  applyPlot();
  return panel;
}

// The quiz panel: the question (the `quiz` trait: question, message, score, done), a field
// for the answer (Enter or the button sends it as a "quiz" message) and Stop.
function quizPanel(model) {
  const panel = element("div", "agv-quiz");
  const question = element("div", "agv-quiz-question");
  const row = element("div", "agv-quiz-row");
  const field = element("input", "agv-quiz-answer");
  field.type = "text";
  field.placeholder = "numbers, e.g. 4 8 1.2 1.6";
  const submit = () => {
    model.send({ kind: "quiz", text: field.value });
    field.value = "";
  };
  field.addEventListener("keydown", (event) => { if (event.key === "Enter") submit(); });
  const send = button("Answer", "grade this answer", submit);
  send.className = "agv-quiz-send";
  const stop = button("Stop", "end the quiz: show every number again",
    () => model.send({ kind: "quiz" }));
  const score = element("span", "agv-quiz-score");
  row.append(field, send, stop, score);
  const message = element("div", "agv-quiz-message");
  panel.append(question, row, message);
  const apply = () => {
    const state = traitJSON(model, "quiz", {});
    panel.style.display = "score" in state ? "block" : "none";
    question.textContent = state.done ? "Quiz over." : (state.question || "");
    message.textContent = state.message || "";
    score.textContent = state.score || "";
    field.style.display = send.style.display = state.done ? "none" : "";
  };
  model.on("change:quiz", apply);
  apply();
  return panel;
}

async function render({ model, el }) {
  el.dataset.agvRenderAt = String(Date.now()); // for the benchmark: when the view was made
  addPageStyle();
  el.classList.add("agv-graph");
  const style = document.createElement("style");
  style.textContent = STYLE;
  const bar = element("div", "agv-zoombar");
  const view = element("div", "agv-viewport");
  const minimap = element("div", "agv-minimap");
  minimap.title = "the whole graph: click to go there";
  const picture = document.createElement("img");
  picture.alt = "overview of the graph";
  const frame = element("div", "agv-minimap-frame");
  minimap.append(picture, frame);
  const toolbar = element("div", "agv-toolbar");
  const hint = element("span", "agv-tool-hint");
  hint.textContent = "Click a box: tools to test it appear here.";
  toolbar.append(hint);
  const answer = element("div", "agv-answer");
  const whatif = whatIfPanel(model, el);
  const quiz = quizPanel(model);
  const toolButtons = {};
  for (const [tool, title] of [
    ["check", "compare this box's gradient with central finite differences (float64 replay)"],
    ["why", "why this gradient is zero or missing, or why .grad shows something else"],
    ["chain", "this op's backward step: the formula, with this pass's numbers and shapes"],
    ["whatif", "move this number and watch every value and gradient follow (a replay)"],
    ["quiz", "hide the gradients and predict them, in backward order"],
    ["handout", "download this pass as one HTML page: its steps and cards, no kernel needed"],
  ]) {
    toolButtons[tool] = button("", title, () => model.send({ kind: "tool", tool }));
    toolButtons[tool].className = `agv-tool-${tool}`;
    toolbar.append(toolButtons[tool]);
  }
  const applyTools = () => {
    const labels = traitJSON(model, "tools", {});
    for (const [tool, b] of Object.entries(toolButtons)) {
      b.textContent = labels[tool] || "";
      b.style.display = labels[tool] ? "" : "none";
    }
    const boxTools = Object.entries(labels).filter(([k, v]) => v && !GRAPH_TOOLS.has(k));
    hint.style.display = boxTools.length ? "none" : "";
  };
  const applyAnswer = () => {
    answer.innerHTML = model.get("answer") || ""; // escaped by Python (widget/tools.py)
    answer.style.display = answer.innerHTML ? "block" : "none";
    minimap.style.bottom = `${(answer.innerHTML ? answer.offsetHeight : 0) + 14}px`;
  };
  el.append(style, bar, toolbar, view, answer, whatif, quiz, minimap);
  applyTools();
  applyAnswer();

  let scale = 0; // 0 means "fit to width", but never below FLOOR_SCALE
  const svg = () => view.querySelector("svg");
  const naturalWidth = () => {
    const s = svg();
    return s ? s.viewBox.baseVal.width * (96 / 72) : 0; // Graphviz sizes are in points
  };
  const fitScale = () => {
    const width = view.clientWidth || el.clientWidth || 800;
    return Math.max(FLOOR_SCALE, Math.min(1, width / (naturalWidth() || 1)));
  };
  const currentScale = () => (scale === 0 ? fitScale() : scale);
  const applyScale = () => {
    const s = svg();
    if (!s) return;
    s.style.height = "auto";
    s.style.maxWidth = "none";
    s.style.width = `${naturalWidth() * currentScale()}px`;
    el.dataset.agvScale = currentScale().toFixed(3);
    updateMinimap();
  };
  const zoom = (factor) => {
    scale = Math.min(8, Math.max(0.1, currentScale() * factor));
    applyScale();
  };
  const updateMinimap = () => {
    const s = svg();
    const overflows = s && (view.scrollWidth > view.clientWidth + 2 ||
                            view.scrollHeight > view.clientHeight + 2);
    minimap.style.display = overflows ? "block" : "none";
    if (!overflows) return;
    const ratio = minimap.clientWidth / view.scrollWidth;
    frame.style.left = `${view.scrollLeft * ratio}px`;
    frame.style.top = `${view.scrollTop * ratio}px`;
    frame.style.width = `${view.clientWidth * ratio}px`;
    frame.style.height = `${view.clientHeight * ratio}px`;
  };
  minimap.addEventListener("click", (event) => {
    const box = minimap.getBoundingClientRect();
    const ratio = view.scrollWidth / box.width;
    view.scrollLeft = (event.clientX - box.left) * ratio - view.clientWidth / 2;
    view.scrollTop = (event.clientY - box.top) * ratio - view.clientHeight / 2;
  });
  view.addEventListener("scroll", () => updateMinimap());
  bar.append(
    button("−", "zoom out", () => zoom(1 / 1.25)),
    button("+", "zoom in", () => zoom(1.25)),
    button("fit", "fit to width (never smaller than readable)", () => { scale = 0; applyScale(); }),
  );

  const markSelected = () => {
    const marked = traitJSON(model, "marks", []);
    for (const g of view.querySelectorAll("g.node")) {
      const id = g.id.split("__")[0];
      g.classList.toggle("agv-selected", id === model.get("selected"));
      g.classList.toggle("agv-marked", marked.includes(id));
    }
  };
  // A heatmap row is one <text> per block, each where Graphviz estimated it; the font's
  // block may be narrower. Stretch each block to its slot, so that a row has no gaps.
  const fillHeatmaps = (s) => {
    const rows = new Map();
    for (const text of s.querySelectorAll("g.node text")) {
      if (text.textContent !== "\u2588") continue;
      const key = `${text.closest("g.node").id}/${text.getAttribute("y")}`;
      if (!rows.has(key)) rows.set(key, []);
      rows.get(key).push(text);
    }
    for (const row of rows.values()) {
      const xs = row.map((t) => parseFloat(t.getAttribute("x")));
      const step = row.length > 1 ? (xs[row.length - 1] - xs[0]) / (row.length - 1) : 0;
      if (!(step > 0)) continue;
      for (const text of row) {
        text.setAttribute("textLength", step.toFixed(2));
        text.setAttribute("lengthAdjust", "spacingAndGlyphs");
      }
    }
  };
  // Stepping a graph that is slow to lay out: Python sends the step (the `step` trait: the
  // node being processed, its arrows, the nodes not reached yet) instead of a new DOT, and
  // the drawn SVG is re-coloured in place. Empty: no step marks.
  const applyStep = () => {
    const s = svg();
    if (!s) return;
    const step = traitJSON(model, "step", {});
    const dim = new Set(step.dim || []);
    const arrows = new Set((step.arrows || []).map(([a, b]) => `${a}->${b}`));
    for (const g of s.querySelectorAll("g.node")) {
      const id = g.id.split("__")[0];
      g.classList.toggle("agv-step-current", id === step.current);
      g.classList.toggle("agv-dim", dim.has(id));
    }
    for (const g of s.querySelectorAll("g.edge")) {
      const title = g.querySelector("title")?.textContent || "";
      const [a, b] = title.split("->").map((t) => t.split("__")[0]);
      g.classList.toggle("agv-step-arrow", arrows.has(`${a}->${b}`));
    }
  };
  const show = (html) => {
    view.innerHTML = html;
    const s = svg();
    el.classList.toggle("agv-drawn", Boolean(s));
    if (s) {
      s.removeAttribute("width");
      s.removeAttribute("height");
      fillHeatmaps(s);
      const text = new XMLSerializer().serializeToString(s);
      picture.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    }
    applyScale();
    markSelected();
  };

  let layouter = null;
  try {
    layouter = await runtimeLayouter(model);
  } catch (error) {
    console.warn("autogradviz: no Graphviz runtime in the page; asking the kernel", error);
  }
  let drawing = 0; // numbers the layouts, so a slow old one never replaces a newer one
  let scheduled = false; // one draw for the several traits a single message changes
  const scheduleDraw = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => { scheduled = false; draw(); });
  };
  const owner = {}; // this canvas, for the shared layouter
  const draw = async () => {
    const mine = ++drawing; // any older layout still running must not draw over this
    const note = model.get("note");
    if (note) return show(note);
    if (!layouter) {
      if (model.get("svg")) return show(model.get("svg"));
      return model.send({ kind: "need-svg" });
    }
    const revision = model.get("revision");
    mark(`agv-layout-start-${mine}`);
    try {
      const result = await layouter.layout(model.get("dot"), model.get("timeout"), owner);
      if (mine !== drawing) return;
      show(result.svg);
      mark(`agv-drawn-${mine}`);
      el.dataset.agvLayoutMs = result.ms.toFixed(1);
      model.send({ kind: "laid-out", revision, ms: result.ms }); // Python: slow to lay out?
      applyStep();
      el.dataset.agvGraphviz = result.version;
      el.dataset.agvDrawn = String(mine);
      el.dataset.agvDrawnAt = String(Date.now()); // wall clock: the benchmark compares it with the kernel's
    } catch (error) {
      if (mine !== drawing || error instanceof Superseded) return;
      if (error instanceof WorkerUnavailable) { // no worker in this page: the kernel draws
        layouter = null;
        return model.send({ kind: "need-svg" });
      }
      const reason = error instanceof LayoutTimeout ? "timeout" : "error";
      model.send({ kind: "layout-failed", reason, revision, message: String(error.message) });
    }
  };

  view.addEventListener("click", (event) => {
    // (Graphviz wraps a frame's label in <g id="a_c0"><a>...</a></g> for its tooltip)
    const frameName = event.target.closest("g.cluster text");
    if (frameName) { // an open function frame: close it
      return model.send({ kind: "toggle", cluster: frameName.closest("g.cluster").id });
    }
    const node = event.target.closest("g.node");
    if (!node || node.id.startsWith("legend")) return;
    if (/^[cg]\d+$/.test(node.id)) { // a closed frame (a function call, a group): open it
      return model.send({ kind: "toggle", cluster: node.id });
    }
    model.set("selected", node.id.split("__")[0]);
    model.save_changes();
  });
  view.addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    zoom(event.deltaY < 0 ? 1.1 : 1 / 1.1);
  }, { passive: false });
  let drag = null;
  view.addEventListener("mousedown", (event) => {
    drag = { x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop };
    view.classList.add("agv-dragging");
  });
  const endDrag = () => { drag = null; view.classList.remove("agv-dragging"); };
  window.addEventListener("mouseup", endDrag);
  view.addEventListener("mousemove", (event) => {
    if (!drag) return;
    view.scrollLeft = drag.left - (event.clientX - drag.x);
    view.scrollTop = drag.top - (event.clientY - drag.y);
  });

  const reportTheme = () => {
    const light = document.body.dataset.jpThemeLight;
    const theme = light === "false" ? "dark" : "light";
    if (model.get("theme") !== theme) {
      model.set("theme", theme);
      model.save_changes();
    }
  };
  const observer = new MutationObserver(reportTheme);
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
  reportTheme();

  model.on("change:dot", scheduleDraw);
  model.on("change:note", scheduleDraw);
  model.on("change:svg", scheduleDraw);
  model.on("change:selected", markSelected);
  model.on("change:marks", markSelected);
  model.on("change:tools", applyTools);
  model.on("change:answer", applyAnswer);
  model.on("msg:custom", (message) => { // the handout: a file for the browser to save
    if (message?.kind !== "download") return;
    const blob = new Blob([message.html], { type: "text/html" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = message.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  });
  model.on("change:step", () => applyStep());
  const resized = new ResizeObserver(() => applyScale());
  resized.observe(el);
  draw();
  return () => { // the view is gone (cell re-run, output cleared)
    observer.disconnect();
    resized.disconnect();
    window.removeEventListener("mouseup", endDrag);
    layouter?.cancel(owner);
  };
}

export default { render };
