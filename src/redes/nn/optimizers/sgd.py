"""Stochastic gradient descent, with optional momentum and Nesterov momentum."""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_bool
from ..serialization import register
from .arguments import check_number
from .base import Optimizer


@register("optimizer")
class SGD(Optimizer):
    """Gradient descent, as ``keras.optimizers.SGD``.

    Without momentum::

        w = w - lr * g

    With momentum, a velocity ``m`` (starting at 0) accumulates past steps::

        m = momentum * m - lr * g
        w = w + m                      (or, with nesterov:  w = w + momentum * m - lr * g)

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.01.
        momentum: in [0, 1]; 0 is plain gradient descent. Defaults to 0.0.
        nesterov: use Nesterov momentum. Defaults to ``False``.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: as in ``Optimizer``
            (all default to ``None``).
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.momentum = check_number("momentum", momentum, minimum=0, maximum=1)
        self.nesterov = check_bool("nesterov", nesterov)

    def slot_groups(self):
        return [("momentum",)] if self.momentum != 0 else []

    def update_step(self, grad, variable, lr, slots, scratch):
        out = grad if self._overwrite else scratch
        step = np.multiply(grad, lr, out=out)    # lr * g
        if self.momentum == 0:
            variable -= step                     # w = w - lr * g
            return
        m = slots["momentum"]
        m *= self.momentum                       # m = momentum * m - lr * g
        m -= step
        if self.nesterov:                        # w = w + momentum * m - lr * g
            variable -= step
            np.multiply(m, self.momentum, out=step)
            variable += step
        else:                                    # w = w + m
            variable += m

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
