"""The arithmetic of ``MultiHeadAttention``, forward and backward, on whole batches.

Shapes: B batch, T query steps, S value steps, H heads, dk key_dim, dv value_dim. The
projections give (B, steps, H, size); the attention itself works head by head, on
(B, H, steps, size), so that one matmul does every head of every sample.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _

LARGE_NEGATIVE = -1e9     # the score of a masked pair (as Keras' Softmax sets it)


def project(x, kernel, bias=None):
    """(B, steps, d) @ (d, H, size) + (H, size) -> (B, steps, H, size)."""
    y = np.tensordot(x, kernel, axes=1)
    if bias is not None:
        y += bias
    return y


def project_backward(x, kernel, grad, use_bias):
    """([dL/dkernel, dL/dbias], dL/dx) of ``project``, given dL/dy ``grad``."""
    d_kernel = np.tensordot(x, grad, axes=([0, 1], [0, 1]))      # dL/dW = x^T dL/dy
    grads = [d_kernel, grad.sum(axis=(0, 1))] if use_bias else [d_kernel]  # dL/db = sum dL/dy
    dx = np.tensordot(grad, kernel, axes=([2, 3], [1, 2]))       # dL/dx = dL/dy W^T
    return grads, dx


def combine_masks(batch, t, s, query_mask=None, value_mask=None, key_mask=None,
                  attention_mask=None, causal=False, who=""):
    """The (B, T, S) boolean mask of the pairs (t, s) that may attend (``None``: all), the
    logical AND of every mask given, as Keras combines them: the query's padding mask
    (B, T) as (B, T, 1), the value's and the key's (B, S) as (B, 1, S), the causal mask
    (1, T, S) (s <= t) and ``attention_mask`` (broadcast to (B, T, S); nonzero means True).
    """
    allowed = None

    def both(a, b):
        return b if a is None else a & b

    if query_mask is not None:
        allowed = np.asarray(query_mask).astype(bool)[:, :, None]
    for mask in (value_mask, key_mask):
        if mask is not None:
            allowed = both(allowed, np.asarray(mask).astype(bool)[:, None, :])
    if causal:
        allowed = both(allowed, np.tril(np.ones((t, s), dtype=bool))[None])
    if attention_mask is not None:
        given = np.asarray(attention_mask) != 0
        try:
            np.broadcast_shapes(given.shape, (batch, t, s))
        except ValueError:
            raise ValueError(_(
                "attention_mask: MultiHeadAttention {name!r} needs a mask of shape (batch, "
                "query steps, value steps) = {expected}, got shape {shape}").format(
                    name=who, expected=(batch, t, s), shape=given.shape)) from None
        allowed = both(allowed, given)
    return None if allowed is None else np.broadcast_to(allowed, (batch, t, s))


def _heads(x):
    """(B, steps, H, size) -> (B, H, steps, size)."""
    return x.transpose(0, 2, 1, 3)


def attention_forward(q, k, v, scale, allowed=None, keep=None, zero_empty_rows=True):
    """Scaled dot-product attention of every head: (p, context, what backward needs).

    ``allowed``: (B, T, S) mask or ``None``; ``keep``: the dropout's (B, H, T, S) factors
    (0 or 1 / (1 - rate)) or ``None``. ``p`` is (B, H, T, S), ``context`` (B, T, H, dv).
    A query with nothing to attend to gets probabilities 0 (``zero_empty_rows``) or, as
    the softmax of equal scores gives, 1 / S each.
    """
    qh, kh, vh = _heads(q), _heads(k), _heads(v)
    scores = (qh * q.dtype.type(scale)) @ kh.swapaxes(-1, -2)       # (B, H, T, S)
    mask = None if allowed is None else allowed[:, None]             # the same for all heads
    if mask is not None:
        scores = np.where(mask, scores, scores.dtype.type(LARGE_NEGATIVE))
    scores = scores - scores.max(axis=-1, keepdims=True)             # softmax over S
    p = np.exp(scores)
    p /= p.sum(axis=-1, keepdims=True)
    if mask is not None and zero_empty_rows:
        p = np.where(mask, p, p.dtype.type(0))    # a row with nothing to attend to: all 0
    dropped = p if keep is None else p * keep
    context = _heads(dropped @ vh)                                    # (B, T, H, dv)
    return p, context, (qh, kh, vh, p, dropped, keep, scale, mask)


def attention_backward(saved, d_context, d_p=None):
    """(dL/dq, dL/dk, dL/dv), each (B, steps, H, size), from dL/dcontext (and dL/dp when
    the probabilities were an output too)."""
    qh, kh, vh, p, dropped, keep, scale, mask = saved
    dch = _heads(d_context)                                 # (B, H, T, dv)
    d_dropped = dch @ vh.swapaxes(-1, -2)                   # context = p' v: dL/dp' = dL/dc v^T
    dvh = dropped.swapaxes(-1, -2) @ dch                    #            and dL/dv = p'^T dL/dc
    dp = d_dropped if keep is None else d_dropped * keep    # p' = p * keep
    if d_p is not None:
        dp = dp + d_p
    # softmax: dL/ds = p * (dL/dp - sum_j p_j dL/dp_j)
    ds = p * (dp - np.sum(p * dp, axis=-1, keepdims=True))
    if mask is not None:              # a masked score is a constant: no gradient
        ds = np.where(mask, ds, ds.dtype.type(0))
    ds *= ds.dtype.type(scale)                              # s = scale q k^T
    dqh = ds @ kh                                           # dL/dq = scale dL/ds k
    dkh = ds.swapaxes(-1, -2) @ qh                          # dL/dk = scale dL/ds^T q
    return _heads(dqh), _heads(dkh), _heads(dvh)
