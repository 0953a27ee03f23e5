"""Adadelta: steps scaled by running RMS of past steps over running RMS of gradients."""

from __future__ import annotations

import numpy as np

from ..serialization import register
from .arguments import check_number
from .base import Optimizer


@register("optimizer")
class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012), as ``keras.optimizers.Adadelta``.

    With ``rms(x) = sqrt(x + epsilon)`` and both accumulators starting at 0::

        G = rho * G + (1 - rho) * g**2             # running mean of squared gradients
        d = -rms(D) / rms(G) * g                   # the step, in the units of w
        D = rho * D + (1 - rho) * d**2             # running mean of squared steps
        w = w + lr * d

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.001 (the
            paper's form is 1.0).
        rho: the decay of the running means, in [0, 1]. Defaults to 0.95.
        epsilon: a small constant for numerical stability. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: as in ``Optimizer``
            (all default to ``None``).
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.rho = check_number("rho", rho, minimum=0, maximum=1)
        self.epsilon = check_number("epsilon", epsilon, minimum=0)

    def slot_groups(self):
        return [("accumulated_grad", "accumulated_delta_var")]

    def update_step(self, grad, variable, lr, slots, scratch):
        rho, eps = self.rho, self.epsilon
        big_g = slots["accumulated_grad"]
        big_d = slots["accumulated_delta_var"]
        # G = rho * G + (1 - rho) * g**2
        tmp = np.square(grad, out=scratch)
        tmp *= 1 - rho
        big_g *= rho
        big_g += tmp
        d = np.add(big_d, eps)                   # d = -sqrt(D + eps) * g / sqrt(G + eps)
        np.sqrt(d, out=d)
        d *= grad
        np.add(big_g, eps, out=tmp)
        np.sqrt(tmp, out=tmp)
        d /= tmp
        np.negative(d, out=d)
        np.square(d, out=tmp)                    # D = rho * D + (1 - rho) * d**2
        tmp *= 1 - rho
        big_d *= rho
        big_d += tmp
        d *= lr                                  # w = w + lr * d
        variable += d

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
