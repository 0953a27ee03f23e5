"""Activation functions and their derivatives.

Each activation is a plain function of ``x`` (as in ``keras.activations``) with a
``backward(grad, x, y)`` attribute that turns dL/dy into dL/dx, where ``y = f(x)``. The
derivative it implements is written in the comment beside it.
"""

from __future__ import annotations

import numpy as np

from .serialization import deserialize, names, register


def _with_backward(backward):
    def deco(fn):
        fn.backward = backward
        return register("activation")(fn)

    return deco


@_with_backward(lambda g, x, y: g)  # f'(x) = 1
def linear(x):
    return x


@_with_backward(lambda g, x, y: g * (x > 0))  # f'(x) = 1 if x > 0 else 0
def relu(x):
    return np.maximum(x, 0)


@_with_backward(lambda g, x, y: g * (y * (1 - y)))  # f'(x) = f(x) (1 - f(x))
def sigmoid(x):
    # exp of a non-positive number never overflows: 1/(1+e^-x) for x>=0, e^x/(1+e^x) else
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


@_with_backward(lambda g, x, y: g * (1 - y * y))  # f'(x) = 1 - f(x)^2
def tanh(x):
    return np.tanh(x)


def _softmax_backward(g, x, y):
    # J^T g with J = diag(y) - y y^T:  dL/dx = y * (g - sum(g * y))
    return y * (g - np.sum(g * y, axis=-1, keepdims=True))


@_with_backward(_softmax_backward)
def softmax(x, axis=-1):
    z = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def get(identifier):
    """An activation from a name, a config or a function with a ``backward``; None = linear."""
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize("activation", identifier, "activation")
    if callable(identifier) and hasattr(identifier, "backward"):
        return identifier
    raise ValueError(
        f"activation: expected one of {', '.join(names('activation'))} or a function with a "
        f"'backward(grad, x, y)' attribute, got {identifier!r}"
    )


def serialize(fn) -> str:
    return fn.__name__
