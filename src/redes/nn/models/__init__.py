"""Models of the NumPy engine: ``Model`` (the Functional API) and ``Sequential``, with the
Keras 3 training API (``compile``, ``fit``, ``evaluate``, ``predict``)."""

from ..saving import ModelFileError, load_model
from .model import Model
from .sequential import Sequential


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model of the same architecture, with new weights (as ``keras.models.
    clone_model``): made again from its config, its layers initialized anew."""
    from ...i18n import _

    if input_tensors is not None or clone_function is not None:
        raise NotImplementedError(_(
            "clone_model: input_tensors and clone_function are not available in redes.nn; "
            "clone the model, then build a new one from its layers"))
    return type(model).from_config(model.get_config())


__all__ = ["Model", "ModelFileError", "Sequential", "clone_model", "load_model"]
