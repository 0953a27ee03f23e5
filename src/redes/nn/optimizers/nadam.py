"""Nadam: Adam with Nesterov momentum."""

from __future__ import annotations

import numpy as np

from .. import backend
from ..serialization import register
from ..variables import arrays
from .arguments import check_number
from .base import Optimizer
from .state import scalar


@register("optimizer")
class Nadam(Optimizer):
    """Nadam (Dozat, 2015), as ``keras.optimizers.Nadam``.

    The momentum coefficient follows Dozat's warming schedule
    ``u(t) = beta_1 * (1 - 0.5 * 0.96**t)``, and ``P`` (starting at 1) is the running
    product ``u(1) * u(2) * ... * u(t)``. At step ``t`` (1 for the first step)::

        P = P * u(t)
        m = m + (1 - beta_1) * (g - m)
        v = v + (1 - beta_2) * (g**2 - v)
        m_hat = u(t+1) * m / (1 - P * u(t+1)) + (1 - u(t)) * g / (1 - P)
        v_hat = v / (1 - beta_2**t)
        w = w - lr * m_hat / (sqrt(v_hat) + epsilon)

    Like Keras, the scalars (``u``, ``P``, ``1 - beta_2**t``...) are computed in the
    weight's dtype (float32 by default).

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.001.
        beta_1: decay of the first-moment estimate, in [0, 1]. Defaults to 0.9.
        beta_2: decay of the second-moment estimate, in [0, 1]. Defaults to 0.999.
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
        self.u_product = np.float32(1.0)

    def slot_groups(self):
        return [("momentum", "velocity")]

    def build(self, variables):
        variables = arrays(variables)
        fresh = not self.built
        super().build(variables)
        if fresh:  # P starts at 1, in the dtype of the first weight, as in Keras
            dtype = variables[0].dtype if variables else np.dtype(backend.floatx())
            self.u_product = dtype.type(1.0)

    def _u(self, f, t):
        """u(t) = beta_1 * (1 - 0.5 * 0.96**t), computed with the float type ``f``."""
        return f(self.beta_1) * (1 - f(0.5) * f(0.96) ** f(t))

    def _before_update_steps(self):
        p = self.u_product
        self.u_product = p * self._u(type(p), self.iterations + 1)   # P = P * u(t)

    def update_step(self, grad, variable, lr, slots, scratch):
        f = variable.dtype.type                  # scalars in the weight's dtype, as in Keras
        t = self.iterations + 1
        u_t, u_next = self._u(f, t), self._u(f, t + 1)
        p = f(self.u_product)
        m = slots["momentum"]
        v = slots["velocity"]
        tmp = np.subtract(grad, m, out=scratch)  # m += (1 - beta_1) (g - m)
        tmp *= 1 - f(self.beta_1)
        m += tmp
        np.square(grad, out=tmp)                 # v = v + (1 - beta_2) * (g**2 - v)
        tmp -= v
        tmp *= 1 - f(self.beta_2)
        v += tmp
        # m_hat = u(t+1) * m / (1 - P * u(t+1)) + (1 - u(t)) * g / (1 - P)
        m_hat = np.multiply(m, u_next / (1 - p * u_next))
        np.multiply(grad, (1 - u_t) / (1 - p), out=tmp)
        m_hat += tmp
        # w = w - lr * m_hat / (sqrt(v_hat) + epsilon),  v_hat = v / (1 - beta_2**t)
        np.divide(v, 1 - f(self.beta_2) ** f(t), out=tmp)
        np.sqrt(tmp, out=tmp)
        tmp += self.epsilon
        m_hat /= tmp
        m_hat *= lr
        variable -= m_hat

    def _state_extra(self):
        return [np.asarray(self.u_product)]

    def _set_state_extra(self, extra):
        self.u_product = scalar(extra[0])

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
