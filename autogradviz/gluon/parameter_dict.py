"""``ParameterDict``: a block's parameters by full name, in creation order (MXNet 1.9).

``get("weight", shape=...)`` creates the parameter ``prefix + "weight"`` the first time and
returns the same one afterwards; a dict can share another's parameters (``shared``).
Written on the public ``nd`` API only.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from . import initializer
from .parameter import Parameter, as_shape


class ParameterDict:
    """Parameters by full name, in creation order, with a ``prefix`` for new names.

    ``get("weight", shape=...)`` returns the parameter ``prefix + "weight"``, creating it
    the first time.
    """

    def __init__(self, prefix: str = "", shared: ParameterDict | None = None) -> None:
        self._prefix = prefix
        self._params: OrderedDict[str, Parameter] = OrderedDict()
        self._shared = shared

    @property
    def prefix(self) -> str:
        """Return the prefix of the names ``get`` creates (``dense0_``)."""
        return self._prefix

    def __repr__(self) -> str:
        lines = "\n".join(f"  {p!r}" for p in self.values())
        return f"{self._prefix + ' ' if self._prefix else ''}(\n{lines}\n)"

    def __getitem__(self, name: str) -> Parameter:
        return self._params[name]

    def __contains__(self, name: object) -> bool:
        return name in self._params

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def keys(self) -> Any:
        """Return the full names, in creation order."""
        return self._params.keys()

    def values(self) -> Any:
        """Return the parameters, in creation order."""
        return self._params.values()

    def items(self) -> Any:
        """Return ``(name, parameter)`` pairs, in creation order."""
        return self._params.items()

    def get(self, name: str, **kwargs: Any) -> Parameter:
        """Return the parameter ``prefix + name``, creating it with ``kwargs`` if new."""
        full = self._prefix + name
        found = self._params.get(full)
        if found is None and self._shared is not None and full in self._shared:
            found = self._shared[full]
            self._params[full] = found
        if found is None:
            found = self._params[full] = Parameter(full, **kwargs)
        elif "shape" in kwargs:
            _check_same_shape(found, kwargs["shape"])
        return found

    def update(self, other: ParameterDict, select: str | None = None) -> None:
        """Add ``other``'s parameters (a name already here must be the same parameter).

        ``select``: a regular expression; only the parameters whose names match it.
        """
        for name, param in other.items():
            if select is not None and not re.match(select, name):
                continue
            if name in self._params and self._params[name] is not param:
                raise ValueError(
                    f"ParameterDict.update: two different parameters are named {name!r}; "
                    "give the blocks different prefixes."
                )
            self._params[name] = param

    def initialize(self, init: Any = None, ctx: Any = None, verbose: bool = False,
                   force_reinit: bool = False) -> None:  # fmt: skip
        """Initialize every parameter; ``init`` is the default for those without their own."""
        default = initializer.Uniform() if init is None else init
        # every parameter is prepared (values drawn, errors raised) before any changes
        commits = [p.prepare_initialize(None, ctx, default, force_reinit) for p in self.values()]
        for commit in commits:
            if commit is not None:
                commit()

    def zero_grad(self) -> None:
        """Zero every gradient buffer."""
        for param in self.values():
            param.zero_grad()

    def setattr(self, name: str, value: Any) -> None:
        """Set an attribute on every parameter (``setattr('grad_req', 'null')``)."""
        for param in self.values():
            setattr(param, name, value)

    def reset_ctx(self, ctx: Any) -> None:
        """Move every parameter to ``ctx`` (nothing to do on the CPU)."""
        for param in self.values():
            param.reset_ctx(ctx)


def _check_same_shape(param: Parameter, shape: Any) -> None:
    """Refuse a shape other than the parameter's own (0: not known yet)."""
    wanted = as_shape(shape, param.name)
    known = param.shape
    if known is not None and (
        len(known) != len(wanted)
        or any(0 not in (k, w) and k != w for k, w in zip(known, wanted, strict=True))
    ):
        raise ValueError(
            f"ParameterDict.get: {param.name} exists with shape {known}, not {wanted}; blocks "
            "that share parameters (params=) must ask for the same shapes."
        )


# MXNet defines the class in gluon.parameter, and the book prints type(net.collect_params())
ParameterDict.__module__ = "autogradviz.gluon.parameter"
