"""Two-dimensional toy problems, the kind one draws and plays with in the TensorFlow
Playground: a network has to bend its decision boundary to separate the classes.

Every function takes ``n_samples``, ``noise`` and ``seed``, and returns ``X`` as ``float32``
of shape ``(n_samples, 2)`` and ``y`` as ``int64`` class labels, with the samples shuffled.
The same seed always gives the same data. ``noise`` is the standard deviation of Gaussian
noise added to the points (for ``spiral``, to the angles; for ``two_gaussians``, the spread
of each cloud), so noisy points may cross into the other class.
"""

from __future__ import annotations

import numpy as np

from .. import memory
from .._base.checks import check_int, check_nonnegative, check_seed
from ..i18n import _

# the bytes one point costs while a set is made: its two coordinates in float64 and float32,
# its label, and the shuffled copies
_BYTES_PER_POINT = 64


def _check(n_samples, noise, seed, minimum: int = 2):
    n_samples = check_int("n_samples", n_samples, minimum)
    if not memory.fits(n_samples * _BYTES_PER_POINT):
        raise ValueError(_("n_samples: {count} points need about {needed} of memory; this "
                           "computer has {total}").format(
                               count=n_samples, needed=memory.readable(
                                   n_samples * _BYTES_PER_POINT),
                               total=memory.readable(memory.physical())))
    return n_samples, check_nonnegative("noise", noise), check_seed("seed", seed)


def _finish(x, y, rng):
    order = rng.permutation(len(y))
    return x[order].astype(np.float32), y[order].astype(np.int64)


def _sklearn_datasets():
    try:
        from sklearn import datasets
    except ImportError as exc:  # pragma: no cover - scikit-learn is a dependency
        raise ImportError(
            _("this toy set uses scikit-learn: pip install scikit-learn")) from exc
    return datasets


def gaussian_quantiles(n_samples=1000, noise=0.0, seed=0, cov=0.1):
    """Two classes in rings of one Gaussian cloud: an inner disc (0) and an outer ring (1).

    The course's "circles" problem: ``sklearn.datasets.make_gaussian_quantiles(mean=None,
    cov=0.1, n_samples=1000, n_features=2, n_classes=2, shuffle=True)``; the points closer
    to the centre than the median distance are class 0. Same numbers as scikit-learn with
    ``random_state=seed`` when ``noise=0``.

    Args:
        n_samples: number of points. Defaults to ``1000``.
        noise: standard deviation of Gaussian noise added afterwards. Defaults to ``0.0``.
        seed: seed, or None for fresh randomness. Defaults to ``0``.
        cov: variance of the cloud along each axis. Defaults to ``0.1``.

    Returns:
        ``(X, y)``.
    """
    n_samples, noise, seed = _check(n_samples, noise, seed)
    cov = check_nonnegative("cov", cov)
    x, y = _sklearn_datasets().make_gaussian_quantiles(
        mean=None, cov=cov, n_samples=n_samples, n_features=2, n_classes=2,
        shuffle=True, random_state=seed,
    )  # fmt: skip
    if noise:
        x = x + np.random.default_rng(seed).normal(0.0, noise, x.shape)
    return x.astype(np.float32), y.astype(np.int64)


def circles(n_samples=500, noise=0.1, seed=0, factor=0.5):
    """Two concentric circles: the outer one (class 0, radius 1) and the inner one (class 1).

    Same numbers as ``sklearn.datasets.make_circles(n_samples, noise=noise,
    random_state=seed, factor=factor)``.

    Args:
        n_samples: number of points (half on each circle). Defaults to ``500``.
        noise: standard deviation of the noise. Defaults to ``0.1``.
        seed: seed, or None for fresh randomness. Defaults to ``0``.
        factor: radius of the inner circle, in (0, 1). Defaults to ``0.5``.

    Returns:
        ``(X, y)``.
    """
    n_samples, noise, seed = _check(n_samples, noise, seed)
    if not isinstance(factor, (int, float)) or not 0 < factor < 1:
        raise ValueError(_("{name}: expected a number in {interval}, got {value!r}").format(
            name="factor", interval="(0, 1)", value=factor))
    x, y = _sklearn_datasets().make_circles(
        n_samples=n_samples, noise=noise or None, random_state=seed, factor=factor
    )
    return x.astype(np.float32), y.astype(np.int64)


def moons(n_samples=500, noise=0.1, seed=0):
    """Two interleaving half circles (class 0 on top, class 1 below).

    Same numbers as ``sklearn.datasets.make_moons(n_samples, noise=noise,
    random_state=seed)``.

    Args:
        n_samples: number of points (half in each moon). Defaults to ``500``.
        noise: standard deviation of the noise. Defaults to ``0.1``.
        seed: seed, or None for fresh randomness. Defaults to ``0``.

    Returns:
        ``(X, y)``.
    """
    n_samples, noise, seed = _check(n_samples, noise, seed)
    x, y = _sklearn_datasets().make_moons(
        n_samples=n_samples, noise=noise or None, random_state=seed
    )
    return x.astype(np.float32), y.astype(np.int64)


def xor(n_samples=500, noise=0.1, seed=0):
    """The XOR problem: points in the square [-1, 1]^2, class 1 where x1 and x2 have
    different signs (second and fourth quadrants), class 0 elsewhere.

    No straight line separates the classes: a network needs a hidden layer.

    Args:
        n_samples: number of points. Defaults to ``500``.
        noise: standard deviation of the noise added after labelling. Defaults to ``0.1``.
        seed: seed, or None for fresh randomness. Defaults to ``0``.

    Returns:
        ``(X, y)``.
    """
    n_samples, noise, seed = _check(n_samples, noise, seed)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (x[:, 0] > 0) != (x[:, 1] > 0)
    x = x + rng.normal(0.0, noise, x.shape)
    return _finish(x, y, rng)


def two_gaussians(n_samples=500, noise=0.5, seed=0):
    """Two Gaussian clouds, centred at (-1, -1) (class 0) and (1, 1) (class 1).

    Separable by a straight line when ``noise`` is small: the problem of a single neuron.

    Args:
        n_samples: number of points (half in each cloud). Defaults to ``500``.
        noise: standard deviation of each cloud. Defaults to ``0.5``.
        seed: seed, or None for fresh randomness. Defaults to ``0``.

    Returns:
        ``(X, y)``.
    """
    n_samples, noise, seed = _check(n_samples, noise, seed)
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) >= n_samples // 2
    centres = np.where(y[:, None], 1.0, -1.0)
    x = centres + rng.normal(0.0, noise, (n_samples, 2))
    return _finish(x, y, rng)


def spiral(n_samples=300, noise=0.2, seed=0, n_classes=3):
    """Interleaved spiral arms, one per class (the CS231n spiral).

    Arm ``k`` goes from the centre (radius 0) to radius 1 while its angle turns by 4
    radians, starting at ``2 pi k / n_classes``; ``noise`` jitters the angles.

    Args:
        n_samples: total number of points, shared among the arms. Defaults to ``300``.
        noise: standard deviation of the angle noise, in radians. Defaults to ``0.2``.
        seed: seed, or None for fresh randomness. Defaults to ``0``.
        n_classes: number of arms. Defaults to ``3``.

    Returns:
        ``(X, y)`` with labels ``0 .. n_classes - 1``.
    """
    n_classes = check_int("n_classes", n_classes, 2)
    n_samples, noise, seed = _check(n_samples, noise, seed, minimum=n_classes)
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % n_classes
    # position of each point along its arm, from 0 (centre) to 1 (tip)
    counts = np.bincount(y, minlength=n_classes)
    rank = np.zeros(n_samples)
    for k in range(n_classes):
        rank[y == k] = np.linspace(0.0, 1.0, counts[k])
    angle = 2 * np.pi * y / n_classes + 4.0 * rank + rng.normal(0.0, noise, n_samples)
    x = np.stack([rank * np.sin(angle), rank * np.cos(angle)], axis=1)
    return _finish(x, y, rng)
