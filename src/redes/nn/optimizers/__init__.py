"""Optimizers of the NumPy engine, named as in ``keras.optimizers``.

``get("adam")`` (or ``"sgd"``, ``"rmsprop"``, ``"adamw"``, ``"adagrad"``, ``"adamax"``,
``"nadam"``, ``"adadelta"``) gives an optimizer with Keras' defaults.
"""

from __future__ import annotations

import difflib

from ...i18n import _
from ..serialization import deserialize as _deserialize
from ..serialization import names as _names
from ..serialization import serialize as _serialize
from . import schedules
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .base import Optimizer
from .nadam import Nadam
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]


def _known() -> list[str]:
    return sorted(name.lower() for name in _names("optimizer"))


def serialize(optimizer) -> dict:
    """``{"class_name": ..., "config": ...}`` for an optimizer, as Keras writes it."""
    if not isinstance(optimizer, Optimizer):
        raise ValueError(_("optimizer: expected an Optimizer object, got {value!r}").format(
            value=optimizer))
    return _serialize(optimizer)


def deserialize(config) -> Optimizer:
    """An optimizer from ``{"class_name": ..., "config": ...}`` (names are case-insensitive)."""
    return get(config)


def get(identifier):
    """An optimizer from a name (``"adam"``), a config dict or an Optimizer object.

    A name gives the optimizer with its default arguments; names are case-insensitive, as
    in Keras (``"Adam"``, ``"adam"``).
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        try:
            cls = _deserialize("optimizer", identifier, "optimizer")
        except ValueError:
            close = difflib.get_close_matches(identifier.lower(), _known(), n=1)
            hint = _(" (did you mean {name!r}?)").format(name=close[0]) if close else ""
            raise ValueError(_(
                "optimizer: unknown optimizer {name!r}{hint}; expected one of "
                "{names} or an Optimizer object"
            ).format(name=identifier, hint=hint,
                     names=", ".join(repr(n) for n in _known()))) from None
        return cls()
    if isinstance(identifier, dict):
        return _deserialize("optimizer", identifier, "optimizer")
    raise ValueError(_(
        "optimizer: expected a name ({names}), a config "
        "dict or an Optimizer object, got {value!r}"
    ).format(names=", ".join(repr(n) for n in _known()), value=identifier))
