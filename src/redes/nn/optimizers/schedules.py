"""Learning-rate schedules: functions of the step count, as in ``keras.optimizers.schedules``."""

from __future__ import annotations

import math

from ..serialization import deserialize as _deserialize
from ..serialization import register
from ..serialization import serialize as _serialize


class LearningRateSchedule:
    def __call__(self, step: int) -> float:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@register("schedule")
class ExponentialDecay(LearningRateSchedule):
    """lr = initial_learning_rate * decay_rate ** (step / decay_steps).

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: steps over which the rate is multiplied by ``decay_rate``.
        decay_rate: the factor per ``decay_steps``.
        staircase: decay in whole steps of ``decay_steps`` when True. Default False.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        if not decay_steps > 0:
            raise ValueError(f"decay_steps: expected a positive number, got {decay_steps!r}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = decay_steps
        self.decay_rate = float(decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def __call__(self, step):
        p = step / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate * self.decay_rate**p

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


def check_learning_rate(value):
    if isinstance(value, LearningRateSchedule):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
        math.isfinite(value) and value >= 0
    ):
        raise ValueError(
            f"learning_rate: expected a non-negative number or a LearningRateSchedule, "
            f"got {value!r}"
        )
    return float(value)


def serialize(value):
    return value if isinstance(value, float) else _serialize(value)


def deserialize(config):
    return config if isinstance(config, (int, float)) else _deserialize("schedule", config)
