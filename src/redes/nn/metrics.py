"""Metrics: running averages of a score over the batches of an epoch, as in ``keras.metrics``.

A metric keeps a small state. ``update_state(y_true, y_pred, sample_weight=None)`` adds a
batch, ``result()`` gives the value so far (a float) and ``reset_state()`` starts again,
once per epoch. Most metrics are a weighted mean of one value per sample::

    result = sum_i(w_i * v_i) / sum_i(w_i)        (w_i = 1 without sample weights)

Predictions are probabilities (or plain values for regression), never logits.
``get("accuracy", loss=..., output_shape=...)`` picks binary, categorical or sparse
categorical accuracy the way Keras does, and names the metric as it was asked for (the
history key of ``metrics=["acc"]`` is ``"acc"``).
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from . import backend, losses
from .losses import align_ranks
from .serialization import deserialize, names, register, snake_case
from .variables import Variable


class Metric:
    """Base class of metrics.

    Args:
        name: the metric's name, used as its key in the training history. Defaults to the
            class name in snake case.
        dtype: float type of the result, for Keras compatibility. Defaults to ``None``
            (``backend.floatx()``). The state is kept in float64.
    """

    def __init__(self, name=None, dtype=None):
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(_("name: expected a non-empty string, got {value!r}").format(
                value=name))
        self.name = name or snake_case(type(self).__name__)
        self.dtype = backend.standardize_dtype(dtype).name

    def add_variable(self, shape=(), initializer="zeros", dtype=None, name=None, **kwargs):
        """A state variable of the metric (Keras 3), set back to its initial values by
        ``reset_state``."""
        variable = Variable(initializer, shape=shape, dtype=dtype, name=name)
        self.__dict__.setdefault("_state", []).append((variable, variable.numpy()))
        return variable

    add_weight = add_variable    # the name older Keras code uses

    @property
    def variables(self) -> list:
        return [variable for variable, _initial in self.__dict__.get("_state", [])]

    def update_state(self, *args, **kwargs) -> None:
        raise NotImplementedError

    def result(self) -> float:
        raise NotImplementedError

    def reset_state(self) -> None:
        """Set every state variable back to its initial values."""
        for variable, initial in self.__dict__.get("_state", []):
            variable.assign(initial)

    def __call__(self, *args, **kwargs) -> float:
        """Update the state with one batch and return the result so far."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


@register("metric")
class Mean(Metric):
    """The weighted mean of the values given to ``update_state(values, sample_weight)``.

    Values with more axes than the weights are first averaged over the extra axes, so each
    sample gives one value.

    Args:
        name: the metric's name. Defaults to ``"mean"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name, dtype)
        self.reset_state()

    def reset_state(self):
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values, sample_weight=None):
        values = np.asarray(values, dtype=np.float64)
        if sample_weight is not None:
            sw = np.asarray(sample_weight, dtype=np.float64)
            values, sw = align_ranks(values, sw)
            if values.ndim > sw.ndim:
                values = values.mean(axis=tuple(range(sw.ndim, values.ndim)))
            try:
                sw = np.broadcast_to(sw, values.shape)
            except ValueError:
                raise ValueError(_(
                    "sample_weight: expected one weight per sample, shape {expected}, "
                    "got shape {shape}"
                ).format(expected=values.shape[:1], shape=sw.shape)) from None
            values = values * sw
            if sw.ndim > 1:
                sw = sw.mean(axis=tuple(range(1, sw.ndim)))
        if values.ndim > 1:
            values = values.mean(axis=tuple(range(1, values.ndim)))
        self.total += float(np.sum(values))
        if sample_weight is not None:
            self.count += float(np.sum(sw))
        else:
            self.count += values.shape[0] if values.ndim else 1

    def result(self):
        return self.total / self.count if self.count else 0.0


@register("metric")
class MeanMetricWrapper(Mean):
    """The weighted mean of ``fn(y_true, y_pred, **kwargs)``, a function that gives one
    value per sample (such as ``redes.nn.losses.mean_squared_error``).

    Args:
        fn: the function to average.
        name: the metric's name. Defaults to the function's name.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
        **kwargs: passed on to ``fn``.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        if isinstance(fn, str):
            fn = _function(fn)
        if not callable(fn):
            raise ValueError(_("fn: expected a function of (y_true, y_pred), got {value!r}")
                             .format(value=fn))
        super().__init__(name or getattr(fn, "__name__", None), dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs), sample_weight)

    def get_config(self):
        return {**super().get_config(), "fn": self._fn.__name__, **self._fn_kwargs}


def _function(name):
    """A per-sample function of this module or of ``losses`` by name, for configs."""
    fn = _FUNCTIONS.get(name) or losses.__dict__.get(name)
    if not callable(fn) or isinstance(fn, type):
        raise ValueError(_("fn: unknown metric function {name!r}").format(name=name))
    return fn


# ----------------------------------------------------------------- per-sample functions
def accuracy(y_true, y_pred):
    """1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0."""
    y_pred = np.asarray(y_pred)
    y_true, y_pred = align_ranks(np.asarray(y_true, dtype=y_pred.dtype), y_pred)
    return (y_true == y_pred).astype(backend.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where (y_pred > threshold) equals the 0/1 target, else 0.0."""
    y_true, y_pred = align_ranks(np.asarray(y_true), np.asarray(y_pred))
    return (y_true == (y_pred > threshold)).astype(backend.floatx())


def categorical_accuracy(y_true, y_pred):
    """1.0 where the largest prediction is at the one-hot target's class, else 0.0."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return (np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)).astype(backend.floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the largest prediction is at the integer label, else 0.0."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return (y_true == np.argmax(y_pred, axis=-1)).astype(backend.floatx())


def _in_top_k(labels, y_pred, k):
    # a label is in the top k when fewer than k classes score strictly higher (ties count
    # in); a row holding NaN or inf counts as a miss, as in Keras
    score = np.take_along_axis(y_pred, labels[..., None].astype(np.intp), axis=-1)
    higher = np.sum(y_pred > score, axis=-1)
    finite = np.all(np.isfinite(y_pred), axis=-1)
    return ((higher < k) & finite).astype(backend.floatx())


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot target's class is among the ``k`` largest predictions."""
    return _in_top_k(np.argmax(np.asarray(y_true), axis=-1), np.asarray(y_pred), k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the integer label is among the ``k`` largest predictions."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return _in_top_k(y_true, y_pred, k)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|y_true - y_pred| / |y_true|) over the last axis, each |y_true| at least
    1e-7 (Keras' epsilon) so that a zero target does not divide by zero."""
    y_pred = np.asarray(y_pred)
    y_true, y_pred = align_ranks(np.asarray(y_true, dtype=y_pred.dtype), y_pred)
    error = np.abs(y_true - y_pred) / np.maximum(np.abs(y_true), 1e-7)
    return 100.0 * error.mean(axis=-1)


_FUNCTIONS = {fn.__name__: fn for fn in (
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy,
    mean_absolute_percentage_error)}


def _check_k(k):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(_("k: expected a positive integer, got {value!r}").format(value=k))
    return int(k)


# ------------------------------------------------------------------------ accuracy
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
        self.k = _check_k(k)
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
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        self.k = _check_k(k)
        super().__init__(sparse_top_k_categorical_accuracy, name, dtype, k=self.k)

    def get_config(self):
        return {**Metric.get_config(self), "k": self.k}


# ---------------------------------------------------------------------- regression
@register("metric", "mse")
class MeanSquaredError(MeanMetricWrapper):
    """The mean of (y_true - y_pred)^2.

    Args:
        name: the metric's name. Defaults to ``"mean_squared_error"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name, dtype)

    def get_config(self):
        return Metric.get_config(self)


@register("metric", "mae")
class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of |y_true - y_pred|.

    Args:
        name: the metric's name. Defaults to ``"mean_absolute_error"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name, dtype)

    def get_config(self):
        return Metric.get_config(self)


@register("metric", "mape")
class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean of 100 * |y_true - y_pred| / |y_true|: the error in percent of the target.

    Args:
        name: the metric's name. Defaults to ``"mean_absolute_percentage_error"``.
        dtype: float type of the result. Defaults to ``None`` (``backend.floatx()``).
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name, dtype)

    def get_config(self):
        return Metric.get_config(self)


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
        y_true, y_pred = align_ranks(np.asarray(y_true, dtype=np.float64), y_pred)
        super().update_state(np.square(y_pred - y_true), sample_weight)

    def result(self):
        return float(np.sqrt(super().result()))


# -------------------------------------------------------------------- crossentropy
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


# ------------------------------------------------------------------ lookup, config
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
    A metric asked for by a string takes that string as its name (its history key).

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
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "Mean",
    "MeanAbsoluteError",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "Metric",
    "RootMeanSquaredError",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "get",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]
