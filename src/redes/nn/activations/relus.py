"""The identity and the rectified linear units: ``linear``, ``relu``, ``relu6``,
``leaky_relu``, and the exponential linear units ``elu`` and ``selu``."""

from __future__ import annotations

import numpy as np

from ..serialization import register
from .base import _float, _number, backward_of, on_tensors

# The two constants of SELU (Klambauer et al., 2017), as in Keras.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


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

