"""Parity cases of layers that redes already had, so the harness itself is checked."""

import pytest

from . import Case

CASES = [
    pytest.param(Case(lambda L: [L.Dense(4, activation="tanh")], shape=(5,)), id="dense-tanh"),
    pytest.param(Case(lambda L: [L.Conv2D(2, 3, padding="same"), L.MaxPooling2D(2)],
                      shape=(6, 6, 2)), id="conv2d-maxpool"),
]
