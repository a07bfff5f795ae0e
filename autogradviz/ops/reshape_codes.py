"""MXNet's reshape codes: how ``reshape``'s target shape is read against the input's shape.

``0`` copies an input dimension, ``-1`` is inferred, ``-2`` copies the rest, ``-3`` merges
two, ``-4, a, b`` splits one. Imports the standard library and ``errors`` only.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import ShapeError, shape_text


def resolve_shape(shape: tuple, target: Any) -> tuple[int, ...]:
    """Apply MXNet's reshape codes to ``target`` for an input of shape ``shape``.

    ``0`` copies the input's dimension, ``-1`` is inferred, ``-2`` copies all the input's
    remaining dimensions, ``-3`` merges the next two into their product, and ``-4, a, b``
    splits the next one into ``a × b`` (one of them may be ``-1``). Codes read the input's
    dimensions left to right, each taking the ones it needs. A target with the right number
    of elements whose 0s cannot mean "copy" is taken literally, so shapes with real size-0
    dimensions still work.
    """
    target = tuple(int(t) for t in (target if isinstance(target, (tuple, list)) else (target,)))
    size = math.prod(shape)
    literal = min(target, default=0) >= 0 and math.prod(target) == size
    if literal and 0 not in target:
        return target
    resolved = _apply_codes(shape, target)
    if literal and math.prod(resolved) != size:  # MXNet's reading fails: real size-0 axes
        return target
    if -1 in resolved:
        known = math.prod(t for t in resolved if t != -1)
        if known == 0 or size % known:
            raise ShapeError(
                f"reshape: cannot reshape {shape_text(shape)} ({size} elements) to "
                f"{shape_text(target)}; {size} is not a multiple of {known}."
            )
        resolved[resolved.index(-1)] = size // known
    if math.prod(resolved) != size:
        raise ShapeError(
            f"reshape: cannot reshape {shape_text(shape)} ({size} elements) to "
            f"{shape_text(target)} ({math.prod(resolved)} elements); the number of elements "
            "must stay the same (use -1 to infer one dimension)."
        )
    return tuple(resolved)


def _apply_codes(shape: tuple, target: tuple) -> list[int]:
    """Replace the codes 0, -2, -3 and -4 by sizes, walking the input's dimensions once.

    A ``-1`` stays (the caller infers it) but takes one input dimension, as in MXNet.
    """
    out: list[int] = []
    source, k = 0, 0  # the next input dimension, the next code
    while k < len(target):
        code = target[k]
        if code == 0:
            out.append(shape[source] if source < len(shape) else 0)
        elif code == -2:
            out.extend(shape[source:])
            source = len(shape) - 1
        elif code == -3:
            _needs(shape, target, source + 2, "-3 merges the next two input dimensions")
            out.append(shape[source] * shape[source + 1])
            source += 1
        elif code == -4:
            out.extend(_split(shape, target, source, target[k + 1 : k + 3]))
            k += 2
        elif code < -4 or (code == -1 and -1 in out):
            raise ShapeError(
                f"reshape: cannot reshape {shape_text(shape)} to {shape_text(target)}; use "
                "sizes >= 0 and MXNet's codes: 0 (copy), -1 (infer, at most once), -2 (copy "
                "the rest), -3 (merge two), -4 a b (split one into a × b)."
            )
        else:
            out.append(code)
        source, k = source + 1, k + 1
    return out


def _needs(shape: tuple, target: tuple, dims: int, what: str) -> None:
    if dims > len(shape):
        raise ShapeError(
            f"reshape: cannot reshape {shape_text(shape)} to {shape_text(target)}: {what}, "
            f"but the input has only {len(shape)} dimension(s)."
        )


def _split(shape: tuple, target: tuple, source: int, sizes: tuple) -> list[int]:
    """``-4, a, b``: the input's dimension ``source`` as two, ``a × b`` (``-1`` inferred)."""
    _needs(shape, target, source + 1, "-4 splits the next input dimension")
    whole = shape[source]
    if len(sizes) != 2 or sizes == (-1, -1) or min(sizes) < -1:
        raise ShapeError(
            f"reshape: cannot reshape {shape_text(shape)} to {shape_text(target)}: -4 must be "
            "followed by the two sizes to split into (one may be -1), as in (-4, 2, -1)."
        )
    first, second = sizes
    if first == -1 and second and whole % second == 0:
        first = whole // second
    if second == -1 and first and whole % first == 0:
        second = whole // first
    if first * second != whole:
        raise ShapeError(
            f"reshape: cannot reshape {shape_text(shape)} to {shape_text(target)}: -4 cannot "
            f"split a dimension of size {whole} into {sizes[0]} × {sizes[1]}."
        )
    return [first, second]
