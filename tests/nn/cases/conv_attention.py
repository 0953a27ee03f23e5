"""Gradient-check cases of the transposed, depthwise and separable convolutions and of
MultiHeadAttention (in float64 functional models: self-attention with dropout, cross-attention
with a key, causal mask with the scores as an output, the padding mask of an Embedding)."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from redes.nn import gradcheck, initializers

from . import data

F64 = "float64"


def _case(fn, *args, id, **kwargs):
    return pytest.param(functools.partial(fn, *args, **kwargs), id=id)


def _conv(cls_name, shape, *args, seed=0, **kwargs):
    from redes.nn import layers

    if "Depthwise" in cls_name or "Separable" in cls_name:
        kwargs.setdefault("depthwise_initializer", initializers.GlorotUniform(seed=50 + seed))
        if "Separable" in cls_name:
            kwargs.setdefault("pointwise_initializer",
                              initializers.GlorotUniform(seed=51 + seed))
    else:
        kwargs.setdefault("kernel_initializer", initializers.GlorotUniform(seed=52 + seed))
    kwargs.setdefault("bias_initializer", initializers.RandomNormal(stddev=0.3, seed=53 + seed))
    layer = getattr(layers, cls_name)(*args, dtype=F64, **kwargs)
    return gradcheck.check_layer(layer, data(shape, seed=17 + seed))


def _dense(layers, units, seed, **kwargs):
    return layers.Dense(units, dtype=F64, **kwargs,
                        kernel_initializer=initializers.GlorotUniform(seed=60 + seed),
                        bias_initializer=initializers.RandomNormal(stddev=0.3, seed=61 + seed))


def _mha(layers, *args, seed=0, **kwargs):
    # no biases: the key's bias has gradient 0 exactly (softmax ignores a shift of a row),
    # which a numerical check cannot tell from rounding; tests/nn/test_conv_attention.py
    # checks the other biases
    return layers.MultiHeadAttention(
        *args, dtype=F64, use_bias=False, **kwargs,
        kernel_initializer=initializers.GlorotUniform(seed=70 + seed))


def _check(inputs, outputs, x, training=False):
    from redes.nn import Model

    model = Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    y = np.random.default_rng(3).normal(size=(len(x), outputs.shape[-1]))
    return gradcheck.check_model(model, x, y, training=training)


def _self_attention_dropout():
    from redes.nn import Input, layers

    x = Input((4, 3), dtype=F64)
    h = _dense(layers, 3, 0)(x)
    out = _mha(layers, 2, 2, dropout=0.3, seed=5)(h, h)
    return _check(x, _dense(layers, 2, 1)(layers.Flatten(dtype=F64)(out)),
                  data((3, 4, 3), seed=1), training=True)


def _cross_attention_key():
    from redes.nn import Input, layers

    x = Input((6, 4), dtype=F64)
    other = layers.Reshape((3, 8), dtype=F64)(x)
    query, value = _dense(layers, 4, 0)(x), _dense(layers, 3, 1)(other)
    key = layers.Dense(5, use_bias=False, dtype=F64,   # a bias before the key: gradient 0
                       kernel_initializer=initializers.GlorotUniform(seed=62))(other)
    out = _mha(layers, 2, 3, value_dim=2, output_shape=3)(query, value, key=key)
    return _check(x, _dense(layers, 2, 3)(layers.Flatten(dtype=F64)(out)),
                  data((3, 6, 4), seed=2))


def _causal_scores():
    from redes.nn import Input, layers

    x = Input((4, 3), dtype=F64)
    h = _dense(layers, 3, 0)(x)
    out, scores = _mha(layers, 2, 2)(h, h, use_causal_mask=True,
                                     return_attention_scores=True)
    # the masked probabilities are 0: a Dense over the last axis (rather than Flatten) has
    # no weight whose gradient is 0 then
    joined = layers.Concatenate(dtype=F64)([
        layers.Flatten(dtype=F64)(out),
        layers.Flatten(dtype=F64)(_dense(layers, 2, 2)(scores))])
    return _check(x, _dense(layers, 2, 1)(joined), data((3, 4, 3), seed=3))


def _padding_mask():
    from redes.nn import Input, layers

    ids = Input((5,), dtype=F64)            # token ids as whole numbers in float64
    e = layers.Embedding(7, 4, mask_zero=True, dtype=F64,
                         embeddings_initializer=initializers.RandomUniform(-1, 1, seed=8))(ids)
    out = _mha(layers, 2, 3)(e, e)
    x = np.array([[3, 1, 4, 0, 0], [5, 2, 6, 1, 3], [2, 0, 0, 0, 0]])
    return _check(ids, _dense(layers, 2, 1)(layers.Flatten(dtype=F64)(out)), x)


CASES = [
    _case(_conv, "Conv2DTranspose", (2, 3, 4, 2), 3, 3, strides=2, padding="same",
          activation="tanh", id="layer-conv2dtranspose-s2-same"),
    _case(_conv, "Conv2DTranspose", (2, 3, 2, 2), 2, (3, 2), strides=(2, 3),
          output_padding=(1, 2), id="layer-conv2dtranspose-valid-output-padding"),
    _case(_conv, "Conv1DTranspose", (2, 4, 2), 2, 4, strides=3, padding="same",
          use_bias=False, id="layer-conv1dtranspose-s3-same"),
    _case(_conv, "DepthwiseConv2D", (2, 5, 5, 3), 3, strides=2, padding="same",
          depth_multiplier=2, activation="tanh", id="layer-depthwiseconv2d-s2-same-dm2"),
    _case(_conv, "DepthwiseConv1D", (2, 5, 2), 2, id="layer-depthwiseconv1d-valid"),
    _case(_conv, "SeparableConv2D", (2, 5, 4, 3), 4, 3, depth_multiplier=2,
          activation="tanh", id="layer-separableconv2d-valid-dm2"),
    _case(_conv, "SeparableConv1D", (2, 6, 3), 2, 3, strides=2, padding="same",
          id="layer-separableconv1d-s2-same"),
    pytest.param(_self_attention_dropout, id="model-mha-self-attention-dropout"),
    pytest.param(_cross_attention_key, id="model-mha-cross-attention-key"),
    pytest.param(_causal_scores, id="model-mha-causal-scores"),
    pytest.param(_padding_mask, id="model-mha-padding-mask"),
]
