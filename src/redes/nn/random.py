"""``keras.random``: random numbers for layers and models, from NumPy's generator.

``seed`` is ``None`` (the engine's generator, set by ``keras.utils.set_random_seed``), an
integer (the same numbers at every call, as Keras' integer seeds), or a ``SeedGenerator``
(new numbers at every call, reproducible from its seed). The numbers are NumPy's, not
TensorFlow's: the same seed gives other numbers than Keras on TensorFlow.
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from . import backend


class SeedGenerator:
    """A source of random numbers that a layer owns: new numbers at every call.

    Args:
        seed: an integer, or ``None`` (default) for a seed from the engine's generator.
    """

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                                 or seed < 0):
            raise ValueError(_("seed: expected None or an integer >= 0, got {value!r}").format(
                value=seed))
        self.seed = seed
        self.generator = np.random.default_rng(
            seed if seed is not None else backend.rng().integers(2**31))


def _generator(seed) -> np.random.Generator:
    if isinstance(seed, SeedGenerator):
        return seed.generator
    if seed is None:
        return backend.rng()
    return np.random.default_rng(SeedGenerator(seed).seed)


def _shape(shape) -> tuple:
    return tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Numbers from a normal distribution of ``mean`` (default 0) and ``stddev`` (1)."""
    values = _generator(seed).normal(mean, stddev, size=_shape(shape))
    return values.astype(backend.standardize_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Numbers drawn uniformly from ``[minval, maxval)`` (default ``[0, 1)``)."""
    values = _generator(seed).uniform(minval, maxval, size=_shape(shape))
    return values.astype(backend.standardize_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """``inputs`` with a fraction ``rate`` of its values set to 0 and the others scaled by
    ``1 / (1 - rate)`` (the mean is kept); differentiable through ``keras.ops``."""
    from . import ops

    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ValueError(_("rate: expected a number in [0, 1), got {value!r}").format(
            value=rate))
    shape = _shape(noise_shape if noise_shape is not None else ops.shape(inputs))
    keep = _generator(seed).random(shape) >= rate
    return ops.multiply(inputs, (keep / (1.0 - rate)).astype(np.dtype(inputs.dtype)))
