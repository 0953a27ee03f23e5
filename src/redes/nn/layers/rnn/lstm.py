"""``LSTM``: long short-term memory, its gates and cell, forwards and backwards over time."""

from __future__ import annotations

import numpy as np

from ...._base.checks import check_bool
from ... import activations
from ...serialization import register
from .cell_math import (
    CHUNK,
    StepSums,
    activate,
    sigmoid_of_negated,
    slope,
    slope_from_output,
    split_blocks,
)
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

    # The loop keeps the blocks as [o, i, f, g] (Keras stores [i, f, g, o]): the three gates
    # with the recurrent activation are then side by side and take one call, and so are the
    # three blocks whose gradient backwards is dL/dc times a factor (i, f, g).
    def keras_order(self, grad):
        """The loop's blocks back in Keras' order: [o, i, f, g] -> [i, f, g, o]."""
        return np.roll(grad, -self.units, axis=-1)

    def loop_weights(self):
        def loop_order(w):                         # [i, f, g, o] -> [o, i, f, g]
            return np.roll(w, self.units, axis=-1)

        bias = None if self.bias is None else loop_order(self.bias)
        return loop_order(self.kernel), loop_order(self.recurrent_kernel), bias

    # Within the loop each step's blocks lie one after the other, z[t] of shape (4, batch,
    # units): every gate is then a contiguous array. On the column blocks of a (batch, 4 units)
    # array NumPy's elementwise operations run 2-3 times slower, and a step is mostly those.
    # A step's four blocks are one product, [x_t, 1, h_{t-1}] @ [W_k; b_k; U_k] for every k,
    # of an array ``xh`` that holds x_t and a column of ones from the start and receives
    # h_{t-1} as the loop computes it. (x_t W + b computed for every step first, straight
    # into this layout, would cost a small product per step and block anyway, and a pass
    # adding it to h U.) Backwards, one product per block gives dL/dW, dL/db and dL/dU.
    def stack_inputs(self) -> np.ndarray:
        """Fill ``xh`` (T+1, batch, features + 1 + units) with [x_t, 1, h_0 = 0] and return
        [W; b; U] block by block, (4, features + 1 + units, units). Without a bias there is
        no column of ones and no row b."""
        T, B, F = self.xs.shape
        ones = int(self.use_bias)
        self.xh = self.kept_or_new("xh", (T + 1, B, F + ones + self.units), self.dtype)
        self.xh[:T, :, :F] = self.xs                 # row T only ever receives h_T
        self.xh[:, :, F:F + ones] = 1
        self.xh[0, :, F + ones:] = 0
        rows = [self.loop_kernel, *([self.loop_bias[None]] if ones else []), self.loop_recurrent]
        return split_blocks(np.vstack(rows), 4)

    def forward_steps(self):
        (T, B, _features), u = self.xs.shape, self.units
        act, rec = self.activation, self.recurrent_activation
        # the large arrays are kept from one training step to the next (``kept_or_new``):
        # new ones would be new memory pages, which the system hands out zeroed, one by one
        H = self.kept_or_new("states", (T + 1, B, u), self.dtype)
        C = self.kept_or_new("cells", (T + 1, B, u), self.dtype)
        H[0] = C[0] = 0                             # the initial states
        wu = self.stack_inputs()                    # [W_k; b_k; U_k]: every k at once
        self.u_blocks = wu[:, -u:].copy()           # U_k, for the backward pass
        self.gates = self.kept_or_new("gates", (T, 4, B, u), self.dtype)
        # with sigmoid and tanh the backward pass needs only the gates: each step's
        # pre-activations go into the gates' place and are activated there
        in_place = slope_from_output(act, rec)
        self.z = self.gates if in_place else self.kept_or_new("z", (T, 4, B, u), self.dtype)
        # with sigmoid gates and a tanh candidate, the gates' columns negated once give -z_o,
        # -z_i, -z_f, from which ``sigmoid_of_negated`` needs no pass of its own that negates z
        negated = rec is activations.sigmoid and act is activations.tanh
        if negated:
            wu[:3] *= -1
        ig = np.empty((B, u), self.dtype)
        self.tanh_c = self.kept_or_new("tanh_c", (T, B, u), self.dtype)
        if self.step_mask is None:              # new states go straight into H and C
            self.c_new, h_new = C[1:], H[1:]
        else:                                   # new states, then the mask picks
            self.c_new, h_new = np.empty_like(C[1:]), np.empty_like(H[1:])
        self.cells = C
        # with a helper thread, the backward pass's factors of each chunk of steps the loop
        # has done are computed on it while the loop goes on (``loop_factors``)
        helper = self.step_helper
        if helper is not None:
            self.start_factors()
        self.factor_jobs = []
        for t in range(T):
            z, gates = self.z[t], self.gates[t]
            np.matmul(self.xh[t], wu, out=z)                          # z = xW + b + hU
            if negated:                                               # z is gates here
                sigmoid_of_negated(gates[:3], gates[:3])              # o, i, f
                np.tanh(gates[3], out=gates[3])                       # g
            else:
                activate(rec, z[:3], gates[:3])                       # o, i, f
                activate(act, z[3], gates[3])                         # g
            o, i, f, g = gates
            c = np.multiply(f, C[t], out=self.c_new[t])
            c += np.multiply(i, g, out=ig)                            # c = f c_prev + i g
            tanh_c = activate(act, c, self.tanh_c[t])
            np.multiply(o, tanh_c, out=h_new[t])                      # h = o act(c)
            if self.step_mask is not None:      # padded steps keep the previous states
                C[t + 1] = self.keep_masked(t, c, C[t])
                H[t + 1] = self.keep_masked(t, h_new[t], H[t])
            self.xh[t + 1, :, -u:] = self.recurrent_input(H[t + 1])   # h_t, for step t+1
            if helper is not None and ((t + 1) % CHUNK == 0 or t + 1 == T):
                start = len(self.factor_jobs) * CHUNK
                self.factor_jobs.append(helper.submit(self.loop_factors, start, t + 1))
        return H

    # Backwards, each block's dL/dz is dL/dh_t or dL/dc_t times a factor the forward pass
    # has fixed (o' = rec'(z_o), and so on):
    #     dz_o = dh act(c_t) o'     dz_i = dc g i'     dz_f = dc c_{t-1} f'     dz_g = dc i g'
    # and h_t = o act(c_t) adds dh o act'(c_t) to dL/dc_t. The factors of every step are
    # computed first, a few operations on whole arrays (with a helper thread, on the helper
    # during the forward pass, a chunk of steps at a time as the loop leaves them behind);
    # the loop back through time then only multiplies them by the gradients it carries,
    # five operations on (batch, units) blocks.
    def start_factors(self):
        """The arrays ``loop_factors`` fills: the factors block by block, (4, T, batch,
        units) in the loop's block order (as ``backward_steps`` returns dL/dz), and those
        of dL/dc_t from dL/dh_t, (T, batch, units)."""
        shape = self.tanh_c.shape
        self.factors = self.kept_or_new("factors", (4,) + shape, self.dtype)
        self.h_to_c = self.kept_or_new("h_to_c", shape, self.dtype)

    def loop_factors(self, start, stop):
        """The factors above of steps ``start`` to ``stop - 1``."""
        act, rec, span = self.activation, self.recurrent_activation, slice(start, stop)
        z, gates, factors = self.z[span], self.gates[span], self.factors[:, span]
        o, i, _f, g = (gates[:, k] for k in range(4))
        by_step = factors.swapaxes(0, 1)                            # (T, 4, batch, units)
        slope(rec, z[:, :3], gates[:, :3], by_step[:, :3])          # o', i', f'
        slope(act, z[:, 3], g, by_step[:, 3])                       # g'
        factors[0] *= self.tanh_c[span]                             # act(c_t) o'
        factors[1] *= g                                             # g i'
        factors[2] *= self.cells[span]                              # c_{t-1} f'
        factors[3] *= i                                             # i g'
        h_to_c = slope(act, self.c_new[span], self.tanh_c[span], self.h_to_c[span])
        h_to_c *= o                                                 # o act'(c_t)

    def backward_steps(self):
        if self.factor_jobs:               # computed by the helper thread, chunk by chunk
            for job in self.factor_jobs:
                job.result()
        else:
            self.start_factors()
            self.loop_factors(0, len(self.gates))
        dz, h_to_c = self.factors, self.h_to_c     # dz: the factors, made dL/dz step by step
        forget = self.gates[:, 2]
        # dL/d[W; b; U] = sum_t [x_t 1 h_{t-1}]^T dz_t, summed chunk by chunk as the loop
        # leaves the steps behind, on the helper thread if there is one
        sums = StepSums((self.xh[:-1], dz), helper=self.step_helper)
        dh = np.zeros(self.states.shape[1:], dtype=self.dtype)
        dc = np.zeros_like(dh)
        dh_blocks = np.empty_like(self.gates[0])   # dz_k U_k^T of one step, every k
        u_t = np.ascontiguousarray(self.u_blocks.swapaxes(1, 2))     # U_k^T
        for t in reversed(range(len(forget))):
            d = dz[:, t]
            dh_t, h_skip = self.state_grad(t, dh)
            dc_t, c_skip = self.carry_grad(t, dc)
            dc_t = dc_t + dh_t * h_to_c[t]                                  # dL/dc_t
            d[0] *= dh_t                                                    # dL/dz_o
            d[1:] *= dc_t                                                   # dL/dz_i, _f, _g
            dc = dc_t * forget[t]                                           # dL/dc_prev = dc f
            np.matmul(d, u_t, out=dh_blocks)                                # dz_k U_k^T
            dh = self.recurrent_grad(dh_blocks.sum(axis=0))                 # dL/dh_prev = dz U^T
            if h_skip is not None:
                dh += h_skip
                dc += c_skip
            sums.left(t)
        grads, = sums.total()
        F = self.xs.shape[-1]
        return dz, grads[:F], grads[-self.units:], grads[F] if self.use_bias else None

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}
