"""Teaching tools that test an idea on a recorded graph; never the op table or NDArray internals.

``gradcheck`` (``check``: is this gradient right? finite differences say), ``why`` (why is
this gradient zero or missing?), ``chain`` (``chain_rule``: one op's backward step with
this pass's numbers; its formulas in ``rules``), ``whatif`` (``what_if``: the pass replayed
with one number moved), ``quiz`` (``Quiz``: predict, then reveal), ``replay`` (the
recorded ops run again in float64 through the public ``nd``/``autograd`` API) and
``differences`` (central differences). They read the graph model and its tape; the engine
knows nothing of them, and they use nothing of it but ``muted()``.
"""

from __future__ import annotations

from .chain import Card, ExactReplay, chain_rule
from .gradcheck import CheckResult, Culprit, check
from .quiz import Quiz
from .replay import ReplayError
from .whatif import WhatIf, what_if
from .why import Diagnosis, why

__all__ = [
    "Card", "CheckResult", "Culprit", "Diagnosis", "ExactReplay", "Quiz", "ReplayError",
    "WhatIf",
    "chain_rule", "check", "what_if", "why",
]  # fmt: skip
