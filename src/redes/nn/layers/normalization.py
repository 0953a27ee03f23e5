"""BatchNormalization: normalize each feature (channel) with the statistics of the batch.

In training, each feature is centred and scaled with the mean and variance of the batch,
then given a learned scale ``gamma`` and offset ``beta``::

    x_hat = (x - mean) / sqrt(variance + epsilon)
    y = gamma * x_hat + beta

and running averages of the batch statistics are kept for inference::

    moving_mean = momentum * moving_mean + (1 - momentum) * mean

At inference (``training=False``) the layer uses those moving statistics instead.

With a padding mask (from ``Embedding(mask_zero=True)``), the padded positions are left out
of the batch statistics, as in Keras, and the mask passes on to the next layer.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import initializers, regularizers
from ..serialization import register, serialize
from .base import Layer


@register("layer")
class BatchNormalization(Layer):
    """Normalizes its inputs per feature, as ``keras.layers.BatchNormalization``.

    Weights, in Keras' order: ``gamma`` (if ``scale``), ``beta`` (if ``center``),
    ``moving_mean`` and ``moving_variance`` (not trainable: updated by the forward pass in
    training, never by the optimizer). The variance of the batch is the biased one (divided
    by the number of values, not that minus one), as in Keras 3.

    As in Keras, a layer with ``trainable = False`` runs in inference mode even when called
    with ``training=True``, and then leaves its moving statistics alone; and a padding mask
    (one value per input position but the last axis) leaves padded positions out of the
    batch statistics and passes on to the next layer.

    Args:
        axis: the feature axis (the one that is not averaged over). Defaults to -1 (the
            channels of channels_last images, the units of a Dense output).
        momentum: weight of the old value in the moving averages. Defaults to 0.99.
        epsilon: added to the variance before the square root. Defaults to 1e-3.
        center: learn an offset ``beta``. Defaults to ``True``.
        scale: learn a scale ``gamma``. Defaults to ``True``.
        beta_initializer: defaults to ``"zeros"``.
        gamma_initializer: defaults to ``"ones"``.
        moving_mean_initializer: defaults to ``"zeros"``.
        moving_variance_initializer: defaults to ``"ones"``.
        beta_regularizer, gamma_regularizer: penalties added to the loss; default ``None``.
    """

    supports_masking = True

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise ValueError(_("axis: expected an integer such as -1, got {value!r}").format(
                value=axis))
        number = (int, float, np.integer, np.floating)
        if isinstance(momentum, bool) or not isinstance(momentum, number) or not (
                0 <= momentum <= 1):
            raise ValueError(_("momentum: expected a number in [0, 1], got {value!r}").format(
                value=momentum))
        if isinstance(epsilon, bool) or not isinstance(epsilon, number) or not epsilon > 0:
            raise ValueError(_("epsilon: expected a positive number, got {value!r}").format(
                value=epsilon))
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim or self.axis % ndim == 0:
            raise ValueError(_(
                "axis: {axis} is not a feature axis of inputs of shape {shape} "
                "(expected one of {options} or a negative equivalent)"
            ).format(axis=self.axis, shape=input_shape, options=list(range(1, ndim))))
        features = input_shape[self.axis]
        if features is None:
            raise ValueError(_(
                "input_shape: BatchNormalization needs a known size along axis {axis}, "
                "got {shape}"
            ).format(axis=self.axis, shape=input_shape))
        self.reduce_axes = tuple(a for a in range(ndim) if a != self.axis % ndim)
        self.bshape = tuple(features if a == self.axis % ndim else 1 for a in range(ndim))
        shape = (features,)
        if self.scale:
            self.gamma = self._add_array("gamma", shape, self.gamma_initializer,
                                         self.gamma_regularizer)
        if self.center:
            self.beta = self._add_array("beta", shape, self.beta_initializer,
                                        self.beta_regularizer)
        self.moving_mean = self._add_array("moving_mean", shape, self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self._add_array("moving_variance", shape,
                                               self.moving_variance_initializer,
                                               trainable=False)

    def call(self, x, training=False, mask=None):
        self.batch_stats = bool(training) and self.trainable
        self.weights_of_values = None
        if self.batch_stats:
            if mask is None:
                mean = np.mean(x, axis=self.reduce_axes, dtype=x.dtype)
                xc = self._centered(x, mean)
                squares = np.square(xc, out=self._into("scratch", xc))
                var = np.mean(squares, axis=self.reduce_axes, dtype=x.dtype)
            else:   # weighted means: each real position weighs 1 / (number of them)
                real = np.broadcast_to(self._mask_weights(mask, x), x.shape)
                count = np.sum(real, axis=self.reduce_axes, keepdims=True)
                self.weights_of_values = real / np.maximum(count, 1)
                mean = np.sum(x * self.weights_of_values, axis=self.reduce_axes)
                xc = x - mean.reshape(self.bshape)
                var = np.sum(np.square(xc) * self.weights_of_values, axis=self.reduce_axes)
            # moving = momentum * moving + (1 - momentum) * batch, in place
            for moving, batch in ((self.moving_mean, mean), (self.moving_variance, var)):
                moving *= self.momentum
                moving += (1 - self.momentum) * batch
        else:
            mean, var = self.moving_mean, self.moving_variance
            xc = self._centered(x, mean)
        self.inv_std = (1 / np.sqrt(var + self.epsilon)).astype(x.dtype).reshape(self.bshape)
        self.x_hat = np.multiply(xc, self.inv_std, out=xc)        # xc is the layer's own
        if self.scale:
            gamma = self.gamma.reshape(self.bshape)
            y = np.multiply(self.x_hat, gamma, out=self._into("y", self.x_hat, gamma))
        else:
            y = self.x_hat.copy()
        if self.center:
            y += self.beta.reshape(self.bshape)
        return y

    def _centered(self, x, mean):
        """``x - mean``, into an array of the layer's own (``_into``)."""
        mean = mean.reshape(self.bshape)
        return np.subtract(x, mean, out=self._into("xc", x, mean))

    def _into(self, name, *operands):
        """Where an operation on ``operands`` writes: in a training step, an array of its
        result's shape and type kept from the step before (``Layer.kept``: new arrays of x's
        size would be new memory pages); ``None`` (a new array) otherwise."""
        shape = np.broadcast_shapes(*(np.shape(a) for a in operands))
        return self.kept(name, shape, np.result_type(*operands))

    def backward(self, grad):
        axes = self.reduce_axes
        self.grads = []
        if self.scale:
            gx = np.multiply(grad, self.x_hat, out=self._into("scratch", grad, self.x_hat))
            self.grads.append(np.sum(gx, axis=axes))                  # dL/dgamma = sum g x_hat
        if self.center:
            self.grads.append(np.sum(grad, axis=axes))                # dL/dbeta = sum g
        if not self.input_grad:
            return None
        if self.scale:                                                # dL/dx_hat
            gamma = self.gamma.reshape(self.bshape)
            g_hat = np.multiply(grad, gamma, out=self._into("g_hat", grad, gamma))
        else:
            g_hat = grad
        if not self.batch_stats:
            return g_hat * self.inv_std            # inference: dL/dx = dL/dx_hat / std
        # the batch mean and variance depend on x too:
        # dL/dx = (g_hat - mean(g_hat) - x_hat * mean(g_hat * x_hat)) / std
        # (with a mask, value i of the statistics weighs a_i instead of 1/n:
        #  dL/dx_i = (g_hat_i - a_i sum(g_hat) - a_i x_hat_i sum(g_hat * x_hat)) / std)
        if self.weights_of_values is None:
            mean_g = np.mean(g_hat, axis=axes, keepdims=True, dtype=grad.dtype)
            gx = np.multiply(g_hat, self.x_hat, out=self._into("scratch", g_hat, self.x_hat))
            mean_gx = np.mean(gx, axis=axes, keepdims=True, dtype=grad.dtype)
            dx = self._into("dx", g_hat, mean_g)
            scratch = self._into("scratch", self.x_hat, mean_gx)
        else:
            a = self.weights_of_values
            mean_g = a * np.sum(g_hat, axis=axes, keepdims=True)
            mean_gx = a * np.sum(g_hat * self.x_hat, axis=axes, keepdims=True)
            dx = scratch = None
        dx = np.subtract(g_hat, mean_g, out=dx)
        dx -= np.multiply(self.x_hat, mean_gx, out=scratch)
        dx *= self.inv_std
        return dx

    def _mask_weights(self, mask, x):
        """The mask as 1 (real) and 0 (padding), with a last axis of length 1 added."""
        mask = np.asarray(mask)
        if mask.shape != x.shape[:-1]:
            raise ValueError(_(
                "mask: BatchNormalization {name!r} expects a mask of shape "
                "{expected} (the input's shape without its last axis), got {shape}"
            ).format(name=self.name, expected=x.shape[:-1], shape=mask.shape))
        return mask[..., None].astype(x.dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize(self.beta_initializer),
            "gamma_initializer": serialize(self.gamma_initializer),
            "moving_mean_initializer": serialize(self.moving_mean_initializer),
            "moving_variance_initializer": serialize(self.moving_variance_initializer),
            "beta_regularizer": serialize(self.beta_regularizer),
            "gamma_regularizer": serialize(self.gamma_regularizer),
        }
