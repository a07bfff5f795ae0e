"""Exceptions raised for user mistakes, and helpers that format shapes for their messages.

Every message follows one pattern: ``<op>: <what went wrong> (<shapes/dtypes>). <how to fix>.``
This module imports nothing from the rest of the package.
"""

from __future__ import annotations

from collections.abc import Iterable


class AutogradvizError(Exception):
    """Base class of every error autogradviz raises on purpose (MXNet's ``MXNetError``)."""


class ContextError(AutogradvizError, ValueError):
    """A device that is not there: autogradviz computes on the CPU only (``mx.gpu()``)."""


class GraphError(AutogradvizError, RuntimeError):
    """The computational graph cannot do what was asked (not recorded, already freed, ...)."""


class ShapeError(AutogradvizError, ValueError):
    """Array shapes do not fit the operation."""


class OutOfRangeError(ShapeError, IndexError):
    """An index past the end of an axis (an ``IndexError`` too, so ``for v in x`` stops)."""


class GradReqError(AutogradvizError, KeyError, ValueError):
    """An invalid ``grad_req`` string (MXNet raises ``KeyError``, so this is one too)."""

    def __str__(self) -> str:
        # KeyError would print the message with quotes around it.
        return str(self.args[0]) if self.args else ""


class DTypeError(AutogradvizError, TypeError):
    """An array has a dtype the operation cannot work with."""


class LayoutError(AutogradvizError, RuntimeError):
    """Graphviz could not lay out a graph: it failed, ran out of time, or is not installed."""

    @classmethod
    def timed_out(cls, seconds: float) -> LayoutError:
        """Return the error of a layout stopped at its time limit (by either Graphviz)."""
        return cls(
            f"to_svg: Graphviz needed more than {seconds:.0f} s to lay out the graph; draw "
            "fewer nodes (max_nodes=50) or keep fold=True."
        )


class DotNotFoundError(LayoutError):
    """A system Graphviz ``dot`` was asked for (``set_graphviz('system')``) but is missing."""


class LabelError(AutogradvizError, ValueError):
    """A class label is not a whole number from 0 to the number of classes minus 1."""


class ArgumentError(AutogradvizError, ValueError):
    """An op's setting (not an array) has a value the op cannot use (``polygamma``'s ``n``)."""


class InplaceError(AutogradvizError, RuntimeError):
    """An in-place write would corrupt a recorded graph."""


def shape_text(shape: Iterable[int]) -> str:
    """Return a shape the way Python prints tuples: ``(3,)``, ``(2, 3)``, ``()``."""
    return str(tuple(int(size) for size in shape))


def shapes_text(shapes: Iterable[Iterable[int]]) -> str:
    """Join several shapes for a message: ``(3, 2) and (4,)`` or ``(1,), (2,) and (3,)``."""
    texts = [shape_text(shape) for shape in shapes]
    if len(texts) <= 1:
        return "".join(texts)
    return ", ".join(texts[:-1]) + " and " + texts[-1]


def explain_numpy_error(
    op_name: str, shapes: list[tuple[int, ...]], error: Exception
) -> Exception:
    """Turn a numpy error raised inside an op's forward into a message that names the op.

    The numpy text is kept, and a fix is added for the common case (broadcasting).
    """
    text = str(error)
    if isinstance(error, (TypeError, AttributeError)):
        return TypeError(
            f"{op_name}: an argument has the wrong type: {text} (shapes {shapes_text(shapes)}). "
            "Pass arrays (NDArray, numpy array, list or number) as inputs and plain ints, "
            "tuples or dtypes as attributes (axis=1, shape=(2, 3))."
        )
    if "broadcast" in text:
        return ShapeError(
            f"{op_name}: cannot broadcast shapes {shapes_text(shapes)}; trailing dimensions "
            "must match or be 1. Reshape one operand (e.g. x.reshape((-1, 1))) so they line up."
        )
    if isinstance(error, (IndexError,)) or "axis" in text:
        return ShapeError(
            f"{op_name}: {text} (shapes {shapes_text(shapes)}). Use an axis between "
            "-ndim and ndim-1."
        )
    return ShapeError(
        f"{op_name}: {text} (shapes {shapes_text(shapes)}). Check the inputs' shapes and "
        "the op's arguments."
    )
