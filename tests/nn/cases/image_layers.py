"""Gradient-check cases of the image layers: Resizing (bilinear, nearest, crop, pad),
CenterCrop (a window, and the smaller image that is resized), and the augmentation layers in
training (their backward is the transpose of the sampling: S^T g)."""

from __future__ import annotations

import pytest

from redes.nn import gradcheck, layers

from . import data

_IMAGES = (2, 5, 6, 2)


def _layer(make):
    def case():
        return gradcheck.check_layer(make(), data(_IMAGES), training=True)
    return case


CASES = [
    pytest.param(_layer(lambda: layers.Resizing(4, 9, dtype="float64")),
                 id="layer-resizing-bilinear"),
    pytest.param(_layer(lambda: layers.Resizing(7, 4, interpolation="nearest",
                                                dtype="float64")),
                 id="layer-resizing-nearest"),
    pytest.param(_layer(lambda: layers.Resizing(8, 4, interpolation="bicubic",
                                                dtype="float64")),
                 id="layer-resizing-bicubic"),
    pytest.param(_layer(lambda: layers.Resizing(3, 9, interpolation="area", dtype="float64")),
                 id="layer-resizing-area"),
    pytest.param(_layer(lambda: layers.Resizing(3, 3, crop_to_aspect_ratio=True,
                                                dtype="float64")),
                 id="layer-resizing-crop"),
    pytest.param(_layer(lambda: layers.Resizing(4, 2, pad_to_aspect_ratio=True,
                                                fill_value=0.5, dtype="float64")),
                 id="layer-resizing-pad"),
    pytest.param(_layer(lambda: layers.CenterCrop(3, 4, dtype="float64")),
                 id="layer-centercrop"),
    pytest.param(_layer(lambda: layers.CenterCrop(8, 3, dtype="float64")),
                 id="layer-centercrop-smaller"),
    pytest.param(_layer(lambda: layers.RandomFlip(seed=3, dtype="float64")),
                 id="layer-randomflip"),
    pytest.param(_layer(lambda: layers.RandomRotation(0.2, seed=1, dtype="float64")),
                 id="layer-randomrotation-reflect-bilinear"),
    pytest.param(_layer(lambda: layers.RandomZoom(0.3, fill_mode="constant", fill_value=1.0,
                                                  seed=2, dtype="float64")),
                 id="layer-randomzoom-constant"),
    pytest.param(_layer(lambda: layers.RandomTranslation(0.3, 0.3, fill_mode="wrap",
                                                         interpolation="nearest", seed=4,
                                                         dtype="float64")),
                 id="layer-randomtranslation-wrap-nearest"),
    pytest.param(_layer(lambda: layers.RandomContrast(0.5, value_range=(-2.0, 2.0), seed=5,
                                                      dtype="float64")),
                 id="layer-randomcontrast"),
]
