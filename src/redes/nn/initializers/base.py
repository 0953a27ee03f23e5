"""The base class of every initializer, and the checks of their arguments."""

from __future__ import annotations

import math

import numpy as np

from ...i18n import _
from .. import backend
from ..serialization import Configurable


def _shape(shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        shape = None
    if shape is None or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0 for d in shape
    ):
        raise ValueError(_("shape: expected a tuple of non-negative integers, got {value!r}")
                         .format(value=shape))
    return tuple(int(d) for d in shape)


def _number(value, argument: str, positive=False, non_negative=False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(_("{argument}: expected a number, got {value!r}").format(
            argument=argument, value=value))
    if not math.isfinite(value) or (positive and value <= 0) or (non_negative and value < 0):
        if positive:
            message = _("{argument}: expected a positive number, got {value!r}")
        elif non_negative:
            message = _("{argument}: expected a non-negative number, got {value!r}")
        else:
            message = _("{argument}: expected a finite number, got {value!r}")
        raise ValueError(message.format(argument=argument, value=value))
    return float(value)


class Initializer(Configurable):
    """Base class: ``initializer(shape, dtype=None)`` returns a new array of ``shape``."""

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        dtype = backend.standardize_dtype(dtype)
        return np.asarray(self.generate(shape), dtype=dtype)

    def generate(self, shape: tuple[int, ...]) -> np.ndarray:
        """The values, in float64; ``__call__`` validates the shape and casts."""
        raise NotImplementedError

