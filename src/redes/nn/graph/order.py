"""The order of a graph's nodes and layers, found by walking back from its outputs.

``Model(inputs, outputs)`` walks back from the outputs to the inputs and keeps the nodes in
an order where every node comes after the nodes it reads from: the forward pass runs them in
that order, the backward pass in the reverse. The layers are listed in Keras' order, which is
also the order of the model's weights.
"""

from __future__ import annotations

from ...i18n import _
from .tensors import KerasTensor


def ordered_nodes(inputs, outputs) -> list:
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


def layers_in_keras_order(nodes, outputs) -> list:
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


def leaves_called_once(graph) -> list:
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
