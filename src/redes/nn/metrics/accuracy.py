"""Accuracy metrics: how often the prediction is right, as a fraction of the samples."""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..serialization import register
from .base import MeanMetricWrapper, Metric
from .functions import (
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    check_k,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)


@register("metric")
class Accuracy(MeanMetricWrapper):
    """How often predictions equal the targets exactly.

    Args:
        name: the metric's name. Defaults to ``"accuracy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name, dtype)

    def get_config(self):
        return Metric.get_config(self)


@register("metric")
class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches the 0/1 targets.

    Args:
        name: the metric's name. Defaults to ``"binary_accuracy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
        threshold: the probability above which a prediction counts as 1. Default 0.5.
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
            raise ValueError(_("threshold: expected a number, got {value!r}").format(
                value=threshold))
        super().__init__(binary_accuracy, name, dtype, threshold=float(threshold))
        self.threshold = float(threshold)

    def get_config(self):
        return {**Metric.get_config(self), "threshold": self.threshold}


@register("metric")
class CategoricalAccuracy(MeanMetricWrapper):
    """How often the largest prediction is at the class of the one-hot target.

    Args:
        name: the metric's name. Defaults to ``"categorical_accuracy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name, dtype)

    def get_config(self):
        return Metric.get_config(self)


@register("metric")
class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the largest prediction is at the integer label (shape (n,) or (n, 1)).

    Args:
        name: the metric's name. Defaults to ``"sparse_categorical_accuracy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name, dtype)

    def get_config(self):
        return Metric.get_config(self)


@register("metric")
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the class of the one-hot target is among the ``k`` largest predictions.

    Args:
        k: how many of the largest predictions count. Default 5.
        name: the metric's name. Defaults to ``"top_k_categorical_accuracy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        self.k = check_k(k)
        super().__init__(top_k_categorical_accuracy, name, dtype, k=self.k)

    def get_config(self):
        return {**Metric.get_config(self), "k": self.k}


@register("metric")
class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the ``k`` largest predictions.

    Args:
        k: how many of the largest predictions count. Default 5.
        name: the metric's name. Defaults to ``"sparse_top_k_categorical_accuracy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
        from_sorted_ids: whether ``y_pred`` holds class ids sorted from the highest score
            down instead of one score per class. Default False.
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        self.k = check_k(k)
        if not isinstance(from_sorted_ids, (bool, np.bool_)):
            raise ValueError(_("from_sorted_ids: expected True or False, got {value!r}")
                             .format(value=from_sorted_ids))
        self.from_sorted_ids = bool(from_sorted_ids)
        super().__init__(sparse_top_k_categorical_accuracy, name, dtype, k=self.k,
                         from_sorted_ids=self.from_sorted_ids)

    def get_config(self):
        return {**Metric.get_config(self), "k": self.k, "from_sorted_ids": self.from_sorted_ids}
