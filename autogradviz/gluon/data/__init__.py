"""``gluon.data``: datasets and the ``DataLoader`` that batches them (MXNet's names)."""

from __future__ import annotations

from . import vision
from .dataloader import DataLoader
from .dataset import ArrayDataset, Dataset, SimpleDataset

__all__ = ["ArrayDataset", "DataLoader", "Dataset", "SimpleDataset", "vision"]
