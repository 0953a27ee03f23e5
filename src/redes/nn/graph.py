"""The graph of a model: symbolic tensors, the nodes that link them, and the two passes.

``keras.Input(shape=(64,))`` gives a *symbolic tensor*: no numbers yet, only the shape and
dtype of a batch that will come later. Calling a layer on a symbolic tensor does not compute
anything either: it records a ``Node`` (this layer, these inputs) and returns a new symbolic
tensor with the layer's output shape. ``Model(inputs, outputs)`` then walks back from the
outputs to the inputs and keeps the nodes in an order where every node comes after the
nodes it reads from. With real arrays the graph runs in two passes:

1. forward: the nodes in that order, each layer computing its output from its inputs;
2. backward: the nodes in the reverse order, each layer turning dL/d(its output) into
   dL/d(its weights) and dL/d(its inputs). A tensor read by several nodes (a branch, a
   shared layer) gets the sum of their gradients: the chain rule over every path.

``Sequential`` is the simplest graph: one chain of nodes.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from ..i18n import _
from .variables import Operators, arrays


class KerasTensor(Operators):
    """A symbolic tensor: the shape (batch first, ``None`` where unknown) and dtype of a value
    that the graph will compute, and the node that computes it.

    While a ``Tape`` records the ops of a layer's ``call``, tensors also carry their
    ``value`` (an array): the ops compute at once and record themselves as they go.
    """

    def __init__(self, shape, dtype="float32", name=None, node=None, index=0, value=None,
                 tape=None):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype).name
        self.name = name
        self.node = node      # the Node whose output this is (None until it is recorded)
        self.index = index    # which of that node's outputs
        self.value = value    # the array, on a tape; None in a symbolic graph
        self.tape = tape

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, "
                f"name={self.name}>")

    def numpy(self):
        if self.value is None:
            self.__array__()
        return self.value.copy()

    def __array__(self, *args, **kwargs):
        if self.value is not None:
            raise TypeError(_(
                "{name!r}: a NumPy function was given a tensor inside a layer's call; its "
                "gradient would be lost. Use keras.ops (ops.exp, ops.sum...) instead"
            ).format(name=self.name))
        raise TypeError(_(
            "KerasTensor {name!r} is symbolic: it holds no numbers. Build a model with "
            "keras.Model(inputs, outputs) and call it on arrays (model(x), model.predict(x))"
        ).format(name=self.name))

    def __bool__(self):
        if self.value is not None:
            return bool(self.value)
        raise TypeError(_(
            "KerasTensor {name!r} is symbolic: its truth value is known only when the model "
            "runs on data (use keras.ops.where or ops.cond-like code instead of if/else)"
        ).format(name=self.name))


class Node:
    """One call of a layer in a graph: the tensors that went in and the ones that came out.

    ``args`` keeps the inputs as the layer received them (one tensor, or a list of tensors
    for layers such as ``Concatenate``); ``inputs`` is the same as a flat list.
    """

    def __init__(self, layer, args, outputs):
        self.layer = layer
        self.args = args
        self.inputs = list(args) if isinstance(args, (list, tuple)) else [args]
        if args is None:
            self.inputs = []
        self.outputs = outputs
        for i, tensor in enumerate(outputs):
            tensor.node, tensor.index = self, i
        if outputs[0].value is None:   # a call recorded on a tape is not the layer's history
            layer._inbound_nodes.append(self)

    def gather(self, values: dict):
        """The arrays (or masks, None if absent) of this node's inputs, as its layer took them."""
        if isinstance(self.args, (list, tuple)):
            return [values.get(id(t)) for t in self.args]
        return values.get(id(self.args))

    def __repr__(self) -> str:
        ins = ", ".join(t.name or "?" for t in self.inputs)
        return f"<Node {self.layer.name}({ins})>"


def is_symbolic(args) -> bool:
    """Whether ``args`` is, or holds, a symbolic tensor."""
    if isinstance(args, (list, tuple)):
        return any(isinstance(a, KerasTensor) for a in args)
    return isinstance(args, KerasTensor)


def shapes_of(args):
    """The shape of a tensor or array, or the list of shapes of a list of them."""
    if isinstance(args, (list, tuple)):
        return [tuple(a.shape) for a in args]
    return tuple(args.shape)


@functools.cache
def call_takes_mask(cls) -> bool:
    """Whether ``cls.call`` has a ``mask`` argument (recurrent layers and their wrappers)."""
    return "mask" in inspect.signature(cls.call).parameters


def leaves(layer):
    """The layers that hold weights and a hand-written backward: ``layer`` itself, or, for a
    model used as a layer, the leaves of every layer of its graph."""
    graph = getattr(layer, "_graph", None)
    if graph is None:
        yield layer
    else:
        for inner in graph.layers:
            yield from leaves(inner)


class Graph:
    """The nodes between ``inputs`` and ``outputs`` (flat lists of symbolic tensors), in the
    order the forward pass runs them."""

    def __init__(self, inputs, outputs):
        self.inputs, self.outputs = list(inputs), list(outputs)
        self.nodes = _ordered_nodes(self.inputs, self.outputs)
        self.layers = _layers_in_keras_order(self.nodes, self.outputs)
        calls: dict[int, int] = {}
        self.call_index: dict[int, int] = {}   # node -> which call of its layer it is
        for node in self.nodes:
            self.call_index[id(node)] = calls.get(id(node.layer), 0)
            calls[id(node.layer)] = self.call_index[id(node)] + 1
        # a layer called more than once (shared weights) keeps what its backward pass needs
        # once per call: see forward and backward
        self.shared = {key for key, n in calls.items() if n > 1}
        self.saved: dict[int, list] = {}
        self.reached: set[int] = set()
        # what a training step needs to know of the graph, which never changes: the leaf
        # layers called once (they may keep their arrays from step to step), and whether
        # some layer records its ops (and so may add losses in its call)
        self.called_once = _leaves_called_once(self)
        self.records_ops = any(leaf._uses_tape() for layer in self.layers
                               for leaf in leaves(layer))

    def __str__(self) -> str:
        """The nodes in the order the forward pass runs them, then the order in which
        backpropagation visits them (the reverse)."""
        names = {id(t): t.name or "input" for t in self.inputs}
        lines = [_("forward pass (each node after the nodes it reads):")]
        for i, node in enumerate(self.nodes, 1):
            for t in node.outputs:
                names.setdefault(id(t), node.layer.name)
            reads = ", ".join(names.get(id(t), "?") for t in node.inputs)
            shapes = ", ".join(str(t.shape) for t in node.outputs)
            kind = type(node.layer).__name__
            if hasattr(node.layer, "op"):
                kind = type(node.layer.op).__name__
            lines.append(f"  {i:>3}. {node.layer.name} ({kind})"
                         + (f" <- {reads}" if reads else "") + f" -> {shapes}")
        order = [node.layer.name for node in reversed(self.nodes) if node.inputs]
        lines.append(_("backward pass (dL/d(output) to dL/d(input), last node first):"))
        lines.append("  " + " -> ".join(order))
        return "\n".join(lines)

    def forward(self, arrays: list, training: bool) -> list:
        """Run every node on real arrays (one per input tensor); the output arrays."""
        values = {id(t): a for t, a in zip(self.inputs, arrays)}
        masks: dict[int, np.ndarray] = {}
        self.saved = {}
        for node in self.nodes:
            layer, out = node.layer, node.outputs[0]
            if id(out) in values:                 # an input: its value is given
                continue
            x = node.gather(values)
            if not isinstance(x, list) and x.dtype != layer.dtype and x.dtype.kind == "f":
                x = x.astype(layer.dtype)   # as in Keras, each layer computes in its dtype
            mask = node.gather(masks)        # one per input (None where there is none)
            y = layer.forward(x, training, mask)
            if len(node.outputs) == 1:
                values[id(out)] = y
            else:
                values.update((id(t), v) for t, v in zip(node.outputs, y))
            # as in Keras, a layer that supports masking passes a mask on (Embedding with
            # mask_zero=True makes one); any other layer ends it
            if layer.supports_masking and (len(node.inputs) == 1 or mask is not None):
                new_mask = layer.compute_mask(x, mask)
                if new_mask is not None:
                    masks[id(out)] = new_mask
            if id(layer) in self.shared:
                # what this call keeps for its backward pass (the next call replaces it)
                self.saved[id(node)] = snapshot(layer)
        return [values[id(t)] for t in self.outputs]

    def backward(self, output_grads: list, logits_nodes=frozenset()) -> list:
        """dL/d(each input) from dL/d(each output) (``None`` for an output off the way to the
        loss); every leaf layer keeps dL/d(its weights) in ``layer.grads``, summed over its
        calls when it is shared, and ``reached`` says which leaves the gradient reached.

        ``logits_nodes``: the ids of the nodes whose output gradient the loss already turned
        into dL/d(logits) (the fused softmax or sigmoid crossentropy); their layers then skip
        their activation's derivative.
        """
        grads: dict[int, np.ndarray] = {}
        for t, g in zip(self.outputs, output_grads):
            _accumulate(grads, t, g)
        summed: dict[int, list] = {}
        self.reached = set()
        for node in reversed(self.nodes):
            layer = node.layer
            if not node.inputs:      # an Input: its gradient is dL/d(the model's input)
                continue
            if len(node.outputs) == 1:
                g = grads.pop(id(node.outputs[0]), None)
                if g is None:
                    g = _zero_unless_it_added_losses(layer)
                if g is None:                        # off the way to the loss
                    continue
            else:                                    # each output's gradient, or None
                g = [grads.pop(id(t), None) for t in node.outputs]
                if all(part is None for part in g):
                    continue
            for obj, state in self.saved.get(id(node), ()):
                vars(obj).update(state)
            if id(node) in logits_nodes:
                dx = layer.backward(g, from_logits=True)
            else:
                dx = layer.backward(g if isinstance(g, list) else _as_dtype(g, layer))
            if id(layer) not in self.shared and getattr(layer, "_graph", None) is None:
                self.reached.add(id(layer))          # the common case: a layer called once
            else:
                self._reach_shared(layer, summed)
            if dx is not None:
                parts = dx if isinstance(node.args, (list, tuple)) else [dx]
                for t, d in zip(node.inputs, parts):
                    _accumulate(grads, t, d)
        for layer in self.layers if summed else ():     # shared layers: the sums
            for leaf in leaves(layer):
                if id(leaf) in summed:
                    leaf.grads = summed[id(leaf)]
        self.saved = {}
        return [grads.get(id(t)) for t in self.inputs]

    def _reach_shared(self, layer, summed) -> None:
        """Mark the leaves of a model used as a layer, or of a shared layer, as reached;
        for a shared layer, add this call's dL/dW to the sum over its calls."""
        for leaf in leaves(layer):
            self.reached.add(id(leaf))
            if id(layer) not in self.shared:
                continue
            # dL/dW of a shared layer: the sum over its calls (copies: a layer may write its
            # next gradients into the same arrays)
            if id(leaf) in summed:
                for total, part in zip(summed[id(leaf)], leaf.grads):
                    total += part
            else:
                summed[id(leaf)] = [part.copy() for part in leaf.grads]


def _leaves_called_once(graph) -> list:
    """The leaf layers of ``graph`` (nested models opened) that one pass calls once."""
    calls: dict[int, int] = {}
    found = {}

    def count(g):
        for node in g.nodes:
            inner = getattr(node.layer, "_graph", None)
            if inner is not None:
                count(inner)
            elif node.inputs:
                calls[id(node.layer)] = calls.get(id(node.layer), 0) + 1
                found[id(node.layer)] = node.layer

    count(graph)
    return [found[k] for k, n in calls.items() if n == 1]


def _zero_unless_it_added_losses(layer):
    """A layer whose call added losses (``add_loss``) is on the way to the training loss
    even when its output is not: its backward runs with dL/d(output) = 0."""
    tape = getattr(layer, "_tape", None)
    if tape is None or not tape.losses or not isinstance(tape.outputs[0], KerasTensor):
        return None
    return np.zeros_like(tape.outputs[0].value)


def snapshot(layer) -> list:
    """(object, copy of its attributes) for a layer and everything inside it: what a call
    left for its backward pass, restored before that call's backward runs."""
    return [(obj, dict(vars(obj))) for obj in _parts(layer)]


def _parts(layer):
    yield layer
    graph = getattr(layer, "_graph", None)
    if graph is not None:
        yield graph
        for inner in graph.layers:
            yield from _parts(inner)


def _as_dtype(grad, layer):
    return grad.astype(layer.dtype, copy=False) if grad.dtype.kind == "f" else grad


def _accumulate(grads: dict, tensor, g) -> None:
    """Add ``g`` to the gradient of ``tensor``: a tensor read twice gets both gradients."""
    if g is None:
        return
    key = id(tensor)
    grads[key] = g if key not in grads else grads[key] + g


def _ordered_nodes(inputs, outputs) -> list:
    """The nodes that lead from ``inputs`` to ``outputs``, each after the nodes it reads.

    A depth-first walk back from each output that stops at the given inputs; a path that
    reaches an ``Input`` not among them means the outputs need data the model is not given.
    """
    for tensor in inputs:
        if not isinstance(tensor, KerasTensor) or (tensor.node is None and tensor.value is None):
            raise ValueError(_(
                "inputs: expected tensors made by keras.Input(...), got {value!r}"
            ).format(value=tensor))
    if len({id(t) for t in inputs}) != len(inputs):
        raise ValueError(_("inputs: the same tensor is given twice"))
    given = {id(t) for t in inputs}
    order, done, visiting = [], set(), set()

    def visit(output):
        # depth first with a stack of its own (a chain of thousands of layers would be
        # too deep for Python's recursion): a node is pushed again, marked "inputs done",
        # under its inputs, and joins the order when it comes back up
        stack = [(output, False)]
        while stack:
            tensor, inputs_done = stack.pop()
            node = tensor.node
            if inputs_done:
                visiting.discard(id(node))
                done.add(id(node))
                order.append(node)
                continue
            if node is None or id(node) in done:
                continue
            if node.inputs and id(tensor) in given:   # a layer's output given as an input:
                continue                              # what made it is outside the model
            if not node.inputs and id(tensor) not in given:
                raise ValueError(_(
                    "outputs: they depend on the Input {name!r}, which is not among the "
                    "model's inputs {names} (graph disconnected: pass it in inputs=[...])"
                ).format(name=tensor.name, names=[t.name for t in inputs]))
            if id(node) in visiting:
                raise ValueError(_("outputs: the graph has a cycle at layer {name!r}").format(
                    name=node.layer.name))
            visiting.add(id(node))
            stack.append((tensor, True))
            stack.extend((t, False) for t in reversed(node.inputs))

    for tensor in outputs:
        if not isinstance(tensor, KerasTensor) or (tensor.node is None
                                                   and id(tensor) not in given):
            raise ValueError(_(
                "outputs: expected symbolic tensors (the result of calling layers on "
                "keras.Input tensors), got {value!r}"
            ).format(value=tensor))
        visit(tensor)
    return order


def _layers_in_keras_order(nodes, outputs) -> list:
    """Each layer once, in the order of Keras' ``model.layers`` (and so of its weights): by
    decreasing depth (the number of nodes between a layer and the outputs), ties by the order
    in which the walk back from the outputs first meets them."""
    inside = {id(node) for node in nodes}
    depth: dict[int, int] = {}
    for node in reversed(nodes):
        d = depth.setdefault(id(node), 0)
        for t in node.inputs:
            if t.node is not None and id(t.node) in inside:
                depth[id(t.node)] = max(depth.get(id(t.node), 0), d + 1)
    met: dict[int, int] = {}          # layer -> when the walk first met it
    walked = set()

    def meet(output):         # depth first, each node when first met (its own stack)
        stack = [output]
        while stack:
            node = stack.pop().node
            if node is None or id(node) not in inside or id(node) in walked:
                continue
            walked.add(id(node))
            met.setdefault(id(node.layer), len(met))
            stack.extend(reversed(node.inputs))

    for tensor in outputs:
        meet(tensor)
    layers, layer_depth = {}, {}
    for node in nodes:
        key = id(node.layer)
        layers[key] = node.layer
        layer_depth[key] = max(layer_depth.get(key, 0), depth[id(node)])
    return [layers[k] for k in sorted(layers, key=lambda k: (-layer_depth[k], met[k]))]


# ------------------------------------------------------------------------------- the tape
_recording: list = []   # the tapes recording now, innermost last (``with tape:``)


def recording_tape():
    """The tape recording the ops that run now, or ``None``."""
    return _recording[-1] if _recording else None


class Tape:
    """The ops one call of a layer ran, recorded as they ran, so that its backward pass can
    walk them: micrograd's idea, on whole arrays.

    A layer written with ``keras.ops`` (or a subclassed model) has no hand-written backward.
    While it trains, its ``call`` runs on tensors that carry their values: every op computes
    at once and records a node; every weight (``Variable``) it reads becomes a leaf. The
    recording is a graph like a functional model's, and ``backward`` walks it in reverse::

        tape = Tape(training=True)
        with tape:
            y = tape.finish(layer.call(tape.watch(x)))     # forward, recorded
        dx = tape.backward(dy)                             # dL/dx; tape.weight_grads: dL/dW
    """

    def __init__(self, training=False):
        self.training = training
        self.sources: list = []           # the tensors that stand for the call's inputs
        self.reads: dict = {}             # id(variable) -> (variable, its leaf tensor)
        self.saved: dict = {}             # id(node) -> what its layer kept for backward
        self.outputs: list = []
        self.graph = None

    def __enter__(self):
        _recording.append(self)
        return self

    def __exit__(self, *exc):
        _recording.remove(self)

    def watch(self, x):
        """Tensors carrying the arrays ``x`` (one, or a list), as inputs of the recording."""
        if isinstance(x, (list, tuple)):
            return [self.watch(a) for a in x]
        x = np.asarray(x)
        tensor = KerasTensor(x.shape, x.dtype, name="input", value=x, tape=self)
        self.sources.append(tensor)
        return tensor

    def read(self, variable):
        """The leaf tensor of a weight read by an op (one leaf per weight)."""
        if id(variable) not in self.reads:
            leaf = KerasTensor(variable.shape, variable.dtype, name=variable.name,
                               value=variable.value, tape=self)
            self.reads[id(variable)] = (variable, leaf)
        return self.reads[id(variable)][1]

    def finish(self, outputs, losses=()):
        """Keep the recorded outputs of the call and the losses it added; return the
        outputs' arrays."""
        self.single = not isinstance(outputs, (list, tuple))
        self.outputs = [outputs] if self.single else list(outputs)
        self.losses = [t for t in losses if isinstance(t, KerasTensor)]
        values = [t.value if isinstance(t, KerasTensor) else np.asarray(t)
                  for t in self.outputs]
        return values[0] if self.single else values

    def backward(self, output_grads):
        """dL/d(each input) from dL/d(each output); ``weight_grads`` maps each weight array
        read during the call to dL/d(it)."""
        grads = [output_grads] if self.single else list(output_grads)
        pairs = [(t, g) for t, g in zip(self.outputs, grads) if isinstance(t, KerasTensor)]
        # each added loss joins the training loss as it is: d(total)/d(loss) = 1
        pairs += [(t, np.ones_like(t.value)) for t in self.losses]
        self.graph = self.recorded([t for t, _grad in pairs])
        self.graph.saved = self.saved
        found = self.graph.backward([g for _tensor, g in pairs])
        n = len(self.sources)
        self.weight_grads = {id(variable.value): g for (variable, _read), g
                             in zip(self.reads.values(), found[n:])}
        for node in self.graph.nodes:     # layers and models called in the call: their grads
            layer = node.layer
            if id(layer) in self.graph.reached or getattr(layer, "_graph", None) is not None:
                for w, g in zip(arrays(layer.trainable_weights), layer.grads):
                    self.weight_grads[id(w)] = g
        return found[0] if n == 1 else found[:n]

    def recorded(self, outputs=None) -> Graph:
        """The graph of what the call computed, from its inputs and the weights it read to
        ``outputs`` (by default its outputs and the losses it added)."""
        if outputs is None:
            outputs = [t for t in self.outputs + self.losses if isinstance(t, KerasTensor)]
        leaves = [leaf for _variable, leaf in self.reads.values()]
        return Graph(self.sources + leaves, outputs)

    def grads_for(self, weights) -> list:
        """dL/d(each of ``weights``): zeros for a weight the call did not use."""
        found = self.weight_grads
        return [found[id(w)] if found.get(id(w)) is not None else np.zeros_like(w)
                for w in weights]
