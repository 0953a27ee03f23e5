"""Metrics that average a loss function over the samples, as Keras lists them among its
metrics: ``metrics=["kl_divergence", "poisson", "hinge", "msle", ...]``.

Each one is the weighted mean of the loss function's value per sample (``MeanMetricWrapper``);
only ``CosineSimilarity`` changes the sign, since the metric is the similarity (1 when the
vectors point the same way) and the loss is its negative, to be minimized.
"""

from __future__ import annotations

from .. import losses
from ..serialization import register
from .base import LossMean, MeanMetricWrapper, Metric


@register("metric", "msle")
class MeanSquaredLogarithmicError(LossMean):
    """The mean of (log(1 + y_true) - log(1 + y_pred))^2."""

    function, default_name = staticmethod(losses.mean_squared_logarithmic_error), \
        "mean_squared_logarithmic_error"


@register("metric", "log_cosh_error")
class LogCoshError(LossMean):
    """The mean of log(cosh(y_pred - y_true))."""

    function, default_name = staticmethod(losses.log_cosh), "logcosh"


@register("metric", "kl_divergence")
class KLDivergence(LossMean):
    """The mean Kullback-Leibler divergence sum(y_true * log(y_true / y_pred))."""

    function, default_name = staticmethod(losses.kl_divergence), "kl_divergence"


@register("metric")
class Poisson(LossMean):
    """The mean of y_pred - y_true * log(y_pred)."""

    function, default_name = staticmethod(losses.poisson), "poisson"


@register("metric")
class Hinge(LossMean):
    """The mean of max(1 - y_true * y_pred, 0) (labels -1/1, or 0/1 turned into -1/1)."""

    function, default_name = staticmethod(losses.hinge), "hinge"


@register("metric", "squared_hinge")
class SquaredHinge(LossMean):
    """The mean of max(1 - y_true * y_pred, 0)^2."""

    function, default_name = staticmethod(losses.squared_hinge), "squared_hinge"


@register("metric", "categorical_hinge")
class CategoricalHinge(LossMean):
    """The mean of max(0, 1 + max of the wrong classes' scores - the true class's score)."""

    function, default_name = staticmethod(losses.categorical_hinge), "categorical_hinge"


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine of the angle between y_true and y_pred along ``axis``, per sample."""
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


@register("metric", "cosine_similarity")
class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity of y_true and y_pred along ``axis`` (1: same direction).

    Args:
        name: the metric's name. Defaults to ``"cosine_similarity"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
        axis: the axis of the vectors. Defaults to -1.
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype, axis=axis)

    def get_config(self):
        return {**Metric.get_config(self), "axis": self._fn_kwargs["axis"]}
