// Graphviz (compiled to WebAssembly by @hpcc-js/wasm-graphviz) in a Web Worker.
//
// The canvas sends {id, dot}; the worker answers {id, svg, ms} or {id, error}. Graphviz is
// loaded once, at the first message (about 0.2 s), and stays loaded. A layout that runs too
// long is the canvas's business: it terminates this worker and starts a new one, so the
// page itself never waits for Graphviz.
import { Graphviz } from "@hpcc-js/wasm-graphviz";

let graphviz = null;

self.onmessage = async (event) => {
  const { id, dot } = event.data;
  try {
    graphviz ??= await Graphviz.load();
    const start = performance.now();
    const svg = graphviz.dot(dot);
    self.postMessage({ id, svg, ms: performance.now() - start, version: graphviz.version() });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
};
