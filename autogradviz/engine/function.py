"""``autograd.Function``: user-defined ops with a hand-written backward.

Each output of a call becomes one graph node whose inputs are the call's inputs. Backward
calls the user's ``backward`` once per output that receives a gradient, passing zeros for the
other outputs (backward is linear in its arguments, so the sum is the full gradient).
Imports numpy, ``errors`` and ``tape`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import GraphError, ShapeError, shape_text
from .tape import Node, call_site, flags, in_graph, watch


class _FunctionOutput:
    """Plays the part of an ``Op`` for output ``index`` of one call of a ``Function``."""

    def __init__(self, function: Function, index: int, outputs: list) -> None:
        self.function = function
        self.index = index
        self.name = type(function).__name__
        self.formula = f"custom rule: {self.name}.backward(*output_grads)"
        self.out_meta = [(o.shape, o.dtype) for o in outputs]

    def vjp(self, grad_out: Any, out: Any, inputs: tuple, attrs: dict) -> list:
        # The user's backward gets arrays of its own: it may write into them (``dy *= 2``),
        # and ``grad_out`` may be shared with other branches or be the caller's head gradient.
        output_grads = [
            type(grad_out)(grad_out._data.copy() if k == self.index else np.zeros(shape, dtype))
            for k, (shape, dtype) in enumerate(self.out_meta)
        ]
        previous, flags.recording = flags.recording, False
        try:
            grads = self.function.backward(*output_grads)
        finally:
            flags.recording = previous
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        self._check(grads, inputs)
        return [g if in_graph(x) else None for g, x in zip(grads, inputs, strict=True)]

    def _check(self, grads: list, inputs: tuple) -> None:
        if len(grads) != len(inputs):
            raise ShapeError(
                f"{self.name}.backward: returned {len(grads)} gradients for {len(inputs)} "
                "inputs; return one NDArray per input of forward, in order."
            )
        for i, (grad, x) in enumerate(zip(grads, inputs, strict=True)):
            if not hasattr(grad, "_node"):
                raise TypeError(
                    f"{self.name}.backward: gradient {i} is a {type(grad).__name__}, not an "
                    "NDArray; wrap it with nd.array(...)."
                )
            if hasattr(x, "shape") and grad.shape != x.shape:
                raise ShapeError(
                    f"{self.name}.backward: gradient {i} has shape {shape_text(grad.shape)} "
                    f"but input {i} has shape {shape_text(x.shape)}; return one gradient "
                    "per input, shaped like that input."
                )


class Function:
    """A differentiable op written by the user: subclass it and define two methods.

    ``forward(self, *inputs)`` computes the outputs (it is never recorded) and may call
    ``self.save_for_backward(...)``; ``backward(self, *output_grads)`` returns one gradient
    per input. Each instance may be called once.

    Examples
    --------
    >>> from autogradviz import nd, autograd
    >>> class Square(autograd.Function):
    ...     def forward(self, x):
    ...         self.save_for_backward(x)
    ...         return x * x
    ...     def backward(self, grad_out):
    ...         (x,) = self.saved_tensors
    ...         return 2 * x * grad_out
    >>> x = nd.array([3.0]); x.attach_grad()
    >>> with autograd.record():
    ...     y = Square()(x)
    >>> y.backward(); print(x.grad.asscalar())
    6.0
    """

    def __init__(self) -> None:
        self._used = False
        self.saved_tensors: tuple = ()

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep ``arrays`` for ``backward`` as ``self.saved_tensors``."""
        self.saved_tensors = arrays

    def forward(self, *inputs: Any) -> Any:
        """Compute the outputs from the inputs (override this)."""
        raise NotImplementedError(f"{type(self).__name__}: define forward(self, *inputs).")

    def backward(self, *output_grads: Any) -> Any:
        """Return one gradient per input, given one gradient per output (override this)."""
        raise NotImplementedError(f"{type(self).__name__}: define backward(self, *grads).")

    def __call__(self, *inputs: Any) -> Any:
        """Run ``forward`` unrecorded, then record one graph node per output."""
        if getattr(self, "_used", None) is None:
            raise GraphError(
                f"{type(self).__name__}: __init__ did not call super().__init__(); add it."
            )
        if self._used:
            raise GraphError(
                f"{type(self).__name__}: each Function instance can only be called once. "
                "Please create another instance."
            )
        self._used = True
        previous, flags.recording = flags.recording, False
        try:
            outputs = self.forward(*inputs)
        finally:
            flags.recording = previous
        if flags.recording and any(in_graph(x) for x in inputs):
            self._check_outputs(outputs)  # (unrecorded, forward's result is returned as is)
            outputs = self._record(inputs, outputs)
        return outputs

    def _check_outputs(self, outputs: Any) -> None:
        """Raise a clear error unless ``forward`` returned NDArrays (one, or a list/tuple)."""
        outs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        for k, out in enumerate(outs):
            if not hasattr(type(out), "_node"):
                which = f"output {k}" if isinstance(outputs, (list, tuple)) else "its output"
                raise TypeError(
                    f"{type(self).__name__}.forward: {which} is a {type(out).__name__}, not an "
                    "NDArray; compute it with nd operations on the inputs, or wrap it with "
                    "nd.array(...). Return one NDArray, or a list or tuple of them."
                )

    def _record(self, inputs: tuple, outputs: Any) -> Any:
        single = not isinstance(outputs, (list, tuple))
        outs = [outputs] if single else list(outputs)
        # An output that is one of the inputs gets a new array, so the input keeps its node.
        outs = [type(o)(o._data) if any(o is x for x in inputs) else o for o in outs]
        site = call_site() if watch.sites else None
        for k, out in enumerate(outs):
            out._node = Node(_FunctionOutput(self, k, outs), tuple(inputs), {}, site)
        return outs[0] if single else type(outputs)(outs)
