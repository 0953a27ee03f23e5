"""F-scores: the (weighted) harmonic mean of precision and recall, per class or averaged.

    F_beta = (1 + beta^2) P R / (beta^2 P + R)

beta = 1 (F1) weighs precision and recall alike; beta > 1 weighs recall more. Targets are
one-hot or multi-hot, shape (samples, classes); a prediction counts as positive where it is
above ``threshold``, or, without one, where it is the largest of its row.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..serialization import register
from .base import Metric

_AVERAGES = (None, "micro", "macro", "weighted")
_EPSILON = 1e-7    # Keras' epsilon, added to each denominator


def _check_number(argument, value, low, high, expected):
    if (isinstance(value, bool) or not isinstance(value, (int, float, np.number))
            or not low < value <= high):
        raise ValueError(_("{argument}: expected {expected}, got {value!r}").format(
            argument=argument, expected=expected, value=value))
    return float(value)


@register("metric")
class FBetaScore(Metric):
    """The F-beta score of each class, or their average.

    Args:
        average: ``None`` (the default: one score per class), ``"micro"`` (one score from
            the counts of every class together), ``"macro"`` (the mean of the classes'
            scores) or ``"weighted"`` (their mean weighted by each class's positives).
        beta: how many times recall weighs as much as precision; > 0. Default 1.0.
        threshold: a prediction above it counts as positive, in (0, 1]. Default ``None``:
            the largest prediction of each row counts (if it is not 0).
        name: the metric's name. Defaults to ``"fbeta_score"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score",
                 dtype=None):
        super().__init__(name, dtype)
        if average not in _AVERAGES:
            raise ValueError(_("average: expected one of {expected}, got {value!r}").format(
                expected=list(_AVERAGES), value=average))
        self.average = average
        self.beta = _check_number("beta", beta, 0.0, np.inf, _("a number > 0"))
        self.threshold = None if threshold is None else _check_number(
            "threshold", threshold, 0.0, 1.0, _("a number in (0, 1]"))
        self.reset_state()

    def reset_state(self):
        self._counts = None   # TP, FP, FN and positives, per class: shaped by the first batch

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = np.asarray(y_true, dtype=self.dtype).astype(np.float64)
        y_pred = np.asarray(y_pred, dtype=self.dtype)
        if y_true.ndim != 2 or y_pred.ndim != 2:
            raise ValueError(_(
                "y_true, y_pred: {name} expects 2D inputs of shape (batch_size, "
                "output_dim), got shapes {true} and {pred}"
            ).format(name=type(self).__name__, true=y_true.shape, pred=y_pred.shape))
        if self.threshold is None:   # the row's largest, unless it is 0
            predicted = (y_pred >= y_pred.max(axis=-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.astype(np.float64)
        weights = np.ones((len(y_true), 1)) if sample_weight is None else np.asarray(
            sample_weight, np.float64).reshape(-1, 1)
        if len(weights) != len(y_true):
            raise ValueError(_(
                "sample_weight: expected one weight per sample, shape {expected}, "
                "got shape {shape}").format(expected=y_true.shape[:1],
                                            shape=np.shape(sample_weight)))
        counts = np.stack([predicted * y_true, predicted * (1 - y_true),
                           (1 - predicted) * y_true, y_true]) * weights
        counts = counts.sum(axis=1)                       # (4, classes)
        if self.average == "micro":
            counts = counts.sum(axis=1)                   # (4,): every class together
        if self._counts is None:
            self._counts = np.zeros_like(counts)
        if counts.shape != self._counts.shape:
            raise ValueError(_(
                "y_pred: expected {classes} classes (columns), as before, got shape {shape}"
            ).format(classes=self._counts.shape[-1], shape=y_pred.shape))
        self._counts += counts

    def result(self):
        if self._counts is None:
            return 0.0
        tp, fp, fn, positives = self._counts
        precision = tp / (tp + fp + _EPSILON)
        recall = tp / (tp + fn + _EPSILON)
        b2 = self.beta**2
        score = (1 + b2) * precision * recall / (b2 * precision + recall + _EPSILON)
        if self.average == "weighted":
            score = np.sum(score * positives / (np.sum(positives) + _EPSILON))
        elif self.average is not None:
            score = np.mean(score)
        return self._value(score)

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


@register("metric")
class F1Score(FBetaScore):
    """The F1 score, 2 P R / (P + R), of each class, or their average (FBetaScore with
    beta = 1).

    Args:
        average: ``None`` (default), ``"micro"``, ``"macro"`` or ``"weighted"``; see
            ``FBetaScore``.
        threshold: a prediction above it counts as positive, in (0, 1]. Default ``None``:
            the largest prediction of each row counts.
        name: the metric's name. Defaults to ``"f1_score"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average, 1.0, threshold, name, dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
