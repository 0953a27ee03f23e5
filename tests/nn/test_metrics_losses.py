"""The metrics that average a loss function (Keras lists them among its metrics) equal
Keras' on random inputs with sample weights, by class and by name, and in a model's history."""

from __future__ import annotations

import os

import numpy as np
import pytest

import redes.nn as rn

CLASSES = ["MeanSquaredLogarithmicError", "LogCoshError", "KLDivergence", "Poisson", "Hinge",
           "SquaredHinge", "CategoricalHinge", "CosineSimilarity"]


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def _data(name, rng):
    y_pred = rng.uniform(0.05, 1.0, (12, 4)).astype("float32")
    if name.endswith("Hinge"):
        y_true = rng.choice([-1.0, 1.0], (12, 4)).astype("float32")
        if name == "CategoricalHinge":
            y_true = np.eye(4, dtype="float32")[rng.integers(0, 4, 12)]
    elif name in ("KLDivergence", "Poisson"):
        y_true = rng.uniform(0.05, 1.0, (12, 4)).astype("float32")
    else:
        y_true = rng.normal(size=(12, 4)).astype("float32")
    return y_true, y_pred, rng.uniform(0, 2, 12).astype("float32")


@pytest.mark.parametrize("name", CLASSES)
def test_loss_metrics_equal_keras(keras, name):
    y_true, y_pred, weights = _data(name, np.random.default_rng(0))
    ours, theirs = getattr(rn.metrics, name)(), getattr(keras.metrics, name)()
    assert ours.name == theirs.name
    for metric in (ours, theirs):
        metric.update_state(y_true[:6], y_pred[:6], sample_weight=weights[:6])
        metric.update_state(y_true[6:], y_pred[6:])
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=1e-5)
    assert set(theirs.get_config()) <= set(ours.get_config())   # ours keeps axis too


def test_names_in_compile_give_keras_history(keras):
    names = ["kl_divergence", "poisson", "cosine_similarity", "log_cosh_error", "msle"]
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(16, 3)).astype("float32"), rng.uniform(0.1, 1, (16, 2))
    keras.utils.set_random_seed(0)
    start = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).get_weights()
    histories = []
    for lib in (keras, rn):
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2, activation="softmax")])
        model.set_weights(start)
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse", metrics=names)
        histories.append(model.fit(x, y.astype("float32"), batch_size=8, epochs=2, verbose=0,
                                   shuffle=False).history)
    theirs, ours = histories
    assert sorted(ours) == sorted(theirs)
    for key in names:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5)
