"""Gradient-check cases of the dense building blocks: every activation, every regularizer,
the layers of ``redes.nn.layers.core`` (Dense, Activation, Dropout, Flatten, Reshape) and
small Sequential models made of them."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from redes.nn import gradcheck, initializers, layers, regularizers
from redes.nn.serialization import names

from . import data

F64 = "float64"
ACTIVATIONS = names("activation")  # every registered activation gets its cases


def _case(fn, *args, id, **kwargs):
    return pytest.param(functools.partial(fn, *args, **kwargs), id=id)


# ------------------------------------------------------------------------- activations
def _activation(name, x=None, **params):
    x = data((3, 6), seed=1) if x is None else x
    return gradcheck.check_activation(name, x, **params)


# inputs that keep relu's kinks (0, the threshold and the cap) out of reach of the step
_KINKY = np.array([[-2.1, -1.2, -0.65, -0.3, 0.2, 0.45], [0.7, 1.1, 1.6, 2.4, -0.9, 3.3]])

_ACTIVATION_VARIANTS = [
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 2.0}),
    ("relu", {"threshold": 0.5}),
    ("relu", {"negative_slope": 0.3, "max_value": 2.0, "threshold": -0.5}),
    ("relu", {"threshold": 1.0, "max_value": 3.0}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("elu", {"alpha": 0.5}),
    ("gelu", {"approximate": True}),
    ("softmax", {"axis": 0}),
    ("log_softmax", {"axis": 0}),
]

ACTIVATION_CASES = [_case(_activation, name, id=f"activation-{name}") for name in ACTIVATIONS]
ACTIVATION_CASES += [
    _case(_activation, name, _KINKY, id=f"activation-{name}-"
          + "-".join(f"{k}={v}" for k, v in params.items()), **params)
    for name, params in _ACTIVATION_VARIANTS
]


# ------------------------------------------------------------------------ regularizers
def _regularizer(reg):
    return gradcheck.check_regularizer(reg, data((4, 3), seed=2))


REGULARIZER_CASES = [
    _case(_regularizer, "l1", id="regularizer-l1"),
    _case(_regularizer, "l2", id="regularizer-l2"),
    _case(_regularizer, "l1_l2", id="regularizer-l1_l2"),
    _case(_regularizer, regularizers.L1(0.3), id="regularizer-L1-0.3"),
    _case(_regularizer, regularizers.L2(0.2), id="regularizer-L2-0.2"),
    _case(_regularizer, regularizers.L1L2(l1=0.05, l2=0.5), id="regularizer-L1L2-0.05-0.5"),
]


# ------------------------------------------------------------------------------ layers
def _dense(units=3, seed=0, **kwargs):
    kwargs.setdefault("kernel_initializer", initializers.GlorotUniform(seed=10 + seed))
    kwargs.setdefault("bias_initializer", initializers.RandomNormal(stddev=0.3, seed=20 + seed))
    return layers.Dense(units, dtype=F64, **kwargs)


def _dense_case(shape=(4, 5), training=False, **kwargs):
    return gradcheck.check_layer(_dense(**kwargs), data(shape, seed=3), training=training)


def _layer_case(make, shape, training=False, seed=4):
    return gradcheck.check_layer(make(), data(shape, seed=seed), training=training)


LAYER_CASES = [
    _case(_dense_case, activation=name, id=f"layer-dense-{name}") for name in ACTIVATIONS
]
LAYER_CASES += [
    _case(_dense_case, activation="tanh", use_bias=False, id="layer-dense-tanh-no-bias"),
    _case(_dense_case, activation="relu", use_bias=False, id="layer-dense-relu-no-bias"),
    _case(_dense_case, units=1, activation="sigmoid", id="layer-dense-1-unit-sigmoid"),
    _case(_dense_case, shape=(2, 3, 5), activation="tanh", id="layer-dense-3d-input"),
    _case(_dense_case, shape=(2, 3, 5), activation="softmax", id="layer-dense-3d-softmax"),
    _case(_dense_case, activation="relu", kernel_regularizer="l2", id="layer-dense-l2-kernel"),
    _case(_dense_case, activation="tanh", kernel_regularizer=regularizers.L1(0.1),
          id="layer-dense-l1-kernel"),
    _case(_dense_case, activation="sigmoid", kernel_regularizer="l1_l2",
          bias_regularizer=regularizers.L2(0.5), id="layer-dense-l1_l2-kernel-l2-bias"),
    _case(_dense_case, kernel_regularizer=regularizers.L1L2(l1=0.2, l2=0.3),
          bias_regularizer="l1", id="layer-dense-linear-regularized"),
    _case(_dense_case, activation="elu", trainable=False, id="layer-dense-frozen"),
]
LAYER_CASES += [
    _case(_layer_case, functools.partial(layers.Activation, name, dtype=F64), (4, 5),
          id=f"layer-activation-{name}")
    for name in ACTIVATIONS
]
LAYER_CASES += [
    _case(_layer_case, lambda: layers.Dropout(0.4, seed=5, dtype=F64), (6, 5), training=True,
          id="layer-dropout-training"),
    _case(_layer_case, lambda: layers.Dropout(0.4, dtype=F64), (6, 5), training=True,
          id="layer-dropout-training-global-rng"),
    _case(_layer_case, lambda: layers.Dropout(0.4, seed=5, dtype=F64), (6, 5),
          id="layer-dropout-inference"),
    _case(_layer_case, lambda: layers.Dropout(0.0, dtype=F64), (6, 5), training=True,
          id="layer-dropout-rate-0"),
    _case(_layer_case, lambda: layers.Flatten(dtype=F64), (2, 3, 4), id="layer-flatten"),
    _case(_layer_case, lambda: layers.Flatten(dtype=F64), (2, 3, 2, 2), id="layer-flatten-4d"),
    _case(_layer_case, lambda: layers.Reshape((3, 4), dtype=F64), (2, 12), id="layer-reshape"),
    _case(_layer_case, lambda: layers.Reshape((-1, 2), dtype=F64), (2, 3, 4),
          id="layer-reshape-minus-one"),
]


# ------------------------------------------------------------------------------ models
def _model(stack, loss, x_shape, y, sample_weight=None):
    from redes.nn import Input, Sequential

    model = Sequential([Input(shape=x_shape[1:]), *stack])
    model.compile(optimizer="sgd", loss=loss)
    return gradcheck.check_model(model, data(x_shape, seed=6), y, sample_weight=sample_weight)


def _classifier(loss="categorical_crossentropy", sparse=False, sample_weight=None):
    labels = np.array([0, 2, 1, 2, 0])
    y = labels if sparse else np.eye(3)[labels]
    stack = [_dense(4, seed=1, activation="tanh", kernel_regularizer=regularizers.L2(0.05)),
             layers.Dropout(0.3, seed=7, dtype=F64),
             _dense(3, seed=2, activation="softmax")]
    return _model(stack, loss, (5, 6), y, sample_weight)


def _binary(sample_weight=None):
    y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    stack = [_dense(4, seed=3, activation="gelu", bias_regularizer="l1"),
             _dense(1, seed=4, activation="sigmoid")]
    return _model(stack, "binary_crossentropy", (5, 3), y, sample_weight)


def _regression():
    y = data((5, 2), seed=8)
    stack = [_dense(4, seed=5, activation="softplus", kernel_regularizer="l1_l2"),
             layers.Reshape((2, 2), dtype=F64), layers.Flatten(dtype=F64),
             _dense(2, seed=6)]
    return _model(stack, "mse", (5, 3), y)


MODEL_CASES = [
    _case(_classifier, id="model-dense-softmax-cce-l2-dropout"),
    _case(_classifier, "sparse_categorical_crossentropy", sparse=True,
          id="model-dense-softmax-sparse-cce"),
    _case(_classifier, sample_weight=np.array([1.0, 0.5, 2.0, 0.0, 1.5]),
          id="model-dense-softmax-cce-sample-weight"),
    _case(_binary, id="model-dense-sigmoid-bce"),
    _case(_binary, sample_weight=np.array([0.2, 1.0, 3.0, 1.0, 0.5]),
          id="model-dense-sigmoid-bce-sample-weight"),
    _case(_regression, id="model-dense-mse-reshape-flatten"),
]

CASES = ACTIVATION_CASES + REGULARIZER_CASES + LAYER_CASES + MODEL_CASES
