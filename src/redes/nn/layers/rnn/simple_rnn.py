"""``SimpleRNN``: the plain recurrent layer, its loop over time forwards and backwards."""

from __future__ import annotations

import numpy as np

from ...serialization import register
from .cell_math import StepSums, activate, derivative, project_blocks, slope_from_output
from .recurrent import _Recurrent, with_common_args


@register("layer")
@with_common_args
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

    def forward_steps(self):
        (T, B, _features), u = self.xs.shape, self.units
        work = self.kept_or_new               # the large arrays, kept as in LSTM
        xw = project_blocks(self.xs, self.loop_kernel, self.loop_bias, 1,
                            out=work("xw", (T, 1, B, u), self.dtype))[:, 0]   # xW + b, all t
        H = work("states", (T + 1, B, u), self.dtype)
        H[0] = 0                              # the initial state
        in_place = slope_from_output(self.activation)   # act(z) written over z (see LSTM)
        self.z, self.y = xw, xw if in_place else work("y", (T, B, u), self.dtype)
        for t in range(T):
            self.z[t] += self.recurrent_input(H[t]) @ self.loop_recurrent    # z = xW + b + hU
            activate(self.activation, self.z[t], self.y[t])                  # y = act(z)
            H[t + 1] = self.keep_masked(t, self.y[t], H[t])
        return H

    def backward_steps(self):
        dz = self.kept_or_new("dz", self.z.shape, self.dtype)
        dh = np.zeros(self.states.shape[1:], dtype=self.dtype)
        u_t = self.loop_recurrent.T
        # dL/dW = sum_t x_t^T dz_t and dL/dU = sum_t h_{t-1}^T dz_t, summed as the loop
        # leaves the steps behind (``StepSums``)
        sums = StepSums((self.xs, dz[None]), (self.recurrent_inputs(), dz[None]),
                        helper=self.step_helper)
        for t in reversed(range(len(dz))):
            dy, skip = self.state_grad(t, dh)
            derivative(self.activation, dy, self.z[t], self.y[t], dz[t])  # dL/dz = dy act'(z)
            dh = self.recurrent_grad(dz[t] @ u_t)                       # dL/dh_prev = dL/dz U^T
            if skip is not None:
                dh += skip
            sums.left(t)
        dz = dz[None]                                                   # the one block
        return (dz, *sums.total(), dz.sum(axis=(1, 2)).ravel())         # dL/db = sum dL/dz
