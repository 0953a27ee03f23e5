"""Initializers that draw nothing: ``Constant``, ``Zeros``, ``Ones`` and ``Identity``."""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..serialization import register
from .base import Initializer, _number


@register("initializer")
class Constant(Initializer):
    """Every value equal to ``value``.

    Args:
        value: the constant. Defaults to ``0.0``.
    """

    def __init__(self, value=0.0):
        self.value = _number(value, "value")

    def generate(self, shape):
        return np.full(shape, self.value)

    def get_config(self):
        return {"value": self.value}


@register("initializer", "zero")
class Zeros(Initializer):
    """All zeros (Keras' default for biases)."""

    def generate(self, shape):
        return np.zeros(shape)


@register("initializer", "one")
class Ones(Initializer):
    """All ones."""

    def generate(self, shape):
        return np.ones(shape)


@register("initializer", "IdentityInitializer")
class Identity(Initializer):
    """``gain`` times the identity matrix (2D shapes only; rectangular ones allowed).

    Args:
        gain: multiplies the identity. Defaults to ``1.0``.
    """

    def __init__(self, gain=1.0):
        self.gain = _number(gain, "gain")

    def generate(self, shape):
        if len(shape) != 2:
            raise ValueError(_("shape: Identity needs a 2D shape, got {shape}").format(
                shape=shape))
        return self.gain * np.eye(*shape)

    def get_config(self):
        return {"gain": self.gain}
