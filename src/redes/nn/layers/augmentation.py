"""Data augmentation layers, as in ``keras.layers``: RandomFlip, RandomRotation, RandomZoom,
RandomTranslation and RandomContrast.

Each changes every image of a batch at random while the model trains, so that it sees a
slightly different picture at every epoch; at inference (``predict``, ``evaluate``,
``training=False``) it passes the images unchanged. As in Keras 3, calling the layer directly
without ``training`` (``layer(images)``) augments, so that one can look at what it does.

Rotation, zoom and translation are affine maps: each output pixel is read from one point of
the input image (``image_sampling.affine_transform``, the arithmetic of
``keras.ops.image.affine_transform``), so that ``y = S x`` for a sparse matrix ``S`` of
interpolation weights and the backward pass is ``dL/dx = S^T dL/dy``. A flip is its own
transpose. Contrast is ``y = (x - mean) * f + mean`` per image and channel, then clipped to
``value_range``.

Every layer takes a ``seed``: with one, it has its own generator (the same seed gives the same
changes); without, it draws from the engine's generator (``keras.utils.set_random_seed``).
"""

from __future__ import annotations

import math

import numpy as np

from ...i18n import _
from .. import backend
from ..graph import is_symbolic
from ..serialization import register
from .image_preprocessing import FILL_MODES, INTERPOLATIONS, ImageLayer, choice
from .image_sampling import affine_sampling
from .simple_checks import number

F32 = np.float32


def _bad_factor(argument, value, low, high):
    return ValueError(_(
        "{argument}: expected a number or a pair of numbers in [{low}, {high}], got {value!r}"
    ).format(argument=argument, value=value, low=low, high=high))


def factor_range(value, argument, low=-1.0, high=1.0, open_low=False, base=False):
    """(lower, upper) of a factor as Keras reads it: a number f in [low, high] ((low, high]
    with ``open_low``) means (-f, f); a pair is sorted, each number in that range. With
    ``base`` (RandomRotation, RandomContrast), the looser rule of Keras' base image layer: a
    number f means (max(-f, low), f), and a pair is refused only when its first number is
    above ``high`` or its second below ``low``."""
    def finite(v):
        return (not isinstance(v, bool) and isinstance(v, (int, float, np.number))
                and math.isfinite(v))

    def ok(v):
        return finite(v) and (low < v if open_low else low <= v) and v <= high
    if isinstance(value, (tuple, list)):
        good = len(value) == 2 and (
            all(finite(v) for v in value) and value[0] <= high and value[1] >= low if base
            else all(ok(v) for v in value))
        if not good:
            raise _bad_factor(argument, value, low, high)
        return tuple(sorted(float(v) for v in value))
    if not ok(value):
        raise _bad_factor(argument, value, low, high)
    f = abs(float(value))
    return (max(-f, low) if base else -f, f)


class _Augmentation(ImageLayer):
    """A layer that changes images at random in training, drawing from its own generator or
    the engine's."""

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.seed = backend.check_seed(seed)
        self._rng = backend.rng(seed) if seed is not None else None

    def __call__(self, inputs, *args, training=None, mask=None):
        if training is None and not is_symbolic(inputs):
            training = True              # Keras 3: a direct call augments
        return super().__call__(inputs, *args, training=training, mask=mask)

    def forward(self, x, training, mask=None):
        # in a model called directly (training is None) Keras 3 augments as well
        return super().forward(x, True if training is None else training, mask)

    def uniform(self, low, high, size):
        """float32 numbers uniform in [low, high) (exactly ``low`` when low == high)."""
        rng = self._rng or backend.rng()
        return F32(low) + F32(high - low) * rng.random(size, dtype=F32)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


class _Affine(_Augmentation):
    """Rotation, zoom and translation: an affine map per image (``transforms``), sampled with
    ``interpolation`` and ``fill_mode``."""

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.fill_mode = choice(fill_mode, "fill_mode", FILL_MODES)
        self.interpolation = choice(interpolation, "interpolation", INTERPOLATIONS)
        self.fill_value = number(fill_value, "fill_value")
        self._sampling = None

    def transforms(self, batch, height, width):
        """(batch, 8) float32 transforms [a0, a1, a2, b0, b1, b2, 0, 0], one per image."""
        raise NotImplementedError

    def transform(self, images, training):
        self._sampling = None
        if not training:
            return images
        b, h, w, _c = images.shape
        self._sampling = affine_sampling(self.transforms(b, h, w), (b, h, w),
                                         self.interpolation, self.fill_mode)
        return self._sampling.apply(images, self.fill_value)

    def transform_backward(self, grad):
        if self._sampling is None:       # inference: y = x
            return grad
        return self._sampling.transpose(grad)   # y = S x: dL/dx = S^T g

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "fill_value": self.fill_value}


_AFFINE_ARGS = """
        fill_mode: how points outside the image are filled: ``"reflect"`` (default; the
            image mirrored about its edge), ``"wrap"`` (tiled), ``"nearest"`` (the nearest
            edge pixel) or ``"constant"`` (``fill_value``).
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: seed of the random changes; ``None`` (default) uses the engine's generator.
        fill_value: the value of the points outside with ``fill_mode="constant"``. Defaults
            to 0.0.
        data_format: ``None`` (default) or ``"channels_last"``.
"""


@register("layer")
class RandomRotation(_Affine):
    """Rotates each image about its centre by a random angle in training.

    Args:
        factor: a fraction of a full turn: a number f draws the angle from
            [-f * 360, f * 360] degrees, a pair (lower, upper) from [lower * 360, upper * 360]
            (positive angles turn counter-clockwise). In [-1, 1].
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor_range(factor, "factor", base=True)

    def transforms(self, batch, height, width):
        lower, upper = self.factor
        angle = self.uniform(lower * 360.0, upper * 360.0, batch) * F32(math.pi / 180.0)
        cos, sin = np.cos(angle), np.sin(angle)
        cx, cy = F32(0.5) * (F32(width) - 1), F32(0.5) * (F32(height) - 1)
        # output (x, y) reads input (cos x - sin y + a2, sin x + cos y + b2): the centre stays
        a2 = cx - cx * cos - cy * -sin
        b2 = cy - cx * sin - cy * cos
        zero = np.zeros_like(cos)
        return np.stack([cos, -sin, a2, sin, cos, b2, zero, zero], axis=1)

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor)}


@register("layer")
class RandomZoom(_Affine):
    """Zooms each image in or out about its centre by a random amount in training.

    Args:
        height_factor: a number f draws the vertical zoom from [-f, f], a pair (lower, upper)
            from [lower, upper]; each in (-1, 1]. A positive value zooms out (the image looks
            smaller: each output pixel reads (1 + value) times farther from the centre), a
            negative one zooms in.
        width_factor: the same for the horizontal zoom; ``None`` (default) zooms both axes
            by the same amount, keeping the aspect ratio.
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = _keep(height_factor)
        self.height_range = factor_range(height_factor, "height_factor", open_low=True)
        self.width_factor = _keep(width_factor)
        self.width_range = None if width_factor is None else factor_range(
            width_factor, "width_factor", open_low=True)

    def transforms(self, batch, height, width):
        zy = self.uniform(1.0 + self.height_range[0], 1.0 + self.height_range[1], batch)
        zx = zy if self.width_range is None else self.uniform(
            1.0 + self.width_range[0], 1.0 + self.width_range[1], batch)
        # output (x, y) reads input (zx x + a2, zy y + b2): the centre stays
        a2 = ((F32(width) - 1) / 2) * (1 - zx)
        b2 = ((F32(height) - 1) / 2) * (1 - zy)
        zero = np.zeros_like(zx)
        return np.stack([zx, zero, a2, zero, zy, b2, zero, zero], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}


@register("layer")
class RandomTranslation(_Affine):
    """Shifts each image by a random fraction of its height and width in training.

    Args:
        height_factor: a number f draws the vertical shift from [-f, f] times the height, a
            pair (lower, upper) from [lower, upper] times it; each in [-1, 1]. A positive
            shift moves the image down.
        width_factor: the same for the horizontal shift (a positive one moves it right).
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = _keep(height_factor)
        self.height_range = factor_range(height_factor, "height_factor")
        self.width_factor = _keep(width_factor)
        self.width_range = factor_range(width_factor, "width_factor")

    def transforms(self, batch, height, width):
        dy = self.uniform(*self.height_range, batch) * F32(height)
        dx = self.uniform(*self.width_range, batch) * F32(width)
        one, zero = np.ones_like(dx), np.zeros_like(dx)
        # output (x, y) reads input (x - dx, y - dy)
        return np.stack([one, zero, -dx, zero, one, -dy, zero, zero], axis=1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}


def _keep(factor):
    """A factor as its config keeps it (a pair as a list, for JSON)."""
    return list(factor) if isinstance(factor, (tuple, list)) else factor


_FLIP_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


@register("layer")
class RandomFlip(_Augmentation):
    """Flips each image with probability 1/2 in training.

    Args:
        mode: ``"horizontal"`` (left-right), ``"vertical"`` (upside down) or
            ``"horizontal_and_vertical"`` (default; as Keras, one draw per image: it is
            flipped both ways, a half turn, or not at all).
        seed: seed of the flips; ``None`` (default) uses the engine's generator.
        data_format: ``None`` (default) or ``"channels_last"``.
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = choice(mode, "mode", _FLIP_MODES)
        self._flips = None

    def _flip(self, images):
        """Flip the images chosen in ``_flips``; a flip is its own inverse and transpose."""
        if self._flips is None:
            return images
        out = images
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            out = np.where(self._flips, out[:, :, ::-1], out)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            out = np.where(self._flips, out[:, ::-1], out)
        return out

    def transform(self, images, training):
        self._flips = None
        if training:
            rng = self._rng or backend.rng()
            self._flips = rng.random((images.shape[0], 1, 1, 1), dtype=F32) <= 0.5
        return self._flip(images)

    def transform_backward(self, grad):
        return self._flip(grad)          # y = P x for a permutation P: dL/dx = P^T g = P g

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


@register("layer")
class RandomContrast(_Augmentation):
    """Changes the contrast of each image by a random factor in training:
    ``y = (x - mean) * f + mean``, per image and channel (the mean over the pixels), then
    clipped to ``value_range``.

    Args:
        factor: a number f in [0, 1] draws f from [1, 1 + f] (as Keras 3 reads a single
            number); a pair (lower, upper) in [0, 1] draws it from [1 - lower, 1 + upper].
        value_range: (low, high) of the pixel values. Defaults to (0, 255).
        seed: seed of the factors; ``None`` (default) uses the engine's generator.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor_range(factor, "factor", low=0.0, base=True)
        self.value_range = _value_range(value_range)
        self._contrast = None

    def transform(self, images, training):
        self._contrast = None
        if not training:
            return images
        lower, upper = self.factor
        f = self.uniform(1.0 - lower, 1.0 + upper, (images.shape[0], 1, 1, 1))
        self._contrast = f.astype(images.dtype)
        mean = images.mean(axis=(1, 2), keepdims=True)
        out = (images - mean) * self._contrast + mean
        low, high = self.value_range
        self._inside = (out >= low) & (out <= high)
        return np.clip(out, low, high).astype(images.dtype, copy=False)

    def transform_backward(self, grad):
        if self._contrast is None:       # inference: y = x
            return grad
        g = np.where(self._inside, grad, 0)          # clip: the gradient passes inside only
        # y_i = f x_i + (1 - f) mean(x):  dL/dx_i = f g_i + (1 - f) mean(g)
        f = self._contrast
        return f * g + (1 - f) * g.mean(axis=(1, 2), keepdims=True)

    def get_config(self):
        return {**super().get_config(), "factor": list(self.factor),
                "value_range": list(self.value_range)}


def _value_range(value):
    try:
        low, high = (number(v, "value_range") for v in value)
    except (TypeError, ValueError):
        low = high = None
    if low is None or not low < high:
        raise ValueError(_(
            "value_range: expected a pair (low, high) of numbers with low < high, got {value!r}"
        ).format(value=value))
    return (low, high)



for _layer in (RandomRotation, RandomZoom, RandomTranslation):
    _layer.__doc__ = (_layer.__doc__ or "") + _AFFINE_ARGS
