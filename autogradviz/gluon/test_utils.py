"""``mx.test_utils``: the two helpers the book uses, ``list_gpus`` and ``get_mnist``.

Standard library and numpy only (the MNIST reading is the dataset's).
"""

from __future__ import annotations

import numpy as np

from .data.download import download
from .data.vision import read_idx_images, read_idx_labels

MNIST_URL = "https://repo.mxnet.io/gluon/dataset/mnist/"  # where MXNet 1.9's get_mnist looks


def list_gpus() -> range:
    """Return the GPUs' numbers: none (``range(0)``), as MXNet answers on a CPU machine."""
    return range(0)


def get_mnist(path: str = "data") -> dict[str, np.ndarray]:
    """Return MNIST as numpy arrays, fetched into ``path`` once (MXNet's ``get_mnist``).

    Images are float32 in [0, 1], shape (N, 1, 28, 28); labels int8. Keys: ``train_data``,
    ``train_label``, ``test_data``, ``test_label``.
    """
    found = {}
    for part, prefix in (("train", "train"), ("test", "t10k")):
        labels = read_idx_labels(download(MNIST_URL + f"{prefix}-labels-idx1-ubyte.gz", path))
        images = read_idx_images(download(MNIST_URL + f"{prefix}-images-idx3-ubyte.gz", path),
                                 len(labels))  # fmt: skip
        found[f"{part}_data"] = (images.reshape(-1, 1, 28, 28) / np.float32(255)).astype(
            np.float32
        )
        found[f"{part}_label"] = labels.astype(np.int8)
    return found
