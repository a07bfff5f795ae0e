"""``nd.save`` and ``nd.load``: arrays to a file and back, as a list or a dict by name.

The file is numpy's ``.npz`` format (a zip of ``.npy`` arrays), not MXNet's binary one: a
file made by MXNet cannot be read, and MXNet cannot read these. A list is stored under the
names ``0``, ``1``, ... with a marker entry, so ``load`` returns what ``save`` was given.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

import numpy as np

from ..atomic import write_whole
from .ndarray import NDArray

_LIST_MARKER = "__autogradviz_list__"


def save(fname: str, data: Any) -> None:
    """Save an NDArray, a list of NDArrays or a dict ``{name: NDArray}`` to ``fname``.

    Raises
    ------
    TypeError
        If ``data`` holds something other than NDArrays (or a dict key is not a string).
    """
    _check_name(fname, "save")
    if isinstance(data, NDArray):
        data = [data]
    if isinstance(data, (list, tuple)):
        arrays: dict[str, Any] = {str(k): _numpy(v, f"item {k}") for k, v in enumerate(data)}
        arrays[_LIST_MARKER] = np.zeros(0)
    elif isinstance(data, dict):
        arrays = {}
        for key, value in data.items():
            if not isinstance(key, str) or key == _LIST_MARKER:
                raise TypeError(
                    f"save: dict keys must be names (strings), got {key!r:.40}; use e.g. "
                    "{'weight': w}."
                )
            arrays[key] = _numpy(value, f"{key!r}")
    else:
        raise TypeError(
            f"save: data must be an NDArray, a list of NDArrays or a dict of them, got "
            f"{type(data).__name__}."
        )
    write_whole(fname, _npz_bytes(arrays))  # (made whole first: a failure changes nothing)


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """Return the ``.npz`` file of ``arrays`` (any names: not passed as keyword arguments)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            with archive.open(name + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(array),
                                          allow_pickle=False)  # fmt: skip
    return buffer.getvalue()


def load(fname: str) -> Any:
    """Return what ``nd.save`` stored in ``fname``: a list or a dict of NDArrays.

    Raises
    ------
    ValueError
        If ``fname`` is not a file made by ``nd.save`` (MXNet's own format included).
    """
    _check_name(fname, "load")
    try:
        stored = np.load(fname, allow_pickle=False)
        if not isinstance(stored, np.lib.npyio.NpzFile):
            raise ValueError("a single .npy array, not an .npz archive")
        with stored:
            arrays = {name: stored[name] for name in stored.files}
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(
            f"load: {fname} is not a file saved by autogradviz's nd.save ({error}); files "
            "saved by MXNet itself cannot be read. Save the arrays again with nd.save."
        ) from None
    if _LIST_MARKER in arrays:
        del arrays[_LIST_MARKER]
        return [NDArray(arrays[str(k)]) for k in range(len(arrays))]
    return {name: NDArray(value) for name, value in arrays.items()}


def _numpy(value: Any, what: str) -> np.ndarray:
    if not isinstance(value, NDArray):
        raise TypeError(
            f"save: {what} is a {type(value).__name__}, not an NDArray; convert it with "
            "nd.array(...)."
        )
    return value.asnumpy()


def _check_name(fname: Any, where: str) -> None:
    if not isinstance(fname, (str, os.PathLike)):
        raise TypeError(
            f"{where}: fname must be a file name (a string or a path), got "
            f"{type(fname).__name__}; pass e.g. 'weights.params'."
        )
