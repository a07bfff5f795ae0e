"""numpy's floating-point warnings from this package's arithmetic are not shown, as in MXNet.

``nd.log(-1)`` gives ``nan`` in MXNet without a word; numpy would warn ("invalid value
encountered in log"), and the warning would point at this package's source, not at the
student's line. So warnings of that kind, raised by numpy inside this package's modules, are
filtered out once, here (no cost per op); a student's own numpy code still warns. Where a
NaN or Inf first appeared is what the graph shows (a red outline, ``Graph.first_nonfinite``).
Imports the standard library only.
"""

from __future__ import annotations

import warnings

NUMPY_FLOAT_WARNINGS = r"(divide by zero|invalid value|overflow|underflow) encountered"


def hide_numpy_float_warnings() -> None:
    """Filter numpy's floating-point RuntimeWarnings raised inside ``autogradviz`` modules."""
    warnings.filterwarnings(
        "ignore", message=NUMPY_FLOAT_WARNINGS, category=RuntimeWarning, module=r"autogradviz\."
    )


hide_numpy_float_warnings()
