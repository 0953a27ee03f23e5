"""Keras parity cases, run by ``tests/nn/test_keras_parity_layers.py``.

Every module of this folder (except those whose name starts with ``_``) defines ``CASES``: a
list of ``pytest.param`` objects, each wrapping ONE :class:`Case`::

    CASES = [
        pytest.param(Case(lambda L: [L.UpSampling2D(2)], shape=(6, 5, 3)),
                     id="upsampling2d-2"),
    ]

``layers(L)`` receives the layers module of either library (``redes.nn.layers`` or
``keras.layers``) and returns the layers under test. The test builds the same model in both
libraries: ``Input(shape)``, a ``Dense(units)`` on the last axis (so that the gradient that
flows back through the layers under test reaches trainable weights), the layers, then
``Flatten`` and ``Dense(outputs)``; with ``wrap=False`` only ``Input`` and the layers. Redes
takes Keras' initial weights, both predict the same inputs (within 1e-5), both take five Adam
steps on the same batches, and the weights and outputs must still agree within 1e-5.

Rules: ids are unique across modules; layers are built inside ``layers`` (collecting never
fails, even before a class exists); inputs come from ``Case.inputs`` (a fixed seed).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Case:
    layers: Callable                  # L -> list of layers, L being redes.nn.layers or keras.layers
    shape: tuple                      # one sample's shape (without the batch axis)
    units: int | None = 3             # the Dense before the layers; None: no Dense before
    outputs: int = 2                  # units of the last Dense (the targets' width)
    wrap: bool = True                 # False: Input(shape) then the layers, nothing else
    dtype: str = "float32"            # dtype of Input and of the generated inputs
    batch: int = 10                   # samples (five batches of batch // 5)
    seed: int = 0
    low: float = -1.0                 # inputs are uniform in [low, high) (integers for int dtypes)
    high: float = 1.0
    loss: str = "mse"
    steps: int = 5                    # 0: forward only (layers with no trainable path)

    def inputs(self) -> np.ndarray:
        rng = np.random.default_rng(self.seed)
        size = (self.batch, *self.shape)
        if np.dtype(self.dtype).kind in "iu":
            return rng.integers(int(self.low), int(self.high), size=size).astype(self.dtype)
        return rng.uniform(self.low, self.high, size=size).astype(self.dtype)

    def model(self, lib):
        """The case's model built with ``lib`` (``redes.nn`` or ``keras``)."""
        L = lib.layers
        stack = [L.Input(shape=self.shape, dtype=self.dtype)]
        if self.wrap and self.units is not None:
            stack.append(L.Dense(self.units))
        stack += list(self.layers(L))
        if self.wrap:
            stack += [L.Flatten(), L.Dense(self.outputs)]
        return lib.Sequential(stack)

    def targets(self, shape: tuple) -> np.ndarray:
        """Regression targets of the model's output ``shape``."""
        return np.random.default_rng(self.seed + 1).normal(size=shape).astype("float32")


def gather() -> list:
    cases = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            cases += importlib.import_module(f"{__name__}.{info.name}").CASES
    return cases
