"""numpy's floating-point warnings from inside the package stay hidden, as MXNet gives none.

Otherwise ``nd.log(-1)`` warns with a line of *our* source (lesson 08 showed one); where the
first NaN/Inf appeared is the graph's job. The student's own numpy code must still warn.
"""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import numpy as np
import autogradviz as mx
from autogradviz import autograd, nd
x = nd.array([0.5, 0.0, -1.0]); x.attach_grad()
with autograd.record():
    loss = (nd.log(x) + 1 / x).sum()
loss.backward()
print("loss", loss.asscalar(), "first", mx.last_graph().first_nonfinite is not None)
np.log(np.array([-1.0]))  # the student's own numpy: still warns
"""


def test_float_warnings_hidden_inside_the_package_only():
    done = subprocess.run(
        [sys.executable, "-W", "default", "-c", "import autogradviz.capture as c; c.enable()\n"
         + PROGRAM], capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "loss nan first True" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if "RuntimeWarning" in line]
    assert len(warnings) == 1 and "<string>" in warnings[0], done.stderr  # the user's line only
    assert "autogradviz" not in done.stderr
