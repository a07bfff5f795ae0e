"""mx.metric.Accuracy: both call styles, argmax of scores, accumulation and reset."""

from __future__ import annotations

import math

import pytest

import autogradviz as mx
from autogradviz import nd


def test_accuracy_counts_every_update_until_reset():
    acc = mx.metric.Accuracy()
    assert acc.get()[0] == "accuracy" and math.isnan(acc.get()[1])
    acc.update(preds=nd.array([[0.1, 0.9], [0.8, 0.2]]), labels=nd.array([1, 1]))
    acc.update([nd.array([0, 1])], [nd.array([[0.6, 0.4], [0.3, 0.7]])])
    assert acc.get() == ("accuracy", 0.75)
    acc.reset()
    acc.update(labels=nd.array([2.0]), preds=nd.array([2.0]))  # class numbers, same shape
    assert acc.get() == ("accuracy", 1.0)


def test_accuracy_mismatched_counts_say_what_to_pass():
    with pytest.raises(ValueError, match="2 labels but 3 predictions"):
        mx.metric.Accuracy().update(nd.array([1, 0]), nd.array([1, 0, 1]))
