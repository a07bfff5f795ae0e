"""Custom ``autograd.Function`` s a student might write, for the tests of the teaching tools.

``WrongSquare`` has the classic slip (a backward without its factor 2); the Function made by
``fails_when_replayed`` works in the student's cell but raises when a tool runs it again.
"""

from __future__ import annotations

from autogradviz import autograd


class WrongSquare(autograd.Function):
    """x², with a backward that forgot the factor 2: the bug the tools must find."""

    def forward(self, x):  # type: ignore[no-untyped-def]
        self.save_for_backward(x)
        return x * x

    def backward(self, dy):  # type: ignore[no-untyped-def]
        (x,) = self.saved_tensors
        return x * dy


def fails_when_replayed(message: str) -> type:
    """Return a new doubling Function class whose forward raises after its first call.

    A new class each time: the count of calls is the class's own.
    """

    class Fragile(autograd.Function):
        calls = 0

        def forward(self, x):  # type: ignore[no-untyped-def]
            type(self).calls += 1
            if type(self).calls > 1:
                raise RuntimeError(message)
            return x * 2

        def backward(self, dy):  # type: ignore[no-untyped-def]
            return dy * 2

    return Fragile
