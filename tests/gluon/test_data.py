"""Datasets and DataLoader batching; MNIST through MXNet's download-and-cache path, offline."""

from __future__ import annotations

import gzip
import hashlib
import struct

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import gluon, nd
from autogradviz.gluon.data import vision


def test_array_dataset_pairs_examples_and_reads_vectors_as_numbers():
    x, y = nd.arange(6).reshape((3, 2)), nd.array([10.0, 20.0, 30.0])
    data = gluon.data.ArrayDataset(x, y)
    first = data[1]
    assert len(data) == 3 and first[0].asnumpy().tolist() == [2.0, 3.0] and first[1] == 20.0
    with pytest.raises(ValueError, match=r"different lengths \[3, 2\]"):
        gluon.data.ArrayDataset(x, nd.ones(2))


def test_dataloader_batches_keep_the_last_smaller_batch_by_default():
    x, y = nd.arange(10).reshape((5, 2)), nd.arange(5)
    batches = list(gluon.data.DataLoader(gluon.data.ArrayDataset(x, y), batch_size=2))
    assert [b[0].shape for b in batches] == [(2, 2), (2, 2), (1, 2)]
    assert [b[1].asnumpy().tolist() for b in batches] == [[0.0, 1.0], [2.0, 3.0], [4.0]]
    assert batches[1][1].dtype == np.float32


def test_dataloader_discard_and_rollover_and_len():
    data = gluon.data.ArrayDataset(nd.arange(5))
    discard = gluon.data.DataLoader(data, batch_size=2, last_batch="discard")
    assert len(discard) == 2 and [b.asnumpy().tolist() for b in discard] == [[0, 1], [2, 3]]
    rollover = gluon.data.DataLoader(data, batch_size=2, last_batch="rollover")
    assert [b.asnumpy().tolist() for b in rollover] == [[0, 1], [2, 3]]
    assert [b.asnumpy().tolist() for b in rollover][0] == [4, 0]  # the leftover comes first
    with pytest.raises(ValueError, match="last_batch must be 'keep', 'discard' or 'rollover'"):
        gluon.data.DataLoader(data, batch_size=2, last_batch="drop")


def test_dataloader_shuffle_repeats_with_the_seed_and_covers_every_example():
    data = gluon.data.ArrayDataset(nd.arange(20))
    mx.random.seed(3)
    first = np.concatenate([b.asnumpy() for b in gluon.data.DataLoader(data, 6, shuffle=True)])
    mx.random.seed(3)
    again = np.concatenate([b.asnumpy() for b in gluon.data.DataLoader(data, 6, shuffle=True)])
    assert first.tolist() == again.tolist() != list(range(20))
    assert sorted(first.tolist()) == list(range(20))


def test_dataset_transform_first():
    data = gluon.data.ArrayDataset(nd.ones((2, 2)), nd.array([0, 1])).transform_first(
        lambda x: x * 2
    )
    assert data[0][0].asnumpy().tolist() == [2.0, 2.0] and data[0][1] == 0


# ----------------------------------------------------------------------------- MNIST


def _idx_files(folder, images, labels, prefix):
    """Write MNIST-format files (gzipped IDX) and return their SHA-1 checksums."""
    label_path, image_path = (
        folder / f"{prefix}-labels-idx1-ubyte.gz",
        folder / f"{prefix}-images-idx3-ubyte.gz",
    )  # noqa: E501
    with gzip.open(label_path, "wb") as file:
        file.write(struct.pack(">II", 2049, len(labels)) + bytes(labels))
    with gzip.open(image_path, "wb") as file:
        file.write(struct.pack(">IIII", 2051, len(images), 28, 28) + images.tobytes())
    return (hashlib.sha1(image_path.read_bytes()).hexdigest(),
            hashlib.sha1(label_path.read_bytes()).hexdigest())  # fmt: skip


@pytest.fixture
def mnist_repo(tmp_path, monkeypatch):
    """A local copy of MXNet's dataset repository (file://), and an empty MXNET_HOME."""
    repo = tmp_path / "repo" / "gluon" / "dataset" / "mnist"
    repo.mkdir(parents=True)
    images = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    image_sha1, label_sha1 = _idx_files(repo, images, [7, 1, 4], "t10k")
    monkeypatch.setattr(
        vision.MNIST,
        "files",
        {
            False: (
                ("t10k-images-idx3-ubyte.gz", image_sha1),
                ("t10k-labels-idx1-ubyte.gz", label_sha1),
            )
        },
    )
    monkeypatch.setenv("MXNET_GLUON_REPO", (tmp_path / "repo").as_uri())
    monkeypatch.setenv("MXNET_HOME", str(tmp_path / "home"))
    return tmp_path, images


def test_mnist_downloads_into_mxnets_cache_and_reads_images_and_labels(mnist_repo):
    tmp_path, images = mnist_repo
    test = gluon.data.vision.MNIST(train=False)
    assert (tmp_path / "home" / "datasets" / "mnist" / "t10k-labels-idx1-ubyte.gz").exists()
    image, label = test[1]
    assert len(test) == 3 and image.shape == (28, 28, 1) and image.dtype == np.uint8
    assert label == 1 and image.asnumpy()[:, :, 0].tolist() == images[1].tolist()


def test_mnist_uses_the_cache_without_the_network_and_applies_transform(mnist_repo, monkeypatch):
    gluon.data.vision.MNIST(train=False)  # fills the cache
    monkeypatch.setenv("MXNET_GLUON_REPO", "http://127.0.0.1:9/")  # nothing listens there
    test = gluon.data.vision.MNIST(
        train=False, transform=lambda x, y: (x.astype("float32") / 255, y)
    )
    image, _ = test[0]
    assert image.dtype == np.float32 and float(image.max().asscalar()) <= 1.0


def test_mnist_offline_names_the_address_and_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_GLUON_REPO", "http://127.0.0.1:9/")
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    url = "http://127.0.0.1:9/gluon/dataset/mnist/t10k-labels-idx1-ubyte.gz"
    with pytest.raises(OSError, match=rf"could not fetch {url} .*copy the file into .*mnist"):
        gluon.data.vision.MNIST(train=False)


def test_mnist_wrong_checksum_after_download_is_not_kept(mnist_repo, monkeypatch):
    tmp_path, _ = mnist_repo
    files = dict(vision.MNIST.files)
    (images, _), labels = files[False]
    monkeypatch.setattr(vision.MNIST, "files", {False: ((images, "0" * 40), labels)})
    with pytest.raises(OSError, match="wrong SHA-1 checksum"):
        gluon.data.vision.MNIST(train=False)
    assert not (tmp_path / "home" / "datasets" / "mnist" / images).exists()


def test_list_gpus_is_empty_on_a_cpu_machine():
    assert list(mx.test_utils.list_gpus()) == []


def test_get_mnist_fetches_into_the_folder_once_and_scales_the_images(tmp_path, monkeypatch):
    from autogradviz.gluon import test_utils

    repo = tmp_path / "repo"
    repo.mkdir()
    images = np.random.default_rng(1).integers(0, 256, (2, 28, 28), dtype=np.uint8)
    for prefix in ("train", "t10k"):
        _idx_files(repo, images, [3, 9], prefix)
    monkeypatch.setattr(test_utils, "MNIST_URL", repo.as_uri() + "/")
    data = mx.test_utils.get_mnist(path=str(tmp_path / "data"))
    assert data["train_data"].shape == (2, 1, 28, 28) and data["train_data"].dtype == np.float32
    np.testing.assert_allclose(data["test_data"][1, 0], images[1] / 255, rtol=1e-6)
    assert data["test_label"].tolist() == [3, 9] and data["test_label"].dtype == np.int8
    monkeypatch.setattr(test_utils, "MNIST_URL", "http://127.0.0.1:9/")  # cached: no fetch
    assert mx.test_utils.get_mnist(path=str(tmp_path / "data"))["train_label"].tolist() == [3, 9]


def test_ndarray_iter_pads_discards_or_rolls_over_the_last_batch():
    x, y = np.arange(10.0).reshape(5, 2), np.arange(5.0)
    padded = list(mx.io.NDArrayIter(x, y, batch_size=2))
    assert [b.pad for b in padded] == [0, 0, 1]
    assert padded[2].label[0].asnumpy().tolist() == [4.0, 0.0]  # filled from the start
    assert len(list(mx.io.NDArrayIter(x, y, batch_size=2, last_batch_handle="discard"))) == 2
    rolling = mx.io.NDArrayIter(x, y, batch_size=2, last_batch_handle="roll_over")
    assert len(list(rolling)) == 2
    rolling.reset()
    assert next(rolling).label[0].asnumpy().tolist() == [4.0, 0.0]  # the rest opens the epoch
    with pytest.raises(ValueError, match="different lengths"):
        mx.io.NDArrayIter(x, y[:3])


def test_ndarray_iter_gives_float32_from_numpy_and_refuses_bad_batch_sizes():
    batch = next(mx.io.NDArrayIter(np.arange(4.0), np.arange(4), batch_size=2))
    assert batch.data[0].dtype == np.float32 and batch.label[0].dtype == np.float32  # as MXNet
    with pytest.raises(ValueError, match="batch_size must be a positive whole number"):
        mx.io.NDArrayIter(np.arange(4.0), batch_size=0)


def test_ndarray_iter_describes_its_batches():
    it = mx.io.NDArrayIter(np.zeros((5, 3)), np.zeros(5), batch_size=2)
    assert it.provide_data == [mx.io.DataDesc("data", (2, 3), np.float32)]
    assert it.provide_label[0].name == "softmax_label"
    assert [(b.pad, it.getpad()) for b in it][-1] == (1, 1)
    it.hard_reset()
    assert next(it).data[0].shape == (2, 3)
