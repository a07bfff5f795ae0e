"""The peer libraries, imported only if installed: PyTorch and HIPS autograd.

A missing peer becomes ``None`` and its column shows "n/a"; the benchmarks never fail on it.
PyTorch runs on one thread so that it is compared with single-threaded Python engines.
"""

from __future__ import annotations

from types import ModuleType


def load_torch() -> ModuleType | None:
    """Return ``torch`` set to one CPU thread, or ``None`` if it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def load_hips() -> ModuleType | None:
    """Return HIPS ``autograd`` (with ``autograd.numpy`` loaded), or ``None``."""
    try:
        import autograd
        import autograd.numpy  # noqa: F401 (makes autograd.numpy available as an attribute)
    except ImportError:
        return None
    return autograd


def version(module: ModuleType | None) -> str:
    """Return a module's version string, or "not installed"."""
    return "not installed" if module is None else str(getattr(module, "__version__", "?"))
