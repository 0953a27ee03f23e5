"""Optimizers of the NumPy engine, named as in ``keras.optimizers``."""

from ..serialization import deserialize, names
from . import schedules
from .base import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Optimizer", "get", "schedules"]


def get(identifier):
    """An optimizer from a name (``"adam"``), a config dict or an Optimizer object."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return deserialize("optimizer", identifier, "optimizer")()
    if isinstance(identifier, dict):
        return deserialize("optimizer", identifier, "optimizer")
    raise ValueError(
        f"optimizer: expected one of {', '.join(names('optimizer'))} or an Optimizer object, "
        f"got {identifier!r}"
    )
