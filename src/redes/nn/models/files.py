"""A model written down: its config (the graph as JSON) and the model file.

``get_config`` writes a functional model as every layer's config and every call of a layer
with the outputs it read; ``from_config`` calls the layers again in that order, which makes
the same graph. ``save`` writes that config with the weights, the compile settings and the
optimizer's state to one file (``redes.nn.saving`` describes it and reads it back).
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import archive
from ..graph import KerasTensor
from ..layers.core import InputLayer
from ..serialization import custom_object_scope, deserialize, serialize
from .heads import compile_config


class ModelFiles:
    """``get_config``, ``from_config``, ``save``, ``save_weights`` and ``load_weights`` of
    ``Model``."""

    def get_config(self) -> dict:
        """The graph as JSON: every layer's config, and each call of a layer with the
        outputs it read (``[layer name, call index, output index]``)."""
        if self._graph is None:
            raise NotImplementedError(_(
                "model: {kind} is a subclassed model without get_config; define "
                "get_config(self) returning the arguments of its __init__ (and decorate the "
                "class with @keras.saving.register_keras_serializable()) to save it whole, or "
                "save its weights with model.save_weights(...)").format(
                    kind=type(self).__name__))
        calls = self._graph.call_index
        layers, nodes = [], []

        def ref(tensor):
            if id(tensor.node) not in calls:
                raise ValueError(_(
                    "model: its inputs must be keras.Input tensors to save it whole"))
            return [tensor.node.layer.name, calls[id(tensor.node)], tensor.index]

        for node in self._graph.nodes:
            layer = node.layer
            if calls[id(node)] == 0:
                layers.append({**serialize(layer), "name": layer.name})
            if node.inputs:
                several = isinstance(node.args, (list, tuple))
                nodes.append({"layer": layer.name, "several": several,
                              "args": [ref(t) for t in node.inputs] if several
                              else ref(node.args)})
        twice = _repeated([c["name"] for c in layers])
        if twice:
            raise ValueError(_(
                "model: two layers share the name {name!r}; give them different names to "
                "save the model").format(name=twice))
        return {"name": self.name, "trainable": self.trainable, "layers": layers,
                "nodes": nodes, "inputs": [ref(t) for t in self.inputs],
                "outputs": [ref(t) for t in self.outputs],
                "single_output": self._single_output}

    @classmethod
    def from_config(cls, config, custom_objects=None, layers=None):
        """The model that ``get_config`` described; ``custom_objects`` names the classes of
        your own it uses (``layers``: already made from its ``"layers"`` entries)."""
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError(_("config: expected a dict with a 'layers' list"))
        if layers is None:
            with custom_object_scope(custom_objects):
                layers = [deserialize("layer", c, "layers") for c in config["layers"]]
        for layer, entry in zip(layers, config["layers"]):
            if isinstance(entry.get("name"), str):
                layer.name = entry["name"]    # a config of the user's may leave it out
        by_name = {layer.name: layer for layer in layers}
        made: dict[tuple, KerasTensor] = {}
        calls: dict[str, int] = {}
        for layer in layers:
            if isinstance(layer, InputLayer):
                made[(layer.name, 0, 0)] = layer.output
                calls[layer.name] = 1

        def tensor(ref):
            try:
                return made[tuple(ref)]
            except (KeyError, TypeError):
                raise ValueError(_("config: unknown tensor {ref!r}").format(ref=ref)) from None

        for node in config.get("nodes", []):
            layer = by_name.get(node.get("layer"))
            if layer is None:
                raise ValueError(_("config: unknown layer {name!r}").format(
                    name=node.get("layer")))
            args = node.get("args")
            out = layer([tensor(r) for r in args] if node.get("several") else tensor(args))
            k = calls.get(layer.name, 0)
            calls[layer.name] = k + 1
            for i, t in enumerate(out if isinstance(out, list) else [out]):
                made[(layer.name, k, i)] = t
        inputs = [tensor(r) for r in config.get("inputs", [])]
        outputs = [tensor(r) for r in config.get("outputs", [])]
        return cls(inputs, outputs[0] if config.get("single_output") else outputs,
                   name=config.get("name"), trainable=config.get("trainable", True))

    def save(self, filepath, include_optimizer=True) -> None:
        """Save architecture, weights, compile settings and optimizer state to one file.

        The file is a zip archive holding ``model.json`` and ``.npy`` arrays (no pickle). It
        is written to a temporary file first and then renamed, so an interrupted save never
        leaves a broken file in place of a good one.

        Raises:
            ValueError: the model is not built, or its weights hold NaN or inf.
            redes.runs.DiskFullError: (an ``OSError``) the disk is full; the file at
                ``filepath`` keeps its previous version.
        """
        if not self.built:
            raise ValueError(_("model: build or fit the model before saving it"))
        config = self.get_config()     # first: a model that cannot be described is not saved
        weights = self.get_weights()
        for label, w in zip(self._weight_labels(), weights):
            if not np.all(np.isfinite(w)):
                layer, weight = label.rsplit("/", 1)
                raise ValueError(_(
                    "model: weight {layer}/{weight} holds NaN or inf values (training "
                    "diverged, try a smaller learning rate); nothing was saved"
                ).format(layer=layer, weight=weight))
        state = []
        if include_optimizer and self.optimizer is not None and self.optimizer.built:
            state = self.optimizer.get_state()
        meta = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "model": {"class_name": type(self).__name__, "config": config,
                      "build_shapes": self._build_shapes()},
            "compile": compile_config(self),
            "weights": len(weights),
            "optimizer_state": len(state),
        }
        arrays = {f"weights/{i:04d}.npy": w for i, w in enumerate(weights)}
        arrays.update({f"optimizer/{i:04d}.npy": np.asarray(s) for i, s in enumerate(state)})
        archive.write_archive(filepath, meta, arrays)

    def _build_shapes(self):
        """The input shapes a subclassed model was built for (``None`` for the others)."""
        if self._graph is not None or not self.built:
            return None
        return self._input_shapes

    def save_weights(self, filepath) -> None:
        """Save only the weights (zip of .npy arrays), atomically."""
        weights = self.get_weights()
        meta = {"format": archive.FORMAT, "format_version": archive.FORMAT_VERSION,
                "weights": len(weights)}
        archive.write_archive(filepath, meta, {f"weights/{i:04d}.npy": w
                                              for i, w in enumerate(weights)})

    def load_weights(self, filepath) -> None:
        """Load weights saved by ``save_weights`` or ``save`` into this (built) model."""
        meta, arrays = archive.read_archive(filepath)
        self.set_weights(archive.ordered(arrays, "weights", meta.get("weights"), filepath))


def _repeated(names) -> str | None:
    """The first name (in sorted order) that ``names`` holds twice, or ``None``."""
    twice = sorted({n for n in names if names.count(n) > 1})
    return twice[0] if twice else None
