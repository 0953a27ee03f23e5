"""Weight initializers, with Keras' names and defaults.

An initializer is called with a shape and a dtype and returns a new array. Fan-in and
fan-out follow Keras: for a Dense kernel (in, out) they are in and out; for a convolution
kernel (kh, kw, in, out) they are kh*kw*in and kh*kw*out.
"""

from __future__ import annotations

import numpy as np

from . import backend
from .serialization import deserialize, register


def compute_fans(shape) -> tuple[float, float]:
    shape = tuple(shape)
    if len(shape) == 0:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    if len(shape) == 2:
        return float(shape[0]), float(shape[1])
    receptive = float(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@register("initializer")
class Zeros(Initializer):
    """All zeros (Keras' default for biases)."""

    def __call__(self, shape, dtype=None):
        return np.zeros(shape, dtype=backend.standardize_dtype(dtype))


@register("initializer")
class Ones(Initializer):
    """All ones."""

    def __call__(self, shape, dtype=None):
        return np.ones(shape, dtype=backend.standardize_dtype(dtype))


class _Seeded(Initializer):
    def __init__(self, seed=None):
        self.seed = seed

    def _rng(self):
        return backend.rng(self.seed)

    def get_config(self):
        return {"seed": self.seed}


@register("initializer")
class GlorotUniform(_Seeded):
    """Uniform in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)) (Keras' default)."""

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        out = self._rng().uniform(-limit, limit, size=shape)
        return out.astype(backend.standardize_dtype(dtype))


def get(identifier):
    if isinstance(identifier, Initializer) or (callable(identifier) and not isinstance(
            identifier, (str, dict))):
        return identifier
    return deserialize("initializer", identifier, "initializer")
