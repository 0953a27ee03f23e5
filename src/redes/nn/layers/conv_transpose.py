"""Transposed convolutions: Conv2DTranspose and Conv1DTranspose (channels_last).

A convolution takes a large image to a smaller one; a *transposed* convolution goes the
other way, and is what a decoder or a generator uses to grow an image back (a stride of 2
doubles height and width). It is exactly the backward pass of a convolution with respect to
its input: every input pixel spreads its ``in_channels`` numbers, multiplied by the kernel,
over a (kh, kw) patch of the output, the patches ``strides`` apart, and where patches
overlap their contributions add up::

    z = x @ K                  (n * ih * iw, in) @ (in, kh * kw * filters): one patch per pixel
    y = col2im(z) + bias       each patch added onto the output pixels it covers

So the backward pass of a transposed convolution is the forward pass of a convolution:
dL/dx = im2col(dL/dy) @ K^T and dL/dK = x^T @ im2col(dL/dy).

The output size along each axis is Keras' (``deconv_output_length``)::

    no output_padding:  "valid": size * stride + max(kernel - stride, 0)
                        "same":  size * stride
    output_padding p:   (size - 1) * stride + kernel - 2 * pad + p,  pad = kernel // 2 for
                        "same" and 0 for "valid"

and the patches start ``pad_before`` pixels before the first output pixel, where
``pad_before`` is the padding the matching ("same" or "valid") convolution of the output
would have added at the start.

Conv1DTranspose is Conv2DTranspose on images of height 1.
"""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_positive_int
from ...i18n import _
from .. import activations, constraints, initializers, regularizers
from ..serialization import register, serialize
from .conv import (
    SpatialInputMixin,
    offset_view,
    windows,
)
from .core import _WithActivation


def deconv_length(size, k, s, padding, output_padding=None):
    """The output length of a transposed convolution along one axis (``None`` stays)."""
    if size is None:
        return None
    if output_padding is None:
        return size * s + max(k - s, 0) if padding == "valid" else size * s
    pad = k // 2 if padding == "same" else 0
    return (size - 1) * s + k - 2 * pad + output_padding


def start_offset(size, out, k, s, padding) -> int:
    """How many pixels of the patches fall before the output (then they are cut off): the
    padding at the start that the convolution taking ``out`` back to ``size`` would add."""
    if padding == "valid":
        return 0
    return max((size - 1) * s + k - out, 0) // 2


def _output_padding_arg(value, rank, strides):
    if value is None:
        return None
    pads = (value,) * rank if isinstance(value, (int, np.integer)) else value
    try:
        pads = tuple(pads)
    except TypeError:
        pads = None
    if pads is None or len(pads) != rank or not all(
            isinstance(p, (int, np.integer)) and not isinstance(p, bool) and 0 <= p < s
            for p, s in zip(pads, strides)):
        raise ValueError(_(
            "output_padding: expected None or {rank} whole numbers, each >= 0 and smaller "
            "than the strides {strides}, got {value!r}").format(
                rank=rank, strides=strides, value=value))
    return tuple(int(p) for p in pads)


class _ConvTranspose(SpatialInputMixin, _WithActivation):
    """Shared by Conv1DTranspose and Conv2DTranspose; works on images of height 1 for 1D."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        self.filters = check_positive_int("filters", filters)
        super().__init__(activation=activation, **kwargs)
        self.set_window(kernel_size, strides, padding, data_format, dilation_rate)
        self.output_padding = _output_padding_arg(output_padding, self.rank, self.strides)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        channels = self.known_channels(input_shape)
        # the kernel of the convolution this layer is the transpose of: (..., filters, in)
        self.kernel = self._add_array("kernel", (*self.kernel_size, self.filters, channels),
                                      self.kernel_initializer, self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self._add_array("bias", (self.filters,), self.bias_initializer,
                                        self.bias_regularizer, constraint=self.bias_constraint)

    def _out_sizes(self, sizes):
        pads = self.output_padding or (None,) * self.rank
        return tuple(deconv_length(d, k, s, self.padding, p)
                     for d, k, s, p in zip(sizes, self.kernel_size, self.strides, pads))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self._out_sizes(input_shape[1:-1]), self.filters)

    def _geometry(self, in_size):
        """For the image form: the output size, where it starts in the buffer the patches
        are added to, and that buffer's size (large enough for every patch and the output)."""
        out = (1, *self._out_sizes(in_size[2 - self.rank:]))[-2:]
        start = tuple(start_offset(d, o, k, s, self.padding)
                      for d, o, k, s in zip(in_size, out, self._k2, self._s2))
        full = tuple(max((d - 1) * s + k, b + o)
                     for d, o, k, s, b in zip(in_size, out, self._k2, self._s2, start))
        return out, start, full

    def _kernel_matrix(self):
        """The kernel as (in, kh * kw * filters): row c spreads input channel c."""
        return np.moveaxis(self.kernel, -1, 0).reshape(self.kernel.shape[-1], -1)

    def call(self, x, training=False):
        img = self.as_image(x)
        n, ih, iw, c = img.shape
        out, start, full = self._geometry((ih, iw))
        (kh, kw), f = self._k2, self.filters
        self.x_flat, self.geometry = img.reshape(-1, c), (n, (ih, iw), out, start, full)
        # each input pixel's patch: (n * ih * iw, kh * kw * filters)
        patches = (self.x_flat @ self._kernel_matrix()).reshape(n, ih, iw, kh, kw, f)
        # col2im: add every patch onto the output pixels it covers
        buf = np.zeros((n, *full, f), dtype=patches.dtype)
        for i in range(kh):
            for j in range(kw):
                offset_view(buf, i, j, self._s2, (ih, iw))[...] += patches[:, :, :, i, j, :]
        z = buf[:, start[0]:start[0] + out[0], start[1]:start[1] + out[1], :]
        z = np.ascontiguousarray(z)
        if self.use_bias:
            z += self.bias
        return self.activate(self.from_image(z), owned=True)

    def backward(self, grad, from_logits=False):
        g = self.as_image(self.activation_backward(grad, from_logits))     # dL/dz
        n, in_size, out, start, full = self.geometry
        f = self.filters
        buf = np.zeros((n, *full, f), dtype=g.dtype)      # dL/d(buffer): 0 where cut off
        buf[:, start[0]:start[0] + out[0], start[1]:start[1] + out[1], :] = g
        # dL/d(patches) = im2col(dL/dbuffer): the window of dL/dz under each input pixel
        dpatches = windows(buf, self._k2, self._s2, in_size).reshape(n * in_size[0]
                                                                     * in_size[1], -1)
        kernel = self._kernel_matrix()
        dk = self.x_flat.T @ dpatches                      # dL/dK = x^T im2col(dL/dz)
        kh, kw = self._k2
        dk = np.moveaxis(dk.reshape(-1, kh, kw, f), 0, -1).reshape(self.kernel.shape)
        self.grads = [dk]
        if self.use_bias:
            self.grads.append(g.sum(axis=(0, 1, 2)))        # dL/db = sum of dL/dz
        if not self.input_grad:
            return None
        dx = (dpatches @ kernel.T).reshape(n, *in_size, -1)  # dL/dx = im2col(dL/dz) K^T
        return self.from_image(dx)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "output_padding": (None if self.output_padding is None
                               else list(self.output_padding)),
            "data_format": self.data_format,
            "dilation_rate": [1] * self.rank,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "bias_constraint": serialize(self.bias_constraint),
        }


_ARGS_DOC = """
    Args:
        filters: number of filters (channels of the output).
        kernel_size: int or tuple, the size of the patch each input pixel spreads over.
        strides: int or tuple, the step between patches (2 doubles the size). Defaults to 1.
        padding: ``"valid"`` (default) or ``"same"``; see the module's docstring for the
            output size each gives.
        output_padding: ``None`` (default) or ints smaller than ``strides``: extra output
            pixels at the end of each axis, to choose among the sizes a stride allows.
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
        dilation_rate: only 1 (the default) is supported.
        activation: name or function; ``None`` (default) means linear.
        use_bias: whether to add a bias per filter. Defaults to ``True``.
        kernel_initializer: defaults to ``"glorot_uniform"``.
        bias_initializer: defaults to ``"zeros"``.
        kernel_regularizer, bias_regularizer: penalties added to the loss; default ``None``.
        kernel_constraint, bias_constraint: applied after each update; default ``None``.
"""


@register("layer", "Convolution2DTranspose")
class Conv2DTranspose(_ConvTranspose):
    __doc__ = """2D transposed convolution, the input-gradient of ``Conv2D``.

    Inputs are (batch, height, width, channels); outputs (batch, new_height, new_width,
    filters). The kernel has shape (kh, kw, filters, in_channels), as in Keras.
""" + _ARGS_DOC
    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, output_padding, data_format,
                         dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)


@register("layer", "Convolution1DTranspose")
class Conv1DTranspose(_ConvTranspose):
    __doc__ = """1D transposed convolution, the input-gradient of ``Conv1D``.

    Inputs are (batch, steps, channels); outputs (batch, new_steps, filters). The kernel has
    shape (kernel_size, filters, in_channels), as in Keras.
""" + _ARGS_DOC
    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, output_padding, data_format,
                         dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)

Convolution1DTranspose, Convolution2DTranspose = Conv1DTranspose, Conv2DTranspose
