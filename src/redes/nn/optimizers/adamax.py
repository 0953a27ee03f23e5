"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

import numpy as np

from ..serialization import register
from .arguments import check_number
from .base import Optimizer


@register("optimizer")
class Adamax(Optimizer):
    """Adamax (Kingma and Ba, 2014, section 7.1), as ``keras.optimizers.Adamax``.

    At step ``t`` (1 for the first step), with ``m`` and ``u`` starting at 0::

        m = m + (1 - beta_1) * (g - m)
        u = max(beta_2 * u, |g|)
        w = w - lr * m / ((1 - beta_1**t) * (u + epsilon))

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.001.
        beta_1: decay of the first-moment estimate, in [0, 1]. Defaults to 0.9.
        beta_2: decay of the infinity norm, in [0, 1]. Defaults to 0.999.
        epsilon: a small constant for numerical stability. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: as in ``Optimizer``
            (all default to ``None``).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1 = check_number("beta_1", beta_1, minimum=0, maximum=1)
        self.beta_2 = check_number("beta_2", beta_2, minimum=0, maximum=1)
        self.epsilon = check_number("epsilon", epsilon, minimum=0)

    def slot_groups(self):
        return [("momentum", "norm")]

    def update_step(self, grad, variable, lr, slots, scratch):
        f = variable.dtype.type                  # scalars in the weight's dtype, as in Keras
        t = f(self.iterations + 1)
        m = slots["momentum"]
        u = slots["norm"]
        tmp = np.subtract(grad, m, out=scratch)  # m += (1 - beta_1) (g - m)
        tmp *= 1 - self.beta_1
        m += tmp
        u *= self.beta_2                         # u = max(beta_2 * u, |g|)
        np.abs(grad, out=tmp)
        np.maximum(u, tmp, out=u)
        np.add(u, self.epsilon, out=tmp)         # w = w - lr * m / ((1 - beta_1**t)(u + eps))
        tmp *= 1 - f(self.beta_1) ** t
        np.divide(m, tmp, out=tmp)
        tmp *= lr
        variable -= tmp

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
