"""Images as arrays and back, as ``keras.utils`` does it (with Pillow): ``load_img``,
``img_to_array``, ``array_to_img``, ``save_img``; and ``resize_bilinear``, the resize of
``tf.image.resize`` that ``image_dataset_from_directory`` applies."""

from __future__ import annotations

import io
import pathlib
import warnings

import numpy as np

from ..._base.checks import check_choice
from ...i18n import _
from ._checks import check_size

COLOR_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
_RESAMPLING = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def pillow():
    """PIL.Image, or an error that says how to install it."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(_(
            "Reading and writing images needs Pillow: pip install pillow")) from None
    return Image


def _open(path):
    Image = pillow()
    if isinstance(path, io.BytesIO):
        return Image.open(path)
    if not isinstance(path, (str, bytes, pathlib.Path)):
        raise TypeError(_("path: expected a file path or io.BytesIO, got {type}").format(
            type=type(path).__name__))
    with open(path, "rb") as file:
        return Image.open(io.BytesIO(file.read()))


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """An image file as a PIL image, as ``keras.utils.load_img``.

    Args:
        path: the file (a path or ``io.BytesIO``).
        color_mode: ``"grayscale"``, ``"rgb"`` or ``"rgba"``. Defaults to ``"rgb"``.
        target_size: ``(height, width)`` to resize to, or ``None`` (as it is).
        interpolation: Pillow's resampling: ``"nearest"``, ``"bilinear"``, ``"bicubic"``,
            ``"hamming"``, ``"box"`` or ``"lanczos"``. Defaults to ``"nearest"``.
        keep_aspect_ratio: crop the middle of the image to the target's aspect ratio
            before resizing. Defaults to False.
    """
    check_choice("color_mode", color_mode, tuple(COLOR_MODES))
    img = _open(path)
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif img.mode != COLOR_MODES[color_mode]:
        img = img.convert(COLOR_MODES[color_mode])
    if target_size is None:
        return img
    height, width = check_size("target_size", target_size)
    if img.size == (width, height):
        return img
    check_choice("interpolation", interpolation, _RESAMPLING)
    resample = getattr(pillow().Resampling, interpolation.upper())
    box = None
    if keep_aspect_ratio:       # the largest middle part with the target's aspect ratio
        w, h = img.size
        crop_h, crop_w = min(h, (w * height) // width), min(w, (h * width) // height)
        top, left = (h - crop_h) // 2, (w - crop_w) // 2
        box = (left, top, left + crop_w, top + crop_h)
    return img.resize((width, height), resample, box=box)


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image as a ``(height, width, channels)`` array (``float32`` by default)."""
    x = np.asarray(img, dtype=dtype or "float32")
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ValueError(_("img: expected an image of 2 or 3 axes, got shape {shape}").format(
            shape=x.shape))
    return x.transpose(2, 0, 1) if data_format == "channels_first" else x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A ``(height, width, channels)`` array (1, 3 or 4 channels) as a PIL image; with
    ``scale`` (the default) its values are stretched to 0..255 first."""
    Image = pillow()
    x = np.array(x, dtype=dtype or "float32")
    if x.ndim != 3:
        raise ValueError(_("x: expected one image of 3 axes (height, width, channels), got "
                           "shape {shape}").format(shape=x.shape))
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        if np.max(x) != 0:
            x /= np.max(x)
        x *= 255
    channels = x.shape[2]
    if channels in (3, 4):
        return Image.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(_("x: expected 1, 3 or 4 channels, got {count}").format(count=channels))


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Save an image array to a file (the format from the name: .png, .jpg...)."""
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(_("The JPEG format does not support RGBA images, converting to RGB."),
                      stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def _bilinear_axis(n_in: int, n_out: int):
    """Where each output pixel falls between two input pixels, with half-pixel centres:
    ``position = (i + 0.5) * n_in / n_out - 0.5``."""
    scale = np.float32(n_in / n_out)
    position = (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5)
    low = np.floor(position)
    frac = (position - low).astype(np.float32)
    below = np.clip(low, 0, n_in - 1).astype(np.intp)
    above = np.clip(np.ceil(position), 0, n_in - 1).astype(np.intp)
    return below, above, frac


def resize_bilinear(image, size):
    """``image`` (height, width, channels) resized to ``size`` = (height, width) by
    bilinear interpolation, as ``tf.image.resize``: each output pixel mixes the 4 nearest
    input pixels, ``top = a + (b - a) * dx``, ``out = top + (bottom - top) * dy``."""
    image = np.asarray(image, dtype=np.float32)
    top, bottom, dy = _bilinear_axis(image.shape[0], size[0])
    left, right, dx = _bilinear_axis(image.shape[1], size[1])
    dx = dx[None, :, None]
    upper = image[top][:, left] + (image[top][:, right] - image[top][:, left]) * dx
    lower = image[bottom][:, left] + (image[bottom][:, right] - image[bottom][:, left]) * dx
    return upper + (lower - upper) * dy[:, None, None]


def decode(path, color_mode: str):
    """An image file as a uint8 array (height, width, channels), as ``tf.io.decode_image``
    with ``channels`` for ``color_mode`` (the first frame of an animation)."""
    img = _open(path)
    mode = COLOR_MODES[color_mode]
    if img.mode != mode:
        if img.mode in ("P", "PA", "LA", "I", "I;16") and mode != "L":
            img = img.convert("RGBA")
        img = img.convert(mode)
    return img_to_array(img, dtype="uint8")
