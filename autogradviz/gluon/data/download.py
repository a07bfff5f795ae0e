"""Downloading a dataset file once into a cache folder, checked by its SHA-1 (MXNet's rule).

``download(url, folder, sha1)`` returns the cached file if it is there with the right
checksum, and fetches it otherwise. The base address is MXNet's dataset repository, or the
``MXNET_GLUON_REPO`` environment variable; the cache lives under ``MXNET_HOME`` (default
``~/.mxnet``), as in MXNet, so files MXNet downloaded are found. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request

DEFAULT_REPO = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"


def data_dir() -> str:
    """Return MXNet's data folder: ``$MXNET_HOME``, or ``~/.mxnet``."""
    return os.environ.get("MXNET_HOME", os.path.join(os.path.expanduser("~"), ".mxnet"))


def repo_file_url(namespace: str, filename: str) -> str:
    """Return the address of ``filename`` in the dataset repository (``MXNET_GLUON_REPO``)."""
    repo = os.environ.get("MXNET_GLUON_REPO", DEFAULT_REPO)
    return f"{repo if repo.endswith('/') else repo + '/'}{namespace}/{filename}"


def sha1_of(path: str) -> str:
    """Return the SHA-1 hex digest of a file's bytes."""
    digest = hashlib.sha1()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(url: str, folder: str, sha1: str | None = None, timeout: float = 30.0) -> str:
    """Return the path of ``url``'s file in ``folder``, fetching it unless cached and intact.

    Raises
    ------
    OSError
        If the file cannot be fetched (the message names the address and the folder, and
        says where to put the file by hand), or its checksum is wrong after fetching.
    """
    path = os.path.join(folder, url.rsplit("/", 1)[-1])
    if os.path.exists(path) and (sha1 is None or sha1_of(path) == sha1):
        return path
    os.makedirs(folder, exist_ok=True)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            content = response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise OSError(
            f"download: could not fetch {url} ({error}). Without network access, copy the "
            f"file into {folder} (MXNET_HOME sets the cache folder, MXNET_GLUON_REPO the "
            "address to fetch from)."
        ) from None
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    if sha1 is not None and sha1_of(temporary) != sha1:
        os.remove(temporary)
        raise OSError(
            f"download: the file fetched from {url} has the wrong SHA-1 checksum (expected "
            f"{sha1}); it was not kept. Try again, or check MXNET_GLUON_REPO."
        )
    os.replace(temporary, path)
    return path
