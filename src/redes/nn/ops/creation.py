"""Making arrays and changing their type: zeros, ones, eye, arange, cast, and conversions.

The functions that make an array from numbers alone (``zeros``, ``ones``, ``eye``,
``arange``) and those that only look at an array (``shape``, ``convert_to_numpy``) are plain
functions: they have no input to send a gradient to, so they do not go through ``apply``.
``cast`` is an op: a cast between float types passes the gradient through, and a cast to an
integer type has none.

The default float type is ``backend.floatx()`` (``"float32"``), as in Keras. Python numbers
and lists become ``int32``, ``floatx`` or ``bool`` arrays, as TensorFlow makes them.
"""

from __future__ import annotations

import numpy as np

from .. import backend
from .base import Op, apply
from .common import as_array, result_type


class Cast(Op):
    """``x`` as ``dtype`` (a float cast to an integer type is truncated towards zero)."""

    name = "cast"

    def forward(self, x):
        return np.asarray(x).astype(self.dtype)

    def backward(self, grad, inputs, out):
        x = np.asarray(inputs[0])
        if out.dtype.kind != "f" or x.dtype.kind != "f":
            return [None]  # integers have no gradient
        return [grad.astype(x.dtype)]  # d cast(x)/dx = 1 between float types


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """``x`` as an array of ``dtype`` (the engine's tensors are NumPy arrays). Without
    ``dtype``, an array (or a symbolic tensor) is returned as it is, and Python numbers and
    lists get TensorFlow's types (``int32``, ``floatx``, ``bool``). ``sparse`` and ``ragged``
    are accepted for Keras' signature and ignored."""
    if dtype is not None:
        return apply(Cast(dtype=dtype), x)
    if isinstance(x, np.generic):
        return np.asarray(x)
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        return x
    return as_array(x)


def convert_to_numpy(x):
    """A NumPy copy of ``x`` (a recorded tensor's or a weight's values too)."""
    value = getattr(x, "value", None)
    return np.array(x if value is None else value)


def shape(x) -> tuple:
    """The shape of ``x`` as a tuple (``None`` for an unknown axis of a symbolic tensor)."""
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


def dtype(x) -> str:
    """The name of ``x``'s dtype, as Keras gives it: ``"float32"``, ``"int64"``... and
    ``"string"`` for an array of texts (NumPy's ``str`` arrays, or ``object`` arrays holding
    ``str``), as TensorFlow's ``tf.string``."""
    array = np.asarray(x)
    kind = x.dtype if hasattr(x, "dtype") else array.dtype
    if kind.kind in "US" or (kind.kind == "O" and array.size and isinstance(array.flat[0], str)):
        return "string"
    return kind.name


def zeros(shape, dtype=None):
    """An array of zeros of ``shape``, of ``dtype`` (default ``backend.floatx()``)."""
    return np.zeros(shape, dtype=dtype or backend.floatx())


def ones(shape, dtype=None):
    """An array of ones of ``shape``, of ``dtype`` (default ``backend.floatx()``)."""
    return np.ones(shape, dtype=dtype or backend.floatx())


def eye(N, M=None, k=0, dtype=None):
    """An ``N`` x ``M`` matrix (``M`` defaults to ``N``) with ones on diagonal ``k`` (0 the main
    one, positive above it), of ``dtype`` (default ``backend.floatx()``)."""
    return np.eye(N, M, k, dtype=dtype or backend.floatx())


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values from ``start`` to ``stop`` (excluded) by ``step`` (default 1); with
    one argument, from 0 to ``start``. ``dtype`` defaults to the type of the arguments
    (``int32`` for Python ints, ``floatx`` when one is a float)."""
    given = [v for v in (start, stop, step) if v is not None]
    return np.arange(start, stop, 1 if step is None else step,
                     dtype=dtype or result_type(*given))
