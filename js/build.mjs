// Build the widget's front end into autogradviz/widget/static/ (run by `make js`).
//
//   canvas.js           the anywidget ES module of GraphCanvas (src/canvas.js + src/layout.js)
//   graphviz_worker.js  the Web Worker: Graphviz as WebAssembly (@hpcc-js/wasm-graphviz),
//                       the wasm inlined, ~0.8 MB; Python sends it once per kernel
//
// esbuild is deterministic: the same sources and pinned versions give the same bytes, and a
// test rebuilds both files and compares them with the committed ones.
// Usage: node build.mjs [--outdir DIR]   (default ../autogradviz/widget/static)
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const flag = process.argv.indexOf("--outdir");
const outdir = flag > 0 ? path.resolve(process.argv[flag + 1]) : path.join(here, "..", "autogradviz", "widget", "static");

const common = { bundle: true, target: "es2020", logLevel: "warning", absWorkingDir: here };

await esbuild.build({
  ...common,
  entryPoints: ["src/canvas.js"],
  outfile: path.join(outdir, "canvas.js"),
  format: "esm",
  banner: { js: "// Built by js/build.mjs from js/src/canvas.js and js/src/layout.js: edit those." },
});

await esbuild.build({
  ...common,
  entryPoints: ["src/worker.js"],
  outfile: path.join(outdir, "graphviz_worker.js"),
  format: "iife",
  minify: true,
  legalComments: "none",
  banner: {
    js: "// Built by js/build.mjs from js/src/worker.js. Graphviz (EPL-2.0), compiled to " +
      "WebAssembly by @hpcc-js/wasm-graphviz (Apache-2.0): see THIRD_PARTY_NOTICES.md.",
  },
});
