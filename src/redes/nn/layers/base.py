"""The base class of every layer of the NumPy engine.

A layer is built from its input shape (that is when its weights are made), runs forward with
``call(x, training)`` and backward with ``backward(grad)``: given dL/d(output) it stores
dL/d(weight) for each trainable weight in ``self.grads`` (same order as
``trainable_weights``) and returns dL/d(input). What the backward pass needs from the forward
pass (the input, the pre-activation, a dropout mask) is kept on the layer between the two.

The first layer of a model does not need dL/d(input); the model sets ``input_grad = False``
on it and its ``backward`` may then skip that product and return ``None``.

During one training step of a model (forward, loss and backward) nothing outside the step
holds on to the layers' results, so a layer the step allows (``redes.nn.step``) may write its
large ones into arrays that it keeps from one step to the next (``kept``), as a hand-written
training loop does: a new NumPy array of some hundreds of KiB may come fresh from the
operating system, whose memory pages are then set up anew at every step.

A layer written with ``keras.ops`` (a subclass with ``build`` and ``call``, no ``backward``)
gets its backward pass from a tape of the ops its ``call`` ran (``redes.nn.graph.Tape``).

A layer's weights (``add_weight``, ``weights``, ``get_weights``, ``set_weights``...) are the
part of the class that ``LayerWeights`` gives it, in ``weights.py``.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from ...i18n import _
from .. import backend
from ..backend import unique_name
from ..graph import (
    KerasTensor,
    Node,
    Tape,
    call_takes_mask,
    is_symbolic,
    recording_tape,
    shapes_of,
    snapshot,
)
from ..serialization import register, snake_case
from ..step import current as current_step
from ..variables import Variable, arrays, eager
from .foreign import refuse_graph_tensors
from .shapes import as_shape, check_shape, no_batch, specs_by_probing
from .weights import LayerWeights


@functools.cache
def writes_own_backward(cls) -> bool:
    """Whether the layer class has a hand-written ``backward`` (every built-in layer does); a
    layer written with ``keras.ops`` gets its backward from the ops instead."""
    return cls.backward is not Layer.backward


@functools.cache
def _call_takes(cls, argument) -> bool:
    parameters = inspect.signature(cls.call).parameters
    return argument in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


class Layer(LayerWeights):
    """Base class of layers.

    Args:
        name: the layer's name; by default the class name in snake case, numbered
            (``dense``, ``dense_1``...).
        trainable: whether the optimizer updates its weights. Defaults to ``True``.
        dtype: float type of weights and outputs. Defaults to ``backend.floatx()``
            (``"float32"``).
        input_shape: shape of one sample (no batch dimension), accepted on the first layer
            of a ``Sequential`` model as in Keras.
    """

    supports_masking = False   # whether the layer passes a padding mask on to the next one
    _positional = 1            # how many tensors its call takes as positional arguments
    _input_keys = None         # the keys, when its call takes a dict of tensors

    def __init__(self, *, name=None, trainable=True, dtype=None, input_shape=None, **kwargs):
        if kwargs:
            bad = ", ".join(sorted(kwargs))
            raise TypeError(_("{layer}: unknown argument(s) {names}").format(
                layer=type(self).__name__, names=bad))
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(_("name: expected a non-empty string, got {value!r}").format(
                value=name))
        self.name = name or unique_name(snake_case(type(self).__name__))
        self.trainable = bool(trainable)
        self.dtype = backend.standardize_dtype(dtype)
        self._input_shape_arg = (
            None if input_shape is None else as_shape(input_shape, "input_shape"))
        self.built = False
        self.input_grad = True
        self.input_shape: tuple | None = None
        self.output_shape: tuple | None = None
        self._variables: list[Variable] = []    # the weights; each holds an array
        self._weight_names: list[str] = []
        self._weight_trainable: list[bool] = []
        self._weight_regularizers: list = []
        self._weight_constraints: list = []
        self._losses: list = []          # what add_loss was given during the last call
        self.grads: list[np.ndarray] = []
        self._kept: dict[str, np.ndarray] = {}
        self._inbound_nodes: list = []   # every call on symbolic tensors, first one first

    # --------------------------------------------------------------- sublayers
    def _all_sublayers(self) -> list:
        """The sublayers kept in attributes (a layer, or a list of layers), each once, in
        the order the attributes were set: as in Keras, a layer written with ops owns the
        weights of the layers it keeps."""
        seen, out = {id(self)}, []
        for value in vars(self).values():
            items = value if isinstance(value, (list, tuple)) else (value,)
            if items and all(isinstance(v, Layer) for v in items):
                for layer in items:
                    if id(layer) not in seen:
                        seen.add(id(layer))
                        out.append(layer)
        return out

    def _uses_tape(self) -> bool:
        """Whether this layer gets its backward from the ops its ``call`` runs (a layer
        written with ``keras.ops``), rather than from a hand-written ``backward``."""
        return not writes_own_backward(type(self))

    # --------------------------------------------------------------- building
    def build(self, input_shape: tuple) -> None:
        """Make the weights for inputs of ``input_shape`` (batch dimension first)."""

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def compute_mask(self, inputs, mask=None):
        """The padding mask of this layer's output (by default, the input's mask)."""
        return mask

    def build_for(self, input_shape):
        """Build once for ``input_shape`` (batch first; a list of shapes for a layer with
        several inputs) and return the output shape."""
        input_shape = no_batch(input_shape)
        if not self.built:
            self.build(input_shape)
            self.input_shape = input_shape
            self.output_shape = no_batch(self.compute_output_shape(input_shape))
            self.built = True
        return self.output_shape

    @property
    def in_training_step(self) -> bool:
        """Whether a training step under way lets this layer keep its results (``kept``)
        and work in place (``redes.nn.step``)."""
        step = current_step()
        return step is not None and id(self) in step.keepers

    @property
    def step_helper(self):
        """The training step under way, if it lets this layer keep its results and has a
        helper thread: work handed to it (``step.submit(fn, *args)``) runs on another core
        while the layer goes on (``redes.nn.cores``). ``None`` otherwise."""
        step = current_step()
        if step is None or step.helper is None or id(self) not in step.keepers:
            return None
        return step

    def kept(self, name: str, shape: tuple, dtype) -> np.ndarray | None:
        """During a training step, the array this layer keeps for its result ``name`` (of
        ``shape`` and ``dtype``, contents undefined); otherwise ``None``. Passed as
        ``out=`` to a NumPy function, it makes the function write into the kept array in a
        training step and return a new array otherwise."""
        if not self.in_training_step:
            return None
        array = self._kept.get(name)
        if array is None or array.shape != shape or array.dtype != dtype:
            # one array per result: a batch of another shape (the last, shorter batch of an
            # epoch, sequences of another length) replaces it
            array = self._kept[name] = np.empty(shape, dtype)
        return array

    def kept_or_new(self, name: str, shape: tuple, dtype) -> np.ndarray:
        """``kept(name, shape, dtype)`` during a training step, a new array otherwise
        (contents undefined either way)."""
        array = self.kept(name, shape, dtype)
        return np.empty(shape, dtype) if array is None else array

    def check_input(self, x) -> None:
        """Refuse an input whose sample shape is not the one the layer was built for (``x``:
        an array or a symbolic tensor, or a list of them for a layer with several inputs)."""
        if self.input_shape is not None:
            check_shape(self, self.input_shape, x)

    # --------------------------------------------------------- forward, backward
    def __call__(self, inputs, *args, training=None, mask=None):
        """Run the layer on arrays (building it on first use), or, on symbolic tensors from
        ``keras.Input``, record a node of a graph and return its symbolic output.

        A layer written with ops may take several tensors as positional arguments
        (``endpoint(targets, logits)``); a built-in layer takes one (a list for several).
        """
        if args:
            if not self._uses_tape():
                raise TypeError(_(
                    "inputs: layer {name!r} takes its inputs as one argument (a list for "
                    "several), got {count} positional arguments").format(
                        name=self.name, count=1 + len(args)))
            self._positional = 1 + len(args)    # how this layer's call takes its tensors
            inputs = [inputs, *args]
        if isinstance(inputs, dict) and self._uses_tape():   # call(self, inputs) on a dict:
            self._input_keys, inputs = list(inputs), list(inputs.values())   # see call_recorded
        if recording_tape() and isinstance(inputs, np.ndarray):   # pos_emb(ops.arange(n)) in
            x = self.convert_input(inputs)                         # a call being recorded
            inputs = KerasTensor(x.shape, x.dtype, value=x, tape=recording_tape())
        if is_symbolic(inputs):
            return self._record(inputs, training)
        x = self.convert_input(refuse_graph_tensors(self.name, inputs))   # tf.data's map
        self.build_for(shapes_of(x))
        self.check_input(x)
        if self._uses_tape():
            return eager(self._forward_with_tape(x, bool(training), mask)[0])
        if mask is not None and call_takes_mask(type(self)):
            return eager(self.call(x, training=bool(training), mask=mask))
        return eager(self.call(x, training=bool(training)))

    def convert_input(self, inputs):
        """The arrays a call computes on: ``inputs`` as arrays of the layer's dtype."""
        if isinstance(inputs, (list, tuple)):
            return [np.asarray(x, dtype=self.dtype) for x in inputs]
        return np.asarray(inputs, dtype=self.dtype)

    def forward(self, x, training, mask=None):
        """One call on arrays inside a graph: ``call``, recorded on a tape when the layer
        has no hand-written backward (its backward then walks the tape)."""
        if self._uses_tape():
            out, self._tape = self._forward_with_tape(x, training, mask)
            return out
        if mask is not None and call_takes_mask(type(self)):
            return self.call(x, training=training, mask=mask)
        return self.call(x, training=training)

    def _forward_with_tape(self, x, training, mask=None):
        """``call`` on tensors that carry ``x``, every op it runs recorded: (output arrays,
        the tape). The losses ``call`` adds with ``add_loss`` are recorded too."""
        tape = Tape(training)
        with tape:
            out = self._call_recorded(tape.watch(x), training, mask)
            values = tape.finish(out, self._losses_recorded())
        return values, tape

    def _call_recorded(self, inputs, training, mask=None):
        self._clear_losses()
        kwargs = {"training": training} if _call_takes(type(self), "training") else {}
        if mask is not None and call_takes_mask(type(self)):
            kwargs["mask"] = mask
        if self._positional > 1:
            return self.call(*inputs, **kwargs)
        if self._input_keys is not None:
            return self.call(dict(zip(self._input_keys, inputs)), **kwargs)
        return self.call(inputs, **kwargs)

    def backward(self, grad):
        """dL/d(input) from dL/d(output), for a layer written with ``keras.ops``: walk the ops
        its ``call`` ran, recorded on the tape (each op's derivative is beside its code, in
        ``redes.nn.ops``); dL/d(each weight) goes to ``grads``."""
        dx = self._tape.backward(grad)
        self.grads = self._tape.grads_for(arrays(self.trainable_weights))
        return dx

    # ------------------------------------------------------------------- losses
    def add_loss(self, loss) -> None:
        """Add a term to the training loss (a scalar made with ``keras.ops`` in ``call``);
        its gradient reaches the weights it was computed from."""
        self._losses.append(loss)

    def _clear_losses(self) -> None:
        self._losses = []
        if self._uses_tape():
            for sub in self._all_sublayers():
                sub._clear_losses()

    def _losses_recorded(self) -> list:
        if not self._uses_tape():          # a built-in layer adds no losses of its own
            return list(self._losses)
        return list(self._losses) + [loss for sub in self._all_sublayers()
                                     for loss in sub._losses_recorded()]

    def _added_losses(self) -> list:
        """The terms ``add_loss`` added during the last call (this layer's and its
        sublayers'), as numbers: what training adds to the compiled loss."""
        return [float(np.sum(loss.value if isinstance(loss, KerasTensor) else loss))
                for loss in self._losses_recorded()]

    @property
    def losses(self) -> list:
        """As in Keras: the terms ``add_loss`` added during the last call, then the penalty
        of each regularized trainable weight (``kernel_regularizer``...), as numbers."""
        return self._added_losses() + self._penalties()

    # ----------------------------------------------------------------- recording
    def _record(self, inputs, training=None):
        """Record this call as a node: of a model's graph when ``inputs`` are symbolic, of
        a tape when they carry values (inside a layer's ``call`` that is being recorded)."""
        if isinstance(inputs, (list, tuple)) and not all(
                isinstance(t, KerasTensor) for t in inputs):
            raise TypeError(_(
                "inputs: layer {name!r} was called on a list that mixes symbolic tensors "
                "with other values; pass keras.Input tensors or the outputs of layers"
            ).format(name=self.name))
        first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        shapes = shapes_of(inputs)
        self.build_for(shapes)
        self.check_input(inputs)
        if first.value is None:                       # a symbolic graph
            specs = self.compute_output_spec(inputs)
            outs = [KerasTensor(shape, dtype=dtype, name=self.name) for shape, dtype in specs]
        else:                                         # a tape: compute now
            tape = first.tape
            if training is None:
                training = tape.training
            if self._uses_tape():                    # its ops record themselves
                return self._call_recorded(inputs, bool(training))
            x = [t.value for t in inputs] if isinstance(inputs, (list, tuple)) else first.value
            if not self.input_grad:
                self.input_grad = True     # on a tape, dL/d(input) may lead to a weight
            y = self.forward(x, bool(training))
            ys = y if isinstance(y, list) else [y]
            outs = [KerasTensor(v.shape, v.dtype, name=self.name, value=v, tape=tape)
                    for v in ys]
        node = Node(self, inputs, outs)
        if first.value is not None:
            tape.saved[id(node)] = snapshot(self)
        return outs[0] if len(outs) == 1 else outs

    def compute_output_spec(self, inputs) -> list:
        """[(shape, dtype)] of the outputs for symbolic ``inputs``: from
        ``compute_output_shape``, or, for a layer written with ops that does not define it,
        by running ``call`` on small arrays (twice, with batch sizes 2 and 3, so that the
        sizes that follow the batch are known to be ``None``)."""
        if not self._uses_tape() or (
                type(self).compute_output_shape is not Layer.compute_output_shape):
            return [(tuple(self.compute_output_shape(shapes_of(inputs))), self.dtype)]
        specs = specs_by_probing(inputs, lambda x: self._forward_with_tape(x, False)[0])
        self._clear_losses()
        return specs

    @property
    def input(self):
        """The symbolic input of this layer's first call in a graph (Keras' ``layer.input``)."""
        return self._first_node("input").args

    @property
    def output(self):
        """The symbolic output of this layer's first call in a graph (``layer.output``)."""
        return self._first_node("output").outputs[0]

    def _first_node(self, what):
        if not self._inbound_nodes:
            raise AttributeError(_(
                "{what}: layer {name!r} has not been called on a symbolic tensor yet, so it "
                "has no {what} (call it on keras.Input(...) first)"
            ).format(what=what, name=self.name))
        return self._inbound_nodes[0]

    def call(self, inputs, training=False):
        """The layer's computation; a subclass writes it with ``keras.ops`` and operators."""
        raise NotImplementedError(_(
            "call: layer {name!r} ({kind}) does not define call(self, inputs)"
        ).format(name=self.name, kind=type(self).__name__))

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype.name}
        if self._input_shape_arg is not None:
            config["input_shape"] = list(self._input_shape_arg)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


register("layer")(Layer)
