"""Models of the NumPy engine: ``Model`` (the Functional API) and ``Sequential``, with the
Keras 3 training API (``compile``, ``fit``, ``evaluate``, ``predict``)."""

from ..archive import ModelFileError
from .model import Model
from .sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """``keras.models.load_model``: the model saved at ``filepath`` (see
    ``redes.nn.saving.load_model``, which builds models and so sits above this package)."""
    from ..saving import load_model as load

    return load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


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
