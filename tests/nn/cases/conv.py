"""Gradient-check cases of the convolutional layers: Conv2D, Conv1D, the pooling layers,
BatchNormalization (training and inference), and small convolutional Sequential models."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from redes.nn import gradcheck, initializers, regularizers

from . import data

F64 = "float64"


def _case(fn, *args, id, **kwargs):
    return pytest.param(functools.partial(fn, *args, **kwargs), id=id)


def _layers():
    from redes.nn.layers import conv, normalization, pooling

    return conv, pooling, normalization


# ------------------------------------------------------------------------- convolutions
def _conv(cls_name, filters=3, seed=0, **kwargs):
    conv, _, _ = _layers()
    kwargs.setdefault("kernel_initializer", initializers.GlorotUniform(seed=30 + seed))
    kwargs.setdefault("bias_initializer", initializers.RandomNormal(stddev=0.3, seed=40 + seed))
    return getattr(conv, cls_name)(filters, dtype=F64, **kwargs)


def _conv_case(cls_name, shape, **kwargs):
    return gradcheck.check_layer(_conv(cls_name, **kwargs), data(shape, seed=11))


_CONV2D = [
    # (kernel_size, strides, padding, use_bias, activation)
    (3, 1, "valid", True, "tanh"),
    (3, 1, "same", True, "tanh"),
    (3, 2, "valid", True, None),
    (3, 2, "same", False, "sigmoid"),
    ((2, 3), (2, 1), "same", True, "tanh"),
    (4, 3, "same", False, None),
    (1, 1, "valid", True, "tanh"),
    (2, 2, "valid", False, "tanh"),
]

CONV_CASES = [
    _case(_conv_case, "Conv2D", (2, 7, 6, 2), kernel_size=k, strides=s, padding=p,
          use_bias=b, activation=a,
          id=f"layer-conv2d-k{k}-s{s}-{p}-{'bias' if b else 'no-bias'}-{a or 'linear'}")
    for k, s, p, b, a in _CONV2D
]
CONV_CASES += [
    _case(_conv_case, "Conv2D", (2, 5, 5, 3), kernel_size=3, padding="same",
          activation="softmax", id="layer-conv2d-softmax"),
    _case(_conv_case, "Conv2D", (2, 5, 5, 2), kernel_size=3, activation="tanh",
          kernel_regularizer=regularizers.L2(0.1), bias_regularizer="l1",
          id="layer-conv2d-regularized"),
    _case(_conv_case, "Conv2D", (1, 4, 4, 1), filters=1, kernel_size=4,
          id="layer-conv2d-kernel-equals-input"),
]

_CONV1D = [
    (3, 1, "valid", True),
    (3, 1, "same", True),
    (3, 2, "same", False),
    (4, 3, "valid", True),
    (4, 2, "causal", True),
    (3, 1, "causal", False),
]

CONV_CASES += [
    _case(_conv_case, "Conv1D", (2, 9, 2), kernel_size=k, strides=s, padding=p, use_bias=b,
          activation="tanh", id=f"layer-conv1d-k{k}-s{s}-{p}-{'bias' if b else 'no-bias'}")
    for k, s, p, b in _CONV1D
]


# ------------------------------------------------------------------------------ pooling
def _pool_case(cls_name, shape, **kwargs):
    _, pooling, _ = _layers()
    layer = getattr(pooling, cls_name)(dtype=F64, **kwargs)
    return gradcheck.check_layer(layer, data(shape, seed=12))


_POOL2D = [
    # (pool_size, strides, padding)
    ((2, 2), None, "valid"),
    ((2, 2), None, "same"),
    (3, 2, "same"),
    (3, 2, "valid"),
    ((2, 3), 1, "valid"),
    ((3, 2), 1, "same"),
    (2, 3, "valid"),
]

POOL_CASES = [
    _case(_pool_case, cls_name, (2, 7, 6, 3), pool_size=ps, strides=st, padding=p,
          id=f"layer-{cls_name.lower()}-p{ps}-s{st}-{p}")
    for cls_name in ("MaxPooling2D", "AveragePooling2D")
    for ps, st, p in _POOL2D
]
POOL_CASES += [
    _case(_pool_case, cls_name, (2, 9, 3), pool_size=ps, strides=st, padding=p,
          id=f"layer-{cls_name.lower()}-p{ps}-s{st}-{p}")
    for cls_name in ("MaxPooling1D", "AveragePooling1D")
    for ps, st, p in [(2, None, "valid"), (3, 2, "same"), (3, 1, "same"), (2, 1, "valid")]
]
POOL_CASES += [
    _case(_pool_case, cls_name, shape, keepdims=keep,
          id=f"layer-{cls_name.lower()}{'-keepdims' if keep else ''}")
    for cls_name, shape in [("GlobalAveragePooling2D", (2, 4, 3, 3)),
                            ("GlobalMaxPooling2D", (2, 4, 3, 3)),
                            ("GlobalAveragePooling1D", (3, 5, 2)),
                            ("GlobalMaxPooling1D", (3, 5, 2))]
    for keep in (False, True)
]


# ------------------------------------------------------------------- batch normalization
def _bn(**kwargs):
    _, _, normalization = _layers()
    kwargs.setdefault("gamma_initializer", initializers.RandomNormal(1.0, 0.3, seed=50))
    kwargs.setdefault("beta_initializer", initializers.RandomNormal(stddev=0.3, seed=51))
    kwargs.setdefault("moving_mean_initializer", initializers.RandomNormal(stddev=0.5, seed=52))
    kwargs.setdefault("moving_variance_initializer",
                      initializers.RandomUniform(0.5, 2.0, seed=53))
    return normalization.BatchNormalization(dtype=F64, **kwargs)


def _bn_case(shape, training=True, **kwargs):
    return gradcheck.check_layer(_bn(**kwargs), data(shape, seed=13), training=training)


BN_CASES = [
    _case(_bn_case, (4, 3, 3, 2), id="layer-batchnorm-training-images"),
    _case(_bn_case, (6, 4), id="layer-batchnorm-training-dense"),
    _case(_bn_case, (5, 7, 3), id="layer-batchnorm-training-sequences"),
    _case(_bn_case, (4, 3, 5), axis=1, id="layer-batchnorm-training-axis1"),
    _case(_bn_case, (6, 4), center=False, id="layer-batchnorm-training-no-center"),
    _case(_bn_case, (6, 4), scale=False, id="layer-batchnorm-training-no-scale"),
    _case(_bn_case, (6, 4), scale=False, center=False, id="layer-batchnorm-training-bare"),
    _case(_bn_case, (6, 4), momentum=0.5, epsilon=0.1, id="layer-batchnorm-training-eps"),
    _case(_bn_case, (6, 4), gamma_regularizer=regularizers.L2(0.2), beta_regularizer="l1",
          id="layer-batchnorm-training-regularized"),
    _case(_bn_case, (4, 3, 3, 2), training=False, id="layer-batchnorm-inference-images"),
    _case(_bn_case, (6, 4), training=False, id="layer-batchnorm-inference-dense"),
    _case(_bn_case, (6, 4), training=True, trainable=False,
          id="layer-batchnorm-frozen-runs-inference"),
]


# ------------------------------------------------------------------------------ models
def _model(stack, x_shape, loss="categorical_crossentropy", y=None):
    from redes.nn import Input, Sequential

    model = Sequential([Input(shape=x_shape[1:]), *stack])
    model.compile(optimizer="sgd", loss=loss)
    if y is None:
        y = np.eye(3)[np.arange(x_shape[0]) % 3]
    return gradcheck.check_model(model, data(x_shape, seed=14), y)


def _dense(units, seed, **kwargs):
    from redes.nn.layers import Dense

    return Dense(units, dtype=F64, kernel_initializer=initializers.GlorotUniform(seed=60 + seed),
                 bias_initializer=initializers.RandomNormal(stddev=0.3, seed=70 + seed),
                 **kwargs)


def _cnn():
    from redes.nn.layers import Flatten

    _, pooling, _ = _layers()
    stack = [_conv("Conv2D", 4, seed=1, kernel_size=3, activation="tanh"),
             pooling.MaxPooling2D(dtype=F64),
             _bn(),
             _conv("Conv2D", 3, seed=2, kernel_size=2, strides=2, padding="same",
                   activation="tanh", kernel_regularizer=regularizers.L2(0.01)),
             Flatten(dtype=F64),
             _dense(3, seed=1, activation="softmax")]
    return _model(stack, (3, 8, 8, 1))


def _cnn1d():
    _, pooling, _ = _layers()
    stack = [_conv("Conv1D", 4, seed=3, kernel_size=3, padding="causal", activation="tanh"),
             pooling.AveragePooling1D(2, dtype=F64),
             _conv("Conv1D", 5, seed=4, kernel_size=2, activation="tanh"),
             pooling.GlobalMaxPooling1D(dtype=F64),
             _dense(3, seed=2, activation="softmax")]
    return _model(stack, (3, 10, 2))


def _cnn_gap():
    _, pooling, _ = _layers()
    stack = [_conv("Conv2D", 3, seed=5, kernel_size=3, padding="same", activation="tanh"),
             _bn(axis=-1, center=False),
             pooling.AveragePooling2D(3, strides=2, padding="same", dtype=F64),
             pooling.GlobalAveragePooling2D(dtype=F64),
             _dense(2, seed=3)]
    return _model(stack, (4, 6, 5, 2), loss="mse", y=data((4, 2), seed=15))


MODEL_CASES = [
    _case(_cnn, id="model-cnn-conv2d-maxpool-batchnorm-softmax"),
    _case(_cnn1d, id="model-cnn-conv1d-causal-avgpool-globalmax"),
    _case(_cnn_gap, id="model-cnn-conv2d-batchnorm-gap-mse"),
]

CASES = CONV_CASES + POOL_CASES + BN_CASES + MODEL_CASES
