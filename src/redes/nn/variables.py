"""``keras.Variable``: a weight that a layer owns, and the operators of tensors.

A ``Variable`` holds a NumPy array that the optimizer updates in place. Inside a layer's
``call`` it is used like any tensor (``inputs @ self.w + self.b``, ``ops.matmul(x, self.w)``);
when the engine records the ops of ``call`` to get their gradients, each variable read is a
leaf of the recording, and its gradient is dL/d(that weight).
"""

from __future__ import annotations

import numpy as np

from ..i18n import _


class Operators:
    """Python's operators on tensors, each one an op of ``keras.ops`` (so that they record
    their derivative when the tensor is symbolic or recorded)."""

    __array_priority__ = 100   # ndarray + tensor calls the tensor's __radd__

    def _op(self, name, *args):
        from . import ops  # ops are built on layers, which use tensors: imported when used

        return getattr(ops, name)(*args)

    def __add__(self, other):
        return self._op("add", self, other)

    def __radd__(self, other):
        return self._op("add", other, self)

    def __sub__(self, other):
        return self._op("subtract", self, other)

    def __rsub__(self, other):
        return self._op("subtract", other, self)

    def __mul__(self, other):
        return self._op("multiply", self, other)

    def __rmul__(self, other):
        return self._op("multiply", other, self)

    def __truediv__(self, other):
        return self._op("divide", self, other)

    def __rtruediv__(self, other):
        return self._op("divide", other, self)

    def __matmul__(self, other):
        return self._op("matmul", self, other)

    def __rmatmul__(self, other):
        return self._op("matmul", other, self)

    def __pow__(self, other):
        return self._op("power", self, other)

    def __rpow__(self, other):
        return self._op("power", other, self)

    def __neg__(self):
        return self._op("negative", self)

    def __abs__(self):
        return self._op("abs", self)

    def __lt__(self, other):
        return self._op("less", self, other)

    def __le__(self, other):
        return self._op("less_equal", self, other)

    def __gt__(self, other):
        return self._op("greater", self, other)

    def __ge__(self, other):
        return self._op("greater_equal", self, other)

    def __eq__(self, other):
        return self._op("equal", self, other)

    def __ne__(self, other):
        return self._op("not_equal", self, other)

    __hash__ = object.__hash__   # a tensor stays usable as a key, by identity

    def __getitem__(self, key):
        return self._op("get_item", self, key)


class Variable(Operators):
    """A weight: an array that training updates in place.

    Args:
        initializer: an array of values, or an initializer (name or object) with ``shape``.
        shape: the shape, with an initializer.
        dtype: float type; defaults to ``floatx()``.
        trainable: whether the optimizer updates it. Defaults to ``True``.
        name: its name. Defaults to ``"variable"``.
    """

    def __init__(self, initializer=None, shape=None, dtype=None, trainable=True, name=None):
        from . import backend, initializers

        if initializer is None:
            raise ValueError(_("initializer: a Variable needs its values or an initializer"))
        if isinstance(initializer, (str, dict)) or callable(initializer):
            if shape is None:
                raise ValueError(_(
                    "shape: a Variable made with an initializer needs its shape"))
            dtype = backend.standardize_dtype(dtype)
            value = initializers.get(initializer)(tuple(shape), dtype=dtype)
        else:
            value = initializer
        value = np.array(value, dtype=dtype if dtype is not None else None)
        if value.dtype.kind == "f" and dtype is None:
            value = value.astype(backend.floatx())
        self.value = value
        self.trainable = bool(trainable)
        self.name = name or "variable"
        self.path = self.name

    @classmethod
    def holding(cls, array: np.ndarray, trainable: bool, name: str, path: str) -> Variable:
        """The Variable of a layer's weight: it holds ``array`` itself (no copy), which the
        layer computes with and the optimizer updates in place. ``path`` is
        ``"layer/weight"``, as in Keras."""
        variable = cls.__new__(cls)
        variable.value, variable.trainable = array, bool(trainable)
        variable.name, variable.path = name, path
        return variable

    # ------------------------------------------------------------------ reading
    @property
    def shape(self) -> tuple:
        return self.value.shape

    @property
    def dtype(self) -> str:
        return self.value.dtype.name

    @property
    def ndim(self) -> int:
        return self.value.ndim

    @property
    def size(self) -> int:
        return self.value.size

    def numpy(self) -> np.ndarray:
        """A copy of the values."""
        return self.value.copy()

    def __array__(self, dtype=None, copy=None):
        return self.value if dtype is None else self.value.astype(dtype)

    def __len__(self):
        return len(self.value)

    def __float__(self):
        return float(self.value)

    def __int__(self):
        return int(self.value)

    # ------------------------------------------------------------------ writing
    def assign(self, value):
        """Set new values, in place (same shape). Inside a layer's ``call`` this is a change
        of state (as a running total), not an op: no gradient flows through it."""
        value = np.asarray(_values(value))
        if value.shape != self.value.shape:
            raise ValueError(_(
                "value: variable {name!r} has shape {shape}, got values of shape {given}"
            ).format(name=self.name, shape=self.value.shape, given=value.shape))
        np.copyto(self.value, value, casting="unsafe")
        return self

    def assign_add(self, value):
        return self.assign(self.value + np.asarray(_values(value)))

    def assign_sub(self, value):
        return self.assign(self.value - np.asarray(_values(value)))

    def __repr__(self) -> str:
        return (f"<Variable path={self.path}, shape={self.value.shape}, "
                f"dtype={self.value.dtype.name}, value={self.value}>")


def arrays(weights) -> list[np.ndarray]:
    """The arrays that ``weights`` (Variables, or arrays already) hold: what the engine
    computes with and updates in place."""
    return [w.value if isinstance(w, Variable) else w for w in weights]


class Tensor(np.ndarray):
    """What a layer, a model, an op or a loss gives back when called on arrays: a NumPy
    array, with the ``numpy()`` that Keras code calls on its tensors (``model(x).numpy()``).
    NumPy functions take it as any array; ``np.asarray`` gives the plain array back."""

    def numpy(self) -> np.ndarray:
        """The values as a plain NumPy array (a copy)."""
        return np.array(self)


def eager(value):
    """``value``, a result computed on arrays, with its arrays (also inside lists, tuples
    and dicts) and numbers seen as ``Tensor``: the same memory, no copy."""
    if isinstance(value, np.ndarray):
        return value.view(Tensor)
    if isinstance(value, (float, np.number)):
        return np.asarray(value).view(Tensor)
    if isinstance(value, (list, tuple)):
        return type(value)(eager(v) for v in value)
    if isinstance(value, dict):
        return {k: eager(v) for k, v in value.items()}
    return value


def _values(value):
    """The numbers of a tensor recorded on a tape (or of a weight); anything else as is."""
    if isinstance(value, Operators) and getattr(value, "value", None) is not None:
        return value.value
    return value
