"""Regularizers: penalties against keras.regularizers, gradients, names, configs, errors.
(Gradient checks: tests/nn/cases/dense.py.)"""

from __future__ import annotations

import inspect
import json
import os

import numpy as np
import pytest

from redes.nn import gradcheck, layers, regularizers

W = np.array([[0.5, -1.5, 0.0], [2.0, -0.25, 3.0]])


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


@pytest.mark.parametrize("make", [
    lambda r: r.L1(), lambda r: r.L2(), lambda r: r.L1(0.3), lambda r: r.L2(l2=0.2),
    lambda r: r.L1L2(), lambda r: r.L1L2(l1=0.1), lambda r: r.L1L2(l2=0.1),
    lambda r: r.L1L2(l1=0.05, l2=0.5),
])
def test_penalty_matches_keras(keras, make):
    ours, theirs = make(regularizers), make(keras.regularizers)
    expected = float(np.asarray(theirs(W)))
    assert ours(W) == pytest.approx(expected, rel=1e-7)
    assert isinstance(ours(W), float)


def test_penalty_values_by_hand():
    assert regularizers.L1(0.1)(W) == pytest.approx(0.1 * 7.25)
    assert regularizers.L2(0.1)(W) == pytest.approx(0.1 * (0.25 + 2.25 + 4 + 0.0625 + 9))
    assert regularizers.L1L2(1.0, 2.0)(W) == pytest.approx(7.25 + 2 * 15.5625)


def test_gradients():
    np.testing.assert_array_equal(regularizers.L1(0.1).gradient(W), 0.1 * np.sign(W))
    np.testing.assert_allclose(regularizers.L2(0.1).gradient(W), 0.2 * W)
    np.testing.assert_allclose(regularizers.L1L2(0.1, 0.3).gradient(W), 0.1 * np.sign(W) + 0.6 * W)
    w32 = W.astype("float32")
    for reg in (regularizers.L1(), regularizers.L2(), regularizers.L1L2(0.1, 0.1)):
        assert reg.gradient(w32).dtype == np.float32
    for reg in (regularizers.L1(0.3), regularizers.L2(0.3), regularizers.L1L2(0.2, 0.4)):
        assert gradcheck.check_regularizer(reg, W + 0.1).max_error < 1e-9


def test_gradient_matches_tensorflow(keras):
    import tensorflow as tf

    w = tf.Variable(W)
    with tf.GradientTape() as tape:
        penalty = keras.regularizers.L1L2(l1=0.05, l2=0.5)(w)
    # Keras stores l1 as float32 (0.05 becomes 0.0500000007): hence rtol 1e-7; at w = 0 both
    # give the subgradient 0
    np.testing.assert_allclose(regularizers.L1L2(l1=0.05, l2=0.5).gradient(W),
                               tape.gradient(penalty, w).numpy(), rtol=1e-7)


@pytest.mark.parametrize("name", ["L1", "L2", "L1L2"])
def test_keras_defaults(keras, name):
    ours = inspect.signature(getattr(regularizers, name)).parameters
    theirs = inspect.signature(getattr(keras.regularizers, name)).parameters
    assert list(ours) == list(theirs)
    assert [p.default for p in ours.values()] == [p.default for p in theirs.values()]


def test_names():
    assert regularizers.get("l1").get_config() == {"l1": 0.01}
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    assert regularizers.get("L2").get_config() == {"l2": 0.01}
    # the name "l1_l2" gives 0.01 for both, as Keras documents it
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert regularizers.l1_l2(l1=0.2).get_config() == {"l1": 0.2, "l2": 0.01}
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.l2(0.5).l2 == 0.5 and regularizers.l1 is regularizers.L1
    assert regularizers.get(None) is None
    reg = regularizers.L2(0.3)
    assert regularizers.get(reg) is reg
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)


@pytest.mark.parametrize("reg", [regularizers.L1(0.2), regularizers.L2(0.001),
                                 regularizers.L1L2(0.1, 0.2), regularizers.L1L2()])
def test_config_round_trip_through_json(reg):
    again = regularizers.deserialize(json.loads(json.dumps(regularizers.serialize(reg))))
    assert type(again) is type(reg) and again.get_config() == reg.get_config()
    assert again(W) == reg(W)


def test_keras_configs_are_understood(keras):
    config = keras.regularizers.serialize(keras.regularizers.L2(0.003))
    reg = regularizers.get(config)
    assert isinstance(reg, regularizers.L2) and reg.l2 == pytest.approx(0.003)
    config = keras.regularizers.serialize(keras.regularizers.L1L2(l1=0.25, l2=0.5))
    assert regularizers.get(config).get_config() == {"l1": 0.25, "l2": 0.5}


def test_dense_regularization_loss():
    layer = layers.Dense(3, kernel_regularizer="l2", bias_regularizer=regularizers.L1(0.5),
                         bias_initializer="ones", dtype="float64")
    layer.build_for((None, 2))
    expected = 0.01 * np.sum(layer.kernel**2) + 0.5 * 3
    assert layer.regularization_loss() == pytest.approx(expected)
    config = json.loads(json.dumps(layer.get_config()))
    again = layers.Dense.from_config(config)
    assert again.kernel_regularizer.get_config() == {"l2": 0.01}
    assert again.bias_regularizer.get_config() == {"l1": 0.5}


@pytest.mark.parametrize("make, match", [
    (lambda: regularizers.L1(-0.1), "l1: expected a non-negative number, got -0.1"),
    (lambda: regularizers.L2("a"), "l2"),
    (lambda: regularizers.L2(float("nan")), "l2"),
    (lambda: regularizers.L1L2(l1=True), "l1"),
    (lambda: regularizers.get("l3"), "regularizer: unknown regularizer 'l3'"),
    (lambda: regularizers.get(0.01), "regularizer"),
    (lambda: regularizers.get({"config": {}}), "class_name"),
])
def test_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_none_factors_mean_zero():
    assert regularizers.L1L2(l1=None, l2=0.1).get_config() == {"l1": 0.0, "l2": 0.1}
