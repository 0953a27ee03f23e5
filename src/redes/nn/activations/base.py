"""What every activation shares: float inputs, the checks of their arguments, and the two
decorators that make a plain function an activation of the engine (``on_tensors`` lets it take
the tensors of a graph, ``backward_of`` attaches its derivative).
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from ...i18n import _
from .. import backend
from ..variables import Operators


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
            from ..ops import Activation, apply

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

