"""Metric functions: one value per sample, as ``keras.metrics.binary_accuracy`` and kin.

``MeanMetricWrapper`` averages them over the batches of an epoch. The loss functions that
Keras also lists among its metrics (``mean_squared_error``, ``binary_crossentropy``...) are
the ones of ``redes.nn.losses``.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend, losses


def same_rank(x1, x2, expand_rank_1=True):
    """``x1`` and ``x2`` made the same rank when they differ by a last axis of size 1, as
    Keras does: ``(n,)`` next to ``(n, 1)`` becomes ``(n, 1)`` (or ``(n,)`` when
    ``expand_rank_1`` is False); ``(n, c, 1)`` next to ``(n, c)`` loses its last axis."""
    if x1.ndim == x2.ndim + 1 and x1.shape[-1] == 1:
        if x2.ndim == 1 and expand_rank_1:
            x2 = x2[:, None]
        else:
            x1 = x1[..., 0]
    elif x2.ndim == x1.ndim + 1 and x2.shape[-1] == 1:
        if x1.ndim == 1 and expand_rank_1:
            x1 = x1[:, None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def accuracy(y_true, y_pred):
    """1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0."""
    y_pred = np.asarray(y_pred)
    y_true, y_pred = same_rank(np.asarray(y_true, dtype=y_pred.dtype), y_pred)
    return (y_true == y_pred).astype(backend.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where (y_pred > threshold) equals the 0/1 target, else 0.0."""
    y_true, y_pred = same_rank(np.asarray(y_true), np.asarray(y_pred))
    return (y_true == (y_pred > threshold)).astype(backend.floatx())


def categorical_accuracy(y_true, y_pred):
    """1.0 where the largest prediction is at the one-hot target's class, else 0.0."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return (np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)).astype(backend.floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the largest prediction is at the integer label, else 0.0."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return (y_true == np.argmax(y_pred, axis=-1)).astype(backend.floatx())


def _in_top_k(labels, y_pred, k):
    # a label is in the top k when fewer than k classes score strictly higher (ties count
    # in); a row holding NaN or inf counts as a miss, as in Keras
    score = np.take_along_axis(y_pred, labels[..., None].astype(np.intp), axis=-1)
    higher = np.sum(y_pred > score, axis=-1)
    finite = np.all(np.isfinite(y_pred), axis=-1)
    return ((higher < k) & finite).astype(backend.floatx())


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot target's class is among the ``k`` largest predictions."""
    return _in_top_k(np.argmax(np.asarray(y_true), axis=-1), np.asarray(y_pred), k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the ``k`` largest predictions.

    With ``from_sorted_ids=True``, ``y_pred`` holds class ids sorted from the highest score
    down, and the label must be among its first ``k`` columns."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    if from_sorted_ids:
        return np.any(y_true[..., None] == y_pred[..., :k], axis=-1).astype(backend.floatx())
    return _in_top_k(y_true, y_pred, k)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|y_true - y_pred| / |y_true|) over the last axis, each |y_true| at least
    1e-7 (Keras' epsilon) so that a zero target does not divide by zero."""
    y_pred = np.asarray(y_pred)
    y_true, y_pred = same_rank(np.asarray(y_true, dtype=y_pred.dtype), y_pred)
    error = np.abs(y_true - y_pred) / np.maximum(np.abs(y_true), 1e-7)
    return 100.0 * error.mean(axis=-1)


FUNCTIONS = {fn.__name__: fn for fn in (
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy,
    mean_absolute_percentage_error)}


def function(name):
    """A per-sample function of this module or of ``losses`` by name, for configs."""
    fn = FUNCTIONS.get(name) or getattr(losses, name, None)
    if not callable(fn) or isinstance(fn, type):
        raise ValueError(_("fn: unknown metric function {name!r}").format(name=name))
    return fn


def check_k(k):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(_("k: expected a positive integer, got {value!r}").format(value=k))
    return int(k)
