"""The optimizer base: a small state per weight plus an update rule (as in optax).

``apply(grads, variables)`` updates the variables in place. On its first call the optimizer
builds its state (momentum buffers, moment estimates...) for those variables. Gradient
clipping (``clipnorm``, ``clipvalue``, ``global_clipnorm``) happens before the update, and
the learning rate may be a number or a schedule of the step count, as in Keras.
"""

from __future__ import annotations

import numpy as np

from . import schedules


class Optimizer:
    """Base class.

    Args:
        learning_rate: a float or a ``LearningRateSchedule``.
        clipnorm: clip each gradient to this L2 norm. Default ``None``.
        clipvalue: clip each gradient element to [-clipvalue, clipvalue]. Default ``None``.
        global_clipnorm: clip all gradients together to this global L2 norm. Default ``None``.
        name: the optimizer's name.
    """

    def __init__(self, learning_rate=0.001, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None):
        self._learning_rate = schedules.check_learning_rate(learning_rate)
        for arg, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                           ("global_clipnorm", global_clipnorm)):
            if value is not None and (isinstance(value, bool) or not value > 0):
                raise ValueError(f"{arg}: expected a positive number or None, got {value!r}")
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError("clipnorm, global_clipnorm: give at most one of the two")
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.name = name or type(self).__name__.lower()
        self.iterations = 0
        self.built = False

    # ------------------------------------------------------------ learning rate
    @property
    def learning_rate(self) -> float:
        """The learning rate of the next step (a schedule is evaluated at ``iterations``)."""
        lr = self._learning_rate
        return float(lr(self.iterations)) if callable(lr) else float(lr)

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = schedules.check_learning_rate(value)

    # ----------------------------------------------------------------- updates
    def build(self, variables) -> None:
        """Make the state for ``variables``; subclasses add their buffers."""
        self.built = True

    def apply(self, grads, variables) -> None:
        """Update ``variables`` in place from ``grads`` (lists in the same order)."""
        grads, variables = list(grads), list(variables)
        if not self.built:
            self.build(variables)
        grads = self._clip(grads)
        lr = self.learning_rate
        for i, (g, v) in enumerate(zip(grads, variables)):
            self.update_step(i, g, v, lr)
        self.iterations += 1

    def apply_gradients(self, grads_and_vars) -> None:
        """Keras' form: an iterable of (gradient, variable) pairs."""
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def update_step(self, index: int, grad: np.ndarray, variable: np.ndarray, lr: float):
        raise NotImplementedError

    def _clip(self, grads):
        if self.clipvalue is not None:
            grads = [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        if self.clipnorm is not None:
            grads = [_scale_to_norm(g, np.sqrt(np.sum(g * g)), self.clipnorm) for g in grads]
        if self.global_clipnorm is not None:
            norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
            grads = [_scale_to_norm(g, norm, self.global_clipnorm) for g in grads]
        return grads

    # ------------------------------------------------------------------- state
    def get_state(self) -> list[np.ndarray]:
        """The optimizer's buffers (for saving with a model); subclasses extend."""
        return [np.asarray(self.iterations, dtype=np.int64)]

    def set_state(self, state) -> None:
        self.iterations = int(state[0])

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "learning_rate": schedules.serialize(self._learning_rate),
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "global_clipnorm": self.global_clipnorm,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["learning_rate"] = schedules.deserialize(config.get("learning_rate", 0.001))
        return cls(**config)


def _scale_to_norm(g, norm, max_norm):
    return g * (max_norm / norm) if norm > max_norm else g
