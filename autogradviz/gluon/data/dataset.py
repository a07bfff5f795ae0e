"""Datasets: anything with ``len`` and ``[i]``; ``ArrayDataset`` zips arrays example by example.

As in MXNet 1.9, ``ArrayDataset(X, y)`` returns ``(X[i], y[i])``; a 1-D NDArray is read as
numpy first, so its examples are numbers (the ``DataLoader`` batches them back into an
NDArray). Written on the public ``nd`` API only.
"""

from __future__ import annotations

from typing import Any


class Dataset:
    """The base: ``len(dataset)`` examples, ``dataset[i]`` the i-th."""

    def __getitem__(self, idx: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__}: a Dataset must define __getitem__.")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__}: a Dataset must define __len__.")

    def transform(self, fn: Any, lazy: bool = True) -> Dataset:
        """Return a dataset whose examples are ``fn(*example)``."""
        return _Transformed(self, fn)

    def transform_first(self, fn: Any, lazy: bool = True) -> Dataset:
        """Return a dataset whose examples have ``fn`` applied to their first element."""
        return _Transformed(self, lambda first, *rest: (fn(first), *rest) if rest else fn(first))


class SimpleDataset(Dataset):
    """A dataset over a list (or any sequence) of examples."""

    def __init__(self, data: Any) -> None:
        self._data = data

    def __len__(self) -> int:
        return len(self._data)

    def __getitem__(self, idx: int) -> Any:
        return self._data[idx]


class ArrayDataset(Dataset):
    """Examples taken from several arrays of the same length: ``(X[i], y[i])``."""

    def __init__(self, *args: Any) -> None:
        if not args:
            raise ValueError("ArrayDataset: pass at least one array, e.g. ArrayDataset(X, y).")
        lengths = [len(a) for a in args]
        if len(set(lengths)) != 1:
            raise ValueError(
                f"ArrayDataset: the arrays have different lengths {lengths}; every array needs "
                "one entry per example."
            )
        self._length = lengths[0]
        self._data = [a.asnumpy() if hasattr(a, "asnumpy") and a.ndim == 1 else a for a in args]

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, idx: int) -> Any:
        if len(self._data) == 1:
            return self._data[0][idx]
        return tuple(data[idx] for data in self._data)


class _Transformed(Dataset):
    def __init__(self, dataset: Dataset, fn: Any) -> None:
        self._dataset, self._fn = dataset, fn

    def __len__(self) -> int:
        return len(self._dataset)

    def __getitem__(self, idx: int) -> Any:
        item = self._dataset[idx]
        return self._fn(*item) if isinstance(item, tuple) else self._fn(item)
