"""Activations as layers: Softmax, ReLU, LeakyReLU, PReLU and ELU, as in ``keras.layers``.

Each one applies an activation element by element (the softmax along an axis), and its
backward pass multiplies dL/dy by the activation's derivative. PReLU is the one with a
weight: the slope ``alpha`` of the negative side is learned, one per input position (or per
channel, with ``shared_axes``). All of them pass a padding mask on, as Keras does.
"""

from __future__ import annotations

import warnings

import numpy as np

from ...i18n import _
from .. import activations, constraints, initializers, regularizers
from ..serialization import register, serialize
from .base import Layer
from .core import _WithActivation
from .simple_checks import axes_arg, is_int, number


def _large_negative(dtype) -> float:
    """What a masked logit becomes before the softmax (its exp is exactly 0), as Keras."""
    return -3e4 if np.dtype(dtype) == np.float16 else -1e9


@register("layer")
class Softmax(_WithActivation):
    """Softmax along ``axis``: ``y = exp(x) / sum(exp(x))``, values that sum to 1.

    With a ``mask`` (True: keep; it must broadcast to the input and have no more dimensions),
    masked positions take a large negative logit before the softmax, so they get 0
    probability, and their output is set to 0; as in Keras.

    As in Keras, a crossentropy right after a softmax over the last axis reads its logits
    (exact where a saturated softmax would give log(0)), as after ``Activation("softmax")``.

    Args:
        axis: an integer, or a list of integers, the axes that sum to 1. Defaults to -1.
    """

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axes_arg(axis)
        self._axes = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        # what the model reads to fuse a crossentropy with it (set in build): the softmax
        # when this is one over the last axis only
        self.activation = activations.linear

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if not all(-ndim <= a < ndim for a in axes):
            raise ValueError(_(
                "axis: layer {name!r}: {axis} is not an axis of inputs of shape {shape}"
            ).format(name=self.name, axis=self.axis, shape=input_shape))
        if [a % ndim for a in axes] == [ndim - 1]:
            self.activation = activations.softmax

    def call(self, x, training=False, mask=None):
        self.keep = None if mask is None else self._keep(mask, x)
        if self.keep is not None:
            x = np.where(self.keep, x, x.dtype.type(_large_negative(x.dtype)))
        self.z = x
        if self.logits_only:         # a training step whose crossentropy reads the logits
            self.y = x
            return x
        # softmax(x) = softmax(x - max): the largest exponent is 0, so nothing overflows
        y = np.exp(x - np.max(x, axis=self._axes, keepdims=True))
        y /= np.sum(y, axis=self._axes, keepdims=True)
        if self.keep is not None:
            y = np.where(self.keep, y, 0).astype(x.dtype, copy=False)
        self.y = y
        return y

    def _keep(self, mask, x):
        mask = np.asarray(mask)
        if mask.ndim > x.ndim or any(m not in (1, d) for m, d in zip(mask.shape[::-1],
                                                                      x.shape[::-1])):
            raise ValueError(_(
                "mask: layer {name!r} expects a mask that broadcasts to its input of shape "
                "{shape} (each axis of the mask 1 or the input's size, no more axes), got "
                "shape {mask}").format(name=self.name, shape=x.shape, mask=mask.shape))
        return mask if mask.dtype == bool else mask > 0.5

    def backward(self, grad, from_logits=False):
        if from_logits:              # grad is dL/dz already; a masked logit was a constant
            return grad if self.keep is None else np.where(self.keep, grad, 0)
        # J^T g with J = diag(y) - y y^T:  dL/dx = y * (g - sum(g * y)); a masked position
        # has y = 0 (its logit was replaced by a constant), so its gradient is 0 too
        y = self.y
        return y * (grad - np.sum(grad * y, axis=self._axes, keepdims=True))

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class _Elementwise(Layer):
    """A layer that applies ``activation(x, **params)`` element by element."""

    supports_masking = True
    activation = staticmethod(activations.linear)

    def params(self) -> dict:
        return {}

    def call(self, x, training=False):
        self.x = x
        self.y = self.activation(x, **self.params())
        return self.y

    def backward(self, grad):
        # dL/dx = dL/dy * f'(x), f' written beside the activation in redes.nn.activations
        return self.activation.backward(grad, self.x, self.y, **self.params())

    def get_config(self):
        return {**super().get_config(), **self.params()}


@register("layer")
class ReLU(_Elementwise):
    """Rectified linear unit: ``max(x, 0)`` with the default arguments.

    In general ``min(x, max_value)`` from ``threshold`` up, and
    ``negative_slope * (x - threshold)`` below it.

    Args:
        max_value: the largest output, a number >= 0; ``None`` (default) means no cap.
        negative_slope: the slope below the threshold, >= 0. Defaults to 0.0.
        threshold: inputs up to this value are damped, >= 0. Defaults to 0.0.
    """

    activation = staticmethod(activations.relu)

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = None if max_value is None else number(max_value, "max_value", 0)
        self.negative_slope = number(negative_slope, "negative_slope", 0)
        self.threshold = number(threshold, "threshold", 0)

    def params(self):
        return {"max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}


@register("layer")
class LeakyReLU(_Elementwise):
    """Leaky ReLU: ``x`` for ``x >= 0``, ``negative_slope * x`` below.

    Args:
        negative_slope: the slope of negative inputs, >= 0. Defaults to 0.3 (as the Keras
            layer; the function ``keras.activations.leaky_relu`` defaults to 0.2).
    """

    activation = staticmethod(activations.leaky_relu)

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:            # Keras 2's name, still accepted by Keras 3
            negative_slope = kwargs.pop("alpha")
            warnings.warn(_("LeakyReLU: the argument alpha is deprecated; use negative_slope"),
                          stacklevel=2)
        super().__init__(**kwargs)
        self.negative_slope = number(negative_slope, "negative_slope", 0)

    def params(self):
        return {"negative_slope": self.negative_slope}


@register("layer")
class ELU(_Elementwise):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below.

    Args:
        alpha: negative inputs saturate to ``-alpha``. Defaults to 1.0.
    """

    activation = staticmethod(activations.elu)

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = number(alpha, "alpha")

    def params(self):
        return {"alpha": self.alpha}


@register("layer")
class PReLU(Layer):
    """Parametric ReLU: ``x`` for ``x > 0``, ``alpha * x`` below, with ``alpha`` learned.

    ``alpha`` has the shape of one sample, or 1 along the ``shared_axes`` (e.g.
    ``shared_axes=[1, 2]`` after a Conv2D: one slope per channel).

    Args:
        alpha_initializer: defaults to ``"Zeros"`` (the layer starts as a ReLU).
        alpha_regularizer: a penalty added to the loss. Defaults to ``None``.
        alpha_constraint: applied to alpha after each update. Defaults to ``None``.
        shared_axes: an axis or a list of axes (1 is the first after the batch) along which
            one alpha is shared. Defaults to ``None``.
    """

    supports_masking = True

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is not None:
            shared_axes = [shared_axes] if is_int(shared_axes) else shared_axes
            if not isinstance(shared_axes, (list, tuple)) or not all(
                    is_int(a) and a >= 1 for a in shared_axes):
                raise ValueError(_(
                    "shared_axes: expected None, an integer >= 1 or a list of them (axis 1 is "
                    "the first after the batch), got {value!r}").format(value=shared_axes))
            shared_axes = [int(a) for a in shared_axes]
        self.shared_axes = shared_axes

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for a in self.shared_axes or []:
            if a >= len(input_shape):
                raise ValueError(_(
                    "shared_axes: layer {name!r}: axis {axis} does not exist in inputs of "
                    "shape {shape}").format(name=self.name, axis=a, shape=input_shape))
            shape[a - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(_(
                "input_shape: layer {name!r} needs known sizes for its alpha of shape {shape} "
                "(share the unknown axes with shared_axes)").format(name=self.name,
                                                                    shape=tuple(shape)))
        self.alpha = self._add_array("alpha", tuple(shape), self.alpha_initializer,
                                     self.alpha_regularizer, constraint=self.alpha_constraint)
        # the axes summed over in dL/dalpha: the batch axis and the shared ones
        self.sum_axes = (0, *sorted(self.shared_axes or []))

    def call(self, x, training=False):
        self.x = x
        self.negative = np.minimum(x, 0)                 # min(x, 0)
        return np.maximum(x, 0) + self.alpha * self.negative

    def backward(self, grad):
        # y = max(x, 0) + alpha min(x, 0):  dL/dalpha = sum g min(x, 0) over the batch and
        # shared axes; dL/dx = g (1 if x > 0, alpha if x < 0)
        self.grads = [np.sum(grad * self.negative, axis=self.sum_axes).reshape(
            self.alpha.shape)]
        if not self.input_grad:
            return None
        return np.where(self.x > 0, grad, grad * self.alpha * (self.x < 0))

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": serialize(self.alpha_initializer),
            "alpha_regularizer": serialize(self.alpha_regularizer),
            "alpha_constraint": serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
