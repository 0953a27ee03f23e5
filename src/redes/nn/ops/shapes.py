"""Operations that move values without changing them: reshape, transpose, new or removed
axes, joining and splitting, and indexing.

Their backward moves the gradient back the same way: a reshape reshapes it back, a transpose
transposes it back, a split joins the pieces of the gradient and a join splits it. Indexing
(``take``, ``x[key]``) picks values, so its backward adds each picked value's gradient back
at the place it came from, with ``np.add.at`` so that a value picked twice gets both.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .base import Op
from .common import as_array, check_axes, check_axis, input_grad, promote


class Reshape(Op):
    name = "reshape"

    def forward(self, x):
        x = as_array(x)
        try:
            return x.reshape(self.newshape)
        except (ValueError, TypeError):
            raise ValueError(_(
                "reshape: cannot reshape an array of shape {shape} ({size} values) into "
                "newshape={newshape!r}"
            ).format(shape=x.shape, size=x.size, newshape=self.newshape)) from None

    def backward(self, grad, inputs, out):
        x = inputs[0]
        return [input_grad(grad.reshape(np.shape(x)), x)]  # each value goes back to its place


class Transpose(Op):
    """The axes in the order ``axes`` (reversed when None)."""

    name = "transpose"

    def forward(self, x):
        x = as_array(x)
        if self.axes is not None:
            axes = [check_axis(self.name, a, x.ndim) for a in self.axes]
            if sorted(axes) != list(range(x.ndim)):
                raise ValueError(_(
                    "transpose: axes={axes!r} is not an order of the {ndim} axes of an array "
                    "of shape {shape}"
                ).format(axes=self.axes, ndim=x.ndim, shape=x.shape))
        return np.transpose(x, self.axes)

    def backward(self, grad, inputs, out):
        x = inputs[0]
        back = None if self.axes is None else np.argsort([a % np.ndim(x) for a in self.axes])
        return [input_grad(np.transpose(grad, back), x)]  # the inverse order of the axes


class ExpandDims(Op):
    """A new axis of size 1 at ``axis`` (an int or a tuple of ints) of the result."""

    name = "expand_dims"

    def forward(self, x):
        x = as_array(x)
        count = len(self.axis) if isinstance(self.axis, (tuple, list)) else 1
        axes = check_axes(self.name, self.axis, x.ndim + count)
        return np.expand_dims(x, axes)

    def backward(self, grad, inputs, out):
        x = inputs[0]
        return [input_grad(grad.reshape(np.shape(x)), x)]  # same values, same order


class Squeeze(Op):
    """Removes the axes of size 1 at ``axis`` (every axis of size 1 when None)."""

    name = "squeeze"

    def forward(self, x):
        x = as_array(x)
        if self.axis is None:
            return np.squeeze(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        for a in axes:
            if x.shape[a] != 1:
                raise ValueError(_(
                    "squeeze: cannot remove axis {axis} of an array of shape {shape}: its size "
                    "is {size}, not 1"
                ).format(axis=a, shape=x.shape, size=x.shape[a]))
        return np.squeeze(x, axis=axes)

    def backward(self, grad, inputs, out):
        x = inputs[0]
        return [input_grad(grad.reshape(np.shape(x)), x)]  # same values, same order


class Concatenate(Op):
    """The inputs joined along an existing axis ``axis``."""

    name = "concatenate"

    def forward(self, *xs):
        xs = promote(*[as_array(x) for x in xs])
        check_axis(self.name, self.axis, xs[0].ndim)
        try:
            return np.concatenate(xs, axis=self.axis)
        except ValueError:
            raise ValueError(_(
                "concatenate: cannot join arrays of shapes {shapes} along axis {axis}"
            ).format(shapes=", ".join(str(x.shape) for x in xs), axis=self.axis)) from None

    def backward(self, grad, inputs, out):
        sizes = [np.shape(x)[self.axis] for x in inputs]
        pieces = np.split(grad, np.cumsum(sizes)[:-1], axis=self.axis)
        return [input_grad(g, x) for g, x in zip(pieces, inputs)]  # each input its own piece


class Stack(Op):
    """The inputs (all of one shape) joined along a new axis ``axis``."""

    name = "stack"

    def forward(self, *xs):
        xs = promote(*[as_array(x) for x in xs])
        check_axis(self.name, self.axis, xs[0].ndim + 1)
        if len({x.shape for x in xs}) > 1:
            raise ValueError(_("stack: arrays must have the same shape, got shapes {shapes}")
                             .format(shapes=", ".join(str(x.shape) for x in xs)))
        return np.stack(xs, axis=self.axis)

    def backward(self, grad, inputs, out):
        pieces = [np.take(grad, i, axis=self.axis) for i in range(len(inputs))]
        return [input_grad(g, x) for g, x in zip(pieces, inputs)]  # each input its own slice


class Split(Op):
    """A list of pieces of ``x`` along ``axis``: ``indices_or_sections`` equal pieces when an
    int, else the pieces between the given indices."""

    name = "split"

    def forward(self, x):
        x = as_array(x)
        axis = check_axis(self.name, self.axis, x.ndim)
        sections = self.indices_or_sections
        if isinstance(sections, (int, np.integer)) and (
                sections < 1 or x.shape[axis] % sections):
            raise ValueError(_(
                "split: axis {axis} of shape {shape} cannot be split into "
                "indices_or_sections={sections} equal pieces"
            ).format(axis=self.axis, shape=x.shape, sections=sections))
        return list(np.split(x, sections, axis=axis))

    def backward(self, grads, inputs, out):
        pieces = [np.zeros_like(o) if g is None else g for g, o in zip(grads, out)]
        return [input_grad(np.concatenate(pieces, axis=self.axis), inputs[0])]  # joined back


class Take(Op):
    """The values of ``x`` at ``indices`` along ``axis`` (of the flattened ``x`` when None);
    negative indices count from the end."""

    name = "take"

    def forward(self, x, indices):
        x, indices = as_array(x), as_array(indices)
        x = x.ravel() if self.axis is None else x
        axis = 0 if self.axis is None else check_axis(self.name, self.axis, x.ndim)
        size = x.shape[axis]
        if indices.size and (indices.min() < -size or indices.max() >= size):
            raise IndexError(_(
                "take: indices from {low} to {high} are out of range for axis {axis} of size "
                "{size}"
            ).format(low=indices.min(), high=indices.max(), axis=axis, size=size))
        return np.asarray(np.take(x, indices, axis=axis))

    def backward(self, grad, inputs, out):
        x, indices = inputs
        flat = np.zeros(np.size(x) if self.axis is None else np.shape(x), grad.dtype)
        axis = 0 if self.axis is None else self.axis % flat.ndim
        np.add.at(flat, (slice(None),) * axis + (as_array(indices),), grad)  # dx = sum of picks
        return [input_grad(flat.reshape(np.shape(x)), x), None]


class GetItem(Op):
    """``x[key]``: ints, slices, ``...``, ``None`` and integer or boolean arrays, as in
    NumPy."""

    name = "get_item"

    def forward(self, x):
        return np.asarray(as_array(x)[self.key])

    def backward(self, grad, inputs, out):
        x = inputs[0]
        key = self.key if isinstance(self.key, tuple) else (self.key,)
        key = tuple(k for k in key if k is not None)  # None only added axes of size 1
        dx = np.zeros(np.shape(x), grad.dtype)
        np.add.at(dx, key, grad.reshape(dx[key].shape))  # each picked value gets its gradient
        return [input_grad(dx, x)]


def nonzero(x):
    """The indices of the nonzero values of ``x``: one ``int32`` array per axis."""
    return [index.astype(np.int32) for index in np.nonzero(as_array(x))]

