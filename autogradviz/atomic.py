"""Writing a file whole or not at all: a failed save never leaves a half-written file.

Used by every save in the package (a graph's picture, ``nd.save``). Imports the standard
library only.
"""

from __future__ import annotations

import contextlib
import os
import tempfile


def write_whole(path: str, data: bytes) -> None:
    """Write ``data`` to a temporary file next to ``path``, then rename it to ``path``.

    The content is made before anything is written, and the rename is atomic: a failed
    save (a layout error, a full disk, Ctrl-C) leaves an existing file as it was. A symlink
    is written through (the link stays); an existing file keeps its permissions, a new one
    gets the process's umask; in a folder where no new file may be made, the file itself is
    written in place.
    """
    target = os.path.realpath(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".autogradviz-",
                                             suffix=".tmp")  # fmt: skip
    except PermissionError:
        with open(target, "wb") as file:
            file.write(data)
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        exists = os.path.exists(target)
        os.chmod(temporary, os.stat(target).st_mode & 0o777 if exists else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise


def _umask() -> int:
    """Return the process's umask, read from /proc (setting it to read it would race)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    return 0o022
