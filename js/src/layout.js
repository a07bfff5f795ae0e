// Laying out DOT in a Web Worker with a time limit, one worker per page.
//
// The worker's code (Graphviz and its WebAssembly, ~0.8 MB) travels once per kernel, as a
// trait of one shared, never-displayed runtime widget; every canvas finds that widget by id
// and shares one Layouter through `globalThis`, so ten graphs cost one worker and one load.

const SHARED = Symbol.for("autogradviz.layouters");

export class LayoutTimeout extends Error {}
export class Superseded extends Error {}
export class WorkerUnavailable extends Error {} // no Web Worker here: ask the kernel instead

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
    this.worked = false; // a worker has answered once (then an error is not "unavailable")
    this.broken = null; // why workers cannot run here, once that is known
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
      request.superseded = true; // let a quick layout finish (its answer is dropped)...
      request.killer = setTimeout(() => this.kill(request), KILL_AFTER_MS - age); // ...or end it
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
      } catch (error) { // e.g. a page policy that forbids workers from blob: URLs
        return this.unavailable(String(error?.message ?? error));
      }
    }
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
      clearTimeout(request.killer);
      this.running = null;
      this.worked = true;
      if (event.data.error) this.restart(); // a fresh Graphviz for the next layout
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
}

// The page's Layouter for the runtime widget `runtimeId` (made on first use, and ended when
// that widget goes: a restarted kernel brings a new one, so no old worker stays behind).
export function sharedLayouter(runtimeId, code, runtime) {
  const all = (globalThis[SHARED] ??= new Map());
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

// Find the runtime widget a canvas points at (its `runtime` trait: "IPY_MODEL_<id>").
export async function runtimeLayouter(model) {
  if (typeof Worker === "undefined" || typeof Blob === "undefined") return null;
  const reference = model.get("runtime") || "";
  const id = reference.replace(/^IPY_MODEL_/, "");
  if (!id || !model.widget_manager?.get_model) return null;
  const runtime = await model.widget_manager.get_model(id);
  const code = runtime?.get("worker");
  return code ? sharedLayouter(id, code, runtime) : null;
}
