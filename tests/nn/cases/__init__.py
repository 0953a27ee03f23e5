"""Gradient-check cases, run by ``tests/nn/test_gradcheck.py``.

Case format
-----------
Every module of this folder (except those whose name starts with ``_``) defines ``CASES``: a
list of ``pytest.param`` objects, each wrapping ONE function that takes no argument, builds
fresh float64 objects, runs a check of ``redes.nn.gradcheck`` and returns its
``GradCheckResult``::

    def _dense_tanh():
        layer = layers.Dense(3, activation="tanh", dtype="float64",
                             kernel_initializer=GlorotUniform(seed=1))
        return gradcheck.check_layer(layer, data((4, 5)))

    CASES = [pytest.param(_dense_tanh, id="layer-dense-tanh")]

The test asserts that the check ran in float64, that it checked at least one tensor, and
that every relative error is below 1e-6.

Rules: ids are unique across all modules (start them with the kind: ``layer-``,
``activation-``, ``loss-``, ``regularizer-``, ``model-``); objects are built inside the
function (so that collecting the cases never fails, even before a class exists); every
random number comes from a fixed seed (seeded initializers, ``data(shape, seed)``), so a
case does not depend on the order the tests run in; inputs stay away from kinks (``data``
keeps every value at least 0.1 away from 0).

To check a new layer (Conv2D, LSTM...), add a module such as ``conv.py`` with its own
``CASES``; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil

import numpy as np


def data(shape, seed=0, low=0.1, high=2.5) -> np.ndarray:
    """float64 numbers of random sign whose magnitude lies in [low, high] (away from 0)."""
    rng = np.random.default_rng(seed)
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def gather() -> list:
    """The ``CASES`` of every module of this folder, checked for the format above."""
    params, seen = [], set()
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for param in module.CASES:
            if len(param.values) != 1 or not callable(param.values[0]):
                raise ValueError(f"{info.name}: each case wraps one function, got {param!r}")
            if param.id is None or param.id in seen:
                raise ValueError(f"{info.name}: case id {param.id!r} is missing or repeated")
            seen.add(param.id)
            params.append(param)
    return params
