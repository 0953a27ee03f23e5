"""``Dot``: dot products between the samples of two inputs, along one axis of each (with an
optional L2 normalization first: cosine similarities)."""

from __future__ import annotations

import numpy as np

from ....i18n import _
from ... import backend
from ...graph import shapes_of
from ...serialization import register
from .multi_input import _is_int, _MultiInput, _who


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

def dot(inputs, axes=-1, normalize=False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)`` (``keras.layers.dot``); ``axes`` defaults to
    ``-1`` and ``normalize`` to ``False``, as in Keras."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
