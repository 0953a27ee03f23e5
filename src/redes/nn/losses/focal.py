"""Focal crossentropies (Lin et al., 2017, https://arxiv.org/abs/1708.02002): the
crossentropy of each value times (1 - p_t)^gamma, where p_t is the probability given to the
right answer. Examples the model already gets right (p_t near 1) weigh little, so training
spends itself on the hard ones; gamma = 0 gives the plain crossentropy back.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import activations
from ..serialization import register
from . import checks
from .base import Loss
from .common import (
    check_axis,
    check_nonnegative,
    check_smoothing,
    clip_probs,
    is_number,
    smooth_labels,
    softmax_parts,
)


def _check_alpha(alpha, per_class=False):
    """``alpha`` as a float in [0, 1] (or, when ``per_class``, a list of numbers >= 0)."""
    if per_class and isinstance(alpha, (list, tuple, np.ndarray)):
        values = np.asarray(alpha)
        if values.ndim == 1 and values.size and values.dtype.kind in "iuf" and np.all(
                values >= 0):
            return [float(v) for v in values]
    elif is_number(alpha) and (0 <= alpha <= 1 or per_class and alpha >= 0):
        return float(alpha)
    expected = (_("a number >= 0 or a list of them, one per class") if per_class
                else _("a number in [0, 1]"))
    raise ValueError(_("alpha: expected {expected}, got {value!r}").format(
        expected=expected, value=alpha))


@register("loss", "binary_focal_crossentropy")
class BinaryFocalCrossentropy(Loss):
    """The binary crossentropy of each value times (1 - p_t)^gamma, averaged over the last
    axis, where p_t = y p + (1 - y)(1 - p) is the probability of the target.

    With ``apply_class_balancing`` each value is also weighed by ``alpha`` where the target
    is 1 and by ``1 - alpha`` where it is 0. The crossentropy is that of
    ``BinaryCrossentropy``: clipped probabilities, or the stable form from logits (also after
    a sigmoid output layer, as Keras does).

    Args:
        apply_class_balancing: whether to weigh the classes by ``alpha``. Default False.
        alpha: the weight of class 1, in [0, 1]; class 0 weighs 1 - alpha. Default 0.25.
        gamma: the focusing exponent, >= 0. Default 2.0.
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
        label_smoothing: in [0, 1]; targets become y (1 - s) + 0.5 s. Default 0.0.
        axis: the axis averaged over; only -1 is supported. Default -1.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"binary_focal_crossentropy"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self.apply_class_balancing = bool(apply_class_balancing)
        self.alpha = _check_alpha(alpha)
        self.gamma = check_nonnegative("gamma", gamma)
        self.from_logits = bool(from_logits)
        self.label_smoothing = check_smoothing(label_smoothing)
        self.axis = check_axis(axis)

    def fuses_with(self, activation):
        return not self.from_logits and activation is activations.sigmoid

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        y = smooth_labels(y_true, self.label_smoothing, 2)
        if logits:
            z = y_pred
            e = np.exp(-np.abs(z))
            bce = np.maximum(z, 0) - z * y + np.log1p(e)
            p = np.where(z >= 0, 1, e) / (1 + e)   # sigmoid(z)
            dbce, dp = p - y, p * (1 - p)          # d(bce)/dz and d(p)/dz
        else:
            p = y_pred
            pc, inside = clip_probs(p)
            bce = -(y * np.log(pc) + (1 - y) * np.log(1 - pc))
            dbce, dp = ((1 - y) / (1 - pc) - y / pc) * inside, 1   # d(bce)/dp, 0 if clipped
        one_minus_pt = 1 - (y * p + (1 - y) * (1 - p))
        focal = one_minus_pt ** y.dtype.type(self.gamma)
        weight = 1
        if self.apply_class_balancing:
            a = y.dtype.type(self.alpha)
            weight = y * a + (1 - y) * (1 - a)
        values = np.mean(weight * focal * bce, axis=-1)
        if not need_grad:
            return values, None
        # with p_t = y p + (1 - y)(1 - p), dp_t/dp = 2y - 1:
        # d/dx [w (1 - p_t)^g bce] = w [(1 - p_t)^g dbce - g (1 - p_t)^(g-1) (2y - 1) dp bce]
        grad = focal * dbce
        if self.gamma:
            g = y.dtype.type(self.gamma)
            grad -= g * one_minus_pt ** (g - 1) * (2 * y - 1) * dp * bce
        grad *= weight * y.dtype.type(1.0 / y.shape[-1])
        return values, grad

    def _check_targets(self, y, out):
        checks.check_binary_targets(self.name, y, out)

    def get_config(self):
        return {**super().get_config(), "apply_class_balancing": self.apply_class_balancing,
                "alpha": self.alpha, "gamma": self.gamma, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


@register("loss", "categorical_focal_crossentropy")
class CategoricalFocalCrossentropy(Loss):
    """-sum(alpha (1 - q)^gamma y_true log(q)) over the classes, where q are the predicted
    probabilities divided by their sum and clipped to [1e-7, 1 - 1e-7], as in Keras.

    From logits, q is their softmax. Keras computes this loss from the probabilities even
    after a softmax output layer, and so does this one.

    Args:
        alpha: the weight of every class (a number), or one weight per class (a list).
            Default 0.25.
        gamma: the focusing exponent, >= 0. Default 2.0.
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
        label_smoothing: in [0, 1]; targets become y (1 - s) + s / classes. Default 0.0.
        axis: the class axis; only -1 is supported. Default -1.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"categorical_focal_crossentropy"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size",
                 name="categorical_focal_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self.alpha = _check_alpha(alpha, per_class=True)
        self.gamma = check_nonnegative("gamma", gamma)
        self.from_logits = bool(from_logits)
        self.label_smoothing = check_smoothing(label_smoothing)
        self.axis = check_axis(axis)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        dt = y_pred.dtype
        y = smooth_labels(y_true, self.label_smoothing, y_true.shape[-1])
        if logits:
            _zs, e, total = softmax_parts(y_pred)
            p = e / total                                    # softmax(z)
        else:
            p = y_pred
        total = np.sum(p, axis=-1, keepdims=True)
        q, inside = clip_probs(p / total)
        alpha, g = np.asarray(self.alpha, dtype=dt), dt.type(self.gamma)
        focal = (1 - q) ** g
        values = -np.sum(alpha * focal * y * np.log(q), axis=-1)
        if not need_grad:
            return values, None
        # dL/dq = alpha [g (1 - q)^(g-1) y log(q) - (1 - q)^g y / q], 0 where q was clipped
        grad = -focal * y / q
        if self.gamma:
            grad += g * (1 - q) ** (g - 1) * y * np.log(q)
        grad *= alpha * inside
        # through q = p / sum(p): dL/dp_j = (dL/dq_j - sum_i dL/dq_i q_i) / sum(p)
        grad -= np.sum(grad * q, axis=-1, keepdims=True)
        grad /= total
        if logits:  # through p = softmax(z): dL/dz = p (dL/dp - sum(dL/dp p))
            grad = p * (grad - np.sum(grad * p, axis=-1, keepdims=True))
        return values, grad

    def _check_targets(self, y, out):
        checks.check_categorical_targets(self.name, y, out)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha, "gamma": self.gamma,
                "from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                "axis": self.axis}
