"""Counts of the confusion matrix at one or more thresholds, and the metrics built on them.

A prediction ``p`` counts as positive at threshold ``t`` when ``p > t``; a target counts as
positive when it is not 0. At each threshold, every (target, prediction) pair adds its
weight to one of four counts::

                     predicted positive     predicted negative
    target positive  true positives (TP)    false negatives (FN)
    target negative  false positives (FP)   true negatives (TN)

    precision = TP / (TP + FP)        recall = TP / (TP + FN)       (0 where 0 / 0)

With many thresholds evenly spread over [0, 1] (as ``AUC`` uses), comparing every
prediction with every threshold costs (thresholds x predictions). Instead each prediction
falls in the bucket of the last threshold below it, ``ceil(p (T - 1)) - 1``, and a reversed
running sum over the buckets counts, for each threshold, the predictions above it: the cost
is (thresholds + predictions), as in Keras.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..serialization import register
from .base import Metric
from .functions import check_k, same_rank

NEG_INF = -1e10     # the threshold Precision and Recall use with top_k: every kept score


def parse_thresholds(thresholds, default):
    """``thresholds`` (a number, a list of numbers in [0, 1], or ``None`` for ``default``)
    as a list of floats."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [
        thresholds]
    if not values or any(isinstance(t, bool) or not isinstance(t, (int, float, np.number))
                         or not 0 <= t <= 1 for t in values):
        raise ValueError(_(
            "thresholds: expected a number or a list of numbers in [0, 1], got {value!r}"
        ).format(value=thresholds))
    return [float(t) for t in values]


def evenly_spaced(thresholds) -> bool:
    """Whether there are at least 3 thresholds, at 0, 1/(T-1), 2/(T-1)... 1."""
    t = len(thresholds)
    return t >= 3 and np.allclose(thresholds, np.arange(t) / (t - 1), atol=1e-7)


def divide_no_nan(a, b):
    """a / b, and 0 where b is 0."""
    a, b = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64))
    return np.divide(a, b, out=np.zeros(a.shape), where=b != 0)


def keep_top_k(y_pred, k):
    """The ``k`` largest scores of each row, the others set to NEG_INF (on ties the first
    columns win, as in Keras)."""
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    kept = np.full(y_pred.shape, NEG_INF, dtype=y_pred.dtype)
    np.put_along_axis(kept, order, np.take_along_axis(y_pred, order, axis=-1), axis=-1)
    return kept


def _prepare(y_true, y_pred, sample_weight, top_k, class_id, dtype):
    """Targets, predictions and weights of the same shape; top_k and class_id applied."""
    y_pred = np.asarray(y_pred, dtype=dtype)
    y_true, y_pred = same_rank(np.asarray(y_true, dtype=dtype), y_pred)
    if sample_weight is not None:   # one weight per sample, or one per prediction
        sw = same_rank(y_true, np.asarray(sample_weight, dtype=dtype)[..., None],
                       expand_rank_1=False)[1]
    if top_k is not None:
        y_pred = keep_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim < 2 or not -y_pred.shape[-1] <= class_id < y_pred.shape[-1]:
            raise ValueError(_(
                "class_id: {value} needs y_pred of shape (samples, classes) with that class, "
                "got shape {shape}").format(value=class_id, shape=y_pred.shape))
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    try:
        y_true = np.broadcast_to(y_true, y_pred.shape)
        weights = np.ones(y_pred.shape) if sample_weight is None else np.broadcast_to(
            sw, y_pred.shape).astype(np.float64)
    except ValueError:
        raise ValueError(_(
            "y_true, y_pred, sample_weight: shapes {true}, {pred} and {weight} do not match; "
            "expected targets shaped like the predictions and one weight per sample"
        ).format(true=np.shape(y_true), pred=y_pred.shape,
                 weight=np.shape(sample_weight))) from None
    return y_true != 0, y_pred, weights


def confusion_counts(y_true, y_pred, thresholds, sample_weight=None, top_k=None,
                     class_id=None, multi_label=False, label_weights=None, dtype="float32"):
    """``(tp, fp, tn, fn)`` of one batch: weighted counts at each threshold, arrays of shape
    (thresholds,), or (thresholds, labels) with ``multi_label`` (one curve per column of a
    2D ``y_pred``). Without it every prediction counts alike, whatever its column.
    Predictions and thresholds are compared in ``dtype``, as Keras compares them."""
    positive, y_pred, weights = _prepare(y_true, y_pred, sample_weight, top_k, class_id,
                                         dtype)
    if label_weights is not None and not multi_label:
        if y_pred.ndim < 1 or len(label_weights) != y_pred.shape[-1]:
            raise ValueError(_(
                "label_weights: expected one weight per column of y_pred, {columns}, got "
                "{count}").format(columns=y_pred.shape[-1:], count=len(label_weights)))
        weights = weights * np.asarray(label_weights, np.float64)   # one per column
    if multi_label:
        if y_pred.ndim != 2:
            raise ValueError(_(
                "y_pred: multi_label=True expects shape (samples, labels), got shape {shape}"
            ).format(shape=y_pred.shape))
    else:   # one column: every prediction is one more sample
        positive, y_pred, weights = (a.reshape(-1, 1) for a in (positive, y_pred, weights))
    on_true, on_false = weights * positive, weights * ~positive
    if evenly_spaced(np.clip(thresholds, 0.0, 1.0)):
        tp, fp = _counts_by_bucket(y_pred, on_true, on_false, thresholds)
    else:
        above = y_pred[None] > np.asarray(thresholds, dtype)[:, None, None]   # (T, n, labels)
        tp, fp = np.sum(above * on_true, axis=1), np.sum(above * on_false, axis=1)
    fn, tn = on_true.sum(axis=0) - tp, on_false.sum(axis=0) - fp
    counts = (tp, fp, tn, fn)
    return counts if multi_label else tuple(c[:, 0] for c in counts)


def _counts_by_bucket(y_pred, on_true, on_false, thresholds):
    """TP and FP at T evenly spread thresholds in (T + predictions) steps.

    A prediction p exceeds threshold j/(T-1) for every j below ``ceil(p (T-1))``, so it adds
    its weight to bucket ``ceil(p (T-1)) - 1``; the count at threshold j is the sum of
    buckets j, j+1... (a reversed running sum). A prediction at or below the first
    threshold falls in bucket -1 and counts nowhere, unless that threshold is just below 0
    (as in ``AUC``), where every prediction exceeds it."""
    count, labels = len(thresholds), y_pred.shape[1]
    scaled = np.clip(y_pred, 0, 1) * y_pred.dtype.type(count - 1)
    bucket = np.ceil(scaled).astype(np.intp) - 1
    if thresholds[0] < 0:
        bucket = np.maximum(bucket, 0)
    kept = bucket >= 0
    index = (bucket * labels + np.arange(labels))[kept]    # one bucket row per label

    def reversed_running_sum(values):
        per_bucket = np.bincount(index, weights=values[kept], minlength=count * labels)
        return np.cumsum(per_bucket.reshape(count, labels)[::-1], axis=0)[::-1]

    return reversed_running_sum(on_true), reversed_running_sum(on_false)


def _check_top_k(top_k):
    try:
        return check_k(top_k)
    except ValueError:
        raise ValueError(_("top_k: expected a positive integer or None, got {value!r}")
                         .format(value=top_k)) from None


def _check_class_id(class_id):
    if class_id is not None and (isinstance(class_id, bool)
                                 or not isinstance(class_id, (int, np.integer))):
        raise ValueError(_("class_id: expected an integer class index or None, got {value!r}")
                         .format(value=class_id))
    return None if class_id is None else int(class_id)


class _ConfusionCount(Metric):
    """One count of the confusion matrix (``_COUNT``: "tp", "fp", "tn" or "fn") summed over
    the batches, at each threshold.

    Args:
        thresholds: a number or a list of numbers in [0, 1]; a prediction above one counts
            as positive there. Default ``None`` (0.5). With a list, ``result()`` gives one
            count per threshold.
        name: the metric's name. Defaults to the class name in snake case, made unique.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    _COUNT = ""

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name, dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5)
        self.reset_state()

    def reset_state(self):
        self.accumulator = np.zeros(len(self.thresholds))

    def update_state(self, y_true, y_pred, sample_weight=None):
        tp, fp, tn, fn = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                          dtype=self.dtype)
        self.accumulator += {"tp": tp, "fp": fp, "tn": tn, "fn": fn}[self._COUNT]

    def result(self):
        counts = self.accumulator
        return self._value(counts[0] if len(counts) == 1 else counts)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


@register("metric")
class TruePositives(_ConfusionCount):
    """The (weighted) number of positive targets predicted positive, at each threshold.

    Args: ``thresholds=None`` (0.5), ``name=None``, ``dtype=None``; see ``_ConfusionCount``.
    """

    _COUNT = "tp"


@register("metric")
class FalsePositives(_ConfusionCount):
    """The (weighted) number of negative targets predicted positive, at each threshold.

    Args: ``thresholds=None`` (0.5), ``name=None``, ``dtype=None``; see ``_ConfusionCount``.
    """

    _COUNT = "fp"


@register("metric")
class TrueNegatives(_ConfusionCount):
    """The (weighted) number of negative targets predicted negative, at each threshold.

    Args: ``thresholds=None`` (0.5), ``name=None``, ``dtype=None``; see ``_ConfusionCount``.
    """

    _COUNT = "tn"


@register("metric")
class FalseNegatives(_ConfusionCount):
    """The (weighted) number of positive targets predicted negative, at each threshold.

    Args: ``thresholds=None`` (0.5), ``name=None``, ``dtype=None``; see ``_ConfusionCount``.
    """

    _COUNT = "fn"


class _RatioOfCounts(Metric):
    """TP / (TP + ``_OTHER``) over the batches, at each threshold (0 when nothing counts).

    Args:
        thresholds: a number or a list of numbers in [0, 1]; a prediction above one counts
            as positive there. Default ``None``: 0.5, or, with ``top_k``, every kept score.
            With a list, ``result()`` gives one value per threshold.
        top_k: only the ``k`` largest scores of each sample count as predictions (the
            others as negatives). Default ``None`` (all).
        class_id: only this column of ``y_true`` and ``y_pred`` (shape (samples, classes))
            counts. Default ``None`` (every prediction counts alike).
        name: the metric's name. Defaults to the class name in snake case, made unique.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    _OTHER = ""

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name, dtype)
        self.init_thresholds = thresholds
        self.top_k = None if top_k is None else _check_top_k(top_k)
        self.class_id = _check_class_id(class_id)
        self.thresholds = parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)
        self.reset_state()

    def reset_state(self):
        self.true_positives = np.zeros(len(self.thresholds))
        self.other = np.zeros(len(self.thresholds))

    def update_state(self, y_true, y_pred, sample_weight=None):
        tp, fp, _tn, fn = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                           self.top_k, self.class_id, dtype=self.dtype)
        self.true_positives += tp
        self.other += fp if self._OTHER == "fp" else fn

    def result(self):
        ratio = divide_no_nan(self.true_positives, self.true_positives + self.other)
        return self._value(ratio[0] if len(ratio) == 1 else ratio)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


@register("metric")
class Precision(_RatioOfCounts):
    """Precision, TP / (TP + FP): of the predictions counted positive, the fraction whose
    target is positive.

    Args: ``thresholds=None`` (0.5), ``top_k=None``, ``class_id=None``, ``name=None``,
    ``dtype=None``; see ``_RatioOfCounts``.
    """

    _OTHER = "fp"

    @property
    def false_positives(self):
        return self.other


@register("metric")
class Recall(_RatioOfCounts):
    """Recall, TP / (TP + FN): of the positive targets, the fraction predicted positive.

    Args: ``thresholds=None`` (0.5), ``top_k=None``, ``class_id=None``, ``name=None``,
    ``dtype=None``; see ``_RatioOfCounts``.
    """

    _OTHER = "fn"

    @property
    def false_negatives(self):
        return self.other
