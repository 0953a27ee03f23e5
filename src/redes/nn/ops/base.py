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

import contextlib

import numpy as np

from ...i18n import _
from ..graph import KerasTensor, recording_tape
from ..layers.base import Layer, specs_by_probing, unique_name
from ..serialization import register
from ..variables import Variable, eager


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
    """Run ``op`` on ``args``: arrays, numbers, weights (``Variable``) or tensors.

    On arrays it computes at once. On symbolic tensors (from ``keras.Input``) it records a
    node of the model's graph; on tensors that carry values (inside a layer's ``call`` being
    recorded on a tape) it computes and records a node of the tape. A weight read while a
    tape records becomes a leaf of it, so that its gradient is found.
    """
    tape = recording_tape()
    if tape is not None:
        args = tuple(tape.read(a) if isinstance(a, Variable) else a for a in args)
    if any(isinstance(a, KerasTensor) for a in args):
        return OpLayer(op, args)([a for a in args if isinstance(a, KerasTensor)])
    # Python numbers stay numbers: NumPy then treats them "weakly", as Keras does
    # (float32 + 1 stays float32; a 0-d int64 array would make it float64)
    arrays = [a if isinstance(a, (bool, int, float)) else np.asarray(a) for a in args]
    with _naming(op, args):
        return eager(op.forward(*arrays))


@contextlib.contextmanager
def _naming(op, args):
    """NumPy's errors (shapes that do not broadcast...) told with the op's name and the
    shapes it was given (``None`` for a size known only when the model runs)."""
    try:
        yield
    except ValueError as exc:
        if str(exc).startswith(op.name):
            raise
        shapes = [tuple(a.shape) if hasattr(a, "shape") else type(a).__name__ for a in args]
        raise ValueError(_("{op}: {problem} (given shapes {shapes})").format(
            op=op.name, problem=str(exc).strip(), shapes=shapes)) from None


@register("layer")
class OpLayer(Layer):
    """One op in a graph or on a tape, as a node's layer: it runs the op forward and hands
    its local derivative to the backward pass. The arguments that are not tensors (numbers,
    arrays) are kept as they are."""

    def __init__(self, op: Op, args, name=None):
        super().__init__(name=name or unique_name(op.name))
        self.op = op
        self.template = [None if isinstance(a, KerasTensor) else a for a in args]

    def get_config(self) -> dict:
        return {"name": self.name, "op": type(self.op).__name__,
                "attrs": to_json(self.op.attrs), "template": to_json(self.template)}

    @classmethod
    def from_config(cls, config):
        from .. import ops  # the package that exports every op class, by name

        op_class = getattr(ops, str(config.get("op")), None)
        if not (isinstance(op_class, type) and issubclass(op_class, Op)):
            raise ValueError(_("op: unknown op {name!r}").format(name=config.get("op")))
        layer = cls(op_class(**from_json(config.get("attrs", {}))), [],
                    name=config.get("name"))
        layer.template = from_json(config.get("template", []))
        return layer

    def _arguments(self, tensors: list) -> list:
        values = iter(tensors)
        return [next(values) if a is None else a for a in self.template]

    def call(self, inputs, training=False):
        self.args = self._arguments(inputs)
        self.out = self.op.forward(*self.args)
        return self.out

    def backward(self, grad):
        grads = self.op.backward(grad, self.args, self.out)
        return [g for g, a in zip(grads, self.template) if a is None]

    def check_input(self, x) -> None:
        """An op checks its own arguments when it runs."""

    def convert_input(self, inputs):
        return [np.asarray(x) for x in inputs]

    def compute_output_spec(self, inputs) -> list:
        """Shapes and dtypes of the outputs: the op run on small arrays of the inputs'
        shapes, twice (unknown sizes as 2, then 3), so that sizes that follow the batch size
        are ``None``."""
        with _naming(self.op, self._arguments(list(inputs))):
            return specs_by_probing(list(inputs),
                                    lambda x: self.op.forward(*self._arguments(x)))


def to_json(value):
    """An op's arguments as JSON: slices, ``...``, tuples and arrays spelled out."""
    if isinstance(value, slice):
        return {"slice": [to_json(value.start), to_json(value.stop), to_json(value.step)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, tuple):
        return {"tuple": [to_json(v) for v in value]}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {"dict": {k: to_json(v) for k, v in value.items()}}
    if isinstance(value, (np.ndarray, np.generic)):
        return {"array": np.asarray(value).tolist(), "dtype": np.asarray(value).dtype.name}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(_("model: an op's argument {value!r} cannot be saved").format(
        value=value))


def from_json(value):
    """The inverse of ``to_json``."""
    if isinstance(value, list):
        return [from_json(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "slice" in value:
        return slice(*(from_json(v) for v in value["slice"]))
    if "ellipsis" in value:
        return Ellipsis
    if "tuple" in value:
        return tuple(from_json(v) for v in value["tuple"])
    if "array" in value:
        return np.asarray(value["array"], dtype=value["dtype"])
    return {k: from_json(v) for k, v in value.get("dict", {}).items()}
