"""Layers that move values around without computing with them: ZeroPadding1D/2D,
Cropping1D/2D, Permute and RepeatVector (channels_last), as in ``keras.layers``.

Their backward passes move the gradient back the same way: padding adds zeros, so its
backward drops the border again; cropping drops a border, whose gradient is zero; a
permutation is undone by the inverse permutation; a repeated vector gets the sum of the
gradients of its copies.
"""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_positive_int
from ...i18n import _
from ..serialization import register
from .base import Layer
from .conv import data_format_arg
from .simple_checks import check_ndim, is_int, pair, pairs_2d


def _pad(x, pads):
    """``x`` with zeros added along its spatial axes, ``pads`` one (before, after) each."""
    return np.pad(x, ((0, 0), *pads, (0, 0)))


def _crop(x, pads):
    """The inverse of ``_pad``: ``x`` without the border ``pads`` of its spatial axes."""
    index = tuple(slice(before, x.shape[1 + i] - after) for i, (before, after) in
                  enumerate(pads))
    return x[(slice(None), *index)]


def _grown(input_shape, pads, sign: int):
    """The shape once ``pads`` are added (sign 1) or cropped (sign -1)."""
    sizes = [None if d is None else d + sign * (p[0] + p[1])
             for d, p in zip(input_shape[1:-1], pads)]
    return (input_shape[0], *sizes, input_shape[-1])


class _Padding(Layer):
    """Adds zeros around the spatial axes: the border ``self.pads``."""

    ndim, example = 3, "(batch, steps, features)"

    def build(self, input_shape):
        check_ndim(self, input_shape, self.ndim, self.example)

    def compute_output_shape(self, input_shape):
        return _grown(input_shape, self.pads, 1)

    def call(self, x, training=False):
        return _pad(x, self.pads)

    def backward(self, grad):
        return _crop(grad, self.pads)    # dy/dx = 1 where x was copied, the zeros are not x


class _Cropping(_Padding):
    """Drops the border ``self.pads`` of the spatial axes."""

    def build(self, input_shape):
        super().build(input_shape)
        for d, (before, after) in zip(input_shape[1:-1], self.pads):
            if d is not None and before + after >= d:
                raise ValueError(_(
                    "cropping: layer {name!r}: cropping {cropping} leaves nothing of inputs "
                    "of shape {shape} (what is cropped must be less than each size)"
                ).format(name=self.name, cropping=self.cropping, shape=input_shape))

    def compute_output_shape(self, input_shape):
        return _grown(input_shape, self.pads, -1)

    def call(self, x, training=False):
        return _crop(x, self.pads)

    def backward(self, grad):
        return _pad(grad, self.pads)     # the cropped border did not reach the loss: 0


@register("layer")
class ZeroPadding1D(_Padding):
    """Adds zeros at the start and end of sequences: (batch, steps, features) ->
    (batch, steps + before + after, features).

    Args:
        padding: an integer (the same at both ends) or a tuple (before, after). Defaults to 1.
        data_format: ``None`` (default) or ``"channels_last"``.
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = pair(padding, "padding")
        self.data_format = data_format_arg(data_format)
        self.pads = (self.padding,)

    def get_config(self):
        return {**super().get_config(), "padding": list(self.padding),
                "data_format": self.data_format}


@register("layer")
class ZeroPadding2D(_Padding):
    """Adds rows and columns of zeros around images (batch, height, width, channels).

    Args:
        padding: an integer (the same on every side), a tuple (rows, columns) or a tuple of
            tuples ((top, bottom), (left, right)). Defaults to (1, 1).
        data_format: ``None`` (default) or ``"channels_last"``.
    """

    ndim, example = 4, "(batch, height, width, channels)"

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = self.pads = pairs_2d(padding, "padding")
        self.data_format = data_format_arg(data_format)

    def get_config(self):
        return {**super().get_config(), "padding": [list(p) for p in self.padding],
                "data_format": self.data_format}


@register("layer")
class Cropping1D(_Cropping):
    """Drops steps at the start and end of sequences (batch, steps, features).

    Args:
        cropping: an integer (the same at both ends) or a tuple (before, after). Defaults to
            (1, 1).
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = pair(cropping, "cropping")
        self.pads = (self.cropping,)

    def get_config(self):
        return {**super().get_config(), "cropping": list(self.cropping)}


@register("layer")
class Cropping2D(_Cropping):
    """Drops rows and columns at the borders of images (batch, height, width, channels).

    Args:
        cropping: an integer (the same on every side), a tuple (rows, columns) or a tuple of
            tuples ((top, bottom), (left, right)). Defaults to ((0, 0), (0, 0)).
        data_format: ``None`` (default) or ``"channels_last"``.
    """

    ndim, example = 4, "(batch, height, width, channels)"

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = self.pads = pairs_2d(cropping, "cropping")
        self.data_format = data_format_arg(data_format)

    def get_config(self):
        return {**super().get_config(), "cropping": [list(p) for p in self.cropping],
                "data_format": self.data_format}


@register("layer")
class Permute(Layer):
    """Reorders the axes of each sample: ``Permute((2, 1))`` turns (batch, a, b) into
    (batch, b, a).

    Args:
        dims: a permutation of 1, 2, ..., n (1 is the first axis after the batch).
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            values = tuple(dims)
        except TypeError:
            values = ()
        if not values or not all(is_int(d) for d in values) or \
                sorted(values) != list(range(1, len(values) + 1)):
            raise ValueError(_(
                "dims: expected a permutation of 1, 2, ..., n (1 is the first axis after the "
                "batch), such as (2, 1), got {value!r}").format(value=dims))
        self.dims = tuple(int(d) for d in values)
        self.axes = (0, *self.dims)
        self.inverse = tuple(int(a) for a in np.argsort(self.axes))

    def build(self, input_shape):
        check_ndim(self, input_shape, len(self.dims) + 1,
                   _("one axis after the batch for each entry of dims"))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[a] for a in self.axes)

    def call(self, x, training=False):
        return np.transpose(x, self.axes)

    def backward(self, grad):
        return np.transpose(grad, self.inverse)   # undo the permutation

    def get_config(self):
        return {**super().get_config(), "dims": list(self.dims)}


@register("layer")
class RepeatVector(Layer):
    """Repeats a vector ``n`` times: (batch, features) -> (batch, n, features), e.g. to feed
    one encoding to every step of a recurrent decoder.

    Args:
        n: how many times the vector is repeated.
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = check_positive_int("n", n)

    def build(self, input_shape):
        check_ndim(self, input_shape, 2, "(batch, features)")

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def call(self, x, training=False):
        return np.repeat(x[:, None, :], self.n, axis=1)

    def backward(self, grad):
        return grad.sum(axis=1)     # each copy's gradient reaches the same x: dL/dx = sum g

    def get_config(self):
        return {**super().get_config(), "n": self.n}
