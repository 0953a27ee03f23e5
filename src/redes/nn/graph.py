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


class KerasTensor:
    """A symbolic tensor: the shape (batch first, ``None`` where unknown) and dtype of a value
    that the graph will compute, and the node that computes it."""

    def __init__(self, shape, dtype="float32", name=None, node=None, index=0):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype).name
        self.name = name
        self.node = node      # the Node whose output this is (None until it is recorded)
        self.index = index    # which of that node's outputs

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, "
                f"name={self.name}>")

    def __array__(self, *args, **kwargs):
        raise TypeError(_(
            "KerasTensor {name!r} is symbolic: it holds no numbers. Build a model with "
            "keras.Model(inputs, outputs) and call it on arrays (model(x), model.predict(x))"
        ).format(name=self.name))

    def __bool__(self):
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
        layer._inbound_nodes.append(self)

    def gather(self, values: dict):
        """The arrays of this node's inputs, shaped as the layer received its tensors."""
        if isinstance(self.args, (list, tuple)):
            return [values[id(t)] for t in self.args]
        return values[id(self.args)]

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
        for node in self.nodes:
            calls[id(node.layer)] = calls.get(id(node.layer), 0) + 1
        # a layer called more than once (shared weights) keeps what its backward pass needs
        # once per call: see forward and backward
        self.shared = {key for key, n in calls.items() if n > 1}
        self.saved: dict[int, list] = {}
        self.reached: set[int] = set()

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
            mask = masks.get(id(node.inputs[0])) if len(node.inputs) == 1 else None
            if mask is not None and call_takes_mask(type(layer)):
                values[id(out)] = layer.call(x, training=training, mask=mask)
            else:
                values[id(out)] = layer.call(x, training=training)
            # as in Keras, a layer that supports masking passes a mask on (Embedding with
            # mask_zero=True makes one); any other layer ends it
            if layer.supports_masking and len(node.inputs) == 1:
                new_mask = layer.compute_mask(x, mask)
                if new_mask is not None:
                    masks[id(out)] = new_mask
            if id(layer) in self.shared:
                # what this call keeps for its backward pass (the next call replaces it)
                self.saved[id(node)] = _snapshot(layer)
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
            g = grads.pop(id(node.outputs[0]), None)
            layer = node.layer
            if g is None or not node.inputs:     # off the way to the loss, or an Input
                continue
            for obj, state in self.saved.get(id(node), ()):
                vars(obj).update(state)
            if id(node) in logits_nodes:
                dx = layer.backward(g, from_logits=True)
            else:
                dx = layer.backward(_as_dtype(g, layer))
            for leaf in leaves(layer):
                self.reached.add(id(leaf))
                if id(layer) in self.shared:
                    # dL/dW of a shared layer: the sum over its calls (copies: a layer may
                    # write its next gradients into the same arrays)
                    if id(leaf) in summed:
                        for total, part in zip(summed[id(leaf)], leaf.grads):
                            total += part
                    else:
                        summed[id(leaf)] = [part.copy() for part in leaf.grads]
            if dx is not None:
                parts = dx if isinstance(node.args, (list, tuple)) else [dx]
                for t, d in zip(node.inputs, parts):
                    _accumulate(grads, t, d)
        for layer in self.layers:
            for leaf in leaves(layer):
                if id(leaf) in summed:
                    leaf.grads = summed[id(leaf)]
        self.saved = {}
        return [grads.get(id(t)) for t in self.inputs]


def _snapshot(layer) -> list:
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
        if not isinstance(tensor, KerasTensor) or tensor.node is None:
            raise ValueError(_(
                "inputs: expected tensors made by keras.Input(...), got {value!r}"
            ).format(value=tensor))
    if len({id(t) for t in inputs}) != len(inputs):
        raise ValueError(_("inputs: the same tensor is given twice"))
    given = {id(t) for t in inputs}
    order, done, visiting = [], set(), set()

    def visit(tensor):
        node = tensor.node
        if node is None or id(node) in done:
            return
        if node.inputs and id(tensor) in given:   # a layer's output given as an input:
            return                                # what made it is outside the model
        if not node.inputs and id(tensor) not in given:
            raise ValueError(_(
                "outputs: they depend on the Input {name!r}, which is not among the model's "
                "inputs {names} (graph disconnected: pass it in inputs=[...])"
            ).format(name=tensor.name, names=[t.name for t in inputs]))
        if id(node) in visiting:
            raise ValueError(_("outputs: the graph has a cycle at layer {name!r}").format(
                name=node.layer.name))
        visiting.add(id(node))
        for t in node.inputs:
            visit(t)
        visiting.discard(id(node))
        done.add(id(node))
        order.append(node)

    for tensor in outputs:
        if not isinstance(tensor, KerasTensor) or tensor.node is None:
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
            if id(t.node) in inside:
                depth[id(t.node)] = max(depth.get(id(t.node), 0), d + 1)
    met: dict[int, int] = {}          # layer -> when the walk first met it
    walked = set()

    def meet(tensor):
        node = tensor.node
        if id(node) not in inside or id(node) in walked:
            return
        walked.add(id(node))
        met.setdefault(id(node.layer), len(met))
        for t in node.inputs:
            meet(t)

    for tensor in outputs:
        meet(tensor)
    layers, layer_depth = {}, {}
    for node in nodes:
        key = id(node.layer)
        layers[key] = node.layer
        layer_depth[key] = max(layer_depth.get(key, 0), depth[id(node)])
    return [layers[k] for k in sorted(layers, key=lambda k: (-layer_depth[k], met[k]))]
