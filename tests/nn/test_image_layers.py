"""Image preprocessing and augmentation layers: Resizing, CenterCrop, RandomFlip,
RandomRotation, RandomZoom, RandomTranslation and RandomContrast, compared with Keras 3 in
training mode (fixed factors), their random draws, inference, errors, training and saving."""

from __future__ import annotations

import os

import numpy as np
import pytest

import redes.nn as rn

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("bilinear", "nearest")


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).uniform(0, 255, (3, 7, 9, 2)).astype("float32")


def _both(keras, make, x, **call):
    theirs = np.asarray(make(keras.layers)(x, **call))
    ours = make(rn.layers)(x, **call)
    assert ours.shape == theirs.shape
    return ours, theirs


def _close(ours, theirs):
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_affine_layers_with_fixed_factors_match_keras(keras, images):
    for fill_mode in FILL_MODES:
        for interpolation in INTERPOLATIONS:
            args = {"fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 3.0}
            for make in (lambda L, a=args: L.RandomRotation((0.1, 0.1), **a),
                         lambda L, a=args: L.RandomZoom((0.2, 0.2), **a),
                         lambda L, a=args: L.RandomZoom((-0.3, -0.3), (0.4, 0.4), **a),
                         lambda L, a=args: L.RandomTranslation((0.1, 0.1), (-0.2, -0.2),
                                                             **a)):
                ours, theirs = _both(keras, make, images, training=True)
                _close(ours, theirs)
                assert not np.allclose(ours, images)
    ours, theirs = _both(keras, lambda L: L.RandomRotation((-0.15, -0.15)), images[0],
                         training=True)                  # a single image (height, width, c)
    assert ours.shape == images[0].shape
    _close(ours, theirs)


def test_affine_transform_matches_keras_ops(keras, images):
    from redes.nn.layers.image_sampling import affine_transform

    transform = np.array([2.5, 0.3, -9, 0.1, 3, -11, 0.001, 0.002], "float32")  # projective
    for fill_mode in FILL_MODES:
        for interpolation in INTERPOLATIONS:
            theirs = keras.ops.image.affine_transform(images, transform, interpolation,
                                                      fill_mode, 0.7)
            _close(affine_transform(images, transform, interpolation, fill_mode, 0.7),
                   np.asarray(theirs))


@pytest.mark.parametrize("options", [
    {}, {"interpolation": "nearest"}, {"interpolation": "bicubic"}, {"interpolation": "area"},
    {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True, "fill_value": 2.0}],
    ids=lambda o: "-".join(f"{k}={v}" for k, v in o.items()) or "plain")
def test_resizing_matches_keras(keras, images, options):
    images = images / 255
    for size in ((4, 4), (10, 5), (3, 12)):
        ours, theirs = _both(keras, lambda L, s=size: L.Resizing(*s, **options), images)
        _close(ours, theirs)
    ours, theirs = _both(keras, lambda L: L.Resizing(5, 4, **options), images[0])
    assert ours.shape == (5, 4, 2)
    _close(ours, theirs)


def test_center_crop_matches_keras_also_for_smaller_images(keras, images):
    x = images[..., :1] + np.arange(9, dtype="float32")[:, None]  # differs along the width
    for size in ((4, 4), (7, 9), (10, 5), (3, 12), (8, 3)):
        ours, theirs = _both(keras, lambda L, s=size: L.CenterCrop(*s), x)
        assert ours.shape == (3, *size, 1)
        _close(ours, theirs)
    window = rn.layers.CenterCrop(3, 5)(x)
    np.testing.assert_array_equal(window, x[:, 2:5, 2:7])
    _close(*_both(keras, lambda L: L.CenterCrop(3, 12), x[0]))


def test_random_flip_gives_one_of_the_flips_as_keras(keras):
    x = np.random.default_rng(1).normal(size=(16, 3, 4, 2)).astype("float32")
    flips = {"horizontal": x[:, :, ::-1], "vertical": x[:, ::-1],
             "horizontal_and_vertical": x[:, ::-1, ::-1]}
    for mode, flipped in flips.items():
        ours = rn.layers.RandomFlip(mode, seed=2)(x, training=True)
        theirs = np.asarray(keras.layers.RandomFlip(mode, seed=2)(x, training=True))
        for out in (ours, theirs):
            same = np.all(out == x, axis=(1, 2, 3))
            flip = np.all(out == flipped, axis=(1, 2, 3))
            assert np.all(same | flip)
        assert 0 < np.sum(np.all(ours == flipped, axis=(1, 2, 3))) < 16
    again = rn.layers.RandomFlip(seed=2)(x, training=True)
    np.testing.assert_array_equal(again, rn.layers.RandomFlip(seed=2)(x, training=True))


def test_random_contrast_arithmetic_and_range(keras, images):
    layer = rn.layers.RandomContrast(0.5, value_range=(0, 200), seed=3)
    ours = layer(images, training=True)
    factor = layer._contrast
    assert factor.shape == (3, 1, 1, 1)
    assert np.all((factor >= 1.0) & (factor <= 1.5))       # Keras 3: f means [1, 1 + f]
    keras_layer = keras.layers.RandomContrast(0.5, value_range=(0, 200))
    theirs = keras_layer.transform_images(images, {"contrast_factor": factor}, training=True)
    _close(ours, np.asarray(theirs))
    assert ours.min() >= 0 and ours.max() <= 200
    fixed, theirs = _both(keras, lambda L: L.RandomContrast((-0.3, 0.3)), images,
                          training=True)                   # (-0.3, 0.3): f = 1.3 always
    _close(fixed, theirs)


def test_random_factors_stay_in_range_and_follow_the_seed(images):
    x = np.repeat(images, 20, axis=0)                       # 60 images
    rotation = rn.layers.RandomRotation((-0.1, 0.2), seed=5)
    t = rotation.transforms(60, 7, 9)
    turns = np.arctan2(t[:, 3], t[:, 0]) / (2 * np.pi)
    assert turns.min() >= -0.1 - 1e-6 and turns.max() <= 0.2 + 1e-6 and turns.std() > 0.05
    zoom = rn.layers.RandomZoom(0.3, seed=5).transforms(60, 7, 9)
    assert np.all((zoom[:, 0] >= 0.7) & (zoom[:, 0] <= 1.3)) and np.all(zoom[:, 0] == zoom[:, 4])
    shift = rn.layers.RandomTranslation(0.2, (0.0, 0.5), seed=5).transforms(60, 7, 9)
    assert np.all(np.abs(shift[:, 5]) <= 0.2 * 7 + 1e-5)
    assert np.all((-shift[:, 2] >= 0) & (-shift[:, 2] <= 0.5 * 9 + 1e-5))
    inside = (x.min() - 1e-3, x.max() + 1e-3)   # bilinear mixes pixels, reflect fills
    for make, (low, high) in ((lambda s: rn.layers.RandomRotation(0.2, seed=s), inside),
                              (lambda s: rn.layers.RandomZoom(0.3, 0.2, seed=s), inside),
                              (lambda s: rn.layers.RandomTranslation(0.2, 0.3, seed=s), inside),
                              (lambda s: rn.layers.RandomContrast(0.4, seed=s), (0, 255))):
        first = make(7)(x, training=True)
        np.testing.assert_array_equal(first, make(7)(x, training=True))
        assert not np.array_equal(first, make(8)(x, training=True))
        assert first.min() >= low and first.max() <= high


def test_inference_leaves_images_and_a_direct_call_augments_as_keras(keras, images):
    for make in (lambda L: L.RandomFlip(seed=1), lambda L: L.RandomRotation(0.2, seed=1),
                 lambda L: L.RandomZoom(0.2, seed=1), lambda L: L.RandomContrast(0.5, seed=1),
                 lambda L: L.RandomTranslation(0.2, 0.2, seed=1)):
        np.testing.assert_array_equal(make(rn.layers)(images, training=False), images)
        model = rn.Sequential([rn.Input((7, 9, 2)), make(rn.layers)])
        np.testing.assert_array_equal(model.predict(images, verbose=0), images)
    for lib in (rn, keras):              # Keras 3: ``layer(x)`` without training augments
        assert not np.allclose(np.asarray(lib.layers.RandomRotation(0.2)(images)), images)


def test_augmentation_in_a_model_trains_and_saves(tmp_path):
    rn.utils.set_random_seed(0)
    x = np.random.default_rng(0).uniform(0, 1, (32, 8, 8, 1)).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
    model = rn.Sequential([
        rn.Input((8, 8, 1)), rn.layers.Resizing(6, 6), rn.layers.RandomFlip("horizontal"),
        rn.layers.RandomRotation(0.1), rn.layers.RandomZoom(0.1),
        rn.layers.RandomTranslation(0.1, 0.1), rn.layers.RandomContrast(0.2, (0, 1)),
        rn.layers.CenterCrop(4, 4), rn.layers.Conv2D(2, 3, activation="relu"),
        rn.layers.Flatten(), rn.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    model.save(tmp_path / "m.keras")
    loaded = rn.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    for old, new in zip(model.layers, loaded.layers, strict=True):
        assert new.get_config() == old.get_config()


def test_configs_round_trip_with_keras_names(keras):
    layers = [rn.layers.Resizing(3, 4, "nearest", pad_to_aspect_ratio=True, fill_value=1.0),
              rn.layers.CenterCrop(2, 5), rn.layers.RandomFlip("vertical", seed=4),
              rn.layers.RandomRotation((0.3, -0.2), fill_mode="wrap", seed=1),
              rn.layers.RandomZoom((-0.2, 0.1), 0.3, interpolation="nearest"),
              rn.layers.RandomTranslation(0.1, (0.2, 0.3), fill_mode="constant", fill_value=2),
              rn.layers.RandomContrast(0.4, value_range=(0, 1))]
    for layer in layers:
        config = layer.get_config()
        twin = type(layer).from_config(config)
        assert twin.get_config() == config
        theirs = getattr(keras.layers, type(layer).__name__)(
            **{k: v for k, v in config.items() if k not in ("name", "dtype")}).get_config()
        assert set(theirs) - {"dtype"} <= set(config)
    assert layers[3].get_config()["factor"] == [-0.2, 0.3]


@pytest.mark.parametrize("make, argument", [
    (lambda: rn.layers.Resizing(0, 3), "height"),
    (lambda: rn.layers.Resizing(2, 2, interpolation="lanczos3"), "interpolation"),
    (lambda: rn.layers.Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True),
     "crop_to_aspect_ratio"),
    (lambda: rn.layers.CenterCrop(2, -1), "width"),
    (lambda: rn.layers.RandomFlip("diagonal"), "mode"),
    (lambda: rn.layers.RandomRotation(1.5), "factor"),
    (lambda: rn.layers.RandomRotation(0.1, fill_mode="mirror"), "fill_mode"),
    (lambda: rn.layers.RandomZoom(-1.0), "height_factor"),
    (lambda: rn.layers.RandomTranslation(0.1, (0.1, 0.2, 0.3)), "width_factor"),
    (lambda: rn.layers.RandomContrast(0.5, value_range=(1, 0)), "value_range"),
    (lambda: rn.layers.RandomContrast(0.5, seed=-1), "seed"),
    (lambda: rn.layers.RandomFlip()(np.zeros((4, 4), "float32")), "x"),
])
def test_bad_arguments_name_the_argument(make, argument):
    with pytest.raises(ValueError, match=argument):
        make()


def test_a_model_called_directly_augments_as_in_keras(keras):
    """keras.io's image examples look at ``data_augmentation(images)``: a model called
    without ``training`` augments (Keras 3), while predict and training=False do not, and a
    Dropout in the same call stays off."""
    x = np.random.default_rng(0).random((4, 8, 8, 3)).astype("float32")
    for lib in (keras, rn):
        model = lib.Sequential([lib.Input((8, 8, 3)), lib.layers.RandomRotation(0.2, seed=2),
                                lib.layers.Dropout(0.99)])
        assert not np.allclose(np.asarray(model(x)), x)
        assert np.allclose(np.asarray(model(x)) != 0, True)          # no unit dropped
        np.testing.assert_allclose(np.asarray(model(x, training=False)), x, rtol=1e-6)
        np.testing.assert_allclose(model.predict(x, verbose=0), x, rtol=1e-6)
