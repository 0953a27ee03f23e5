"""Variance scaling: random draws whose variance follows the weight's fans (fan-in and
fan-out), ``VarianceScaling`` and its presets ``GlorotUniform`` (Keras' default for kernels),
``GlorotNormal``, ``HeUniform``, ``HeNormal``, ``LecunUniform`` and ``LecunNormal``."""

from __future__ import annotations

import math

import numpy as np

from ...i18n import _
from ..serialization import register
from .base import _number
from .random_initializers import RandomInitializer, truncated_normal

# The standard deviation of a standard normal truncated to [-2, 2]. Dividing by it gives the
# truncated draws of the variance-scaling initializers the variance the formula asks for.
TRUNCATED_STDDEV = 0.87962566103423978


def compute_fans(shape, input_axes=None, output_axes=None) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight ``shape``, as Keras computes them.

    Args:
        shape: the weight's shape.
        input_axes: axes whose sizes multiply into fan_in. Defaults to ``None`` (by rank:
            a vector has fan_in = fan_out = its size; a matrix (in, out); a kernel
            (..., in, out) multiplies both by the receptive field).
        output_axes: axes whose sizes multiply into fan_out. Defaults to ``None``.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (int(np.prod([shape[a] for a in input_axes])),
                int(np.prod([shape[a] for a in output_axes])))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2]))  # 1 for a matrix
    return shape[-2] * receptive, shape[-1] * receptive


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


@register("initializer")
class VarianceScaling(RandomInitializer):
    """Draws with variance ``scale / n``, ``n`` the fan chosen by ``mode``.

    - ``distribution="truncated_normal"``: a normal truncated at two standard deviations,
      with ``stddev = sqrt(scale / n) / 0.8796...`` so the kept values have variance
      ``scale / n``;
    - ``"untruncated_normal"``: a normal with ``stddev = sqrt(scale / n)``;
    - ``"uniform"``: uniform in ``[-limit, limit]``, ``limit = sqrt(3 * scale / n)``.

    Args:
        scale: positive factor. Defaults to ``1.0``.
        mode: ``"fan_in"`` (default), ``"fan_out"`` or ``"fan_avg"`` (their mean).
        distribution: ``"truncated_normal"`` (default; ``"normal"`` means the same),
            ``"untruncated_normal"`` or ``"uniform"``.
        seed: defaults to ``None`` (see ``RandomInitializer``).
        input_axes, output_axes: axes for the fans (see ``compute_fans``); default ``None``.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        super().__init__(seed)
        self.scale = _number(scale, "scale", positive=True)
        if mode not in _MODES:
            raise ValueError(_("mode: expected one of {options}, got {value!r}").format(
                options=", ".join(_MODES), value=mode))
        if isinstance(distribution, str) and distribution.lower() == "normal":
            distribution = "truncated_normal"
        if not isinstance(distribution, str) or distribution.lower() not in _DISTRIBUTIONS:
            raise ValueError(_("distribution: expected one of {options}, got {value!r}").format(
                options=", ".join(_DISTRIBUTIONS), value=distribution))
        self.mode = mode
        self.distribution = distribution.lower()
        self.input_axes = None if input_axes is None else [int(a) for a in input_axes]
        self.output_axes = None if output_axes is None else [int(a) for a in output_axes]

    def variance(self, shape) -> float:
        """``scale / n`` for weights of ``shape``: the variance of the values drawn."""
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        return self.scale / max(1.0, n)

    def generate(self, shape):
        variance = self.variance(shape)
        if self.distribution == "truncated_normal":
            return truncated_normal(self.rng(), shape, 0.0, math.sqrt(variance) / TRUNCATED_STDDEV)
        if self.distribution == "untruncated_normal":
            return self.rng().normal(0.0, math.sqrt(variance), size=shape)
        limit = math.sqrt(3 * variance)  # a uniform on [-a, a] has variance a^2 / 3
        return self.rng().uniform(-limit, limit, size=shape)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _Preset(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution (Glorot, He, LeCun)."""

    preset: tuple[float, str, str]

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        scale, mode, distribution = self.preset
        super().__init__(scale, mode, distribution, seed, input_axes, output_axes)

    def get_config(self):
        return {"seed": self.seed, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


@register("initializer")
class GlorotUniform(_Preset):
    """Glorot (Xavier) uniform: uniform in [-limit, limit], ``limit = sqrt(6 / (fan_in +
    fan_out))``. Keras' default for kernels.

    Args:
        seed: defaults to ``None`` (see ``RandomInitializer``).
        input_axes, output_axes: axes for the fans; default ``None``.
    """

    preset = (1.0, "fan_avg", "uniform")


@register("initializer")
class GlorotNormal(_Preset):
    """Glorot (Xavier) normal: truncated normal with variance ``2 / (fan_in + fan_out)``.

    Args:
        seed: defaults to ``None`` (see ``RandomInitializer``).
        input_axes, output_axes: axes for the fans; default ``None``.
    """

    preset = (1.0, "fan_avg", "truncated_normal")


@register("initializer")
class HeUniform(_Preset):
    """He uniform: uniform in [-limit, limit], ``limit = sqrt(6 / fan_in)``; suits ReLU.

    Args:
        seed: defaults to ``None`` (see ``RandomInitializer``).
        input_axes, output_axes: axes for the fans; default ``None``.
    """

    preset = (2.0, "fan_in", "uniform")


@register("initializer")
class HeNormal(_Preset):
    """He normal: truncated normal with variance ``2 / fan_in``; suits ReLU.

    Args:
        seed: defaults to ``None`` (see ``RandomInitializer``).
        input_axes, output_axes: axes for the fans; default ``None``.
    """

    preset = (2.0, "fan_in", "truncated_normal")


@register("initializer")
class LecunUniform(_Preset):
    """LeCun uniform: uniform in [-limit, limit], ``limit = sqrt(3 / fan_in)``.

    Args:
        seed: defaults to ``None`` (see ``RandomInitializer``).
        input_axes, output_axes: axes for the fans; default ``None``.
    """

    preset = (1.0, "fan_in", "uniform")


@register("initializer")
class LecunNormal(_Preset):
    """LeCun normal: truncated normal with variance ``1 / fan_in``; suits SELU.

    Args:
        seed: defaults to ``None`` (see ``RandomInitializer``).
        input_axes, output_axes: axes for the fans; default ``None``.
    """

    preset = (1.0, "fan_in", "truncated_normal")
