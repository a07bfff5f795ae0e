"""Devices. autogradviz computes on the CPU with numpy; contexts exist so MXNet code runs."""

from __future__ import annotations

from .errors import ContextError


class Context:
    """A device, printed the way MXNet prints it: ``cpu(0)``."""

    __slots__ = ("device_type", "device_id")

    def __init__(self, device_type: str = "cpu", device_id: int = 0) -> None:
        self.device_type = device_type
        self.device_id = device_id

    def __repr__(self) -> str:
        return f"{self.device_type}({self.device_id})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Context) and (self.device_type, self.device_id) == (
            other.device_type,
            other.device_id,
        )

    def __hash__(self) -> int:
        return hash((self.device_type, self.device_id))

    def __enter__(self) -> Context:
        """``with mx.cpu():`` (or ``with x.context:``): arrays live on the CPU anyway."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


def cpu(device_id: int = 0) -> Context:
    """Return the CPU context, ``cpu(0)``."""
    return Context("cpu", device_id)


def gpu(device_id: int = 0) -> Context:
    """Return a GPU context; arrays cannot be placed on it (autogradviz is CPU-only)."""
    return Context("gpu", device_id)


def check_context(ctx: Context | None, where: str) -> None:
    """Raise a clear error if ``ctx`` is not a CPU context."""
    if ctx is not None and not isinstance(ctx, Context):
        raise TypeError(
            f"{where}: ctx must be a context such as mx.cpu(), got {type(ctx).__name__} "
            f"{ctx!r:.40}; use ctx=mx.cpu() (or leave ctx out)."
        )
    if ctx is not None and getattr(ctx, "device_type", "cpu") != "cpu":
        raise ContextError(
            f"{where}: autogradviz runs on the CPU only, so ctx={ctx!r} is not available; "
            "use ctx=mx.cpu() (or leave ctx out)."
        )


def current_context() -> Context:
    """Return the default context, ``cpu(0)``."""
    return cpu()
