"""``python -m autogradviz.kernel``: install the "Python 3 (autogradviz)" kernel (an alias).

A public path kept as a thin alias; the code lives in ``autogradviz/jupyter/kernelspec.py``
(the spec) and ``autogradviz/jupyter/kernel_command.py`` (the command line).
"""

from __future__ import annotations

import sys

from .jupyter.kernel_command import main
from .jupyter.kernelspec import (
    DISPLAY_NAME,
    EXTENSION_ARG,
    NAME,
    KernelNotInstalledError,
    KernelSpecError,
    install,
    kernel_json,
    loads_autogradviz,
    spec_dir,
    uninstall,
)

__all__ = [
    "DISPLAY_NAME", "EXTENSION_ARG", "NAME", "KernelNotInstalledError", "KernelSpecError",
    "install", "kernel_json", "loads_autogradviz", "main", "spec_dir", "uninstall",
]  # fmt: skip

if __name__ == "__main__":
    sys.exit(main())
