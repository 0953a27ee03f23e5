"""Checks of the arguments of the simple layers (activations, reshaping, noise), each error
naming the argument, what was given and what was expected."""

from __future__ import annotations

import numpy as np

from ..._base.checks import is_int
from ...i18n import _

_NUMBER = (int, float, np.integer, np.floating)


def number(value, argument: str, minimum: float | None = None) -> float:
    """A finite number (``>= minimum`` when given), as a float."""
    if isinstance(value, bool) or not isinstance(value, _NUMBER) or not np.isfinite(value):
        raise ValueError(_("{argument}: expected a finite number, got {value!r}").format(
            argument=argument, value=value))
    if minimum is not None and value < minimum:
        raise ValueError(_("{argument}: expected a number >= {minimum}, got {value!r}").format(
            argument=argument, minimum=minimum, value=value))
    return float(value)


def fraction(value, argument: str, closed: bool) -> float:
    """A number in [0, 1] (``closed``) or in [0, 1)."""
    ok = not isinstance(value, bool) and isinstance(value, _NUMBER) and (
        0 <= value <= 1 if closed else 0 <= value < 1)
    if not ok:
        if closed:
            raise ValueError(_("{argument}: expected a number in [0, 1], got {value!r}").format(
                argument=argument, value=value))
        raise ValueError(_("{argument}: expected a number in [0, 1), got {value!r}").format(
            argument=argument, value=value))
    return float(value)



def pair(value, argument: str) -> tuple[int, int]:
    """``1`` -> ``(1, 1)``; ``(a, b)``: two integers >= 0 (amounts before and after)."""
    values = (value, value) if is_int(value) else value
    try:
        values = tuple(values)
    except TypeError:
        values = None
    if values is None or len(values) != 2 or not all(is_int(v) and v >= 0 for v in values):
        raise ValueError(_(
            "{argument}: expected an integer >= 0 or a tuple of 2 integers >= 0, got {value!r}"
        ).format(argument=argument, value=value))
    return int(values[0]), int(values[1])


def pairs_2d(value, argument: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """``1``, ``(h, w)`` or ``((top, bottom), (left, right))`` -> the last form."""
    if is_int(value):
        return pair(value, argument), pair(value, argument)
    try:
        items = tuple(value)
    except TypeError:
        items = ()
    if len(items) != 2:
        raise ValueError(_(
            "{argument}: expected an integer, a tuple of 2 integers (height, width) or a tuple "
            "of 2 tuples ((top, bottom), (left, right)), got {value!r}"
        ).format(argument=argument, value=value))
    return pair(items[0], argument), pair(items[1], argument)


def axes_arg(axis, argument: str = "axis"):
    """An integer or a non-empty list of distinct integers (kept as given: int or list)."""
    if is_int(axis):
        return int(axis)
    if isinstance(axis, (list, tuple)) and axis and all(is_int(a) for a in axis) \
            and len(set(axis)) == len(axis):
        return [int(a) for a in axis]
    raise ValueError(_(
        "{argument}: expected an integer or a list of distinct integers, got {value!r}"
    ).format(argument=argument, value=axis))


def resolve_axes(axis, ndim: int, shape, layer) -> tuple[int, ...]:
    """``axis`` (int or list) as sorted non-negative axes of inputs of ``ndim`` dimensions;
    the batch axis (0) is not one of them."""
    axes = [axis] if is_int(axis) else list(axis)
    if not all(-ndim < a < ndim and a % ndim != 0 for a in axes) or \
            len({a % ndim for a in axes}) != len(axes):
        raise ValueError(_(
            "axis: layer {name!r}: {axis} is not a valid axis of inputs of shape {shape} "
            "(expected axes from 1 to {last}, or negative ones from -1)"
        ).format(name=layer, axis=axis, shape=shape, last=ndim - 1))
    return tuple(sorted(a % ndim for a in axes))


def check_ndim(layer, input_shape, ndim: int, example: str) -> None:
    """Refuse inputs that do not have ``ndim`` dimensions (batch included)."""
    if len(input_shape) != ndim:
        raise ValueError(_(
            "input_shape: layer {name!r} ({kind}) expects inputs of {ndim} dimensions, {example},"
            " got shape {shape}"
        ).format(name=layer.name, kind=type(layer).__name__, ndim=ndim, example=example,
                 shape=input_shape))
