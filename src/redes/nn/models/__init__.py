"""Models of the NumPy engine: ``Model`` (the Functional API) and ``Sequential``, with the
Keras 3 training API (``compile``, ``fit``, ``evaluate``, ``predict``)."""

from ..saving import ModelFileError, load_model
from .model import Model
from .sequential import Sequential

__all__ = ["Model", "ModelFileError", "Sequential", "load_model"]
