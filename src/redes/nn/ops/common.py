"""What every module of ops shares: Keras' type promotion, the gradient of an input that
broadcasting stretched, and the checks of ``axis`` arguments.

Type promotion
--------------
Keras (on every backend) promotes dtypes like JAX, not like NumPy: ``int32 + float32`` is
``float32`` (NumPy says ``float64``), and a Python number is *weak*: it takes the type of the
array it meets (``float32 + 1.5`` stays ``float32``, ``int64 + 1.5`` becomes ``float32``).
``result_type`` walks JAX's promotion lattice, where each type points to the types just
above it, and returns the lowest type above all of its arguments.
"""

from __future__ import annotations

import functools

import numpy as np

from ...i18n import _
from .. import backend
from .base import unbroadcast

# Each type and the types just above it. "int" and "float" are Python's weak numbers.
_LATTICE = {
    "bool": ["int"],
    "int": ["uint8", "int8"],
    "uint8": ["int16", "uint16"],
    "uint16": ["int32", "uint32"],
    "uint32": ["int64", "uint64"],
    "uint64": ["float"],
    "int8": ["int16"],
    "int16": ["int32"],
    "int32": ["int64"],
    "int64": ["float"],
    "float": ["float16"],
    "float16": ["float32"],
    "float32": ["float64"],
    "float64": [],
}


@functools.cache
def _above(node: str) -> frozenset:
    """``node`` and every type above it in the lattice."""
    return frozenset([node]).union(*(_above(up) for up in _LATTICE[node]))


def _node(value) -> str:
    """Where a value sits in the lattice: its dtype, or the weak type of a Python number."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (str, type, np.dtype)):
        return np.dtype(value).name
    return np.asarray(value).dtype.name


def result_type(*values) -> np.dtype:
    """The dtype Keras gives to an operation on ``values`` (arrays, Python numbers or
    dtypes). A weak result becomes ``int32`` or ``backend.floatx()``, as in Keras."""
    nodes = {_node(v) for v in values}
    common = frozenset.intersection(*(_above(n) for n in nodes))
    lowest = next(n for n in common if common <= _above(n))
    return np.dtype({"int": "int32", "float": backend.floatx()}.get(lowest, lowest))


def is_number(value) -> bool:
    """True for a Python number (weak in type promotion, and never given a gradient)."""
    return isinstance(value, (bool, int, float))


def as_array(value) -> np.ndarray:
    """``value`` as an array. Python numbers and lists get the types TensorFlow gives them:
    ``int32`` (``int64`` when too large), ``backend.floatx()`` and ``bool``."""
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    array = np.asarray(value)
    if array.dtype.kind == "f":
        return array.astype(backend.floatx())
    int32 = np.iinfo(np.int32)
    if array.dtype.kind == "i" and (array.size == 0 or
                                    int32.min <= array.min() and array.max() <= int32.max):
        return array.astype(np.int32)
    return array


def promote(*values, dtype=None) -> list:
    """``values`` cast to ``dtype`` (by default their ``result_type``). Python numbers stay
    numbers, so that NumPy treats them weakly too, unless every value is one."""
    dtype = result_type(*values) if dtype is None else np.dtype(dtype)
    if all(is_number(v) for v in values):
        return [np.asarray(v, dtype=dtype) for v in values]
    return [v if is_number(v) else np.asarray(v).astype(dtype, copy=False) for v in values]


def to_float(x) -> np.ndarray:
    """``x`` as a float array: floats keep their type, integers and booleans become
    ``backend.floatx()`` (as Keras does for exp, log, sqrt, mean...)."""
    x = as_array(x)
    return x if x.dtype.kind == "f" else x.astype(backend.floatx())


def needs_grad(x) -> bool:
    """True for a float array: Python numbers and integer or boolean arrays have no gradient
    (as in TensorFlow)."""
    return not is_number(x) and np.asarray(x).dtype.kind == "f"


def input_grad(grad, x):
    """dL/dx from ``grad`` for an input ``x`` that broadcasting stretched to ``grad``'s shape,
    in ``x``'s dtype; ``None`` when ``x`` needs no gradient (or ``grad`` is None)."""
    if grad is None or not needs_grad(x):
        return None
    return unbroadcast(np.asarray(grad), np.shape(x)).astype(np.asarray(x).dtype, copy=False)


def check_axis(op: str, axis: int, ndim: int) -> int:
    """``axis`` as a non-negative int, or a ValueError that names the op."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise ValueError(_("{op}: axis must be an integer, got {axis!r}").format(
            op=op, axis=axis))
    if not -ndim <= axis < ndim:
        raise ValueError(_(
            "{op}: axis {axis} is out of bounds for an array of {ndim} dimensions"
        ).format(op=op, axis=axis, ndim=ndim))
    return int(axis) % ndim


def check_axes(op: str, axis, ndim: int) -> tuple:
    """``axis`` (None, an int or a tuple of ints) as a sorted tuple of non-negative ints;
    None means every axis."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(check_axis(op, a, ndim) for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(_("{op}: repeated axis in {axis!r}").format(op=op, axis=axis))
    return tuple(sorted(axes))
