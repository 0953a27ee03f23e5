"""Finding a loss from what ``compile(loss=...)`` accepts: a name, a config, a class, an
object, or a function (of this package, or one of your own written with ``keras.ops``).
"""

from __future__ import annotations

from ...i18n import _
from ..serialization import custom_object_scope, lookup, register
from ..serialization import deserialize as _deserialize
from .base import Loss
from .functions import FUNCTIONS


@register("loss")
class LossFunctionWrapper(Loss):
    """A loss written as a function ``fn(y_true, y_pred)`` with ``keras.ops``, as Keras
    takes it: the function runs on a tape, whose backward pass gives dL/d(y_pred).

    The function returns one loss per sample (or per value: the values of each sample are
    then averaged, as Keras' reduction does).

    Args:
        fn: the function.
        name: the loss's name. Defaults to the function's name.
        reduction, dtype: as for every ``Loss``.
    """

    def __init__(self, fn, name=None, reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         dtype=dtype)
        self.fn = fn

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred)

    def get_config(self):
        return {"fn": getattr(self.fn, "__name__", None), "name": self.name,
                "reduction": self.reduction, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        name = config.pop("fn", None)
        fn = lookup("loss", name, "loss") if isinstance(name, str) else None
        return cls(fn, **config)


def get(identifier):
    """A loss object from a name (``"mse"``, ``"binary_crossentropy"``...), a config dict,
    a ``Loss`` class or object, or one of this module's functions. ``None`` gives ``None``.
    """
    if identifier is None or isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    for fn, cls in FUNCTIONS.items():
        if identifier is fn:
            return cls()
    if isinstance(identifier, str):
        return _deserialize("loss", identifier, "loss")()
    if isinstance(identifier, dict):
        return _deserialize("loss", identifier, "loss")
    if callable(identifier):
        return LossFunctionWrapper(identifier)
    raise ValueError(_(
        "loss: expected a loss name such as 'categorical_crossentropy' or a Loss object, "
        "got {value!r}"
    ).format(value=identifier))


def serialize(loss) -> dict:
    """``{"class_name": ..., "config": ...}`` of a loss object."""
    return {"class_name": type(loss).__name__, "config": loss.get_config()}


def deserialize(config, custom_objects=None):
    """A loss object from a config of ``serialize`` (or a name), as
    ``keras.losses.deserialize``; ``custom_objects`` names losses of your own."""
    with custom_object_scope(custom_objects):
        return get(config)
