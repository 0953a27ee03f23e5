"""The layers of redes.nn.layers.core: forward parity with keras.layers on the same weights,
shapes, configs (JSON round trip) and errors. (Gradient checks: tests/nn/cases/dense.py.)"""

from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest

from redes.nn import backend, initializers, layers, regularizers
from redes.nn.serialization import names

RNG = np.random.default_rng(0)
X2 = RNG.normal(size=(5, 4)).astype("float32")
X3 = RNG.normal(size=(2, 3, 4)).astype("float32")
X4 = RNG.normal(size=(2, 3, 2, 4)).astype("float32")


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def _same_weights(ours, theirs, x):
    """Build both layers on x and copy our (random) weights into the Keras one."""
    ours(x)
    theirs(x)
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    theirs.set_weights(ours.get_weights())


# --------------------------------------------------------------------------------- Dense
@pytest.mark.parametrize("activation", names("activation"))
@pytest.mark.parametrize("x", [X2, X3], ids=["2d", "3d"])
def test_dense_parity_with_keras(keras, activation, x):
    ours = layers.Dense(3, activation=activation,
                        bias_initializer=initializers.RandomNormal(seed=1))
    theirs = keras.layers.Dense(3, activation=activation)
    _same_weights(ours, theirs, x)
    y = ours(x)
    assert y.shape == (*x.shape[:-1], 3) and y.dtype == np.float32
    np.testing.assert_allclose(y, np.asarray(theirs(x)), rtol=2e-5, atol=2e-6)


def test_dense_without_bias_and_float64(keras):
    ours = layers.Dense(6, use_bias=False, dtype="float64")
    theirs = keras.layers.Dense(6, use_bias=False, dtype="float64")
    x = X2.astype("float64")
    _same_weights(ours, theirs, x)
    assert len(ours.weights) == 1 and ours.kernel.shape == (4, 6)
    y = ours(x)
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, np.asarray(theirs(x)), rtol=1e-12)


def test_dense_weights_layout_and_defaults():
    layer = layers.Dense(7)
    layer.build_for((None, 5))
    kernel, bias = layer.get_weights()
    assert kernel.shape == (5, 7) and bias.shape == (7,)      # Keras' layout: (in, out)
    assert layer.count_params() == 5 * 7 + 7
    np.testing.assert_array_equal(bias, 0)
    assert np.abs(kernel).max() <= np.sqrt(6 / 12)            # glorot_uniform
    assert layer.output_shape == (None, 7) and layer.input_shape == (None, 5)
    # the weights as Keras lists them (Variables), holding the arrays the layer computes with
    assert [w.path for w in layer.trainable_weights] == [f"{layer.name}/kernel",
                                                          f"{layer.name}/bias"]
    assert [w.value is v for w, v in zip(layer.trainable_weights, [layer.kernel, layer.bias])] \
        == [True, True]


def test_dense_set_weights_from_keras(keras):
    theirs = keras.layers.Dense(4, activation="relu")
    theirs(X2)
    ours = layers.Dense(4, activation="relu")
    ours(X2)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(X2), np.asarray(theirs(X2)), rtol=2e-5, atol=2e-6)


def test_dense_config_matches_keras_keys(keras):
    ours = layers.Dense(3, activation="relu", kernel_regularizer="l2").get_config()
    theirs = keras.layers.Dense(3, activation="relu", kernel_regularizer="l2").get_config()
    for key in ("name", "trainable", "units", "activation", "use_bias", "kernel_initializer",
                "bias_initializer", "kernel_regularizer", "bias_regularizer"):
        assert key in ours and key in theirs
    for key in ("units", "activation", "use_bias"):
        assert ours[key] == theirs[key]
    assert ours["kernel_initializer"]["class_name"] == theirs["kernel_initializer"]["class_name"]
    assert ours["kernel_regularizer"]["config"] == pytest.approx(
        theirs["kernel_regularizer"]["config"])


def test_dense_accepts_a_keras_config(keras):
    config = keras.layers.Dense(3, activation="tanh", kernel_initializer="he_normal",
                                kernel_regularizer=keras.regularizers.L1(0.5)).get_config()
    config = {k: config[k] for k in ("name", "units", "activation", "use_bias",
                                     "kernel_initializer", "bias_initializer",
                                     "kernel_regularizer", "bias_regularizer")}
    layer = layers.Dense.from_config(config)
    assert isinstance(layer.kernel_initializer, initializers.HeNormal)
    assert isinstance(layer.kernel_regularizer, regularizers.L1)
    assert layer.kernel_regularizer.l1 == pytest.approx(0.5)


# --------------------------------------------------------------------- the other layers
@pytest.mark.parametrize("activation", names("activation"))
def test_activation_parity_with_keras(keras, activation):
    ours = layers.Activation(activation)
    theirs = keras.layers.Activation(activation)
    np.testing.assert_allclose(ours(X3), np.asarray(theirs(X3)), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("x, target", [(X2, (2, 2)), (X3, (12,)), (X3, (4, 3)), (X3, (-1, 2)),
                                       (X4, (6, -1)), (X4, (2, 2, 2, 3))])
def test_reshape_parity_with_keras(keras, x, target):
    ours = layers.Reshape(target)
    y = ours(x)
    np.testing.assert_array_equal(y, np.asarray(keras.layers.Reshape(target)(x)))
    assert ours.output_shape == keras.layers.Reshape(target).compute_output_shape(
        (None, *x.shape[1:]))


@pytest.mark.parametrize("x", [X2, X3, X4, X2[:, 0]])
def test_flatten_parity_with_keras(keras, x):
    ours = layers.Flatten()
    y = ours(x)
    np.testing.assert_array_equal(y, np.asarray(keras.layers.Flatten()(x)))
    assert ours.output_shape == keras.layers.Flatten().compute_output_shape(
        (None, *x.shape[1:]))


def test_dropout_inference_is_identity(keras):
    layer = layers.Dropout(0.5)
    np.testing.assert_array_equal(layer(X3), X3)
    np.testing.assert_array_equal(layer(X3), np.asarray(keras.layers.Dropout(0.5)(X3)))


def test_dropout_training_statistics():
    x = np.ones((200, 500), dtype="float32")
    y = layers.Dropout(0.3, seed=1)(x, training=True)
    kept = y != 0
    assert kept.mean() == pytest.approx(0.7, abs=0.005)
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)   # survivors scaled by 1/(1-rate)
    assert y.mean() == pytest.approx(1.0, abs=0.01)            # the expected value is kept
    assert y.dtype == np.float32


def test_dropout_randomness():
    a = layers.Dropout(0.5, seed=3)
    b = layers.Dropout(0.5, seed=3)
    first = a(X3, training=True)
    np.testing.assert_array_equal(first, b(X3, training=True))   # same seed, same masks
    assert not np.array_equal(first, a(X3, training=True))       # a new mask each call
    backend.set_random_seed(9)
    c = layers.Dropout(0.5)(X3, training=True)
    backend.set_random_seed(9)
    np.testing.assert_array_equal(c, layers.Dropout(0.5)(X3, training=True))


def test_dropout_backward_uses_the_mask():
    layer = layers.Dropout(0.4, seed=2)
    y = layer(X2, training=True)
    grad = layer.backward(np.ones_like(X2))
    np.testing.assert_allclose(grad * X2, y, rtol=1e-6)         # dy/dx = mask / (1 - rate)


def test_input_is_a_symbolic_tensor_as_in_keras():
    inp = layers.Input(shape=(28, 28), name="pixels")
    assert inp.shape == (None, 28, 28)
    assert inp.dtype == "float32" and inp.name == "pixels"
    assert layers.Input((3,), dtype="int32").dtype == "int32"
    assert layers.Input(batch_shape=(8, 3)).shape == (8, 3)
    assert layers.InputLayer(shape=(3,)).get_config()["shape"] == [3]


# ------------------------------------------------------------------------------ configs
def _examples():
    return [
        layers.Dense(4, activation="softmax", use_bias=False, kernel_initializer="he_uniform",
                     kernel_regularizer=regularizers.L1L2(0.1, 0.2), name="out"),
        layers.Dense(2, bias_regularizer="l1", dtype="float64", trainable=False),
        layers.Dense(3, input_shape=(5,)),
        layers.Activation("leaky_relu"),
        layers.Dropout(0.25, seed=4),
        layers.Flatten(),
        layers.Reshape((-1, 2)),
        layers.InputLayer(shape=(3, 4)),
    ]


@pytest.mark.parametrize("layer", _examples(), ids=lambda layer: type(layer).__name__)
def test_config_round_trip_through_json(layer):
    config = json.loads(json.dumps(layer.get_config()))
    again = type(layer).from_config(config)
    assert again.get_config() == layer.get_config()
    if not isinstance(layer, layers.InputLayer):
        x = np.ones((2, 12), dtype=layer.dtype) if not isinstance(layer, layers.Dense) else \
            np.ones((2, 5), dtype=layer.dtype)
        if isinstance(layer, layers.Dense):
            layer(x)
            again(x)
            again.set_weights(layer.get_weights())
        np.testing.assert_array_equal(again(x), layer(x))


def test_layer_names_are_numbered():
    first, second = layers.Flatten(), layers.Flatten()
    assert first.name.startswith("flatten") and second.name != first.name
    assert layers.Dense(2, name="hidden").name == "hidden"


# ------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("make, match", [
    (lambda: layers.Dense(0), "units: expected a positive integer, got 0"),
    (lambda: layers.Dense("3"), "units"),
    (lambda: layers.Dense(2.5), "units"),
    (lambda: layers.Dense(3, activation="relux"), "activation: unknown activation 'relux'"),
    (lambda: layers.Dense(3, kernel_initializer="glorot"), "initializer"),
    (lambda: layers.Dense(3, kernel_regularizer="l3"), "regularizer"),
    (lambda: layers.Dropout(1.5), r"rate: expected a number in \[0, 1\), got 1.5"),
    (lambda: layers.Dropout(-0.1), "rate"),
    (lambda: layers.Dropout("a"), "rate"),
    (lambda: layers.Dropout(0.5, seed=-1), "seed"),
    (lambda: layers.Dropout(0.5, seed="a"), "seed"),
    (lambda: layers.Reshape((0, 2)), "target_shape"),
    (lambda: layers.Reshape((-1, -1)), "target_shape"),
    (lambda: layers.Reshape("ab"), "target_shape"),
    (lambda: layers.Input(), "shape"),
    (lambda: layers.Input(shape=(0,)), "shape"),
    (lambda: layers.Dense(3, name=""), "name"),
    (lambda: layers.Dense(3, dtype="int32"), "dtype"),
])
def test_constructor_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_unknown_argument():
    with pytest.raises(TypeError, match="kernel_init"):
        layers.Dense(3, kernel_init="zeros")


def test_shape_errors():
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape((5, 5))(X2)
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape((-1, 3))(X2)
    dense = layers.Dense(3)
    dense(X2)
    with pytest.raises(ValueError, match=r"x: layer 'dense\w*' expects inputs of shape "
                                         r"\(None, 4\), got an array of shape \(5, 3\)"):
        dense(X2[:, :3])
    with pytest.raises(ValueError, match="weights: .* expects 2 arrays"):
        dense.set_weights([np.zeros((4, 3))])
    with pytest.raises(ValueError, match=r"expects shape \(4, 3\), got \(3, 4\)"):
        dense.set_weights([np.zeros((3, 4)), np.zeros(3)])
    with pytest.raises(ValueError, match="NaN"):
        dense.set_weights([np.full((4, 3), np.nan), np.zeros(3)])


@pytest.mark.parametrize("cls, expected", [
    ("Conv2D", "conv2d"), ("GlobalMaxPooling1D", "global_max_pooling1d"),
    ("BatchNormalization", "batch_normalization"), ("LSTM", "lstm"),
    ("SimpleRNN", "simple_rnn"), ("KLDivergence", "kl_divergence"), ("MLPBlock", "mlp_block"),
    ("Conv2DTranspose", "conv2d_transpose"), ("ResNet50V2", "res_net50v2"),
    ("CategoricalTruePositives", "categorical_true_positives"), ("ABcDe", "a_bc_de")])
def test_default_names_are_keras_names(cls, expected):
    """The values are what keras.src.utils.naming.to_snake_case gives (Keras 3.15): layers,
    losses, metrics and models take these names, so get_layer("conv2d") and history keys
    read as in Keras."""
    from redes.nn.serialization import snake_case

    assert snake_case(cls) == expected
    layer = type(cls, (layers.Layer,), {})()
    assert re.fullmatch(re.escape(expected) + r"(_\d+)?", layer.name)
