"""Pooling layers (channels_last): max and average pooling over windows, and global pooling.

A pooling layer slides a window over each channel and keeps one number per window: the
largest (max pooling) or the mean (average pooling). It has no weights. Both are computed
with one array operation per window offset (pool_size[0] * pool_size[1] of them), never a
loop over pixels: for offset (i, j), ``offset_view`` gives, for every output pixel at once,
the input pixel at that place of its window.

The 1D layers work on (batch, steps, channels) and are the 2D ones on images of height 1.
"""

from __future__ import annotations

import numpy as np

from ..serialization import register
from .base import Layer
from .conv import (
    SpatialInputMixin,
    crop_image,
    data_format_arg,
    int_tuple,
    offset_view,
    pad_image,
    padding_arg,
)
from .rnn.sequences import check_mask


class _Pooling(SpatialInputMixin, Layer):
    """Shared by the max and average pooling layers, 1D and 2D."""

    mode = "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.pool_size = int_tuple(pool_size, self.rank, "pool_size")
        self.strides = self.pool_size if strides is None else int_tuple(strides, self.rank,
                                                                         "strides")
        self.padding = padding_arg(padding)
        self.data_format = data_format_arg(data_format)
        self._k2 = self.pool_size if self.rank == 2 else (1, *self.pool_size)
        self._s2 = self.strides if self.rank == 2 else (1, *self.strides)

    def build(self, input_shape):
        self.check_rank(input_shape, "input_shape")
        self.spatial_check(input_shape, self.pool_size,
                           self.pads_for(input_shape, self.pool_size, self.strides),
                           argument="pool_size")

    def compute_output_shape(self, input_shape):
        out = self.out_sizes(input_shape, self.pool_size, self.strides)
        return (input_shape[0], *out, input_shape[-1])

    def _offsets(self):
        kh, kw = self._k2
        return [(i, j) for i in range(kh) for j in range(kw)]

    def call(self, x, training=False):
        self.pads = self.image_pads(self.pads_for(x.shape, self.pool_size, self.strides))
        self.out_size = (1, *self.out_sizes(x.shape, self.pool_size, self.strides))[-2:]
        fill = -np.inf if self.mode == "max" else 0.0       # padding never wins a max
        xp = pad_image(self.as_image(x), self.pads, fill)
        self.xp_shape = xp.shape
        views = [offset_view(xp, i, j, self._s2, self.out_size) for i, j in self._offsets()]
        # in a training step the results go into arrays kept from the step before (new
        # arrays this large would be new memory pages, handed out zeroed one by one)
        out = self.kept_or_new("out", views[0].shape, xp.dtype)
        np.copyto(out, views[0])
        if self.mode == "max":
            # which offset holds each window's largest value: the first one, when several do
            self.winner = self.kept_or_new("winner", out.shape,
                                           np.min_scalar_type(len(views) - 1))
            self.winner.fill(0)
            for k, v in enumerate(views[1:], start=1):
                larger = np.greater(v, out).astype(self.winner.dtype)   # 1 where v is larger
                np.maximum(out, v, out=out)
                larger *= k              # k where offset k beats the ones before it, else 0:
                np.maximum(self.winner, larger, out=self.winner)   # the last such k wins
            return self.from_image(out)
        for v in views[1:]:
            out += v
        self.counts = self._counts(x.shape).astype(out.dtype)
        out /= self.counts
        return self.from_image(out)

    def _counts(self, input_shape):
        """How many real (not padded) pixels each window covers, as Keras averages them."""
        if not any(p for pair in self.pads for p in pair):
            return np.asarray(float(np.prod(self._k2)))
        sizes = (1, *input_shape[1:-1])[-2:]
        per_axis = []
        for d, k, s, (before, _), o in zip(sizes, self._k2, self._s2, self.pads, self.out_size):
            start = np.arange(o) * s - before          # window start in unpadded coordinates
            per_axis.append(np.minimum(start + k, d) - np.maximum(start, 0))
        return (per_axis[0][:, None] * per_axis[1][None, :])[None, :, :, None]

    def backward(self, grad):
        if not self.input_grad:
            return None
        g = self.as_image(grad)
        dx = self.kept_or_new("dx", self.xp_shape, g.dtype)
        dx.fill(0)
        if self.mode == "average":
            g = g / self.counts              # dy/dx = 1 / count for every pixel of the window
            for i, j in self._offsets():
                target = offset_view(dx, i, j, self._s2, self.out_size)
                target += g
            return self.from_image(crop_image(dx, self.pads))
        overlap = any(s < k for s, k in zip(self._s2, self._k2))
        for k, (i, j) in enumerate(self._offsets()):
            # dy/dx = 1 for the (first) largest value of each window, 0 elsewhere
            hit = self.winner == k
            target = offset_view(dx, i, j, self._s2, self.out_size)
            if overlap:
                target += g * hit
            else:                                # each pixel is in one window only: write
                np.multiply(g, hit, out=target)
        return self.from_image(crop_image(dx, self.pads))

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": list(self.pool_size),
            "padding": self.padding,
            "strides": list(self.strides),
            "data_format": self.data_format,
        }


@register("layer", "MaxPool2D")
class MaxPooling2D(_Pooling):
    """Keeps the largest value of each window of each channel: (batch, h, w, c) ->
    (batch, h', w', c). The gradient goes to the (first) largest value of each window.

    Args:
        pool_size: int or tuple, the window's size. Defaults to (2, 2).
        strides: the step between windows; ``None`` (default) means ``pool_size``
            (windows side by side, no overlap).
        padding: ``"valid"`` (default: windows that do not fit are dropped) or ``"same"``
            (the output has ceil(size / strides) positions; padding is never the maximum).
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
    """

    rank, mode = 2, "max"

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


@register("layer", "AvgPool2D")
class AveragePooling2D(_Pooling):
    """Averages each window of each channel: (batch, h, w, c) -> (batch, h', w', c).

    Args:
        pool_size: int or tuple, the window's size.
        strides: the step between windows; ``None`` (default) means ``pool_size``
            (windows side by side, no overlap).
        padding: ``"valid"`` (default: windows that do not fit are dropped) or ``"same"``
            (the output has ceil(size / strides) positions; padded positions are not
            counted in the mean).
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
    """

    rank, mode = 2, "average"

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


@register("layer", "MaxPool1D")
class MaxPooling1D(_Pooling):
    """Keeps the largest value of each window of each channel: (batch, steps, c) ->
    (batch, steps', c). The gradient goes to the (first) largest value of each window.

    Args:
        pool_size: int, the window's length. Defaults to 2.
        strides: the step between windows; ``None`` (default) means ``pool_size``
            (windows side by side, no overlap).
        padding: ``"valid"`` (default: windows that do not fit are dropped) or ``"same"``
            (the output has ceil(size / strides) positions; padding is never the maximum).
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
    """

    rank, mode = 1, "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


@register("layer", "AvgPool1D")
class AveragePooling1D(_Pooling):
    """Averages each window of each channel: (batch, steps, c) -> (batch, steps', c).

    Args:
        pool_size: int, the window's length.
        strides: the step between windows; ``None`` (default) means ``pool_size``
            (windows side by side, no overlap).
        padding: ``"valid"`` (default: windows that do not fit are dropped) or ``"same"``
            (the output has ceil(size / strides) positions; padded positions are not
            counted in the mean).
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
    """

    rank, mode = 1, "average"

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


# --------------------------------------------------------------------- global pooling


class _GlobalPooling(SpatialInputMixin, Layer):
    """One number per channel over all positions: (batch, ..., c) -> (batch, c)."""

    mode = "average"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_arg(data_format)
        self.keepdims = bool(keepdims)
        self.axes = tuple(range(1, self.rank + 1))

    def build(self, input_shape):
        self.check_rank(input_shape, "input_shape")

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return (input_shape[0], *(1,) * self.rank, input_shape[-1])
        return (input_shape[0], input_shape[-1])

    def call(self, x, training=False):
        self.x = x
        if self.mode == "max":
            self.y = np.max(x, axis=self.axes, keepdims=True)
        else:
            self.y = np.mean(x, axis=self.axes, keepdims=True, dtype=x.dtype)
        return self.y if self.keepdims else self.y.reshape(x.shape[0], x.shape[-1])

    def backward(self, grad):
        if not self.input_grad:
            return None
        g = grad.reshape(self.y.shape)
        if self.mode == "max":
            # dy/dx = 1 at the largest value (shared equally between ties, as in Keras)
            hit = self.x == self.y
            return hit * (g / np.sum(hit, axis=self.axes, keepdims=True, dtype=g.dtype))
        size = self.x.size // (self.x.shape[0] * self.x.shape[-1])
        return np.broadcast_to(g / size, self.x.shape).copy()   # dy/dx = 1 / positions

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


@register("layer", "GlobalAvgPool2D")
class GlobalAveragePooling2D(_GlobalPooling):
    """The mean of each channel over the image: (batch, h, w, c) -> (batch, c).

    Args:
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
        keepdims: keep the spatial axes with length 1. Defaults to ``False``.
    """

    rank, mode = 2, "average"


@register("layer", "GlobalMaxPool2D")
class GlobalMaxPooling2D(_GlobalPooling):
    """The largest value of each channel over the image: (batch, h, w, c) -> (batch, c).

    Args:
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
        keepdims: keep the spatial axes with length 1. Defaults to ``False``.
    """

    rank, mode = 2, "max"


@register("layer", "GlobalAvgPool1D")
class GlobalAveragePooling1D(_GlobalPooling):
    """The mean of each channel over the steps: (batch, steps, c) -> (batch, c).

    With a padding mask (from ``Embedding(mask_zero=True)``) the mean is over the real steps
    only, as in Keras, so padding changes nothing; a sequence without any real step gives 0
    (Keras gives NaN). The mask ends here.

    Args:
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
        keepdims: keep the steps axis with length 1. Defaults to ``False``.
    """

    rank, mode = 1, "average"
    supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return None

    def call(self, x, training=False, mask=None):
        self.step_weights = None
        if mask is None:
            return super().call(x, training)
        real = check_mask(mask, x, self)[..., None].astype(x.dtype)   # 1 real, 0 padding
        # each real step weighs 1 / (real steps of its sequence)
        self.step_weights = real / np.maximum(real.sum(axis=1, keepdims=True), 1)
        self.x = x
        self.y = np.sum(x * self.step_weights, axis=1, keepdims=True)
        return self.y if self.keepdims else self.y.reshape(x.shape[0], x.shape[-1])

    def backward(self, grad):
        if self.step_weights is None or not self.input_grad:
            return super().backward(grad)
        return grad.reshape(self.y.shape) * self.step_weights   # dy/dx_t = weight of step t


@register("layer", "GlobalMaxPool1D")
class GlobalMaxPooling1D(_GlobalPooling):
    """The largest value of each channel over the steps: (batch, steps, c) -> (batch, c).

    Args:
        data_format: ``None`` (default) or ``"channels_last"``; ``"channels_first"`` is not
            supported.
        keepdims: keep the steps axis with length 1. Defaults to ``False``.
    """

    rank, mode = 1, "max"


# the shorter names Keras also gives them
MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = (MaxPooling1D, MaxPooling2D, AveragePooling1D,
                                              AveragePooling2D)
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
