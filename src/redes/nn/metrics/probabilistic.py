"""Crossentropy metrics: the mean of a crossentropy loss over the batches of an epoch."""

from __future__ import annotations

import numpy as np

from .. import losses
from ..serialization import register
from .base import Mean, MeanMetricWrapper, Metric


@register("metric", "bce")
class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary crossentropy (see ``losses.BinaryCrossentropy``).

    Args:
        name: the metric's name. Defaults to ``"binary_crossentropy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
        from_logits: whether ``y_pred`` are logits. Default False.
        label_smoothing: in [0, 1]. Default 0.
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        self._loss = losses.BinaryCrossentropy(from_logits, label_smoothing, reduction=None)
        super().__init__(self._loss, name, dtype)

    def get_config(self):
        return {**Metric.get_config(self), "from_logits": self._loss.from_logits,
                "label_smoothing": self._loss.label_smoothing}


@register("metric")
class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical crossentropy (see ``losses.CategoricalCrossentropy``).

    Args:
        name: the metric's name. Defaults to ``"categorical_crossentropy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
        from_logits: whether ``y_pred`` are logits. Default False.
        label_smoothing: in [0, 1]. Default 0.
        axis: the class axis; only -1 is supported. Default -1.
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        self._loss = losses.CategoricalCrossentropy(from_logits, label_smoothing, axis,
                                                    reduction=None)
        super().__init__(self._loss, name, dtype)

    def get_config(self):
        return {**Metric.get_config(self), "from_logits": self._loss.from_logits,
                "label_smoothing": self._loss.label_smoothing, "axis": self._loss.axis}


@register("metric")
class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean sparse categorical crossentropy (see the loss of the same name).

    Args:
        name: the metric's name. Defaults to ``"sparse_categorical_crossentropy"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
        from_logits: whether ``y_pred`` are logits. Default False.
        ignore_class: a label whose samples do not count. Default ``None``.
        axis: the class axis; only -1 is supported. Default -1.
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        self._loss = losses.SparseCategoricalCrossentropy(from_logits, ignore_class,
                                                          reduction=None, axis=axis)
        super().__init__(self._loss, name, dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._loss(y_true, y_pred)
        if self._loss.ignore_class is not None:  # ignored samples weigh 0, as in Keras
            valid = (np.asarray(y_true).reshape(values.shape) != self._loss.ignore_class)
            sample_weight = valid if sample_weight is None else (
                np.reshape(sample_weight, valid.shape) * valid)
        Mean.update_state(self, values, sample_weight)

    def get_config(self):
        return {**Metric.get_config(self), "from_logits": self._loss.from_logits,
                "ignore_class": self._loss.ignore_class, "axis": self._loss.axis}
