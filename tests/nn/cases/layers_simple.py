"""Gradient-check cases of the simple layers: the activation layers (Softmax, with a mask
too, ReLU, LeakyReLU, ELU, PReLU), LayerNormalization, UnitNormalization, the reshaping
layers (upsampling, padding, cropping, Permute, RepeatVector) and the noise layers in
training (their noise is frozen by the checker) and at inference."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest

from redes.nn import gradcheck, initializers, layers

from . import data

F64 = "float64"


def _check(make, shape, training=False, seed=4):
    return gradcheck.check_layer(make(), data(shape, seed=seed), training=training)


def _case(make, shape, id, training=False):
    return pytest.param(functools.partial(_check, make, shape, training), id=id)


def _layer(cls, *args, **kwargs):
    return lambda: cls(*args, dtype=F64, **kwargs)


class _MaskedSoftmax(layers.Softmax):
    """A Softmax called with a fixed mask: the last two positions of sample 0 and the first
    of sample 1 are masked, and sample 2 is masked whole."""

    def call(self, x, training=False, mask=None):
        mask = np.ones(x.shape[:-1] + (x.shape[-1],), bool)
        mask[0, -2:] = mask[1, 0] = mask[2] = False
        return super().call(x, training, mask=mask)


def _rms_scaling():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)         # rms_scaling is deprecated
        return layers.LayerNormalization(rms_scaling=True, gamma_initializer=_random(7),
                                         dtype=F64)


def _random(seed):
    return initializers.RandomNormal(mean=1.0, stddev=0.5, seed=seed)


CASES = [
    _case(_layer(layers.Softmax), (4, 5), "layer-softmax"),
    _case(_layer(layers.Softmax, axis=1), (3, 4, 2), "layer-softmax-axis-1"),
    _case(_layer(layers.Softmax, axis=[1, 2]), (3, 4, 2), "layer-softmax-axes-1-2"),
    _case(_layer(_MaskedSoftmax), (4, 5), "layer-softmax-masked"),
    _case(_layer(layers.ReLU), (4, 5), "layer-relu"),
    _case(_layer(layers.ReLU, max_value=1.5, negative_slope=0.2, threshold=0.05), (4, 6),
          "layer-relu-capped-leaky-threshold"),
    _case(_layer(layers.LeakyReLU), (4, 5), "layer-leakyrelu"),
    _case(_layer(layers.ELU, alpha=0.6), (4, 5), "layer-elu"),
    _case(_layer(layers.PReLU, alpha_initializer=_random(1)), (3, 4, 2), "layer-prelu"),
    _case(_layer(layers.PReLU, alpha_initializer=_random(2), shared_axes=[1, 2],
                 alpha_regularizer="l2"), (3, 4, 2, 3), "layer-prelu-shared-axes-l2"),
    _case(_layer(layers.LayerNormalization, beta_initializer=_random(3),
                 gamma_initializer=_random(4)), (4, 5), "layer-layernorm"),
    _case(_layer(layers.LayerNormalization, axis=[1, 2], beta_initializer=_random(5),
                 gamma_initializer=_random(6), gamma_regularizer="l2"), (3, 4, 2),
          "layer-layernorm-axes-1-2"),
    _case(_layer(layers.LayerNormalization, axis=1, center=False, scale=False), (3, 4, 2),
          "layer-layernorm-axis-1-plain"),
    _case(_rms_scaling, (4, 5), "layer-layernorm-rms-scaling"),
    _case(_layer(layers.UnitNormalization), (4, 5), "layer-unitnorm"),
    _case(_layer(layers.UnitNormalization, axis=[1, 2]), (3, 4, 2), "layer-unitnorm-axes-1-2"),
    _case(_layer(layers.UpSampling1D, 3), (2, 4, 3), "layer-upsampling1d"),
    _case(_layer(layers.UpSampling2D, (2, 3)), (2, 3, 2, 2), "layer-upsampling2d-nearest"),
    _case(_layer(layers.UpSampling2D, (3, 2), interpolation="bilinear"), (2, 3, 4, 2),
          "layer-upsampling2d-bilinear"),
    _case(_layer(layers.ZeroPadding1D, (2, 1)), (2, 3, 2), "layer-zeropadding1d"),
    _case(_layer(layers.ZeroPadding2D, ((1, 0), (2, 1))), (2, 3, 2, 2), "layer-zeropadding2d"),
    _case(_layer(layers.Cropping1D, (1, 2)), (2, 5, 2), "layer-cropping1d"),
    _case(_layer(layers.Cropping2D, ((1, 0), (0, 2))), (2, 4, 5, 2), "layer-cropping2d"),
    _case(_layer(layers.Permute, (3, 1, 2)), (2, 3, 4, 2), "layer-permute"),
    _case(_layer(layers.RepeatVector, 3), (4, 5), "layer-repeatvector"),
    _case(_layer(layers.SpatialDropout1D, 0.5, seed=3), (4, 3, 5), "layer-spatialdropout1d",
          training=True),
    _case(_layer(layers.SpatialDropout2D, 0.5), (4, 2, 3, 5), "layer-spatialdropout2d",
          training=True),
    _case(_layer(layers.GaussianNoise, 0.3, seed=4), (4, 5), "layer-gaussiannoise",
          training=True),
    _case(_layer(layers.GaussianDropout, 0.4, seed=5), (4, 5), "layer-gaussiandropout",
          training=True),
    _case(_layer(layers.GaussianDropout, 0.4, seed=5), (4, 5), "layer-gaussiandropout-inference"),
]
