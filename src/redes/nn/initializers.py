"""Weight initializers, with Keras 3's names, arguments, defaults and formulas.

An initializer is called with a shape and a dtype and returns a new array::

    init = GlorotUniform()
    kernel = init((784, 128), dtype="float32")

Fan-in and fan-out follow Keras: for a Dense kernel (in, out) they are in and out; for a
convolution kernel (kh, kw, in, out) they are kh*kw*in and kh*kw*out.

Randomness: an initializer with ``seed=None`` (the default) draws from the engine's generator
(``backend.rng()``), so ``redes.nn.backend.set_random_seed(s)`` makes every weight
reproducible. An initializer with an integer ``seed`` returns the same values at every call,
as in Keras.

Names are resolved as in Keras: ``"glorot_uniform"``, ``"GlorotUniform"``, ``"he_normal"``,
and the aliases ``"normal"``, ``"uniform"``, ``"zero"``, ``"one"``.
"""

from __future__ import annotations

import math

import numpy as np

from ..i18n import _
from . import backend
from .serialization import deserialize as _deserialize
from .serialization import names, register

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


def _shape(shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        shape = None
    if shape is None or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0 for d in shape
    ):
        raise ValueError(_("shape: expected a tuple of non-negative integers, got {value!r}")
                         .format(value=shape))
    return tuple(int(d) for d in shape)


def _number(value, argument: str, positive=False, non_negative=False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(_("{argument}: expected a number, got {value!r}").format(
            argument=argument, value=value))
    if not math.isfinite(value) or (positive and value <= 0) or (non_negative and value < 0):
        if positive:
            message = _("{argument}: expected a positive number, got {value!r}")
        elif non_negative:
            message = _("{argument}: expected a non-negative number, got {value!r}")
        else:
            message = _("{argument}: expected a finite number, got {value!r}")
        raise ValueError(message.format(argument=argument, value=value))
    return float(value)


def _seed(seed):
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise ValueError(_("seed: expected None or a non-negative integer, got {value!r}")
                         .format(value=seed))
    return None if seed is None else int(seed)


class Initializer:
    """Base class: ``initializer(shape, dtype=None)`` returns a new array of ``shape``."""

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        dtype = backend.standardize_dtype(dtype)
        return np.asarray(self.generate(shape), dtype=dtype)

    def generate(self, shape: tuple[int, ...]) -> np.ndarray:
        """The values, in float64; ``__call__`` validates the shape and casts."""
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


# --------------------------------------------------------------------------- constants
@register("initializer")
class Constant(Initializer):
    """Every value equal to ``value``.

    Args:
        value: the constant. Defaults to ``0.0``.
    """

    def __init__(self, value=0.0):
        self.value = _number(value, "value")

    def generate(self, shape):
        return np.full(shape, self.value)

    def get_config(self):
        return {"value": self.value}


@register("initializer", "zero")
class Zeros(Initializer):
    """All zeros (Keras' default for biases)."""

    def generate(self, shape):
        return np.zeros(shape)


@register("initializer", "one")
class Ones(Initializer):
    """All ones."""

    def generate(self, shape):
        return np.ones(shape)


@register("initializer", "IdentityInitializer")
class Identity(Initializer):
    """``gain`` times the identity matrix (2D shapes only; rectangular ones allowed).

    Args:
        gain: multiplies the identity. Defaults to ``1.0``.
    """

    def __init__(self, gain=1.0):
        self.gain = _number(gain, "gain")

    def generate(self, shape):
        if len(shape) != 2:
            raise ValueError(_("shape: Identity needs a 2D shape, got {shape}").format(
                shape=shape))
        return self.gain * np.eye(*shape)

    def get_config(self):
        return {"gain": self.gain}


# ------------------------------------------------------------------------ random draws
class RandomInitializer(Initializer):
    """Base of the random initializers.

    Args:
        seed: an integer gives the same values at every call; ``None`` (default) draws from
            the engine's generator (reproducible through ``backend.set_random_seed``).
    """

    def __init__(self, seed=None):
        self.seed = _seed(seed)

    def rng(self) -> np.random.Generator:
        return backend.rng(self.seed)

    def get_config(self):
        return {"seed": self.seed}


def truncated_normal(rng, shape, mean=0.0, stddev=1.0) -> np.ndarray:
    """Normal draws kept within two standard deviations of the mean (redrawn otherwise)."""
    z = rng.standard_normal(shape)
    outside = np.abs(z) > 2
    while outside.any():  # each round redraws only the values outside [-2, 2]
        z[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(z) > 2
    return mean + stddev * z


@register("initializer", "normal")
class RandomNormal(RandomInitializer):
    """Normal draws with the given mean and standard deviation.

    Args:
        mean: defaults to ``0.0``.
        stddev: defaults to ``0.05``.
        seed: defaults to ``None`` (see ``RandomInitializer``).
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = _number(mean, "mean")
        self.stddev = _number(stddev, "stddev", non_negative=True)

    def generate(self, shape):
        return self.rng().normal(self.mean, self.stddev, size=shape)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


@register("initializer")
class TruncatedNormal(RandomInitializer):
    """Normal draws, redrawn when further than two standard deviations from the mean.

    (The values then have a standard deviation of about ``0.88 * stddev``.)

    Args:
        mean: defaults to ``0.0``.
        stddev: defaults to ``0.05``.
        seed: defaults to ``None`` (see ``RandomInitializer``).
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = _number(mean, "mean")
        self.stddev = _number(stddev, "stddev", non_negative=True)

    def generate(self, shape):
        return truncated_normal(self.rng(), shape, self.mean, self.stddev)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


@register("initializer", "uniform")
class RandomUniform(RandomInitializer):
    """Uniform draws in ``[minval, maxval)``.

    Args:
        minval: defaults to ``-0.05``.
        maxval: defaults to ``0.05``.
        seed: defaults to ``None`` (see ``RandomInitializer``).
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval = _number(minval, "minval")
        self.maxval = _number(maxval, "maxval")
        if self.minval > self.maxval:
            raise ValueError(_("minval, maxval: expected minval <= maxval, got {minval} > "
                               "{maxval}").format(minval=minval, maxval=maxval))

    def generate(self, shape):
        return self.rng().uniform(self.minval, self.maxval, size=shape)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


# -------------------------------------------------------------------- variance scaling
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


@register("initializer", "OrthogonalInitializer")
class Orthogonal(RandomInitializer):
    """A random orthogonal matrix (times ``gain``), from the QR decomposition of normal draws.

    A shape (d1, ..., dn) is treated as the matrix (d1*...*d(n-1), dn): its columns are
    orthonormal when it has at least as many rows as columns, its rows otherwise.

    Args:
        gain: multiplies the matrix. Defaults to ``1.0``.
        seed: defaults to ``None`` (see ``RandomInitializer``).
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = _number(gain, "gain")

    def generate(self, shape):
        if len(shape) < 2:
            raise ValueError(_("shape: Orthogonal needs at least 2 dimensions, got {shape}")
                             .format(shape=shape))
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        a = self.rng().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))  # fixes the signs so that q is uniformly distributed
        if rows < cols:
            q = q.T
        return self.gain * q.reshape(shape)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


# ------------------------------------------------------------------------- look-ups
def get(identifier):
    """An initializer from a name, a config, a class, an array or a function.

    Args:
        identifier: a name (``"glorot_uniform"``, ``"GlorotUniform"``...), a config
            ``{"class_name": ..., "config": {...}}``, an ``Initializer`` (returned as is) or
            its class (instantiated with its defaults), an array (returned, cast, for the
            matching shape), a function ``f(shape, dtype=None)``, or ``None`` (returns
            ``None``).
    """
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if isinstance(identifier, (str, dict)):
        obj = _deserialize("initializer", identifier, "initializer")
        return obj() if isinstance(obj, type) else obj
    if isinstance(identifier, (np.ndarray, np.generic)):
        return _FromArray(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(_(
        "initializer: expected one of {names}, a config, an array "
        "or a function f(shape, dtype=None), got {value!r}"
    ).format(names=", ".join(names("initializer")), value=identifier))


class _FromArray:
    """An initializer that returns a given array (for the shape it has)."""

    def __init__(self, value):
        self.value = np.asarray(value)

    def __call__(self, shape, dtype=None):
        if tuple(shape) != self.value.shape:
            raise ValueError(_(
                "shape: the initializer array has shape {expected}, got {shape}"
            ).format(expected=self.value.shape, shape=tuple(shape)))
        return self.value.astype(backend.standardize_dtype(dtype))


def serialize(initializer) -> dict:
    """``{"class_name": ..., "config": {...}}``, JSON-ready."""
    if not isinstance(initializer, Initializer):
        raise ValueError(_("initializer: expected an Initializer object, got {value!r}")
                         .format(value=initializer))
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config):
    """The initializer a name or config describes (the inverse of ``serialize``)."""
    return get(config)
