"""``Rescaling`` and ``Normalization``: numbers to the range or the scale a network likes.

``Rescaling`` multiplies and shifts (``x * scale + offset``: pixels in [0, 255] to [0, 1]
with ``scale=1/255``); ``Normalization`` centres and scales each feature with the mean and
variance of the data (``(x - mean) / sqrt(variance)``), learned by ``adapt(data)`` or given.
Both are differentiable, so they have a backward pass (a gradient can flow through them to
a layer before them).
"""

from __future__ import annotations

import math

import numpy as np

from ....i18n import _
from ...serialization import register
from .data_layer import DataLayer, batches

EPSILON = 1e-7      # keras.config.epsilon(): the smallest standard deviation divided by


def _number_or_list(value, argument: str):
    """A float, or a list of floats (one per channel), as Keras' ``scale`` and ``offset``."""
    array = np.asarray(value, dtype=object)
    try:
        numbers = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        numbers = None
    if numbers is None or array.dtype == bool or numbers.ndim > 1 or \
            not np.all(np.isfinite(numbers)):
        raise ValueError(_("{argument}: expected a number or a list of numbers, got {value!r}")
                         .format(argument=argument, value=value))
    return float(numbers) if numbers.ndim == 0 else numbers.tolist()


@register("layer")
class Rescaling(DataLayer):
    """Rescales every value: ``y = x * scale + offset``, as ``keras.layers.Rescaling``.

    Args:
        scale: the factor; a number, or one per channel (last axis). E.g. ``1 / 255``.
        offset: added after scaling. Defaults to ``0.0``. E.g. ``scale=1 / 127.5,
            offset=-1`` maps [0, 255] to [-1, 1].

    Integer inputs are accepted and give floats (the layer's dtype).
    """

    supports_masking = True
    input_kind = "float"

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = _number_or_list(scale, "scale")
        self.offset = _number_or_list(offset, "offset")

    def call(self, x, training=False):
        self.factor = np.asarray(self.scale, dtype=self.dtype)
        return x * self.factor + np.asarray(self.offset, dtype=self.dtype)

    def backward(self, grad):
        self.grads = []
        # dy/dx = scale (per channel when scale is a list)
        return None if not self.input_grad else grad * self.factor

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


def _axes(axis):
    if axis is None:
        return ()
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, (list, tuple)) and all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axis):
        return tuple(int(a) for a in axis)
    raise ValueError(_("axis: expected an integer, a tuple of integers or None, got {value!r}")
                     .format(value=axis))


@register("layer")
class Normalization(DataLayer):
    """Normalizes each feature to mean 0 and variance 1, as ``keras.layers.Normalization``:
    ``y = (x - mean) / max(sqrt(variance), 1e-7)``.

    The mean and variance come from ``adapt(data)`` (kept as the non-trainable weights
    ``mean``, ``variance`` and ``count``, as in Keras, so the model file keeps them), or are
    given.

    Args:
        axis: the axis or axes that keep a mean and variance of their own (the features).
            Defaults to -1 (the last axis); ``None`` uses one mean and variance for all.
        mean: the mean(s) to use; given together with ``variance``. Defaults to ``None``
            (learned by ``adapt``).
        variance: the variance(s) to use. Defaults to ``None``.
        invert: apply the inverse: ``y = mean + x * sqrt(variance)``, turning normalized
            values back into the original scale. Defaults to ``False``.
    """

    supports_masking = True
    input_kind = "float"

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = _axes(axis)
        if (mean is None) != (variance is None):
            raise ValueError(_("mean, variance: give both or neither, got mean={mean!r} and "
                               "variance={variance!r}").format(mean=mean, variance=variance))
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(_("mean, variance: expected the same shape, got {a} and {b}")
                                 .format(a=np.shape(mean), b=np.shape(variance)))
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(_(
                    "mean: expected at most {count} dimensions (one per axis in {axis}), got "
                    "shape {shape}").format(count=len(self.axis), axis=self.axis,
                                            shape=np.shape(mean)))
            if np.any(np.asarray(variance, dtype=np.float64) < 0):
                raise ValueError(_("variance: expected values >= 0, got {value!r}").format(
                    value=variance))
        self.input_mean, self.input_variance = mean, variance
        self.invert = bool(invert)

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(_("axis: {axis} is out of range for inputs of {ndim} dimensions")
                             .format(axis=self.axis, ndim=ndim))
        keep = sorted(a % ndim for a in self.axis)
        if any(input_shape[a] is None for a in keep):
            raise ValueError(_("axis: the kept axes {axis} need known sizes, got inputs of "
                               "shape {shape}").format(axis=self.axis, shape=input_shape))
        self.reduce_axes = tuple(a for a in range(ndim) if a not in keep)
        self.stats_shape = tuple(input_shape[a] for a in keep)
        self.broadcast = tuple(input_shape[a] if a in keep else 1 for a in range(ndim))
        if self.input_mean is None:
            self.mean = self._add_array("mean", self.stats_shape, "zeros", trainable=False)
            self.variance = self._add_array("variance", self.stats_shape, "ones",
                                            trainable=False)
            self.count = self._add_array("count", (), "zeros", trainable=False)
        else:
            self.mean = self._given(self.input_mean, keep, ndim)
            self.variance = self._given(self.input_variance, keep, ndim)

    def _given(self, value, keep, ndim):
        """A given mean or variance, aligned on the kept axes from the right."""
        value = np.asarray(value, dtype=np.float64)
        shape = [1] * ndim
        for i in range(1, value.ndim + 1):
            shape[keep[-i]] = value.shape[-i]
        try:
            return np.broadcast_to(value.reshape(shape), self.broadcast).astype(self.dtype)
        except ValueError:
            raise ValueError(_("mean: values of shape {shape} do not fit the kept axes of "
                               "size {sizes}").format(shape=value.shape,
                                                      sizes=self.stats_shape)) from None

    def adapt(self, data):
        """Learn the mean and variance of ``data`` (an array, or an iterable of batches)."""
        parts = batches(data, lists=True)
        if not self.built:
            self.build_for(parts[0].shape if parts[0].ndim else (1,))
        if self.input_mean is not None:
            raise ValueError(_("adapt: layer {name!r} was given its mean and variance; "
                               "adapt learns them when they are not given").format(
                                   name=self.name))
        if isinstance(data, np.ndarray):      # one array: NumPy's mean and variance
            mean = np.mean(data, axis=self.reduce_axes)
            variance = np.var(data, axis=self.reduce_axes)
        else:
            mean, variance = self._merged(parts)
        np.copyto(self.mean, np.reshape(mean, self.stats_shape), casting="unsafe")
        np.copyto(self.variance, np.reshape(variance, self.stats_shape), casting="unsafe")

    def _merged(self, parts):
        """The mean and variance of several batches, merged one batch at a time: the new
        variance is the old and the batch's, each plus the square of its mean's shift,
        weighted by their counts."""
        mean = np.zeros(self.stats_shape, self.dtype)
        variance = np.zeros(self.stats_shape, self.dtype)
        total = 0
        for batch in parts:
            batch = np.asarray(batch, dtype=self.dtype)
            count = math.prod(batch.shape[a] for a in self.reduce_axes)
            total += count
            weight = count / total
            b_mean = np.mean(batch, axis=self.reduce_axes)
            b_var = np.var(batch, axis=self.reduce_axes)
            new = mean * (1 - weight) + b_mean * weight
            variance = ((variance + (mean - new) ** 2) * (1 - weight)
                        + (b_var + (b_mean - new) ** 2) * weight)
            mean = new
        return mean, variance

    def call(self, x, training=False):
        mean = self.mean.reshape(self.broadcast)
        self.std = np.maximum(np.sqrt(self.variance.reshape(self.broadcast)),
                              self.dtype.type(EPSILON))
        if self.invert:
            return mean + x * self.std
        return (x - mean) / self.std

    def backward(self, grad):
        self.grads = []
        if not self.input_grad:
            return None
        # y = (x - mean) / std: dy/dx = 1 / std;  inverted, y = mean + x std: dy/dx = std
        return grad * self.std if self.invert else grad / self.std

    def get_config(self):
        return {**super().get_config(), "axis": list(self.axis), "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(),
                "variance": np.array(self.input_variance).tolist()}
