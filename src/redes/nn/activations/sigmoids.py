"""The S-shaped activations and their relatives: ``sigmoid``, ``hard_sigmoid``,
``log_sigmoid`` and ``softplus`` (``log_sigmoid(x) = -softplus(-x)``, and the derivative of
``softplus`` is the sigmoid), then ``tanh`` and ``softsign``, whose values lie in (-1, 1)."""

from __future__ import annotations

import numpy as np

from ..serialization import register
from .base import _float, backward_of, on_tensors


@register("activation")
@on_tensors
def sigmoid(x):
    """Logistic sigmoid: ``1 / (1 + exp(-x))``, a value in (0, 1).

    Args:
        x: input array.
    """
    x = _float(x)
    # exp of a non-positive number never overflows: 1/(1+e^-x) for x>=0, e^x/(1+e^x) else
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


@backward_of(sigmoid)
def _sigmoid_backward(grad, x, y):
    return grad * (y * (1 - y))  # f'(x) = f(x) (1 - f(x))


@register("activation")
@on_tensors
def hard_sigmoid(x):
    """Piecewise linear sigmoid: 0 below -3, 1 above 3, ``x / 6 + 0.5`` in between.

    Args:
        x: input array.
    """
    x = _float(x)
    return np.clip(x / 6 + 0.5, 0, 1)


@backward_of(hard_sigmoid)
def _hard_sigmoid_backward(grad, x, y):
    return grad * ((x > -3) & (x < 3)) / 6  # f'(x) = 1/6 if -3 < x < 3 else 0


@register("activation")
@on_tensors
def log_sigmoid(x):
    """Logarithm of the sigmoid: ``log(1 / (1 + exp(-x))) = -softplus(-x)``.

    Args:
        x: input array.
    """
    return -softplus(-_float(x))


@backward_of(log_sigmoid)
def _log_sigmoid_backward(grad, x, y):
    return grad * sigmoid(-x)  # f'(x) = 1 - sigmoid(x) = sigmoid(-x)


@register("activation")
@on_tensors
def softplus(x):
    """Softplus: ``log(1 + exp(x))``, a smooth ReLU.

    Args:
        x: input array.
    """
    x = _float(x)
    return np.logaddexp(x, 0).astype(x.dtype, copy=False)  # log(e^x + e^0), never overflows


@backward_of(softplus)
def _softplus_backward(grad, x, y):
    return grad * sigmoid(x)  # f'(x) = e^x / (1 + e^x) = sigmoid(x)


@register("activation")
@on_tensors
def tanh(x):
    """Hyperbolic tangent: ``(e^x - e^-x) / (e^x + e^-x)``, a value in (-1, 1).

    Args:
        x: input array.
    """
    return np.tanh(_float(x))


@backward_of(tanh)
def _tanh_backward(grad, x, y):
    return grad * (1 - y * y)  # f'(x) = 1 - f(x)^2


@register("activation")
@on_tensors
def softsign(x):
    """Softsign: ``x / (1 + |x|)``, a value in (-1, 1).

    Args:
        x: input array.
    """
    x = _float(x)
    return x / (1 + np.abs(x))


@backward_of(softsign)
def _softsign_backward(grad, x, y):
    d = 1 + np.abs(x)
    return grad / d / d  # f'(x) = 1 / (1 + |x|)^2

