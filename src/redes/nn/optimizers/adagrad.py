"""Adagrad: per-weight learning rates that shrink as squared gradients accumulate."""

from __future__ import annotations

import numpy as np

from ..serialization import register
from .arguments import check_number
from .base import Optimizer


@register("optimizer")
class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011), as ``keras.optimizers.Adagrad``.

    The accumulator ``a`` starts at ``initial_accumulator_value``::

        a = a + g**2
        w = w - lr * g / sqrt(a + epsilon)

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.001 (Adagrad
            often does better with larger values; the paper uses 1.0).
        initial_accumulator_value: the starting value of the accumulators, >= 0.
            Defaults to 0.1.
        epsilon: a small constant for numerical stability. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: as in ``Optimizer``
            (all default to ``None``).
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.initial_accumulator_value = check_number(
            "initial_accumulator_value", initial_accumulator_value, minimum=0)
        self.epsilon = check_number("epsilon", epsilon, minimum=0)

    def slot_groups(self):
        return [("accumulator",)]

    def slot_initial_value(self, name):
        return self.initial_accumulator_value

    def update_step(self, grad, variable, lr, slots, scratch):
        a = slots["accumulator"]
        # a = a + g**2
        tmp = np.square(grad, out=scratch)
        a += tmp
        np.add(a, self.epsilon, out=tmp)         # w = w - lr * g / sqrt(a + epsilon)
        np.sqrt(tmp, out=tmp)
        np.divide(grad, tmp, out=tmp)
        tmp *= lr
        variable -= tmp

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
