"""Stochastic gradient descent, with optional momentum and Nesterov momentum."""

from __future__ import annotations

import numpy as np

from ..serialization import register
from .base import Optimizer


@register("optimizer")
class SGD(Optimizer):
    """Gradient descent as in ``keras.optimizers.SGD``.

    Without momentum: ``w -= lr * g``. With momentum:
    ``v = momentum * v - lr * g``; ``w += v`` (or, with nesterov,
    ``w += momentum * v - lr * g``).

    Args:
        learning_rate: defaults to 0.01.
        momentum: in [0, 1]. Defaults to 0.0.
        nesterov: Nesterov momentum. Defaults to False.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not (
            0 <= momentum <= 1
        ):
            raise ValueError(f"momentum: expected a number in [0, 1], got {momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build(self, variables):
        super().build(variables)
        self.velocities = [np.zeros_like(v) for v in variables] if self.momentum else []

    def update_step(self, index, grad, variable, lr):
        if not self.momentum:
            variable -= lr * grad
            return
        v = self.velocities[index]
        v *= self.momentum
        v -= lr * grad
        if self.nesterov:
            variable += self.momentum * v - lr * grad
        else:
            variable += v

    def get_state(self):
        return [*super().get_state(), *self.velocities]

    def set_state(self, state):
        super().set_state(state)
        self.velocities = [np.array(s) for s in state[1:]]
        self.built = bool(self.velocities) or not self.momentum

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
