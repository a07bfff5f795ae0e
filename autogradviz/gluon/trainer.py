"""``Trainer``: applies an optimizer's update to a set of parameters after each backward.

``trainer.step(batch_size)`` rescales each gradient by 1/batch_size (the loss of a batch is
a sum over its examples, MXNet's convention) and updates every parameter whose gradient is
fresh: written by a backward since the last step. A stale gradient means part of the
network did not take part in the pass; MXNet refuses to go on unless told to skip such
parameters. Written on the public ``nd`` API only.
"""

from __future__ import annotations

from typing import Any

from . import optimizer as opt
from .parameter import Parameter
from .parameter_dict import ParameterDict


class Trainer:
    """Update ``params`` with ``optimizer`` (``'sgd'``, ``'adam'`` or an Optimizer).

    Examples
    --------
    >>> import autogradviz as mx
    >>> from autogradviz import autograd, gluon, nd
    >>> net = gluon.nn.Dense(1, in_units=2)
    >>> net.initialize(mx.init.One())
    >>> trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    >>> with autograd.record():
    ...     loss = net(nd.array([[1.0, 2.0]])).sum()
    >>> loss.backward()
    >>> trainer.step(1)
    >>> net.weight.data().asnumpy().tolist()
    [[0.8999999761581421, 0.800000011920929]]
    """

    def __init__(self, params: Any, optimizer: Any, optimizer_params: dict | None = None,
                 kvstore: Any = "device", **_ignored: Any) -> None:  # fmt: skip
        self._params = _parameter_list(params)
        self._optimizer = opt.create(optimizer, **dict(optimizer_params or {}))
        self._states: dict[int, Any] = {}
        self._scale = self._optimizer.rescale_grad

    @property
    def learning_rate(self) -> float:
        """The optimizer's learning rate."""
        return self._optimizer.learning_rate

    @property
    def optimizer(self) -> opt.Optimizer:
        """The optimizer applying the updates."""
        return self._optimizer

    def set_learning_rate(self, lr: float) -> None:
        """Change the learning rate for the following steps."""
        self._optimizer.set_learning_rate(lr)

    def step(self, batch_size: float, ignore_stale_grad: bool = False) -> None:
        """Rescale the gradients by 1/``batch_size`` and update every trained parameter.

        Raises
        ------
        UserWarning
            If a parameter's gradient was not written by a backward since the last step
            (pass ``ignore_stale_grad=True`` to skip such parameters instead).
        """
        self.allreduce_grads()
        self.update(batch_size, ignore_stale_grad)

    def allreduce_grads(self) -> None:
        """Sum gradients across devices (one device here: nothing to do)."""

    def update(self, batch_size: float, ignore_stale_grad: bool = False) -> None:
        """Rescale by 1/``batch_size`` and update (``step`` without ``allreduce_grads``)."""
        if (
            not isinstance(batch_size, (int, float))
            or isinstance(batch_size, bool)
            or not batch_size > 0
        ):
            raise ValueError(
                f"Trainer.step: batch_size must be a positive number, got {batch_size!r}; pass "
                "the number of examples in the batch (data.shape[0])."
            )
        self._optimizer.rescale_grad = self._scale / batch_size
        trained = [(i, p) for i, p in enumerate(self._params) if p.grad_req != "null"]
        if not ignore_stale_grad:
            for _, param in trained:
                if not param.data()._fresh_grad:
                    raise UserWarning(
                        f"Gradient of Parameter `{param.name}` has not been updated by "
                        "backward since last `step`. This could mean a bug in your model "
                        "that made it only use a subset of the Parameters (Blocks) for this "
                        "iteration. If you are intentionally only using a subset, call step "
                        "with ignore_stale_grad=True to skip Parameters with stale gradients."
                    )
        for index, param in trained:
            data = param.data()
            if not data._fresh_grad:  # (stale, and the caller asked to skip those)
                continue
            if index not in self._states:
                self._states[index] = self._optimizer.create_state(index, data)
            self._optimizer.update(index, data, param.grad(), self._states[index],
                                   param.lr_mult, param.wd_mult)  # fmt: skip
            data._fresh_grad = False


def _parameter_list(params: Any) -> list[Parameter]:
    """Return the parameters of a ParameterDict, a dict or a list, checked."""
    if isinstance(params, (ParameterDict, dict)):
        params = list(params.values())
    if not isinstance(params, (list, tuple)):
        raise TypeError(
            f"Trainer: params must be a ParameterDict (net.collect_params()), a dict or a "
            f"list of Parameters, got {type(params).__name__}."
        )
    for param in params:
        if not isinstance(param, Parameter):
            raise TypeError(
                f"Trainer: params must hold Parameters, got a {type(param).__name__}; pass "
                "net.collect_params()."
            )
    return list(params)
