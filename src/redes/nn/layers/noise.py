"""Regularization by noise, active only in training (the identity at inference), as in
``keras.layers``: SpatialDropout1D/2D, GaussianNoise and GaussianDropout.

* SpatialDropout drops whole channels: one keep-or-drop draw per sample and channel, the
  same at every step or pixel (neighbouring pixels are so alike that dropping single ones
  hardly regularizes a convolution).
* GaussianNoise adds ``N(0, stddev^2)`` noise: ``y = x + n``.
* GaussianDropout multiplies by ``N(1, rate / (1 - rate))`` noise: ``y = x * m``, the same
  mean and variance as the scaled 0/1 mask of Dropout.

As ``Dropout``, each takes a ``seed``: with one, the layer has its own generator (the same
seed gives the same noise); without, it draws from the engine's generator
(``keras.utils.set_random_seed``). All of them pass a padding mask on.
"""

from __future__ import annotations

import math

import numpy as np

from .. import backend
from ..serialization import register
from .base import Layer
from .conv import data_format_arg
from .core import Dropout
from .simple_checks import check_ndim, fraction


def _normal(rng, shape, dtype):
    """Standard normal numbers of ``dtype`` (drawn in float64 for float16)."""
    kind = dtype if dtype in (np.float32, np.float64) else np.float64
    return rng.standard_normal(shape, dtype=kind).astype(dtype, copy=False)


class _SpatialDropout(Dropout):
    """Dropout with one draw per sample and channel, shared along the spatial axes."""

    ndim, example = 3, "(batch, steps, channels)"

    def build(self, input_shape):
        check_ndim(self, input_shape, self.ndim, self.example)

    def call(self, x, training=False):
        if not training or self.rate == 0:
            self.mask = None
            return x
        rng = self._rng or backend.rng()
        shape = (x.shape[0], *(1,) * (x.ndim - 2), x.shape[-1])   # (batch, 1, ..., channels)
        keep = rng.random(shape, dtype=np.float32) >= self.rate
        self.mask = keep.astype(x.dtype) * x.dtype.type(1 / (1 - self.rate))
        return x * self.mask         # the mask broadcasts over the steps or pixels


@register("layer")
class SpatialDropout1D(_SpatialDropout):
    """Drops whole channels of sequences (batch, steps, channels) in training: a fraction
    ``rate`` of the channels of each sample is set to 0 at every step, the rest is scaled by
    ``1 / (1 - rate)``. The identity at inference.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        seed: seed of the masks; ``None`` (default) uses the engine's generator.
    """


@register("layer")
class SpatialDropout2D(_SpatialDropout):
    """Drops whole channels (feature maps) of images (batch, height, width, channels) in
    training, as ``SpatialDropout1D`` does for sequences. The identity at inference.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        data_format: ``None`` (default) or ``"channels_last"``.
        seed: seed of the masks; ``None`` (default) uses the engine's generator.
    """

    ndim, example = 4, "(batch, height, width, channels)"

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = data_format_arg(data_format)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class _Noise(Layer):
    """A layer that draws noise in training from its own generator or the engine's."""

    supports_masking = True

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = backend.check_seed(seed)
        self._rng = backend.rng(seed) if seed is not None else None

    def draw(self, x):
        return _normal(self._rng or backend.rng(), x.shape, x.dtype)


@register("layer")
class GaussianNoise(_Noise):
    """Adds Gaussian noise of mean 0 and standard deviation ``stddev`` in training:
    ``y = x + n``. The identity at inference.

    Args:
        stddev: the noise's standard deviation, in [0, 1] (as Keras).
        seed: seed of the noise; ``None`` (default) uses the engine's generator.
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.stddev = fraction(stddev, "stddev", closed=True)

    def call(self, x, training=False):
        if not training or self.stddev == 0:
            return x
        return x + x.dtype.type(self.stddev) * self.draw(x)

    def backward(self, grad):
        return grad        # y = x + n, n does not depend on x: dy/dx = 1

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


@register("layer")
class GaussianDropout(_Noise):
    """Multiplies by Gaussian noise of mean 1 and standard deviation
    ``sqrt(rate / (1 - rate))`` in training: ``y = x * m``. The identity at inference.

    Args:
        rate: the drop probability whose Dropout it imitates, in [0, 1).
        seed: seed of the noise; ``None`` (default) uses the engine's generator.
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.rate = fraction(rate, "rate", closed=False)

    def call(self, x, training=False):
        self.mask = None
        if not training or self.rate == 0:
            return x
        stddev = x.dtype.type(math.sqrt(self.rate / (1 - self.rate)))
        self.mask = 1 + stddev * self.draw(x)
        return x * self.mask

    def backward(self, grad):
        return grad if self.mask is None else grad * self.mask   # y = x m: dy/dx = m

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
