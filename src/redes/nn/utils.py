"""Helpers named as in ``keras.utils``."""

from __future__ import annotations

import numpy as np

from .backend import set_random_seed


def to_categorical(y, num_classes=None, dtype="float32"):
    """One-hot encode integer class labels: ``[1, 0] -> [[0, 1], [1, 0]]``."""
    y = np.asarray(y)
    if y.size and (not np.issubdtype(y.dtype, np.integer) and not np.all(y == np.round(y))):
        raise ValueError("y: expected integer class labels")
    y = y.astype(np.int64).reshape(-1)
    if y.size and y.min() < 0:
        raise ValueError(f"y: class labels must be >= 0, got {int(y.min())}")
    n = int(y.max()) + 1 if num_classes is None else int(num_classes)
    if y.size and y.max() >= n:
        raise ValueError(f"num_classes: got {n}, but y holds the label {int(y.max())}")
    out = np.zeros((y.size, n), dtype=dtype)
    out[np.arange(y.size), y] = 1
    return out


__all__ = ["set_random_seed", "to_categorical"]
