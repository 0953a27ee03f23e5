"""Regression metrics: mean errors, their root, and the coefficient of determination R^2."""

from __future__ import annotations

import warnings

import numpy as np

from ...i18n import _
from .. import losses
from ..serialization import register
from .base import LossMean, Mean, Metric
from .functions import mean_absolute_percentage_error, same_rank


@register("metric", "mse")
class MeanSquaredError(LossMean):
    """The mean of (y_true - y_pred)^2.

    Args:
        name: the metric's name. Defaults to ``"mean_squared_error"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    function, default_name = staticmethod(losses.mean_squared_error), "mean_squared_error"


@register("metric", "mae")
class MeanAbsoluteError(LossMean):
    """The mean of |y_true - y_pred|.

    Args:
        name: the metric's name. Defaults to ``"mean_absolute_error"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    function, default_name = staticmethod(losses.mean_absolute_error), "mean_absolute_error"


@register("metric", "mape")
class MeanAbsolutePercentageError(LossMean):
    """The mean of 100 * |y_true - y_pred| / |y_true|: the error in percent of the target.

    Args:
        name: the metric's name. Defaults to ``"mean_absolute_percentage_error"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    function = staticmethod(mean_absolute_percentage_error)
    default_name = "mean_absolute_percentage_error"


@register("metric", "rmse")
class RootMeanSquaredError(Mean):
    """sqrt(mean((y_true - y_pred)^2)) over everything seen since the last reset.

    Args:
        name: the metric's name. Defaults to ``"root_mean_squared_error"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name, dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(y_pred, dtype=np.float64)
        y_true, y_pred = same_rank(np.asarray(y_true, dtype=np.float64), y_pred)
        super().update_state(np.square(y_pred - y_true), sample_weight)

    def result(self):
        return float(np.sqrt(super().result()))


_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


@register("metric")
class R2Score(Metric):
    """The coefficient of determination, one per output column ``j``::

        R^2_j = 1 - sum_i w_i (y_ij - p_ij)^2 / sum_i w_i (y_ij - mean_j(y))^2

    1 is a perfect fit, 0 is no better than always predicting the mean of the targets. The
    sums run over everything seen since the last reset; the denominator is written
    ``sum(w y^2) - sum(w y)^2 / sum(w)`` so that it can be gathered batch by batch.

    Args:
        class_aggregation: how the columns' scores become one: ``"uniform_average"`` (their
            mean, the default), ``"variance_weighted_average"`` (weighted by the variance of
            each column's targets) or ``None`` (one score per column).
        num_regressors: the number of independent variables of the model, for the
            adjusted R^2 ``1 - (1 - R^2)(n - 1)/(n - p - 1)``. Default 0 (plain R^2).
        name: the metric's name. Defaults to ``"r2_score"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0,
                 name="r2_score", dtype=None):
        super().__init__(name, dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(_(
                "class_aggregation: expected one of {expected}, got {value!r}"
            ).format(expected=list(_AGGREGATIONS), value=class_aggregation))
        if (isinstance(num_regressors, bool) or not isinstance(num_regressors, (int, np.integer))
                or num_regressors < 0):
            raise ValueError(_("num_regressors: expected an integer >= 0, got {value!r}")
                             .format(value=num_regressors))
        self.class_aggregation = class_aggregation
        self.num_regressors = int(num_regressors)
        self.reset_state()

    def reset_state(self):
        self.sum = self.squared_sum = self.total_mse = self.count = None  # shaped at update
        self.num_samples = 0

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = same_rank(np.asarray(y_true, dtype=self.dtype),
                                   np.asarray(y_pred, dtype=self.dtype))
        if y_true.ndim != 2 or y_pred.ndim != 2:
            raise ValueError(_(
                "y_true, y_pred: R2Score expects 2D inputs of shape (batch_size, "
                "output_dim), got shapes {true} and {pred}"
            ).format(true=y_true.shape, pred=y_pred.shape))
        sw = np.ones(()) if sample_weight is None else np.asarray(sample_weight, np.float64)
        if sw.ndim == 1:
            sw = sw[:, None]     # one weight per sample, the same for every column
        try:
            sw = np.broadcast_to(sw, y_true.shape)
        except ValueError:
            raise ValueError(_(
                "sample_weight: expected one weight per sample, shape {expected}, "
                "got shape {shape}").format(expected=y_true.shape[:1],
                                            shape=np.shape(sample_weight))) from None
        y_true, y_pred = y_true.astype(np.float64), y_pred.astype(np.float64)
        if self.sum is None:
            self.sum, self.squared_sum, self.total_mse, self.count = np.zeros(
                (4, y_true.shape[1]))
        self.sum += np.sum(sw * y_true, axis=0)
        self.squared_sum += np.sum(sw * y_true**2, axis=0)
        self.total_mse += np.sum(sw * (y_true - y_pred) ** 2, axis=0)
        self.count += np.sum(sw, axis=0)
        self.num_samples += y_true.size

    def result(self):
        if self.sum is None:
            return 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            total = self.squared_sum - self.sum * (self.sum / self.count)
            scores = 1.0 - self.total_mse / total
        scores = np.where(np.isinf(scores), 0.0, scores)   # constant targets score 0
        if self.class_aggregation == "uniform_average":
            scores = np.mean(scores)
        elif self.class_aggregation == "variance_weighted_average":
            scores = np.sum(total * scores) / np.sum(total)
        return self._value(self._adjusted(scores))

    def _adjusted(self, r2):
        p, n = self.num_regressors, self.num_samples
        if p == 0:
            return r2
        if p >= n - 1:
            warnings.warn(_(
                "R2Score: num_regressors={p} needs more than {p} + 1 samples for the "
                "adjusted R^2, got {n}; giving the plain R^2").format(p=p, n=n), stacklevel=3)
            return r2
        return 1.0 - (1.0 - r2) * (n - 1) / (n - p - 1)

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
