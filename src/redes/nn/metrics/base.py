"""The base of every metric: ``Metric``, the weighted ``Mean`` and ``MeanMetricWrapper``.

A metric keeps a small state. ``update_state(y_true, y_pred, sample_weight=None)`` adds a
batch, ``result()`` gives the value so far and ``reset_state()`` starts again, once per
epoch. Most metrics are a weighted mean of one value per sample::

    result = sum_i(w_i * v_i) / sum_i(w_i)        (w_i = 1 without sample weights)
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend
from ..backend import unique_name
from ..serialization import register, snake_case
from ..variables import Variable
from .functions import function, same_rank


class Metric:
    """Base class of metrics.

    Args:
        name: the metric's name, used as its key in the training history. Defaults to the
            class name in snake case, made unique as Keras does (``precision``, then
            ``precision_1``...; ``keras.utils.clear_session()`` starts again).
        dtype: float type of the result, for Keras compatibility. Defaults to ``None``
            (``backend.floatx()``). The state is kept in float64.
    """

    def __init__(self, name=None, dtype=None):
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(_("name: expected a non-empty string, got {value!r}").format(
                value=name))
        self.name = name or unique_name(snake_case(type(self).__name__))
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

    def _value(self, value):
        """A result as Keras gives it: a float, or an array of ``dtype`` when the metric
        gives one value per threshold or per class."""
        value = np.asarray(value)
        return float(value) if value.ndim == 0 else value.astype(self.dtype)

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
            values, sw = same_rank(values, sw)
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
            fn = function(fn)
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


class LossMean(MeanMetricWrapper):
    """The mean of a loss function per sample, ``function``, named ``default_name`` unless
    given another name; its config is Keras' (name and dtype)."""

    function = default_name = None

    def __init__(self, name=None, dtype=None):
        super().__init__(type(self).function, name or self.default_name, dtype)

    def get_config(self):
        return Metric.get_config(self)
