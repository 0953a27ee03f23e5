"""The arithmetic the loops over time share: activations and their derivatives written in
place (a step runs them on preallocated arrays), the gate blocks of a kernel laid out as
contiguous arrays, and the weight gradients summed over the steps, block by block, chunk by
chunk as the loop back through time leaves the steps behind."""

from __future__ import annotations

import numpy as np

from ... import activations
from ...cores import INLINE

CHUNK = 16   # steps whose weight gradients are summed in one piece (``StepSums``)


def sigmoid_of_negated(minus_z, out) -> np.ndarray:
    """``out[...] = sigmoid(z) = 1 / (1 + exp(-z))`` from ``minus_z`` = -z (``out`` may be
    ``minus_z``): an exp costs less than a tanh. exp(-z) overflows to inf for a very negative
    z, giving the right 0; the loops over time do not warn of it."""
    np.exp(minus_z, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def activate(fn, z, out) -> np.ndarray:
    """``out[...] = fn(z)``, written in place for the two usual activations: tanh, and the
    sigmoid (``sigmoid_of_negated``)."""
    if fn is activations.sigmoid:
        sigmoid_of_negated(np.negative(z, out=out), out)
    elif fn is activations.tanh:
        np.tanh(z, out=out)
    else:
        out[...] = fn(z)
    return out


def slope_from_output(*fns) -> bool:
    """Whether ``slope`` computes every activation's derivative from its outputs alone (sigmoid
    and tanh): a loop over time then needs not keep the pre-activations, and may activate them
    in place."""
    return all(fn is activations.sigmoid or fn is activations.tanh for fn in fns)


def slope(fn, z, y, out) -> np.ndarray:
    """``out[...] = fn'(z)``, the activation's derivative at each pre-activation, written in
    place for sigmoid and tanh from their outputs ``y = fn(z)``."""
    if fn is activations.sigmoid:      # sigmoid'(z) = y (1 - y)
        np.subtract(1, y, out=out)
        out *= y
    elif fn is activations.tanh:       # tanh'(z) = 1 - y^2
        np.multiply(y, y, out=out)
        np.subtract(1, out, out=out)
    else:
        out[...] = fn.backward(np.ones_like(z), z, y)
    return out


def derivative(fn, grad, z, y, out) -> np.ndarray:
    """``out[...] = grad * fn'(z)`` (dL/dz from dL/dy, with ``y = fn(z)``), written in place
    for sigmoid and tanh. ``out`` must not be ``grad``."""
    if slope_from_output(fn):
        slope(fn, z, y, out)
        out *= grad
    else:
        out[...] = fn.backward(grad, z, y)
    return out


def project_blocks(xs, kernel, bias, k, out=None) -> np.ndarray:
    """``x_t @ kernel + bias`` for every step t of ``xs`` (T, batch, features), laid out as the
    loop over time reads it: (T, k, batch, units), block j = ``x_t @ W_j + b_j`` with W_j the
    j-th block of the kernel's columns. Each block's products go straight to their place
    (one product per block): computing ``x @ kernel`` first and then moving its column
    blocks apart would copy every number once more, with large strides. ``out``: an array of
    that shape to write into (a new one if ``None``)."""
    T, B, _features = xs.shape
    u = kernel.shape[1] // k
    if out is None:
        out = np.empty((T, k, B, u), dtype=np.result_type(xs, kernel))
    for j in range(k):
        np.matmul(xs, kernel[:, j * u:(j + 1) * u], out=out[:, j])
    if bias is not None:
        out += bias.reshape(k, 1, u)
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


def step_sum(a, d) -> np.ndarray:
    """``sum_t a_t^T d_t`` over the steps and the batch, for ``a`` (T, batch, n) and the
    gradient ``d`` block by block, (k, T, batch, units): the gradient of a kernel, block by
    block, (k, n, units) (``join_blocks`` gives the kernel's (n, k * units)). Within a block
    the steps and the batch are the rows of one contiguous (T * batch, units) matrix, so
    each block takes one product."""
    k, T, B, u = d.shape
    return np.matmul(a.reshape(T * B, -1).T, d.reshape(k, T * B, u))


class StepSums:
    """``step_sum(a, d)`` of each pair ``(a, d)``, summed chunk by chunk of ``CHUNK`` steps
    while the loop back through time goes on: once the loop has left a chunk behind
    (``left(t)``), the chunk's products go to the training step's helper thread
    (``redes.nn.cores``), which computes them on another core while the loop computes the
    next steps' ``d``. Without a helper they run at once. ``total()`` computes the first
    chunk itself, while the helper finishes the others, and adds the chunks up in the same
    order either way: the sums do not depend on the number of threads."""

    def __init__(self, *pairs, helper=None):
        self.pairs, self.helper, self.parts = pairs, helper or INLINE, []

    def chunk(self, start) -> list:
        span = slice(start, start + CHUNK)
        return [step_sum(a[span], d[:, span]) for a, d in self.pairs]

    def left(self, t) -> None:
        """The loop is done with step ``t`` (and with every later one)."""
        if t % CHUNK == 0 and t > 0:
            self.parts.append(self.helper.submit(self.chunk, t))

    def total(self) -> list:
        """The sums, one per pair, as kernels' gradients (n, k * units)."""
        totals = self.chunk(0)
        for part in self.parts:         # the later chunks, from the last one back
            for total, value in zip(totals, part.result()):
                total += value
        return [join_blocks(total) for total in totals]
