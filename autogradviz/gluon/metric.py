"""Evaluation metrics (MXNet's ``mx.metric``): ``Accuracy`` and the ``EvalMetric`` base.

A metric accumulates over ``update(labels, preds)`` calls until ``reset()``; ``get()``
returns ``(name, value)``. Labels and predictions may be NDArrays or lists of them (MXNet
accepts both). Written on the public ``nd`` API only.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class EvalMetric:
    """The base of every metric: a running sum and a count."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.reset()

    def reset(self) -> None:
        """Forget every update."""
        self.sum_metric = 0.0
        self.num_inst = 0

    def get(self) -> tuple[str, float]:
        """Return ``(name, value)``; the value is NaN before the first update."""
        if self.num_inst == 0:
            return self.name, float("nan")
        return self.name, self.sum_metric / self.num_inst

    def update(self, labels: Any, preds: Any) -> None:
        """Add a batch of labels and predictions."""
        raise NotImplementedError(f"{type(self).__name__}: a metric must define update().")

    def __repr__(self) -> str:
        return f"EvalMetric: {dict([self.get()])}"


class Accuracy(EvalMetric):
    """The share of predictions equal to their labels.

    A prediction of another shape than its label is a score per class: its ``argmax`` over
    ``axis`` is the predicted class.

    Examples
    --------
    >>> import autogradviz as mx
    >>> acc = mx.metric.Accuracy()
    >>> acc.update(preds=mx.nd.array([[0.3, 0.7], [0.9, 0.1]]), labels=mx.nd.array([1, 1]))
    >>> acc.get()
    ('accuracy', 0.5)
    """

    def __init__(self, axis: int = 1, name: str = "accuracy") -> None:
        self.axis = axis
        super().__init__(name)

    def update(self, labels: Any, preds: Any) -> None:
        """Count the correct predictions of a batch (or of a list of batches)."""
        labels, preds = _as_list(labels), _as_list(preds)
        if len(labels) != len(preds):
            raise ValueError(
                f"Accuracy.update: {len(labels)} label array(s) but {len(preds)} prediction "
                "array(s); pass one prediction per label array."
            )
        for label, pred in zip(labels, preds, strict=True):
            label, pred = _numpy(label), _numpy(pred)
            if pred.shape != label.shape and pred.ndim > self.axis:  # scores: pick the class
                pred = pred.argmax(axis=self.axis)
            pred, label = pred.astype(np.int32).ravel(), label.astype(np.int32).ravel()
            if pred.shape != label.shape:
                raise ValueError(
                    f"Accuracy.update: {label.size} labels but {pred.size} predictions; give "
                    "one prediction (or one row of class scores) per label."
                )
            self.sum_metric += int((pred == label).sum())
            self.num_inst += label.size


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _numpy(value: Any) -> np.ndarray:
    return value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)


__all__ = ["Accuracy", "EvalMetric"]
