"""AUC: the area under the ROC curve or the precision-recall curve.

The confusion counts are gathered at ``num_thresholds`` thresholds over [0, 1] (see
``confusion.py``); each threshold gives one point of the curve:

    ROC:  x = false positive rate FP / (FP + TN),  y = recall TP / (TP + FN)
    PR:   x = recall,                               y = precision TP / (TP + FP)

and the area is a Riemann sum over consecutive points, ``sum_j (x_j - x_{j+1}) h_j``, with
``h_j`` the mean (``"interpolation"``), the smaller (``"minoring"``) or the larger
(``"majoring"``) of ``y_j`` and ``y_{j+1}``. For PR with ``"interpolation"``, precision is
interpolated between points as Davis & Goadrich (2006) show, since it is not linear in
recall.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..serialization import register
from .base import Metric
from .confusion import confusion_counts, divide_no_nan, parse_thresholds

_CURVES = ("ROC", "PR", "PRGAIN")
_SUMMATIONS = ("interpolation", "majoring", "minoring")
_EPSILON = 1e-7


def _choice(argument, value, choices):
    """``value`` as one of ``choices``, whatever its case."""
    for choice in choices:
        if isinstance(value, str) and value.lower() == choice.lower():
            return choice
    raise ValueError(_("{argument}: expected one of {expected}, got {value!r}").format(
        argument=argument, expected=list(choices), value=value))


@register("metric")
class AUC(Metric):
    """The area under the ROC curve (the default) or the precision-recall curve.

    Args:
        num_thresholds: how many thresholds, evenly spread over [0, 1], to draw the curve
            with (more is more exact). Default 200; at least 2.
        curve: ``"ROC"`` (default), ``"PR"`` (precision-recall) or ``"PRGAIN"``.
        summation_method: ``"interpolation"`` (default), ``"minoring"`` or
            ``"majoring"``: the height of each step of the Riemann sum.
        name: the metric's name. Defaults to ``"auc"``, made unique.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
        thresholds: the thresholds themselves, numbers in [0, 1] (``num_thresholds`` is
            then ignored). Default ``None``.
        multi_label: whether each column of a 2D ``y_pred`` is a label with its own curve,
            the result being their mean. Default False: every prediction counts alike.
        num_labels: the number of labels with ``multi_label``; default ``None`` (taken
            from the first batch).
        label_weights: one weight per label for the mean over labels (``multi_label``), or
            for each column's predictions. Default ``None``.
        from_logits: whether ``y_pred`` are logits (a sigmoid is applied). Default False.
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        super().__init__(name, dtype)
        self.curve = _choice("curve", curve, _CURVES)
        self.summation_method = _choice("summation_method", summation_method, _SUMMATIONS)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(parse_thresholds(thresholds, None))
            self.num_thresholds = len(inner) + 2
        else:
            if (isinstance(num_thresholds, bool) or not isinstance(num_thresholds,
                                                                   (int, np.integer))
                    or num_thresholds < 2):
                raise ValueError(_(
                    "num_thresholds: expected an integer > 1, got {value!r}"
                ).format(value=num_thresholds))
            self.num_thresholds = int(num_thresholds)
            inner = [(i + 1) / (self.num_thresholds - 1) for i in range(self.num_thresholds - 2)]
        # just outside [0, 1] at both ends, so that predictions of exactly 0 or 1 are in
        self._thresholds = np.array([-_EPSILON, *inner, 1.0 + _EPSILON])
        self.multi_label = bool(multi_label)
        self._check_labels(num_labels, label_weights)
        self.from_logits = bool(from_logits)
        self.reset_state()

    def _check_labels(self, num_labels, label_weights):
        if num_labels is not None and not self.multi_label:
            raise ValueError(_("num_labels: only used with multi_label=True, got {value!r}")
                             .format(value=num_labels))
        if num_labels is not None and (isinstance(num_labels, bool) or not isinstance(
                num_labels, (int, np.integer)) or num_labels < 1):
            raise ValueError(_("num_labels: expected a positive integer, got {value!r}")
                             .format(value=num_labels))
        self.num_labels = num_labels
        weights = None if label_weights is None else np.asarray(label_weights)
        if weights is not None and (weights.ndim != 1 or weights.dtype.kind not in "iuf"
                                    or np.any(weights < 0)):
            raise ValueError(_(
                "label_weights: expected a list of numbers >= 0, one per label, got {value!r}"
            ).format(value=label_weights))
        self.label_weights = None if weights is None else weights.astype(np.float64)

    @property
    def thresholds(self) -> list:
        return [float(t) for t in self._thresholds]

    def reset_state(self):
        # the four counts in one array (TP, FP, TN, FN) x thresholds [x labels]; with
        # multi_label and no num_labels it is shaped by the first batch
        shape = (self.num_thresholds,) if not self.multi_label else (
            None if self.num_labels is None else (self.num_thresholds, self.num_labels))
        self._counts = None if shape is None else np.zeros((4, *shape))

    true_positives = property(lambda self: None if self._counts is None else self._counts[0])
    false_positives = property(lambda self: None if self._counts is None else self._counts[1])
    true_negatives = property(lambda self: None if self._counts is None else self._counts[2])
    false_negatives = property(lambda self: None if self._counts is None else self._counts[3])

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, dtype=self.dtype)
        if self.from_logits:
            with np.errstate(over="ignore"):
                y_pred = 1.0 / (1.0 + np.exp(-y_pred))   # sigmoid
        counts = np.stack(confusion_counts(
            y_true, y_pred, self._thresholds, sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights, dtype=self.dtype))
        if self._counts is None:
            self._counts = np.zeros_like(counts)
        if counts.shape != self._counts.shape:
            raise ValueError(_(
                "y_pred: expected {labels} labels (columns), as before, got shape {shape}"
            ).format(labels=self._counts.shape[-1], shape=y_pred.shape))
        self._counts += counts

    def result(self):
        if self._counts is None:
            return 0.0
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._over_labels(self._interpolated_pr_area())
        x, y = self._curve()
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._over_labels(np.sum((x[:-1] - x[1:]) * heights, axis=0))

    def _curve(self):
        """The points (x, y) of the curve, one per threshold, from low to high threshold."""
        tp, fp, tn, fn = self._counts
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            return divide_no_nan(fp, fp + tn), recall
        if self.curve == "PR":
            return recall, divide_no_nan(tp, tp + fp)
        # PRGAIN: precision and recall gains (Flach & Kull, 2015)
        scale = divide_no_nan(tp + fn, tn + fp)
        recall_gain = np.where(tp == 0, 0.0, 1.0 - scale * divide_no_nan(fn, tp))
        precision_gain = np.where(tp == 0, 1.0, 1.0 - scale * divide_no_nan(fp, tp))
        return np.maximum(recall_gain, 0.0), precision_gain

    def _interpolated_pr_area(self):
        """The PR area with precision interpolated between thresholds (Davis & Goadrich).

        Between two thresholds, TP grows linearly in P = TP + FP with slope
        s = dTP / dP, TP = s P + b, so precision = s + b / P, and the area of that step
        of the curve is  (s dTP + s b log(P_j / P_{j+1})) / (TP + FN)."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        p = tp + fp
        d_tp, d_p = tp[:-1] - tp[1:], p[:-1] - p[1:]
        slope = divide_no_nan(d_tp, np.maximum(d_p, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = np.where(both, divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        step = divide_no_nan(slope * (d_tp + intercept * np.log(ratio)),
                             np.maximum(tp[1:] + fn[1:], 0))
        return np.sum(step, axis=0)

    def _over_labels(self, area):
        """One area, or with ``multi_label`` the (label-weighted) mean of the labels'."""
        if not self.multi_label:
            return float(area)
        if self.label_weights is None:
            return float(np.mean(area))
        return float(divide_no_nan(np.sum(area * self.label_weights),
                                   np.sum(self.label_weights)))

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": None if self.label_weights is None
                  else self.label_weights.tolist(), "from_logits": self.from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
