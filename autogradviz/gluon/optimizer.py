"""Optimizers (MXNet's ``mx.optimizer``): the update rules a ``Trainer`` applies.

Each rule updates a weight in place from its gradient, written with ``nd`` operations
outside ``record()``. As in MXNet, the gradient is first multiplied by ``rescale_grad``
(the Trainer sets it to 1/batch_size) and clipped to ``clip_gradient`` if given; weight
decay shrinks the weight by ``lr · wd · weight``. Each rule computes in the order of MXNet's
kernel, so float32 results match MXNet's digits. Written with NDArray operations only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class Optimizer:
    """The base: learning rate, weight decay, gradient rescaling and clipping."""

    def __init__(self, learning_rate: float = 0.01, wd: float = 0.0, rescale_grad: float = 1.0,
                 clip_gradient: float | None = None, lr_scheduler: Any = None,
                 param_idx2name: Any = None, begin_num_update: int = 0,
                 multi_precision: bool = False, param_dict: Any = None,
                 **unknown: Any) -> None:  # fmt: skip
        if unknown:  # a misspelt option must not be ignored silently
            raise TypeError(
                f"{type(self).__name__}: unknown optimizer option(s) {', '.join(sorted(unknown))}"
                "; check the spelling (e.g. 'learning_rate', 'wd', 'momentum')."
            )
        self.lr, self.wd, self.rescale_grad = float(learning_rate), float(wd), rescale_grad
        self.clip_gradient = clip_gradient or None  # (0 means no clipping, as in MXNet)

    @property
    def learning_rate(self) -> float:
        """The current learning rate."""
        return self.lr

    def set_learning_rate(self, lr: float) -> None:
        """Change the learning rate."""
        self.lr = float(lr)

    def create_state(self, index: int, weight: Any) -> Any:
        """Return the per-weight state (momentum, moments); ``None`` when the rule needs none."""
        return None

    def _scalars(self, lr_mult: float, wd_mult: float) -> tuple:
        """Return lr, wd and rescale_grad as float32, as MXNet's kernels see them."""
        return (np.float32(self.lr * lr_mult), np.float32(self.wd * wd_mult),
                np.float32(self.rescale_grad))  # fmt: skip

    def _clipped(self, grad: Any) -> Any:
        if self.clip_gradient is None:
            return grad
        return grad.clip(-self.clip_gradient, self.clip_gradient)

    def update(self, index: int, weight: Any, grad: Any, state: Any, lr_mult: float = 1.0,
               wd_mult: float = 1.0) -> None:  # fmt: skip
        """Update ``weight`` in place."""
        raise NotImplementedError(f"{type(self).__name__}: an optimizer must define update().")


class SGD(Optimizer):
    """``weight -= lr · grad``; with ``momentum``, a velocity keeps a share of the last step."""

    def __init__(self, momentum: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.momentum = momentum

    def create_state(self, index: int, weight: Any) -> Any:
        """Return the velocity (zeros), only with momentum."""
        return weight.zeros_like() if self.momentum else None

    def update(self, index: int, weight: Any, grad: Any, state: Any, lr_mult: float = 1.0,
               wd_mult: float = 1.0) -> None:  # fmt: skip
        """Take one SGD step, in the order of MXNet's ``multi_sgd_update`` kernel (same digits).

        That is the kernel MXNet 1.9's Trainer uses (it updates weights in groups of four).
        """
        lr, wd, rescale = self._scalars(lr_mult, wd_mult)
        if self.clip_gradient is None:
            step = (lr * rescale) * grad
        else:
            step = lr * self._clipped(rescale * grad)
        if state is None:
            weight[:] = weight + (-((lr * wd) * weight) - step) if wd else weight - step
            return
        velocity = self.momentum * state
        state[:] = (velocity - (lr * wd) * weight if wd else velocity) - step
        weight[:] = weight + state


class Adam(Optimizer):
    """Adam: steps scaled by running averages of the gradient and of its square."""

    def __init__(self, learning_rate: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 epsilon: float = 1e-8, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon

    def create_state(self, index: int, weight: Any) -> Any:
        """Return the mean and variance estimates (zeros) and the step count."""
        return [weight.zeros_like(), weight.zeros_like(), 0]

    def update(self, index: int, weight: Any, grad: Any, state: Any, lr_mult: float = 1.0,
               wd_mult: float = 1.0) -> None:  # fmt: skip
        """Take one Adam step (MXNet's bias correction folded into the learning rate)."""
        mean, var, t = state
        state[2] = t = t + 1
        lr = self.lr * lr_mult * math.sqrt(1 - self.beta2**t) / (1 - self.beta1**t)
        _, wd, rescale = self._scalars(lr_mult, wd_mult)
        beta1, beta2 = np.float32(self.beta1), np.float32(self.beta2)  # (float32 in the kernel)
        grad = self._clipped(rescale * grad + wd * weight if wd else rescale * grad)
        mean[:] = beta1 * mean + (np.float32(1) - beta1) * grad
        var[:] = beta2 * var + (np.float32(1) - beta2) * grad.square()
        weight[:] = weight - np.float32(lr) * mean / (var.sqrt() + np.float32(self.epsilon))


class AdaGrad(Optimizer):
    """AdaGrad: each weight's step divided by the root of its summed squared gradients."""

    def __init__(self, eps: float = 1e-7, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.eps = eps

    def create_state(self, index: int, weight: Any) -> Any:
        """Return the sum of squared gradients (zeros)."""
        return weight.zeros_like()

    def update(self, index: int, weight: Any, grad: Any, state: Any, lr_mult: float = 1.0,
               wd_mult: float = 1.0) -> None:  # fmt: skip
        """Take one AdaGrad step."""
        lr, wd, rescale = self._scalars(lr_mult, wd_mult)
        grad = self._clipped(rescale * grad)
        state[:] = state + grad.square()
        weight[:] = weight - lr * (grad / (state + self.eps).sqrt() + wd * weight)


class RMSProp(Optimizer):
    """RMSProp (not centered): steps divided by the root of a running mean of squared gradients."""

    def __init__(self, learning_rate: float = 0.001, gamma1: float = 0.9, epsilon: float = 1e-8,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1, self.epsilon = gamma1, epsilon

    def create_state(self, index: int, weight: Any) -> Any:
        """Return the running mean of squared gradients (zeros)."""
        return weight.zeros_like()

    def update(self, index: int, weight: Any, grad: Any, state: Any, lr_mult: float = 1.0,
               wd_mult: float = 1.0) -> None:  # fmt: skip
        """Take one RMSProp step."""
        lr, wd, rescale = self._scalars(lr_mult, wd_mult)
        grad = self._clipped(rescale * grad + wd * weight if wd else rescale * grad)
        state[:] = (1 - self.gamma1) * grad.square() + self.gamma1 * state
        weight[:] = weight - lr * grad / (state + self.epsilon).sqrt()


class AdaDelta(Optimizer):
    """AdaDelta: no learning rate; steps scaled by running means of squared steps and gradients."""

    def __init__(self, rho: float = 0.9, epsilon: float = 1e-5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rho, self.epsilon = rho, epsilon

    def create_state(self, index: int, weight: Any) -> Any:
        """Return the running means of squared gradients and of squared steps (zeros)."""
        return [weight.zeros_like(), weight.zeros_like()]

    def update(self, index: int, weight: Any, grad: Any, state: Any, lr_mult: float = 1.0,
               wd_mult: float = 1.0) -> None:  # fmt: skip
        """Take one AdaDelta step."""
        _, wd, rescale = self._scalars(lr_mult, wd_mult)
        grad = self._clipped(rescale * grad)
        mean_grad, mean_step = state
        mean_grad[:] = self.rho * mean_grad + (1 - self.rho) * grad.square()
        step = (mean_step + self.epsilon).sqrt() / (mean_grad + self.epsilon).sqrt() * grad
        mean_step[:] = self.rho * mean_step + (1 - self.rho) * step.square()
        weight[:] = weight - (step + wd * weight)


_BY_NAME: dict[str, type[Optimizer]] = {"sgd": SGD, "adam": Adam, "adagrad": AdaGrad,
                                        "rmsprop": RMSProp, "adadelta": AdaDelta}  # fmt: skip


def register(klass: type[Optimizer]) -> type[Optimizer]:
    """Make ``klass`` available by its lower-case name (``Trainer(params, 'myopt')``)."""
    _BY_NAME[klass.__name__.lower()] = klass
    return klass


def create(name: Any, **kwargs: Any) -> Optimizer:
    """Return an optimizer from a name (``'sgd'``, ``'adam'``) and its parameters.

    Raises
    ------
    ValueError
        If the name is unknown.
    """
    if isinstance(name, Optimizer):
        return name
    if isinstance(name, str) and name.lower() in _BY_NAME:
        return _BY_NAME[name.lower()](**kwargs)
    raise ValueError(
        f"optimizer: unknown optimizer {name!r}; use one of {', '.join(sorted(_BY_NAME))}, or "
        "an Optimizer instance."
    )


__all__ = ["SGD", "AdaDelta", "AdaGrad", "Adam", "Optimizer", "RMSProp", "create", "register"]
