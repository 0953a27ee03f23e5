"""Gradient clipping, as Keras does it: ``clipnorm``, ``global_clipnorm`` or ``clipvalue``.

An optimizer clips the gradients before weight decay and its update rule (see
``redes.nn.optimizers.base``); only one of the three options can be set, and 0 means no
clipping, as in Keras.
"""

from __future__ import annotations

import math

import numpy as np

from ...i18n import _
from .arguments import check_number


def check_clipping(clipnorm, clipvalue, global_clipnorm) -> tuple:
    """``(clipnorm, clipvalue, global_clipnorm)`` as floats or ``None``, or a ValueError
    when one is not a number >= 0 or more than one is set."""
    checked = (check_number("clipnorm", clipnorm, minimum=0, none_ok=True),
               check_number("clipvalue", clipvalue, minimum=0, none_ok=True),
               check_number("global_clipnorm", global_clipnorm, minimum=0, none_ok=True))
    given = [(arg, value) for arg, value in (("clipnorm", clipnorm),
                                             ("clipvalue", clipvalue),
                                             ("global_clipnorm", global_clipnorm))
             if value is not None]
    if len(given) > 1:
        raise ValueError(_(
            "clipnorm, clipvalue, global_clipnorm: set at most one of them, got {given}"
        ).format(given=", ".join(f"{arg}={value!r}" for arg, value in given)))
    return checked


def clip_gradients(grads, clipnorm=None, global_clipnorm=None, clipvalue=None):
    """Keras' clipping of ``grads`` (a list of arrays or ``None``); only one option is set.

    clipnorm:         g <- g * clipnorm / max(||g||, clipnorm), each gradient alone
    global_clipnorm:  g <- g * c / max(N, c), N = sqrt(sum of ||g||^2 over all gradients)
    clipvalue:        g <- clip(g, -clipvalue, clipvalue)
    """
    if clipnorm:
        c = clipnorm
        return [None if g is None else _scaled(g, c / max(_norm(g), c)) for g in grads]
    if global_clipnorm:
        c = global_clipnorm
        total = math.sqrt(sum(_norm(g) ** 2 for g in grads if g is not None))
        # Like Keras, a NaN or inf norm turns every gradient into NaN instead of hiding it.
        scale = c / max(total, c) if math.isfinite(total) else math.nan
        return [None if g is None else _scaled(g, scale) for g in grads]
    if clipvalue:
        c = clipvalue
        return [None if g is None else np.clip(g, -c, c) for g in grads]
    return grads


def _norm(g: np.ndarray) -> float:
    """The L2 norm of an array, without making a copy of it."""
    flat = g.reshape(-1)
    return math.sqrt(float(np.dot(flat, flat)))


def _scaled(g: np.ndarray, scale: float) -> np.ndarray:
    return g if scale == 1.0 else g * scale
