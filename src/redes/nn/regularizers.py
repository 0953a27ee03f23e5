"""Weight penalties added to the loss, as in ``keras.regularizers``.

A regularizer is called on a weight and returns the penalty (a float); its ``gradient``
returns d(penalty)/d(weight), which the model adds to the weight's gradient::

    Dense(64, activation="relu", kernel_regularizer=L2(0.001))

The total loss a model minimises is then ``loss(y, y_pred) + sum of the penalties``, which
pulls the weights towards 0: L2 ("weight decay") shrinks large weights most, L1 drives many
weights to exactly 0.

Names as in Keras: ``"l1"`` is ``L1(l1=0.01)`` and ``"l2"`` is ``L2(l2=0.01)``. The name
``"l1_l2"`` gives ``L1L2(l1=0.01, l2=0.01)``, as Keras documents for that name, while the class
``L1L2()`` itself defaults to no penalty (``l1=0.0, l2=0.0``), as in Keras.
"""

from __future__ import annotations

import math

import numpy as np

from ..i18n import _
from .serialization import Configurable, lookup, names, register


def _factor(value, argument: str) -> float:
    """A penalty factor: a finite, non-negative number (``None`` means 0)."""
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or value < 0:
        raise ValueError(_("{argument}: expected a non-negative number, got {value!r}").format(
            argument=argument, value=value))
    return float(value)


class Regularizer(Configurable):
    """Base class: ``regularizer(w)`` is the penalty, ``regularizer.gradient(w)`` its
    gradient with respect to ``w`` (same shape and dtype as ``w``)."""

    def __call__(self, w) -> float:
        raise NotImplementedError

    def gradient(self, w) -> np.ndarray:
        raise NotImplementedError


@register("regularizer")
class L1L2(Regularizer):
    """penalty = ``l1 * sum(|w|) + l2 * sum(w^2)``.

    Args:
        l1: the L1 factor. Defaults to ``0.0``.
        l2: the L2 factor. Defaults to ``0.0``.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _factor(l1, "l1")
        self.l2 = _factor(l2, "l2")

    def __call__(self, w):
        w = np.asarray(w)
        return float(self.l1 * np.sum(np.abs(w), dtype=np.float64)
                     + self.l2 * np.sum(np.square(w), dtype=np.float64))

    def gradient(self, w):
        w = np.asarray(w)
        # d/dw = l1 sign(w) + 2 l2 w  (|w| has the subgradient 0 at w = 0)
        return (self.l1 * np.sign(w) + (2 * self.l2) * w).astype(w.dtype, copy=False)

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


@register("regularizer")
class L1(L1L2):
    """penalty = ``l1 * sum(|w|)``: pushes many weights to exactly 0.

    Args:
        l1: the factor. Defaults to ``0.01``.
    """

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def gradient(self, w):
        w = np.asarray(w)
        return (self.l1 * np.sign(w)).astype(w.dtype, copy=False)  # d/dw = l1 sign(w)

    def get_config(self):
        return {"l1": self.l1}


@register("regularizer")
class L2(L1L2):
    """penalty = ``l2 * sum(w^2)`` ("weight decay"): shrinks large weights most.

    Args:
        l2: the factor. Defaults to ``0.01``.
    """

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def gradient(self, w):
        w = np.asarray(w)
        return ((2 * self.l2) * w).astype(w.dtype, copy=False)  # d/dw = 2 l2 w

    def get_config(self):
        return {"l2": self.l2}


def l1_l2(l1=0.01, l2=0.01) -> L1L2:
    """``L1L2`` with both factors defaulting to ``0.01`` (what the name ``"l1_l2"`` gives).

    Args:
        l1: the L1 factor. Defaults to ``0.01``.
        l2: the L2 factor. Defaults to ``0.01``.
    """
    return L1L2(l1=l1, l2=l2)


l1 = L1
l2 = L2


def get(identifier):
    """A regularizer from a name, a config, a class or an object; ``None`` gives ``None``.

    Args:
        identifier: ``"l1"``, ``"l2"``, ``"l1_l2"`` (or the class names), a config
            ``{"class_name": "L2", "config": {"l2": 0.001}}``, a ``Regularizer`` class
            (instantiated with its defaults) or object (returned as is), or ``None``.
    """
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    if isinstance(identifier, str):
        cls = lookup("regularizer", identifier, "regularizer")
        return l1_l2() if identifier.replace("_", "").lower() == "l1l2" else cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(_(
        "regularizer: expected one of {names}, a config or a "
        "Regularizer object (with __call__ and gradient), got {value!r}"
    ).format(names=", ".join(names("regularizer")), value=identifier))


def serialize(regularizer) -> dict | None:
    """``{"class_name": ..., "config": {...}}``, JSON-ready; ``None`` stays ``None``."""
    if regularizer is None:
        return None
    if not isinstance(regularizer, Regularizer):
        raise ValueError(_("regularizer: expected a Regularizer object, got {value!r}").format(
            value=regularizer))
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config):
    """The regularizer a name or config describes (the inverse of ``serialize``)."""
    if isinstance(config, dict):
        if not isinstance(config.get("class_name"), str):
            raise ValueError(_(
                "regularizer: expected a dict with 'class_name' and 'config', got {value!r}"
            ).format(value=config))
        cls = lookup("regularizer", config["class_name"], "regularizer")
        return cls.from_config(dict(config.get("config") or {}))
    return get(config)
