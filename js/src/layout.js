// Laying out DOT in a Web Worker with a time limit, one worker per page.
//
// The worker's code (Graphviz and its WebAssembly, ~0.8 MB) travels once per kernel, as a
// trait of one shared, never-displayed runtime widget; every canvas finds that widget by id
// and shares one Layouter through `globalThis`, so ten graphs cost one worker and one load.

const SHARED = Symbol.for("autogradviz.layouters");

export class LayoutTimeout extends Error {}
export class Superseded extends Error {}

// A graph that changed again while its layout was running gives up that layout's worker
// only if it had already run this long (a quick layout is cheaper to let finish).
const KILL_AFTER_MS = 250;

export class Layouter {
  constructor(code) {
    this.url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    this.worker = null;
    this.queue = []; // waiting requests, oldest first
    this.running = null; // the request the worker is laying out
    this.next = 0;
  }

  // Resolve to {svg, ms, version}; reject with LayoutTimeout after `seconds` of layout, or
  // with Superseded when the same `owner` asks for a newer layout first.
  layout(dot, seconds, owner) {
    this.queue = this.queue.filter((old) => old.owner !== owner || this.drop(old));
    if (this.running?.owner === owner) this.supersede(this.running);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.next++, dot, seconds, owner, resolve, reject });
      this.pump();
    });
  }

  drop(request) {
    request.reject(new Superseded("a newer layout of the same graph was asked for"));
    return false;
  }

  supersede(request) {
    if (performance.now() - request.started > KILL_AFTER_MS) {
      this.restart();
      this.drop(request);
      this.pump();
    } else {
      request.superseded = true; // let it finish; its answer is dropped
    }
  }

  // Send the oldest waiting request if the worker is free (one layout at a time, so the
  // time limit counts layout time, not time spent waiting behind other graphs).
  pump() {
    if (this.running || this.queue.length === 0) return;
    if (!this.worker) this.start();
    const request = (this.running = this.queue.shift());
    request.started = performance.now();
    request.timer = setTimeout(() => this.timedOut(request), request.seconds * 1000);
    this.worker.postMessage({ id: request.id, dot: request.dot });
  }

  start() {
    this.worker = new Worker(this.url);
    this.worker.onmessage = (event) => {
      const request = this.running;
      if (!request || request.id !== event.data.id) return;
      clearTimeout(request.timer);
      this.running = null;
      if (request.superseded) this.drop(request);
      else if (event.data.error) request.reject(new Error(event.data.error));
      else request.resolve(event.data);
      this.pump();
    };
  }

  // Ending the worker is the only way to stop WebAssembly; the next request gets a new one.
  restart() {
    if (this.running) clearTimeout(this.running.timer);
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
}

// The page's Layouter for the runtime widget `runtimeId` (made on first use).
export function sharedLayouter(runtimeId, code) {
  const all = (globalThis[SHARED] ??= new Map());
  if (!all.has(runtimeId)) all.set(runtimeId, new Layouter(code));
  return all.get(runtimeId);
}

// Find the runtime widget a canvas points at (its `runtime` trait: "IPY_MODEL_<id>").
export async function runtimeLayouter(model) {
  const reference = model.get("runtime") || "";
  const id = reference.replace(/^IPY_MODEL_/, "");
  if (!id || !model.widget_manager?.get_model) return null;
  const runtime = await model.widget_manager.get_model(id);
  const code = runtime?.get("worker");
  return code ? sharedLayouter(id, code) : null;
}
