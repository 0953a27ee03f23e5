"""Recurrent layers: ``SimpleRNN``, ``LSTM`` and ``GRU``, with Keras 3's arguments and weights.

A recurrent layer reads a sequence ``x`` of shape (batch, timesteps, features) one step at a
time and carries a state ``h`` (the LSTM also a cell ``c``) from each step to the next::

    h_0 = 0
    h_t = cell(x_t, h_{t-1})          for t = 1 .. T
    output = h_T                      (or every h_t with return_sequences=True)

Forward pass. ``x_t @ kernel`` does not depend on the state, so it is computed for every step
in one matrix product before the loop; the loop (over time only, vectorized over the batch)
adds ``h_{t-1} @ recurrent_kernel`` and applies the gates. Everything the backward pass
needs (gates, states) is stored per step.

Backward pass: backpropagation through time. The network unrolled over T steps is a deep
network whose layers share the same weights, so the loop runs backwards from the last step:
at step t the gradient of the state, dL/dh_t, is the gradient of the output at t plus what
flows back from step t+1; the cell turns it into dL/d(pre-activations) of step t and
dL/dh_{t-1}, which goes on to step t-1. The weights are shared by all steps, so their
gradients are sums over steps: they are computed after the loop, each with one matrix product
over all the stored steps at once (e.g. dL/dkernel = sum_t x_t^T dL/dz_t).

Weights, as in Keras (``k`` = 1 for SimpleRNN, 4 for LSTM, 3 for GRU):
``kernel`` (features, k*units), ``recurrent_kernel`` (units, k*units), ``bias`` (k*units,)
(GRU with ``reset_after=True``: (2, 3*units), the input and the recurrent bias). The blocks
are in Keras' order: LSTM i, f, c, o; GRU z, r, h. So ``get_weights``/``set_weights`` move
weights between redes and Keras unchanged.

Masking. When a mask is given (``call(x, mask=...)``, or by the model from an
``Embedding(mask_zero=True)``), a step whose mask is False keeps the previous state and
repeats the previous output, as Keras does: padded steps change nothing.
"""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_bool, check_positive_int
from ...i18n import _
from .. import activations, backend, initializers, regularizers
from ..serialization import register, serialize
from .base import Layer
from .embedding import sequences_array


def _rate(value, argument: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not 0 <= value < 1:
        raise ValueError(_("{argument}: expected a number in [0, 1), got {value!r}").format(
            argument=argument, value=value))
    return float(value)


def _seed(value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))
                              or value < 0):
        raise ValueError(_("seed: expected None or a non-negative integer, got {value!r}")
                         .format(value=value))
    return None if value is None else int(value)


def sequence_shape_error(layer, shape) -> ValueError:
    """The error for an input that is not (batch, timesteps, features), with a hint."""
    shape = tuple(shape)
    message = _("x: {layer} {name!r} expects sequences of shape (batch, timesteps, features), "
                "got an array of shape {shape}").format(layer=type(layer).__name__,
                                                        name=layer.name, shape=shape)
    if len(shape) == 2:
        b, t = ("batch" if d is None else d for d in shape)
        message += _(". With one number per time step, add the features axis: x[..., None] "
                     "(shape ({batch}, {steps}, 1)); with token ids, put an Embedding layer "
                     "first, e.g. Embedding(input_dim=vocabulary_size, output_dim=32)").format(
                         batch=b, steps=t)
    return ValueError(message)


def check_mask(mask, x, layer) -> np.ndarray | None:
    """A mask as a boolean (batch, timesteps) array matching ``x``, or a clear error."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.ndim == 3 and mask.shape[-1] == 1:
        mask = mask[..., 0]
    if mask.shape != x.shape[:2] or mask.dtype.kind not in "biuf":
        raise ValueError(_(
            "mask: {layer} {name!r} expects a mask of shape (batch, timesteps) = {expected} "
            "(True where a step is real), got {dtype} of shape {shape}"
        ).format(layer=type(layer).__name__, name=layer.name, expected=tuple(x.shape[:2]),
                 dtype=mask.dtype, shape=mask.shape))
    return mask.astype(bool, copy=False)


def activate(fn, z, out) -> np.ndarray:
    """``out[...] = fn(z)``, written in place for the two usual activations: tanh, and the
    sigmoid computed as ``0.5 + 0.5 tanh(z / 2)`` (the same function, in fewer operations)."""
    if fn is activations.sigmoid:
        np.multiply(z, 0.5, out=out)
        np.tanh(out, out=out)
        out *= 0.5
        out += 0.5
    elif fn is activations.tanh:
        np.tanh(z, out=out)
    else:
        out[...] = fn(z)
    return out


def derivative(fn, grad, z, y, out) -> np.ndarray:
    """``out[...] = grad * fn'(z)`` (dL/dz from dL/dy, with ``y = fn(z)``), written in place
    for sigmoid and tanh. ``out`` must not be ``grad``."""
    if fn is activations.sigmoid:      # sigmoid'(z) = y (1 - y)
        np.subtract(1, y, out=out)
        out *= y
        out *= grad
    elif fn is activations.tanh:       # tanh'(z) = 1 - y^2
        np.multiply(y, y, out=out)
        np.subtract(1, out, out=out)
        out *= grad
    else:
        out[...] = fn.backward(grad, z, y)
    return out


def split_blocks(a, k) -> np.ndarray:
    """``(..., n, k * units)`` as ``(..., k, n, units)``, copied so that each of the k blocks is
    a contiguous array (a recurrent kernel ``(units, k * units)`` gives its blocks U_k)."""
    *lead, n, width = a.shape
    return np.ascontiguousarray(a.reshape(*lead, n, k, width // k).swapaxes(-3, -2))


def join_blocks(a) -> np.ndarray:
    """The inverse of ``split_blocks``: ``(..., k, n, units)`` as ``(..., n, k * units)``."""
    *lead, k, n, units = a.shape
    return np.ascontiguousarray(a.swapaxes(-3, -2)).reshape(*lead, n, k * units)


class _Recurrent(Layer):
    """What SimpleRNN, LSTM and GRU share: arguments, weights, the time-major layout, masks,
    ``go_backwards``, ``return_sequences``, dropout, and the kernel and input gradients.

    A subclass sets ``GATES`` (blocks in the kernel) and writes the loop over time:
    ``forward_steps(xw)`` gets ``x_t @ kernel (+ input bias)`` for every step, shape
    (T, batch, GATES*units), and returns the states (T+1, batch, units) (``[0]`` the initial
    zeros); ``backward_steps()`` returns dL/d(xw) of every step and the gradients of
    ``recurrent_kernel`` and ``bias``, all with the blocks in the loop's order
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
        self.seed = _seed(seed)
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
        x = sequences_array(inputs)
        if x.dtype.kind not in "biuf":
            raise ValueError(_("x: expected an array of numbers, got dtype {dtype}").format(
                dtype=x.dtype))
        x = x.astype(self.dtype, copy=False)
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
        self.loop_kernel, self.loop_recurrent, bias = self.loop_weights()
        xw = (self.xs.reshape(T * B, F) @ self.loop_kernel).reshape(T, B, -1)  # x_t W, all t
        if bias is not None:
            xw += bias
        self.states = self.forward_steps(xw)           # (T+1, batch, units)
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
        d_xw, d_recurrent, d_bias = self.backward_steps()       # d_xw: (T, batch, k*units)
        T, B, F = self.xs.shape
        d_xw_flat = d_xw.reshape(T * B, -1)
        d_kernel = self.xs.reshape(T * B, F).T @ d_xw_flat     # dL/dW = sum_t x_t^T dL/dxw_t
        self.grads = [self.keras_order(d_kernel), self.keras_order(d_recurrent)]
        if self.use_bias:
            self.grads.append(self.keras_order(d_bias))
        self.d_outputs = self.d_last = None
        if not self.input_grad:
            return None
        dx = (d_xw_flat @ self.loop_kernel.T).reshape(T, B, F)  # dL/dx_t = dL/dxw_t W^T
        if self.input_dropout is not None:
            dx *= self.input_dropout
        if self.go_backwards:
            dx = dx[::-1]
        return np.ascontiguousarray(np.swapaxes(dx, 0, 1))

    def forward_steps(self, xw):
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


_COMMON_ARGS = """        use_bias: whether to add a bias. Defaults to ``True``.
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


@register("layer")
class SimpleRNN(_Recurrent):
    """The plain recurrent layer: ``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel
    + bias)``.

    Args:
        units: size of the state and of the output.
        activation: defaults to ``"tanh"``; ``None`` means linear.
    """

    GATES = 1

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, **kwargs):
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                         bias_initializer, kernel_regularizer, recurrent_regularizer,
                         bias_regularizer, **kwargs)

    def forward_steps(self, xw):
        T, B, _width = xw.shape
        H = np.zeros((T + 1, B, self.units), dtype=self.dtype)
        self.z, self.y = xw, np.empty_like(xw)
        for t in range(T):
            self.z[t] += self.recurrent_input(H[t]) @ self.loop_recurrent    # z = xW + b + hU
            activate(self.activation, self.z[t], self.y[t])                  # y = act(z)
            H[t + 1] = self.keep_masked(t, self.y[t], H[t])
        return H

    def backward_steps(self):
        dz = np.empty_like(self.z)
        dh = np.zeros(self.states.shape[1:], dtype=self.dtype)
        u_t = self.loop_recurrent.T
        for t in reversed(range(len(dz))):
            dy, skip = self.state_grad(t, dh)
            derivative(self.activation, dy, self.z[t], self.y[t], dz[t])  # dL/dz = dy act'(z)
            dh = self.recurrent_grad(dz[t] @ u_t)                       # dL/dh_prev = dL/dz U^T
            if skip is not None:
                dh += skip
        T, B, u = dz.shape
        flat = dz.reshape(T * B, u)
        d_recurrent = self.recurrent_inputs().reshape(T * B, u).T @ flat  # sum_t h_{t-1}^T dz_t
        return dz, d_recurrent, flat.sum(axis=0)                         # dL/db = sum dL/dz


@register("layer")
class LSTM(_Recurrent):
    """Long short-term memory (Hochreiter and Schmidhuber, 1997).

    Each step computes four blocks from ``z = x_t @ kernel + h_{t-1} @ recurrent_kernel +
    bias``, in Keras' order: the input gate ``i``, the forget gate ``f``, the candidate ``g``
    and the output gate ``o``; then::

        c_t = f * c_{t-1} + i * g          (the cell: forget some memory, write some new)
        h_t = o * activation(c_t)          (the state and output)

    with ``i, f, o = recurrent_activation(...)`` and ``g = activation(...)``.

    Args:
        units: size of the state and of the output.
        activation: of the candidate and of the cell output. Defaults to ``"tanh"``.
        recurrent_activation: of the gates. Defaults to ``"sigmoid"``.
        unit_forget_bias: add 1 to the forget gate's bias at initialization (the bias is
            then ``[b, 1, b, b]`` with ``b`` from ``bias_initializer``). Defaults to ``True``.
    """

    GATES = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                         bias_initializer, kernel_regularizer, recurrent_regularizer,
                         bias_regularizer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = check_bool("unit_forget_bias", unit_forget_bias)

    def bias_initializer_for_build(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        init, u = self.bias_initializer, self.units

        def forget_bias_one(shape, dtype=None):      # [b_i, 1, b_c, b_o]
            return np.concatenate([np.asarray(init((u,), dtype=dtype)), np.ones(u, dtype=dtype),
                                   np.asarray(init((2 * u,), dtype=dtype))])

        return forget_bias_one

    # The loop keeps the blocks as [i, f, o, g] (Keras stores [i, f, g, o]): the three gates
    # with the recurrent activation are then side by side and take one call.
    def keras_order(self, grad):
        """Swaps the last two blocks: [i, f, o, g] <-> [i, f, g, o] (either way)."""
        u = self.units
        return np.concatenate([grad[..., :2 * u], grad[..., 3 * u:], grad[..., 2 * u:3 * u]],
                              axis=-1)

    def loop_weights(self):
        bias = None if self.bias is None else self.keras_order(self.bias)
        return self.keras_order(self.kernel), self.keras_order(self.recurrent_kernel), bias

    # Within the loop each step's blocks lie one after the other, z[t] of shape (4, batch,
    # units): every gate is then a contiguous array. On the column blocks of a (batch, 4 units)
    # array NumPy's elementwise operations run 2-3 times slower, and a step is mostly those.
    def forward_steps(self, xw):
        T, B, _width = xw.shape
        u, act, rec = self.units, self.activation, self.recurrent_activation
        H = np.zeros((T + 1, B, u), dtype=self.dtype)
        C = np.zeros((T + 1, B, u), dtype=self.dtype)
        self.z = split_blocks(xw, 4)
        self.gates = np.empty_like(self.z)
        self.u_blocks = split_blocks(self.loop_recurrent, 4)   # U_k: h U_k for all k at once
        hu = np.empty_like(self.z[0])
        self.tanh_c = np.empty((T, B, u), self.dtype)
        if self.step_mask is None:              # new states go straight into H and C
            self.c_new, h_new = C[1:], H[1:]
        else:                                   # new states, then the mask picks
            self.c_new, h_new = np.empty_like(C[1:]), np.empty_like(H[1:])
        for t in range(T):
            z, gates = self.z[t], self.gates[t]
            z += np.matmul(self.recurrent_input(H[t]), self.u_blocks, out=hu)  # z = xW + b + hU
            activate(rec, z[:3], gates[:3])                           # i, f, o
            activate(act, z[3], gates[3])                             # g
            i, f, o, g = gates
            c = np.multiply(f, C[t], out=self.c_new[t])
            c += i * g                                                # c = f c_prev + i g
            tanh_c = activate(act, c, self.tanh_c[t])
            np.multiply(o, tanh_c, out=h_new[t])                      # h = o act(c)
            if self.step_mask is not None:      # padded steps keep the previous states
                C[t + 1] = self.keep_masked(t, c, C[t])
                H[t + 1] = self.keep_masked(t, h_new[t], H[t])
        self.cells = C
        return H

    def backward_steps(self):
        u, act, rec = self.units, self.activation, self.recurrent_activation
        dz = np.empty_like(self.z)       # (T, 4, batch, units), as self.z
        dh = np.zeros(self.states.shape[1:], dtype=self.dtype)
        dc = np.zeros_like(dh)
        d_gates = np.empty_like(dz[0])   # dL/d(i, f, o, g) of one step
        d_tanh_c = np.empty_like(dh)
        dh_blocks = np.empty_like(dz[0])
        u_t = np.ascontiguousarray(self.u_blocks.swapaxes(1, 2))     # U_k^T
        for t in reversed(range(len(dz))):
            z, gates, d = self.z[t], self.gates[t], dz[t]
            i, f, o, g = gates
            dh_t, h_skip = self.state_grad(t, dh)
            dc_t, c_skip = self.carry_grad(t, dc)
            tanh_c = self.tanh_c[t]
            np.multiply(dh_t, tanh_c, out=d_gates[2])                       # dL/do = dh act(c)
            dc_t = dc_t + derivative(act, dh_t * o, self.c_new[t], tanh_c, d_tanh_c)  # dh o act'
            np.multiply(dc_t, g, out=d_gates[0])                            # dL/di = dc g
            np.multiply(dc_t, self.cells[t], out=d_gates[1])                # dL/df = dc c_prev
            np.multiply(dc_t, i, out=d_gates[3])                            # dL/dg = dc i
            derivative(rec, d_gates[:3], z[:3], gates[:3], d[:3])
            derivative(act, d_gates[3], z[3], g, d[3])
            dc = dc_t * f                                                   # dL/dc_prev = dc f
            np.matmul(d, u_t, out=dh_blocks)                                # dz_k U_k^T
            dh = self.recurrent_grad(dh_blocks.sum(axis=0))                 # dL/dh_prev = dz U^T
            if h_skip is not None:
                dh += h_skip
                dc += c_skip
        T, _gates, B, _units = dz.shape
        dz = join_blocks(dz)                                              # (T, batch, 4 units)
        flat = dz.reshape(T * B, 4 * u)
        d_recurrent = self.recurrent_inputs().reshape(T * B, u).T @ flat  # sum_t h_{t-1}^T dz_t
        return dz, d_recurrent, flat.sum(axis=0)

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


@register("layer")
class GRU(_Recurrent):
    """Gated recurrent unit (Cho et al., 2014), as Keras 3 computes it.

    Each step, with the blocks in Keras' order (update gate ``z``, reset gate ``r``,
    candidate ``hh``)::

        z  = recurrent_activation(x_t W_z + h_{t-1} U_z + b_z)
        r  = recurrent_activation(x_t W_r + h_{t-1} U_r + b_r)
        hh = activation(x_t W_h + r * (h_{t-1} U_h + b'_h))      reset_after=True (default)
        hh = activation(x_t W_h + (r * h_{t-1}) U_h + b_h)       reset_after=False
        h_t = z * h_{t-1} + (1 - z) * hh

    With ``reset_after=True`` the bias has shape (2, 3*units): row 0 is added to ``x W``,
    row 1 to ``h U`` (inside the reset gate's product for the candidate).

    Args:
        units: size of the state and of the output.
        activation: of the candidate. Defaults to ``"tanh"``.
        recurrent_activation: of the gates. Defaults to ``"sigmoid"``.
        reset_after: apply the reset gate after the recurrent product. Defaults to ``True``
            (Keras 3's default, and the cuDNN convention).
    """

    GATES = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, *, reset_after=True, **kwargs):
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                         bias_initializer, kernel_regularizer, recurrent_regularizer,
                         bias_regularizer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = check_bool("reset_after", reset_after)

    def bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def input_bias(self):
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    # As in LSTM, each step's blocks lie one after the other, (3, batch, units), so that
    # every gate is a contiguous array; U_k is block k of the recurrent kernel.
    def forward_steps(self, xw):
        T, B, _width = xw.shape
        u, act, rec = self.units, self.activation, self.recurrent_activation
        H = np.zeros((T + 1, B, u), dtype=self.dtype)
        self.xw = split_blocks(xw, 3)
        U = self.u_blocks = split_blocks(self.loop_recurrent, 3)
        self.pre = np.empty_like(self.xw)     # pre-activations of z, r, hh
        self.post = np.empty_like(self.xw)    # z, r, hh
        if self.reset_after:
            self.hu = np.empty_like(self.xw)  # h_{t-1} U + recurrent bias, kept for dL/dr
            b_rec = None if self.bias is None else self.bias[1].reshape(3, 1, u)
        else:
            self.rh = np.empty((T, B, u), dtype=self.dtype)   # r * h_{t-1}, input of U_h
        for t in range(T):
            xw_t, pre, post = self.xw[t], self.pre[t], self.post[t]
            h_in = self.recurrent_input(H[t])
            if self.reset_after:
                hu = self.hu[t]
                np.matmul(h_in, U, out=hu)                            # h U_k, every k
                if b_rec is not None:
                    hu += b_rec
                np.add(xw_t[:2], hu[:2], out=pre[:2])
                activate(rec, pre[:2], post[:2])                      # z, r
                np.multiply(post[1], hu[2], out=pre[2])
                pre[2] += xw_t[2]                                     # x W_h + r (h U_h + b)
            else:
                np.add(xw_t[:2], np.matmul(h_in, U[:2]), out=pre[:2])
                activate(rec, pre[:2], post[:2])                      # z, r
                np.multiply(post[1], h_in, out=self.rh[t])            # r * h
                np.add(xw_t[2], self.rh[t] @ U[2], out=pre[2])
            activate(act, pre[2], post[2])                            # hh
            z, hh = post[0], post[2]
            H[t + 1] = self.keep_masked(t, hh + z * (H[t] - hh), H[t])  # z h_prev + (1-z) hh
        return H

    def backward_steps(self):
        u, act, rec = self.units, self.activation, self.recurrent_activation
        u_t = np.ascontiguousarray(self.u_blocks.swapaxes(1, 2))     # U_k^T
        d_xw = np.empty_like(self.xw)                   # dL/d(x W + input bias)
        if self.reset_after:
            d_hu = np.empty_like(self.xw)              # dL/d(h U + recurrent bias)
        dh = np.zeros(self.states.shape[1:], dtype=self.dtype)
        d_gates = np.empty_like(d_xw[0, :2])   # dL/d(z, r) of one step
        d_blocks = np.empty_like(d_xw[0])
        for t in reversed(range(len(d_xw))):
            pre, post, h_prev = self.pre[t], self.post[t], self.states[t]
            z, r, hh = post
            dh_t, skip = self.state_grad(t, dh)
            d = d_xw[t]
            d_a_h = derivative(act, dh_t * (1 - z), pre[2], hh, d[2])      # dh (1-z) act'
            np.subtract(h_prev, hh, out=d_gates[0])
            d_gates[0] *= dh_t                                              # dL/dz = dh (h - hh)
            if self.reset_after:
                np.multiply(d_a_h, self.hu[t, 2], out=d_gates[1])           # dr = da (hU_h + b)
                derivative(rec, d_gates, pre[:2], post[:2], d[:2])
                d_hu[t, :2] = d[:2]
                np.multiply(d_a_h, r, out=d_hu[t, 2])                       # d(hU_h) = da r
                d_h_in = np.matmul(d_hu[t], u_t, out=d_blocks).sum(axis=0)  # dhu U^T
            else:
                d_rh = d_a_h @ u_t[2]                                       # d(r h) = da U_h^T
                np.multiply(d_rh, self.recurrent_input(h_prev), out=d_gates[1])  # dr = drh h
                derivative(rec, d_gates, pre[:2], post[:2], d[:2])
                d_h_in = np.matmul(d[:2], u_t[:2], out=d_blocks[:2]).sum(axis=0)
                d_h_in += d_rh * r                                          # via U_zr and r h
            dh = dh_t * z + self.recurrent_grad(d_h_in)   # h = z h_prev + ...: dh_prev = dh z + ..
            if skip is not None:
                dh += skip
        T, _gates, B, _units = d_xw.shape
        width = 3 * u
        flat = join_blocks(d_xw).reshape(T * B, width)
        h_in = self.recurrent_inputs().reshape(T * B, u)
        if self.reset_after:
            d_hu_flat = join_blocks(d_hu).reshape(T * B, width)
            d_recurrent = h_in.T @ d_hu_flat                              # sum_t h_in^T dhu_t
            d_bias = np.stack([flat.sum(axis=0), d_hu_flat.sum(axis=0)])
        else:
            d_recurrent = np.concatenate(
                [h_in.T @ flat[:, :2 * u],                                # U_z, U_r: h_in^T dz
                 self.rh.reshape(T * B, u).T @ flat[:, 2 * u:]], axis=1)  # U_h: (r h)^T da_h
            d_bias = flat.sum(axis=0)
        return flat.reshape(T, B, width), d_recurrent, d_bias

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after}


for _layer in (SimpleRNN, LSTM, GRU):   # the shared arguments, documented once
    _layer.__doc__ = _layer.__doc__.rstrip() + "\n" + _COMMON_ARGS
