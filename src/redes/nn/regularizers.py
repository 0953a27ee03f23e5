"""Weight penalties added to the loss, as in ``keras.regularizers``.

A regularizer is called on a weight and returns the penalty (a float); its ``gradient``
returns d(penalty)/d(weight), which the model adds to the weight's gradient.
"""

from __future__ import annotations

import numpy as np

from .serialization import deserialize, register


class Regularizer:
    def __call__(self, w) -> float:
        raise NotImplementedError

    def gradient(self, w) -> np.ndarray:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@register("regularizer", "l1_l2")
class L1L2(Regularizer):
    """penalty = l1 * sum(|w|) + l2 * sum(w^2). Both default to 0."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = float(l1)
        self.l2 = float(l2)

    def __call__(self, w):
        return float(self.l1 * np.sum(np.abs(w)) + self.l2 * np.sum(np.square(w)))

    def gradient(self, w):
        # d/dw = l1 * sign(w) + 2 l2 w
        return (self.l1 * np.sign(w) + (2 * self.l2) * w).astype(w.dtype, copy=False)

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def get(identifier):
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    return deserialize("regularizer", identifier, "regularizer")
