"""The plain loss functions, as in ``keras.losses``: one loss per sample, no reduction.

``mean_squared_error(y_true, y_pred)`` is ``MeanSquaredError(reduction=None)(y_true,
y_pred)``. ``FUNCTIONS`` maps each function to its class, which ``get`` uses to train with
the class (and its gradient) when a model is compiled with the function.
"""

from __future__ import annotations

from .crossentropy import BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy
from .focal import BinaryFocalCrossentropy, CategoricalFocalCrossentropy
from .hinges import CategoricalHinge, Hinge, SquaredHinge
from .probabilistic import KLDivergence, Poisson
from .regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
)


def mean_squared_error(y_true, y_pred):
    """mean((y_true - y_pred)^2) over the last axis: one loss per sample."""
    return MeanSquaredError(reduction=None)(y_true, y_pred)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_true - y_pred|) over the last axis: one loss per sample."""
    return MeanAbsoluteError(reduction=None)(y_true, y_pred)


def huber(y_true, y_pred, delta=1.0):
    """The Huber loss of each sample (see ``Huber``). ``delta`` defaults to 1.0."""
    return Huber(delta=delta, reduction=None)(y_true, y_pred)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """The binary crossentropy of each sample (see ``BinaryCrossentropy``)."""
    return BinaryCrossentropy(from_logits, label_smoothing, axis, reduction=None)(
        y_true, y_pred)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """The categorical crossentropy of each sample (see ``CategoricalCrossentropy``)."""
    return CategoricalCrossentropy(from_logits, label_smoothing, axis, reduction=None)(
        y_true, y_pred)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """The sparse categorical crossentropy of each sample, 0 for an ignored class."""
    values = SparseCategoricalCrossentropy(from_logits, ignore_class, reduction=None,
                                           axis=axis)(y_true, y_pred)
    return values


def mean_absolute_percentage_error(y_true, y_pred):
    """100 mean(|y_true - y_pred| / max(|y_true|, eps)) over the last axis, per sample."""
    return MeanAbsolutePercentageError(reduction=None)(y_true, y_pred)


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean((log(1 + y_pred) - log(1 + y_true))^2) over the last axis, per sample."""
    return MeanSquaredLogarithmicError(reduction=None)(y_true, y_pred)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true))) over the last axis, per sample."""
    return LogCosh(reduction=None)(y_true, y_pred)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine between ``y_true`` and ``y_pred`` along ``axis``, per sample."""
    return CosineSimilarity(axis, reduction=None)(y_true, y_pred)


def kl_divergence(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred)) over the last axis, per sample (see
    ``KLDivergence``)."""
    return KLDivergence(reduction=None)(y_true, y_pred)


def poisson(y_true, y_pred):
    """mean(y_pred - y_true * log(y_pred + eps)) over the last axis, per sample."""
    return Poisson(reduction=None)(y_true, y_pred)


def hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)) over the last axis, per sample; 0/1 labels
    become -1/1."""
    return Hinge(reduction=None)(y_true, y_pred)


def squared_hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)^2) over the last axis, per sample; 0/1 labels
    become -1/1."""
    return SquaredHinge(reduction=None)(y_true, y_pred)


def categorical_hinge(y_true, y_pred):
    """max(neg - pos + 1, 0) per sample, for one-hot targets (see ``CategoricalHinge``)."""
    return CategoricalHinge(reduction=None)(y_true, y_pred)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """The binary focal crossentropy of each sample (see ``BinaryFocalCrossentropy``)."""
    return BinaryFocalCrossentropy(apply_class_balancing, alpha, gamma, from_logits,
                                   label_smoothing, axis, reduction=None)(y_true, y_pred)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """The categorical focal crossentropy of each sample (see
    ``CategoricalFocalCrossentropy``)."""
    return CategoricalFocalCrossentropy(alpha, gamma, from_logits, label_smoothing, axis,
                                        reduction=None)(y_true, y_pred)


FUNCTIONS = {
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    huber: Huber,
    log_cosh: LogCosh,
    cosine_similarity: CosineSimilarity,
    kl_divergence: KLDivergence,
    poisson: Poisson,
    hinge: Hinge,
    squared_hinge: SquaredHinge,
    categorical_hinge: CategoricalHinge,
    binary_crossentropy: BinaryCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    binary_focal_crossentropy: BinaryFocalCrossentropy,
    categorical_focal_crossentropy: CategoricalFocalCrossentropy,
}
