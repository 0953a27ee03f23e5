"""Symbolic tensors and the nodes that link them.

``keras.Input(shape=(64,))`` gives a *symbolic tensor*: no numbers yet, only the shape and
dtype of a batch that will come later. Calling a layer on a symbolic tensor does not compute
anything either: it records a ``Node`` (this layer, these inputs) and returns a new symbolic
tensor with the layer's output shape.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from ...i18n import _
from ..variables import Operators


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
