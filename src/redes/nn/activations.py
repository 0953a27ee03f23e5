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
"""

from __future__ import annotations

import functools
import inspect
import math

import numpy as np

from ..i18n import _
from . import backend
from .serialization import deserialize as _deserialize
from .serialization import lookup, names, register
from .variables import Operators

# The two constants of SELU (Klambauer et al., 2017), as in Keras.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _float(x) -> np.ndarray:
    """``x`` as a float array; integers and lists become ``backend.floatx()``."""
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(backend.floatx())


def _number(value, argument: str, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(_("{argument}: expected a number, got {value!r}").format(
            argument=argument, value=value))
    if not np.isfinite(value) or (minimum is not None and value < minimum):
        if minimum is None:
            raise ValueError(_("{argument}: expected a finite number, got {value!r}").format(
                argument=argument, value=value))
        raise ValueError(_("{argument}: expected a finite number >= {minimum}, got {value!r}")
                         .format(argument=argument, minimum=minimum, value=value))
    return float(value)


def _axis(axis) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(_("axis: expected an integer, got {value!r}").format(value=axis))
    return int(axis)


def on_tensors(fn):
    """Decorator: let the activation ``fn`` also take the tensors of a graph (``keras.Input``)
    or of a layer's ``call``, as Keras' do: there it runs as the op ``ops.nn.Activation``,
    whose derivative is ``fn.backward``. On arrays it is ``fn`` itself."""

    @functools.wraps(fn)
    def run(x, *args, **kwargs):
        if isinstance(x, Operators):
            from .ops import Activation, apply

            params = inspect.signature(fn).bind(x, *args, **kwargs).arguments
            params.pop(next(iter(params)))
            return apply(Activation(fn.__name__, **params), x)
        return fn(x, *args, **kwargs)

    return run


def backward_of(fn):
    """Decorator: attach ``backward`` to the activation ``fn`` (and keep it importable)."""

    def deco(backward):
        fn.backward = backward
        return backward

    return deco


# --------------------------------------------------------------------------- linear, ReLUs
@register("activation")
@on_tensors
def linear(x):
    """The identity: ``linear(x) = x``.

    Args:
        x: input array.
    """
    return _float(x)


@backward_of(linear)
def _linear_backward(grad, x, y):
    return grad  # f'(x) = 1


@register("activation")
@on_tensors
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: ``max(x, 0)`` with the default arguments.

    In general: ``x`` above ``threshold`` (capped at ``max_value``), and
    ``negative_slope * (x - threshold)`` below it.

    Args:
        x: input array.
        negative_slope: slope below the threshold. Defaults to ``0.0``.
        max_value: the largest output; ``None`` (default) means no cap.
        threshold: inputs up to this value are damped. Defaults to ``0.0``.
    """
    x = _float(x)
    if negative_slope == 0 and max_value is None and threshold == 0:
        return np.maximum(x, 0)
    negative_slope = _number(negative_slope, "negative_slope")
    threshold = _number(threshold, "threshold")
    y = np.where(x > threshold, x, 0).astype(x.dtype, copy=False)
    if max_value is not None:
        y = np.clip(y, 0, _number(max_value, "max_value", minimum=0))
    if negative_slope:
        y = y + negative_slope * np.minimum(x - threshold, 0)
    return y


@backward_of(relu)
def _relu_backward(grad, x, y, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0 and max_value is None and threshold == 0:
        return grad * (x > 0)  # f'(x) = 1 if x > 0 else 0
    # f'(x) = 1 where the output is x, negative_slope below threshold, 0 where capped
    passes = x > threshold
    if max_value is not None:
        passes &= (x > 0) & (x < max_value)
    return grad * passes + (negative_slope * grad) * (x < threshold)


@register("activation")
@on_tensors
def relu6(x):
    """ReLU capped at 6: ``min(max(x, 0), 6)``.

    Args:
        x: input array.
    """
    return np.clip(_float(x), 0, 6)


@backward_of(relu6)
def _relu6_backward(grad, x, y):
    return grad * ((x > 0) & (x < 6))  # f'(x) = 1 if 0 < x < 6 else 0


@register("activation")
@on_tensors
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: ``max(x, negative_slope * x)``, a small slope for negative inputs.

    Args:
        x: input array.
        negative_slope: slope for negative inputs. Defaults to ``0.2`` (as in Keras 3).
    """
    negative_slope = _number(negative_slope, "negative_slope")
    x = _float(x)
    return np.maximum(x, negative_slope * x)


@backward_of(leaky_relu)
def _leaky_relu_backward(grad, x, y, negative_slope=0.2):
    # f'(x) = 1 where x > negative_slope * x (x > 0 for a slope below 1), else negative_slope
    return np.where(x > negative_slope * x, grad, negative_slope * grad)


@register("activation")
@on_tensors
def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Args:
        x: input array.
        alpha: the value negative inputs saturate to is ``-alpha``. Defaults to ``1.0``.
    """
    alpha = _number(alpha, "alpha")
    x = _float(x)
    # expm1 of min(x, 0) never overflows, and is exact near 0
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


@backward_of(elu)
def _elu_backward(grad, x, y, alpha=1.0):
    # f'(x) = 1 if x >= 0 else alpha e^x = y + alpha
    return np.where(x >= 0, grad, grad * (y + alpha))


@register("activation")
@on_tensors
def selu(x):
    """Scaled ELU: ``scale * elu(x, alpha)`` with ``alpha = 1.67326...`` and
    ``scale = 1.05070...``, which keeps mean 0 and variance 1 through layers initialized
    with ``lecun_normal``.

    Args:
        x: input array.
    """
    x = _float(x)
    return (SELU_SCALE * elu(x, SELU_ALPHA)).astype(x.dtype, copy=False)


@backward_of(selu)
def _selu_backward(grad, x, y):
    # f'(x) = scale if x >= 0 else scale alpha e^x = y + scale alpha
    return np.where(x >= 0, SELU_SCALE * grad, grad * (y + SELU_SCALE * SELU_ALPHA))


# ---------------------------------------------------------------------- sigmoid and tanh
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
def tanh(x):
    """Hyperbolic tangent: ``(e^x - e^-x) / (e^x + e^-x)``, a value in (-1, 1).

    Args:
        x: input array.
    """
    return np.tanh(_float(x))


@backward_of(tanh)
def _tanh_backward(grad, x, y):
    return grad * (1 - y * y)  # f'(x) = 1 - f(x)^2


# ---------------------------------------------------------------------------- softmaxes
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


# ------------------------------------------------------------------------ smooth ReLUs
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


@register("activation", "swish")
def silu(x):
    """Sigmoid linear unit, also called swish: ``x * sigmoid(x)``.

    Args:
        x: input array.
    """
    x = _float(x)
    return x * sigmoid(x)


@backward_of(silu)
def _silu_backward(grad, x, y):
    s = sigmoid(x)
    return grad * (s * (1 + x * (1 - s)))  # f'(x) = s + x s (1 - s), s = sigmoid(x)


@register("activation", "hard_swish")
def hard_silu(x):
    """Hard SiLU, also called hard swish: ``x * hard_sigmoid(x)``.

    Args:
        x: input array.
    """
    x = _float(x)
    return x * hard_sigmoid(x)


@backward_of(hard_silu)
def _hard_silu_backward(grad, x, y):
    # f'(x) = 0 below -3, 1 above 3, x/3 + 1/2 in between
    return grad * np.where(x >= 3, 1, np.where(x > -3, x / 3 + 0.5, 0)).astype(grad.dtype)


@register("activation")
@on_tensors
def gelu(x, approximate=False):
    """Gaussian error linear unit: ``x * P(X <= x)`` with X a standard normal,
    ``0.5 x (1 + erf(x / sqrt(2)))``.

    Args:
        x: input array.
        approximate: use the tanh approximation
            ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``. Defaults to ``False``
            (the exact form, as in Keras 3).
    """
    x = _float(x)
    if not isinstance(approximate, (bool, np.bool_)):
        raise ValueError(_("approximate: expected True or False, got {value!r}").format(
            value=approximate))
    with np.errstate(over="ignore"):  # x^3 may overflow to inf; tanh(inf) = 1 is exact
        if approximate:
            u = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
            return (0.5 * x * (1 + np.tanh(u))).astype(x.dtype, copy=False)
    from scipy.special import erf

    return (0.5 * x * (1 + erf(x / math.sqrt(2)))).astype(x.dtype, copy=False)


@backward_of(gelu)
def _gelu_backward(grad, x, y, approximate=False):
    with np.errstate(over="ignore"):
        if approximate:
            c = math.sqrt(2 / math.pi)
            t = np.tanh(c * (x + 0.044715 * x**3))
            # f'(x) = (1 + t)/2 + x (1 - t^2) c (1 + 3 * 0.044715 x^2) / 2
            return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 0.134145 * x * x))
        from scipy.special import erf

        # f'(x) = Phi(x) + x phi(x), Phi the normal CDF and phi its density
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return grad * (0.5 * (1 + erf(x / math.sqrt(2))) + x * pdf)


@register("activation")
@on_tensors
def mish(x):
    """Mish: ``x * tanh(softplus(x))``.

    Args:
        x: input array.
    """
    x = _float(x)
    return x * np.tanh(softplus(x))


@backward_of(mish)
def _mish_backward(grad, x, y):
    t = np.tanh(softplus(x))
    return grad * (t + x * (1 - t * t) * sigmoid(x))  # f'(x) = t + x (1 - t^2) sigmoid(x)


@register("activation")
@on_tensors
def exponential(x):
    """The exponential: ``exp(x)`` (``inf`` once ``x`` passes the float's range).

    Args:
        x: input array.
    """
    with np.errstate(over="ignore"):
        return np.exp(_float(x))


@backward_of(exponential)
def _exponential_backward(grad, x, y):
    return grad * y  # f'(x) = e^x = f(x)


# ------------------------------------------------------------------------- look-ups
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
