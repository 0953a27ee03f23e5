"""Regression losses: errors between real-valued targets and predictions, each averaged
over the last axis (one value per sample), as in Keras.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend
from ..serialization import register
from .base import Loss
from .common import check_axis, is_number


@register("loss", "mse", "mean_squared_error")
class MeanSquaredError(Loss):
    """The mean of the squared errors over the last axis: mean((y_true - y_pred)^2).

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"mean_squared_error"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        diff = y_pred - y_true
        values = np.mean(np.square(diff), axis=-1)
        if need_grad:
            diff *= diff.dtype.type(2.0 / diff.shape[-1])  # d/dy_pred = 2 (y_pred - y_true) / d
        return values, diff if need_grad else None


@register("loss", "mae", "mean_absolute_error")
class MeanAbsoluteError(Loss):
    """The mean of the absolute errors over the last axis: mean(|y_true - y_pred|).

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"mean_absolute_error"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        diff = y_pred - y_true
        values = np.mean(np.abs(diff), axis=-1)
        if not need_grad:
            return values, None
        grad = np.sign(diff)  # d/dy_pred = sign(y_pred - y_true) / d  (0 where equal)
        grad *= grad.dtype.type(1.0 / diff.shape[-1])
        return values, grad


@register("loss", "huber", "huber_loss")
class Huber(Loss):
    """Squared error for small errors, absolute error for large ones, averaged over the
    last axis: 0.5 e^2 where |e| <= delta, else delta (|e| - 0.5 delta).

    Args:
        delta: where the loss turns from quadratic to linear. Defaults to 1.0.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"huber_loss"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(name, reduction, dtype)
        if not is_number(delta) or not delta > 0:
            raise ValueError(_("delta: expected a positive number, got {value!r}").format(
                value=delta))
        self.delta = float(delta)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        e = y_pred - y_true
        d = e.dtype.type(self.delta)
        small = np.abs(e) <= d
        values = np.mean(np.where(small, 0.5 * e * e, d * np.abs(e) - 0.5 * d * d), axis=-1)
        if not need_grad:
            return values, None
        grad = np.where(small, e, d * np.sign(e))  # d/de = e if |e| <= delta else delta sign(e)
        grad *= e.dtype.type(1.0 / e.shape[-1])
        return values, grad

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


@register("loss", "mape", "mean_absolute_percentage_error")
class MeanAbsolutePercentageError(Loss):
    """The error in percent of the target, averaged over the last axis:
    100 mean(|y_true - y_pred| / max(|y_true|, eps)), with Keras' epsilon 1e-7.

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"mean_absolute_percentage_error"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        diff = y_pred - y_true
        scale = diff.dtype.type(100.0) / np.maximum(np.abs(y_true),
                                                    diff.dtype.type(backend.epsilon()))
        values = np.mean(np.abs(diff) * scale, axis=-1)
        if not need_grad:
            return values, None
        # d/dy_pred = 100 sign(y_pred - y_true) / (max(|y_true|, eps) d)
        grad = np.sign(diff) * scale
        grad *= grad.dtype.type(1.0 / diff.shape[-1])
        return values, grad


@register("loss", "msle", "mean_squared_logarithmic_error")
class MeanSquaredLogarithmicError(Loss):
    """The squared error of the logarithms, averaged over the last axis:
    mean((log(1 + max(y_pred, eps)) - log(1 + max(y_true, eps)))^2); values below Keras'
    epsilon 1e-7 count as 1e-7.

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"mean_squared_logarithmic_error"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        eps = y_pred.dtype.type(backend.epsilon())
        p = np.maximum(y_pred, eps)
        diff = np.log1p(p) - np.log1p(np.maximum(y_true, eps))
        values = np.mean(np.square(diff), axis=-1)
        if not need_grad:
            return values, None
        # d/dy_pred = 2 diff / ((1 + y_pred) d), 0 where y_pred < eps (the max holds it there)
        grad = diff * (y_pred >= eps) / (1 + p)
        grad *= grad.dtype.type(2.0 / diff.shape[-1])
        return values, grad


@register("loss", "log_cosh", "logcosh")
class LogCosh(Loss):
    """log(cosh(y_pred - y_true)), averaged over the last axis: about e^2 / 2 for small
    errors e and |e| - log(2) for large ones, so like the squared error but less moved by
    a few wild predictions. Computed as |e| + log(1 + exp(-2 |e|)) - log(2), which does
    not overflow.

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"log_cosh"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        e = y_pred - y_true
        a = np.abs(e)
        values = np.mean(a + np.log1p(np.exp(-2 * a)) - e.dtype.type(np.log(2.0)), axis=-1)
        if not need_grad:
            return values, None
        grad = np.tanh(e)  # d/de log(cosh(e)) = tanh(e)
        grad *= grad.dtype.type(1.0 / e.shape[-1])
        return values, grad


@register("loss", "cosine_similarity")
class CosineSimilarity(Loss):
    """Minus the cosine of the angle between ``y_true`` and ``y_pred`` along ``axis``:
    -sum(y_true / ||y_true|| * y_pred / ||y_pred||). It is -1 when they point the same way,
    0 when orthogonal (or when either is all zeros) and 1 when opposite. As in Keras, a
    norm below 1e-7 counts as 1e-7.

    Args:
        axis: the axis of the vectors; only -1 is supported. Default -1.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"cosine_similarity"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(name, reduction, dtype)
        self.axis = check_axis(axis)

    @staticmethod
    def _inverse_norm(x):
        """min(1 / ||x||, 1 / eps) along the last axis, and where the norm is the larger."""
        eps = x.dtype.type(backend.epsilon())
        with np.errstate(divide="ignore"):
            inv = 1 / np.sqrt(np.sum(x * x, axis=-1, keepdims=True))
        return np.minimum(inv, 1 / eps), inv <= 1 / eps

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        v = y_true * self._inverse_norm(y_true)[0]   # y_true as a unit vector
        r, unclipped = self._inverse_norm(y_pred)
        u = y_pred * r                               # y_pred as a unit vector
        values = -np.sum(v * u, axis=-1)
        if not need_grad:
            return values, None
        # d/dy_pred of -(v . y_pred) r = -r (v - (v . u) u); r is a constant where clipped
        grad = v - np.sum(v * u, axis=-1, keepdims=True) * u * unclipped
        grad *= -r
        return values, grad

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
