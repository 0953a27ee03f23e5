"""``keras.ops`` for the NumPy engine: the same names, arguments and defaults as Keras 3.

Each function runs an op (``base.Op``: a forward and its local derivative) through
``apply``, so it computes at once on arrays and records a node of the graph on symbolic
tensors; the graph then gets every gradient from the ops' ``backward``::

    import redes.nn as keras
    from redes.nn import ops

    y = ops.softmax(ops.matmul(x, w) + b)

The ops live in modules by concept: ``math`` (elementwise), ``nn`` (activations and
crossentropies), ``reduction``, ``shapes`` (reshape, transpose, join, split, index),
``linalg`` (matmul, dot, einsum) and ``creation`` (zeros, arange, cast...).

No gradient: ``argmax``, ``argmin``, ``one_hot``, ``nonzero``, a ``cast`` to an integer type
and the integer inputs of every op (indices, labels) get ``None``. The functions that make
arrays from numbers (``zeros``, ``ones``, ``eye``, ``arange``) or only look at an array
(``shape``, ``convert_to_numpy``) are plain functions that do not go through ``apply``.
"""

from __future__ import annotations

from ...i18n import _
from .base import Op, apply, unbroadcast
from .creation import (
    Cast,
    arange,
    convert_to_numpy,
    convert_to_tensor,
    dtype,
    eye,
    ones,
    shape,
    zeros,
)
from .linalg import Dot, Einsum, Matmul
from .math import (
    Abs,
    Add,
    Clip,
    Compare,
    Divide,
    Exp,
    Log,
    Maximum,
    Minimum,
    Multiply,
    Negative,
    Power,
    Sqrt,
    Square,
    Subtract,
    Where,
)
from .nn import (
    Activation,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    LogSoftmax,
    OneHot,
    Relu,
    Sigmoid,
    Softmax,
    SparseCategoricalCrossentropy,
    Tanh,
    binary_crossentropy,
    categorical_crossentropy,
    log_softmax,
    one_hot,
    relu,
    sigmoid,
    softmax,
    sparse_categorical_crossentropy,
    tanh,
)
from .reduction import ArgMax, ArgMin, Max, Mean, Min, Prod, Std, Sum, Var
from .shapes import (
    Concatenate,
    ExpandDims,
    GetItem,
    Reshape,
    Split,
    Squeeze,
    Stack,
    Take,
    Transpose,
    nonzero,
)

# Arithmetic and elementwise functions ---------------------------------------------------


def add(x1, x2):
    """``x1 + x2``, broadcast."""
    return apply(Add(), x1, x2)


def subtract(x1, x2):
    """``x1 - x2``, broadcast."""
    return apply(Subtract(), x1, x2)


def multiply(x1, x2):
    """``x1 * x2``, broadcast."""
    return apply(Multiply(), x1, x2)


def divide(x1, x2):
    """``x1 / x2``, broadcast; integers give ``floatx``."""
    return apply(Divide(), x1, x2)


true_divide = divide      # ``x1 / x2``: the same as ``divide``


def negative(x):
    """``-x``."""
    return apply(Negative(), x)


def power(x1, x2):
    """``x1 ** x2``, broadcast (``x2`` an array or a number)."""
    return apply(Power(), x1, x2)


def exp(x):
    """``e ** x``."""
    return apply(Exp(), x)


def log(x):
    """The natural logarithm of ``x``."""
    return apply(Log(), x)


def sqrt(x):
    """The square root of ``x``."""
    return apply(Sqrt(), x)


def square(x):
    """``x * x``."""
    return apply(Square(), x)


def absolute(x):
    """``|x|``."""
    return apply(Abs(), x)


abs = absolute            # ``|x|``: the same as ``absolute``


def maximum(x1, x2):
    """The larger of ``x1`` and ``x2``, elementwise and broadcast."""
    return apply(Maximum(), x1, x2)


def minimum(x1, x2):
    """The smaller of ``x1`` and ``x2``, elementwise and broadcast."""
    return apply(Minimum(), x1, x2)


def clip(x, x_min, x_max):
    """``x`` limited to ``[x_min, x_max]``."""
    return apply(Clip(), x, x_min, x_max)


def where(condition, x1=None, x2=None):
    """``x1`` where ``condition`` is true and ``x2`` elsewhere; with ``x1`` and ``x2`` both
    None (the default), the indices where ``condition`` is true (``nonzero``)."""
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError(_("where: x1 and x2 must both be given or both be None"))
    return apply(Where(), condition, x1, x2)


# Products ---------------------------------------------------------------------------------


def matmul(x1, x2):
    """The matrix product ``x1 @ x2`` (batch axes broadcast, as ``np.matmul``)."""
    return apply(Matmul(), x1, x2)


def dot(x1, x2):
    """``np.dot``: the sum over the last axis of ``x1`` and the second to last of ``x2``."""
    return apply(Dot(), x1, x2)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation, e.g. ``einsum("ij,jk->ik", a, b)``; ``kwargs`` are ignored."""
    return apply(Einsum(subscripts=subscripts), *operands)


# Reductions -------------------------------------------------------------------------------


def sum(x, axis=None, keepdims=False):
    """The sum along ``axis`` (default None: every axis); ``keepdims`` (default False)."""
    return apply(Sum(axis=axis, keepdims=keepdims), x)


def mean(x, axis=None, keepdims=False):
    """The mean along ``axis`` (default None: every axis); ``keepdims`` (default False)."""
    return apply(Mean(axis=axis, keepdims=keepdims), x)


def max(x, axis=None, keepdims=False, initial=None):
    """The maximum along ``axis`` (default None: every axis), at least ``initial`` when given
    (default None); ``keepdims`` (default False)."""
    return apply(Max(axis=axis, keepdims=keepdims, initial=initial), x)


def min(x, axis=None, keepdims=False, initial=None):
    """The minimum along ``axis`` (default None: every axis), at most ``initial`` when given
    (default None); ``keepdims`` (default False)."""
    return apply(Min(axis=axis, keepdims=keepdims, initial=initial), x)


def argmax(x, axis=None, keepdims=False):
    """The index of the maximum along ``axis`` (default None: of the flattened ``x``)."""
    return apply(ArgMax(axis=axis, keepdims=keepdims), x)


def argmin(x, axis=None, keepdims=False):
    """The index of the minimum along ``axis`` (default None: of the flattened ``x``)."""
    return apply(ArgMin(axis=axis, keepdims=keepdims), x)


def std(x, axis=None, keepdims=False):
    """The standard deviation (divided by n) along ``axis`` (default None: every axis)."""
    return apply(Std(axis=axis, keepdims=keepdims), x)


def var(x, axis=None, keepdims=False):
    """The variance (divided by n) along ``axis`` (default None: every axis)."""
    return apply(Var(axis=axis, keepdims=keepdims), x)


def prod(x, axis=None, keepdims=False, dtype=None):
    """The product along ``axis`` (default None: every axis), of ``dtype`` when given."""
    return apply(Prod(axis=axis, keepdims=keepdims, dtype=dtype), x)


# Shapes, joining, splitting and indexing -------------------------------------------------


def reshape(x, newshape):
    """``x`` with shape ``newshape`` (one axis may be -1: whatever is left)."""
    return apply(Reshape(newshape=newshape), x)


def transpose(x, axes=None):
    """``x`` with its axes in the order ``axes`` (default None: reversed)."""
    return apply(Transpose(axes=axes), x)


def expand_dims(x, axis):
    """``x`` with a new axis of size 1 at ``axis`` (an int or a tuple)."""
    return apply(ExpandDims(axis=axis), x)


def squeeze(x, axis=None):
    """``x`` without its axes of size 1 at ``axis`` (default None: all of them)."""
    return apply(Squeeze(axis=axis), x)


def concatenate(xs, axis=0):
    """The arrays ``xs`` joined along the existing ``axis`` (default 0)."""
    return apply(Concatenate(axis=axis), *xs)


def stack(x, axis=0):
    """The arrays ``x`` (a list) joined along a new ``axis`` (default 0)."""
    return apply(Stack(axis=axis), *x)


def split(x, indices_or_sections, axis=0):
    """A list of pieces of ``x`` along ``axis`` (default 0): ``indices_or_sections`` equal
    pieces, or the pieces between the given indices."""
    return apply(Split(indices_or_sections=indices_or_sections, axis=axis), x)


def take(x, indices, axis=None):
    """The values of ``x`` at ``indices`` along ``axis`` (default None: of the flattened x)."""
    return apply(Take(axis=axis), x, indices)


def get_item(x, key):
    """``x[key]`` (ints, slices, ``...``, ``None``, integer or boolean arrays)."""
    return apply(GetItem(key=key), x)


def cast(x, dtype):
    """``x`` as ``dtype``."""
    return apply(Cast(dtype=dtype), x)


__all__ = [
    "abs",
    "absolute",
    "add",
    "arange",
    "argmax",
    "argmin",
    "binary_crossentropy",
    "cast",
    "categorical_crossentropy",
    "clip",
    "concatenate",
    "convert_to_numpy",
    "convert_to_tensor",
    "divide",
    "dot",
    "equal",
    "einsum",
    "exp",
    "expand_dims",
    "eye",
    "get_item",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "log",
    "log_softmax",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "multiply",
    "negative",
    "nonzero",
    "not_equal",
    "one_hot",
    "ones",
    "power",
    "prod",
    "relu",
    "reshape",
    "shape", "dtype",
    "sigmoid",
    "softmax",
    "sparse_categorical_crossentropy",
    "split",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "std",
    "subtract",
    "sum",
    "take",
    "tanh",
    "transpose",
    "true_divide",
    "var",
    "where",
    "zeros",
    "Abs",
    "Add",
    "ArgMax",
    "ArgMin",
    "BinaryCrossentropy",
    "Cast",
    "CategoricalCrossentropy",
    "Clip",
    "Compare",
    "Concatenate",
    "Divide",
    "Dot",
    "Einsum",
    "Exp",
    "ExpandDims",
    "GetItem",
    "Log",
    "LogSoftmax",
    "Matmul",
    "Max",
    "Maximum",
    "Mean",
    "Min",
    "Minimum",
    "Multiply",
    "Negative",
    "OneHot",
    "Power",
    "Prod",
    "Relu",
    "Reshape",
    "Sigmoid",
    "Softmax",
    "SparseCategoricalCrossentropy",
    "Split",
    "Sqrt",
    "Square",
    "Squeeze",
    "Stack",
    "Std",
    "Subtract",
    "Sum",
    "Take",
    "Tanh",
    "Transpose",
    "Var",
    "Where",
    "Activation",
    "Op",
    "apply",
    "unbroadcast",
]


def less(x1, x2):
    """``x1 < x2``, elementwise (booleans)."""
    return apply(Compare(kind="less"), x1, x2)


def less_equal(x1, x2):
    """``x1 <= x2``, elementwise (booleans)."""
    return apply(Compare(kind="less_equal"), x1, x2)


def greater(x1, x2):
    """``x1 > x2``, elementwise (booleans)."""
    return apply(Compare(kind="greater"), x1, x2)


def greater_equal(x1, x2):
    """``x1 >= x2``, elementwise (booleans)."""
    return apply(Compare(kind="greater_equal"), x1, x2)


def equal(x1, x2):
    """``x1 == x2``, elementwise (booleans)."""
    return apply(Compare(kind="equal"), x1, x2)


def not_equal(x1, x2):
    """``x1 != x2``, elementwise (booleans)."""
    return apply(Compare(kind="not_equal"), x1, x2)
