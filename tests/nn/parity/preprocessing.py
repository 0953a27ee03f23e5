"""Parity cases of the differentiable preprocessing layers (Rescaling, Normalization): a
Dense before them, so the gradient flows back through their backward pass."""

import pytest

from . import Case

CASES = [
    pytest.param(Case(lambda L: [L.Rescaling([0.5, 2.0, -1.0], offset=0.25)], shape=(4, 3)),
                 id="rescaling-per-channel"),
    pytest.param(Case(lambda L: [L.Normalization(mean=[0.5, -1.0, 2.0],
                                                 variance=[4.0, 0.25, 1.0])], shape=(4, 3)),
                 id="normalization-given"),
    pytest.param(Case(lambda L: [L.Normalization(axis=None, mean=1.5, variance=9.0,
                                                 invert=True)], shape=(5,)),
                 id="normalization-invert"),
]
