"""``Lambda``: a layer made of a function written with ``keras.ops``."""

from __future__ import annotations

from ...i18n import _
from ..serialization import register
from .base import Layer


@register("layer")
class Lambda(Layer):
    """Wraps ``function(inputs, **arguments)`` as a layer. Its gradient comes from the ops
    the function runs (``keras.ops`` and Python's operators, not NumPy's functions).

    Args:
        function: the function of the inputs.
        output_shape: accepted for Keras' signature; the shape comes from running it.
        mask: accepted for Keras' signature. Defaults to ``None``.
        arguments: extra keyword arguments for the function. Defaults to ``None``.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        if not callable(function):
            raise ValueError(_("function: expected a function, got {value!r}").format(
                value=function))
        super().__init__(**kwargs)
        self.function = function
        self.arguments = dict(arguments or {})

    def call(self, inputs):
        return self.function(inputs, **self.arguments)

    def get_config(self):
        raise NotImplementedError(_(
            "Lambda {name!r}: a function cannot be saved as data; write it as a layer "
            "(a subclass of keras.layers.Layer with get_config), or save the weights with "
            "model.save_weights(...)").format(name=self.name))
