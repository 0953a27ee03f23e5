"""Recurrent layers: ``SimpleRNN``, ``LSTM`` and ``GRU``, with Keras 3's arguments and weights.

A recurrent layer reads a sequence ``x`` of shape (batch, timesteps, features) one step at a
time and carries a state ``h`` (the LSTM also a cell ``c``) from each step to the next::

    h_0 = 0
    h_t = cell(x_t, h_{t-1})          for t = 1 .. T
    output = h_T                      (or every h_t with return_sequences=True)

Forward pass. The loop runs over time only, vectorized over the batch. ``x_t @ kernel`` does
not depend on the state: SimpleRNN and GRU compute it for every step before the loop, which
adds ``h_{t-1} @ recurrent_kernel`` and applies the gates; the LSTM computes both in one
product per step, ``[x_t, 1, h_{t-1}] @ [kernel; bias; recurrent_kernel]``, the bias
included. Everything the backward pass needs (gates, states) is stored per step.

Backward pass: backpropagation through time. The network unrolled over T steps is a deep
network whose layers share the same weights, so the loop runs backwards from the last step:
at step t the gradient of the state, dL/dh_t, is the gradient of the output at t plus what
flows back from step t+1; the cell turns it into dL/d(pre-activations) of step t and
dL/dh_{t-1}, which goes on to step t-1. The weights are shared by all steps, so their
gradients are sums over steps: they are computed after the loop, with one matrix product per
gate block over all the stored steps at once (e.g. dL/dkernel = sum_t x_t^T dL/dz_t).

Weights, as in Keras (``k`` = 1 for SimpleRNN, 4 for LSTM, 3 for GRU):
``kernel`` (features, k*units), ``recurrent_kernel`` (units, k*units), ``bias`` (k*units,)
(GRU with ``reset_after=True``: (2, 3*units), the input and the recurrent bias). The blocks
are in Keras' order: LSTM i, f, c, o; GRU z, r, h. So ``get_weights``/``set_weights`` move
weights between redes and Keras unchanged.

Masking. When a mask is given (``call(x, mask=...)``, or by the model from an
``Embedding(mask_zero=True)``), a step whose mask is False keeps the previous state and
repeats the previous output, as Keras does: padded steps change nothing.

The package, one module per idea: ``recurrent`` (what the three layers share: arguments,
weights, masks, dropout, and after the loop over time dL/dx and the weight gradients in
Keras' order), ``simple_rnn``, ``lstm`` and ``gru`` (each cell's loop over time, forwards
and backwards), ``cell_math`` (the in-place activations and their slopes, the gate blocks
the loops use, and the weight gradients summed over the steps block by block) and
``sequences`` (the checks of a sequence input and of its mask, shared with the wrappers and
the pooling layers).
"""

from .gru import GRU
from .lstm import LSTM
from .simple_rnn import SimpleRNN

__all__ = ["GRU", "LSTM", "SimpleRNN"]
