"""AdamW: Adam with decoupled weight decay."""

from __future__ import annotations

from ...i18n import _
from ..serialization import register
from .adam import Adam


@register("optimizer")
class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as
    ``keras.optimizers.AdamW``.

    Before the Adam step, each weight shrinks towards 0 in proportion to the learning rate,
    independently of the gradients::

        w = w - w * weight_decay * lr
        (then the Adam update of ``Adam``)

    Args:
        learning_rate: a float or a ``LearningRateSchedule``. Defaults to 0.001.
        weight_decay: the decay rate; required (cannot be ``None``). Defaults to 0.004.
        beta_1: decay of the first-moment estimate, in [0, 1]. Defaults to 0.9.
        beta_2: decay of the second-moment estimate, in [0, 1]. Defaults to 0.999.
        epsilon: a small constant for numerical stability. Defaults to 1e-7.
        amsgrad: use the AMSGrad variant. Defaults to ``False``.
        clipnorm, clipvalue, global_clipnorm, name: as in ``Optimizer`` (all default to
            ``None``).
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, **kwargs):
        if weight_decay is None:
            raise ValueError(_("weight_decay: AdamW needs a number (default 0.004), got None"))
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name, **kwargs)
