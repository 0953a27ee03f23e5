"""Activations: values and derivatives against Keras 3 (TensorFlow backend), stability at
extreme inputs, float types, names and configs. (Gradient checks: tests/nn/cases/dense.py.)"""

from __future__ import annotations

import inspect
import json
import math
import os
import warnings

import numpy as np
import pytest

from redes.nn import activations, layers
from redes.nn.serialization import names

ALL = names("activation")
KERAS_VALUES = np.array([-50.0, -7.0, -3.0, -2.5, -1.0, -0.3, 0.0, 1e-3, 0.4, 1.0, 2.9, 3.0,
                         5.5, 6.0, 8.0, 40.0])


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def _keras_value_and_grad(fn, x, **params):
    """Keras' f(x) and the derivative TensorFlow's autodiff gives (of sum(f(x)))."""
    import tensorflow as tf

    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt, **params)
    return np.asarray(y), np.asarray(tape.gradient(y, xt))


def test_the_set_is_complete():
    expected = {"linear", "relu", "relu6", "leaky_relu", "elu", "selu", "sigmoid",
                "hard_sigmoid", "log_sigmoid", "tanh", "softmax", "log_softmax", "softplus",
                "softsign", "silu", "hard_silu", "gelu", "mish", "exponential"}
    assert expected <= set(ALL)
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu


@pytest.mark.parametrize("name", [n for n in ALL if n not in ("softmax", "log_softmax")])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_elementwise_parity_with_keras(keras, name, dtype):
    x = KERAS_VALUES.astype(dtype)
    fn = activations.get(name)
    y = fn(x)
    grad = fn.backward(np.ones_like(x), x, y)
    y_keras, grad_keras = _keras_value_and_grad(getattr(keras.activations, name), x)
    # TensorFlow keeps some constants in float32 even for float64 inputs (leaky_relu's 0.2
    # is 0.200000003) and its float64 gelu is accurate to ~2e-7: hence rtol 3e-7 in float64
    rtol, atol = (2e-6, 1e-7) if dtype == "float32" else (3e-7, 1e-12)
    np.testing.assert_allclose(y, y_keras, rtol=rtol, atol=atol)
    # the derivative matches TensorFlow's, kinks included (relu'(0) = 0, selu'(0) = scale...)
    np.testing.assert_allclose(grad, grad_keras, rtol=max(rtol, 1e-5), atol=max(atol, 1e-6))
    assert y.dtype == np.dtype(dtype) and grad.dtype == np.dtype(dtype)


def test_gelu_is_exact():
    x = np.linspace(-6, 6, 49)
    expected = [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x]
    np.testing.assert_allclose(activations.gelu(x), expected, rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_parity_with_keras(keras, name, axis):
    x = np.random.default_rng(0).normal(size=(3, 4, 5)) * 3
    y = getattr(activations, name)(x, axis=axis)
    r = np.random.default_rng(1).normal(size=x.shape)
    import tensorflow as tf

    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        yk = getattr(keras.activations, name)(xt, axis=axis)
        loss = tf.reduce_sum(yk * r)
    np.testing.assert_allclose(y, np.asarray(yk), rtol=1e-12, atol=1e-14)
    grad = getattr(activations, name).backward(r, x, y, axis=axis)
    np.testing.assert_allclose(grad, np.asarray(tape.gradient(loss, xt)), rtol=1e-10,
                               atol=1e-12)


@pytest.mark.parametrize("name, params", [
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 2.0}),
    ("relu", {"threshold": 0.5}),
    ("relu", {"negative_slope": 0.3, "max_value": 2.0, "threshold": -0.5}),
    ("relu", {"max_value": 6.0}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("elu", {"alpha": 0.5}),
    ("gelu", {"approximate": True}),
    ("gelu", {"approximate": False}),
])
def test_parameters_parity_with_keras(keras, name, params):
    x = np.array([-4.0, -1.1, -0.7, -0.2, 0.3, 0.8, 1.7, 2.5, 4.0])
    fn = getattr(activations, name)
    y = fn(x, **params)
    y_keras, grad_keras = _keras_value_and_grad(getattr(keras.activations, name), x, **params)
    np.testing.assert_allclose(y, y_keras, rtol=3e-7, atol=1e-12)  # see above: rtol 3e-7
    np.testing.assert_allclose(fn.backward(np.ones_like(x), x, y, **params), grad_keras,
                               rtol=3e-7, atol=1e-12)


def test_keras_defaults(keras):
    for name in ("relu", "leaky_relu", "elu", "gelu", "softmax", "log_softmax"):
        ours = inspect.signature(getattr(activations, name)).parameters
        theirs = inspect.signature(getattr(keras.activations, name)).parameters
        assert list(ours) == list(theirs), name
        assert [p.default for p in ours.values()] == [p.default for p in theirs.values()], name
    assert inspect.signature(activations.leaky_relu).parameters["negative_slope"].default == 0.2
    assert inspect.signature(activations.gelu).parameters["approximate"].default is False


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_extreme_inputs_are_finite_and_silent(name, dtype):
    x = np.array([-1e30, -1e4, -1000.0, -88.0, 0.0, 88.0, 1000.0, 1e4, 1e30], dtype=dtype)
    fn = activations.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            y = fn(x)
            grad = fn.backward(np.ones_like(x), x, y)
    assert y.dtype == np.dtype(dtype) and grad.dtype == np.dtype(dtype)
    assert not np.any(np.isnan(y)) and not np.any(np.isnan(grad))
    if name != "exponential":  # exp(1000) is inf, as in Keras
        assert np.all(np.isfinite(y[1:-1])) and np.all(np.isfinite(grad[1:-1]))


def test_exact_limits():
    assert activations.sigmoid(np.array([-1000.0]))[0] == 0.0
    assert activations.sigmoid(np.array([1000.0]))[0] == 1.0
    assert activations.softplus(np.array([1000.0]))[0] == 1000.0
    assert activations.softplus(np.array([-1000.0]))[0] == 0.0
    assert activations.log_sigmoid(np.array([-1000.0]))[0] == -1000.0
    p = activations.softmax(np.array([[1e30, 0.0, -1e30], [5e3, 5e3, 5e3]]))
    np.testing.assert_allclose(p, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(activations.log_softmax(np.array([[1000.0, 0.0]])),
                               [[0.0, -1000.0]])
    np.testing.assert_array_equal(activations.elu(np.array([1e4, -1e4])), [1e4, -1.0])


def test_integers_and_lists_become_floatx():
    y = activations.relu([-1, 2, 3])
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, [0, 2, 3])
    assert activations.sigmoid(np.arange(3)).dtype == np.float32


@pytest.mark.parametrize("call, match", [
    (lambda: activations.leaky_relu(np.ones(2), negative_slope="a"), "negative_slope"),
    (lambda: activations.elu(np.ones(2), alpha=np.inf), "alpha"),
    (lambda: activations.relu(np.ones(2), max_value=-1), "max_value"),
    (lambda: activations.softmax(np.ones(2), axis=0.5), "axis"),
    (lambda: activations.gelu(np.ones(2), approximate="yes"), "approximate"),
])
def test_bad_parameters(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_get_and_serialize_round_trip():
    for name in ALL:
        fn = activations.get(name)
        text = json.dumps(activations.serialize(fn))
        assert activations.deserialize(json.loads(text)) is fn
    assert activations.get(None) is activations.linear
    assert activations.get("LeakyReLU".lower()) is activations.leaky_relu
    assert activations.get({"class_name": "function", "config": "tanh"}) is activations.tanh
    assert activations.get(activations.gelu) is activations.gelu


def test_keras_config_names_are_understood(keras):
    layer = keras.layers.Dense(3, activation="leaky_relu")
    config = keras.activations.serialize(layer.activation)
    assert activations.get(config) is activations.leaky_relu
    assert activations.get(keras.activations.serialize(keras.activations.swish)) is \
        activations.silu


def test_unknown_or_unusable_activation():
    with pytest.raises(ValueError, match="activation: unknown activation 'relux'"):
        activations.get("relux")
    with pytest.raises(ValueError, match="backward"):
        activations.get(lambda x: x)


def test_custom_activation_round_trips_once_registered():
    from redes.nn import serialization
    from redes.nn.serialization import register

    def cube_test_only(x):
        return x**3

    cube_test_only.backward = lambda g, x, y: g * 3 * x * x
    assert activations.serialize(cube_test_only) == "cube_test_only"
    with pytest.raises(ValueError, match="unknown activation 'cube_test_only'"):
        activations.deserialize("cube_test_only")
    register("activation")(cube_test_only)
    try:
        assert activations.deserialize("cube_test_only") is cube_test_only
    finally:  # leave the registry as it was for the other tests
        del serialization._REGISTRY["activation"]["cubetestonly"]


def test_layers_use_the_defaults_by_name():
    x = np.array([[-2.0, 0.5]], dtype="float32")
    np.testing.assert_allclose(layers.Activation("leaky_relu")(x), [[-0.4, 0.5]])
    dense = layers.Dense(2, activation="gelu", kernel_initializer="identity")
    np.testing.assert_allclose(dense(x), activations.gelu(x), rtol=1e-6)
    assert dense.get_config()["activation"] == "gelu"
