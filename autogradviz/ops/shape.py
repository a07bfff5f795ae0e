"""Shape ops: reshape, transpose, swapaxes, flatten, broadcast, squeeze, tile, repeat, ``x[key]``.

Most of these only move elements around, so their VJP moves the gradient back the other way.
Imports numpy, the registry and ``errors`` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import OutOfRangeError, ShapeError, shape_text
from .registry import alias, check_axis, defop
from .reshape_codes import resolve_shape

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


COPIES_ADDED_AS_SLICES = 16  # up to this many copies, add strided slices (see below)


def _repeat_vjp(grad_out: Any, out: Any, x: Any, repeats: int, axis: Any) -> Any:
    """Each element appears ``repeats`` times in a row: sum the gradients of its copies.

    Copy k of every element is the slice ``k::repeats`` along the axis, so a few copies
    are added slice by slice: numpy sums a short axis (the reshape below) about 7x slower.
    """
    repeats = int(repeats)
    flat = axis is None
    if flat:
        grad_out, axis = grad_out.reshape((-1,), literal=True), 0
    axis = axis % grad_out.ndim
    if 0 < repeats <= COPIES_ADDED_AS_SLICES:
        before = (slice(None),) * axis
        total = grad_out[before + (slice(0, None, repeats),)]
        for k in range(1, repeats):
            total = total + grad_out[before + (slice(k, None, repeats),)]
    else:
        shape = x.shape if not flat else (x.size,)
        split = shape[:axis] + (shape[axis], repeats) + shape[axis + 1 :]
        total = grad_out.reshape(split, literal=True).sum(axis=axis + 1)
    return total.reshape(x.shape, literal=True) if flat else total


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
        if "out of bounds" not in str(error):  # a float or a string as index, too many axes
            raise ShapeError(
                f"getitem: {error} (array shape {shape_text(x.shape)}, index {key!r}); index "
                "with integers, slices or arrays of them, one per axis at most."
            ) from None
        # (past the end: an IndexError too, so iterating by index stops there)
        raise OutOfRangeError(
            f"getitem: {error} (array shape {shape_text(x.shape)}, index {key!r}); use indices "
            "between -size and size-1 on each axis."
        ) from None
    return out.reshape(1) if np.ndim(out) == 0 else out


SCATTER_BY_COUNT = 16  # bincount walks the whole array: for fewer picks than 1/16, add.at


def _scatter_add(grad: np.ndarray, shape: tuple, key: Any) -> np.ndarray:
    """Add ``grad`` into zeros of ``shape`` at ``key``: where each element was picked from.

    A basic key (ints, slices, ``...``) picks each place once, so it is a plain assignment.
    Index arrays may pick a place several times (``take([0, 0])``): their contributions are
    summed with one ``bincount`` over the flat positions (``np.add.at`` is many times
    slower), unless they are few in a big array: bincount's cost follows the array's size.
    """
    out = np.zeros(shape, dtype=grad.dtype)
    if _is_basic(key):
        out[key] = grad.reshape(np.shape(out[key]))
        return out
    if grad.size * SCATTER_BY_COUNT < out.size:  # a few rows of a big table (embeddings):
        np.add.at(out, key, grad.reshape(np.shape(out[key])))  # add.at's cost follows them
        return out
    positions = np.arange(out.size).reshape(shape)[key].ravel()
    sums = np.bincount(positions, weights=grad.ravel(), minlength=out.size)
    return sums.reshape(shape).astype(grad.dtype, copy=False)


def _is_basic(key: Any) -> bool:
    """Whether numpy reads ``x[key]`` as basic indexing (each element at most once)."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(
        part is None or part is Ellipsis or isinstance(part, slice)
        or (isinstance(part, (int, np.integer)) and not isinstance(part, (bool, np.bool_)))
        for part in parts
    )  # fmt: skip


defop("getitem", _getitem,
      lambda grad_out, out, x, key: grad_out.scatter_add(x.shape, key),
      formula="x[key] picks elements: grad_x = grad_out added back at those places (zeros "
              "elsewhere)", attrs={"key": ()}, method=False)  # fmt: skip
defop("scatter_add", _scatter_add,
      lambda grad_out, out, grad, shape, key: grad_out[key].reshape(grad.shape, literal=True),
      formula="adds grad into zeros at key: its gradient is grad_out[key]",
      attrs={"shape": (), "key": ()})  # fmt: skip
