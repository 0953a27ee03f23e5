"""The simple layers (activation layers, LayerNormalization, UnitNormalization, upsampling,
padding, cropping, Permute, RepeatVector, the noise layers): what the common parity and
gradient checks do not cover: masks, configs and saving, the noise layers' statistics and
seeds, and errors. (Parity: tests/nn/parity/layers_simple.py; gradients:
tests/nn/cases/layers_simple.py.)"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pytest

import redes.nn as rn
from redes.nn import layers

RNG = np.random.default_rng(0)
X3 = RNG.normal(size=(3, 4, 5)).astype("float32")


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


# one instance of each layer, as (class name, arguments, sample shape)
LAYERS = [
    ("Softmax", {"axis": [1, 2]}, (4, 5)),
    ("ReLU", {"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.5}, (5,)),
    ("LeakyReLU", {"negative_slope": 0.1}, (5,)),
    ("ELU", {"alpha": 0.5}, (5,)),
    ("PReLU", {"shared_axes": [1], "alpha_constraint": "non_neg"}, (4, 5)),
    ("LayerNormalization", {"axis": [1, 2], "epsilon": 1e-4, "center": False}, (4, 5)),
    ("UnitNormalization", {"axis": 1}, (4, 5)),
    ("UpSampling1D", {"size": 3}, (4, 5)),
    ("UpSampling2D", {"size": (2, 1), "interpolation": "bilinear"}, (3, 4, 2)),
    ("ZeroPadding1D", {"padding": (1, 2)}, (4, 5)),
    ("ZeroPadding2D", {"padding": ((1, 0), (0, 2))}, (3, 4, 2)),
    ("Cropping1D", {"cropping": (1, 2)}, (4, 5)),
    ("Cropping2D", {"cropping": ((1, 0), (0, 2))}, (3, 4, 2)),
    ("Permute", {"dims": (2, 1)}, (4, 5)),
    ("RepeatVector", {"n": 3}, (5,)),
    ("SpatialDropout1D", {"rate": 0.3, "seed": 2}, (4, 5)),
    ("SpatialDropout2D", {"rate": 0.3, "seed": 2}, (3, 4, 2)),
    ("GaussianNoise", {"stddev": 0.2, "seed": 1}, (5,)),
    ("GaussianDropout", {"rate": 0.2, "seed": 1}, (5,)),
]


# ------------------------------------------------------------------- configs and saving
@pytest.mark.parametrize("name, kwargs, shape", LAYERS, ids=[c[0] for c in LAYERS])
def test_config_round_trip_and_keras_keys(keras, name, kwargs, shape):
    ours = getattr(layers, name)(**kwargs)
    x = RNG.normal(size=(2, *shape)).astype("float32")
    y = ours(x)
    config = json.loads(json.dumps(ours.get_config()))
    again = type(ours).from_config(config)
    assert again.get_config() == config
    again(x)
    again.set_weights(ours.get_weights())
    np.testing.assert_array_equal(again(x), y)
    theirs = getattr(keras.layers, name)(**kwargs).get_config()
    assert set(theirs) - {"dtype", "trainable"} <= set(config)
    for key, value in theirs.items():
        if key not in ("name", "dtype") and not isinstance(value, dict):
            assert json.loads(json.dumps(value)) == config[key], key


def test_a_model_of_every_layer_saves_and_loads(tmp_path):
    model = rn.Sequential([
        rn.Input((4,)), layers.Dense(6), layers.PReLU(alpha_initializer="ones"),
        layers.RepeatVector(3), layers.LayerNormalization(), layers.GaussianNoise(0.1, seed=1),
        layers.SpatialDropout1D(0.2, seed=2), layers.ZeroPadding1D(1), layers.Cropping1D((0, 1)),
        layers.UpSampling1D(2), layers.Permute((2, 1)), layers.Reshape((6, 8, 1)),
        layers.UpSampling2D(2, interpolation="bilinear"), layers.ZeroPadding2D(1),
        layers.Cropping2D(((1, 1), (0, 2))), layers.SpatialDropout2D(0.1, seed=3),
        layers.GaussianDropout(0.1, seed=4), layers.Flatten(), layers.Dense(5),
        layers.LeakyReLU(), layers.ReLU(max_value=3.0), layers.ELU(), layers.UnitNormalization(),
        layers.Softmax()])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    x = RNG.normal(size=(8, 4)).astype("float32")
    y = np.eye(5)[RNG.integers(0, 5, 8)]
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    model.save(tmp_path / "simple.keras")
    again = rn.models.load_model(tmp_path / "simple.keras")
    assert [type(a).__name__ for a in again.layers] == [type(b).__name__ for b in model.layers]
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


# --------------------------------------------------------------------------------- masks
def test_softmax_mask_matches_keras(keras):
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    mask = np.array([[1, 1, 0, 1], [0, 0, 0, 0]], bool)[:, None, :]   # (2, 1, 4)
    y = layers.Softmax()(x, mask=mask)
    np.testing.assert_allclose(y, np.asarray(keras.layers.Softmax()(x, mask=mask)), atol=1e-6)
    assert np.all(y[0, :, 2] == 0) and np.all(y[1] == 0)
    np.testing.assert_allclose(y[0].sum(axis=-1), 1, rtol=1e-6)
    with pytest.raises(ValueError, match="mask: .* broadcasts"):
        layers.Softmax()(x, mask=np.ones((2, 3), bool))


def test_masks_pass_through_as_in_keras(keras):
    """Embedding(mask_zero=True) -> the masking layers -> a mean over the real steps only."""
    tokens = np.array([[3, 1, 0, 0], [2, 2, 4, 0]])

    def build(lib):
        L = lib.layers
        return lib.Sequential([
            L.Input((4,), dtype="int32"), L.Embedding(5, 3, mask_zero=True), L.PReLU(),
            L.LayerNormalization(), L.UnitNormalization(), L.ReLU(), L.LeakyReLU(), L.ELU(),
            L.GaussianNoise(0.5), L.GaussianDropout(0.3), L.SpatialDropout1D(0.3),
            L.GlobalAveragePooling1D()])

    theirs, ours = build(keras), build(rn)
    ours.set_weights(theirs.get_weights())
    expected = np.asarray(theirs.predict(tokens, verbose=0))
    np.testing.assert_allclose(ours.predict(tokens, verbose=0), expected, atol=1e-5)
    ends = rn.Sequential([rn.Input((4,), dtype="int32"), layers.Embedding(5, 3, mask_zero=True),
                          layers.ZeroPadding1D(0), layers.GlobalAveragePooling1D()])
    out = ends.predict(tokens, verbose=0)     # the padding layer ends the mask: all 4 steps
    np.testing.assert_allclose(out, ends.layers[0](tokens).mean(axis=1), atol=1e-6)


# -------------------------------------------------------------- more parity with Keras
def test_rms_scaling_and_tiny_norms_match_keras(keras):
    with pytest.warns(UserWarning, match="rms_scaling"):
        ours = layers.LayerNormalization(rms_scaling=True, gamma_initializer="glorot_uniform")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)          # Keras' own deprecation note
        theirs = keras.layers.LayerNormalization(rms_scaling=True)
        theirs(X3)
        ours(X3)
        assert [w.shape for w in ours.get_weights()] == [(5,)]
        theirs.set_weights(ours.get_weights())
        expected = np.asarray(theirs(X3))
    np.testing.assert_allclose(ours(X3), expected, rtol=1e-5, atol=1e-6)
    x = np.zeros((2, 3), "float32")
    x[1] = [1e-14, 0, 0]
    np.testing.assert_allclose(layers.UnitNormalization()(x),
                               np.asarray(keras.layers.UnitNormalization()(x)))
    np.testing.assert_allclose(layers.UnitNormalization()(x)[1], [0.01, 0, 0], rtol=1e-6)


def test_a_crossentropy_after_softmax_reads_its_logits_as_in_keras(keras):
    """Saturated logits: the true class gets e^-40; a loss on the probabilities would clip
    it to 1e-7 (loss 16.1), Keras and redes read the logits (loss about 40)."""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], "float32")
    y = np.eye(3, dtype="float32")[[2, 0, 1]]
    kernel = np.array([[40.0, 0.0, 0.0], [0.0, 40.0, 0.0]], "float32")

    def build(lib):
        model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(3), lib.layers.Softmax()])
        model.set_weights([kernel, np.zeros(3, "float32")])
        model.compile(optimizer=lib.optimizers.SGD(0.01), loss="categorical_crossentropy")
        return model

    theirs, ours = build(keras), build(rn)
    expected = theirs.evaluate(x, y, verbose=0)
    assert expected > 20
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), expected, rtol=1e-5)
    for model in (theirs, ours):
        model.fit(x, y, batch_size=3, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               atol=1e-6)


def test_leaky_relu_takes_keras_2_alpha():
    with pytest.warns(UserWarning, match="negative_slope"):
        layer = layers.LeakyReLU(alpha=0.5)
    np.testing.assert_allclose(layer(np.array([[-2.0, 3.0]])), [[-1.0, 3.0]])


# ------------------------------------------------------------------------- noise layers
NOISE = [
    lambda seed: layers.SpatialDropout1D(0.3, seed=seed),
    lambda seed: layers.SpatialDropout2D(0.3, seed=seed),
    lambda seed: layers.GaussianNoise(0.5, seed=seed),
    lambda seed: layers.GaussianDropout(0.3, seed=seed),
]
NOISE_IDS = ["spatialdropout1d", "spatialdropout2d", "gaussiannoise", "gaussiandropout"]


def _input_for(layer, n=2000):
    """Inputs whose noise has n * 16 independent draws (spatial dropout draws once per
    sample and channel), or 20 times as many."""
    shape = {layers.SpatialDropout1D: (n, 5, 16),
             layers.SpatialDropout2D: (n, 3, 3, 16)}.get(type(layer), (n, 20, 16))
    return np.random.default_rng(5).uniform(0.5, 1.5, size=shape).astype("float32")


@pytest.mark.parametrize("make", NOISE, ids=NOISE_IDS)
def test_noise_is_identity_at_inference_and_follows_its_seed(make):
    layer = make(7)
    x = _input_for(layer, n=3)
    assert layer(x) is x or np.array_equal(layer(x), x)
    np.testing.assert_array_equal(layer.backward(x), x)
    first = layer(x, training=True)
    assert not np.array_equal(first, x) and first.shape == x.shape
    assert not np.array_equal(layer(x, training=True), first)     # the generator moves on
    np.testing.assert_array_equal(make(7)(x, training=True), first)    # same seed, same noise
    assert not np.array_equal(make(8)(x, training=True), first)
    rn.utils.set_random_seed(3)
    unseeded = make(None)(x, training=True)
    rn.utils.set_random_seed(3)
    np.testing.assert_array_equal(make(None)(x, training=True), unseeded)


@pytest.mark.parametrize("make", NOISE, ids=NOISE_IDS)
def test_noise_statistics_in_training(make):
    layer = make(11)
    x = _input_for(layer)
    y = layer(x, training=True)
    ratio = y / x
    if isinstance(layer, layers.GaussianNoise):
        noise = y - x
        assert abs(noise.mean()) < 0.01 and abs(noise.std() - 0.5) < 0.01
        return
    # 32000 draws at least: the mean is within 0.015 of 1, the variance within 0.03
    assert abs(ratio.mean() - 1) < 0.015                     # the expected value is kept
    assert abs(ratio.var() - 0.3 / 0.7) < 0.03               # variance rate / (1 - rate)
    np.testing.assert_allclose(layer.backward(np.ones_like(x)), ratio, rtol=1e-5)
    if isinstance(layer, layers.GaussianDropout):
        return
    mask = np.asarray(layer.backward(np.ones_like(x)))     # 0 or 1 / (1 - rate)
    np.testing.assert_allclose(np.unique(mask), [0, 1 / 0.7], rtol=1e-6)
    spatial = tuple(range(1, x.ndim - 1))
    # one draw per sample and channel: the same at every step or pixel
    assert np.all(mask.min(axis=spatial) == mask.max(axis=spatial))
    assert abs((mask == 0).mean() - 0.3) < 0.015


# ------------------------------------------------------------------------------- errors
BAD = [
    (lambda: layers.ReLU(max_value=-1), "max_value: expected a number >= 0"),
    (lambda: layers.ReLU(negative_slope=None), "negative_slope: expected a finite number"),
    (lambda: layers.ReLU(threshold=-0.5), "threshold: expected a number >= 0"),
    (lambda: layers.LeakyReLU(-0.1), "negative_slope: expected a number >= 0"),
    (lambda: layers.ELU(alpha="big"), "alpha: expected a finite number"),
    (lambda: layers.Softmax(axis=1.5), "axis: expected an integer or a list"),
    (lambda: layers.Softmax(axis=3)(X3[:, :, 0]), "axis: .* is not an axis"),
    (lambda: layers.PReLU(shared_axes=[0]), "shared_axes: expected None"),
    (lambda: layers.PReLU(shared_axes=3)(X3), "shared_axes: .* axis 3 does not exist"),
    (lambda: layers.LayerNormalization(axis=[1, 1]), "axis: expected an integer or a list"),
    (lambda: layers.LayerNormalization(axis=0)(X3), "axis: .* 0 is not a valid axis"),
    (lambda: layers.LayerNormalization(epsilon=-1), "epsilon: expected a number >= 0"),
    (lambda: layers.UnitNormalization(axis=5)(X3), "axis: .* 5 is not a valid axis"),
    (lambda: layers.UpSampling1D(0), "size: expected a positive integer"),
    (lambda: layers.UpSampling1D(2)(X3[:, 0]), "expects inputs of 3 dimensions"),
    (lambda: layers.UpSampling2D((2, 0)), "size: expected a positive integer"),
    (lambda: layers.UpSampling2D(interpolation="bicubic"), "interpolation: .* 'bilinear'"),
    (lambda: layers.UpSampling2D(data_format="channels_first"), "data_format"),
    (lambda: layers.ZeroPadding1D(-1), "padding: expected an integer >= 0"),
    (lambda: layers.ZeroPadding2D((1, 2, 3)), "padding: expected an integer, a tuple of 2"),
    (lambda: layers.ZeroPadding2D(((1, 2), (3, -1))), "padding: expected an integer >= 0"),
    (lambda: layers.Cropping1D((3, 2))(X3), "cropping: .* leaves nothing"),
    (lambda: layers.Cropping2D("all"), "cropping: expected an integer, a tuple of 2"),
    (lambda: layers.Permute((1, 3)), "dims: expected a permutation"),
    (lambda: layers.Permute((2, 1))(X3[:, 0]), "expects inputs of 3 dimensions"),
    (lambda: layers.RepeatVector(2.5), "n: expected a positive integer"),
    (lambda: layers.RepeatVector(2)(X3), "expects inputs of 2 dimensions"),
    (lambda: layers.SpatialDropout1D(1.0), r"rate: expected a number in \[0, 1\)"),
    (lambda: layers.SpatialDropout2D(0.5, seed=-1), "seed: expected None or a non-negative"),
    (lambda: layers.GaussianNoise(1.5), r"stddev: expected a number in \[0, 1\]"),
    (lambda: layers.GaussianDropout(1), r"rate: expected a number in \[0, 1\)"),
    (lambda: layers.GaussianDropout(0.1, seed="x"), "seed: expected None or a non-negative"),
]


@pytest.mark.parametrize("make, match", BAD, ids=[m for _, m in BAD])
def test_bad_arguments_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_errors_read_in_spanish(spanish):
    with pytest.raises(ValueError, match=r"^dims: se esperaba una permutación de 1, 2, \.\.\., n"):
        layers.Permute((1, 3))
    with pytest.raises(ValueError, match=r"^padding: se esperaba un entero >= 0 o una tupla"):
        layers.ZeroPadding1D(-1)
    with pytest.raises(ValueError, match=r"^cropping: capa 'c': el recorte \(3, 2\) no deja"):
        layers.Cropping1D((3, 2), name="c")(X3)
