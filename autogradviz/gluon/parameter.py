"""``Parameter``: one named, trainable array of a model (MXNet 1.9's gluon).

A Parameter holds one NDArray with a gradient buffer (``attach_grad``) once initialized.
Its shape may be partly unknown (a 0 marks a dimension the first batch decides, as in
``nn.Dense(10)``); initialization then waits for that batch ("deferred"). Written on the
public ``nd`` API only.
"""

from __future__ import annotations

import warnings
import weakref
from typing import Any

import numpy as np

from .. import nd
from ..context import Context, check_context, cpu
from ..errors import AutogradvizError
from . import initializer

_GRAD_REQS = ("write", "add", "null")


_live: weakref.WeakSet[Parameter] = weakref.WeakSet()  # every parameter, for the names


def parameter_names() -> dict[int, str]:
    """Return ``{id(array): name}`` for the arrays of live parameters (``dense0_weight``).

    The graph view names a gluon model's variables with these.
    """
    return {id(p._data): p.name for p in list(_live) if p._data is not None}


class DeferredInitializationError(AutogradvizError):
    """The parameter's shape is not known yet: its values come with the first batch."""


class Parameter:
    """A named array a model learns, with its gradient, initializer and learning-rate factors.

    Parameters
    ----------
    name : str
        The full name, e.g. ``dense0_weight``.
    grad_req : str
        ``'write'`` (the default), ``'add'`` or ``'null'`` (not trained).
    shape : tuple of int, optional
        The shape; a 0 marks a dimension not known until the first batch.
    dtype : numpy dtype
        ``numpy.float32`` unless given.
    init : Initializer or str, optional
        This parameter's own initializer; without one, the one passed to ``initialize``.

    Examples
    --------
    >>> import autogradviz as mx
    >>> p = mx.gluon.Parameter("w", shape=(2, 3))
    >>> p.initialize(mx.init.One())
    >>> p.data().asnumpy().tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """

    def __init__(self, name: str, grad_req: str = "write", shape: Any = None,
                 dtype: Any = np.float32, lr_mult: float = 1.0, wd_mult: float = 1.0,
                 init: Any = None, allow_deferred_init: bool = False,
                 differentiable: bool = True, **_ignored: Any) -> None:  # fmt: skip
        self.name = name
        self._shape = None if shape is None else as_shape(shape, name)
        self.dtype = dtype
        self.lr_mult, self.wd_mult = lr_mult, wd_mult
        self.init = init
        self.allow_deferred_init = allow_deferred_init
        self._grad_req = _checked_grad_req(grad_req if differentiable else "null", name)
        self._data: Any = None
        self._deferred: tuple | None = None  # (the initializer, the first values or None)
        _live.add(self)

    def __repr__(self) -> str:
        dtype = np.dtype(self.dtype).name if isinstance(self.dtype, str) else self.dtype
        return f"Parameter {self.name} (shape={self.shape}, dtype={dtype})"

    # ------------------------------------------------------------------ shape and grad_req
    @property
    def shape(self) -> tuple[int, ...] | None:
        """The shape; 0 in a dimension means "known after the first batch"."""
        return self._shape

    @shape.setter
    def shape(self, new_shape: Any) -> None:
        new_shape = as_shape(new_shape, self.name)
        old = self._shape
        if not fills(old, new_shape):
            raise ValueError(
                f"{self.name}: cannot change shape {old} to {new_shape}; only dimensions "
                "marked unknown (0) can be filled in. Check the layer's in_units or the "
                "input's shape."
            )
        self._shape = new_shape

    @property
    def grad_req(self) -> str:
        """``'write'``, ``'add'`` or ``'null'``; setting it re-attaches the gradient buffer."""
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req: str) -> None:
        self._grad_req = _checked_grad_req(req, self.name)
        if self._data is not None:
            self._attach(self._data)

    # ------------------------------------------------------------------ initialization
    def initialize(self, init: Any = None, ctx: Any = None, default_init: Any = None,
                   force_reinit: bool = False) -> None:  # fmt: skip
        """Draw the first values: with ``init`` if given, else ``self.init``, else the default.

        With an unknown dimension in the shape, the values are drawn at the first batch. A
        failure (an unknown initializer, Xavier on a vector) leaves the parameter as it was.
        """
        commit = self.prepare_initialize(init, ctx, default_init, force_reinit)
        if commit is not None:
            commit()

    def prepare_initialize(self, init: Any = None, ctx: Any = None, default_init: Any = None,
                           force_reinit: bool = False) -> Any:  # fmt: skip
        """Do the work of ``initialize`` that can fail; return what completes it (or None).

        ``ParameterDict.initialize`` prepares every parameter before it changes any.
        """
        _check_ctx(ctx, f"{self.name}.initialize")
        if self._data is not None and not force_reinit:
            warnings.warn(f"Parameter '{self.name}' is already initialized, ignoring. Set "
                          "force_reinit=True to re-initialize.", stacklevel=3)  # fmt: skip
            return None
        default = initializer.Uniform() if default_init is None else default_init
        chosen = init if init is not None else (self.init if self.init is not None else default)
        chosen = initializer.create(chosen)  # (a misspelt name fails here, before any change)
        if self._shape is None or 0 in self._shape:
            if not self.allow_deferred_init:
                raise ValueError(
                    f"{self.name}: cannot initialize a parameter of unknown shape "
                    f"{self.shape}; give it a full shape (e.g. in_units= for a layer)."
                )
            return lambda: self._defer(chosen)
        data = self._first_values(chosen, None)
        return lambda: self._set_initialized(data)

    def _defer(self, chosen: Any) -> None:
        self._data, self._deferred = None, (chosen, None)

    def _set_initialized(self, data: Any) -> None:
        self._deferred = None
        self._attach(data)

    def _first_values(self, chosen: Any, given: Any) -> Any:
        """Return a new array of the parameter's shape with its first values."""
        data = nd.zeros(self._shape, dtype=self.dtype)
        if given is not None:
            data[:] = given
        else:
            initializer.create(chosen)(self.name, data)
        return data

    def _finish_deferred_init(self) -> None:
        """Draw the values now that the shape is known (the first batch called this)."""
        if self._deferred is None:
            return
        chosen, given = self._deferred
        if self._shape is None or 0 in self._shape:
            raise DeferredInitializationError(
                f"{self.name}: shape {self.shape} is still unknown; pass one batch through "
                "the network first (net(x)), or give the layer in_units=."
            )
        self._set_initialized(self._first_values(chosen, given))

    def _attach(self, data: Any) -> None:
        self._data = data
        if self._grad_req != "null":
            data.attach_grad(self._grad_req)

    # ------------------------------------------------------------------ values and gradients
    def data(self, ctx: Any = None) -> Any:
        """Return the parameter's NDArray (the one ``backward`` writes the gradient of)."""
        _check_ctx(ctx, f"{self.name}.data")
        if self._data is not None:
            return self._data
        if self._deferred is not None:
            raise DeferredInitializationError(
                f"Parameter '{self.name}' has not been initialized yet because "
                "initialization was deferred: its shape "
                f"{self.shape} is known at the first batch. Pass one batch through the "
                "network (net(x)) before reading it."
            )
        raise RuntimeError(
            f"Parameter '{self.name}' has not been initialized. Call net.initialize() (or "
            "net.collect_params().initialize()) before using the network."
        )

    def list_data(self) -> list:
        """Return ``[self.data()]`` (one copy: everything lives on the CPU)."""
        return [self.data()]

    def grad(self, ctx: Any = None) -> Any:
        """Return the gradient buffer (``self.data().grad``)."""
        data = self.data(ctx)
        if data.grad is None:
            raise RuntimeError(
                f"Parameter '{self.name}' has no gradient because grad_req='null'; set "
                "grad_req='write' to train it."
            )
        return data.grad

    def list_grad(self) -> list:
        """Return ``[self.grad()]``."""
        return [self.grad()]

    def list_ctx(self) -> list[Context]:
        """Return the contexts holding the parameter: ``[cpu(0)]``."""
        return [cpu()]

    def set_data(self, data: Any) -> None:
        """Write new values (in place; before initialization, they become the first ones)."""
        values = data.asnumpy() if hasattr(data, "asnumpy") else np.asarray(data)
        self.shape = values.shape
        if self._data is None:
            if self._deferred is None:
                self._deferred = (None, None)
            self._deferred = (self._deferred[0], values)
            self._finish_deferred_init()
            return
        self._data[:] = values

    def zero_grad(self) -> None:
        """Set the gradient buffer to zeros (for ``grad_req='add'``)."""
        if self._data is not None and self._data.grad is not None:
            self._data.grad[:] = 0

    def reset_ctx(self, ctx: Any) -> None:
        """Move to ``ctx`` (only the CPU exists: nothing to do)."""
        _check_ctx(ctx, f"{self.name}.reset_ctx")

    def cast(self, dtype: Any) -> None:
        """Convert the values (and the gradient buffer) to ``dtype``."""
        self.dtype = dtype
        if self._data is not None:
            self._attach(self._data.astype(dtype))


def fills(known: tuple[int, ...] | None, shape: tuple[int, ...]) -> bool:
    """Whether ``shape`` agrees with ``known`` where it is known (0: not known yet)."""
    return known is None or (
        len(known) == len(shape) and all(k in (0, s) for k, s in zip(known, shape, strict=True))
    )


def as_shape(shape: Any, name: str) -> tuple[int, ...]:
    """Return ``shape`` as a tuple of ints (an int is one dimension), or a clear TypeError."""
    try:
        return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name}: shape must be an int or a tuple of ints, got {shape!r:.40}; pass e.g. "
            "shape=(10, 784)."
        ) from None


def _checked_grad_req(req: Any, name: str) -> str:
    if req not in _GRAD_REQS:
        raise ValueError(f"{name}: grad_req must be 'write', 'add' or 'null', got {req!r:.40}.")
    return req


def _check_ctx(ctx: Any, where: str) -> None:
    for one in ctx if isinstance(ctx, (list, tuple)) else [ctx]:
        check_context(one, where)


def __getattr__(name: str) -> Any:
    """Give ``gluon.parameter.ParameterDict``: MXNet defines it in this module."""
    if name == "ParameterDict":  # (it lives in parameter_dict, which imports this module)
        from .parameter_dict import ParameterDict

        return ParameterDict
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
