"""Random initializers with a fixed spread: ``RandomNormal``, ``TruncatedNormal``,
``RandomUniform``, and ``Orthogonal``; ``RandomInitializer`` is the base of every initializer
that draws (those of ``scaling_initializers`` too)."""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend
from ..serialization import register
from .base import Initializer, _number


class RandomInitializer(Initializer):
    """Base of the random initializers.

    Args:
        seed: an integer gives the same values at every call; ``None`` (default) draws from
            the engine's generator (reproducible through ``backend.set_random_seed``).
    """

    def __init__(self, seed=None):
        self.seed = backend.check_seed(seed)

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


class _NormalDraws(RandomInitializer):
    """The arguments of the initializers drawing around ``mean`` with ``stddev``."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = _number(mean, "mean")
        self.stddev = _number(stddev, "stddev", non_negative=True)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


@register("initializer", "normal")
class RandomNormal(_NormalDraws):
    """Normal draws with the given mean and standard deviation.

    Args:
        mean: defaults to ``0.0``.
        stddev: defaults to ``0.05``.
        seed: defaults to ``None`` (see ``RandomInitializer``).
    """

    def generate(self, shape):
        return self.rng().normal(self.mean, self.stddev, size=shape)


@register("initializer")
class TruncatedNormal(_NormalDraws):
    """Normal draws, redrawn when further than two standard deviations from the mean.

    (The values then have a standard deviation of about ``0.88 * stddev``.)

    Args:
        mean: defaults to ``0.0``.
        stddev: defaults to ``0.05``.
        seed: defaults to ``None`` (see ``RandomInitializer``).
    """

    def generate(self, shape):
        return truncated_normal(self.rng(), shape, self.mean, self.stddev)


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
