"""Metrics: scores of a model over the batches of an epoch, as in ``keras.metrics``.

A metric keeps a small state. ``update_state(y_true, y_pred, sample_weight=None)`` adds a
batch, ``result()`` gives the value so far (a float, or an array for metrics with one value
per threshold or per class) and ``reset_state()`` starts again, once per epoch.

Predictions are probabilities (or plain values for regression); only ``AUC`` and the
crossentropies take logits, with ``from_logits=True``. ``get("accuracy", loss=...,
output_shape=...)`` picks binary, categorical or sparse categorical accuracy the way Keras
does, and a metric asked for by a string is named by that string (the history key of
``metrics=["acc"]`` is ``"acc"``).

The modules, one concept each: ``base`` (Metric, Mean, MeanMetricWrapper), ``functions``
(one value per sample), ``accuracy``, ``regression``, ``probabilistic`` (crossentropies),
``confusion`` (counts at thresholds, Precision, Recall), ``auc`` and ``f_score``.
"""

from __future__ import annotations

from ...i18n import _
from .. import losses
from ..losses import (
    binary_crossentropy,
    categorical_crossentropy,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
)
from ..serialization import deserialize, names, snake_case
from .accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
)
from .auc import AUC
from .base import Mean, MeanMetricWrapper, Metric
from .confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from .f_score import F1Score, FBetaScore
from .functions import (
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    mean_absolute_percentage_error,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from .loss_metrics import (
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    KLDivergence,
    LogCoshError,
    MeanSquaredLogarithmicError,
    Poisson,
    SquaredHinge,
)
from .probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)
from .regression import (
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    R2Score,
    RootMeanSquaredError,
)

_ACCURACY_NAMES = ("accuracy", "acc")


def _accuracy_for(name, loss, output_shape, y_true_shape):
    """Binary, sparse categorical or categorical accuracy, chosen as Keras chooses."""
    out = None if output_shape is None else tuple(output_shape)
    if out is not None and out[-1] == 1:
        return BinaryAccuracy(name=name)
    if y_true_shape is not None and out is not None:
        yt = tuple(y_true_shape)
        sparse = len(yt) < len(out) or (yt[-1] == 1 and out[-1] > 1)
    elif out is None and isinstance(loss, losses.BinaryCrossentropy):
        return BinaryAccuracy(name=name)
    else:
        sparse = isinstance(loss, losses.SparseCategoricalCrossentropy)
    return SparseCategoricalAccuracy(name=name) if sparse else CategoricalAccuracy(name=name)


def get(identifier, loss=None, output_shape=None, y_true_shape=None):
    """A metric object from a name, a config dict, a ``Metric`` class or object, or a
    function giving one value per sample.

    ``"accuracy"`` and ``"acc"`` become ``BinaryAccuracy`` when the model has a single
    output unit, ``SparseCategoricalAccuracy`` when the targets are integer labels and
    ``CategoricalAccuracy`` otherwise, as in Keras. Keras looks at the shape of the targets;
    without ``y_true_shape`` the loss tells (sparse categorical crossentropy means labels).
    A metric asked for by a string takes that string as its name (its history key):
    ``"precision"``, ``"Precision"``, ``"auc"``, ``"AUC"``, ``"mae"``...

    Args:
        identifier: the metric.
        loss: the model's loss object. Default ``None``.
        output_shape: the model's output shape, batch first (``(None, 10)``). Default
            ``None``.
        y_true_shape: the shape of the targets, batch first. Default ``None``.
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        if identifier.lower() in _ACCURACY_NAMES:
            return _accuracy_for(identifier, loss, output_shape, y_true_shape)
        metric = deserialize("metric", identifier, "metrics")()
        metric.name = identifier
        return metric
    if isinstance(identifier, dict):
        return deserialize("metric", identifier, "metrics")
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier, name=snake_case(
            getattr(identifier, "__name__", type(identifier).__name__)))
    raise ValueError(_(
        "metrics: expected a metric name such as 'accuracy' or 'mae', a Metric object or "
        "a function of (y_true, y_pred), got {value!r}; known names: {names}"
    ).format(value=identifier, names=", ".join(names("metric"))))


def serialize(metric) -> dict:
    """``{"class_name": ..., "config": ...}`` of a metric object."""
    return {"class_name": type(metric).__name__, "config": metric.get_config()}


__all__ = [
    "CategoricalHinge", "CosineSimilarity", "Hinge", "KLDivergence", "LogCoshError",
    "MeanSquaredLogarithmicError", "Poisson", "SquaredHinge",
    "AUC",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "Metric",
    "Precision",
    "R2Score",
    "Recall",
    "RootMeanSquaredError",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "TrueNegatives",
    "TruePositives",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "get",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]
