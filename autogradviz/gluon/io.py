"""``mx.io.NDArrayIter``: batches over arrays, the data iterator of MXNet's older API.

Each batch is a ``DataBatch`` with ``data`` and ``label`` lists of NDArrays and ``pad``
(how many examples at the end repeat the first ones). ``last_batch_handle`` is ``'pad'``
(the default: the last batch is filled from the start), ``'discard'`` or ``'roll_over'``
(the rest opens the next epoch). ``reset()`` starts an epoch. Written on the public ``nd``
API only.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import nd

_HANDLES = ("pad", "discard", "roll_over")


DataDesc = namedtuple("DataDesc", ["name", "shape", "dtype"])  # what a batch holds, by name


class DataBatch:
    """One batch: ``data`` and ``label`` (lists of NDArrays) and ``pad``."""

    def __init__(self, data: list, label: list, pad: int = 0) -> None:
        self.data, self.label, self.pad = data, label, pad

    def __repr__(self) -> str:
        shapes = [d.shape for d in self.data]
        return f"DataBatch: data shapes: {shapes} label shapes: {[x.shape for x in self.label]}"


class NDArrayIter:
    """Iterate over ``data`` (and ``label``) in batches of ``batch_size``."""

    def __init__(self, data: Any, label: Any = None, batch_size: int = 1, shuffle: bool = False,
                 last_batch_handle: str = "pad", data_name: str = "data",
                 label_name: str = "softmax_label") -> None:  # fmt: skip
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"NDArrayIter: batch_size must be a positive whole number, got "
                             f"{batch_size!r}.")  # fmt: skip
        if last_batch_handle not in _HANDLES:
            raise ValueError(f"NDArrayIter: last_batch_handle must be 'pad', 'discard' or "
                             f"'roll_over', got {last_batch_handle!r}.")  # fmt: skip
        self._data = [_numpy(d) for d in _as_list(data)]
        self._label = [_numpy(x) for x in _as_list(label)] if label is not None else []
        sizes = {len(a) for a in self._data + self._label}
        if len(sizes) != 1:
            raise ValueError(f"NDArrayIter: data and label have different lengths "
                             f"{sorted(sizes)}; give one entry per example.")  # fmt: skip
        self.num_data, self.batch_size = sizes.pop(), int(batch_size)
        self._shuffle, self._handle, self._carried = shuffle, last_batch_handle, np.zeros(0, int)
        self._names = (data_name, label_name)
        self._pad = 0
        self.reset()

    @property
    def provide_data(self) -> list:
        """``[DataDesc(name, shape of one batch, dtype)]`` for each data array."""
        return self._descs(self._names[0], self._data)

    @property
    def provide_label(self) -> list:
        """The same for the labels."""
        return self._descs(self._names[1], self._label)

    def _descs(self, name: str, arrays: list) -> list:
        names = [name] if len(arrays) == 1 else [f"_{k}_{name}" for k in range(len(arrays))]
        return [DataDesc(n, (self.batch_size, *a.shape[1:]), a.dtype)
                for n, a in zip(names, arrays, strict=True)]  # fmt: skip

    def hard_reset(self) -> None:
        """Start again from scratch (what a 'roll_over' epoch carried is dropped)."""
        self._carried = np.zeros(0, int)
        self.reset()

    def getpad(self) -> int:
        """How many examples of the last batch returned repeat the first ones."""
        return self._pad

    def reset(self) -> None:
        """Start a new epoch (shuffled again if ``shuffle``)."""
        order = np.arange(self.num_data)
        if self._shuffle:
            order = nd.random.generator().permutation(order)
        self._order, self._cursor = np.concatenate([self._carried, order]), 0
        self._carried = np.zeros(0, int)

    def __iter__(self) -> Iterator[DataBatch]:
        return self

    def __next__(self) -> DataBatch:
        start, size = self._cursor, self.batch_size
        if start >= len(self._order):
            raise StopIteration
        picks = self._order[start : start + size]
        self._cursor += size
        pad = size - len(picks)
        if pad:
            if self._handle == "discard":
                raise StopIteration
            if self._handle == "roll_over":
                self._carried = picks
                raise StopIteration
            picks = np.concatenate([picks, self._order[:pad]])  # 'pad': from the start
        self._pad = pad
        batch = [nd.array(a[picks], dtype=a.dtype) for a in self._data]
        return DataBatch(batch, [nd.array(a[picks], dtype=a.dtype) for a in self._label], pad)

    next = __next__  # (MXNet's name for it)


def _as_list(value: Any) -> list:
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _numpy(value: Any) -> np.ndarray:
    """NDArrays keep their dtype; anything else becomes float32, as MXNet's ``nd.array`` does."""
    if hasattr(value, "asnumpy"):
        return value.asnumpy()
    data = np.asarray(value, dtype=np.float32)
    if data.ndim == 0:
        raise ValueError("NDArrayIter: data and label must be arrays with one entry per "
                         "example, not a single number.")  # fmt: skip
    return data


__all__ = ["DataBatch", "DataDesc", "NDArrayIter"]
