"""What several losses share: checks of their arguments and a few array helpers."""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend


def check_axis(axis):
    if axis != -1:
        raise ValueError(_("axis: only -1 (the last axis) is supported, got {value!r}").format(
            value=axis))
    return -1


def check_smoothing(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not (
        0 <= value <= 1
    ):
        raise ValueError(_("label_smoothing: expected a number in [0, 1], got {value!r}")
                         .format(value=value))
    return float(value)


def is_number(value) -> bool:
    """A real number, not a bool."""
    return not isinstance(value, bool) and isinstance(value, (int, float, np.number))


def check_nonnegative(name, value):
    """``value`` as a float, or an error naming the argument ``name``."""
    if not is_number(value) or not value >= 0:
        raise ValueError(_("{name}: expected a number >= 0, got {value!r}").format(
            name=name, value=value))
    return float(value)


def clip_probs(p, high=None):
    """Probabilities clipped to [eps, 1 - eps] (Keras' epsilon 1e-7; to [eps, ``high``]
    when given), and where they were not clipped (where the clip passes the gradient on)."""
    lo = p.dtype.type(backend.epsilon())
    hi = p.dtype.type(1.0 - backend.epsilon() if high is None else high)
    return np.clip(p, lo, hi), (p >= lo) & (p <= hi)


def row_sums(a):
    """Sums along the last axis, as a product with a vector of ones: on the few columns of a
    classifier's output several times faster than np.sum, which is made for long rows."""
    return a @ np.ones(a.shape[-1], a.dtype)


def softmax_parts(z):
    """z - max(z), its exp and the sum of that exp along the last axis: the one exp that both
    log(softmax(z)) = (z - max) - log(sum) and softmax(z) = exp / sum are made from."""
    zs = z - z.max(axis=-1, keepdims=True)
    e = np.exp(zs)
    return zs, e, row_sums(e)[..., None]


def smooth_labels(y, smoothing, classes):
    """Targets pulled towards 1/classes: y (1 - s) + s / classes (``classes`` 2 for the
    binary losses, whose targets go towards 0.5)."""
    if not smoothing:
        return y
    return y * y.dtype.type(1.0 - smoothing) + y.dtype.type(smoothing / classes)
