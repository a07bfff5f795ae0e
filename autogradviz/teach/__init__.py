"""Teaching tools that test an idea on a recorded graph; never the op table or NDArray internals.

``gradcheck`` (``check``: is this gradient right? finite differences say), ``why`` (why is
this gradient zero or missing?), ``chain`` (``chain_rule``: one op's backward step with
this pass's numbers; its formulas in ``rules``), ``replay`` (the
recorded ops run again in float64 through the public ``nd``/``autograd`` API) and
``differences`` (central differences). They read the graph model and its tape; the engine
knows nothing of them, and they use nothing of it but ``muted()``.
"""

from __future__ import annotations

from .chain import Card, chain_rule
from .gradcheck import CheckResult, Culprit, check
from .replay import ReplayError
from .why import Diagnosis, why

__all__ = [
    "Card", "CheckResult", "Culprit", "Diagnosis", "ReplayError", "chain_rule", "check", "why",
]  # fmt: skip
