"""RMSprop: divide each step by a running root mean square of the gradients."""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_bool
from ..serialization import register
from .arguments import check_number
from .base import Optimizer


@register("optimizer")
class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012), as ``keras.optimizers.RMSprop``.

    ``v`` is a running mean of the squared gradients (and, when centered, ``a`` a running
    mean of the gradients, so that ``v - a**2`` estimates their variance)::

        v = rho * v + (1 - rho) * g**2
        a = rho * a + (1 - rho) * g                    (centered only)
        step = lr * g / sqrt(v + epsilon)     (centered: sqrt(max(v - a**2, 0) + epsilon))
        w = w - step                                   (momentum = 0)
        m = momentum * m + step;  w = w - m            (momentum > 0)

    Note that ``epsilon`` is added inside the square root, as Keras does. ``v - a**2`` is a
    variance and never negative in exact arithmetic; float rounding can push it below 0
    when the gradient hardly changes, which makes Keras return NaN. redes clamps it at 0
    (``sqrt(max(v - a**2, 0) + epsilon)``); results differ from Keras only where that
    rounding happened.

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.001.
        rho: the decay of the running means, in [0, 1]. Defaults to 0.9.
        momentum: in [0, 1]; 0 means no momentum. Defaults to 0.0.
        epsilon: a small constant for numerical stability. Defaults to 1e-7.
        centered: divide by the estimated variance of the gradients instead of their
            second moment. Defaults to ``False``.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: as in ``Optimizer``
            (all default to ``None``).
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.rho = check_number("rho", rho, minimum=0, maximum=1)
        self.momentum = check_number("momentum", momentum, minimum=0, maximum=1)
        self.epsilon = check_number("epsilon", epsilon, minimum=0)
        self.centered = check_bool("centered", centered)

    def slot_groups(self):
        groups = [("velocity",)]
        if self.momentum > 0:
            groups.append(("momentum",))
        if self.centered:
            groups.append(("average_gradient",))
        return groups

    def update_step(self, grad, variable, lr, slots, scratch):
        rho = self.rho
        v = slots["velocity"]
        tmp = np.square(grad, out=scratch)
        tmp *= 1 - rho                           # v = rho * v + (1 - rho) * g**2
        v *= rho
        v += tmp
        if self.centered:
            a = slots["average_gradient"]
            a *= rho                             # a = rho * a + (1 - rho) * g
            np.multiply(grad, 1 - rho, out=tmp)
            a += tmp
            np.square(a, out=tmp)                # tmp = max(v - a**2, 0) + epsilon
            np.subtract(v, tmp, out=tmp)
            np.maximum(tmp, 0, out=tmp)
            tmp += self.epsilon
        else:
            np.add(v, self.epsilon, out=tmp)     # tmp = v + epsilon
        np.sqrt(tmp, out=tmp)                    # step = lr * g / sqrt(tmp)
        np.divide(grad, tmp, out=tmp)
        tmp *= lr
        if self.momentum > 0:
            m = slots["momentum"]
            m *= self.momentum                   # m = momentum * m + step
            m += tmp
            variable -= m
        else:
            variable -= tmp

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
