"""Hinge losses, the losses of support vector machines: no loss once a prediction is on the
right side of the margin, y_true * y_pred >= 1, and a loss growing with the distance to it
otherwise.

``Hinge`` and ``SquaredHinge`` take labels -1/1; as in Keras, labels that are all 0 or 1
(in the batch) become -1/1 first. ``CategoricalHinge`` takes one-hot targets.
"""

from __future__ import annotations

import numpy as np

from ..serialization import register
from . import checks
from .base import Loss


def hinge_labels(y):
    """0/1 labels as -1/1 (2 y - 1) when every label of the batch is 0 or 1, as Keras does;
    other labels (-1/1) unchanged."""
    if np.all((y == 0) | (y == 1)):
        return 2 * y - 1
    return y


@register("loss", "hinge")
class Hinge(Loss):
    """mean(max(1 - y_true * y_pred, 0)) over the last axis, with labels -1/1 (or 0/1).

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"hinge"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        y = hinge_labels(y_true)
        margin = 1 - y * y_pred
        values = np.mean(np.maximum(margin, 0), axis=-1)
        if not need_grad:
            return values, None
        # d/dy_pred = -y / d where the margin is >= 0 (as TensorFlow's max at the kink), else 0
        grad = -y * (margin >= 0)
        grad *= grad.dtype.type(1.0 / y.shape[-1])
        return values, grad

    def _check_targets(self, y, out):
        checks.check_hinge_targets(self.name, y, out)


@register("loss", "squared_hinge")
class SquaredHinge(Loss):
    """mean(max(1 - y_true * y_pred, 0)^2) over the last axis, with labels -1/1 (or 0/1).

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"squared_hinge"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        y = hinge_labels(y_true)
        h = np.maximum(1 - y * y_pred, 0)
        values = np.mean(h * h, axis=-1)
        if not need_grad:
            return values, None
        grad = -2 * y * h  # d/dy_pred max(1 - y y_pred, 0)^2 = -2 y max(1 - y y_pred, 0)
        grad *= grad.dtype.type(1.0 / y.shape[-1])
        return values, grad

    def _check_targets(self, y, out):
        checks.check_hinge_targets(self.name, y, out)


@register("loss", "categorical_hinge")
class CategoricalHinge(Loss):
    """max(neg - pos + 1, 0) for one-hot targets, where pos = sum(y_true * y_pred) is the
    score of the right class and neg = max((1 - y_true) * y_pred) the best score of the
    others: no loss once the right class wins by a margin of 1.

    Args:
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"categorical_hinge"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(name, reduction, dtype)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        others = (1 - y_true) * y_pred
        neg = np.max(others, axis=-1, keepdims=True)
        margin = neg[..., 0] - np.sum(y_true * y_pred, axis=-1) + 1
        values = np.maximum(margin, 0)
        if not need_grad:
            return values, None
        # d/dy_pred = (1 - y_true) * [the max of the others, shared among ties] - y_true,
        # where the margin is >= 0 (as TensorFlow's max), else 0
        best = others == neg
        grad = (1 - y_true) * best / np.sum(best, axis=-1, keepdims=True,
                                                   dtype=y_pred.dtype) - y_true
        grad *= (margin >= 0)[..., None]
        return values, grad
