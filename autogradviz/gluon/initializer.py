"""Initializers (MXNet's ``mx.init``): how a parameter's first values are drawn.

An initializer fills an existing array in place through ``_init_weight(name, arr)``, as in
MXNet 1.9. Which one applies to a parameter is the parameter's business
(``Parameter.initialize``): its own ``init`` if it has one, else the one passed to
``initialize``. Random draws come from ``nd.random`` (``mx.random.seed`` repeats them; the
numbers differ from MXNet's, whose random streams cannot be reproduced). Written on the
public ``nd`` API only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import nd


class Initializer:
    """The base class: ``init(name, arr)`` fills ``arr`` (an NDArray) in place."""

    def __call__(self, name: Any, arr: Any) -> None:
        """Fill ``arr`` for the parameter called ``name``."""
        self._init_weight(str(name), arr)

    def _init_weight(self, name: str, arr: Any) -> None:
        raise NotImplementedError(
            f"{type(self).__name__}: an initializer must define _init_weight(name, arr), "
            "which fills arr in place (arr[:] = ...)."
        )

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value!r}" for key, value in vars(self).items())
        return f"{type(self).__name__}({fields})"


class Zero(Initializer):
    """Fill with zeros (``'zeros'``)."""

    def _init_weight(self, name: str, arr: Any) -> None:
        arr[:] = 0


class One(Initializer):
    """Fill with ones (``'ones'``)."""

    def _init_weight(self, name: str, arr: Any) -> None:
        arr[:] = 1


class Constant(Initializer):
    """Fill with ``value`` (a number, or an array of the parameter's shape)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def _init_weight(self, name: str, arr: Any) -> None:
        arr[:] = self.value


class Uniform(Initializer):
    """Draw from the uniform distribution on ``[-scale, scale]`` (MXNet's default, 0.07)."""

    def __init__(self, scale: float = 0.07) -> None:
        self.scale = scale

    def _init_weight(self, name: str, arr: Any) -> None:
        arr[:] = nd.random.uniform(-self.scale, self.scale, shape=arr.shape, dtype=arr.dtype)


class Normal(Initializer):
    """Draw from the normal distribution with mean 0 and standard deviation ``sigma``."""

    def __init__(self, sigma: float = 0.01) -> None:
        self.sigma = sigma

    def _init_weight(self, name: str, arr: Any) -> None:
        arr[:] = nd.random.normal(0, self.sigma, shape=arr.shape, dtype=arr.dtype)


class Xavier(Initializer):
    """Glorot's rule: a scale of ``sqrt(magnitude / fan)`` from the weight's fan-in/fan-out.

    ``rnd_type`` is ``'uniform'`` (on ``[-scale, scale]``) or ``'gaussian'`` (standard
    deviation ``scale``); ``factor_type`` picks the fan: ``'avg'`` (the mean of fan-in and
    fan-out), ``'in'`` or ``'out'``. For a Dense weight of shape (out, in), fan-in is ``in``.
    """

    def __init__(self, rnd_type: str = "uniform", factor_type: str = "avg",
                 magnitude: float = 3) -> None:  # fmt: skip
        if rnd_type not in ("uniform", "gaussian"):
            raise ValueError(
                f"Xavier: unknown rnd_type {rnd_type!r}; use 'uniform' or 'gaussian'."
            )
        if factor_type not in ("avg", "in", "out"):
            raise ValueError(
                f"Xavier: unknown factor_type {factor_type!r}; use 'avg', 'in' or 'out'."
            )
        self.rnd_type, self.factor_type, self.magnitude = rnd_type, factor_type, float(magnitude)

    def _init_weight(self, name: str, arr: Any) -> None:
        shape = arr.shape
        if len(shape) < 2:
            raise ValueError(
                f"Xavier: cannot initialize {name} of shape {shape}, a vector: the rule needs "
                "at least 2 dimensions (a weight). Give this parameter another init, such as "
                "init='zeros' for a bias."
            )
        receptive = math.prod(shape[2:])  # (a convolution's kernel size; 1 for a matrix)
        fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
        fan = {"avg": (fan_in + fan_out) / 2.0, "in": fan_in, "out": fan_out}[self.factor_type]
        scale = math.sqrt(self.magnitude / fan)
        if self.rnd_type == "uniform":
            arr[:] = nd.random.uniform(-scale, scale, shape=shape, dtype=arr.dtype)
        else:
            arr[:] = nd.random.normal(0, scale, shape=shape, dtype=arr.dtype)


_BY_NAME = {"zeros": Zero, "zero": Zero, "ones": One, "one": One, "uniform": Uniform,
            "normal": Normal, "xavier": Xavier}  # fmt: skip


def create(init: Any) -> Initializer:
    """Return an initializer from an instance, a name (``'zeros'``, ``'xavier'``) or a number.

    Raises
    ------
    ValueError
        If ``init`` names no initializer.
    """
    if isinstance(init, Initializer):
        return init
    if isinstance(init, str) and init.lower() in _BY_NAME:
        return _BY_NAME[init.lower()]()
    if isinstance(init, (int, float, np.number)) and not isinstance(init, bool):
        return Constant(init)
    raise ValueError(
        f"init: {init!r} is not an initializer; pass one such as mx.init.Normal(0.01), "
        f"mx.init.Xavier() or a name: {', '.join(sorted(_BY_NAME))}."
    )


__all__ = ["Constant", "Initializer", "Normal", "One", "Uniform", "Xavier", "Zero", "create"]
