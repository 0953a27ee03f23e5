"""``Model``: a graph of layers that learns, built with Keras' Functional API.

::

    inputs = keras.Input(shape=(64,))
    x = keras.layers.Dense(32, activation="relu")(inputs)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inputs, outputs)

Calling the layers on ``inputs`` records the graph (``redes.nn.graph``); the model runs it
forward on real arrays and walks it backward to get the gradients. A model is also a layer:
it can be called on a symbolic tensor inside another model.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import archive, backend
from ..graph import Graph, KerasTensor, is_symbolic
from ..layers.base import Layer, unique_name
from ..layers.core import InputLayer, _WithActivation
from ..ops.base import OpLayer
from ..serialization import custom_object_scope, deserialize, serialize, snake_case
from ..step import TrainingStep
from ..variables import Variable, arrays, eager
from .heads import compile_config
from .summary import print_summary
from .training import Trainer, _numeric


class Model(Trainer, Layer):
    """A model whose layers form a graph from ``inputs`` to ``outputs``.

    Args:
        inputs: a tensor from ``keras.Input(...)``, or a list of them.
        outputs: the tensor (or list of tensors) that calling layers on ``inputs`` gave.
        name: the model's name. Defaults to ``"functional"`` (numbered when repeated).
        trainable: whether ``fit`` updates its weights. Defaults to ``True``.
    """

    _default_name = "functional"

    def __init__(self, inputs=None, outputs=None, name=None, trainable=True, **kwargs):
        self._graph = None
        self._single_output = True
        self._free_outputs: list = []   # a subclassed model's first outputs (their shapes)
        self._tape = None
        default = self._default_name if type(self) is Model else snake_case(type(self).__name__)
        super().__init__(name=name or unique_name(default), trainable=trainable, **kwargs)
        # nobody needs dL/d(the data): only a model used as a layer inside another one
        # returns dL/d(its inputs), when that model sets its input_grad
        self._input_grad = False
        self._init_training()
        if inputs is None and outputs is None:
            return
        if inputs is None or outputs is None:
            raise ValueError(_(
                "inputs, outputs: a functional model needs both, e.g. "
                "keras.Model(inputs, outputs); got inputs={inputs!r}, outputs={outputs!r}"
            ).format(inputs=inputs, outputs=outputs))
        self._set_graph(inputs, outputs)

    def _set_graph(self, inputs, outputs) -> None:
        """Record the graph from ``inputs`` to ``outputs`` (a tensor, a list of them, or for
        the inputs a dict whose keys then name the model's data)."""
        self._input_keys = list(inputs) if isinstance(inputs, dict) else None
        inputs = list(inputs.values()) if isinstance(inputs, dict) else inputs
        self.inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self.outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        self._single_output = len(self.outputs) == 1   # as in Keras, [out] gives one array
        # one input takes one array (or a list of one): inside, its data is that array
        self._single_input = len(self.inputs) == 1
        twice = _repeated([t.name for t in self.inputs if isinstance(t, KerasTensor)])
        if twice:
            raise ValueError(_(
                "inputs: two inputs share the name {name!r}; give each keras.Input a "
                "different name"
            ).format(name=twice))
        self._graph = Graph(self.inputs, self.outputs)
        shapes = [t.shape for t in self.inputs]
        self.input_shape = shapes[0] if self._single_input else shapes
        self.built = True
        self.input_grad = self._input_grad   # which layers need dL/d(their input)

    # ---------------------------------------------------------------- structure
    @property
    def layers(self) -> list:
        """The layers of the graph, each once, in Keras' order (``Input`` layers included,
        the ops of ``keras.ops`` left out, as in Keras)."""
        if self._graph is None:
            return self._all_sublayers()
        return [layer for layer in self._graph.layers if not isinstance(layer, OpLayer)]

    @property
    def output_shape(self):
        if not self.built:
            return None
        shapes = self._output_shapes()
        return shapes[0] if len(shapes) == 1 else shapes

    @output_shape.setter
    def output_shape(self, value):   # Layer.__init__ sets it; a model computes it
        pass

    def _output_names(self) -> list:
        """Each output's name: the name of the layer that makes it (Keras' history keys).
        A model not built yet (a Sequential model without an input shape) has one output."""
        if self._graph is None:
            return [self.layers[-1].name] if self.layers else ["output"]
        return [t.node.layer.name for t in self.outputs]

    def _output_shapes(self) -> list:
        if self._graph is None:   # a subclassed model: from its first outputs
            return [(None, *out.shape[1:]) for out in self._free_outputs]
        return [t.shape for t in self.outputs]

    def _output_dtypes(self) -> list:
        if self._graph is None:
            return [out.dtype for out in self._free_outputs]
        return [np.dtype(t.dtype) for t in self.outputs]

    def compute_output_shape(self, input_shape):
        return self.output_shape

    @property
    def input(self):
        """The model's input tensor (a list of them for several inputs), as in Keras."""
        if self._graph is None:
            return super().input
        return self.inputs[0] if len(self.inputs) == 1 else list(self.inputs)

    @property
    def output(self):
        """The model's output tensor (a list of them for several outputs), as in Keras."""
        if self._graph is None:
            return super().output
        return self.outputs[0] if self._single_output else list(self.outputs)

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or the one at position ``index`` of ``layers``."""
        layers = self.layers
        if index is not None:
            if not isinstance(index, int) or not -len(layers) <= index < len(layers):
                raise ValueError(_(
                    "index: expected an integer from 0 to {last}, got {value!r}"
                ).format(last=len(layers) - 1, value=index))
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(_("name: no layer named {name!r}; the layers are {names}").format(
            name=name, names=[layer.name for layer in layers]))

    def graph(self, x=None):
        """The graph this model runs, to read: ``print(model.graph())`` lists its nodes in
        the order of the forward pass and the order in which backpropagation visits them.
        A subclassed model records its graph as ``call`` runs: give it a batch ``x``."""
        if self._graph is not None:
            return self._graph
        if x is None:
            raise ValueError(_(
                "x: a subclassed model records its graph as call runs on data; give it a "
                "batch, e.g. model.graph(x[:2])"))
        return self._forward_with_tape(self._prepare_x(x, "x"), False)[1].recorded()

    @property
    def input_grad(self) -> bool:
        return self._input_grad

    @input_grad.setter
    def input_grad(self, needed: bool) -> None:
        """Whether the model's backward must return dL/d(its inputs): only as a layer inside
        another model. A layer fed only by the model's inputs needs dL/d(its input) only then
        (nobody needs the gradient of the data itself)."""
        self._input_grad = bool(needed)
        if self._graph is None:
            return
        given = {id(t) for t in self.inputs}
        fed_inside = {id(node.layer) for node in self._graph.nodes
                      if any(id(t) not in given for t in node.inputs)}
        for layer in self._graph.layers:
            if not isinstance(layer, InputLayer):
                layer.input_grad = self._input_grad or id(layer) in fed_inside

    # ------------------------------------------------------------------ weights
    def _weight_layers(self) -> list:
        return [layer for layer in self.layers if not isinstance(layer, InputLayer)]

    def _collect(self, what: str) -> list:
        """``what`` (a list such as ``weights``) of the model's own weights, then of each
        of its layers, in Keras' order."""
        own = getattr(Layer, what).fget(self) if self._graph is None else []
        return own + [w for layer in self._weight_layers() for w in getattr(layer, what)]

    def _from_sublayers(self, what: str) -> list:
        return []    # a model lists its layers' weights itself (_collect)

    @property
    def weights(self) -> list[Variable]:
        return self._collect("weights")

    @property
    def trainable_weights(self) -> list[Variable]:
        return self._collect("trainable_weights") if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Variable]:
        return self.weights if not self.trainable else self._collect("non_trainable_weights")

    @property
    def regularizers(self) -> list:
        return self._collect("regularizers") if self.trainable else []

    @property
    def constraints(self) -> list:
        return self._collect("constraints") if self.trainable else []

    @property
    def grads(self) -> list:
        """dL/d(each trainable weight) of the last backward pass, in ``trainable_weights``'
        order (zeros for a layer the gradient did not reach)."""
        if self._graph is None:
            return self._tape.grads_for(arrays(self.trainable_weights))
        reached = self._graph.reached
        grads = []
        for layer in self._weight_layers():
            if not layer.trainable:
                continue
            if isinstance(layer, Model) or id(layer) in reached:
                grads += layer.grads
            else:
                grads += [np.zeros_like(w) for w in arrays(layer.trainable_weights)]
        return grads

    @grads.setter
    def grads(self, value):   # Layer.__init__ sets it; a model collects its layers'
        pass

    def _added_losses(self) -> list:
        if self._graph is None:
            return super()._added_losses()
        return [loss for layer in self._weight_layers() for loss in layer._added_losses()]

    def count_params(self) -> int:
        return int(sum(w.size for w in self.weights))

    def _weight_labels(self) -> list[str]:
        own = [f"{self.name}/{n}" for n in self._weight_names] if self._graph is None else []
        return own + [label for layer in self._weight_layers()
                      for label in layer._weight_labels()]


    # ---------------------------------------------------------- forward, backward
    def __call__(self, inputs, training=None, mask=None):
        if is_symbolic(inputs):
            return super().__call__(inputs, training=training, mask=mask)
        return eager(self._forward(self._prepare_x(inputs, "x"), training))  # None as Keras

    def call(self, inputs, training=False):
        """The forward pass of the graph on arrays (a subclassed model writes its own)."""
        return self._forward(inputs, training)

    def _uses_tape(self) -> bool:
        return self._graph is None    # a subclassed model: its call is recorded

    def forward(self, x, training, mask=None):
        if self._graph is None:
            return super().forward(x, training, mask)
        return self._forward(x, training)

    def _forward(self, x, training):
        outs = self._outputs(x, training)
        return outs[0] if self._single_output else outs

    def _outputs(self, x, training) -> list:
        """The forward pass: the list of output arrays for input ``x``. A subclassed model
        runs its ``call`` on a tape, which its backward pass walks."""
        if self._graph is None:
            out, self._tape = self._forward_with_tape(x, training)
            self._single_output = not isinstance(out, list)
            return [out] if self._single_output else out
        return self._graph.forward([x] if self._single_input else x, training)

    def backward(self, grad, from_logits=False):
        """dL/d(inputs) from dL/d(outputs), as a layer inside another model."""
        if self._graph is None:
            return super().backward(grad)
        grads = self._graph.backward([grad] if self._single_output else grad)
        return grads[0] if self._single_input else grads

    def _logits_layers(self) -> list:
        """For each output, the layer whose logits its loss reads, when the loss is a
        crossentropy of that layer's softmax or sigmoid (exact where a saturated activation
        gives log(0), and with the simple gradient p - y); else ``None``."""
        if self._graph is None:
            return [None] * len(self._heads)
        found = []
        for head, tensor in zip(self._heads, self.outputs):
            last = tensor.node.layer
            fused = (head.loss is not None and isinstance(last, _WithActivation)
                     and id(last) not in self._graph.shared
                     and sum(t.node.layer is last for t in self.outputs) == 1
                     and head.loss.fuses_with(last.activation))
            found.append(last if fused else None)
        return found

    def _loss(self, ys, outs, sample_weight, need_grad, logits_layers=None):
        """The training loss (the weighted sum of the outputs' losses) and dL/d(each
        output), or dL/d(logits) for an output whose loss is fused with its activation."""
        if logits_layers is None:
            logits_layers = self._logits_layers()
        total, grads = 0.0, []
        for head, y, out, last in zip(self._heads, ys, outs, logits_layers):
            if head.loss is None or y is None:
                grads.append(None)
                continue
            if last is not None:
                loss, grad = head.loss.loss_and_grad(y, last.z, sample_weight, logits=True,
                                                     need_grad=need_grad)
            else:
                loss, grad = head.loss.loss_and_grad(y, out, sample_weight,
                                                     need_grad=need_grad)
            head.last_loss = loss
            total += head.weight * loss
            if grad is not None and head.weight != 1:
                grad = grad * grad.dtype.type(head.weight)   # d(w L)/d(out) = w dL/d(out)
            grads.append(grad)
        return total, grads

    def compute_loss_and_grads(self, x, y, sample_weight=None, training=True):
        """One forward and backward pass: (loss, gradients of ``trainable_weights``).

        The loss is the batch-averaged data loss plus the regularization penalties, and the
        gradients include the penalties' gradients, as in Keras. The gradients are new
        arrays, the caller's to keep.
        """
        self._check_compiled("compute_loss_and_grads")
        loss, grads = self._loss_and_grads(x, self._as_list(y), sample_weight, training)
        return loss, [g.copy() for g in grads]

    def _training_step(self) -> TrainingStep:
        """The plan of this model's training steps: which layers keep their arrays, which
        give logits to the loss, which weights have penalties."""
        regularized = [(i, w, reg) for i, (w, reg) in
                       enumerate(zip(arrays(self.trainable_weights), self.regularizers)) if reg]
        adds_losses = self._graph is None or self._graph.records_ops
        return TrainingStep(self._step_layers(), self._logits_layers(), regularized,
                            adds_losses)

    def _loss_and_grads(self, x, ys, sample_weight, training=True, plan=None):
        """``compute_loss_and_grads`` whose gradients are the layers' own arrays, which
        some layers reuse in their next backward pass (``fit`` steps with them at once,
        every step with the one ``plan`` it made)."""
        step = plan or self._training_step()
        logits_layers = step.logits_layers
        with step:
            outs = self._outputs(x, training)                                   # forward
            loss, out_grads = self._loss(ys, outs, sample_weight, True, logits_layers)  # loss
            added = self._added_losses() if step.adds_losses else []    # from add_loss
            if not added and all(g is None for g in out_grads):
                raise ValueError(_(
                    "loss: the model has no loss to train on: compile it with a loss, or add "
                    "one with add_loss in a layer's call"))
            loss += sum(added)
            self._backward(out_grads, logits_layers)                           # backward
        if self.metrics:   # the metrics see the probabilities
            outs = [out if last is None else last.activation(out)
                    for out, last in zip(outs, logits_layers)]
        self._last_output = outs
        grads = self.grads
        for i, w, reg in step.regularized:
            loss += reg(w)
            grads[i] += reg.gradient(w)     # d(penalty)/dw joins d(loss)/dw
        return loss, grads

    def _backward(self, out_grads, logits_layers) -> None:
        if self._graph is None:
            self._tape.backward(out_grads[0] if self._single_output else out_grads)
            return
        self._graph.backward(out_grads, logits_nodes={
            id(t.node) for t, last in zip(self.outputs, logits_layers) if last is not None})

    def _step_layers(self) -> list:
        """The layers that may keep their results in arrays of their own during a training
        step: every leaf layer called once (a shared layer needs each call's results)."""
        return [] if self._graph is None else self._graph.called_once

    # ----------------------------------------------------------------- checking
    def _prepare_x(self, x, argument):
        """The input arrays, checked against the model's inputs: one array, or a list with
        one array per input (a dict keyed by input name is accepted too)."""
        if self._graph is None:
            return self._prepare_free(x, argument)
        if isinstance(x, dict):
            names = self._input_keys or [t.name for t in self.inputs]
            missing = [n for n in names if n not in x]
            if missing:
                raise ValueError(_(
                    "{argument}: no array for the input(s) {missing}; the model's inputs are "
                    "{names}").format(argument=argument, missing=missing, names=names))
            x = [x[n] for n in names]
        if self._single_input:
            if isinstance(x, (list, tuple)) and len(x) == 1 and hasattr(x[0], "shape"):
                x = x[0]     # [array] for a model of one input (a list of one sample stays)
            return self._prepare_one(x, self.inputs[0], argument)
        if not isinstance(x, (list, tuple)) or len(x) != len(self.inputs):
            raise ValueError(_(
                "{argument}: the model has {count} inputs ({names}): expected a list of "
                "{count} arrays, got {value}"
            ).format(argument=argument, count=len(self.inputs),
                     names=[t.name for t in self.inputs], value=_describe(x)))
        arrays = [self._prepare_one(a, t, f"{argument}[{i}]")
                  for i, (a, t) in enumerate(zip(x, self.inputs))]
        counts = {len(a) for a in arrays}
        if len(counts) > 1:
            raise ValueError(_(
                "{argument}: the input arrays hold different numbers of samples: {counts}"
            ).format(argument=argument, counts=[len(a) for a in arrays]))
        return arrays

    def _prepare_free(self, x, argument):
        """The inputs of a subclassed model, which declares none: arrays of numbers (floats
        as ``floatx``). The first data builds the model: ``call`` runs once on two samples
        to learn the outputs' shapes."""
        if isinstance(x, dict):
            x = {k: self._prepare_free(v, f"{argument}[{k!r}]") for k, v in x.items()}
        elif isinstance(x, (list, tuple)):
            x = [self._prepare_free(v, f"{argument}[{i}]") for i, v in enumerate(x)]
        else:
            x = _numeric(x, argument)
            if x.dtype.kind == "f":
                x = x.astype(backend.floatx(), copy=False)
        if not self.built and not argument.endswith("]"):
            sample = (x[:2] if not isinstance(x, (list, dict)) else
                      [a[:2] for a in x] if isinstance(x, list) else
                      {k: a[:2] for k, a in x.items()})
            self._free_outputs = self._outputs(sample, False)
            self._input_shapes = _shapes_without_batch(sample)
            self.built = True
        return x

    def _prepare_one(self, x, tensor, argument):   # an Input of strings takes texts as they are
        x = _numeric(x, argument) if tensor.dtype != "object" else np.asarray(x, dtype=object)
        if x.ndim == 0:
            raise ValueError(_("{argument}: expected an array of samples, got a scalar").format(
                argument=argument))
        if x.ndim == len(tensor.shape) - 1 and tensor.shape[-1] == 1:
            x = x[..., None]        # as Keras: samples of shape (n,) feed an Input of shape (1,)
        dtype = np.dtype(tensor.dtype)
        if dtype.kind == "f" or x.dtype.kind != "f":
            x = x.astype(dtype, copy=False)
        for node in self._graph.nodes:      # the first layers' own checks name the problem
            if len(node.inputs) == 1 and node.inputs[0] is tensor:
                node.layer.check_input(x)
        expected = tensor.shape
        if x.ndim != len(expected) or any(
                e is not None and e != d for e, d in zip(expected[1:], x.shape[1:])):
            want = ", ".join("None" if d is None else str(d) for d in expected)
            raise ValueError(_(
                "{argument}: the input {name!r} expects arrays of shape ({want}), got an "
                "array of shape {shape}"
            ).format(argument=argument, name=tensor.name, want=want, shape=tuple(x.shape)))
        return x

    # ------------------------------------------------------------------ summary
    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None) -> None:
        """Print the layers, their output shapes, parameter counts and connections, as Keras.

        Args:
            line_length: the width of the table. Defaults to 84 (98 with connections).
            positions: the right edge of each column, as fractions of ``line_length`` or
                as character counts. Defaults to Keras' proportions.
            print_fn: called with each line. Defaults to ``print``.
            expand_nested: list the layers of nested models too. Defaults to ``False``.
            show_trainable: add a column saying whether each layer trains. Defaults to
                ``False``.
            layer_range: two layer names: print the rows from the first to the second.
        """
        print_summary(self, line_length, positions, print_fn, expand_nested, show_trainable,
                      layer_range)

    def _summary_layers(self) -> list:
        return self.layers

    # ------------------------------------------------------------------- config
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

    # ------------------------------------------------------------------- saving
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


def _shapes_without_batch(x):
    if isinstance(x, dict):
        return {k: _shapes_without_batch(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_shapes_without_batch(v) for v in x]
    return [None, *x.shape[1:]]


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape}").format(shape=value.shape)
    return type(value).__name__


