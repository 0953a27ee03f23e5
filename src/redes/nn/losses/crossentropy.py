"""The crossentropy losses: binary (targets in [0, 1]), categorical (one-hot targets) and
sparse categorical (integer labels), from probabilities or from logits.

A crossentropy computed on probabilities that came straight out of a softmax (or sigmoid)
is computed from the logits instead, as Keras does: ``fuses_with(activation)`` says when,
and ``loss_and_grad(..., logits=True)`` then takes the logits and returns dL/dlogits.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import activations
from ..serialization import register
from . import checks
from .base import Loss
from .common import check_axis, check_smoothing, clip_probs, row_sums, softmax_parts


@register("loss", "bce", "binary_crossentropy")
class BinaryCrossentropy(Loss):
    """-(y log p + (1 - y) log(1 - p)), averaged over the last axis; targets in [0, 1].

    From probabilities, ``p`` is clipped to [1e-7, 1 - 1e-7] as in Keras, so saturated
    outputs (exactly 0.0 or 1.0) give a large but finite loss. From logits ``z`` the loss
    is computed in the stable form max(z, 0) - z y + log(1 + exp(-|z|)).

    Args:
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
        label_smoothing: in [0, 1]; targets become y (1 - s) + 0.5 s. Default 0.0.
        axis: the axis averaged over; only -1 is supported. Default -1.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"binary_crossentropy"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self.from_logits = bool(from_logits)
        self.label_smoothing = check_smoothing(label_smoothing)
        self.axis = check_axis(axis)

    def fuses_with(self, activation):
        return not self.from_logits and activation is activations.sigmoid

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        y = y_true
        if self.label_smoothing:
            s = self.label_smoothing
            y = y * y.dtype.type(1.0 - s) + y.dtype.type(0.5 * s)
        inv_d = y_pred.dtype.type(1.0 / y_pred.shape[-1])
        if logits:
            z = y_pred
            e = np.exp(-np.abs(z))  # the only exp: used by the loss and by the sigmoid
            values = np.mean(np.maximum(z, 0) - z * y + np.log1p(e), axis=-1)
            if not need_grad:
                return values, None
            sig = np.where(z >= 0, 1, e) / (1 + e)
            sig -= y  # d/dz = sigmoid(z) - y
            sig *= inv_d
            return values, sig
        p, inside = clip_probs(y_pred)
        values = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p), axis=-1)
        if not need_grad:
            return values, None
        grad = (1 - y) / (1 - p) - y / p  # d/dp = -y/p + (1-y)/(1-p), 0 where p was clipped
        grad *= inside
        grad *= inv_d
        return values, grad

    def _check_targets(self, y, out):
        checks.check_binary_targets(self.name, y, out)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}



@register("loss", "categorical_crossentropy")
class CategoricalCrossentropy(Loss):
    """-sum(y_true * log(p)) over the classes (last axis); ``y_true`` one-hot.

    From probabilities, each row is first divided by its sum and then clipped to
    [1e-7, 1 - 1e-7], as in Keras. From logits the log-softmax is used directly.

    Args:
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
        label_smoothing: in [0, 1]; targets become y (1 - s) + s / classes. Default 0.0.
        axis: the class axis; only -1 is supported. Default -1.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        name: the loss's name. Defaults to ``"categorical_crossentropy"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        self.from_logits = bool(from_logits)
        self.label_smoothing = check_smoothing(label_smoothing)
        self.axis = check_axis(axis)

    def fuses_with(self, activation):
        return not self.from_logits and activation is activations.softmax

    def loss_and_grad(self, y_true, y_pred, sample_weight=None, logits=False, need_grad=True):
        # A training step's usual case (a batch of logits, targets of their shape and type,
        # no weights, the mean over the batch) goes straight to _per_sample and the mean,
        # without the general path's conversions and checks: a small batch spends most of
        # its loss time in such calls. The numbers are those of the general path.
        z, y = y_pred, y_true
        if (need_grad and (logits or self.from_logits) and sample_weight is None
                and self.dtype is None and self.reduction in ("sum_over_batch_size", "mean")
                and isinstance(z, np.ndarray) and z.ndim == 2 and len(z) and z.dtype.kind == "f"
                and isinstance(y, np.ndarray) and y.dtype == z.dtype and y.shape == z.shape):
            values, grad = self._per_sample(y, z, True, True)
            n = len(z)
            grad *= z.dtype.type(1 / n)
            return float(np.sum(values, dtype=np.float64)) / n, grad
        return super().loss_and_grad(y_true, y_pred, sample_weight, logits, need_grad)

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        y = y_true
        if self.label_smoothing:
            s = self.label_smoothing
            y = y * y.dtype.type(1.0 - s) + y.dtype.type(s / y.shape[-1])
        if logits:
            zs, p, total = softmax_parts(y_pred)
            y_sum = row_sums(y)[..., None]
            # -sum(y log softmax(z)) = sum(y) log(total) - sum(y (z - max))
            values = (y_sum * np.log(total))[..., 0] - row_sums(y * zs)
            if not need_grad:
                return values, None
            p *= y_sum / total
            p -= y  # d/dz = softmax(z) * sum(y) - y
            return values, p
        total = np.sum(y_pred, axis=-1, keepdims=True)
        q, inside = clip_probs(y_pred / total)
        values = -np.sum(y * np.log(q), axis=-1)
        if not need_grad:
            return values, None
        # with q = p / sum(p) and g = dL/dq = -y/q (0 where clipped):
        # dL/dp_j = (g_j - sum_i g_i q_i) / sum(p)
        g = -y / q
        g *= inside
        g -= np.sum(g * q, axis=-1, keepdims=True)
        g /= total
        return values, g

    def _check_targets(self, y, out):
        checks.check_categorical_targets(self.name, y, out)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


@register("loss", "sparse_categorical_crossentropy")
class SparseCategoricalCrossentropy(Loss):
    """-log(p[label]) with integer labels of shape (n,) or (n, 1).

    From probabilities, ``p`` is clipped to [1e-7, 1 - 1e-7] and the loss is
    -log(p[label] / sum(p)), as in Keras. From logits: logsumexp(z) - z[label].

    Args:
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
        ignore_class: a label whose samples do not count (their weight is 0 and the average
            is taken over the other samples). Default ``None``.
        reduction: how per-sample losses are combined. Defaults to ``"sum_over_batch_size"``.
        axis: the class axis; only -1 is supported. Default -1.
        name: the loss's name. Defaults to ``"sparse_categorical_crossentropy"``.
        dtype: float type of the computation. Defaults to ``None`` (that of ``y_pred``).
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(name, reduction, dtype)
        if ignore_class is not None and (
            isinstance(ignore_class, bool) or not isinstance(ignore_class, (int, np.integer))
        ):
            raise ValueError(_("ignore_class: expected an integer or None, got {value!r}")
                             .format(value=ignore_class))
        self.from_logits = bool(from_logits)
        self.ignore_class = None if ignore_class is None else int(ignore_class)
        self.axis = check_axis(axis)

    def fuses_with(self, activation):
        return not self.from_logits and activation is activations.softmax

    def _prepare(self, y_true, y_pred):
        labels = np.asarray(y_true)
        if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
            labels = labels[..., 0]
        if labels.shape != y_pred.shape[:-1]:
            raise ValueError(_(
                "y_true: {name} expects integer labels of shape {expected} "
                "(one per sample), got {shape}"
            ).format(name=self.name, expected=y_pred.shape[:-1], shape=labels.shape))
        return labels.astype(np.intp, copy=False), y_pred

    def _valid_mask(self, labels):
        return None if self.ignore_class is None else labels != self.ignore_class

    def _per_sample(self, labels, y_pred, logits, need_grad):
        if self.ignore_class is not None:
            labels = np.where(labels == self.ignore_class, 0, labels)
        classes = y_pred.shape[-1]
        if labels.size and (labels.min() < 0 or labels.max() >= classes):
            bad = labels[(labels < 0) | (labels >= classes)].flat[0]
            raise ValueError(_(
                "y_true: label {label} is outside [0, {classes}): y_pred has {classes} "
                "columns, one per class"
            ).format(label=bad, classes=classes))
        # work on (samples, classes) views so that one fancy index reaches every label
        z, labels_flat = y_pred.reshape(-1, classes), labels.reshape(-1)
        rows = np.arange(labels_flat.size)
        if logits:
            zs, grad, total = softmax_parts(z)
            values = np.log(total[:, 0]) - zs[rows, labels_flat]
            if need_grad:
                grad /= total
                grad[rows, labels_flat] -= 1  # d/dz = softmax(z) - onehot(label)
        else:
            q, inside = clip_probs(z)
            total = np.sum(q, axis=-1)
            q_label = q[rows, labels_flat]
            values = np.log(total) - np.log(q_label)
            if need_grad:
                # d/dp_j = 1/sum(q) - [j = label] / q_label, 0 where p was clipped
                grad = np.repeat((1 / total)[:, None], classes, axis=1)
                grad[rows, labels_flat] -= 1 / q_label
                grad *= inside
        values = values.reshape(labels.shape)
        return values, grad.reshape(y_pred.shape) if need_grad else None

    def _check_targets(self, y, out):
        checks.check_sparse_targets(self.name, y, out, self.ignore_class)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}

