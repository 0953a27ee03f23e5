"""Image preprocessing layers, as in ``keras.layers``: Resizing and CenterCrop.

Both take channels-last images, a batch (batch, height, width, channels) or a single image
(height, width, channels), and have no weights. Resizing is ``tf.image.resize`` (half-pixel
centres, no antialiasing): along each axis a matrix ``A`` of interpolation weights, so the
whole layer is ``y = A_h x A_w^T`` per image and channel, and its backward pass is the same
product with the transposes, ``dx = A_h^T g A_w`` (``image_sampling.resize_matrix``).
Cropping keeps a window of the image (its gradient goes back into that window, zeros
elsewhere); padding adds a border of ``fill_value`` (its gradient is cut away again).
"""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_positive_int
from ...i18n import _
from ..serialization import register
from .base import Layer
from .conv import data_format_arg
from .image_sampling import resize_matrix
from .simple_checks import number

INTERPOLATIONS = ("bilinear", "nearest")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def choice(value, argument: str, options) -> str:
    """``value`` (any case) if it is one of ``options``, else an error naming them."""
    text = value.lower() if isinstance(value, str) else value
    if text not in options:
        raise ValueError(_("{argument}: expected one of {options}, got {value!r}").format(
            argument=argument, options=", ".join(repr(o) for o in options), value=value))
    return text


def flag(value, argument: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(_("{argument}: expected True or False, got {value!r}").format(
            argument=argument, value=value))
    return bool(value)


class ImageLayer(Layer):
    """Base of the image layers: channels-last images, a batch (4 dimensions) or one image
    (3 dimensions); ``transform`` and ``transform_backward`` see a batch always."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_arg(data_format)
        self._single = False

    def build(self, input_shape):
        self._check_rank(len(input_shape), input_shape)

    def check_input(self, x):
        """Any batch of images or single image: these layers have no weights tied to a
        size (Keras takes both, of any size, in one layer)."""
        self._check_rank(x.ndim, tuple(x.shape))

    def _check_rank(self, ndim, shape):
        if ndim not in (3, 4):
            raise ValueError(_(
                "x: layer {name!r} ({kind}) expects images (batch, height, width, channels) or "
                "one image (height, width, channels), got shape {shape}"
            ).format(name=self.name, kind=type(self).__name__, shape=tuple(shape)))

    def call(self, x, training=False):
        self._single = x.ndim == 3
        out = self.transform(x[None] if self._single else x, bool(training))
        return out[0] if self._single else out

    def backward(self, grad):
        if not self.input_grad:          # the model's first layer: no gradient needed
            return None
        dx = self.transform_backward(grad[None] if self._single else grad)
        return dx[0] if self._single else dx

    def transform(self, images, training):
        raise NotImplementedError

    def transform_backward(self, grad):
        raise NotImplementedError

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


def crop_box(height, width, target_height, target_width, to_float=float):
    """(top, left, crop height, crop width) of the largest centred window with the target's
    aspect ratio (at least 1 pixel), as Keras computes it (``to_float``: the float type of its
    divisions: Python floats in ``smart_resize``, float32 in ``resize``)."""
    crop_h = max(min(height, int(to_float(width * target_height) / target_width)), 1)
    crop_w = max(min(width, int(to_float(height * target_width) / target_height)), 1)
    return (int(to_float(height - crop_h) / 2), int(to_float(width - crop_w) / 2),
            crop_h, crop_w)


def pad_amounts(height, width, target_height, target_width):
    """(rows, columns) of ``fill_value`` added on each side so that the image takes the
    target's aspect ratio (Keras adds the same amount on both sides)."""
    f32 = np.float32
    pad_h = max(height, int(f32(width * target_height) / f32(target_width)))
    pad_w = max(width, int(f32(height * target_width) / f32(target_height)))
    return int(f32(pad_h - height) / 2), int(f32(pad_w - width) / 2)


def _both_axes(a_h, a_w, x):
    """``A_h x A_w^T`` for every image and channel of x (B, H, W, C) -> (B, h, w, C), as two
    large matrix products (``tensordot``): over H, then over W."""
    rows = np.tensordot(a_h, x, axes=([1], [1]))          # (h, B, W, C)
    out = np.tensordot(rows, a_w, axes=([2], [1]))        # (h, B, C, w)
    return np.ascontiguousarray(out.transpose(1, 0, 3, 2))


RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area")


class _Resize(ImageLayer):
    """Crop a window or pad, then resize to (height, width); the backward pass in reverse."""

    def resize(self, images, box=None, pad=None, interpolation="bilinear", fill_value=0.0):
        self._box, self._pad, self._in_shape = box, pad, images.shape
        if box is not None:
            top, left, h, w = box
            images = images[:, top:top + h, left:left + w]
        if pad is not None:
            images = np.pad(images, ((0, 0), (pad[0],) * 2, (pad[1],) * 2, (0, 0)),
                            constant_values=fill_value)
        self._a_h = resize_matrix(images.shape[1], self.height, interpolation, images.dtype)
        self._a_w = resize_matrix(images.shape[2], self.width, interpolation, images.dtype)
        # y[b, i, j, c] = sum_h sum_w A_h[i, h] x[b, h, w, c] A_w[j, w]: two matrix products
        return _both_axes(self._a_h, self._a_w, images)

    def transform_backward(self, grad):
        # y = A_h x A_w^T (per image and channel):  dL/dx = A_h^T g A_w
        dx = _both_axes(self._a_h.T, self._a_w.T, grad)
        if self._pad is not None:        # the border of fill_value does not depend on x
            ph, pw = self._pad
            dx = dx[:, ph:dx.shape[1] - ph, pw:dx.shape[2] - pw]
        if self._box is not None:        # pixels outside the window do not reach y
            top, left, h, w = self._box
            full = np.zeros(self._in_shape, dtype=dx.dtype)
            full[:, top:top + h, left:left + w] = dx
            dx = full
        return dx

    def compute_output_shape(self, input_shape):
        if len(input_shape) == 3:
            return (self.height, self.width, input_shape[2])
        return (input_shape[0], self.height, self.width, input_shape[3])


@register("layer")
class Resizing(_Resize):
    """Resizes images to (height, width), as ``keras.layers.Resizing`` on TensorFlow.

    Args:
        height, width: the size of the output images.
        interpolation: ``"bilinear"`` (default), ``"nearest"``, ``"bicubic"`` or ``"area"``
            (Keras' ``"lanczos3"`` and ``"lanczos5"`` are not available).
        crop_to_aspect_ratio: if ``True``, first crop the largest centred window with the
            aspect ratio of (height, width), so that nothing is distorted. Defaults to
            ``False``.
        pad_to_aspect_ratio: if ``True``, first pad the short side evenly with
            ``fill_value`` to that aspect ratio. Defaults to ``False``.
        fill_mode: how the padding is filled; only ``"constant"`` (default), as Keras.
        fill_value: the value of the padding. Defaults to 0.0.
        antialias: only ``False`` (default).
        data_format: ``None`` (default) or ``"channels_last"``.
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_positive_int("height", height)
        self.width = check_positive_int("width", width)
        self.interpolation = choice(interpolation, "interpolation",
                                    RESIZE_INTERPOLATIONS)
        self.crop_to_aspect_ratio = flag(crop_to_aspect_ratio, "crop_to_aspect_ratio")
        self.pad_to_aspect_ratio = flag(pad_to_aspect_ratio, "pad_to_aspect_ratio")
        if self.crop_to_aspect_ratio and self.pad_to_aspect_ratio:
            raise ValueError(_(
                "crop_to_aspect_ratio, pad_to_aspect_ratio: only one of them can be True"))
        self.fill_mode = choice(fill_mode, "fill_mode", ("constant",))
        self.fill_value = number(fill_value, "fill_value")
        if flag(antialias, "antialias"):
            raise ValueError(_("antialias: redes supports only antialias=False, got True"))
        self.antialias = False

    def transform(self, images, training):
        _b, h, w, _c = images.shape
        box = pad = None
        if self.crop_to_aspect_ratio:
            box = crop_box(h, w, self.height, self.width, to_float=np.float32)
        elif self.pad_to_aspect_ratio:
            pad = pad_amounts(h, w, self.height, self.width)
        return self.resize(images, box, pad, self.interpolation, self.fill_value)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}


@register("layer")
class CenterCrop(_Resize):
    """Keeps the centred (height, width) window of images, as ``keras.layers.CenterCrop``.

    An image smaller than the window along an axis is not padded: as Keras does, the largest
    centred window with the aspect ratio of (height, width) is cropped and resized to
    (height, width) with bilinear interpolation (``keras.utils.smart_resize``).

    Args:
        height, width: the size of the window.
        data_format: ``None`` (default) or ``"channels_last"``.
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_positive_int("height", height)
        self.width = check_positive_int("width", width)

    def transform(self, images, training):
        _b, h, w, _c = images.shape
        self._in_shape, self._a_h = images.shape, None
        if h >= self.height and w >= self.width:
            self._box = ((h - self.height) // 2, (w - self.width) // 2, self.height, self.width)
            top, left = self._box[:2]
            return images[:, top:top + self.height, left:left + self.width]
        return self.resize(images, crop_box(h, w, self.height, self.width))

    def transform_backward(self, grad):
        if self._a_h is not None:        # the image was smaller: cropped, then resized
            return super().transform_backward(grad)
        top, left = self._box[:2]
        dx = np.zeros(self._in_shape, dtype=grad.dtype)   # y = the window of x: dL/dx is g
        dx[:, top:top + self.height, left:left + self.width] = grad   # there, 0 elsewhere
        return dx

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
