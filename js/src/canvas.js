// The clickable graph canvas of autogradviz's widget (an anywidget ES module).
//
// Python sends the graph as DOT text (the `dot` trait); the canvas lays it out in the browser
// with Graphviz compiled to WebAssembly, in a Web Worker with a time limit (see layout.js),
// and shows the SVG. It lets the student zoom (buttons, Ctrl + wheel), pan (drag, or scroll),
// fit the graph to the width, and click a node: the node's id goes to the `selected` trait
// and Python fills the inspector. It reports JupyterLab's theme (`theme`: "light" or "dark")
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
.agv-graph .agv-viewport { overflow: auto; max-height: 480px; cursor: grab; }
.agv-graph .agv-viewport.agv-dragging { cursor: grabbing; }
.agv-graph g.node { cursor: pointer; }
.agv-graph g.node.agv-selected > polygon, .agv-graph g.node.agv-selected > path {
  stroke-width: 3px; stroke-dasharray: 5 2; }
`;

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

function mark(name) {
  try { performance.mark(name); } catch { /* marks are for benchmarks only */ }
}

async function render({ model, el }) {
  el.dataset.agvRenderAt = String(Date.now()); // for the benchmark: when the view was made
  addPageStyle();
  el.classList.add("agv-graph");
  const style = document.createElement("style");
  style.textContent = STYLE;
  const bar = document.createElement("div");
  bar.className = "agv-zoombar";
  const view = document.createElement("div");
  view.className = "agv-viewport";
  el.append(style, bar, view);

  let scale = 0; // 0 means "fit to width"
  const svg = () => view.querySelector("svg");
  const naturalWidth = () => {
    const s = svg();
    return s ? s.viewBox.baseVal.width * (96 / 72) : 0; // Graphviz sizes are in points
  };
  const applyScale = () => {
    const s = svg();
    if (!s) return;
    s.style.height = "auto";
    s.style.maxWidth = scale === 0 ? "100%" : "none";
    s.style.width = scale === 0 ? `${naturalWidth()}px` : `${naturalWidth() * scale}px`;
  };
  const zoom = (factor) => {
    const current = scale === 0 ? Math.min(1, view.clientWidth / (naturalWidth() || 1)) : scale;
    scale = Math.min(8, Math.max(0.1, current * factor));
    applyScale();
  };
  bar.append(
    button("−", "zoom out", () => zoom(1 / 1.25)),
    button("+", "zoom in", () => zoom(1.25)),
    button("fit", "fit to width", () => { scale = 0; applyScale(); }),
  );

  const markSelected = () => {
    for (const g of view.querySelectorAll("g.node")) {
      g.classList.toggle("agv-selected", g.id.split("__")[0] === model.get("selected"));
    }
  };
  const show = (html) => {
    view.innerHTML = html;
    const s = svg();
    el.classList.toggle("agv-drawn", Boolean(s));
    if (s) {
      s.removeAttribute("width");
      s.removeAttribute("height");
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
    const node = event.target.closest("g.node");
    if (!node || node.id.startsWith("legend")) return;
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
  draw();
  return () => { // the view is gone (cell re-run, output cleared)
    observer.disconnect();
    window.removeEventListener("mouseup", endDrag);
    layouter?.cancel(owner);
  };
}

export default { render };
