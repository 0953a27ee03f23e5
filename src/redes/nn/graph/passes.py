"""``Graph``: the nodes between a model's inputs and outputs, and the two passes over them.

With real arrays the graph runs in two passes:

1. forward: the nodes in order, each layer computing its output from its inputs;
2. backward: the nodes in the reverse order, each layer turning dL/d(its output) into
   dL/d(its weights) and dL/d(its inputs). A tensor read by several nodes (a branch, a
   shared layer) gets the sum of their gradients: the chain rule over every path.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .order import layers_in_keras_order, leaves_called_once, ordered_nodes
from .tensors import KerasTensor


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
        self.nodes = ordered_nodes(self.inputs, self.outputs)
        self.layers = layers_in_keras_order(self.nodes, self.outputs)
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
        self.called_once = leaves_called_once(self)
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
