"""``gluon.data.vision``: the MNIST and Fashion-MNIST datasets, downloaded once and cached.

Each example is ``(image, label)``: the image an NDArray of shape (28, 28, 1), uint8, the
label an int32 number; ``transform(image, label)`` (if given) is applied to each. The files
are MXNet's (the classic IDX format, gzipped), fetched from MXNet's dataset repository into
``$MXNET_HOME/datasets/<name>`` and checked by SHA-1, exactly where MXNet keeps them.
"""

from __future__ import annotations

import gzip
import os
import struct
from typing import Any

import numpy as np

from ... import nd
from .dataset import Dataset
from .download import data_dir, download, repo_file_url


class MNIST(Dataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images of 28×28."""

    namespace = "mnist"
    files = {  # (images, labels) with their SHA-1 checksums, for train=True and train=False
        True: (("train-images-idx3-ubyte.gz", "6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d"),
               ("train-labels-idx1-ubyte.gz", "2a80914081dc54586dbdf242f9805a6b8d2a15fc")),
        False: (("t10k-images-idx3-ubyte.gz", "c3a25af1f52dad7f726cce8cacb138654b760d48"),
                ("t10k-labels-idx1-ubyte.gz", "763e7fa3757d93b0cdec073cef058b2004252c17")),
    }  # fmt: skip

    def __init__(self, root: str | None = None, train: bool = True, transform: Any = None) -> None:
        self._root = os.path.expanduser(root or os.path.join(data_dir(), "datasets",
                                                             self.namespace))  # fmt: skip
        self._train, self._transform = bool(train), transform
        (images, image_sha1), (labels, label_sha1) = self.files[self._train]
        where = f"gluon/dataset/{self.namespace}"
        label_file = download(repo_file_url(where, labels), self._root, label_sha1)
        image_file = download(repo_file_url(where, images), self._root, image_sha1)
        self._label = read_idx_labels(label_file)
        self._data = nd.array(read_idx_images(image_file, len(self._label)), dtype=np.uint8)

    def __len__(self) -> int:
        return len(self._label)

    def __getitem__(self, idx: int) -> Any:
        image, label = self._data[idx], self._label[idx]
        return self._transform(image, label) if self._transform is not None else (image, label)


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: clothes in 10 classes, the same sizes and format as MNIST."""

    namespace = "fashion-mnist"
    files = {
        True: (("train-images-idx3-ubyte.gz", "0cf37b0d40ed5169c6b3aba31069a9770ac9043d"),
               ("train-labels-idx1-ubyte.gz", "236021d52f1e40852b06a4c3008d8de8aef1e40b")),
        False: (("t10k-images-idx3-ubyte.gz", "626ed6a7c06dd17c0eec72fa3be1740f146a2863"),
                ("t10k-labels-idx1-ubyte.gz", "17f9ab60e7257a1620f4ad76bbbaf857c3920701")),
    }  # fmt: skip


def read_idx_labels(path: str) -> np.ndarray:
    """Read a gzipped IDX label file (magic 2049): one uint8 per example, as int32."""
    with gzip.open(path, "rb") as file:
        magic, count = struct.unpack(">II", file.read(8))
        labels = np.frombuffer(file.read(), dtype=np.uint8)
    _check(path, magic, 2049, count, labels.size)
    return labels.astype(np.int32)


def read_idx_images(path: str, count: int) -> np.ndarray:
    """Read a gzipped IDX image file (magic 2051) as uint8, shape (count, rows, cols, 1)."""
    with gzip.open(path, "rb") as file:
        magic, n, rows, cols = struct.unpack(">IIII", file.read(16))
        pixels = np.frombuffer(file.read(), dtype=np.uint8)
    _check(path, magic, 2051, n * rows * cols, pixels.size)
    if n != count:
        raise ValueError(f"{path}: {n} images but {count} labels; delete both files so they "
                         "are fetched again.")  # fmt: skip
    return pixels.reshape(n, rows, cols, 1)


def _check(path: str, magic: int, expected: int, count: int, found: int) -> None:
    if magic != expected or count != found:
        raise ValueError(
            f"{path} is not an IDX file of the expected kind (magic {magic}, {found} values "
            f"for {count}); delete it so it is fetched again."
        )
