"""``Block`` and ``HybridBlock``: a layer or a model, with its parameters and child blocks.

Names follow MXNet 1.9: a block made outside any ``name_scope()`` is named after its class
with a counter per class name (``dense0_``, ``dense1_``, ``sequential0_``); inside a parent's
``with self.name_scope():`` the counter is the parent's own and the parent's prefix comes
first (``sequential0_dense0_``). Parameters are named prefix + ``weight``/``bias``.
Blocks assigned as attributes become children, in assignment order. Written on the public
``nd`` API only.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .. import autograd, nd
from .parameter import DeferredInitializationError, Parameter
from .parameter_dict import ParameterDict
from .serialization import load_into, structural_params


class _Counters(threading.local):
    """Blocks made outside any name scope, per class name: one count per thread (MXNet's)."""

    def __init__(self) -> None:
        self.by_hint: dict[str, int] = {}


_global_counters = _Counters()


class _Scope(threading.local):
    block: Block | None = None  # the block whose name_scope() is open in this thread


_scope = _Scope()


def _new_prefix(hint: str, prefix: str | None, params: ParameterDict | None) -> tuple:
    """Return ``(full prefix, the block's own part of it, its ParameterDict)`` (MXNet's rule).

    Outside any ``name_scope()`` the counter is the thread's, one per class name; inside a
    parent's, it is the parent's, and the parent's prefix comes first.
    """
    parent = _scope.block
    counters = _global_counters.by_hint if parent is None else parent._counters
    if prefix is None:
        count = counters.get(hint, 0)
        counters[hint] = count + 1
        prefix = f"{hint}{count}_"
    if params is not None:
        own = ParameterDict(params.prefix, params)
    elif parent is None:
        own = ParameterDict(prefix)
    else:
        own = ParameterDict(parent.params.prefix + prefix, parent.params._shared)
    return ("" if parent is None else parent.prefix) + prefix, prefix, own


class Block:
    """The base of every layer and model: ``net(x)`` calls ``net.forward(x)``.

    Subclasses create their layers inside ``with self.name_scope():`` and define
    ``forward``. ``collect_params()`` gathers the block's own parameters, then its
    children's, in creation order.

    Examples
    --------
    >>> from autogradviz import gluon, nd
    >>> class Net(gluon.Block):
    ...     def __init__(self, **kwargs):
    ...         super().__init__(**kwargs)
    ...         with self.name_scope():
    ...             self.hidden = gluon.nn.Dense(4, activation="relu")
    ...             self.output = gluon.nn.Dense(1)
    ...     def forward(self, x):
    ...         return self.output(self.hidden(x))
    >>> net = Net(prefix="net_")
    >>> net.initialize()
    >>> net(nd.ones((2, 3))).shape
    (2, 1)
    >>> list(net.collect_params().keys())
    ['net_dense0_weight', 'net_dense0_bias', 'net_dense1_weight', 'net_dense1_bias']
    """

    _prefix: str
    _params: ParameterDict
    _children: OrderedDict[str, Block]  # child blocks by attribute name (or position)
    _reg_params: OrderedDict[str, Parameter]  # parameters assigned as attributes
    _counters: dict[str, int]  # per class name, for the children made in name_scope()
    _label: str  # the name of the block's box in the graph

    def __init__(self, prefix: str | None = None, params: ParameterDict | None = None) -> None:
        full, part, own = _new_prefix(self._alias(), prefix, params)
        # the name of its box in the graph: its own part (``dense0`` inside ``sequential0``)
        object.__setattr__(self, "_label", part.rstrip("_") or self.__class__.__name__)
        object.__setattr__(self, "_prefix", full)
        object.__setattr__(self, "_params", own)
        object.__setattr__(self, "_children", OrderedDict())
        object.__setattr__(self, "_reg_params", OrderedDict())
        object.__setattr__(self, "_counters", {})

    # ------------------------------------------------------------------ names and children
    def _alias(self) -> str:
        """Return the start of the block's default name: its class name, lower case."""
        return type(self).__name__.lower()

    @property
    def prefix(self) -> str:
        """The prefix of this block's names, e.g. ``dense0_``."""
        return self._prefix

    @property
    def name(self) -> str:
        """The prefix without its trailing underscore, e.g. ``dense0``."""
        return self._prefix[:-1] if self._prefix.endswith("_") else self._prefix

    @property
    def params(self) -> ParameterDict:
        """Return the block's own parameters (not its children's: see ``collect_params``)."""
        return self._params

    @contextmanager
    def name_scope(self) -> Iterator[None]:
        """Name the blocks created inside after this one (``sequential0_dense0_``).

        A block made with ``prefix=""`` names nothing: its name scope changes no name.
        """
        if not self._prefix:
            yield
            return
        outer, _scope.block = _scope.block, self
        try:
            yield
        finally:
            _scope.block = outer

    def __setattr__(self, name: str, value: Any) -> None:
        old = self.__dict__.get(name)
        if isinstance(old, (Block, Parameter)) and not isinstance(value, type(old)):
            raise TypeError(
                f"{type(self).__name__}: cannot replace the {type(old).__name__} attribute "
                f"{name!r} with a {type(value).__name__}; use another attribute name."
            )
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            self._reg_params[name] = value
        object.__setattr__(self, name, value)

    def register_child(self, block: Block, name: str | None = None) -> None:
        """Add ``block`` as a child (named by its position unless ``name`` is given)."""
        self._children[str(len(self._children)) if name is None else name] = block

    def collect_params(self, select: str | None = None) -> ParameterDict:
        """Return this block's parameters and all its descendants', in creation order.

        ``select``: a regular expression; only parameters whose names match it.
        """
        found = ParameterDict(self._params.prefix)
        found.update(self._params, select)
        for child in self._children.values():
            found.update(child.collect_params(select))
        return found

    def initialize(self, init: Any = None, ctx: Any = None, verbose: bool = False,
                   force_reinit: bool = False) -> None:  # fmt: skip
        """Initialize every parameter (``init`` is the default for those without their own)."""
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    # ------------------------------------------------------------------ calling
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` (what ``net(x)`` does); its ops form one named group in the graph."""
        with autograd.group(self._label):
            return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the block's output; every block defines it."""
        raise NotImplementedError(
            f"{type(self).__name__}: a Block must define forward(self, x, ...), which returns "
            "the output computed from x."
        )

    def hybridize(self, active: bool = True, **kwargs: Any) -> None:
        """Accept MXNet's call; autogradviz always runs imperatively (every op recorded)."""
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    # ------------------------------------------------------------------ saving
    def save_parameters(self, filename: str, deduplicate: bool = False) -> None:
        """Save the parameters by their place in the structure (``0.weight``), not names."""
        nd.save(filename, {key: p.data() for key, p in structural_params(self).items()})

    def load_parameters(self, filename: str, ctx: Any = None, allow_missing: bool = False,
                        ignore_extra: bool = False, cast_dtype: bool = False,
                        dtype_source: str = "current") -> None:  # fmt: skip
        """Load parameters saved by ``save_parameters`` (matched by place, not by name).

        A file of the older format (names, from ``save_params``) is loaded by name instead.
        """
        loaded = nd.load(filename)
        if isinstance(loaded, dict) and loaded and not any("." in key for key in loaded):
            self._load_by_name(loaded, filename, allow_missing, ignore_extra, cast_dtype)
            return
        load_into(structural_params(self), loaded, filename, allow_missing, ignore_extra,
                  cast_dtype)  # fmt: skip

    def save_params(self, filename: str) -> None:
        """Save in the older format: parameters by name, without this block's prefix."""
        _deprecated("save_params", "save_parameters")
        params = self.collect_params()
        for name in params:
            if not name.startswith(self.prefix):
                raise ValueError(
                    f"save_params: parameter {name!r} does not start with the block's prefix "
                    f"{self.prefix!r} (a shared parameter?); use save_parameters, which saves "
                    "by place in the network."
                )
        nd.save(filename, {name[len(self.prefix) :]: p.data() for name, p in params.items()})

    def load_params(self, filename: str, ctx: Any = None, allow_missing: bool = False,
                    ignore_extra: bool = False, cast_dtype: bool = False) -> None:  # fmt: skip
        """Load parameters saved by ``save_params`` (matched by name, after the prefix)."""
        _deprecated("load_params", "load_parameters")
        self._load_by_name(nd.load(filename), filename, allow_missing, ignore_extra, cast_dtype)

    def _load_by_name(self, loaded: Any, filename: str, allow_missing: bool,
                      ignore_extra: bool, cast_dtype: bool) -> None:  # fmt: skip
        named = {self.prefix + key: value for key, value in _as_dict(loaded).items()}
        load_into(dict(self.collect_params().items()), named, filename, allow_missing,
                  ignore_extra, cast_dtype, where="load_params")  # fmt: skip

    # ------------------------------------------------------------------ printing
    def __repr__(self) -> str:
        lines = [f"  ({key}): {_indent(repr(block))}" for key, block in self._children.items()]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


class HybridBlock(Block):
    """A block written as ``hybrid_forward(F, x, *args, **params)``, ``F`` being ``nd``.

    MXNet can compile such a block (``hybridize()``); autogradviz runs it as it is, so every
    op stays visible in the graph. The block's parameters arrive as keyword arguments.
    """

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Call ``hybrid_forward(nd, *args, **params)`` (shapes inferred on first use)."""
        pending = [p for p in self._reg_params.values() if p._data is None]
        if pending and all(p._deferred is not None for p in pending):
            self.infer_shape(*args)
            for param in pending:
                param._finish_deferred_init()
        params = {name: param.data() for name, param in self._reg_params.items()}
        return self.hybrid_forward(nd, *args, **kwargs, **params)

    def infer_shape(self, x: Any, *args: Any) -> None:
        """Fill in the parameters' unknown dimensions from the first input (layers define it)."""
        raise DeferredInitializationError(
            f"{type(self).__name__}: cannot infer the parameter shapes from the input; give "
            "every parameter a full shape."
        )

    def hybrid_forward(self, F: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N803
        """Compute the output with ``F`` (the ``nd`` namespace); every hybrid block defines it."""
        raise NotImplementedError(
            f"{type(self).__name__}: a HybridBlock must define hybrid_forward(self, F, x, ...)."
        )


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def _as_dict(loaded: Any) -> dict:
    if not isinstance(loaded, dict):
        raise ValueError(
            "load_params: the file holds a list of arrays, not named parameters; save it with "
            "net.save_params(file) or net.save_parameters(file)."
        )
    return loaded


def _deprecated(old: str, new: str) -> None:
    """Warn as MXNet 1.x does when the older saving methods are called."""
    warnings.warn(f"{old} is deprecated (MXNet 1.x): use {new}, which saves by the place of "
                  "each parameter in the network, not by its name.", stacklevel=3)  # fmt: skip
