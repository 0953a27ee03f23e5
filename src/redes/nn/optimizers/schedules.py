"""Learning-rate schedules: the learning rate as a function of the step count.

They follow ``keras.optimizers.schedules``: the same classes, arguments, defaults and
formulas. Give one as an optimizer's ``learning_rate``; before every step the optimizer
calls it with ``step = optimizer.iterations`` (0 for the first step)::

    lr = schedules.ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.96)
    optimizer = redes.nn.optimizers.SGD(learning_rate=lr)
"""

from __future__ import annotations

import bisect
import math
import numbers

from ..._base.checks import check_bool
from ...i18n import _
from ..serialization import deserialize as _deserialize
from ..serialization import register
from ..serialization import serialize as _serialize


class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step) -> float`` and ``get_config``."""

    def __call__(self, step) -> float:
        raise NotImplementedError(_(
            "{schedule}: a learning-rate schedule must implement __call__(step)"
        ).format(schedule=type(self).__name__))

    def get_config(self) -> dict:
        raise NotImplementedError(_(
            "{schedule}: a learning-rate schedule must implement get_config() "
            "to be saved"
        ).format(schedule=type(self).__name__))

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        try:
            config = self.get_config()
        except NotImplementedError:
            config = {}
        args = ", ".join(f"{k}={v!r}" for k, v in config.items() if k != "name")
        return f"{type(self).__name__}({args})"


# -------------------------------------------------------------------- checks
def _is_number(value) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


def _rate(argument, value) -> float:
    if not _is_number(value) or value < 0:
        raise ValueError(_("{argument}: expected a non-negative number, got {value!r}").format(
            argument=argument, value=value))
    return float(value)


def _steps(argument, value):
    if not _is_number(value) or value <= 0:
        raise ValueError(_("{argument}: expected a positive number of steps, got {value!r}")
                         .format(argument=argument, value=value))
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _name(value):
    if not isinstance(value, str) or not value:
        raise ValueError(_("name: expected a non-empty string, got {value!r}").format(
            value=value))
    return value


# ----------------------------------------------------------------- schedules
class _StepDecay(LearningRateSchedule):
    """The arguments and config of the decays driven by ``p = step / decay_steps``, rounded
    down with ``staircase=True`` so that the rate changes at whole multiples only."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        self.initial_learning_rate = _rate("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _steps("decay_steps", decay_steps)
        self.decay_rate = _rate("decay_rate", decay_rate)
        self.staircase = check_bool("staircase", staircase)
        self.name = _name(name)

    def progress(self, step) -> float:
        p = step / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@register("schedule")
class ExponentialDecay(_StepDecay):
    """Exponential decay::

        lr(step) = initial_learning_rate * decay_rate ** (step / decay_steps)

    With ``staircase=True``, ``step / decay_steps`` is rounded down, so the rate drops in
    stairs every ``decay_steps`` steps.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: positive number of steps over which the rate is multiplied by
            ``decay_rate``.
        decay_rate: the factor applied every ``decay_steps`` steps.
        staircase: decay at whole multiples of ``decay_steps`` only. Defaults to ``False``.
        name: defaults to ``"ExponentialDecay"``.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        return self.initial_learning_rate * self.decay_rate ** self.progress(step)


@register("schedule")
class InverseTimeDecay(_StepDecay):
    """Inverse-time decay::

        lr(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)

    With ``staircase=True``, ``step / decay_steps`` is rounded down.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: positive number of steps; how often the decay is applied.
        decay_rate: how fast the rate decays.
        staircase: decay at whole multiples of ``decay_steps`` only. Defaults to ``False``.
        name: defaults to ``"InverseTimeDecay"``.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        return self.initial_learning_rate / (1.0 + self.decay_rate * self.progress(step))


@register("schedule")
class PiecewiseConstantDecay(LearningRateSchedule):
    """A constant rate per interval of steps::

        lr(step) = values[0]    if step <= boundaries[0]
                   values[i]    if boundaries[i-1] < step <= boundaries[i]
                   values[-1]   if step > boundaries[-1]

    Args:
        boundaries: strictly increasing step counts.
        values: the rates, one more than ``boundaries``.
        name: defaults to ``"PiecewiseConstant"``.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if not all(_is_number(b) for b in boundaries) or any(
            b >= c for b, c in zip(boundaries, boundaries[1:])
        ):
            raise ValueError(_(
                "boundaries: expected strictly increasing step counts, got {value!r}"
            ).format(value=boundaries))
        for v in values:
            _rate("values", v)
        if len(values) != len(boundaries) + 1:
            raise ValueError(_(
                "values: expected one more value than boundaries ({expected}), "
                "got {count}"
            ).format(expected=len(boundaries) + 1, count=len(values)))
        self.boundaries = boundaries
        self.values = values
        self.name = _name(name)

    def __call__(self, step):
        # the number of boundaries strictly below step is the index of its interval
        return float(self.values[bisect.bisect_left(self.boundaries, step)])

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@register("schedule")
class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from ``initial_learning_rate`` to ``end_learning_rate``::

        step = min(step, decay_steps)
        lr(step) = (initial_learning_rate - end_learning_rate)
                   * (1 - step / decay_steps) ** power + end_learning_rate

    With ``cycle=True`` the decay restarts: ``decay_steps`` is replaced by its first
    multiple not below ``step`` (``decay_steps * ceil(step / decay_steps)``, and
    ``decay_steps`` itself at step 0).

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: positive number of steps to reach ``end_learning_rate``.
        end_learning_rate: the final learning rate. Defaults to 0.0001.
        power: the power of the polynomial. Defaults to 1.0 (linear decay).
        cycle: restart the decay after ``decay_steps``. Defaults to ``False``.
        name: defaults to ``"PolynomialDecay"``.
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = _rate("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _steps("decay_steps", decay_steps)
        self.end_learning_rate = _rate("end_learning_rate", end_learning_rate)
        self.power = _rate("power", power)
        self.cycle = check_bool("cycle", cycle)
        self.name = _name(name)

    def __call__(self, step):
        decay_steps = self.decay_steps
        if self.cycle:
            decay_steps *= 1 if step == 0 else math.ceil(step / decay_steps)
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        span = self.initial_learning_rate - self.end_learning_rate
        return span * (1.0 - p) ** self.power + self.end_learning_rate

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


@register("schedule")
class CosineDecay(LearningRateSchedule):
    """Cosine decay, with an optional linear warmup before it (SGDR, Loshchilov & Hutter).

    Without warmup (``warmup_target=None``)::

        step = min(step, decay_steps)
        lr(step) = initial_learning_rate * ((1 - alpha) * c + alpha),
        c = 0.5 * (1 + cos(pi * step / decay_steps))

    With warmup, the rate first climbs in a straight line from ``initial_learning_rate`` to
    ``warmup_target`` over ``warmup_steps`` steps, then decays as above from
    ``warmup_target`` to ``warmup_target * alpha`` over the next ``decay_steps`` steps.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: positive number of steps to decay over.
        alpha: the final rate as a fraction of the rate the decay starts from.
            Defaults to 0.0.
        name: defaults to ``"CosineDecay"``.
        warmup_target: the rate reached at the end of the warmup; ``None`` means no
            warmup. Defaults to ``None``.
        warmup_steps: the number of warmup steps. Defaults to 0.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = _rate("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _steps("decay_steps", decay_steps)
        self.alpha = _rate("alpha", alpha)
        self.name = _name(name)
        self.warmup_target = (None if warmup_target is None
                              else _rate("warmup_target", warmup_target))
        if warmup_steps != 0:
            warmup_steps = _steps("warmup_steps", warmup_steps)
        self.warmup_steps = warmup_steps

    def _decay(self, step, start_lr):
        cosine = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return start_lr * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        if self.warmup_target is None:
            return self._decay(min(step, self.decay_steps), self.initial_learning_rate)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            # straight line from initial_learning_rate (step 0) to warmup_target
            rise = self.warmup_target - self.initial_learning_rate
            return rise * (step / self.warmup_steps) + self.initial_learning_rate
        return self._decay(step - self.warmup_steps, self.warmup_target)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


@register("schedule")
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR, Loshchilov & Hutter).

    The rate decays as in ``CosineDecay`` from ``initial_learning_rate`` over
    ``first_decay_steps`` steps; then it restarts. Restart ``i`` lasts ``t_mul ** i`` times
    as many steps and starts from ``m_mul ** i`` times the initial rate::

        f = step / first_decay_steps
        i = floor(f)                                   if t_mul == 1
            floor(log(1 - f * (1 - t_mul)) / log(t_mul)) otherwise
        f = f - i                                      if t_mul == 1
            (f - (1 - t_mul ** i) / (1 - t_mul)) / t_mul ** i  otherwise
        lr = initial_learning_rate * ((1 - alpha) * 0.5 * m_mul ** i * (1 + cos(pi * f))
                                      + alpha)

    Args:
        initial_learning_rate: the learning rate at step 0.
        first_decay_steps: positive number of steps of the first decay.
        t_mul: how many times longer each period is than the one before. Defaults to 2.0.
        m_mul: how many times the starting rate of each period is that of the one before.
            Defaults to 1.0.
        alpha: the lowest rate, as a fraction of ``initial_learning_rate``. Defaults to 0.0.
        name: defaults to ``"SGDRDecay"``.
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        self.initial_learning_rate = _rate("initial_learning_rate", initial_learning_rate)
        self.first_decay_steps = _steps("first_decay_steps", first_decay_steps)
        self.t_mul = _rate("t_mul", t_mul)
        if self.t_mul <= 0:
            raise ValueError(_("t_mul: expected a positive number, got {value!r}").format(
                value=t_mul))
        self.m_mul = _rate("m_mul", m_mul)
        self.alpha = _rate("alpha", alpha)
        self.name = _name(name)

    def __call__(self, step):
        f = step / self.first_decay_steps
        t = self.t_mul
        if t == 1.0:
            i = math.floor(f)
            f -= i
        else:
            i = math.floor(math.log(1.0 - f * (1.0 - t)) / math.log(t))
            f = (f - (1.0 - t**i) / (1.0 - t)) / t**i
        cosine = 0.5 * self.m_mul**i * (1.0 + math.cos(math.pi * f))
        return self.initial_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self.t_mul,
            "m_mul": self.m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


# ---------------------------------------------------------------- the optimizers' side
def check_learning_rate(value):
    """A learning rate as optimizers keep it: a schedule, or a non-negative float."""
    if isinstance(value, LearningRateSchedule):
        return value
    if not _is_number(value) or value < 0:
        raise ValueError(_(
            "learning_rate: expected a non-negative number or a LearningRateSchedule "
            "(such as schedules.ExponentialDecay(0.01, 1000, 0.9)), got {value!r}"
        ).format(value=value))
    return float(value)


def serialize(value):
    """A learning rate for a JSON config: floats stay floats, schedules become dicts."""
    if isinstance(value, LearningRateSchedule):
        return _serialize(value)
    return float(value)


def deserialize(config):
    """The inverse of ``serialize``: a number, a schedule, or a schedule's config dict."""
    if isinstance(config, LearningRateSchedule) or _is_number(config):
        return config
    return _deserialize("schedule", config, "learning_rate")
