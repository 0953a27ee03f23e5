"""The weights of a layer: how a layer makes them (``add_weight``), lists them (``weights``,
``trainable_weights``...), reads and loads them (``get_weights``, ``set_weights``), with the
regularizer and the constraint of each.

``LayerWeights`` is the part of ``Layer`` that does this; ``Layer.__init__`` sets up the
lists it fills (``_variables`` and, weight by weight, its name, whether it is trainable, its
regularizer and its constraint). A layer written with ``keras.ops`` also owns the weights of
the layers it keeps in its attributes (``Layer._all_sublayers``), listed after its own.
"""

from __future__ import annotations

import math

import numpy as np

from ... import memory
from ...i18n import _
from .. import backend, constraints, initializers, regularizers
from ..variables import Variable, arrays


class LayerWeights:
    """The weights of a ``Layer`` (see the module's docstring)."""

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   regularizer=None, constraint=None, name=None, **kwargs):
        """Make a weight (a ``Variable``) of ``shape`` and keep it on the layer, as Keras 3.

        Args:
            shape: the weight's shape. Defaults to ``()`` (a scalar).
            initializer: name or object; defaults to ``"glorot_uniform"`` for floats.
            dtype: defaults to the layer's dtype.
            trainable: whether the optimizer updates it. Defaults to ``True``.
            regularizer: a penalty added to the loss. Defaults to ``None``.
            constraint: applied to the weight after each update. Defaults to ``None``.
            name: its name. Defaults to ``"variable"``.
        """
        unknown = sorted(set(kwargs) - {"autocast", "aggregation", "overwrite_with_gradient"})
        if unknown:
            raise TypeError(_("add_weight: unknown argument(s) {names}").format(
                names=", ".join(unknown)))
        shape = () if shape is None else shape
        try:
            shape = tuple(shape)
        except TypeError:
            shape = (shape,)
        if not all(isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0
                   for d in shape):
            raise ValueError(_(
                "shape: layer {name!r}: add_weight needs a tuple of whole numbers >= 0 (known "
                "sizes, no None), got {shape!r}").format(name=self.name, shape=shape))
        self._add_array(name or "variable", shape, initializer or "glorot_uniform",
                        regularizer, trainable, dtype=dtype, constraint=constraint)
        return self._variables[-1]

    def _add_array(self, name, shape, initializer="zeros", regularizer=None, trainable=True,
                   dtype=None, constraint=None):
        """A weight as a plain array, for the built-in layers' hand-written passes."""
        dtype = self.dtype if dtype is None else backend.standardize_dtype(dtype)
        needed = math.prod(shape) * np.dtype(dtype).itemsize
        if not memory.fits(needed):          # refused before the array is made
            raise ValueError(_(
                "shape: layer {layer!r}: its weight {name} of shape {shape} needs {needed} "
                "of memory; this computer has {total}").format(
                    layer=self.name, name=name, shape=tuple(shape),
                    needed=memory.readable(needed), total=memory.readable(memory.physical())))
        init = initializers.get(initializer)
        value = np.asarray(init(tuple(shape), dtype=dtype), dtype=dtype)
        self._variables.append(Variable.holding(value, trainable, name, f"{self.name}/{name}"))
        self._weight_names.append(name)
        self._weight_trainable.append(bool(trainable))
        self._weight_regularizers.append(regularizers.get(regularizer))
        self._weight_constraints.append(constraints.get(constraint))
        return value

    @property
    def weights(self) -> list[Variable]:
        """The layer's weights (then its sublayers'), as ``Variable`` objects: ``w.path``,
        ``w.shape``, ``w.numpy()``; the arrays they hold are ``arrays(layer.weights)``."""
        return list(self._variables) + self._from_sublayers("weights")

    @property
    def trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return []
        own = [w for w, t in zip(self._variables, self._weight_trainable) if t]
        return own + self._from_sublayers("trainable_weights")

    @property
    def non_trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return self.weights
        own = [w for w, t in zip(self._variables, self._weight_trainable) if not t]
        return own + self._from_sublayers("non_trainable_weights")

    @property
    def variables(self) -> list[Variable]:      # Keras 3's other names of the three lists
        return self.weights

    @property
    def trainable_variables(self) -> list[Variable]:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[Variable]:
        return self.non_trainable_weights

    @property
    def regularizers(self) -> list:
        """The regularizer of each trainable weight (``None`` where there is none)."""
        if not self.trainable:
            return []
        own = [r for r, t in zip(self._weight_regularizers, self._weight_trainable) if t]
        return own + self._from_sublayers("regularizers")

    def _from_sublayers(self, what: str) -> list:
        if not self._uses_tape():
            return []
        return [w for sub in self._all_sublayers() for w in getattr(sub, what)]

    def _penalties(self) -> list[float]:
        """The penalty of each regularized trainable weight (``kernel_regularizer``...)."""
        return [float(r(w)) for w, r in zip(arrays(self.trainable_weights), self.regularizers)
                if r]

    def regularization_loss(self) -> float:
        """The sum of the penalties of this layer's regularized weights."""
        return float(sum(self._penalties()))

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights, in the same order and layout as Keras."""
        return [w.numpy() for w in self.weights]

    def _weight_labels(self) -> list[str]:
        """``layer/weight`` for each of ``weights``, for messages."""
        own = [f"{self.name}/{n}" for n in self._weight_names]
        if not self._uses_tape():
            return own
        return own + [label for sub in self._all_sublayers() for label in sub._weight_labels()]

    def set_weights(self, weights) -> None:
        """Load weights (same order and shapes as ``get_weights``), in place."""
        weights, current = list(weights), arrays(self.weights)
        labels = self._weight_labels()
        if len(weights) != len(current):
            raise ValueError(_(
                "weights: layer {name!r} expects {expected} arrays ({labels}), got {count}"
            ).format(name=self.name, expected=len(current),
                     labels=", ".join(labels) or _("none"), count=len(weights)))
        for label, array, new in zip(labels, current, weights):
            new = np.asarray(new)
            if new.shape != array.shape:
                raise ValueError(_("weights: {label} expects shape {expected}, got {shape}")
                                 .format(label=label, expected=array.shape, shape=new.shape))
            if not np.all(np.isfinite(new)):
                raise ValueError(_("weights: {label} holds NaN or inf values").format(
                    label=label))
            largest = float(np.max(np.abs(new), initial=0))
            limit = float(np.finfo(array.dtype).max) if array.dtype.kind == "f" else np.inf
            if largest > limit:
                raise ValueError(_(
                    "weights: {label} holds values too large for {dtype} (largest {value:.3g},"
                    " {dtype} holds up to {limit:.3g})").format(
                        label=label, dtype=array.dtype.name, value=largest, limit=limit))
            np.copyto(array, new, casting="unsafe")

    def count_params(self) -> int:
        return int(sum(w.size for w in self.weights))

    @property
    def constraints(self) -> list:
        """The constraint of each trainable weight (``None`` where there is none)."""
        if not self.trainable:
            return []
        own = [c for c, t in zip(self._weight_constraints, self._weight_trainable) if t]
        return own + self._from_sublayers("constraints")
