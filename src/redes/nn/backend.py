"""Global settings of the NumPy engine: float type, epsilon, the random seed and the
counters behind default names.

Keras keeps the same settings in ``keras.config``, ``keras.utils`` and ``keras.backend``;
the names here match them so that code written for Keras reads the same.
"""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np

from ..i18n import _

_FLOATX = "float32"
_EPSILON = 1e-7
_rng = np.random.default_rng()
_name_counts: defaultdict[str, int] = defaultdict(int)


def floatx() -> str:
    """The default float type of weights and data: ``"float32"`` unless changed."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float type (``"float32"`` or ``"float64"``)."""
    global _FLOATX
    if value not in ("float32", "float64"):
        raise ValueError(_("floatx: expected 'float32' or 'float64', got {value!r}").format(
            value=value))
    _FLOATX = value


def epsilon() -> float:
    """The small constant that keeps logs and divisions finite (1e-7, as in Keras)."""
    return _EPSILON


def set_random_seed(seed: int) -> None:
    """Seed every source of randomness of the engine (weights, dropout, shuffling).

    Like ``keras.utils.set_random_seed``, it also seeds Python's ``random`` and NumPy's global
    generator, so the same seed gives bit-identical weights and training histories.
    """
    global _rng
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(_("seed: expected a non-negative integer, got {value!r}").format(
            value=seed))
    random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)  # noqa: NPY002 (seeds code that uses the legacy API)
    _rng = np.random.default_rng(int(seed))


def unique_name(prefix: str) -> str:
    """``dense``, then ``dense_1``, ``dense_2``... as Keras names layers and optimizers."""
    n = _name_counts[prefix]
    _name_counts[prefix] += 1
    return prefix if n == 0 else f"{prefix}_{n}"


def clear_session() -> None:
    """Start default names again from ``dense``, ``conv2d``... as ``keras.backend
    .clear_session()`` does (models already built keep their names and weights)."""
    _name_counts.clear()


def check_seed(seed):
    """A layer's or an initializer's ``seed``: ``None`` or a non-negative integer, as an
    ``int``."""
    if seed is not None and (isinstance(seed, (bool, np.bool_))
                             or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(_("seed: expected None or a non-negative integer, got {value!r}")
                         .format(value=seed))
    return None if seed is None else int(seed)


def rng(seed: int | None = None) -> np.random.Generator:
    """A generator: a new one from ``seed`` when given, else the engine's global one."""
    if seed is None:
        return _rng
    return np.random.default_rng(seed)


def standardize_dtype(dtype) -> np.dtype:
    """``None`` means floatx(); anything else must be a float type NumPy knows."""
    dt = np.dtype(floatx() if dtype is None else dtype)
    if dt.kind != "f":
        raise ValueError(_("dtype: expected a float type such as 'float32', got {value!r}")
                         .format(value=dtype))
    return dt
