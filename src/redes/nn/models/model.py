"""``Model``: a graph of layers that learns, built with Keras' Functional API.

::

    inputs = keras.Input(shape=(64,))
    x = keras.layers.Dense(32, activation="relu")(inputs)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inputs, outputs)

Calling the layers on ``inputs`` records the graph (``redes.nn.graph``); the model runs it
forward on real arrays and walks it backward to get the gradients. A model is also a layer:
it can be called on a symbolic tensor inside another model.

The parts of a ``Model`` that are not its graph and passes live next to this module:
``training`` (compile, fit, evaluate, predict), ``adapters`` (the data those calls take),
``inputs`` (the checks of the input arrays) and ``files`` (its config and its file).
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..graph import Graph, KerasTensor, is_symbolic
from ..layers.base import Layer, unique_name
from ..layers.core import InputLayer, _WithActivation
from ..ops.base import OpLayer
from ..serialization import snake_case
from ..step import TrainingStep
from ..variables import Variable, arrays, eager
from .files import ModelFiles, _repeated
from .inputs import ModelInputs
from .summary import print_summary
from .training import Trainer


class Model(Trainer, ModelInputs, ModelFiles, Layer):
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

    def _training_step(self, helper=None) -> TrainingStep:
        """The plan of this model's training steps: which layers keep their arrays, which
        give logits to the loss, which weights have penalties, and the ``helper`` thread
        (``redes.nn.cores``) or ``None``."""
        regularized = [(i, w, reg) for i, (w, reg) in
                       enumerate(zip(arrays(self.trainable_weights), self.regularizers)) if reg]
        adds_losses = self._graph is None or self._graph.records_ops
        return TrainingStep(self._step_layers(), self._logits_layers(), regularized,
                            adds_losses, helper)

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
