"""Activation functions and their derivatives, with Keras 3's names, arguments and defaults.

Each activation is a plain function of ``x`` (as in ``keras.activations``), for example
``relu(x)`` or ``leaky_relu(x, negative_slope=0.2)``. Each one also carries a
``backward(grad, x, y, **params)`` attribute that turns dL/dy into dL/dx, where
``y = f(x, **params)``: it is the chain rule, ``dL/dx = dL/dy * f'(x)``, and the derivative
``f'(x)`` it implements is written in the comment beside it.

A layer refers to an activation by name (``Dense(10, activation="relu")``) and then uses its
default parameters, as Keras does. Every function keeps the float type of its input, and is
written so that extreme inputs (``sigmoid(-1000)``, ``softplus(1000)``, the softmax of huge
logits) give exact limits without overflow warnings or NaN.

Modules: ``base`` (the float inputs, the argument checks and the two decorators every
activation uses), ``relus`` (linear and the ReLU family), ``sigmoids`` (sigmoid, tanh and
their relatives), ``softmaxes`` and ``smooth`` (silu, gelu, mish...); ``get``, ``serialize``
and ``deserialize`` are here.
"""

from __future__ import annotations

from ...i18n import _
from ..serialization import deserialize as _deserialize
from ..serialization import lookup, names
from .base import backward_of, on_tensors
from .relus import SELU_ALPHA, SELU_SCALE, elu, leaky_relu, linear, relu, relu6, selu
from .sigmoids import hard_sigmoid, log_sigmoid, sigmoid, softplus, softsign, tanh
from .smooth import exponential, gelu, hard_silu, mish, silu
from .softmaxes import log_softmax, softmax

__all__ = [
    "SELU_ALPHA",
    "SELU_SCALE",
    "backward_of",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "hard_sigmoid",
    "hard_silu",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "on_tensors",
    "relu",
    "relu6",
    "selu",
    "serialize",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "softsign",
    "tanh",
]


def get(identifier):
    """An activation from a name (``"relu"``), a config, or a function with a ``backward``.

    Args:
        identifier: a name, a Keras-style config (``{"class_name": "function",
            "config": "relu"}``), an activation function, or ``None`` (default: linear).
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        name = identifier.get("class_name")
        if name == "function":  # Keras' form for a built-in function: the name is the config
            name = identifier.get("config")
        if isinstance(name, str):
            return lookup("activation", name, "activation")
        return _deserialize("activation", identifier, "activation")
    if isinstance(identifier, str):
        return lookup("activation", identifier, "activation")
    if callable(identifier) and hasattr(identifier, "backward"):
        return identifier
    raise ValueError(_(
        "activation: expected one of {names} or a function with a "
        "'backward(grad, x, y)' attribute, got {value!r}"
    ).format(names=", ".join(names("activation")), value=identifier))


def serialize(fn) -> str:
    """The name of an activation, as Keras writes it into a layer's config.

    A custom activation is written by its function name too; to load it back, register it
    with ``redes.nn.serialization.register("activation")``.
    """
    name = getattr(fn, "__name__", None)
    if not isinstance(name, str):
        raise ValueError(_("activation: expected an activation function, got {value!r}")
                         .format(value=fn))
    return name


def deserialize(config):
    """The activation a name or config refers to (the inverse of ``serialize``)."""
    return get(config)
