"""The basic layers: ``Sequential``, ``Dense``, ``Activation``, ``Dropout``, ``Flatten``.

Each is a few ``nd`` ops, so the graph of a gluon model shows the same ``dot``, ``add`` and
``relu`` nodes as the same model written from scratch (MXNet 1.9's layers, on the public
``nd`` API only).
"""

from __future__ import annotations

import math
from typing import Any

from ..block import Block, HybridBlock, _indent


class Sequential(Block):
    """Run the added blocks one after another: ``net.add(a, b)``, then ``net(x) = b(a(x))``."""

    def add(self, *blocks: Block) -> None:
        """Append blocks (each becomes a child, named by its position: ``0``, ``1``, ...)."""
        for block in blocks:
            if not isinstance(block, Block):
                raise TypeError(
                    f"Sequential.add: expected a Block (a layer such as nn.Dense(10)), got "
                    f"{type(block).__name__}."
                )
            self.register_child(block)

    def forward(self, x: Any) -> Any:
        """Pass ``x`` through every child in order."""
        for block in self._children.values():
            x = block(x)
        return x

    def __getitem__(self, key: Any) -> Any:
        children = list(self._children.values())
        if not isinstance(key, slice):
            return children[key]
        part = type(self)(prefix=self._prefix)  # a slice is a Sequential of those layers
        with part.name_scope():
            part.add(*children[key])
        return part

    def __len__(self) -> int:
        return len(self._children)

    def __repr__(self) -> str:
        lines = [f"  ({key}): {_indent(repr(block))}" for key, block in self._children.items()]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


class HybridSequential(Sequential, HybridBlock):
    """``Sequential`` for hybrid blocks (``hybridize()`` is accepted; it runs the same)."""

    def forward(self, x: Any) -> Any:
        """Pass ``x`` through every child in order."""
        return Sequential.forward(self, x)


class Dense(HybridBlock):
    """A fully connected layer: ``activation(x · weightᵀ + bias)``.

    ``weight`` has shape (units, in_units), ``bias`` (units,). Without ``in_units`` the
    input size is read from the first batch (until then the weight's shape shows a 0).
    With ``flatten=True`` (the default) an input of more than two dimensions is reshaped to
    (batch, -1) first; with ``flatten=False`` the layer acts on the last axis.
    """

    def __init__(self, units: int, activation: str | None = None, use_bias: bool = True,
                 flatten: bool = True, dtype: str = "float32", weight_initializer: Any = None,
                 bias_initializer: Any = "zeros", in_units: int = 0,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(**kwargs)
        self._units, self._flatten, self._in_units = int(units), flatten, int(in_units)
        with self.name_scope():
            self.weight = self.params.get("weight", shape=(self._units, self._in_units),
                                          init=weight_initializer, dtype=dtype,
                                          allow_deferred_init=True)  # fmt: skip
            self.bias = (self.params.get("bias", shape=(self._units,), init=bias_initializer,
                                         dtype=dtype, allow_deferred_init=True)
                         if use_bias else None)  # fmt: skip
            self.act = Activation(activation, prefix=f"{activation}_") if activation else None

    def infer_shape(self, x: Any, *args: Any) -> None:
        """Read ``in_units`` from the first batch."""
        in_units = math.prod(x.shape[1:]) if self._flatten else x.shape[-1]
        self.weight.shape = (self._units, in_units)

    def hybrid_forward(self, F: Any, x: Any, weight: Any, bias: Any = None) -> Any:  # noqa: N803
        """Return ``x · weightᵀ + bias``, then the activation."""
        if self._flatten and x.ndim != 2:
            x = x.reshape((x.shape[0], -1))
        expected = weight.shape[1]
        if x.shape[-1] != expected:
            raise ValueError(
                f"{self.name}: input of shape {x.shape} has {x.shape[-1]} features, but the "
                f"weight expects {expected} (shape {weight.shape}); give in_units={x.shape[-1]} "
                "or feed inputs of the size the layer was built for."
            )
        out = F.dot(x, weight, transpose_b=True)
        if bias is not None:
            out = out + bias
        # (forward, not a call: the activation belongs to the layer's box in the graph)
        return self.act.forward(out) if self.act is not None else out

    def __repr__(self) -> str:
        shape = self.weight.shape or (self._units, 0)
        act = repr(self.act) if self.act is not None else "linear"
        return f"{type(self).__name__}({shape[1] if shape[1] else None} -> {shape[0]}, {act})"


class Activation(HybridBlock):
    """Apply an activation function: ``'relu'``, ``'sigmoid'``, ``'tanh'``, ``'softrelu'``..."""

    def __init__(self, activation: str, **kwargs: Any) -> None:
        self._act_type = activation  # (before naming: the name is the activation's, relu0_)
        super().__init__(**kwargs)

    def _alias(self) -> str:
        return self._act_type

    def hybrid_forward(self, F: Any, x: Any) -> Any:  # noqa: N803
        """Apply the activation to ``x``, elementwise."""
        return F.Activation(x, act_type=self._act_type)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._act_type})"


class Dropout(HybridBlock):
    """Zero each element with probability ``rate`` while training (``autograd.record()``).

    The kept elements are scaled by 1/(1 - rate); outside training the layer is the identity.
    """

    def __init__(self, rate: float, axes: tuple = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rate, self._axes = rate, axes

    def hybrid_forward(self, F: Any, x: Any) -> Any:  # noqa: N803
        """Return the dropout of ``x`` in training mode, ``x`` itself otherwise."""
        return F.Dropout(x, p=self._rate, axes=self._axes)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p = {self._rate}, axes={self._axes})"


class Flatten(HybridBlock):
    """Reshape the input to (batch, -1)."""

    def hybrid_forward(self, F: Any, x: Any) -> Any:  # noqa: N803
        """Return ``x`` as a matrix: one row per example."""
        return x.reshape((x.shape[0], -1))

    def __repr__(self) -> str:
        return f"{type(self).__name__}"
