"""``Sequential``: a stack of layers, the simplest graph, a chain.

Each layer reads the output of the one before. Once the shape of the input is known (from
``Input(shape=...)``, ``input_shape=`` on the first layer, or the first batch of data), the
model calls its layers on a symbolic input and trains as every ``Model`` does.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..graph import KerasTensor
from ..layers.base import Layer, unique_name
from ..layers.core import Input, InputLayer
from ..serialization import deserialize, serialize
from .arguments import _numeric
from .model import Model


class Sequential(Model):
    """A linear stack of layers.

    Args:
        layers: a list of layers, optionally starting with ``Input(shape=...)``.
        name: the model's name. Defaults to ``"sequential"`` (numbered when repeated).
        trainable: whether ``fit`` updates its weights. Defaults to ``True``.
    """

    _default_name = "sequential"

    def __init__(self, layers=None, name=None, trainable=True):
        super().__init__(name=name or unique_name(self._default_name), trainable=trainable)
        self._layers: list[Layer] = []
        self._input = None           # the symbolic input, once its shape is known
        self._extend(list(layers or []))

    # ---------------------------------------------------------------- structure
    def add(self, layer) -> None:
        """Append a layer (or, first of all, an ``Input``)."""
        self._extend([layer])

    def _extend(self, layers: list) -> None:
        """Append ``layers``, then call the new ones on the chain's output: each layer is
        called once, so a model of n layers is made in time linear in n."""
        before = len(self._layers)
        for layer in layers:
            if isinstance(layer, KerasTensor) and isinstance(
                    getattr(layer.node, "layer", None), InputLayer):
                layer = layer.node.layer
            if isinstance(layer, InputLayer):
                if self._layers or self._input is not None:
                    raise ValueError(_(
                        "layer: an Input can only be the first element of the model"))
                self._input = layer.output
                continue
            if not isinstance(layer, Layer):
                raise TypeError(_("layer: expected a redes.nn layer, got {kind}").format(
                    kind=type(layer).__name__))
            if any(layer is other for other in self._layers):
                # a layer keeps its input and results for its backward pass: it serves once
                raise ValueError(_(
                    "layer: {name!r} is already in the model; a layer can appear only once "
                    "in a Sequential model (make a new one)").format(name=layer.name))
            if self._input is None and not self._layers and layer._input_shape_arg is not None:
                self._input = Input(shape=layer._input_shape_arg)
            self._layers.append(layer)
        if self._input is not None and len(self._layers) > before:
            self._chain(before if self._graph is not None else 0)

    def pop(self) -> Layer:
        """Remove and return the last layer."""
        if not self._layers:
            raise ValueError(_("layers: the model has no layers to pop"))
        layer = self._layers.pop()
        if self._layers and self._input is not None:
            self._chain(0)
        else:
            self._graph, self.built = None, False
        return layer

    def _chain(self, start: int) -> None:
        """Call the layers from ``start`` on, each on the output of the one before (from the
        symbolic input, or from the output of the chain so far)."""
        x = self._input if start == 0 else self.outputs[0]
        for layer in self._layers[start:]:
            x = layer(x)
        self._set_graph(self._input, x)

    def build(self, input_shape) -> None:
        """Build every layer for inputs of ``input_shape`` (batch dimension first)."""
        if not self._layers:
            raise ValueError(_("layers: the model has no layers; add some with model.add(...)"))
        if self._input is None:
            self._input = Input(shape=tuple(input_shape)[1:])
            self._chain(0)

    def _uses_tape(self) -> bool:
        return False     # a chain of layers, each with its backward

    @property
    def layers(self) -> list:
        """The layers, in order (without the ``Input``, as in Keras)."""
        return list(self._layers)

    def _prepare_x(self, x, argument):
        if not self.built:     # built from the first data it sees
            if np.asarray(x).dtype.kind in "USO" and self._input is None:   # texts
                x = np.asarray(x, dtype=object)
                self._input = Input(shape=x.shape[1:], dtype="string")
                self._chain(0)
            else:
                x = _numeric(x, argument)
            if x.ndim == 0:
                raise ValueError(_("{argument}: expected an array of samples, got a "
                                   "scalar").format(argument=argument))
            self.build(x.shape)
        return super()._prepare_x(x, argument)

    # ------------------------------------------------------------------- config
    def get_config(self) -> dict:
        layers = [serialize(layer) for layer in self._layers]
        if self._input is not None:
            layers.insert(0, serialize(self._input.node.layer))
        return {"name": self.name, "layers": layers}

    @classmethod
    def from_config(cls, config):
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError(_("config: expected a dict with a 'layers' list"))
        model = cls(name=config.get("name"))
        for layer_config in config["layers"]:
            model.add(deserialize("layer", layer_config, "layers"))
        return model
