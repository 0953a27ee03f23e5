"""Smooth ReLUs: ``x`` times a gate that goes from 0 to 1 (``silu``, ``hard_silu``,
``gelu``, ``mish``), and the ``exponential``."""

from __future__ import annotations

import math

import numpy as np

from ...i18n import _
from ..serialization import register
from .base import _float, backward_of, on_tensors
from .sigmoids import hard_sigmoid, sigmoid, softplus


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
