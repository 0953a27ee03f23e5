"""Parity cases of the simple layers: activation layers, LayerNormalization and
UnitNormalization, upsampling, padding, cropping, Permute and RepeatVector. Layers that only
move values are chained in one case each (every case costs Keras a compile and a fit)."""

import pytest

from . import Case

CASES = [
    pytest.param(Case(lambda L: [L.Softmax()], shape=(5,)), id="softmax"),
    pytest.param(Case(lambda L: [L.Softmax(axis=[1, 2])], shape=(3, 4)), id="softmax-axes-1-2"),
    pytest.param(Case(lambda L: [L.LeakyReLU(),
                                 L.ReLU(max_value=0.5, negative_slope=0.1, threshold=0.2)],
                      shape=(6,)), id="leakyrelu-relu-capped-threshold"),
    pytest.param(Case(lambda L: [L.ELU(alpha=0.7)], shape=(5,)), id="elu-layer"),
    pytest.param(Case(lambda L: [L.PReLU()], shape=(4, 5)), id="prelu"),
    pytest.param(Case(lambda L: [L.PReLU(alpha_initializer="ones", shared_axes=[1])],
                      shape=(4, 5)), id="prelu-shared-axes"),
    pytest.param(Case(lambda L: [L.LayerNormalization()], shape=(4, 5)), id="layernorm"),
    pytest.param(Case(lambda L: [L.LayerNormalization(axis=[1, 2], epsilon=1e-5),
                                 L.LayerNormalization(center=False, scale=False)],
                      shape=(4, 5)), id="layernorm-axes-1-2-then-plain"),
    pytest.param(Case(lambda L: [L.UnitNormalization()], shape=(4, 5)), id="unitnorm"),
    pytest.param(Case(lambda L: [L.UpSampling1D(3), L.ZeroPadding1D((1, 2)),
                                 L.Cropping1D((2, 1))], shape=(4, 2)),
                 id="upsampling1d-zeropadding1d-cropping1d"),
    pytest.param(Case(lambda L: [L.UpSampling2D((2, 3)), L.ZeroPadding2D(((1, 0), (2, 1))),
                                 L.Cropping2D(((1, 2), (0, 1)))], shape=(3, 4, 2)),
                 id="upsampling2d-zeropadding2d-cropping2d"),
    pytest.param(Case(lambda L: [L.UpSampling2D(2, interpolation="bilinear")], shape=(3, 4, 2)),
                 id="upsampling2d-bilinear"),
    pytest.param(Case(lambda L: [L.RepeatVector(3), L.Permute((2, 1))], shape=(4,)),
                 id="repeatvector-permute"),
]
