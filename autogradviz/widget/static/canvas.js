// Built by js/build.mjs from js/src/canvas.js and js/src/layout.js: edit those.

// src/layout.js
var SHARED = /* @__PURE__ */ Symbol.for("autogradviz.layouters");
var LayoutTimeout = class extends Error {
};
var Superseded = class extends Error {
};
var WorkerUnavailable = class extends Error {
};
var KILL_AFTER_MS = 250;
var Layouter = class {
  constructor(code) {
    this.url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    this.worker = null;
    this.queue = [];
    this.running = null;
    this.next = 0;
    this.worked = false;
    this.broken = null;
  }
  // Resolve to {svg, ms, version}; reject with LayoutTimeout after `seconds` of layout, or
  // with Superseded when the same `owner` asks for a newer layout first.
  layout(dot, seconds, owner) {
    if (this.broken) return Promise.reject(new WorkerUnavailable(this.broken));
    this.cancel(owner);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.next++, dot, seconds, owner, resolve, reject });
      this.pump();
    });
  }
  // Forget `owner`'s waiting and running layouts (a newer one comes, or its view is gone).
  cancel(owner) {
    this.queue = this.queue.filter((old) => old.owner !== owner || this.drop(old));
    if (this.running?.owner === owner) this.supersede(this.running);
  }
  drop(request) {
    request.reject(new Superseded("a newer layout of the same graph was asked for"));
    return false;
  }
  supersede(request) {
    const age = performance.now() - request.started;
    if (age > KILL_AFTER_MS) {
      this.kill(request);
    } else if (!request.superseded) {
      request.superseded = true;
      request.killer = setTimeout(() => this.kill(request), KILL_AFTER_MS - age);
    }
  }
  kill(request) {
    if (this.running !== request) return;
    this.restart();
    this.drop(request);
    this.pump();
  }
  // Send the oldest waiting request if the worker is free (one layout at a time, so the
  // time limit counts layout time, not time spent waiting behind other graphs).
  pump() {
    if (this.running || this.queue.length === 0) return;
    if (!this.worker) {
      try {
        this.start();
      } catch (error) {
        return this.unavailable(String(error?.message ?? error));
      }
    }
    const request = this.running = this.queue.shift();
    request.started = performance.now();
    request.timer = setTimeout(() => this.timedOut(request), request.seconds * 1e3);
    this.worker.postMessage({ id: request.id, dot: request.dot });
  }
  start() {
    this.worker = new Worker(this.url);
    this.worker.onmessage = (event) => {
      const request = this.running;
      if (!request || request.id !== event.data.id) return;
      clearTimeout(request.timer);
      clearTimeout(request.killer);
      this.running = null;
      this.worked = true;
      if (event.data.error) this.restart();
      if (request.superseded) this.drop(request);
      else if (event.data.error) request.reject(new Error(event.data.error));
      else request.resolve(event.data);
      this.pump();
    };
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      const message = event.message || "the layout worker failed to start";
      if (!this.worked) return this.unavailable(message);
      const request = this.running;
      this.restart();
      request?.reject(new Error(message));
      this.pump();
    };
  }
  // Workers cannot run in this page: fail everything now and from now on.
  unavailable(message) {
    this.broken = message;
    const running = this.running;
    this.restart();
    for (const request of [running, ...this.queue]) {
      request?.reject(new WorkerUnavailable(message));
    }
    this.queue = [];
  }
  // Ending the worker is the only way to stop WebAssembly; the next request gets a new one.
  restart() {
    if (this.running) {
      clearTimeout(this.running.timer);
      clearTimeout(this.running.killer);
    }
    this.worker?.terminate();
    this.worker = null;
    this.running = null;
  }
  timedOut(request) {
    if (this.running !== request) return;
    this.restart();
    const seconds = request.seconds;
    request.reject(new LayoutTimeout(`Graphviz needed more than ${seconds} s to lay out the graph`));
    this.pump();
  }
};
function sharedLayouter(runtimeId, code, runtime) {
  const all = globalThis[SHARED] ?? (globalThis[SHARED] = /* @__PURE__ */ new Map());
  if (!all.has(runtimeId)) {
    const layouter = new Layouter(code);
    all.set(runtimeId, layouter);
    runtime?.once?.("destroy", () => {
      layouter.unavailable("the kernel's Graphviz runtime was closed");
      URL.revokeObjectURL(layouter.url);
      all.delete(runtimeId);
    });
  }
  return all.get(runtimeId);
}
async function runtimeLayouter(model) {
  if (typeof Worker === "undefined" || typeof Blob === "undefined") return null;
  const reference = model.get("runtime") || "";
  const id = reference.replace(/^IPY_MODEL_/, "");
  if (!id || !model.widget_manager?.get_model) return null;
  const runtime = await model.widget_manager.get_model(id);
  const code = runtime?.get("worker");
  return code ? sharedLayouter(id, code, runtime) : null;
}

// src/canvas.js
var STYLE = `
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
var GRAPH_TOOLS = /* @__PURE__ */ new Set(["quiz", "handout"]);
var FONT_PT = 10;
var FLOOR_PX = 11;
var FLOOR_SCALE = FLOOR_PX / (FONT_PT * 96 / 72);
function button(label, title, onClick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}
var PAGE_STYLE = `
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
function traitJSON(model, name, empty) {
  try {
    return JSON.parse(model.get(name) || "null") ?? empty;
  } catch {
    return empty;
  }
}
function mark(name) {
  try {
    performance.mark(name);
  } catch {
  }
}
function whatIfPanel(model, el) {
  const panel = element("div", "agv-whatif");
  const controls = element("div", "agv-whatif-controls");
  const label = document.createElement("b");
  const which = element("input", "agv-whatif-element");
  which.type = "number";
  which.min = "0";
  which.title = "which element of the array to move (flat index)";
  const range = element("input", "agv-whatif-range");
  range.type = "range";
  const shown = element("span", "agv-whatif-value");
  const reset = button("Reset", "back to the value the pass used", () => send(spec.start));
  const close = button(
    "Close",
    "close the slider and show the recorded pass again",
    () => model.send({ kind: "whatif", element: null, value: null })
  );
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
  which.addEventListener("change", () => model.send({ kind: "whatif", element: Number(which.value), value: null }));
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
  const applyPlot = () => {
    plot.innerHTML = model.get("plot") || "";
  };
  model.on("change:whatif", apply);
  model.on("change:plot", applyPlot);
  apply();
  applyPlot();
  return panel;
}
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
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter") submit();
  });
  const send = button("Answer", "grade this answer", submit);
  send.className = "agv-quiz-send";
  const stop = button(
    "Stop",
    "end the quiz: show every number again",
    () => model.send({ kind: "quiz" })
  );
  const score = element("span", "agv-quiz-score");
  row.append(field, send, stop, score);
  const message = element("div", "agv-quiz-message");
  panel.append(question, row, message);
  const apply = () => {
    const state = traitJSON(model, "quiz", {});
    panel.style.display = "score" in state ? "block" : "none";
    question.textContent = state.done ? "Quiz over." : state.question || "";
    message.textContent = state.message || "";
    score.textContent = state.score || "";
    field.style.display = send.style.display = state.done ? "none" : "";
  };
  model.on("change:quiz", apply);
  apply();
  return panel;
}
async function render({ model, el }) {
  el.dataset.agvRenderAt = String(Date.now());
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
    ["handout", "download this pass as one HTML page: its steps and cards, no kernel needed"]
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
    answer.innerHTML = model.get("answer") || "";
    answer.style.display = answer.innerHTML ? "block" : "none";
    minimap.style.bottom = `${(answer.innerHTML ? answer.offsetHeight : 0) + 14}px`;
  };
  el.append(style, bar, toolbar, view, answer, whatif, quiz, minimap);
  applyTools();
  applyAnswer();
  let scale = 0;
  const svg = () => view.querySelector("svg");
  const naturalWidth = () => {
    const s = svg();
    return s ? s.viewBox.baseVal.width * (96 / 72) : 0;
  };
  const fitScale = () => {
    const width = view.clientWidth || el.clientWidth || 800;
    return Math.max(FLOOR_SCALE, Math.min(1, width / (naturalWidth() || 1)));
  };
  const currentScale = () => scale === 0 ? fitScale() : scale;
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
    const overflows = s && (view.scrollWidth > view.clientWidth + 2 || view.scrollHeight > view.clientHeight + 2);
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
    button("\u2212", "zoom out", () => zoom(1 / 1.25)),
    button("+", "zoom in", () => zoom(1.25)),
    button("fit", "fit to width (never smaller than readable)", () => {
      scale = 0;
      applyScale();
    })
  );
  const markSelected = () => {
    const marked = traitJSON(model, "marks", []);
    for (const g of view.querySelectorAll("g.node")) {
      const id = g.id.split("__")[0];
      g.classList.toggle("agv-selected", id === model.get("selected"));
      g.classList.toggle("agv-marked", marked.includes(id));
    }
  };
  const fillHeatmaps = (s) => {
    const rows = /* @__PURE__ */ new Map();
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
  let drawing = 0;
  let scheduled = false;
  const scheduleDraw = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      draw();
    });
  };
  const owner = {};
  const draw = async () => {
    const mine = ++drawing;
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
      model.send({ kind: "laid-out", revision, ms: result.ms });
      applyStep();
      el.dataset.agvGraphviz = result.version;
      el.dataset.agvDrawn = String(mine);
      el.dataset.agvDrawnAt = String(Date.now());
    } catch (error) {
      if (mine !== drawing || error instanceof Superseded) return;
      if (error instanceof WorkerUnavailable) {
        layouter = null;
        return model.send({ kind: "need-svg" });
      }
      const reason = error instanceof LayoutTimeout ? "timeout" : "error";
      model.send({ kind: "layout-failed", reason, revision, message: String(error.message) });
    }
  };
  view.addEventListener("click", (event) => {
    const frameName = event.target.closest("g.cluster text");
    if (frameName) {
      return model.send({ kind: "toggle", cluster: frameName.closest("g.cluster").id });
    }
    const node = event.target.closest("g.node");
    if (!node || node.id.startsWith("legend")) return;
    if (/^[cg]\d+$/.test(node.id)) {
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
  const endDrag = () => {
    drag = null;
    view.classList.remove("agv-dragging");
  };
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
  model.on("msg:custom", (message) => {
    if (message?.kind !== "download") return;
    const blob = new Blob([message.html], { type: "text/html" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = message.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1e4);
  });
  model.on("change:step", () => applyStep());
  const resized = new ResizeObserver(() => applyScale());
  resized.observe(el);
  draw();
  return () => {
    observer.disconnect();
    resized.disconnect();
    window.removeEventListener("mouseup", endDrag);
    layouter?.cancel(owner);
  };
}
var canvas_default = { render };
export {
  FLOOR_SCALE,
  canvas_default as default
};
