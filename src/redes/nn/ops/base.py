"""An operation and its local derivative: the unit of automatic backpropagation.

Every op of ``keras.ops`` is an ``Op``: ``forward`` computes its output from NumPy arrays, and
``backward`` turns dL/d(output) into dL/d(each input) using the local derivative, written in
one line beside the code (micrograd's idea, on whole arrays)::

    class Exp(Op):
        def forward(self, x):
            return np.exp(x)

        def backward(self, grad, inputs, out):
            return [grad * out]              # d(e^x)/dx = e^x

``apply(op, *args)`` runs an op: on arrays it computes at once; on symbolic tensors (from
``keras.Input``) it records a node of the model's graph, so that the model can run it forward
and walk it backward like any layer.
"""

from __future__ import annotations

import numpy as np


class Op:
    """Base class of operations. Arguments that are not tensors (``axis``, ``keepdims``...)
    are given to the constructor and kept in ``self.attrs``."""

    name = "op"

    def __init__(self, **attrs):
        self.attrs = attrs
        self.__dict__.update(attrs)

    def forward(self, *inputs: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray, inputs: list, out: np.ndarray) -> list:
        """dL/d(each input) from dL/d(out), each of its input's shape (``None`` for an
        input with no gradient, such as integer indices)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        attrs = ", ".join(f"{k}={v!r}" for k, v in self.attrs.items())
        return f"{type(self).__name__}({attrs})"


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """The gradient of an input of ``shape`` that broadcasting stretched to ``grad.shape``:
    summed over the axes it was stretched along (the chain rule over every copy)."""
    shape = tuple(shape)
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def apply(op: Op, *args):
    """Run ``op`` on ``args`` (arrays, numbers, or symbolic tensors)."""
    # Python numbers stay numbers: NumPy then treats them "weakly", as Keras does
    # (float32 + 1 stays float32; a 0-d int64 array would make it float64)
    return op.forward(*(a if isinstance(a, (bool, int, float)) else np.asarray(a)
                        for a in args))
