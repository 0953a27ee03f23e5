"""Layers that wrap another layer: ``Bidirectional`` (an RNN reading both ways) and
``TimeDistributed`` (one layer applied to every time step).

A wrapper owns the weights of the layers inside it: its ``weights`` are theirs, in Keras'
order (for ``Bidirectional``: the forward layer's, then the backward layer's), so
``get_weights``/``set_weights`` and the optimizer see them as the wrapper's own.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from ..serialization import deserialize, register, serialize
from .base import Layer
from .embedding import numeric_sequences
from .rnn.recurrent import _Recurrent
from .rnn.sequences import check_mask, sequence_shape_error

MERGE_MODES = ("concat", "sum", "ave", "mul")


def _inner_config(layer, name=None, dtype=None, **changes) -> dict:
    """The serialized ``layer`` with a new name, dtype and other changes."""
    config = serialize(layer)
    inner = dict(config["config"])
    inner.pop("input_shape", None)
    if name is not None:
        inner["name"] = name
    if dtype is not None:
        inner["dtype"] = dtype
    inner.update(changes)
    return {"class_name": config["class_name"], "config": inner}


class _Wrapper(Layer):
    """Shared by the wrappers: adopting the inner layers' weights after they are built."""

    supports_masking = True

    def __init__(self, layer, argument="layer", **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(_("{argument}: expected a redes.nn layer instance, e.g. "
                               "LSTM(32), got {value!r}").format(argument=argument,
                                                                 value=layer))
        kwargs.setdefault("dtype", layer.dtype.name)  # by default, the wrapped layer's dtype
        if kwargs.get("input_shape") is None and layer._input_shape_arg is not None:
            kwargs["input_shape"] = layer._input_shape_arg
        super().__init__(**kwargs)

    def inner_layers(self) -> list[Layer]:
        raise NotImplementedError

    def adopt_weights(self) -> None:
        """Make the inner layers' weights this layer's own (the same arrays)."""
        self._variables, self._weight_names = [], []
        self._weight_trainable, self._weight_regularizers = [], []
        self._weight_constraints = []
        for inner in self.inner_layers():
            self._variables += inner._variables
            self._weight_names += [f"{inner.name}/{n}" for n in inner._weight_names]
            self._weight_trainable += [t and inner.trainable for t in inner._weight_trainable]
            self._weight_regularizers += inner._weight_regularizers
            self._weight_constraints += inner._weight_constraints

    def collect_grads(self) -> None:
        self.grads = [g for inner in self.inner_layers() if inner.trainable for g in inner.grads]

    def convert_input(self, inputs):
        x = numeric_sequences(inputs, self.dtype)
        self.check_rank(x.shape)
        return x

    def check_rank(self, shape) -> None:
        """Refuse, before building, an input with the wrong number of axes."""


@register("layer")
class Bidirectional(_Wrapper):
    """Runs a recurrent layer over the sequence forwards and a copy of it backwards, and
    merges the two outputs.

    With ``return_sequences=True`` the backward outputs are put back in the order of the
    sequence before merging, so step t combines what came before t and what comes after.

    Args:
        layer: a ``SimpleRNN``, ``LSTM`` or ``GRU``. As in Keras, the wrapper builds a fresh
            copy of it (named ``forward_<name>``) and does not reuse its weights.
        merge_mode: how to merge the two outputs: ``"concat"`` (default: 2*units values),
            ``"sum"``, ``"ave"`` (their mean) or ``"mul"`` (their product). Keras' ``None``
            (two separate outputs) does not fit a Sequential model.
        backward_layer: the layer for the backward direction; ``None`` (default) makes a copy
            of ``layer`` with ``go_backwards=True`` (named ``backward_<name>``).
    """

    def __init__(self, layer, merge_mode="concat", backward_layer=None, **kwargs):
        if not isinstance(layer, _Recurrent):
            raise ValueError(_("layer: Bidirectional wraps a recurrent layer (SimpleRNN, LSTM "
                               "or GRU), got {value!r}").format(value=layer))
        if merge_mode not in MERGE_MODES:
            hint = (_(" (None gives two outputs, which a Sequential model cannot pass on)")
                    if merge_mode is None else "")
            raise ValueError(_("merge_mode: expected one of {options}, got {value!r}{hint}")
                             .format(options=", ".join(MERGE_MODES), value=merge_mode,
                                     hint=hint))
        if backward_layer is None and layer.go_backwards:
            raise ValueError(_(
                "layer: Bidirectional makes the backward copy itself (with go_backwards=True),"
                " so the layer it wraps must read forwards; got go_backwards=True: drop it, "
                "or give the other direction as backward_layer"))
        super().__init__(layer, **kwargs)
        dtype = self.dtype.name
        base = layer.name.removeprefix("forward_")
        self.forward_layer = deserialize(
            "layer", _inner_config(layer, name=f"forward_{base}", dtype=dtype), "layer")
        if backward_layer is None:
            base = layer.name.removeprefix("backward_")
            backward_layer = deserialize("layer", _inner_config(
                layer, name=f"backward_{base}", dtype=dtype, go_backwards=True), "layer")
        elif not isinstance(backward_layer, _Recurrent):
            raise ValueError(_("backward_layer: expected a SimpleRNN, LSTM or GRU, "
                               "got {value!r}").format(value=backward_layer))
        self.backward_layer = backward_layer
        if self.forward_layer.go_backwards == self.backward_layer.go_backwards:
            raise ValueError(_(
                "backward_layer: the forward and backward layers need different go_backwards "
                "values, got {value} for both").format(value=self.forward_layer.go_backwards))
        if self.forward_layer.return_sequences != self.backward_layer.return_sequences:
            raise ValueError(_(
                "backward_layer: the forward and backward layers need the same "
                "return_sequences, got {forward} and {backward}").format(
                    forward=self.forward_layer.return_sequences,
                    backward=self.backward_layer.return_sequences))
        if self.backward_layer.dtype != self.dtype:
            raise ValueError(_("backward_layer: expected dtype {expected}, got {dtype}").format(
                expected=self.dtype.name, dtype=self.backward_layer.dtype.name))
        self.merge_mode = merge_mode
        self.return_sequences = self.forward_layer.return_sequences
        for inner in self.inner_layers():   # padded steps output zeros, as in Keras
            inner.zero_output_for_mask = self.return_sequences

    def inner_layers(self):
        return [self.forward_layer, self.backward_layer]

    def build(self, input_shape):
        for inner in self.inner_layers():
            inner.build_for(input_shape)
        self.adopt_weights()

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(input_shape)
        if self.merge_mode == "concat":
            return (*shape[:-1], 2 * shape[-1])
        return shape

    def compute_mask(self, inputs, mask=None):
        return mask if self.return_sequences else None

    def check_rank(self, shape):
        if len(shape) != 3:
            raise sequence_shape_error(self, shape)

    def check_input(self, x):
        if x.ndim != 3:
            raise sequence_shape_error(self, x.shape)
        self.forward_layer.check_input(x)
        super().check_input(x)

    def call(self, x, training=False, mask=None):
        mask = check_mask(mask, x, self)
        self.y = self.forward_layer.call(x, training=training, mask=mask)
        self.y_rev = self.backward_layer.call(x, training=training, mask=mask)
        if self.return_sequences:     # back in the order of the sequence
            self.y_rev = self.y_rev[:, ::-1]
        if self.merge_mode == "concat":
            return np.concatenate([self.y, self.y_rev], axis=-1)
        if self.merge_mode == "sum":
            return self.y + self.y_rev
        if self.merge_mode == "ave":
            return (self.y + self.y_rev) / 2
        return self.y * self.y_rev

    def backward(self, grad):
        units = self.forward_layer.units
        if self.merge_mode == "concat":
            g, g_rev = grad[..., :units], grad[..., units:]   # each half goes to its layer
        elif self.merge_mode == "sum":
            g = g_rev = grad                                   # d(y + y')/dy = 1
        elif self.merge_mode == "ave":
            g = g_rev = grad / 2                               # d((y + y')/2)/dy = 1/2
        else:
            g, g_rev = grad * self.y_rev, grad * self.y        # d(y y')/dy = y'
        if self.return_sequences:
            g_rev = g_rev[:, ::-1]
        for inner in self.inner_layers():
            inner.input_grad = self.input_grad
        dx = self.forward_layer.backward(g)
        dx_rev = self.backward_layer.backward(g_rev)
        self.collect_grads()
        if not self.input_grad:
            return None
        return dx + dx_rev                       # x feeds both layers: the gradients add up

    def get_config(self):
        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialize(self.forward_layer),
                "backward_layer": serialize(self.backward_layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        dtype = config.get("dtype")
        layer = config.pop("layer", None)
        if not isinstance(layer, dict):
            raise ValueError(_("layer: expected a layer config, got {value!r}").format(
                value=layer))
        backward = config.pop("backward_layer", None)
        if dtype is not None:   # the wrapper's dtype is the dtype of the layers inside
            layer = {**layer, "config": {**layer.get("config", {}), "dtype": dtype}}
            if isinstance(backward, dict):
                backward = {**backward, "config": {**backward.get("config", {}),
                                                   "dtype": dtype}}
        return cls(layer=deserialize("layer", layer, "layer"),
                   backward_layer=None if backward is None else
                   deserialize("layer", backward, "backward_layer"), **config)


@register("layer")
class TimeDistributed(_Wrapper):
    """Applies the same layer (the same weights) to every time step of a sequence.

    Input (batch, timesteps, ...): the layer sees (batch * timesteps, ...), one sample per
    step, and its output is cut back into (batch, timesteps, ...). ``TimeDistributed(Dense(10,
    activation="softmax"))`` after ``LSTM(..., return_sequences=True)`` gives one
    prediction per step.

    Args:
        layer: the layer to apply, e.g. ``Dense(10)``. It is used itself (not a copy), as in
            Keras.
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.layer = layer

    def inner_layers(self):
        return [self.layer]

    def _step_shape(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(_(
                "x: TimeDistributed {name!r} expects inputs of shape (batch, timesteps, "
                "...) with at least 3 axes, got {shape}").format(name=self.name,
                                                                 shape=tuple(input_shape)))
        return (None, *input_shape[2:])

    def check_rank(self, shape):
        self._step_shape(shape)

    def build(self, input_shape):
        self.layer.build_for(self._step_shape(input_shape))
        self.adopt_weights()

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape(self._step_shape(input_shape))
        return (input_shape[0], input_shape[1], *inner[1:])

    def compute_mask(self, inputs, mask=None):
        return mask

    def check_input(self, x):
        self._step_shape(x.shape)
        super().check_input(x)

    def call(self, x, training=False, mask=None):
        check_mask(mask, x, self)
        self.in_shape = x.shape
        y = self.layer.call(x.reshape(-1, *x.shape[2:]), training=training)  # steps as samples
        return y.reshape(*x.shape[:2], *y.shape[1:])

    def backward(self, grad):
        self.layer.input_grad = self.input_grad
        dx = self.layer.backward(grad.reshape(-1, *grad.shape[2:]))  # same weights every step:
        self.collect_grads()                                          # their gradients add up
        return None if dx is None else dx.reshape(self.in_shape)

    def get_config(self):
        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        layer = config.pop("layer", None)
        if not isinstance(layer, dict):
            raise ValueError(_("layer: expected a layer config, got {value!r}").format(
                value=layer))
        if config.get("dtype") is not None:
            layer = {**layer, "config": {**layer.get("config", {}), "dtype": config["dtype"]}}
        return cls(deserialize("layer", layer, "layer"), **config)
