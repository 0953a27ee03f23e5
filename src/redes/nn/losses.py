"""Loss functions, with Keras' names, defaults and batch averaging.

A loss object is called like Keras' (``loss(y_true, y_pred, sample_weight=None)`` returns a
float). For training, ``loss_and_grad`` returns the loss and its gradient with respect to
``y_pred`` in one pass. Losses are averaged over the batch ("sum_over_batch_size"): the
weighted sum of the per-sample losses divided by the number of samples.

A crossentropy computed on probabilities that came straight out of a softmax (or sigmoid)
is computed from the logits instead, as Keras does: ``fuses_with(activation)`` says when,
and ``loss_and_grad(..., logits=True)`` then takes the logits and returns dL/dlogits.
"""

from __future__ import annotations

import numpy as np

from . import activations
from .serialization import deserialize, register


class Loss:
    """Base class. Subclasses implement ``_per_sample(y_true, y_pred, logits)`` returning
    (losses of shape (batch,), dlosses/dy_pred of the shape of y_pred)."""

    from_logits = False

    def __init__(self, name=None):
        self.name = name or _snake(type(self).__name__)

    def __call__(self, y_true, y_pred, sample_weight=None) -> float:
        return self.loss_and_grad(y_true, y_pred, sample_weight, need_grad=False)[0]

    def fuses_with(self, activation) -> bool:
        """Whether, after ``activation``, the loss can be computed from the logits."""
        return False

    def loss_and_grad(self, y_true, y_pred, sample_weight=None, logits=False, need_grad=True):
        y_pred = np.asarray(y_pred)
        y_true = np.asarray(y_true)
        losses, grad = self._per_sample(y_true, y_pred, logits or self.from_logits, need_grad)
        n = losses.shape[0]
        if sample_weight is not None:
            sw = np.asarray(sample_weight, dtype=y_pred.dtype).reshape(n)
            losses = losses * sw
            if need_grad:
                grad = grad * sw.reshape((n,) + (1,) * (grad.ndim - 1))
        loss = float(np.sum(losses, dtype=np.float64) / n)
        if need_grad:
            grad /= n
        return loss, grad

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _snake(name):
    import re

    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@register("loss", "categorical_crossentropy")
class CategoricalCrossentropy(Loss):
    """-sum(y_true * log(y_pred)) over classes; y_true one-hot.

    Args:
        from_logits: whether ``y_pred`` are logits rather than probabilities. Default False.
    """

    def __init__(self, from_logits=False, name="categorical_crossentropy"):
        super().__init__(name)
        self.from_logits = bool(from_logits)

    def fuses_with(self, activation):
        return not self.from_logits and activation is activations.softmax

    def _per_sample(self, y_true, y_pred, logits, need_grad):
        if logits:
            z = y_pred - np.max(y_pred, axis=-1, keepdims=True)
            log_p = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
            losses = -np.sum(y_true * log_p, axis=-1)
            # d/dz = softmax(z) * sum(y_true) - y_true
            grad = np.exp(log_p) * np.sum(y_true, axis=-1, keepdims=True) - y_true
            return losses, grad
        eps = 1e-7
        p = y_pred / np.sum(y_pred, axis=-1, keepdims=True)
        p = np.clip(p, eps, 1 - eps)
        losses = -np.sum(y_true * np.log(p), axis=-1)
        grad = -y_true / p if need_grad else None
        return losses, grad

    def get_config(self):
        return {"from_logits": self.from_logits, "name": self.name}


def get(identifier):
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        obj = deserialize("loss", identifier, "loss")
        return obj() if isinstance(obj, type) else obj
    if isinstance(identifier, dict):
        return deserialize("loss", identifier, "loss")
    raise ValueError(
        f"loss: expected a loss name such as 'categorical_crossentropy' or a Loss object, "
        f"got {identifier!r}"
    )
