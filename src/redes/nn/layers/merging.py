"""Merge layers: several inputs in, one output out, as in ``keras.layers``.

The elementwise merges (``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``,
``Minimum``) combine their inputs number by number; ``Concatenate`` joins them along an
axis; ``Dot`` takes dot products between the samples of two inputs. ::

    a = keras.Input((3,))
    b = keras.Input((3,))
    out = keras.layers.Add()([a, b])          # or keras.layers.add([a, b])

A merge layer receives a LIST of inputs: ``build`` gets a list of shapes, ``call`` a list of
arrays, and ``backward`` returns a list of gradients, dL/d(each input) in the same order.
These layers have no weights (``self.grads`` stays empty).

Broadcasting (as in Keras): the inputs of an elementwise merge must have the same batch size,
and their other dimensions must be equal or 1, read from the right. An input with fewer
dimensions gets axes of size 1 inserted after its batch axis: (batch, 3) merged with
(batch, 4, 3) is read as (batch, 1, 3). An input that broadcasting repeats is used several
times in the output, so its gradient is the sum over the copies (``sum_to_shape``).
"""

from __future__ import annotations

import functools

import numpy as np

from ...i18n import _
from .. import backend
from ..graph import shapes_of
from ..serialization import register
from .base import Layer


def _who(layer) -> str:
    """How an error names a layer: ``Concatenate 'concatenate'``."""
    return f"{type(layer).__name__} {layer.name!r}"


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


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


class _MultiInput(Layer):
    """The base of the merge layers: a list of inputs, a list of gradients, no weights.

    ``count`` is the number of inputs the layer takes, or ``None`` for one or more.
    """

    count: int | None = None

    def check_list(self, shapes) -> list:
        """Refuse anything but a list of input shapes of the right length."""
        if not isinstance(shapes, list):
            raise ValueError(_(
                "{layer}: inputs must be a list of tensors, got a single input of shape {shape}"
            ).format(layer=_who(self), shape=tuple(shapes)))
        if not shapes:
            raise ValueError(_(
                "{layer}: inputs must be a list of at least one tensor, got an empty list"
            ).format(layer=_who(self)))
        if self.count is not None and len(shapes) != self.count:
            raise ValueError(_(
                "{layer}: inputs must be a list of exactly {expected} tensors, got {count} "
                "(shapes {shapes})"
            ).format(layer=_who(self), expected=self.count, count=len(shapes), shapes=shapes))
        return shapes

    def build(self, input_shape):
        self.compute_output_shape(input_shape)   # only to check the shapes

    def check_input(self, x) -> None:
        """The inputs of a later call: as many as on the first call, of the same shapes."""
        shapes = self.check_list(shapes_of(x) if isinstance(x, (list, tuple)) else x.shape)
        if self.input_shape is not None and len(shapes) != len(self.input_shape):
            raise ValueError(_(
                "{layer}: inputs must be a list of exactly {expected} tensors, got {count} "
                "(shapes {shapes})"
            ).format(layer=_who(self), expected=len(self.input_shape), count=len(shapes),
                     shapes=shapes))
        super().check_input(list(x))

    def backward(self, grad):
        self.grads = []   # no weights
        if not self.input_grad:
            return None
        return self.input_grads(grad)

    def input_grads(self, grad) -> list:
        """dL/d(each input), given dL/d(output) ``grad``."""
        raise NotImplementedError


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


@register("layer")
class Concatenate(_MultiInput):
    """Joins its inputs along ``axis``; they must have the same shape on every other axis.

    Args:
        axis: the axis to join along, counted with the batch axis (0). Defaults to ``-1``.
        **kwargs: the arguments of every layer (``name``, ``dtype``...).
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if not _is_int(axis):
            raise ValueError(_("{layer}: axis must be an integer, got {value!r}").format(
                layer=_who(self), value=axis))
        self.axis = int(axis)

    def compute_output_shape(self, input_shape):
        shapes = self.check_list(input_shape)
        ndim = len(shapes[0])
        if any(len(s) != ndim for s in shapes):
            raise ValueError(_(
                "{layer}: inputs must have the same number of dimensions, got shapes {shapes}"
            ).format(layer=_who(self), shapes=shapes))
        if not -ndim <= self.axis < ndim:
            raise ValueError(_(
                "{layer}: axis={axis} is out of range for inputs with {ndim} dimensions "
                "(expected an integer from {low} to {high})"
            ).format(layer=_who(self), axis=self.axis, ndim=ndim, low=-ndim, high=ndim - 1))
        axis = self.axis % ndim
        out = []
        for i, dims in enumerate(zip(*shapes)):
            if i == axis:
                out.append(None if None in dims else sum(dims))
                continue
            known = set(dims) - {None}
            if len(known) > 1:
                raise ValueError(_(
                    "{layer}: inputs must match except on axis {axis}, got shapes {shapes}"
                ).format(layer=_who(self), axis=self.axis, shapes=shapes))
            out.append(known.pop() if known else None)
        return tuple(out)

    def call(self, inputs, training=False):
        self.compute_output_shape(shapes_of(inputs))   # the checks, on the real shapes
        self.sizes = [x.shape[self.axis] for x in inputs]
        return np.concatenate(inputs, axis=self.axis)

    def input_grads(self, grad):
        # d concat(x_1, ..., x_n)/dx_i = 1 on the slice of the output that x_i fills
        return np.split(grad, np.cumsum(self.sizes)[:-1], axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def _l2_normalize(x: np.ndarray, axis: int):
    """``x / max(||x||, epsilon)`` along ``axis`` (Keras' ``ops.normalize``), and the divisor."""
    norm = np.sqrt(np.sum(x * x, axis=axis, keepdims=True))
    norm = np.maximum(norm, backend.epsilon())
    return x / norm, norm


def _l2_normalize_backward(grad, y, norm, axis):
    """dL/dx of ``y = x / max(||x||, epsilon)``, given dL/dy and the forward's y and divisor."""
    # where the norm was clipped to epsilon the divisor is a constant: dy/dx = I / epsilon
    along = np.sum(grad * y, axis=axis, keepdims=True) * (norm > backend.epsilon())
    return (grad - y * along) / norm   # d(x / ||x||)/dx = (I - y y^T) / ||x||


@register("layer")
class Dot(_MultiInput):
    """Dot products between the samples of two inputs, along one axis of each.

    For inputs of shapes (batch, 3, 5) and (batch, 4, 3) and ``axes=(1, 2)`` the output has
    shape (batch, 5, 4): for each sample, every 3-vector of the first input times every
    3-vector of the second. Two inputs of shape (batch, n) with ``axes=1`` give (batch, 1).

    Args:
        axes: the axis of each input to take the products along: one integer for both, or a
            pair ``(axis_of_input_1, axis_of_input_2)``. Not 0, the batch axis.
        normalize: whether to L2-normalize both inputs along those axes first, as Keras does
            (``x / max(||x||, 1e-7)``); the products are then cosine similarities.
            Defaults to ``False``.
        **kwargs: the arguments of every layer (``name``, ``dtype``...).
    """

    count = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        pair = isinstance(axes, (list, tuple)) and len(axes) == 2
        if not (_is_int(axes) or (pair and all(_is_int(a) for a in axes))):
            raise ValueError(_(
                "{layer}: axes must be an integer or a pair of integers, got {value!r}"
            ).format(layer=_who(self), value=axes))
        if not isinstance(normalize, (bool, np.bool_)):
            raise ValueError(_("{layer}: normalize must be True or False, got {value!r}").format(
                layer=_who(self), value=normalize))
        self.axes = int(axes) if _is_int(axes) else (int(axes[0]), int(axes[1]))
        self.normalize = bool(normalize)

    def resolve_axes(self, shapes) -> list[int]:
        """The axis of each input, counted from 0 (checked: not the batch axis, in range)."""
        axes = [self.axes] * 2 if _is_int(self.axes) else list(self.axes)
        resolved = []
        for axis, shape in zip(axes, shapes):
            ndim = len(shape)
            if not (1 <= axis < ndim or -ndim < axis < 0):
                allowed = [*range(1, ndim), *range(1 - ndim, 0)]
                raise ValueError(_(
                    "{layer}: axes={axes} gives axis {axis} for an input of shape {shape} "
                    "(expected one of {allowed}; axis 0 is the batch axis)"
                ).format(layer=_who(self), axes=self.axes, axis=axis, shape=shape,
                         allowed=allowed))
            resolved.append(axis % ndim)
        return resolved

    def compute_output_shape(self, input_shape):
        shape1, shape2 = self.check_list(input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(_(
                "{layer}: inputs must have at least 2 dimensions (the batch axis and one "
                "more), got shapes {shapes}"
            ).format(layer=_who(self), shapes=input_shape))
        if None not in (shape1[0], shape2[0]) and shape1[0] != shape2[0]:
            raise ValueError(_(
                "{layer}: inputs must have the same batch size, got shapes {shapes}"
            ).format(layer=_who(self), shapes=input_shape))
        a1, a2 = self.resolve_axes([shape1, shape2])
        d1, d2 = shape1[a1], shape2[a2]
        if None not in (d1, d2) and d1 != d2:
            raise ValueError(_(
                "{layer}: axes={axes}: the inputs must have the same size on these axes, got "
                "{size1} (axis {axis1} of {shape1}) and {size2} (axis {axis2} of {shape2})"
            ).format(layer=_who(self), axes=self.axes, size1=d1, axis1=a1, shape1=shape1,
                     size2=d2, axis2=a2, shape2=shape2))
        rest1 = [d for i, d in enumerate(shape1) if i != a1]             # batch first
        rest2 = [d for i, d in enumerate(shape2) if i not in (0, a2)]
        out = rest1 + rest2
        return tuple(out) if len(out) > 1 else (out[0], 1)

    def call(self, inputs, training=False):
        out_shape = self.compute_output_shape(shapes_of(inputs))   # also the checks
        self.a1, self.a2 = self.resolve_axes(shapes_of(inputs))
        x1, x2 = inputs
        if self.normalize:
            x1, self.norm1 = _l2_normalize(x1, self.a1)
            x2, self.norm2 = _l2_normalize(x2, self.a2)
            self.y1, self.y2 = x1, x2
        # each sample of x1 as a matrix (P, k), the summed axis last; of x2 as (k, Q): then
        # one batched matrix product gives every pair of vectors, P x Q dot products
        u = np.moveaxis(x1, self.a1, -1)
        v = np.moveaxis(x2, self.a2, 1)
        self.u_shape, self.v_shape = u.shape, v.shape
        batch, k = u.shape[0], u.shape[-1]
        self.u, self.v = u.reshape(batch, -1, k), v.reshape(batch, k, -1)
        return np.matmul(self.u, self.v).reshape(out_shape)

    def input_grads(self, grad):
        g = grad.reshape(self.u.shape[0], self.u.shape[1], self.v.shape[2])
        du = np.matmul(g, self.v.transpose(0, 2, 1))   # d(u v)/du = g v^T
        dv = np.matmul(self.u.transpose(0, 2, 1), g)   # d(u v)/dv = u^T g
        dx1 = np.moveaxis(du.reshape(self.u_shape), -1, self.a1)
        dx2 = np.moveaxis(dv.reshape(self.v_shape), 1, self.a2)
        if self.normalize:
            dx1 = _l2_normalize_backward(dx1, self.y1, self.norm1, self.a1)
            dx2 = _l2_normalize_backward(dx2, self.y2, self.norm2, self.a2)
        return [dx1, dx2]

    def get_config(self):
        axes = self.axes if _is_int(self.axes) else list(self.axes)
        return {**super().get_config(), "axes": axes, "normalize": self.normalize}


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


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis, **kwargs)(inputs)`` (``keras.layers.concatenate``); ``axis``
    defaults to ``-1``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)`` (``keras.layers.dot``); ``axes`` defaults to
    ``-1`` and ``normalize`` to ``False``, as in Keras."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
