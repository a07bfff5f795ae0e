"""Losses (MXNet's ``gluon.loss``): one value per example, averaged over all other axes.

A loss is a block: ``loss_fn(output, label)`` returns shape (batch,) (``batch_axis=0``);
``backward()`` on it sums, as MXNet does. The label is reshaped to the output's shape where
the two hold the same number of values. ``weight`` scales the loss, ``sample_weight``
(an array broadcast against it) weighs examples. Written on the public ``nd`` API only.
"""

from __future__ import annotations

from typing import Any

from .block import HybridBlock


class Loss(HybridBlock):
    """The base of every loss: ``weight`` and ``batch_axis`` as in MXNet."""

    def __init__(self, weight: float | None = None, batch_axis: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._weight, self._batch_axis = weight, batch_axis

    def _per_example(self, loss: Any, sample_weight: Any, weight: float | None = None) -> Any:
        """Weigh ``loss``, then average it over every axis but the batch axis."""
        if sample_weight is not None:
            loss = loss * sample_weight
        weight = self._weight if weight is None else weight
        if weight is not None:
            loss = loss * weight
        return loss.mean(axis=self._batch_axis, exclude=True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(batch_axis={self._batch_axis}, w={self._weight})"


def _label_like(label: Any, pred: Any, where: str) -> Any:
    """Return ``label`` reshaped to ``pred``'s shape, or raise a clear error."""
    if label.shape == pred.shape:
        return label
    if label.size != pred.size:
        raise ValueError(
            f"{where}: label shape {label.shape} does not fit output shape {pred.shape}; give "
            f"one label per output value ({pred.size} in all)."
        )
    return label.reshape(pred.shape)


class L2Loss(Loss):
    """``weight/2 · (pred - label)²`` per example (half: its slope is then the error)."""

    def __init__(self, weight: float = 1.0, batch_axis: int = 0, **kwargs: Any) -> None:
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None) -> Any:  # noqa: N803
        """Return the loss of each example."""
        label = _label_like(label, pred, "L2Loss")
        half = None if self._weight is None else self._weight / 2
        return self._per_example(F.square(label - pred), sample_weight, half)


class L1Loss(Loss):
    """``weight · |pred - label|`` per example."""

    def __init__(self, weight: float | None = None, batch_axis: int = 0, **kwargs: Any) -> None:
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None) -> Any:  # noqa: N803
        """Return the loss of each example."""
        label = _label_like(label, pred, "L1Loss")
        return self._per_example(F.abs(label - pred), sample_weight)


class SoftmaxCrossEntropyLoss(Loss):
    """``-log softmax(pred)[label]`` per example: the loss of a classifier.

    ``sparse_label=True``: labels are class numbers (float or int), one per example;
    ``False``: a probability per class (same shape as ``pred``). ``from_logits=True``:
    ``pred`` holds log-probabilities already (no ``log_softmax`` taken).
    """

    def __init__(self, axis: int = -1, sparse_label: bool = True, from_logits: bool = False,
                 weight: float | None = None, batch_axis: int = 0,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(weight, batch_axis, **kwargs)
        self._axis, self._sparse_label, self._from_logits = axis, sparse_label, from_logits

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None) -> Any:  # noqa: N803
        """Return the loss of each example."""
        if not self._from_logits:
            pred = F.log_softmax(pred, axis=self._axis)
        if self._sparse_label:
            loss = -F.pick(pred, label, axis=self._axis, keepdims=True)
        else:
            label = _label_like(label, pred, "SoftmaxCrossEntropyLoss")
            loss = -(pred * label).sum(axis=self._axis, keepdims=True)
        return self._per_example(loss, sample_weight)


SoftmaxCELoss = SoftmaxCrossEntropyLoss


class SigmoidBinaryCrossEntropyLoss(Loss):
    """Binary cross-entropy of ``sigmoid(pred)`` against labels in [0, 1].

    ``from_sigmoid=False`` (the default) takes raw scores and uses the stable form
    ``relu(x) - x·label + log(1 + exp(-|x|))``; ``True`` takes probabilities.
    """

    def __init__(self, from_sigmoid: bool = False, weight: float | None = None,
                 batch_axis: int = 0, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(weight, batch_axis, **kwargs)
        self._from_sigmoid = from_sigmoid

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None,  # noqa: N803
                       pos_weight: Any = None) -> Any:  # fmt: skip
        """Return the loss of each example (``pos_weight`` weighs the positive labels)."""
        label = _label_like(label, pred, "SigmoidBinaryCrossEntropyLoss")
        if not self._from_sigmoid:
            soft = F.Activation(-F.abs(pred), act_type="softrelu")  # log(1 + exp(-|x|))
            if pos_weight is None:
                loss = F.relu(pred) - pred * label + soft
            else:
                log_weight = 1 + (pos_weight - 1) * label
                loss = pred - pred * label + log_weight * (soft + F.relu(-pred))
        else:
            eps = 1e-12
            positive = F.log(pred + eps) * label
            if pos_weight is not None:
                positive = positive * pos_weight
            loss = -(positive + F.log(1.0 - pred + eps) * (1.0 - label))
        return self._per_example(loss, sample_weight)


SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss


class KLDivLoss(Loss):
    """Kullback-Leibler divergence ``label · (log label - pred)``, ``pred`` log-probabilities.

    With ``from_logits=False``, ``pred`` are scores and ``log_softmax`` is taken first.
    """

    def __init__(self, from_logits: bool = True, axis: int = -1, weight: float | None = None,
                 batch_axis: int = 0, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits, self._axis = from_logits, axis

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None) -> Any:  # noqa: N803
        """Return the loss of each example."""
        if not self._from_logits:
            pred = F.log_softmax(pred, axis=self._axis)
        return self._per_example(label * (F.log(label + 1e-12) - pred), sample_weight)


class HuberLoss(Loss):
    """``|pred - label| - rho/2`` where the error exceeds ``rho``, else ``error²/(2·rho)``."""

    def __init__(self, rho: float = 1, weight: float | None = None, batch_axis: int = 0,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(weight, batch_axis, **kwargs)
        self._rho = rho

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None) -> Any:  # noqa: N803
        """Return the loss of each example."""
        error = F.abs(_label_like(label, pred, "HuberLoss") - pred)
        loss = F.where(error > self._rho, error - 0.5 * self._rho,
                       (0.5 / self._rho) * F.square(error))  # fmt: skip
        return self._per_example(loss, sample_weight)


class HingeLoss(Loss):
    """``max(0, margin - pred·label)`` for labels -1 and 1 (the SVM's loss)."""

    def __init__(self, margin: float = 1, weight: float | None = None, batch_axis: int = 0,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def _hinge(self, F: Any, pred: Any, label: Any) -> Any:  # noqa: N803
        return F.relu(self._margin - pred * _label_like(label, pred, type(self).__name__))

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None) -> Any:  # noqa: N803
        """Return the loss of each example."""
        return self._per_example(self._hinge(F, pred, label), sample_weight)


class SquaredHingeLoss(HingeLoss):
    """``max(0, margin - pred·label)²``."""

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None) -> Any:  # noqa: N803
        """Return the loss of each example."""
        return self._per_example(F.square(self._hinge(F, pred, label)), sample_weight)


class LogisticLoss(Loss):
    """``log(1 + exp(-pred·label))``: labels -1/1 (``'signed'``) or 0/1 (``'binary'``)."""

    def __init__(self, weight: float | None = None, batch_axis: int = 0,
                 label_format: str = "signed", **kwargs: Any) -> None:  # fmt: skip
        if label_format not in ("signed", "binary"):
            raise ValueError(f"LogisticLoss: label_format must be 'signed' or 'binary', got "
                             f"{label_format!r}.")  # fmt: skip
        super().__init__(weight, batch_axis, **kwargs)
        self._label_format = label_format

    def hybrid_forward(self, F: Any, pred: Any, label: Any, sample_weight: Any = None) -> Any:  # noqa: N803
        """Return the loss of each example (the stable form, as the sigmoid BCE)."""
        label = _label_like(label, pred, "LogisticLoss")
        if self._label_format == "signed":
            label = (label + 1.0) / 2.0  # -1/1 to 0/1
        soft = F.Activation(-F.abs(pred), act_type="softrelu")
        return self._per_example(F.relu(pred) - pred * label + soft, sample_weight)


class TripletLoss(Loss):
    """``max(0, |pred - positive|² - |pred - negative|² + margin)`` per example."""

    def __init__(self, margin: float = 1, weight: float | None = None, batch_axis: int = 0,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F: Any, pred: Any, positive: Any, negative: Any,  # noqa: N803
                       sample_weight: Any = None) -> Any:  # fmt: skip
        """Return the loss of each example."""
        positive = _label_like(positive, pred, "TripletLoss")
        negative = _label_like(negative, pred, "TripletLoss")
        gap = F.square(positive - pred) - F.square(negative - pred)
        loss = F.relu(gap.sum(axis=self._batch_axis, exclude=True) + self._margin)
        if sample_weight is not None:
            loss = loss * sample_weight
        return loss * self._weight if self._weight is not None else loss


__all__ = ["HingeLoss", "HuberLoss", "KLDivLoss", "L1Loss", "L2Loss", "LogisticLoss", "Loss",
           "SigmoidBCELoss", "SigmoidBinaryCrossEntropyLoss", "SoftmaxCELoss",
           "SoftmaxCrossEntropyLoss", "SquaredHingeLoss", "TripletLoss"]  # fmt: skip
