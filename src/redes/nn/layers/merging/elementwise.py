"""The elementwise merges: ``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum`` and
``Minimum`` combine their inputs number by number.

Broadcasting (as in Keras): the inputs of an elementwise merge must have the same batch size,
and their other dimensions must be equal or 1, read from the right. An input with fewer
dimensions gets axes of size 1 inserted after its batch axis: (batch, 3) merged with
(batch, 4, 3) is read as (batch, 1, 3). An input that broadcasting repeats is used several
times in the output, so its gradient is the sum over the copies (``sum_to_shape``).
"""

from __future__ import annotations

import functools

import numpy as np

from ....i18n import _
from ...graph import shapes_of
from ...serialization import register
from .multi_input import _MultiInput, _who


def expand_to(x: np.ndarray, ndim: int) -> np.ndarray:
    """``x`` with axes of size 1 inserted after the batch axis until it has ``ndim`` axes, as
    Keras does before merging inputs of different ranks: (batch, 3) -> (batch, 1, 3)."""
    return x.reshape(x.shape[:1] + (1,) * (ndim - x.ndim) + x.shape[1:])


def sum_to_shape(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """The gradient of an input of ``shape`` that broadcasting stretched to ``grad.shape``:
    ``grad`` summed over the axes where the input had size 1 (or no axis at all), since each
    of its numbers was used once per copy. Always a new array.

    Args:
        grad: dL/d(output), of the output's shape.
        shape: the shape of the input, batch axis first.
    """
    expanded = shape[:1] + (1,) * (grad.ndim - len(shape)) + tuple(shape[1:])
    axes = tuple(i for i, (g, s) in enumerate(zip(grad.shape, expanded)) if s == 1 and g != 1)
    return grad.sum(axis=axes, keepdims=True).reshape(shape)


def _broadcast_dims(layer, shapes) -> tuple:
    """The output shape of an elementwise merge of inputs of ``shapes`` (batch axis first)."""
    batch_sizes = {s[0] for s in shapes} - {None}
    if len(batch_sizes) > 1:
        raise ValueError(_(
            "{layer}: inputs must have the same batch size, got shapes {shapes}"
        ).format(layer=_who(layer), shapes=shapes))
    out: tuple = ()
    for shape in shapes:
        rest = tuple(shape[1:])
        if len(rest) > len(out):   # read dimensions from the right
            out, rest = rest, out
        dims = list(out[:len(out) - len(rest)])
        for i, j in zip(out[len(out) - len(rest):], rest):
            if i is None or j is None:
                dims.append(None)
            elif i == 1 or j == 1 or i == j:
                dims.append(max(i, j))
            else:
                raise ValueError(_(
                    "{layer}: inputs must have shapes that broadcast together (after the "
                    "batch axis, each dimension equal or 1), got shapes {shapes}"
                ).format(layer=_who(layer), shapes=shapes))
        out = tuple(dims)
    return (batch_sizes.pop() if batch_sizes else None, *out)

class _Elementwise(_MultiInput):
    """The base of the elementwise merges. A subclass writes ``merge(xs)``, the output of
    inputs already brought to the same rank, and ``merge_grads(grad)``, dL/d(each input) at the
    output's shape; this class checks the shapes and sums each gradient back to its input."""

    def compute_output_shape(self, input_shape):
        return _broadcast_dims(self, self.check_list(input_shape))

    def call(self, inputs, training=False):
        self.compute_output_shape(shapes_of(inputs))   # the checks, on the real shapes
        self.in_shapes = [x.shape for x in inputs]
        ndim = max(x.ndim for x in inputs)
        self.xs = [expand_to(x, ndim) for x in inputs]
        return self.merge(self.xs)

    def input_grads(self, grad):
        # each input gets an array of its own (the layer before may overwrite it in place)
        grads = self.merge_grads(grad)
        return [sum_to_shape(g, shape) for g, shape in zip(grads, self.in_shapes)]

    def merge(self, xs: list) -> np.ndarray:
        raise NotImplementedError

    def merge_grads(self, grad) -> list:
        raise NotImplementedError


@register("layer")
class Add(_Elementwise):
    """Adds its inputs: ``x_1 + x_2 + ... + x_n``.

    Args:
        **kwargs: the arguments of every layer (``name``, ``dtype``...).
    """

    def merge(self, xs):
        return functools.reduce(np.add, xs)

    def merge_grads(self, grad):
        return [grad] * len(self.xs)   # d(x_1 + ... + x_n)/dx_i = 1


@register("layer")
class Subtract(_Elementwise):
    """Subtracts its second input from its first: ``x_1 - x_2`` (exactly 2 inputs).

    Args:
        **kwargs: the arguments of every layer (``name``, ``dtype``...).
    """

    count = 2

    def merge(self, xs):
        return xs[0] - xs[1]

    def merge_grads(self, grad):
        return [grad, -grad]   # d(x_1 - x_2)/dx_1 = 1, d(x_1 - x_2)/dx_2 = -1


@register("layer")
class Multiply(_Elementwise):
    """Multiplies its inputs: ``x_1 * x_2 * ... * x_n``.

    Args:
        **kwargs: the arguments of every layer (``name``, ``dtype``...).
    """

    def merge(self, xs):
        return functools.reduce(np.multiply, xs)

    def merge_grads(self, grad):
        grads = []
        for i in range(len(self.xs)):
            others = [x for j, x in enumerate(self.xs) if j != i]
            # d(x_1 * ... * x_n)/dx_i = the product of the other inputs
            grads.append(functools.reduce(np.multiply, others, grad))
        return grads


@register("layer")
class Average(_Elementwise):
    """The mean of its inputs: ``(x_1 + x_2 + ... + x_n) / n``.

    Args:
        **kwargs: the arguments of every layer (``name``, ``dtype``...).
    """

    def merge(self, xs):
        return functools.reduce(np.add, xs) / len(xs)

    def merge_grads(self, grad):
        n = len(self.xs)
        return [grad / n] * n   # d((x_1 + ... + x_n) / n)/dx_i = 1 / n


class _Extremum(_Elementwise):
    """The base of ``Maximum`` and ``Minimum``: the gradient goes to the input that won.

    On a tie it goes to the first of the tied inputs, as in Keras on TensorFlow (whose
    gradient of ``maximum(a, b)`` takes ``a >= b`` for a, and the merge folds left to right).
    A subclass sets ``pick``: ``np.argmax`` or ``np.argmin``, which input wins where.
    """

    def merge_grads(self, grad):
        # np.argmax and np.argmin give the first index among equals, TensorFlow's choice
        winner = self.pick(np.stack(np.broadcast_arrays(*self.xs)), axis=0)
        # d max(x_1, ..., x_n)/dx_i = 1 where x_i is the (first) winner, else 0
        return [np.where(winner == i, grad, 0) for i in range(len(self.xs))]


@register("layer")
class Maximum(_Extremum):
    """The elementwise maximum of its inputs.

    Args:
        **kwargs: the arguments of every layer (``name``, ``dtype``...).
    """

    pick = staticmethod(np.argmax)

    def merge(self, xs):
        return functools.reduce(np.maximum, xs)


@register("layer")
class Minimum(_Extremum):
    """The elementwise minimum of its inputs.

    Args:
        **kwargs: the arguments of every layer (``name``, ``dtype``...).
    """

    pick = staticmethod(np.argmin)

    def merge(self, xs):
        return functools.reduce(np.minimum, xs)

# ------------------------------------------------------------- the functional forms
def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``: the sum of the inputs (``keras.layers.add``)."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``: ``inputs[0] - inputs[1]`` (``keras.layers.subtract``)."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``: the product of the inputs (``keras.layers.multiply``)."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``: the mean of the inputs (``keras.layers.average``)."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``: the elementwise maximum (``keras.layers.maximum``)."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``: the elementwise minimum (``keras.layers.minimum``)."""
    return Minimum(**kwargs)(inputs)
