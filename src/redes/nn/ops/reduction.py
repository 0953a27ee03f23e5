"""Reductions: sum, mean, max, min, std, var, prod (and argmax, argmin) along ``axis``.

``axis`` is None (every axis), an int or a tuple of ints; ``keepdims=True`` keeps each
reduced axis with size 1. Each output value comes from a group of input values (those that
differ only along the reduced axes), so the backward first gives the gradient back its
reduced axes (``_spread``) and then applies the local derivative to every member of the
group.

Types follow Keras: ``sum`` and ``prod`` of booleans and small integers give ``int32``;
``mean``, ``std`` and ``var`` of integers give ``backend.floatx()``; ``argmax`` and
``argmin`` give ``int32``.
"""

from __future__ import annotations

import numpy as np

from .base import Op
from .common import as_array, check_axes, check_axis, input_grad, to_float

_WIDER_INTS = {"bool": "int32", "int8": "int32", "int16": "int32",
               "uint8": "uint32", "uint16": "uint32"}  # as Keras (and JAX) sum and multiply


def _keep(grad, axes, keepdims):
    """``grad`` with its reduced ``axes`` back, with size 1 (as ``keepdims=True`` gives)."""
    return np.asarray(grad) if keepdims else np.expand_dims(grad, axes)


def _spread(grad, x, axes, keepdims):
    """``grad`` copied to every member of its group: an array of ``x``'s shape."""
    return np.broadcast_to(_keep(grad, axes, keepdims), np.shape(x)).copy()


def _group_size(x, axes) -> int:
    return int(np.prod([np.shape(x)[a] for a in axes]))


class Sum(Op):
    name = "sum"

    def forward(self, x):
        x = as_array(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        dtype = _WIDER_INTS.get(x.dtype.name, x.dtype)
        return np.asarray(np.sum(x, axis=axes, keepdims=self.keepdims, dtype=dtype))

    def backward(self, grad, inputs, out):
        x = inputs[0]
        axes = check_axes(self.name, self.axis, np.ndim(x))
        return [input_grad(_spread(grad, x, axes, self.keepdims), x)]  # d(sum x)/dx_i = 1


class Mean(Op):
    name = "mean"

    def forward(self, x):
        x = to_float(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        return np.asarray(np.mean(x, axis=axes, keepdims=self.keepdims))

    def backward(self, grad, inputs, out):
        x = inputs[0]
        axes = check_axes(self.name, self.axis, np.ndim(x))
        n = _group_size(x, axes)
        return [input_grad(_spread(grad, x, axes, self.keepdims) / n, x)]  # d mean/dx_i = 1/n


class Max(Op):
    """The largest value of each group (and at least ``initial`` when given)."""

    name = "max"
    reduce = staticmethod(np.max)

    def forward(self, x):
        x = as_array(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        extra = {} if self.initial is None else {"initial": self.initial}
        return np.asarray(self.reduce(x, axis=axes, keepdims=self.keepdims, **extra))

    def backward(self, grad, inputs, out):
        x = inputs[0]
        axes = check_axes(self.name, self.axis, np.ndim(x))
        winners = x == _keep(out, axes, self.keepdims)
        count = np.maximum(winners.sum(axis=axes, keepdims=True), 1)
        dx = _keep(grad, axes, self.keepdims) * winners / count  # d max/dx_i = 1/k for each of
        return [input_grad(dx, x)]  # the k tied maxima (TensorFlow splits a tie), 0 elsewhere


class Min(Max):
    """The smallest value of each group (and at most ``initial`` when given); its backward is
    ``Max``'s: 1/k for each of the k tied minima."""

    name = "min"
    reduce = staticmethod(np.min)


class ArgMax(Op):
    """The index of the largest value along ``axis`` (of the flattened array when None), as
    ``int32``. No gradient."""

    name = "argmax"
    find = staticmethod(np.argmax)

    def forward(self, x):
        x = as_array(x)
        if self.axis is not None:
            check_axis(self.name, self.axis, x.ndim)
        index = self.find(x, axis=self.axis, keepdims=self.keepdims)
        return np.asarray(index, dtype=np.int32)

    def backward(self, grad, inputs, out):
        return [None]  # an index has no derivative


class ArgMin(ArgMax):
    """The index of the smallest value along ``axis``, as ``int32``. No gradient."""

    name = "argmin"
    find = staticmethod(np.argmin)


class Var(Op):
    """The variance of each group: the mean of ``(x - mean)^2`` (divided by n, not n - 1)."""

    name = "var"

    def forward(self, x):
        x = to_float(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        return np.asarray(np.var(x, axis=axes, keepdims=self.keepdims))

    def backward(self, grad, inputs, out):
        x = inputs[0]
        axes = check_axes(self.name, self.axis, np.ndim(x))
        centered = x - np.mean(x, axis=axes, keepdims=True)
        dx = _keep(grad, axes, self.keepdims) * 2 * centered / _group_size(x, axes)
        return [input_grad(dx, x)]  # d var/dx_i = 2 (x_i - mean) / n


class Std(Op):
    """The standard deviation of each group: ``sqrt(var)`` (divided by n, not n - 1)."""

    name = "std"

    def forward(self, x):
        x = to_float(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        return np.asarray(np.std(x, axis=axes, keepdims=self.keepdims))

    def backward(self, grad, inputs, out):
        x = inputs[0]
        axes = check_axes(self.name, self.axis, np.ndim(x))
        centered = x - np.mean(x, axis=axes, keepdims=True)
        n_std = _group_size(x, axes) * _keep(out, axes, self.keepdims)
        with np.errstate(divide="ignore", invalid="ignore"):
            dx = _keep(grad, axes, self.keepdims) * centered / n_std
        return [input_grad(dx, x)]  # d std/dx_i = (x_i - mean) / (n std)


def _product_of_others(x, axes):
    """For each value, the product of the other values of its group, without dividing (so it
    is exact when the group holds zeros): the products before it times those after it."""
    last = tuple(range(-len(axes), 0))
    moved = np.moveaxis(x, axes, last)  # the reduced axes last, then flattened into one
    flat = moved.reshape(moved.shape[: moved.ndim - len(axes)] + (-1,))
    ones = np.ones_like(flat[..., :1])
    before = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis((before * after).reshape(moved.shape), last, axes)


class Prod(Op):
    """The product of each group, in ``dtype`` when given."""

    name = "prod"

    def forward(self, x):
        x = as_array(x)
        axes = check_axes(self.name, self.axis, x.ndim)
        dtype = self.dtype or _WIDER_INTS.get(x.dtype.name, x.dtype)
        return np.asarray(np.prod(x, axis=axes, keepdims=self.keepdims, dtype=dtype))

    def backward(self, grad, inputs, out):
        x = inputs[0]
        axes = check_axes(self.name, self.axis, np.ndim(x))
        others = _product_of_others(np.asarray(x), axes)
        dx = _keep(grad, axes, self.keepdims) * others  # d(prod x)/dx_i = prod of x_j, j != i
        return [input_grad(dx, x)]
