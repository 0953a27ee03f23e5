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

from ...i18n import _
from .. import backend, initializers, regularizers
from ..graph import KerasTensor, Node, call_takes_mask, is_symbolic, shapes_of
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


def _no_batch(shape):
    """``shape`` with an unknown batch size (``None``); a list of such for several inputs."""
    if isinstance(shape, list):
        return [_no_batch(s) for s in shape]
    return (None, *tuple(shape)[1:])


def _check_shape(layer, expected, x) -> None:
    if x.ndim != len(expected) or any(
        e is not None and e != d for e, d in zip(expected[1:], x.shape[1:])
    ):
        want = ", ".join("None" if d is None else str(d) for d in expected)
        kind = _("a symbolic tensor") if isinstance(x, KerasTensor) else _("an array")
        raise ValueError(_(
            "x: layer {name!r} expects inputs of shape ({want}), got {kind} of shape {shape}"
        ).format(name=layer.name, want=want, kind=kind, shape=tuple(x.shape)))


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
        self._inbound_nodes: list = []   # every call on symbolic tensors, first one first

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

    def build_for(self, input_shape):
        """Build once for ``input_shape`` (batch first; a list of shapes for a layer with
        several inputs) and return the output shape."""
        input_shape = _no_batch(input_shape)
        if not self.built:
            self.build(input_shape)
            self.input_shape = input_shape
            self.output_shape = _no_batch(self.compute_output_shape(input_shape))
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

    def check_input(self, x) -> None:
        """Refuse an input whose sample shape is not the one the layer was built for (``x``:
        an array or a symbolic tensor, or a list of them for a layer with several inputs)."""
        expected = self.input_shape
        if expected is None:
            return
        if isinstance(expected, list):
            for e, xi in zip(expected, x):
                _check_shape(self, e, xi)
        else:
            _check_shape(self, expected, x)

    # --------------------------------------------------------- forward, backward
    def __call__(self, inputs, training=None, mask=None):
        """Run the layer on arrays (building it on first use), or, on symbolic tensors from
        ``keras.Input``, record a node of a graph and return its symbolic output."""
        if is_symbolic(inputs):
            return self._record(inputs)
        x = self.convert_input(inputs)
        self.build_for(shapes_of(x))
        self.check_input(x)
        if mask is not None and call_takes_mask(type(self)):
            return self.call(x, training=bool(training), mask=mask)
        return self.call(x, training=bool(training))

    def convert_input(self, inputs):
        """The arrays a call computes on: ``inputs`` as arrays of the layer's dtype."""
        if isinstance(inputs, (list, tuple)):
            return [np.asarray(x, dtype=self.dtype) for x in inputs]
        return np.asarray(inputs, dtype=self.dtype)

    def _record(self, inputs):
        """Record this call as a node of a graph: ``inputs`` are symbolic tensors."""
        if isinstance(inputs, (list, tuple)) and not all(
                isinstance(t, KerasTensor) for t in inputs):
            raise TypeError(_(
                "inputs: layer {name!r} was called on a list that mixes symbolic tensors "
                "with other values; pass keras.Input tensors or the outputs of layers"
            ).format(name=self.name))
        shapes = shapes_of(inputs)
        self.build_for(shapes)
        self.check_input(inputs)
        shape = self.compute_output_shape(shapes)
        out = KerasTensor(shape, dtype=self.dtype, name=self.name)
        Node(self, inputs, [out])
        return out

    @property
    def input(self):
        """The symbolic input of this layer's first call in a graph (Keras' ``layer.input``)."""
        return self._first_node("input").args

    @property
    def output(self):
        """The symbolic output of this layer's first call in a graph (``layer.output``)."""
        return self._first_node("output").outputs[0]

    def _first_node(self, what):
        if not self._inbound_nodes:
            raise AttributeError(_(
                "{what}: layer {name!r} has not been called on a symbolic tensor yet, so it "
                "has no {what} (call it on keras.Input(...) first)"
            ).format(what=what, name=self.name))
        return self._inbound_nodes[0]

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
