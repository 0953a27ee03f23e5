"""Depthwise and separable convolutions (channels_last): DepthwiseConv2D/1D, SeparableConv2D/1D.

A ``Conv2D`` mixes every input channel into every filter. A *depthwise* convolution keeps
the channels apart: channel c is convolved with its own ``depth_multiplier`` small kernels,
so the output has ``channels * depth_multiplier`` channels (channel c gives outputs
c * depth_multiplier ... c * depth_multiplier + depth_multiplier - 1, as in Keras)::

    z[n, i, j, c, m] = sum over (a, b) of x[n, i*sh + a, j*sw + b, c] * K[a, b, c, m]

A *separable* convolution is a depthwise convolution followed by a 1x1 ("pointwise")
convolution that mixes the channels: nearly the same power as a Conv2D for far fewer
weights (MobileNet, Xception).

The sum above is computed one kernel offset (a, b) at a time, each over the whole batch and
every output pixel at once; its backward pass walks the same offsets::

    dL/dK[a, b, c, m] = sum over (n, i, j) of x[n, i*sh + a, j*sw + b, c] * dL/dz[n, i, j, c, m]
    dL/dx[n, i*sh + a, j*sw + b, c] += sum over m of K[a, b, c, m] * dL/dz[n, i, j, c, m]

The 1D layers are the 2D ones on images of height 1.
"""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_positive_int
from .. import activations, constraints, initializers, regularizers
from ..serialization import register, serialize
from .conv import (
    SpatialInputMixin,
    crop_image,
    offset_view,
    pad_image,
)
from .core import _WithActivation


def depthwise(xp, kernel, strides, out_size):
    """z (n, oh, ow, c, dm) of the padded image ``xp`` and ``kernel`` (kh, kw, c, dm)."""
    kh, kw, c, dm = kernel.shape
    z = np.zeros((xp.shape[0], *out_size, c, dm), dtype=np.result_type(xp, kernel))
    for a in range(kh):
        for b in range(kw):
            z += offset_view(xp, a, b, strides, out_size)[..., None] * kernel[a, b]
    return z


def depthwise_backward(xp, kernel, g, strides, out_size, input_grad=True):
    """(dL/dkernel, dL/dxp or None) of ``depthwise``, given dL/dz ``g`` (n, oh, ow, c, dm)."""
    kh, kw = kernel.shape[:2]
    dk = np.empty_like(kernel)
    dxp = np.zeros(xp.shape, dtype=g.dtype) if input_grad else None
    for a in range(kh):
        for b in range(kw):
            seen = offset_view(xp, a, b, strides, out_size)
            dk[a, b] = np.einsum("nijc,nijcm->cm", seen, g)
            if input_grad:
                offset_view(dxp, a, b, strides, out_size)[...] += np.einsum(
                    "nijcm,cm->nijc", g, kernel[a, b])
    return dk, dxp


class _Depthwise(SpatialInputMixin, _WithActivation):
    """What the depthwise and separable layers share: the depthwise step on images."""

    def _setup(self, kernel_size, strides, padding, data_format, dilation_rate,
               depth_multiplier, use_bias, depthwise_initializer, bias_initializer,
               depthwise_regularizer, bias_regularizer, depthwise_constraint,
               bias_constraint):
        self.set_window(kernel_size, strides, padding, data_format, dilation_rate)
        self.depth_multiplier = check_positive_int("depth_multiplier", depth_multiplier)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def _channels(self, input_shape):
        channels = self.known_channels(input_shape)
        self.spatial_check(input_shape, self.kernel_size,
                           self.pads_for(input_shape, self.kernel_size, self.strides))
        return channels

    def _add_depthwise(self, name, channels):
        return self._add_array(name, (*self.kernel_size, channels, self.depth_multiplier),
                               self.depthwise_initializer, self.depthwise_regularizer,
                               constraint=self.depthwise_constraint)

    def _depthwise_forward(self, x, kernel):
        """(n, oh, ow, c * dm) of the depthwise step, keeping what backward needs."""
        pads = self.image_pads(self.pads_for(x.shape, self.kernel_size, self.strides))
        out_size = (1, *self.out_sizes(x.shape, self.kernel_size, self.strides))[-2:]
        xp = pad_image(self.as_image(x), pads)
        self.xp, self.pads, self.out_size = xp, pads, out_size
        k2 = kernel.reshape(*self._k2, *kernel.shape[-2:])
        z = depthwise(xp, k2, self._s2, out_size)
        return z.reshape(*z.shape[:3], -1)

    def _depthwise_backward(self, g, kernel):
        """(dL/dkernel, dL/dx) of the depthwise step, given dL/d(its output) (n, oh, ow, c*dm)."""
        k2 = kernel.reshape(*self._k2, *kernel.shape[-2:])
        g = g.reshape(*g.shape[:3], *k2.shape[-2:])
        dk, dxp = depthwise_backward(self.xp, k2, g, self._s2, self.out_size, self.input_grad)
        dx = None if dxp is None else self.from_image(crop_image(dxp, self.pads))
        return dk.reshape(kernel.shape), dx

    def _config(self):
        return {
            **super().get_config(),
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": [1] * self.rank,
            "depth_multiplier": self.depth_multiplier,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": serialize(self.depthwise_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "depthwise_regularizer": serialize(self.depthwise_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "depthwise_constraint": serialize(self.depthwise_constraint),
            "bias_constraint": serialize(self.bias_constraint),
        }


class _DepthwiseConv(_Depthwise):
    """A depthwise convolution: weights ``kernel`` (kh, kw, channels, depth_multiplier) and
    ``bias`` (channels * depth_multiplier,), as in Keras."""

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, depthwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(activation=activation, **kwargs)
        self._setup(kernel_size, strides, padding, data_format, dilation_rate,
                    depth_multiplier, use_bias, depthwise_initializer, bias_initializer,
                    depthwise_regularizer, bias_regularizer, depthwise_constraint,
                    bias_constraint)

    def build(self, input_shape):
        channels = self._channels(input_shape)
        self.kernel = self._add_depthwise("kernel", channels)
        if self.use_bias:
            self.bias = self._add_array("bias", (channels * self.depth_multiplier,),
                                        self.bias_initializer, self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def compute_output_shape(self, input_shape):
        out = self.out_sizes(input_shape, self.kernel_size, self.strides)
        channels = input_shape[-1] * self.depth_multiplier
        return (input_shape[0], *out, channels)

    def call(self, x, training=False):
        z = self._depthwise_forward(x, self.kernel)
        if self.use_bias:
            z += self.bias
        return self.activate(self.from_image(z), owned=True)

    def backward(self, grad, from_logits=False):
        g = self.as_image(self.activation_backward(grad, from_logits))      # dL/dz
        dk, dx = self._depthwise_backward(g, self.kernel)
        self.grads = [dk] + ([g.sum(axis=(0, 1, 2))] if self.use_bias else [])  # dL/db
        return dx

    def get_config(self):
        return self._config()


class _SeparableConv(_Depthwise):
    """A depthwise convolution then a 1x1 convolution: weights ``depthwise_kernel`` (kh, kw,
    channels, depth_multiplier), ``pointwise_kernel`` (1, 1, channels * depth_multiplier,
    filters) (1D: one 1 fewer) and ``bias`` (filters,), as in Keras."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 depth_multiplier=1, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activation=activation, **kwargs)
        self.filters = check_positive_int("filters", filters)
        self._setup(kernel_size, strides, padding, data_format, dilation_rate,
                    depth_multiplier, use_bias, depthwise_initializer, bias_initializer,
                    depthwise_regularizer, bias_regularizer, depthwise_constraint,
                    bias_constraint)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape):
        channels = self._channels(input_shape)
        self.depthwise_kernel = self._add_depthwise("depthwise_kernel", channels)
        self.pointwise_kernel = self._add_array(
            "pointwise_kernel", (*(1,) * self.rank, channels * self.depth_multiplier,
                                 self.filters),
            self.pointwise_initializer, self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        if self.use_bias:
            self.bias = self._add_array("bias", (self.filters,), self.bias_initializer,
                                        self.bias_regularizer, constraint=self.bias_constraint)

    def compute_output_shape(self, input_shape):
        out = self.out_sizes(input_shape, self.kernel_size, self.strides)
        return (input_shape[0], *out, self.filters)

    def call(self, x, training=False):
        self.u = self._depthwise_forward(x, self.depthwise_kernel)   # (n, oh, ow, c * dm)
        z = self.u @ self.pointwise_kernel.reshape(-1, self.filters)  # the 1x1 convolution
        if self.use_bias:
            z += self.bias
        return self.activate(self.from_image(z), owned=True)

    def backward(self, grad, from_logits=False):
        g = self.as_image(self.activation_backward(grad, from_logits))      # dL/dz
        g2, u2 = g.reshape(-1, self.filters), self.u.reshape(-1, self.u.shape[-1])
        pointwise = self.pointwise_kernel.reshape(-1, self.filters)
        d_pointwise = (u2.T @ g2).reshape(self.pointwise_kernel.shape)   # dL/dP = u^T dL/dz
        du = (g2 @ pointwise.T).reshape(self.u.shape)                     # dL/du = dL/dz P^T
        d_depthwise, dx = self._depthwise_backward(du, self.depthwise_kernel)
        self.grads = [d_depthwise, d_pointwise]
        if self.use_bias:
            self.grads.append(g2.sum(axis=0))                             # dL/db
        return dx

    def get_config(self):
        return {
            **self._config(),
            "filters": self.filters,
            "pointwise_initializer": serialize(self.pointwise_initializer),
            "pointwise_regularizer": serialize(self.pointwise_regularizer),
            "pointwise_constraint": serialize(self.pointwise_constraint),
        }


_DEPTHWISE_ARGS = """
    Args:
        kernel_size: int or tuple, the window's size.
        strides: int or tuple, the step between windows. Defaults to 1.
        padding: ``"valid"`` (default) or ``"same"``, as in ``Conv2D``.
        depth_multiplier: kernels per input channel. Defaults to 1.
        data_format: ``None`` (default) or ``"channels_last"``.
        dilation_rate: only 1 (the default) is supported.
        activation: name or function; ``None`` (default) means linear.
        use_bias: whether to add a bias per output channel. Defaults to ``True``.
        depthwise_initializer: defaults to ``"glorot_uniform"``.
        bias_initializer: defaults to ``"zeros"``.
        depthwise_regularizer, bias_regularizer: penalties; default ``None``.
        depthwise_constraint, bias_constraint: applied after each update; default ``None``.
"""

_SEPARABLE_ARGS = """
    Args:
        filters: number of filters (channels of the output).
        kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
            activation, use_bias: as in ``DepthwiseConv2D`` (and ``Conv2D`` for filters).
        depthwise_initializer, pointwise_initializer: default ``"glorot_uniform"``.
        bias_initializer: defaults to ``"zeros"``.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer: default ``None``.
        depthwise_constraint, pointwise_constraint, bias_constraint: default ``None``.
"""


@register("layer")
class DepthwiseConv2D(_DepthwiseConv):
    __doc__ = ("2D depthwise convolution: each channel convolved with its own kernels.\n"
               + (_DepthwiseConv.__doc__ or "") + _DEPTHWISE_ARGS)
    rank = 2


@register("layer")
class DepthwiseConv1D(_DepthwiseConv):
    __doc__ = ("1D depthwise convolution over (batch, steps, channels).\n"
               + (_DepthwiseConv.__doc__ or "") + _DEPTHWISE_ARGS)
    rank = 1


@register("layer", "SeparableConvolution2D")
class SeparableConv2D(_SeparableConv):
    __doc__ = ("2D separable convolution: depthwise, then 1x1.\n"
               + (_SeparableConv.__doc__ or "") + _SEPARABLE_ARGS)
    rank = 2


@register("layer", "SeparableConvolution1D")
class SeparableConv1D(_SeparableConv):
    __doc__ = ("1D separable convolution over (batch, steps, channels).\n"
               + (_SeparableConv.__doc__ or "") + _SEPARABLE_ARGS)
    rank = 1


SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
