"""LayerNormalization and UnitNormalization: normalize each sample on its own.

BatchNormalization averages over the batch; these two look at one sample at a time, so they
work the same in training and inference and with any batch size. LayerNormalization centres
and scales the values of each sample along ``axis`` (its features)::

    x_hat = (x - mean) / sqrt(variance + epsilon)       mean, variance along axis
    y = gamma * x_hat + beta

UnitNormalization divides each sample by its length: ``y = x / ||x||`` along ``axis``.
"""

from __future__ import annotations

import warnings

import numpy as np

from ...i18n import _
from .. import constraints, initializers, regularizers
from ..serialization import register, serialize
from .base import Layer
from .simple_checks import axes_arg, number, resolve_axes


@register("layer")
class LayerNormalization(Layer):
    """Normalizes each sample along ``axis``, as ``keras.layers.LayerNormalization``.

    Weights, in Keras' order: ``gamma`` (if ``scale`` or ``rms_scaling``) and ``beta`` (if
    ``center`` and not ``rms_scaling``), of the input's sizes along ``axis``.

    Args:
        axis: an integer or a list of integers, the axes normalized together. Defaults to
            -1 (the features).
        epsilon: added to the variance before the square root. Defaults to 1e-3.
        center: learn an offset ``beta``. Defaults to ``True``.
        scale: learn a scale ``gamma``. Defaults to ``True``.
        rms_scaling: deprecated in Keras 3, kept for its programs: ``y = gamma * x /
            sqrt(variance + epsilon)``, without centering x (it divides by the variance,
            not by the root mean square). Defaults to ``False``.
        beta_initializer: defaults to ``"zeros"``.
        gamma_initializer: defaults to ``"ones"``.
        beta_regularizer, gamma_regularizer: penalties added to the loss; default ``None``.
        beta_constraint, gamma_constraint: applied after each update; default ``None``.
    """

    supports_masking = True

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.axis = axes_arg(axis)
        self.epsilon = number(epsilon, "epsilon", 0)
        self.center, self.scale = bool(center), bool(scale)
        self.rms_scaling = bool(rms_scaling)
        if self.rms_scaling:
            warnings.warn(_(
                "LayerNormalization: rms_scaling=True is deprecated in Keras 3: it divides by "
                "the variance, not by the root mean square"), stacklevel=2)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        ndim = len(input_shape)
        self.axes = resolve_axes(self.axis, ndim, input_shape, self.name)
        shape = tuple(input_shape[a] for a in self.axes)
        if any(d is None for d in shape):
            raise ValueError(_(
                "input_shape: layer {name!r} needs known sizes along axis {axis}, got {shape}"
            ).format(name=self.name, axis=self.axis, shape=input_shape))
        # gamma and beta as they broadcast against x: their sizes on the axes, 1 elsewhere
        self.bshape = tuple(input_shape[a] if a in self.axes else 1 for a in range(ndim))
        self.others = tuple(a for a in range(ndim) if a not in self.axes)   # summed in grads
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self._add_array("gamma", shape, self.gamma_initializer,
                                         self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center and not self.rms_scaling:
            self.beta = self._add_array("beta", shape, self.beta_initializer,
                                        self.beta_regularizer, constraint=self.beta_constraint)

    def call(self, x, training=False):
        dtype = x.dtype
        x = x.astype(np.result_type(dtype, np.float32), copy=False)   # float16 -> float32
        self.x = x
        self.xc = x - np.mean(x, axis=self.axes, keepdims=True)
        var = np.mean(np.square(self.xc), axis=self.axes, keepdims=True)
        self.inv_std = 1 / np.sqrt(var + x.dtype.type(self.epsilon))
        # rms_scaling scales x itself; otherwise x - mean
        self.x_hat = (x if self.rms_scaling else self.xc) * self.inv_std
        y = self.x_hat if self.gamma is None else self.x_hat * self.gamma.reshape(self.bshape)
        if self.beta is not None:
            y = y + self.beta.reshape(self.bshape)
        return y.astype(dtype, copy=False)

    def backward(self, grad):
        self.grads = []
        if self.gamma is not None:
            self.grads.append(np.sum(grad * self.x_hat, axis=self.others)   # sum g x_hat
                              .reshape(self.gamma.shape))
        if self.beta is not None:
            self.grads.append(np.sum(grad, axis=self.others).reshape(self.beta.shape))  # sum g
        if not self.input_grad:
            return None
        h = grad if self.gamma is None else grad * self.gamma.reshape(self.bshape)  # dL/dx_hat
        axes, s = self.axes, self.inv_std
        if self.rms_scaling:
            # x_hat = x s, s = (var + eps)^(-1/2), dvar/dx = 2 (x - mean) / n:
            # dL/dx = s (h - (x - mean) s^2 mean(h x))
            return (s * (h - self.xc * s * s * np.mean(h * self.x, axis=axes, keepdims=True))
                    ).astype(grad.dtype, copy=False)
        # x_hat = (x - mean) s:  dL/dx = s (h - mean(h) - x_hat mean(h x_hat))
        dx = s * (h - np.mean(h, axis=axes, keepdims=True)
                  - self.x_hat * np.mean(h * self.x_hat, axis=axes, keepdims=True))
        return dx.astype(grad.dtype, copy=False)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": serialize(self.beta_initializer),
            "gamma_initializer": serialize(self.gamma_initializer),
            "beta_regularizer": serialize(self.beta_regularizer),
            "gamma_regularizer": serialize(self.gamma_regularizer),
            "beta_constraint": serialize(self.beta_constraint),
            "gamma_constraint": serialize(self.gamma_constraint),
        }


@register("layer")
class UnitNormalization(Layer):
    """Divides each sample by its L2 norm along ``axis``: ``y = x / ||x||``, as
    ``keras.layers.UnitNormalization`` (a norm below 1e-12 counts as 1e-12).

    Args:
        axis: an integer or a list of integers, the axes of the norm. Defaults to -1.
    """

    supports_masking = True
    EPSILON = 1e-12

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axes_arg(axis)

    def build(self, input_shape):
        self.axes = resolve_axes(self.axis, len(input_shape), input_shape, self.name)

    def call(self, x, training=False):
        norm = np.sqrt(np.sum(np.square(x), axis=self.axes, keepdims=True))
        self.tiny = norm < self.EPSILON        # such a sample is only scaled by 1 / 1e-12
        self.inv_norm = 1 / np.maximum(norm, x.dtype.type(self.EPSILON))
        self.y = x * self.inv_norm
        return self.y

    def backward(self, grad):
        # y = x / ||x||:  dL/dx = (g - y sum(g y)) / ||x||   (g / 1e-12 where the norm is tiny)
        along = np.sum(grad * self.y, axis=self.axes, keepdims=True)
        return (grad - np.where(self.tiny, 0, self.y * along)) * self.inv_norm

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
