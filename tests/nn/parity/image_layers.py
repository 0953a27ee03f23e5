"""Parity cases of the image layers. Resizing, CenterCrop and RandomContrast (with a pair
such as (-0.3, 0.3), Keras draws its factor from [1.3, 1.3]) have a Dense before them, so
their backward pass is compared too. The affine augmentation layers have fixed factors, so
training (fit) transforms the images exactly as Keras does; they come first (``units=None``):
TensorFlow's gradient of the transform is the inverse warp of the gradient, an approximation
of the transpose that redes computes, so the gradient through them is checked by the
gradient-check cases instead. ``predict`` is the identity for them."""

import pytest

from . import Case

CASES = [
    pytest.param(Case(lambda L: [L.Resizing(8, 7), L.CenterCrop(5, 4)], shape=(6, 5, 2)),
                 id="resizing-bilinear-centercrop"),
    pytest.param(Case(lambda L: [L.Resizing(4, 8, interpolation="nearest",
                                            pad_to_aspect_ratio=True, fill_value=0.5),
                                 L.CenterCrop(6, 5)], shape=(5, 6, 2)),
                 id="resizing-nearest-pad-centercrop-smaller"),
    pytest.param(Case(lambda L: [L.RandomContrast((-0.3, 0.3), value_range=(-1, 1))],
                      shape=(5, 4, 3)),
                 id="randomcontrast-fixed"),
    pytest.param(Case(lambda L: [L.RandomRotation((0.1, 0.1), fill_mode="constant"),
                                 L.RandomZoom((0.2, 0.2), interpolation="nearest"),
                                 L.RandomTranslation((0.1, 0.1), (-0.2, -0.2),
                                                     fill_mode="wrap")],
                      shape=(7, 6, 2), units=None),
                 id="augmentation-fixed-affine"),
]
