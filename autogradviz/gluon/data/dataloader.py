"""``DataLoader``: a dataset in mini-batches, optionally shuffled, as NDArrays.

``last_batch`` says what happens to the examples that do not fill a batch: ``'keep'`` (a
smaller last batch, the default), ``'discard'`` (dropped) or ``'rollover'`` (kept for the
start of the next epoch). Shuffling draws from the package's random generator, so
``mx.random.seed`` repeats it. Written on the public ``nd`` API only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ... import nd

_LAST_BATCH = ("keep", "discard", "rollover")


def default_batchify(examples: list) -> Any:
    """Stack a list of examples into a batch: NDArrays stacked, numbers into an NDArray."""
    first = examples[0]
    if isinstance(first, tuple):
        return [default_batchify(list(column)) for column in zip(*examples, strict=True)]
    if isinstance(first, nd.NDArray):
        return nd.stack(*examples)
    data = np.asarray(examples)
    return nd.array(data, dtype=data.dtype)  # (the examples' dtype, as in MXNet)


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` (``for data, label in loader``)."""

    def __init__(self, dataset: Any, batch_size: int | None = None, shuffle: bool = False,
                 sampler: Any = None, last_batch: str | None = None, batch_sampler: Any = None,
                 batchify_fn: Any = None, num_workers: int = 0,
                 **_ignored: Any) -> None:  # fmt: skip
        if batch_sampler is not None or sampler is not None:
            raise ValueError("DataLoader: sampler and batch_sampler are not supported; use "
                             "batch_size= and shuffle=.")  # fmt: skip
        if batch_size is None or int(batch_size) < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive number, got "
                             f"{batch_size!r}; pass e.g. batch_size=64.")  # fmt: skip
        last_batch = "keep" if last_batch is None else last_batch
        if last_batch not in _LAST_BATCH:
            raise ValueError(f"DataLoader: last_batch must be 'keep', 'discard' or 'rollover', "
                             f"got {last_batch!r}.")  # fmt: skip
        self._dataset, self._batch_size, self._shuffle = dataset, int(batch_size), shuffle
        self._last_batch = last_batch
        self._batchify = default_batchify if batchify_fn is None else batchify_fn
        self._carried: list[int] = []  # 'rollover': the last epoch's leftover examples

    def _batches(self) -> list[list[int]]:
        order = np.arange(len(self._dataset))
        if self._shuffle:
            order = nd.random.generator().permutation(order)
        indices = self._carried + [int(i) for i in order]
        size = self._batch_size
        batches = [indices[k : k + size] for k in range(0, len(indices), size)]
        self._carried = []
        if batches and len(batches[-1]) < size and self._last_batch != "keep":
            leftover = batches.pop()
            if self._last_batch == "rollover":
                self._carried = leftover
        return batches

    def __iter__(self) -> Iterator[Any]:
        for batch in self._batches():
            yield self._batchify([self._dataset[i] for i in batch])

    def __len__(self) -> int:
        total, size = len(self._dataset) + len(self._carried), self._batch_size
        return total // size if self._last_batch != "keep" else -(-total // size)
