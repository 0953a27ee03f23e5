"""Adam: running estimates of the gradients' mean and uncentered variance."""

from __future__ import annotations

import numpy as np

from ..._base.checks import check_bool
from ..serialization import register
from .arguments import check_number
from .base import Optimizer


@register("optimizer")
class Adam(Optimizer):
    """Adam (Kingma and Ba, 2014), as ``keras.optimizers.Adam``.

    At step ``t`` (1 for the first step), with ``m`` and ``v`` starting at 0::

        m = m + (1 - beta_1) * (g - m)            # = beta_1 * m + (1 - beta_1) * g
        v = v + (1 - beta_2) * (g**2 - v)         # = beta_2 * v + (1 - beta_2) * g**2
        v_hat = max(v_hat, v);  v = v_hat         (amsgrad only)
        alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w = w - alpha * m / (sqrt(v) + epsilon)

    The bias correction is folded into ``alpha`` and ``epsilon`` is added to the
    uncorrected ``sqrt(v)`` (the "epsilon hat" of the paper), as Keras does. Like Keras,
    ``alpha`` is computed in the weight's dtype (float32 by default).

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.001.
        beta_1: decay of the first-moment estimate, in [0, 1]. Defaults to 0.9.
        beta_2: decay of the second-moment estimate, in [0, 1]. Defaults to 0.999.
        epsilon: a small constant for numerical stability. Defaults to 1e-7.
        amsgrad: use the AMSGrad variant (Reddi et al., 2018), which divides by the largest
            ``v`` seen so far. Defaults to ``False``.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: as in ``Optimizer``
            (all default to ``None``).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
        self.beta_1 = check_number("beta_1", beta_1, minimum=0, maximum=1)
        self.beta_2 = check_number("beta_2", beta_2, minimum=0, maximum=1)
        self.epsilon = check_number("epsilon", epsilon, minimum=0)
        self.amsgrad = check_bool("amsgrad", amsgrad)
        self._alpha_key = self._alpha_value = None

    def slot_groups(self):
        groups = [("momentum", "velocity")]
        if self.amsgrad:
            groups.append(("velocity_hat",))
        return groups

    def _alpha(self, f, lr):
        """lr sqrt(1 - beta_2^t) / (1 - beta_1^t) in the float type ``f`` of the weight, as
        in Keras; computed once per step for all the weights (and pieces) of that type."""
        key = (self.iterations, f, lr)
        if self._alpha_key != key:
            t = f(self.iterations + 1)
            alpha = f(lr) * np.sqrt(1 - f(self.beta_2) ** t) / (1 - f(self.beta_1) ** t)
            self._alpha_value, self._alpha_key = alpha, key
        return self._alpha_value

    def update_step(self, grad, variable, lr, slots, scratch):
        alpha = self._alpha(variable.dtype.type, lr)
        m = slots["momentum"]
        v = slots["velocity"]
        tmp = np.subtract(grad, m, out=scratch)  # m += (1 - beta_1) (g - m)
        tmp *= 1 - self.beta_1
        m += tmp
        np.square(grad, out=tmp)                 # v = v + (1 - beta_2) * (g**2 - v)
        tmp -= v
        tmp *= 1 - self.beta_2
        v += tmp
        if self.amsgrad:
            v_hat = slots["velocity_hat"]
            np.maximum(v_hat, v, out=v_hat)      # v_hat = max(v_hat, v)
            v = v_hat
        np.sqrt(v, out=tmp)                      # w = w - alpha * m / (sqrt(v) + epsilon)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= alpha
        variable -= tmp

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
