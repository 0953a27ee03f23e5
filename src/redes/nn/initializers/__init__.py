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

Modules: ``base`` (the ``Initializer`` class), ``constant_initializers``,
``random_initializers`` (normal, truncated normal, uniform, orthogonal) and
``scaling_initializers`` (variance scaling: Glorot, He, LeCun); ``get``, ``serialize`` and
``deserialize`` are here.
"""

from __future__ import annotations

import numpy as np

from ...i18n import _
from .. import backend
from ..serialization import deserialize as _deserialize
from ..serialization import names
from .base import Initializer
from .constant_initializers import Constant, Identity, Ones, Zeros
from .random_initializers import (
    Orthogonal,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    truncated_normal,
)
from .scaling_initializers import (
    TRUNCATED_STDDEV,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
    compute_fans,
)

__all__ = [
    "TRUNCATED_STDDEV",
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "RandomInitializer",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "deserialize",
    "get",
    "serialize",
    "truncated_normal",
]


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
