"""Tensors of other libraries given to a redes layer."""

from __future__ import annotations

from ...i18n import _


def refuse_graph_tensors(layer_name: str, inputs):
    """``inputs`` unchanged, unless one is a symbolic TensorFlow tensor: a redes layer called
    inside a ``tf.data`` ``map`` gets those, and cannot compute on them."""
    for x in inputs if isinstance(inputs, (list, tuple)) else (inputs,):
        if type(x).__name__ == "SymbolicTensor" and type(x).__module__.startswith(
                "tensorflow"):
            raise TypeError(_(
                "inputs: layer {name!r} got a symbolic tf.Tensor: it was called inside a "
                "tf.data map. A redes layer computes on arrays: put it in the model (call it "
                "on the model's input), or write the map function with keras.ops or "
                "tf functions").format(name=layer_name))
    return inputs
