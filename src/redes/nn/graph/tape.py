"""The tape: the ops a layer's ``call`` runs, recorded as they run, and walked backward."""

from __future__ import annotations

import numpy as np

from ..variables import arrays
from .passes import Graph
from .tensors import KerasTensor

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
