"""Constraints on weights, as ``keras.constraints``: applied to a weight after each update.

Args of each are Keras' and their defaults too; ``axis`` is the axis along which the norm of
each slice is taken (0 for a Dense kernel: the weights into one unit).
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from . import backend
from .serialization import Configurable, deserialize, register


class Constraint(Configurable):
    """Base class: ``constraint(w)`` returns the weight brought back within the constraint."""

    def __call__(self, w):
        return w


@register("constraint", "max_norm")
class MaxNorm(Constraint):
    """Scales each slice whose L2 norm exceeds ``max_value`` back to that norm.

    Args:
        max_value: the largest norm allowed. Defaults to 2.
        axis: the axis the norm runs along. Defaults to 0.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = np.sqrt(np.sum(np.square(w), axis=self.axis, keepdims=True))
        desired = np.clip(norms, 0, self.max_value)
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@register("constraint", "non_neg")
class NonNeg(Constraint):
    """Sets negative values to zero."""

    def __call__(self, w):
        return np.maximum(w, 0)


@register("constraint", "unit_norm")
class UnitNorm(Constraint):
    """Scales each slice to an L2 norm of 1.

    Args:
        axis: the axis the norm runs along. Defaults to 0.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (backend.epsilon() + np.sqrt(np.sum(np.square(w), axis=self.axis,
                                                       keepdims=True)))

    def get_config(self):
        return {"axis": self.axis}


def get(identifier):
    """A constraint from a name, a config dict, an object, or ``None``."""
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, (str, dict)):
        found = deserialize("constraint", identifier, "constraint")
        return found() if isinstance(found, type) else found
    if callable(identifier):
        return identifier
    raise ValueError(_("constraint: expected a name, a config or a Constraint, got {value!r}")
                     .format(value=identifier))
