"""``GRU``: the gated recurrent unit, its gates forwards and backwards over time."""

from __future__ import annotations

import numpy as np

from ...._base.checks import check_bool
from ... import activations
from ...serialization import register
from .cell_math import (
    StepSums,
    activate,
    project_blocks,
    slope,
    slope_from_output,
    split_blocks,
)
from .recurrent import _Recurrent, with_common_args


@register("layer")
@with_common_args
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
    # every gate is a contiguous array; U_k is block k of the recurrent kernel. The reset
    # gate multiplies the candidate's recurrent part before it joins x_t W_h, so x_t W + b
    # is computed for every step first (``project_blocks``), and h_{t-1} U in the loop.
    def forward_steps(self):
        (T, B, _features), u = self.xs.shape, self.units
        blocks = (T, 3, B, u)                 # as in LSTM, the large arrays are kept from
        work = self.kept_or_new               # one training step to the next
        self.xw = project_blocks(self.xs, self.loop_kernel, self.loop_bias, 3,
                                 out=work("xw", blocks, self.dtype))    # x_t W + b, all t
        act, rec = self.activation, self.recurrent_activation
        H = work("states", (T + 1, B, u), self.dtype)
        H[0] = 0                              # the initial state
        U = self.u_blocks = split_blocks(self.loop_recurrent, 3)
        self.post = work("post", blocks, self.dtype)    # z, r, hh
        # their pre-activations, activated in place with sigmoid and tanh (see LSTM)
        in_place = slope_from_output(act, rec)
        self.pre = self.post if in_place else work("pre", blocks, self.dtype)
        if self.reset_after:
            self.hu = work("hu", blocks, self.dtype)    # h_{t-1} U + recurrent bias, for dL/dr
            b_rec = None if self.bias is None else self.bias[1].reshape(3, 1, u)
        else:
            self.rh = work("rh", (T, B, u), self.dtype)   # r * h_{t-1}, input of U_h
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

    # Backwards, as in LSTM, each block's dL/dz is the gradient the loop carries times a
    # factor the forward pass has fixed (z' = rec'(z's pre-activation), and so on):
    #     dz_z = dh (h_{t-1} - hh) z'     da = dz_hh = dh (1 - z) hh'
    #     dz_r = da (h U_h + b_h) r'      (reset_after=True)
    #     dz_r = d(r h) h_{t-1} r'        (reset_after=False; d(r h) = da U_h^T)
    # The factors of every step are computed first, on whole arrays; the loop back through
    # time then multiplies them by the gradients it carries.
    def loop_factors(self, h_in):
        """The factors above block by block, (3, T, batch, units), in Keras' order; ``h_in``:
        the recurrent input of every step (``recurrent_inputs``)."""
        act, rec = self.activation, self.recurrent_activation
        z, hh = self.post[:, 0], self.post[:, 2]
        factors = self.kept_or_new("factors", (3,) + z.shape, self.dtype)
        slope(rec, self.pre[:, :2], self.post[:, :2], factors[:2].swapaxes(0, 1))  # z', r'
        slope(act, self.pre[:, 2], hh, factors[2])                                 # hh'
        factors[0] *= self.states[:-1] - hh
        factors[1] *= self.hu[:, 2] if self.reset_after else h_in
        factors[2] *= 1 - z
        return factors

    def backward_steps(self):
        h_in = self.recurrent_inputs()
        d_xw = self.loop_factors(h_in)  # the factors, made dL/d(x W + input bias) step by step
        _gates, T, B, u = d_xw.shape
        u_t = np.ascontiguousarray(self.u_blocks.swapaxes(1, 2))     # U_k^T
        if self.reset_after:
            d_hu = self.kept_or_new("d_hu", d_xw.shape, self.dtype)   # dL/d(h U + rec. bias)
        z, r = self.post[:, 0], self.post[:, 1]
        dh = np.zeros((B, u), dtype=self.dtype)
        d_blocks = np.empty((3, B, u), self.dtype)
        # the weight gradients, summed as the loop leaves the steps behind (``StepSums``):
        # dL/dW = sum_t x_t^T d_xw_t, and dL/dU = sum_t h_in^T dhu_t (reset after), or
        # h_in^T dz for U_z, U_r and (r h)^T da_h for U_h
        pairs = [(h_in, d_hu)] if self.reset_after else [(h_in, d_xw[:2]), (self.rh, d_xw[2:])]
        sums = StepSums((self.xs, d_xw), *pairs, helper=self.step_helper)
        for t in reversed(range(T)):
            dh_t, skip = self.state_grad(t, dh)
            d = d_xw[:, t]
            d[::2] *= dh_t                                      # dL/dz_z, and da (block h)
            if self.reset_after:
                d[1] *= d[2]                                    # dL/dz_r = da (hU_h + b) r'
                dhu = d_hu[:, t]
                dhu[:2] = d[:2]
                np.multiply(d[2], r[t], out=dhu[2])             # d(hU_h + b) = da r
                d_h_in = np.matmul(dhu, u_t, out=d_blocks).sum(axis=0)      # dhu U^T
            else:
                d_rh = d[2] @ u_t[2]                            # d(r h) = da U_h^T
                d[1] *= d_rh                                    # dL/dz_r = d(r h) h r'
                d_h_in = np.matmul(d[:2], u_t[:2], out=d_blocks[:2]).sum(axis=0)
                d_h_in += d_rh * r[t]                           # via U_zr and r h
            dh = dh_t * z[t] + self.recurrent_grad(d_h_in)  # h = z h_prev + ...: dh z + ..
            if skip is not None:
                dh += skip
            sums.left(t)
        d_kernel, *d_recurrent = sums.total()
        if self.reset_after:
            d_bias = np.stack([d_xw.sum(axis=(1, 2)).ravel(), d_hu.sum(axis=(1, 2)).ravel()])
        else:
            d_bias = d_xw.sum(axis=(1, 2)).ravel()
        return d_xw, d_kernel, np.concatenate(d_recurrent, axis=1), d_bias

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after}
