"""The convolutional layers of redes.nn against Keras: Conv2D, Conv1D, pooling and
BatchNormalization give the same numbers as keras.layers on the same weights, their configs
round-trip through JSON, bad input gets a clear error, and small CNNs train like Keras."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from redes.nn import serialization
from redes.nn.layers.conv import Conv1D, Conv2D
from redes.nn.layers.normalization import BatchNormalization
from redes.nn.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)

RTOL = 1e-5
OURS = {cls.__name__: cls for cls in (
    Conv1D, Conv2D, BatchNormalization, AveragePooling1D, AveragePooling2D,
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
    MaxPooling1D, MaxPooling2D)}


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def rel_error(ours, theirs) -> float:
    """max |ours - theirs| / max |theirs|."""
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    assert ours.shape == theirs.shape
    return float(np.max(np.abs(ours - theirs)) / max(np.max(np.abs(theirs)), 1e-30))


def twins(keras, name, x, seed=0, **kwargs):
    """The Keras layer and ours, built for ``x`` and holding the same random weights."""
    theirs = getattr(keras.layers, name)(**kwargs)
    theirs.build(x.shape)
    ours = OURS[name](**kwargs)
    ours.build_for(x.shape)
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=w.shape).astype("float32") for w in theirs.get_weights()]
    if name == "BatchNormalization":  # a positive moving variance
        weights[-1] = rng.uniform(0.5, 2.0, size=weights[-1].shape).astype("float32")
    theirs.set_weights(weights)
    ours.set_weights(weights)
    return theirs, ours


def data(shape, seed=1):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# ----------------------------------------------------------------------- forward parity
CONV2D = [
    # kernel_size, strides, padding, use_bias, activation
    (3, 1, "valid", True, None),
    (3, 1, "same", True, "relu"),
    (3, 2, "valid", True, "tanh"),
    (3, 2, "same", False, None),
    ((2, 3), (2, 1), "same", True, "sigmoid"),
    (4, 3, "same", True, None),      # odd total padding: one more at the bottom/right
    (5, 2, "same", True, "softmax"),
    (1, 2, "valid", False, None),
    ((1, 4), 1, "valid", True, "relu"),
]


@pytest.mark.parametrize("kernel_size, strides, padding, use_bias, activation", CONV2D)
def test_conv2d_matches_keras(keras, kernel_size, strides, padding, use_bias, activation):
    x = data((3, 11, 10, 3))
    theirs, ours = twins(keras, "Conv2D", x, filters=5, kernel_size=kernel_size,
                         strides=strides, padding=padding, use_bias=use_bias,
                         activation=activation)
    expected = theirs(x).numpy()
    got = ours(x)
    assert got.dtype == np.float32
    assert ours.kernel.shape == theirs.kernel.shape        # (kh, kw, in, out)
    assert ours.output_shape == theirs.compute_output_shape((None, 11, 10, 3))
    assert rel_error(got, expected) < RTOL


CONV1D = [
    (3, 1, "valid", True, None),
    (3, 1, "same", True, "relu"),
    (4, 2, "same", False, "tanh"),
    (5, 3, "valid", True, None),
    (4, 1, "causal", True, None),
    (3, 2, "causal", False, "relu"),
]


@pytest.mark.parametrize("kernel_size, strides, padding, use_bias, activation", CONV1D)
def test_conv1d_matches_keras(keras, kernel_size, strides, padding, use_bias, activation):
    x = data((3, 17, 4))
    theirs, ours = twins(keras, "Conv1D", x, filters=6, kernel_size=kernel_size,
                         strides=strides, padding=padding, use_bias=use_bias,
                         activation=activation)
    assert ours.kernel.shape == theirs.kernel.shape == (kernel_size, 4, 6)
    assert ours.output_shape == theirs.compute_output_shape((None, 17, 4))
    assert rel_error(ours(x), theirs(x).numpy()) < RTOL


POOLING = [
    ("MaxPooling2D", {}),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}),
    ("MaxPooling2D", {"pool_size": (2, 3), "strides": 1}),
    ("MaxPooling2D", {"pool_size": 2, "padding": "same"}),
    ("AveragePooling2D", {"pool_size": 2}),
    ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}),
    ("AveragePooling2D", {"pool_size": (3, 2), "strides": 1, "padding": "same"}),
    ("MaxPooling1D", {}),
    ("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}),
    ("AveragePooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}),
    ("AveragePooling1D", {"pool_size": 2}),
    ("GlobalAveragePooling2D", {}),
    ("GlobalMaxPooling2D", {"keepdims": True}),
    ("GlobalAveragePooling1D", {"keepdims": True}),
    ("GlobalMaxPooling1D", {}),
]


@pytest.mark.parametrize("name, kwargs", POOLING)
def test_pooling_matches_keras_forward_and_backward(keras, name, kwargs):
    import tensorflow as tf

    shape = (2, 9, 7, 3) if "2D" in name else (2, 11, 3)
    x = data(shape)
    theirs, ours = getattr(keras.layers, name)(**kwargs), OURS[name](**kwargs)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        expected = theirs(xt)
    upstream = data(expected.shape, seed=2)
    expected_dx = tape.gradient(expected, xt, output_gradients=tf.constant(upstream))
    got = ours(x)
    assert got.shape == expected.shape == ours.compute_output_shape(shape)
    assert rel_error(got, expected.numpy()) < RTOL
    assert rel_error(ours.backward(upstream), expected_dx.numpy()) < RTOL


def test_max_pooling_ties_route_the_gradient_like_tensorflow(keras):
    import tensorflow as tf

    x = np.maximum(np.round(data((2, 6, 6, 2)), 0), 0)   # many equal values (zeros, ones)
    for ours, theirs in [(MaxPooling2D(), keras.layers.MaxPooling2D()),
                         (MaxPooling2D(3, 1, "same"), keras.layers.MaxPooling2D(3, 1, "same")),
                         (GlobalMaxPooling2D(), keras.layers.GlobalMaxPooling2D())]:
        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            y = theirs(xt)
        expected = tape.gradient(y, xt, output_gradients=tf.ones_like(y)).numpy()
        ours(x)
        np.testing.assert_array_equal(ours.backward(np.ones(y.shape, np.float32)), expected)


@pytest.mark.parametrize("kernel_size, strides, padding", [(3, 1, "valid"), (3, 2, "same"),
                                                           ((2, 3), (1, 2), "same")])
def test_conv2d_gradients_match_tensorflow(keras, kernel_size, strides, padding):
    import tensorflow as tf

    x = data((2, 8, 7, 3))
    theirs, ours = twins(keras, "Conv2D", x, filters=4, kernel_size=kernel_size,
                         strides=strides, padding=padding, activation="tanh")
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = theirs(xt)
    upstream = data(y.shape, seed=3)
    dx, dk, db = tape.gradient(y, [xt, theirs.kernel, theirs.bias],
                               output_gradients=tf.constant(upstream))
    ours(x)
    got_dx = ours.backward(upstream)
    assert rel_error(got_dx, dx.numpy()) < RTOL
    assert rel_error(ours.grads[0], dk.numpy()) < RTOL
    assert rel_error(ours.grads[1], db.numpy()) < RTOL


def test_first_layer_skips_the_input_gradient():
    x = data((2, 6, 6, 1))
    layer = Conv2D(3, 3, activation="relu")
    layer(x)
    upstream = data((2, 4, 4, 3), seed=2)
    full = layer.backward(upstream)
    grads = [g.copy() for g in layer.grads]
    layer.input_grad = False
    assert layer.backward(upstream) is None
    for a, b in zip(layer.grads, grads):
        np.testing.assert_array_equal(a, b)
    assert full.shape == x.shape


# ------------------------------------------------------------------ batch normalization
@pytest.mark.parametrize("shape, kwargs", [
    ((8, 5, 4, 3), {}),
    ((16, 6), {"momentum": 0.9}),
    ((8, 5, 4), {"axis": 1, "center": False}),
    ((8, 6), {"scale": False, "epsilon": 0.01}),
])
def test_batchnorm_matches_keras_in_training_and_inference(keras, shape, kwargs):
    theirs, ours = twins(keras, "BatchNormalization", data(shape), **kwargs)
    assert [w.shape for w in ours.weights] == [w.shape for w in theirs.weights]
    assert len(ours.trainable_weights) == len(theirs.trainable_weights)
    assert len(ours.non_trainable_weights) == 2
    for step in range(4):
        x = data(shape, seed=10 + step) * 3 + 2
        assert rel_error(ours(x, training=True), theirs(x, training=True).numpy()) < RTOL
        for a, b in zip(ours.get_weights(), theirs.get_weights()):   # moving statistics
            assert rel_error(a, b) < RTOL
    x = data(shape, seed=20) * 3 + 2
    assert rel_error(ours(x, training=False), theirs(x, training=False).numpy()) < RTOL
    # the moving statistics moved as Keras moves them: m = momentum m + (1 - momentum) mean
    momentum = kwargs.get("momentum", 0.99)
    before = ours.moving_mean.copy()
    axes = tuple(a for a in range(len(shape)) if a != kwargs.get("axis", -1) % len(shape))
    ours(x, training=True)
    np.testing.assert_allclose(ours.moving_mean,
                               momentum * before + (1 - momentum) * x.mean(axis=axes),
                               rtol=1e-5, atol=1e-6)


def test_frozen_batchnorm_runs_in_inference_mode(keras):
    x = data((8, 4, 4, 3)) + 1
    theirs, ours = twins(keras, "BatchNormalization", x)
    theirs.trainable = ours.trainable = False
    before = ours.get_weights()
    assert rel_error(ours(x, training=True), theirs(x, training=True).numpy()) < RTOL
    for a, b in zip(ours.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    assert ours.trainable_weights == []


# ---------------------------------------------------------------------------- configs
LAYERS = [
    lambda: Conv2D(8, (3, 2), strides=2, padding="same", activation="relu", use_bias=False,
                   kernel_regularizer="l2", name="c2"),
    lambda: Conv1D(4, 5, padding="causal", activation="tanh", bias_regularizer="l1"),
    lambda: MaxPooling2D(3, strides=1, padding="same"),
    lambda: AveragePooling2D((2, 3)),
    lambda: MaxPooling1D(4),
    lambda: AveragePooling1D(3, strides=2, padding="same"),
    lambda: GlobalAveragePooling2D(keepdims=True),
    lambda: GlobalMaxPooling2D(),
    lambda: GlobalAveragePooling1D(),
    lambda: GlobalMaxPooling1D(keepdims=True),
    lambda: BatchNormalization(momentum=0.9, epsilon=1e-2, center=False,
                               gamma_regularizer="l2"),
]


@pytest.mark.parametrize("make", LAYERS)
def test_config_round_trips_through_json(make):
    layer = make()
    shape = (2, 9, 8, 3) if "2D" in type(layer).__name__ else (2, 9, 3)
    x = data(shape)
    y = layer(x)
    blob = json.loads(json.dumps(serialization.serialize(layer)))
    twin = serialization.deserialize("layer", blob)
    assert type(twin) is type(layer) and twin.get_config() == layer.get_config()
    twin.build_for(x.shape)
    twin.set_weights(layer.get_weights())
    np.testing.assert_array_equal(twin(x), y)


def test_config_matches_keras_names(keras):
    ours = Conv2D(8, 3).get_config()
    theirs = keras.layers.Conv2D(8, 3).get_config()
    for key in ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                "groups", "use_bias"):
        assert list(np.atleast_1d(ours[key])) == list(np.atleast_1d(theirs[key])), key
    for name, kwargs in [("MaxPooling2D", {}), ("AveragePooling1D", {"pool_size": 3}),
                         ("BatchNormalization", {}), ("GlobalMaxPooling2D", {})]:
        ours = OURS[name](**kwargs).get_config()
        theirs = getattr(keras.layers, name)(**kwargs).get_config()
        shared = {k for k in set(theirs) & set(ours) - {"name", "dtype", "trainable"}
                  if not isinstance(theirs[k], dict)}   # initializers serialize differently
        assert len(shared) >= 2, name
        for key in shared:
            assert json.loads(json.dumps(ours[key])) == json.loads(json.dumps(theirs[key])), key


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("make, match", [
    (lambda: Conv2D(0, 3), r"filters: expected a positive integer, got 0"),
    (lambda: Conv2D(4, (3,)), r"kernel_size: expected .* tuple of 2 positive integers"),
    (lambda: Conv2D(4, 3, strides=0), r"strides: expected a positive integer"),
    (lambda: Conv2D(4, 3, padding="full"), r"padding: expected one of 'valid', 'same', "
                                           r"got 'full'"),
    (lambda: Conv2D(4, 3, padding="causal"), r"padding: expected one of 'valid', 'same'"),
    (lambda: Conv2D(4, 3, data_format="channels_first"),
     r"data_format: redes supports only 'channels_last'.*np.moveaxis\(x, 1, -1\)"),
    (lambda: Conv2D(4, 3, data_format="nhwc"), r"data_format: expected 'channels_last'"),
    (lambda: Conv2D(4, 3, dilation_rate=2), r"dilation_rate: redes supports only 1"),
    (lambda: Conv2D(4, 3, groups=2), r"groups: redes supports only 1"),
    (lambda: Conv1D(4, (3, 3)), r"kernel_size: expected .* tuple of 1 positive integers"),
    (lambda: MaxPooling2D(0), r"pool_size: expected"),
    (lambda: MaxPooling2D(2, strides=(1, 2, 3)), r"strides: expected"),
    (lambda: AveragePooling2D(2, padding="causal"), r"padding: expected"),
    (lambda: GlobalMaxPooling2D(data_format="channels_first"), r"data_format: redes"),
    (lambda: BatchNormalization(momentum=1.5), r"momentum: expected a number in \[0, 1\]"),
    (lambda: BatchNormalization(epsilon=0), r"epsilon: expected a positive number"),
    (lambda: BatchNormalization(axis="last"), r"axis: expected an integer"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_kernel_larger_than_the_input():
    with pytest.raises(ValueError, match=r"kernel_size: \(5, 5\) is larger than the input "
                                         r"\(4, 4\).*padding='valid'.*padding='same'"):
        Conv2D(2, 5)(np.zeros((1, 4, 4, 1), np.float32))
    with pytest.raises(ValueError, match=r"kernel_size: 7 is larger than the input 6"):
        Conv1D(2, 7)(np.zeros((1, 6, 2), np.float32))
    with pytest.raises(ValueError, match=r"pool_size: \(3, 3\) is larger"):
        MaxPooling2D(3)(np.zeros((1, 2, 2, 1), np.float32))
    Conv2D(2, 5, padding="same")(np.zeros((1, 4, 4, 1), np.float32))  # fine with padding


def test_three_dimensional_input_to_conv2d_suggests_a_channel_axis():
    with pytest.raises(ValueError, match=r"x\[\.\.\., None\]") as info:
        Conv2D(4, 3)(np.zeros((5, 28, 28), np.float32))
    assert "Conv2D expects 4D inputs (batch, height, width, channels)" in str(info.value)
    assert "(None, 28, 28)" in str(info.value)
    layer = Conv2D(4, 3)
    layer.build_for((None, 28, 28, 1))
    with pytest.raises(ValueError, match=r"x\[\.\.\., None\]"):
        layer(np.zeros((5, 28, 28), np.float32))
    with pytest.raises(ValueError, match=r"Conv1D\)"):
        MaxPooling2D()(np.zeros((5, 28, 3), np.float32))
    with pytest.raises(ValueError, match=r"Conv1D expects 3D inputs \(batch, steps, channels\)"):
        Conv1D(4, 3)(np.zeros((5, 28, 28, 1), np.float32))
    with pytest.raises(ValueError, match=r"x.reshape\(-1, 28, 28, 1\)"):
        Conv2D(4, 3)(np.zeros((5, 784), np.float32))


def test_channels_first_array_is_recognised():
    layer = Conv2D(4, 3)
    layer.build_for((None, 28, 28, 1))
    with pytest.raises(ValueError, match=r"channels-first.*np.moveaxis\(x, 1, -1\)"):
        layer(np.zeros((2, 1, 28, 28), np.float32))
    # an unbuilt layer meets (n, 1, 28, 28): height 1 cannot hold a 3x3 kernel
    with pytest.raises(ValueError, match=r"channels-first"):
        Conv2D(4, 3)(np.zeros((2, 1, 28, 28), np.float32))
    with pytest.raises(ValueError, match=r"channels-first"):
        MaxPooling2D()(np.zeros((2, 3, 32, 32), np.float32)[:, :1])


def test_sequential_reports_channels_first_data():
    import redes.nn as nn

    model = nn.Sequential([nn.Input(shape=(28, 28, 1)), Conv2D(2, 3), GlobalMaxPooling2D()])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"channels-first"):
        model.predict(np.zeros((2, 1, 28, 28), np.float32), verbose=0)
    # as Keras, images without their channel axis feed an Input whose last axis is 1
    x = np.random.default_rng(0).random((2, 28, 28), np.float32)
    np.testing.assert_array_equal(model.predict(x, verbose=0),
                                  model.predict(x[..., None], verbose=0))


# ------------------------------------------------------------------ training with Keras
def _small_cnn(lib, batchnorm=False):
    L = lib.layers
    conv2d, maxpool, bn = ((Conv2D, MaxPooling2D, BatchNormalization)
                           if lib.__name__.startswith("redes")
                           else (L.Conv2D, L.MaxPooling2D, L.BatchNormalization))
    stack = [lib.Input(shape=(10, 10, 1)),
             conv2d(4, 3, activation="relu"),
             maxpool(),
             # before a BatchNormalization a bias would have a zero gradient: Adam would
             # move it by rounding noise alone
             conv2d(6, 2, strides=2, padding="same", activation="tanh",
                    use_bias=not batchnorm)]
    if batchnorm:
        stack.append(bn(momentum=0.8))
    stack += [L.Flatten(), L.Dense(3, activation="softmax")]
    return lib.Sequential(stack)


@pytest.mark.parametrize("batchnorm", [False, True], ids=["plain", "batchnorm"])
def test_adam_steps_match_keras(keras, batchnorm):
    import redes.nn as nn

    rng = np.random.default_rng(5)
    x = rng.random((24, 10, 10, 1), dtype=np.float32)
    y = rng.integers(0, 3, 24)
    # Keras draws the starting weights: seeded, so that the test checks the same case each
    # run (over 30 draws, 4 end with a first BatchNormalization bias more than 5e-5 apart)
    keras.utils.set_random_seed(0)
    theirs, ours = _small_cnn(keras, batchnorm), _small_cnn(nn, batchnorm)
    ours.set_weights(theirs.get_weights())
    theirs.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    ours.compile(optimizer=nn.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    start = ours.get_weights()
    h_theirs = theirs.fit(x, y, batch_size=24, epochs=5, shuffle=False, verbose=0)
    h_ours = ours.fit(x, y, batch_size=24, epochs=5, shuffle=False, verbose=0)
    np.testing.assert_allclose(h_ours.history["loss"], h_theirs.history["loss"], rtol=RTOL)
    # With BatchNormalization the first bias gets gradients with much cancellation, and
    # both engines end ~1e-5 (relative) away from a float64 run of the same steps.
    tolerance = 5e-5 if batchnorm else RTOL
    for a, b, w0 in zip(ours.get_weights(), theirs.get_weights(), start):
        assert rel_error(a, b) < tolerance
        assert rel_error(a - w0, b - w0) < 1e-3    # the steps themselves agree
    assert rel_error(ours.predict(x, verbose=0), theirs.predict(x, verbose=0)) < RTOL


# ------------------------------------------------------------- accuracy (slow, minutes)
def _train_both(keras, make, x, y, x_test, y_test, epochs, batch_size, seed=0):
    """Train the same recipe with Keras and with redes from the same initial weights, on
    the same batches (no shuffling); return their test accuracies."""
    from threadpoolctl import threadpool_limits

    import redes.nn as nn

    keras.utils.set_random_seed(seed)
    nn.utils.set_random_seed(seed)
    theirs, ours = make(keras), make(nn)
    ours.set_weights(theirs.get_weights())
    accuracies = []
    for model, lib in ((theirs, keras), (ours, nn)):
        model.compile(optimizer=lib.optimizers.Adam(), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        # one BLAS thread: small matrices gain nothing from more, and on a shared machine
        # waiting threads can slow training down many times
        with threadpool_limits(1, user_api="blas"):
            model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=False)
            accuracies.append(model.evaluate(x_test, y_test, verbose=0)[1])
    return accuracies


@pytest.mark.slow
def test_cnn_on_digits_reaches_keras_accuracy(keras):
    from sklearn.datasets import load_digits

    digits = load_digits()
    # 8x8 images scaled to [0, 1] and upsampled to 16x16 (each pixel a 2x2 block)
    x = np.kron(digits.images / 16.0, np.ones((2, 2)))[..., None].astype("float32")
    y = digits.target
    order = np.random.default_rng(0).permutation(len(x))
    train, test = order[:1300], order[1300:]

    def make(lib):
        L = lib.layers
        conv2d, maxpool = ((Conv2D, MaxPooling2D) if lib.__name__.startswith("redes")
                           else (L.Conv2D, L.MaxPooling2D))
        return lib.Sequential([
            lib.Input(shape=(16, 16, 1)),
            conv2d(32, 3, activation="relu"), maxpool(),
            conv2d(64, 3, activation="relu"), maxpool(),
            L.Flatten(), L.Dense(64, activation="relu"), L.Dense(10, activation="softmax"),
        ])

    keras_acc, ours_acc = _train_both(keras, make, x[train], y[train], x[test], y[test],
                                      epochs=12, batch_size=64)
    assert keras_acc > 0.95
    assert abs(ours_acc - keras_acc) <= 0.01, (ours_acc, keras_acc)


@pytest.mark.slow
def test_conv1d_on_mnist1d_reaches_keras_accuracy(keras):
    from mnist1d.data import get_dataset_args, make_dataset

    d = make_dataset(get_dataset_args())
    x, x_test = d["x"][..., None].astype("float32"), d["x_test"][..., None].astype("float32")
    y, y_test = d["y"], d["y_test"]

    def make(lib):
        L = lib.layers
        conv1d, maxpool, gap = ((Conv1D, MaxPooling1D, GlobalAveragePooling1D)
                                if lib.__name__.startswith("redes")
                                else (L.Conv1D, L.MaxPooling1D, L.GlobalAveragePooling1D))
        return lib.Sequential([
            lib.Input(shape=(40, 1)),
            conv1d(32, 5, padding="same", activation="relu"), maxpool(),
            conv1d(64, 3, padding="same", activation="relu"), maxpool(),
            conv1d(64, 3, padding="same", activation="relu"), gap(),
            L.Dense(10, activation="softmax"),
        ])

    keras_acc, ours_acc = _train_both(keras, make, x, y, x_test, y_test, epochs=20,
                                      batch_size=64)
    assert keras_acc > 0.8
    assert abs(ours_acc - keras_acc) <= 0.01, (ours_acc, keras_acc)


def test_relu_runs_in_place_while_training_and_outputs_stay_new():
    import redes.nn as rn

    rng = np.random.default_rng(0)
    x = rng.random((32, 8, 8, 1), dtype=np.float32)
    y = rng.integers(0, 3, 32)
    conv = Conv2D(4, 3, activation="relu")
    model = rn.Sequential([rn.Input(shape=(8, 8, 1)), conv, rn.layers.Flatten(),
                           rn.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    before = model(x[:4])
    copy = before.copy()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert conv.y is conv.z            # ReLU wrote over z: one array less per step
    np.testing.assert_array_equal(before, copy)
    after = conv(x[:4])                # outside training: a new array, ReLU of a kept z
    assert np.shares_memory(after, conv.y) and conv.z is not conv.y and after.min() >= 0


def test_training_reuses_the_large_arrays_but_never_those_it_hands_out():
    # in a training step Conv2D writes its patches (im2col), z and dL/dx, the pooling
    # layers their outputs and dL/dx, BatchNormalization and Dropout theirs, into arrays
    # kept from step to step (Layer.kept): new arrays that large would be new memory pages.
    # Whatever the kept arrays hold, each step computes the same numbers, and what the
    # layers hand out outside training stays as it was
    import redes.nn as rn

    rng = np.random.default_rng(0)
    x = rng.random((16, 9, 9, 1), dtype=np.float32)
    y = rng.integers(0, 3, 16)

    def make():
        return rn.Sequential([
            rn.Input(shape=(9, 9, 1)), Conv2D(4, 3, activation="relu"), MaxPooling2D(),
            Conv2D(5, 2, padding="same"), AveragePooling2D(2, padding="same"),
            BatchNormalization(), rn.layers.Dropout(0.3, seed=1), rn.layers.Flatten(),
            rn.layers.Dense(3, activation="softmax")])

    model, fresh = make(), make()
    fresh.set_weights(model.get_weights())
    for m in (model, fresh):
        m.compile(optimizer=rn.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    before = model.predict(x[:4], verbose=0)
    copy = before.copy()
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)      # two steps
    conv, pool, conv_same, average = model.layers[:4]
    assert {"cols", "z"} <= set(conv._kept) and {"cols", "z", "dx"} <= set(conv_same._kept)
    assert {"out", "winner", "dx"} <= set(pool._kept) and {"out", "dx"} <= set(average._kept)
    batchnorm, dropout = model.layers[4:6]
    assert {"xc", "y", "g_hat", "dx"} <= set(batchnorm._kept)
    assert {"draws", "mask", "y"} <= set(dropout._kept)
    kept = {(i, name): a for i, layer in enumerate(model.layers) for name, a in layer._kept.items()}
    for a in kept.values():
        a[...] = np.nan if a.dtype.kind == "f" else 3
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    fresh.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for ours, theirs in zip(model.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(ours, theirs)
    assert all(a is model.layers[i]._kept[name] for (i, name), a in kept.items())
    np.testing.assert_array_equal(before, copy)
