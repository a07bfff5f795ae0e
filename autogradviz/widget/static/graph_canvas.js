// The clickable graph canvas of autogradviz's widget (an anywidget ES module).
//
// It shows the SVG drawn by Graphviz (the `svg` trait), lets the student zoom (buttons,
// Ctrl + wheel), pan (drag, or scroll), fit the graph to the width, and click a node: the
// node's id goes to the `selected` trait and Python fills the inspector. It also reports
// JupyterLab's theme (`theme` trait: "light" or "dark") so Python can redraw in matching
// colours. The SVG comes from our renderer, which escapes every user string.

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

function render({ model, el }) {
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
  const draw = () => {
    view.innerHTML = model.get("svg");
    const s = svg();
    if (s) {
      s.removeAttribute("width");
      s.removeAttribute("height");
    }
    applyScale();
    markSelected();
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
  window.addEventListener("mouseup", () => { drag = null; view.classList.remove("agv-dragging"); });
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

  model.on("change:svg", draw);
  model.on("change:selected", markSelected);
  draw();
  return () => observer.disconnect();
}

export default { render };
