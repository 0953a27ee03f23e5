"""Gradient-check cases of the differentiable preprocessing layers: Rescaling and
Normalization (given and adapted statistics, inverted)."""

from __future__ import annotations

import pytest

from redes.nn import gradcheck, layers

from . import data


def _rescaling():
    layer = layers.Rescaling([0.5, -2.0, 3.0], offset=1.0, dtype="float64")
    return gradcheck.check_layer(layer, data((4, 3)))


def _normalization_adapted():
    layer = layers.Normalization(dtype="float64")
    layer.adapt(data((20, 3), seed=2))
    return gradcheck.check_layer(layer, data((4, 3)))


def _normalization_inverted():
    layer = layers.Normalization(axis=None, mean=2.0, variance=0.5, invert=True,
                                 dtype="float64")
    return gradcheck.check_layer(layer, data((4, 3)))


CASES = [
    pytest.param(_rescaling, id="layer-rescaling"),
    pytest.param(_normalization_adapted, id="layer-normalization-adapted"),
    pytest.param(_normalization_inverted, id="layer-normalization-inverted"),
]
