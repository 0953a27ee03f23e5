"""The softmax and its logarithm: a probability distribution along one axis."""

from __future__ import annotations

import numpy as np

from ..serialization import register
from .base import _axis, _float, backward_of, on_tensors


@register("activation")
@on_tensors
def softmax(x, axis=-1):
    """Softmax: ``exp(x) / sum(exp(x))`` along ``axis``, a probability distribution.

    Args:
        x: input array (the logits).
        axis: the axis that sums to 1. Defaults to ``-1``.
    """
    axis = _axis(axis)
    x = _float(x)
    # softmax(x) = softmax(x - max): the largest exponent is 0, so nothing overflows
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


@backward_of(softmax)
def _softmax_backward(grad, x, y, axis=-1):
    # J^T g with J = diag(y) - y y^T:  dL/dx = y * (g - sum(g * y))
    return y * (grad - np.sum(grad * y, axis=axis, keepdims=True))


@register("activation")
@on_tensors
def log_softmax(x, axis=-1):
    """Logarithm of the softmax: ``x - log(sum(exp(x)))`` along ``axis``.

    Args:
        x: input array (the logits).
        axis: the axis of the distribution. Defaults to ``-1``.
    """
    axis = _axis(axis)
    x = _float(x)
    z = x - np.max(x, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


@backward_of(log_softmax)
def _log_softmax_backward(grad, x, y, axis=-1):
    # dy_i/dx_j = [i = j] - softmax(x)_j:  dL/dx = g - exp(y) * sum(g)
    return grad - np.exp(y) * np.sum(grad, axis=axis, keepdims=True)
