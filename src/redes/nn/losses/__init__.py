"""Loss functions, with Keras' names, defaults and batch averaging.

A loss object is called like Keras' (``loss(y_true, y_pred, sample_weight=None)`` returns a
float). For training, ``loss_and_grad`` returns the loss and its gradient with respect to
``y_pred`` in one pass.

Each loss first gives one value per sample (averaged over the last axis where the targets
have several columns, as Keras does), then reduces them. The default reduction,
``"sum_over_batch_size"``, is Keras' one: the weighted sum of the per-sample losses divided
by the number of samples (not by the sum of the weights)::

    loss = sum_i(w_i * l_i) / n

A crossentropy computed on probabilities that came straight out of a softmax (or sigmoid)
is computed from the logits instead, as Keras does: ``fuses_with(activation)`` says when,
and ``loss_and_grad(..., logits=True)`` then takes the logits and returns dL/dlogits.

``validate(y, output_shape)`` checks a whole target array once, before training, and says
in plain words what does not fit (labels out of range, one-hot targets given to the sparse
loss, NaN...).

The plain functions (``mean_squared_error``, ``binary_crossentropy``...) return one loss per
sample, like the functions of ``keras.losses``.

Modules: ``base`` (the ``Loss`` class: weights and reductions), ``regression``,
``crossentropy``, ``focal``, ``probabilistic`` (KL divergence, Poisson), ``hinges``,
``functions`` (the plain functions), ``lookup`` (``get``, ``serialize``) and ``checks``
(the checks of the targets behind ``validate``).
"""

from __future__ import annotations

from .base import Loss
from .base import align_ranks as align_ranks  # used by metrics
from .crossentropy import BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy
from .focal import BinaryFocalCrossentropy, CategoricalFocalCrossentropy
from .functions import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    cosine_similarity,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from .hinges import CategoricalHinge, Hinge, SquaredHinge
from .lookup import LossFunctionWrapper as LossFunctionWrapper
from .lookup import deserialize, get, serialize
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

__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "log_cosh",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "poisson",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
]
