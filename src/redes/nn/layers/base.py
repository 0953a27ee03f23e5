"""The base class of every layer of the NumPy engine.

A layer is built from its input shape (that is when its weights are made), runs forward with
``call(x, training)`` and backward with ``backward(grad)``: given dL/d(output) it stores
dL/d(weight) for each trainable weight in ``self.grads`` (same order as
``trainable_weights``) and returns dL/d(input). What the backward pass needs from the forward
pass (the input, the pre-activation, a dropout mask) is kept on the layer between the two.

The first layer of a model does not need dL/d(input); the model sets ``input_grad = False``
on it and its ``backward`` may then skip that product and return ``None``.

During one training step of a model (forward, loss and backward) nothing outside the step
holds on to the layers' results, so a layer may write its large ones into arrays that it keeps
from one step to the next (``kept``), as a hand-written training loop does: a new NumPy array
of some hundreds of KiB may come fresh from the operating system, whose memory pages are then
set up anew at every step.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

from .. import backend, initializers, regularizers
from ..serialization import register

_name_counts: defaultdict[str, int] = defaultdict(int)


def _snake(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name).lower()


def unique_name(prefix: str) -> str:
    """``dense``, then ``dense_1``, ``dense_2``... as Keras names its layers."""
    n = _name_counts[prefix]
    _name_counts[prefix] += 1
    return prefix if n == 0 else f"{prefix}_{n}"


def as_shape(value, argument: str) -> tuple[int, ...]:
    """A shape given as an int or a sequence of positive ints (no batch dimension)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (value,)
    try:
        shape = tuple(value)
    except TypeError:
        shape = None
    if shape is None or not all(
        d is None or (isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d > 0)
        for d in shape
    ):
        raise ValueError(f"{argument}: expected a tuple of positive integers, got {value!r}")
    return tuple(None if d is None else int(d) for d in shape)


class Layer:
    """Base class of layers.

    Args:
        name: the layer's name; by default the class name in snake case, numbered
            (``dense``, ``dense_1``...).
        trainable: whether the optimizer updates its weights. Defaults to ``True``.
        dtype: float type of weights and outputs. Defaults to ``backend.floatx()``
            (``"float32"``).
        input_shape: shape of one sample (no batch dimension), accepted on the first layer
            of a ``Sequential`` model as in Keras.
    """

    supports_masking = False   # whether the layer passes a padding mask on to the next one
    in_training_step = False   # set by the model for the length of one training step

    def __init__(self, *, name=None, trainable=True, dtype=None, input_shape=None, **kwargs):
        if kwargs:
            bad = ", ".join(sorted(kwargs))
            raise TypeError(f"{type(self).__name__}: unknown argument(s) {bad}")
        if name is not None and (not isinstance(name, str) or not name):
            raise ValueError(f"name: expected a non-empty string, got {name!r}")
        self.name = name or unique_name(_snake(type(self).__name__))
        self.trainable = bool(trainable)
        self.dtype = backend.standardize_dtype(dtype)
        self._input_shape_arg = (
            None if input_shape is None else as_shape(input_shape, "input_shape"))
        self.built = False
        self.input_grad = True
        self.input_shape: tuple | None = None
        self.output_shape: tuple | None = None
        self._weights: list[np.ndarray] = []
        self._weight_names: list[str] = []
        self._weight_trainable: list[bool] = []
        self._weight_regularizers: list = []
        self.grads: list[np.ndarray] = []
        self._kept: dict[tuple, np.ndarray] = {}

    # ----------------------------------------------------------------- weights
    def add_weight(self, name, shape, initializer="zeros", regularizer=None, trainable=True,
                   seed=None):
        """Make a weight of ``shape`` with ``initializer`` and keep it on the layer."""
        init = initializers.get(initializer)
        value = np.asarray(init(tuple(shape), dtype=self.dtype), dtype=self.dtype)
        self._weights.append(value)
        self._weight_names.append(name)
        self._weight_trainable.append(bool(trainable))
        self._weight_regularizers.append(regularizers.get(regularizer))
        return value

    @property
    def weights(self) -> list[np.ndarray]:
        return list(self._weights)

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        if not self.trainable:
            return []
        return [w for w, t in zip(self._weights, self._weight_trainable) if t]

    @property
    def non_trainable_weights(self) -> list[np.ndarray]:
        if not self.trainable:
            return list(self._weights)
        return [w for w, t in zip(self._weights, self._weight_trainable) if not t]

    @property
    def regularizers(self) -> list:
        """The regularizer of each trainable weight (``None`` where there is none)."""
        if not self.trainable:
            return []
        return [r for r, t in zip(self._weight_regularizers, self._weight_trainable) if t]

    def regularization_loss(self) -> float:
        """The sum of the penalties of this layer's regularized weights."""
        return float(sum(r(w) for w, r in zip(self.trainable_weights, self.regularizers) if r))

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights, in the same order and layout as Keras."""
        return [w.copy() for w in self._weights]

    def set_weights(self, weights) -> None:
        """Load weights (same order and shapes as ``get_weights``), in place."""
        weights = list(weights)
        if len(weights) != len(self._weights):
            raise ValueError(
                f"weights: layer {self.name!r} expects {len(self._weights)} arrays "
                f"({', '.join(self._weight_names) or 'none'}), got {len(weights)}"
            )
        for name, current, new in zip(self._weight_names, self._weights, weights):
            new = np.asarray(new)
            if new.shape != current.shape:
                raise ValueError(
                    f"weights: {self.name}/{name} expects shape {current.shape}, "
                    f"got {new.shape}"
                )
            if not np.all(np.isfinite(new)):
                raise ValueError(f"weights: {self.name}/{name} holds NaN or inf values")
            np.copyto(current, new, casting="unsafe")

    def count_params(self) -> int:
        return int(sum(w.size for w in self._weights))

    # --------------------------------------------------------------- building
    def build(self, input_shape: tuple) -> None:
        """Make the weights for inputs of ``input_shape`` (batch dimension first)."""

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def compute_mask(self, inputs, mask=None):
        """The padding mask of this layer's output (by default, the input's mask)."""
        return mask

    def build_for(self, input_shape: tuple) -> tuple:
        """Build once for ``input_shape`` (batch first) and return the output shape."""
        input_shape = (None, *tuple(input_shape)[1:])
        if not self.built:
            self.build(input_shape)
            self.input_shape = input_shape
            self.output_shape = (None, *tuple(self.compute_output_shape(input_shape))[1:])
            self.built = True
        return self.output_shape

    def kept(self, name: str, shape: tuple, dtype) -> np.ndarray | None:
        """During a training step, the array this layer keeps for its result ``name`` (of
        ``shape`` and ``dtype``, contents undefined); otherwise ``None``. Passed as
        ``out=`` to a NumPy function, it makes the function write into the kept array in a
        training step and return a new array otherwise."""
        if not self.in_training_step:
            return None
        key = (name, shape, dtype)
        array = self._kept.get(key)
        if array is None:
            array = self._kept[key] = np.empty(shape, dtype)
        return array

    def check_input(self, x: np.ndarray) -> None:
        """Refuse an input whose sample shape is not the one the layer was built for."""
        expected = self.input_shape
        if expected is None:
            return
        if x.ndim != len(expected) or any(
            e is not None and e != d for e, d in zip(expected[1:], x.shape[1:])
        ):
            want = ", ".join("None" if d is None else str(d) for d in expected)
            raise ValueError(
                f"x: layer {self.name!r} expects inputs of shape ({want}), "
                f"got an array of shape {tuple(x.shape)}"
            )

    # --------------------------------------------------------- forward, backward
    def __call__(self, x, training: bool = False):
        x = np.asarray(x, dtype=self.dtype)
        self.build_for(x.shape)
        self.check_input(x)
        return self.call(x, training=training)

    def call(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype.name}
        if self._input_shape_arg is not None:
            config["input_shape"] = list(self._input_shape_arg)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


register("layer")(Layer)
