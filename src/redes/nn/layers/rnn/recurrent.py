"""What ``SimpleRNN``, ``LSTM`` and ``GRU`` share: their arguments, weights and config, the
time-major layout, masks, ``go_backwards``, ``return_sequences``, dropout, and the gradients
outside the loop over time (of the kernel and of the input). Each cell writes its own loop.
"""

from __future__ import annotations

import numpy as np

from ...._base.checks import check_bool, check_positive_int
from ....i18n import _
from ... import activations, backend, initializers, regularizers
from ...serialization import serialize
from ..base import Layer
from ..embedding import numeric_sequences
from .cell_math import split_blocks
from .sequences import check_mask, sequence_shape_error


def _rate(value, argument: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0 <= value < 1:
        raise ValueError(_("{argument}: expected a number in [0, 1), got {value!r}").format(
            argument=argument, value=value))
    return float(value)


class _Recurrent(Layer):
    """What SimpleRNN, LSTM and GRU share: arguments, weights, the time-major layout, masks,
    ``go_backwards``, ``return_sequences``, dropout, and the kernel and input gradients.

    A subclass sets ``GATES`` (blocks in the kernel) and writes the loop over time:
    ``forward_steps()`` reads the inputs ``xs`` (T, batch, features) and returns the states
    (T+1, batch, units) (``[0]`` the initial zeros); ``backward_steps()`` returns dL/d(x_t @
    kernel) of every step block by block, (GATES, T, batch, units), and the gradients of
    ``kernel``, ``recurrent_kernel`` and ``bias``, all with the blocks in the loop's order
    (``loop_weights``; ``keras_order`` puts them back in Keras' order).
    """

    GATES = 1
    supports_masking = True

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, *, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, use_cudnn="auto",
                 **kwargs):
        units = check_positive_int("units", units)
        if check_bool("return_state", return_state):
            raise ValueError(_("return_state: True is not supported: a Sequential model "
                               "passes one array from layer to layer; use return_sequences "
                               "instead"))
        if check_bool("stateful", stateful):
            raise ValueError(_("stateful: True is not supported by the NumPy engine; every "
                               "batch starts from a zero state"))
        if use_cudnn not in ("auto", True, False):
            raise ValueError(_("use_cudnn: expected 'auto', True or False, got {value!r}")
                             .format(value=use_cudnn))
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = check_bool("use_bias", use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.dropout = _rate(dropout, "dropout")
        self.recurrent_dropout = _rate(recurrent_dropout, "recurrent_dropout")
        self.seed = backend.check_seed(seed)
        self._rng = backend.rng(self.seed) if self.seed is not None else None
        self.return_sequences = check_bool("return_sequences", return_sequences)
        self.return_state = False
        self.go_backwards = check_bool("go_backwards", go_backwards)
        self.stateful = False
        self.unroll = check_bool("unroll", unroll)
        self.zero_output_for_mask = check_bool("zero_output_for_mask", zero_output_for_mask)
        self.use_cudnn = use_cudnn

    # ------------------------------------------------------------------ building
    def bias_shape(self) -> tuple:
        return (self.GATES * self.units,)

    def bias_initializer_for_build(self):
        return self.bias_initializer

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise sequence_shape_error(self, input_shape)
        if input_shape[-1] is None:
            raise ValueError(_("input_shape: {layer} needs a known number of features (last "
                               "axis), got {shape}").format(layer=type(self).__name__,
                                                            shape=input_shape))
        width = self.GATES * self.units
        self.kernel = self._add_array("kernel", (input_shape[-1], width),
                                      self.kernel_initializer, self.kernel_regularizer)
        self.recurrent_kernel = self._add_array("recurrent_kernel", (self.units, width),
                                                self.recurrent_initializer,
                                                self.recurrent_regularizer)
        self.bias = None
        if self.use_bias:
            self.bias = self._add_array("bias", self.bias_shape(),
                                        self.bias_initializer_for_build(), self.bias_regularizer)

    def compute_output_shape(self, input_shape):
        if self.return_sequences:
            return (input_shape[0], input_shape[1], self.units)
        return (input_shape[0], self.units)

    def compute_mask(self, inputs, mask=None):
        """The mask passed on: the input mask with ``return_sequences``, else ``None``."""
        return mask if self.return_sequences else None

    def check_input(self, x):
        if x.ndim != 3:
            raise sequence_shape_error(self, x.shape)
        if x.shape[1] == 0:
            raise ValueError(_("x: {layer} {name!r} needs at least one time step, got an "
                               "array of shape {shape}").format(
                                   layer=type(self).__name__, name=self.name,
                                   shape=tuple(x.shape)))
        super().check_input(x)

    # ------------------------------------------------------------------- forward
    def convert_input(self, inputs):
        x = numeric_sequences(inputs, self.dtype)
        if x.ndim != 3:                      # before building, to name the real batch size
            raise sequence_shape_error(self, x.shape)
        return x

    def input_bias(self):
        """The bias added to ``x @ kernel`` (GRU with reset_after has a second one)."""
        return self.bias

    def loop_weights(self):
        """(kernel, recurrent_kernel, input bias) with their blocks in the order the loop
        over time uses; Keras' order unless a subclass says otherwise (see LSTM)."""
        return self.kernel, self.recurrent_kernel, self.input_bias()

    def keras_order(self, grad):
        """A gradient computed in the loop's block order, back in Keras' order."""
        return grad

    def _dropout_mask(self, shape, rate):
        rng = self._rng or backend.rng()
        keep = rng.random(shape, dtype=np.float32) >= rate
        return keep.astype(self.dtype) * self.dtype.type(1 / (1 - rate))

    def call(self, x, training=False, mask=None):
        mask = check_mask(mask, x, self)
        xs = np.swapaxes(x, 0, 1)                      # time-major: (T, batch, features)
        m = None if mask is None else np.swapaxes(mask, 0, 1)[..., None]   # (T, batch, 1)
        if self.go_backwards:                          # read the sequence from its end
            xs = xs[::-1]
            m = None if m is None else m[::-1]
        self.step_mask = m
        T, B, F = xs.shape
        # dropout: one mask per sequence, the same at every step (as in Keras)
        self.input_dropout = self.recurrent_mask = None
        if training and self.dropout:
            self.input_dropout = self._dropout_mask((B, F), self.dropout)
            xs = xs * self.input_dropout
        if training and self.recurrent_dropout:
            self.recurrent_mask = self._dropout_mask((B, self.units), self.recurrent_dropout)
        self.xs = np.ascontiguousarray(xs)
        self.loop_kernel, self.loop_recurrent, self.loop_bias = self.loop_weights()
        # the loops compute the sigmoid as 1 / (1 + exp(-z)): for a very negative z, exp(-z)
        # overflows to inf and the sigmoid is 1 / inf = 0, its right value: no warning for it
        with np.errstate(over="ignore"):
            self.states = self.forward_steps()         # (T+1, batch, units)
        outputs = self.states[1:]
        if m is not None and self.zero_output_for_mask:
            outputs = np.where(m, outputs, 0)          # masked steps output zeros
        if self.return_sequences:
            return np.ascontiguousarray(np.swapaxes(outputs, 0, 1))
        return outputs[-1].copy()

    # helpers of the loop over time
    def recurrent_input(self, h):
        """The state as the recurrent kernel sees it (times the recurrent dropout mask)."""
        return h if self.recurrent_mask is None else h * self.recurrent_mask

    def recurrent_inputs(self) -> np.ndarray:
        """``recurrent_input`` of every step, (T, batch, units), for dL/d(recurrent_kernel)."""
        return self.recurrent_input(self.states[:-1])

    def keep_masked(self, t, new, old):
        """The new state where step t is real, the old one where it is padding."""
        return new if self.step_mask is None else np.where(self.step_mask[t], new, old)

    # ------------------------------------------------------------------ backward
    def state_grad(self, t, dh):
        """Split dL/dh_t into (the part for the state computed at step t, the part that
        skips a masked step straight to h_{t-1}, or ``None`` without a mask).

        ``dh`` is what flows back from step t+1; the gradient of the output at t joins it.
        """
        if self.d_outputs is not None:
            g = self.d_outputs[t]
        else:
            g = self.d_last if t == len(self.xs) - 1 else None
        total = dh if g is None else dh + g
        if self.step_mask is None:
            return total, None
        m = self.step_mask[t]
        # a masked step outputs the previous output (or zeros with zero_output_for_mask)
        skip = dh if (self.zero_output_for_mask or g is None) else total
        return np.where(m, total, 0), np.where(m, 0, skip)

    def carry_grad(self, t, dc):
        """Split dL/dc_t of a state without output (the LSTM cell) like ``state_grad``."""
        if self.step_mask is None:
            return dc, None
        m = self.step_mask[t]
        return np.where(m, dc, 0), np.where(m, 0, dc)

    def recurrent_grad(self, d_recurrent_input):
        """dL/dh_{t-1} from dL/d(recurrent input): through the recurrent dropout mask."""
        if self.recurrent_mask is None:
            return d_recurrent_input
        return d_recurrent_input * self.recurrent_mask

    def backward(self, grad):
        grad = np.asarray(grad, dtype=self.dtype)
        if self.return_sequences:
            self.d_outputs, self.d_last = np.swapaxes(grad, 0, 1), None   # (T, batch, units)
        else:
            self.d_outputs, self.d_last = None, grad
        d_xw, d_kernel, d_recurrent, d_bias = self.backward_steps()   # d_xw: (k, T, batch, units)
        self.grads = [self.keras_order(d_kernel), self.keras_order(d_recurrent)]
        if self.use_bias:
            self.grads.append(self.keras_order(d_bias))
        self.d_outputs = self.d_last = None
        if not self.input_grad:
            return None
        k, T, B, u = d_xw.shape
        w_t = split_blocks(self.loop_kernel, k).swapaxes(1, 2)      # W_k^T
        dx = np.matmul(d_xw.reshape(k, T * B, u), w_t).sum(axis=0)  # sum_k dL/dxw_k W_k^T
        dx = dx.reshape(T, B, -1)                                   # dL/dx_t
        if self.input_dropout is not None:
            dx *= self.input_dropout
        if self.go_backwards:
            dx = dx[::-1]
        return np.ascontiguousarray(np.swapaxes(dx, 0, 1))

    def forward_steps(self):
        raise NotImplementedError

    def backward_steps(self):
        raise NotImplementedError

    # -------------------------------------------------------------------- config
    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "recurrent_initializer": serialize(self.recurrent_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "recurrent_regularizer": serialize(self.recurrent_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }


COMMON_ARGS = """        use_bias: whether to add a bias. Defaults to ``True``.
        kernel_initializer: initializer of ``kernel``. Defaults to ``"glorot_uniform"``.
        recurrent_initializer: initializer of ``recurrent_kernel``. Defaults to
            ``"orthogonal"``.
        bias_initializer: initializer of ``bias``. Defaults to ``"zeros"``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties on the
            weights; default ``None``.
        dropout: fraction of the inputs dropped during training, with one mask per sequence
            shared by all steps. Defaults to ``0.0``.
        recurrent_dropout: fraction of the state dropped before the recurrent kernel during
            training, one mask per sequence. Defaults to ``0.0``. (Keras draws a separate mask
            per gate for LSTM and GRU; redes uses one for all gates.)
        seed: seed of the dropout masks; ``None`` (default) uses the engine's generator.
        return_sequences: return the output of every step, (batch, timesteps, units),
            instead of the last one, (batch, units). Defaults to ``False``.
        go_backwards: read the sequence from its end; the outputs are then in that reversed
            order. Defaults to ``False``.
        zero_output_for_mask: with a mask, masked steps output zeros instead of repeating the
            previous output. Defaults to ``False`` (``Bidirectional`` sets it to
            ``return_sequences``, as Keras does).
        return_state, stateful: accepted only as ``False`` (the default).
        unroll, use_cudnn: accepted for Keras code; no effect (defaults ``False``, "auto").
"""


def with_common_args(cls):
    """Class decorator: ``cls``'s docstring followed by ``COMMON_ARGS``, the arguments every
    recurrent layer shares, documented once."""
    cls.__doc__ = cls.__doc__.rstrip() + "\n" + COMMON_ARGS
    return cls
