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

The modules, in the order of that story: ``tensors`` (``KerasTensor`` and ``Node``),
``order`` (the walk back from the outputs), ``passes`` (``Graph``: forward and backward) and
``tape`` (``Tape``: the ops of one call, recorded as they run, for layers written with ops).
"""

from .passes import Graph, leaves, snapshot
from .tape import Tape, recording_tape
from .tensors import KerasTensor, Node, call_takes_mask, is_symbolic, shapes_of

__all__ = ["Graph", "KerasTensor", "Node", "Tape", "call_takes_mask", "is_symbolic", "leaves",
           "recording_tape", "shapes_of", "snapshot"]
