"""Losses between probability distributions or counts: the Kullback-Leibler divergence and
the Poisson loss."""

from __future__ import annotations

import numpy as np

from .. import backend
from ..serialization import register
from .base import Loss
from .common import clip_probs


@register("loss", "kld", "kl_divergence", "kullback_leibler_divergence")
class KLDivergence(Loss):
    """The Kullback-Leibler divergence sum(y_true * log(y_true / y_pred)) over the last axis
    (a sum, not a mean): how far the predicted distribution is from the target one. Both
    are clipped to [1e-7, 1] first, as in Keras.

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"kl_divergence"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        t = clip_probs(y_true, high=1.0)[0]
        p, inside = clip_probs(y_pred, high=1.0)
        values = np.sum(t * np.log(t / p), axis=-1)
        if not need_grad:
            return values, None
        grad = -t / p  # d/dy_pred t log(t / y_pred) = -t / y_pred, 0 where y_pred was clipped
        grad *= inside
        return values, grad


@register("loss", "poisson")
class Poisson(Loss):
    """mean(y_pred - y_true * log(y_pred + eps)) over the last axis, for counts: the negative
    log-likelihood of a Poisson distribution of mean ``y_pred``, up to a constant. Keras'
    epsilon 1e-7 keeps the log finite at ``y_pred == 0``.

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"poisson"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        p = y_pred + y_pred.dtype.type(backend.epsilon())
        values = np.mean(y_pred - y_true * np.log(p), axis=-1)
        if not need_grad:
            return values, None
        grad = 1 - y_true / p  # d/dy_pred = 1 - y_true / (y_pred + eps)
        grad *= grad.dtype.type(1.0 / p.shape[-1])
        return values, grad
