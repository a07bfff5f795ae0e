"""Shape ops: reshape, transpose, swapaxes, flatten, broadcast, squeeze, tile, repeat, ``x[key]``.

Most of these only move elements around, so their VJP moves the gradient back the other way.
Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import ShapeError, shape_text
from .registry import alias, check_axis, defop


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


defop("reshape",
      lambda x, shape, literal: np.reshape(x, tuple(shape) if literal
                                          else resolve_shape(x.shape, shape)),
      lambda grad_out, out, x, shape, literal: grad_out.reshape(x.shape, literal=True),
      formula="reshape only moves elements: grad_x = grad_out reshaped to x's shape",
      attrs={"shape": (), "literal": False})  # fmt: skip
defop("reshape_like", lambda x, y: np.reshape(x, y.shape),
      lambda grad_out, out, x, y: grad_out.reshape(x.shape, literal=True), None,
      formula="grad_x = grad_out reshaped to x's shape", n_inputs=2)  # fmt: skip


def _transpose(x: np.ndarray, axes: Any) -> np.ndarray:
    axes = None if axes is None or axes == () else tuple(axes)
    if axes is not None and sorted(a % max(x.ndim, 1) for a in axes) != list(range(x.ndim)):
        raise ShapeError(
            f"transpose: axes {axes} are not a permutation of the {x.ndim} axes of an array of "
            f"shape {shape_text(x.shape)}; list each axis 0..{x.ndim - 1} once."
        )
    return np.transpose(x, axes)


def _inverse_axes(ndim: int, axes: Any) -> Any:
    if axes is None or axes == ():
        return None
    return tuple(int(i) for i in np.argsort([a % ndim for a in axes]))


defop("transpose", _transpose,
      lambda grad_out, out, x, axes: grad_out.transpose(_inverse_axes(x.ndim, axes)),
      formula="transpose only moves elements: grad_x = grad_out transposed back",
      attrs={"axes": None})  # fmt: skip


def _broadcast_to(x: np.ndarray, shape: Any) -> np.ndarray:
    shape = tuple(x.shape[i - (len(shape) - x.ndim)] if s == 0 else s for i, s in enumerate(shape))
    try:
        return np.broadcast_to(x, shape).copy()
    except ValueError:
        raise ShapeError(
            f"broadcast_to: cannot broadcast shape {shape_text(x.shape)} to {shape_text(shape)}; "
            "each dimension must equal the target's or be 1."
        ) from None


def _unbroadcast_rule(grad_out: Any, out: Any, x: Any, *rest: Any, **attrs: Any) -> Any:
    from .registry import unbroadcast

    return unbroadcast(grad_out, x.shape)


defop("broadcast_to", _broadcast_to, _unbroadcast_rule,
      formula="each x_i is copied k times: grad_x_i = Σ of the k copies' grad_out",
      attrs={"shape": ()})  # fmt: skip
defop("broadcast_like", lambda x, y: np.broadcast_to(x, y.shape).copy(), _unbroadcast_rule, None,
      formula="each x_i is copied k times: grad_x_i = Σ of the k copies' grad_out",
      n_inputs=2)  # fmt: skip


defop("expand_dims",
      lambda x, axis: np.expand_dims(x, check_axis("expand_dims", x.ndim + 1, axis)),
      lambda grad_out, out, x, axis: grad_out.reshape(x.shape, literal=True),
      formula="adds a size-1 axis: grad_x = grad_out without it", attrs={"axis": 0})  # fmt: skip


def _squeeze(x: np.ndarray, axis: Any) -> np.ndarray:
    if axis is not None:
        axes = axis if isinstance(axis, (tuple, list)) else (axis,)
        axes = tuple(check_axis("squeeze", x.ndim, a) for a in axes)
        if any(x.shape[a] != 1 for a in axes):
            raise ShapeError(
                f"squeeze: axis {axis} of shape {shape_text(x.shape)} does not have size 1; "
                "only size-1 axes can be removed."
            )
        return np.squeeze(x, axes)
    return np.squeeze(x)


defop("squeeze", _squeeze, lambda grad_out, out, x, axis: grad_out.reshape(x.shape, literal=True),
      formula="removes size-1 axes: grad_x = grad_out reshaped back",
      attrs={"axis": None})  # fmt: skip


def _swapaxes(x: np.ndarray, dim1: int, dim2: int) -> np.ndarray:
    dim1, dim2 = check_axis("swapaxes", x.ndim, dim1), check_axis("swapaxes", x.ndim, dim2)
    return np.swapaxes(x, dim1, dim2)


defop("swapaxes", _swapaxes,
      lambda grad_out, out, x, dim1, dim2: grad_out.swapaxes(dim1, dim2),
      formula="swapping two axes only moves elements: grad_x = grad_out with them swapped back",
      attrs={"dim1": 0, "dim2": 0})  # fmt: skip
alias("SwapAxis", "swapaxes")


def _flatten(x: np.ndarray) -> np.ndarray:
    if x.ndim == 0:
        raise ShapeError(
            "flatten: cannot flatten a 0-d array to 2-D (shape ()). Give it an axis first, "
            "e.g. x.reshape((1,))."
        )
    return x.reshape(x.shape[0], int(np.prod(x.shape[1:])))


defop("flatten", _flatten, lambda grad_out, out, x: grad_out.reshape(x.shape, literal=True),
      formula="flatten to (n, -1) moves elements only: grad_x = grad_out reshaped back",
      )  # fmt: skip
alias("Flatten", "flatten")


# --------------------------------------------------------------------------- tile and repeat
# Both copy elements, so each input element's gradient is the sum over its copies. Viewing
# grad_out with one extra axis that counts the copies turns that sum into a plain ``sum``.


def _tile_shapes(shape: tuple, reps: Any) -> tuple[tuple, tuple]:
    """Pad ``shape`` and ``reps`` with leading 1s to the same length, as ``numpy.tile`` does."""
    reps = tuple(int(r) for r in (reps if isinstance(reps, (tuple, list)) else (reps,)))
    if any(r < 0 for r in reps):
        raise ShapeError(
            f"tile: reps {reps} has a negative entry (array shape {shape_text(shape)}). "
            "Give how many copies to make along each axis (>= 0)."
        )
    ndim = max(len(shape), len(reps))
    return (1,) * (ndim - len(shape)) + tuple(shape), (1,) * (ndim - len(reps)) + reps


def _tile(x: np.ndarray, reps: Any) -> np.ndarray:
    _tile_shapes(x.shape, reps)
    return np.tile(x, reps)


def _tile_vjp(grad_out: Any, out: Any, x: Any, reps: Any) -> Any:
    shape, reps = _tile_shapes(x.shape, reps)
    # Output axis i holds reps[i] copies of x's axis i side by side: split it into
    # (copy, position) and sum over the copies.
    split = tuple(size for pair in zip(reps, shape, strict=True) for size in pair)
    copies = tuple(range(0, len(split), 2))
    return grad_out.reshape(split, literal=True).sum(axis=copies).reshape(x.shape, literal=True)


defop("tile", _tile, _tile_vjp, attrs={"reps": ()},
      formula="each x_i is copied once per tile: grad_x_i = Σ of its copies' grad_out",
      )  # fmt: skip


def _repeat(x: np.ndarray, repeats: int, axis: Any) -> np.ndarray:
    if int(repeats) < 0:
        raise ShapeError(
            f"repeat: repeats={repeats} is negative (array shape {shape_text(x.shape)}). "
            "Give how many times to repeat each element (>= 0)."
        )
    if axis is None:  # MXNet (like numpy) repeats the flattened array
        return np.repeat(x.reshape(-1), int(repeats))
    return np.repeat(x, int(repeats), axis=check_axis("repeat", x.ndim, axis))


def _repeat_vjp(grad_out: Any, out: Any, x: Any, repeats: int, axis: Any) -> Any:
    # Each element appears ``repeats`` times in a row: split that axis into
    # (element, copy) and sum over the copies.
    if axis is None:
        per_element = grad_out.reshape((x.size, int(repeats)), literal=True).sum(axis=1)
        return per_element.reshape(x.shape, literal=True)
    axis = axis % x.ndim
    split = x.shape[:axis] + (x.shape[axis], int(repeats)) + x.shape[axis + 1 :]
    return grad_out.reshape(split, literal=True).sum(axis=axis + 1)


defop("repeat", _repeat, _repeat_vjp, attrs={"repeats": 1, "axis": None},
      formula="each x_i is repeated k times: grad_x_i = Σ of its k copies' grad_out")  # fmt: skip


# --------------------------------------------------------------------------- indexing
# ``x[key]`` reads elements; its VJP adds grad_out back into zeros at the same places
# (``scatter_add``), whose own VJP is again ``grad[key]``: the pair is closed under
# differentiation, so indexing has derivatives of every order.


def _getitem(x: np.ndarray, key: Any) -> np.ndarray:
    try:
        out = x[key]
    except IndexError as error:
        raise ShapeError(
            f"getitem: {error} (array shape {shape_text(x.shape)}, index {key!r}); use indices "
            "between -size and size-1 on each axis."
        ) from None
    return out.reshape(1) if np.ndim(out) == 0 else out


def _scatter_add(grad: np.ndarray, shape: tuple, key: Any) -> np.ndarray:
    out = np.zeros(shape, dtype=grad.dtype)
    np.add.at(out, key, grad.reshape(np.shape(out[key])))
    return out


defop("getitem", _getitem,
      lambda grad_out, out, x, key: grad_out.scatter_add(x.shape, key),
      formula="x[key] picks elements: grad_x = grad_out added back at those places (zeros "
              "elsewhere)", attrs={"key": ()}, method=False)  # fmt: skip
defop("scatter_add", _scatter_add,
      lambda grad_out, out, grad, shape, key: grad_out[key].reshape(grad.shape, literal=True),
      formula="adds grad into zeros at key: its gradient is grad_out[key]",
      attrs={"shape": (), "key": ()})  # fmt: skip
