"""UpSampling1D and UpSampling2D: make sequences and images larger (channels_last).

"nearest" repeats every value ``size`` times along each axis; its backward pass adds up the
gradients of the copies. "bilinear" (UpSampling2D) computes each new pixel from the four
nearest old ones, weighted by distance, as ``tf.image.resize`` does (pixel centres at
half-integers). Along one axis that is a matrix ``A`` (new length x old length) of
interpolation weights, so the whole layer is ``y = A_h x A_w^T`` for each image and channel,
and its backward pass is the same product with the transposes: ``dx = A_h^T g A_w``.
"""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_positive_int
from ...i18n import _
from ..serialization import register
from .base import Layer
from .conv import data_format_arg, int_tuple
from .simple_checks import check_ndim


def _repeat_backward(grad, axis: int, times: int):
    """dL/dx of ``np.repeat(x, times, axis)``: each value was copied ``times`` times, so its
    gradient is the sum of its copies' gradients."""
    shape = grad.shape
    split = (*shape[:axis], shape[axis] // times, times, *shape[axis + 1:])
    return grad.reshape(split).sum(axis=axis + 1)


def bilinear_matrix(n_in: int, factor: int, dtype) -> np.ndarray:
    """The (n_in * factor, n_in) weights of bilinear resizing along one axis: new position i
    reads old position ``(i + 0.5) / factor - 0.5`` (clamped to the ends), between the two
    old values around it, each weighted by how close it is."""
    n_out = n_in * factor
    source = np.clip((np.arange(n_out) + 0.5) / factor - 0.5, 0, n_in - 1)
    low = np.floor(source).astype(int)
    high = np.minimum(low + 1, n_in - 1)
    t = source - low                                    # 0 at low, 1 at high
    a = np.zeros((n_out, n_in))
    np.add.at(a, (np.arange(n_out), low), 1 - t)
    np.add.at(a, (np.arange(n_out), high), t)
    return a.astype(dtype)


@register("layer")
class UpSampling1D(Layer):
    """Repeats each step of a sequence ``size`` times: (batch, steps, features) ->
    (batch, steps * size, features).

    Args:
        size: how many times each step is repeated. Defaults to 2.
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = check_positive_int("size", size)

    def build(self, input_shape):
        check_ndim(self, input_shape, 3, "(batch, steps, features)")

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def call(self, x, training=False):
        return np.repeat(x, self.size, axis=1)

    def backward(self, grad):
        return _repeat_backward(grad, 1, self.size)   # dL/dx_t = sum of g over t's copies

    def get_config(self):
        return {**super().get_config(), "size": self.size}


@register("layer")
class UpSampling2D(Layer):
    """Makes images ``size`` times larger: (batch, h, w, c) -> (batch, h * sh, w * sw, c).

    Args:
        size: an integer or a tuple (sh, sw) of the factors of height and width. Defaults to
            (2, 2).
        data_format: ``None`` (default) or ``"channels_last"``.
        interpolation: ``"nearest"`` (default; each pixel becomes an sh x sw block) or
            ``"bilinear"``.
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = int_tuple(size, 2, "size")
        self.data_format = data_format_arg(data_format)
        value = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if value not in ("nearest", "bilinear"):
            raise ValueError(_(
                "interpolation: redes supports 'nearest' and 'bilinear', got {value!r}"
            ).format(value=interpolation))
        self.interpolation = value

    def build(self, input_shape):
        check_ndim(self, input_shape, 4, "(batch, height, width, channels)")

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        return (b, None if h is None else h * self.size[0],
                None if w is None else w * self.size[1], c)

    def call(self, x, training=False):
        (sh, sw), (_b, h, w, _c) = self.size, x.shape
        if self.interpolation == "nearest":
            return np.repeat(np.repeat(x, sh, axis=1), sw, axis=2)
        self.a_h = bilinear_matrix(h, sh, x.dtype)
        self.a_w = bilinear_matrix(w, sw, x.dtype)
        # y[b, i, j, c] = sum_h sum_w A_h[i, h] x[b, h, w, c] A_w[j, w]
        rows = np.einsum("ih,bhwc->biwc", self.a_h, x)
        return np.einsum("jw,biwc->bijc", self.a_w, rows)

    def backward(self, grad):
        sh, sw = self.size
        if self.interpolation == "nearest":
            # each pixel was copied into an sh x sw block: dL/dx = sum of g over its block
            return _repeat_backward(_repeat_backward(grad, 2, sw), 1, sh)
        # y = A_h x A_w^T (per image and channel):  dL/dx = A_h^T g A_w
        rows = np.einsum("ih,bijc->bhjc", self.a_h, grad)
        return np.einsum("jw,bhjc->bhwc", self.a_w, rows)

    def get_config(self):
        return {**super().get_config(), "size": list(self.size),
                "data_format": self.data_format, "interpolation": self.interpolation}

