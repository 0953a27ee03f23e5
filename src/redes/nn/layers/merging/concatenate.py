"""``Concatenate``: its inputs joined along one axis."""

from __future__ import annotations

import numpy as np

from ....i18n import _
from ...graph import shapes_of
from ...serialization import register
from .multi_input import _is_int, _MultiInput, _who


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

def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis, **kwargs)(inputs)`` (``keras.layers.concatenate``); ``axis``
    defaults to ``-1``."""
    return Concatenate(axis=axis, **kwargs)(inputs)
