"""``LSTM``: long short-term memory, its gates and cell, forwards and backwards over time."""

from __future__ import annotations

import numpy as np

from ...._base.checks import check_bool
from ... import activations
from ...serialization import register
from .cell_math import activate, derivative, join_blocks, split_blocks
from .recurrent import _Recurrent, with_common_args


@register("layer")
@with_common_args
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
        T, _gates, B, u = xw.shape
        act, rec = self.activation, self.recurrent_activation
        H = np.zeros((T + 1, B, u), dtype=self.dtype)
        C = np.zeros((T + 1, B, u), dtype=self.dtype)
        self.z = xw
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
