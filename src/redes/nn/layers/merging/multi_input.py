"""What every merge layer shares (``_MultiInput``): the checks of its list of inputs, and a
``backward`` that returns one gradient per input; and how its errors name the layer."""

from __future__ import annotations

import numpy as np

from ....i18n import _
from ...graph import shapes_of
from ..base import Layer


def _who(layer) -> str:
    """How an error names a layer: ``Concatenate 'concatenate'``."""
    return f"{type(layer).__name__} {layer.name!r}"


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


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
