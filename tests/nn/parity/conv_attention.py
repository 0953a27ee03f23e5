"""Parity cases of the convolution variants (transposed, depthwise, separable) and of
MultiHeadAttention (self-attention, cross-attention with a key, attention_mask, causal mask
with the scores returned, the padding mask of Embedding(mask_zero=True)).

The attention cases that need two inputs or a graph are ``GraphCase``: a functional model
built by ``graph(lib)`` on the inputs ``feeds()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from . import Case


@dataclass(frozen=True)
class GraphCase(Case):
    graph: Callable | None = None      # lib -> (inputs, outputs) of a functional model
    feeds: Callable | None = None      # () -> the model's input arrays

    def model(self, lib):
        inputs, outputs = self.graph(lib)
        return lib.Model(inputs, outputs)

    def inputs(self):
        return self.feeds()


def _self_attention(L, **kwargs):
    """A layer written by subclassing whose call is ``mha(x, x)``: the tape's path."""

    class SelfAttention(L.Layer):
        def __init__(self):
            super().__init__()
            self.mha = L.MultiHeadAttention(**kwargs)

        def call(self, x):
            return self.mha(x, x)

    return SelfAttention()


def _uniform(*shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype("float32")


def _cross(lib):
    L = lib.layers
    x = L.Input((6, 4))
    other = L.Reshape((3, 8))(x)
    query, value = L.Dense(4)(x), L.Dense(3)(other)
    key = L.Dense(5, use_bias=False)(other)    # a bias before the key has gradient 0
    mha = L.MultiHeadAttention(2, 3, value_dim=2, output_shape=4, use_bias=False)
    out = mha(query, value, key=key)
    return x, L.Dense(2)(L.Flatten()(out))


def _masked(lib):
    L = lib.layers
    x, mask = L.Input((5, 4)), L.Input((5, 5))
    h = L.Dense(4)(x)
    out = L.MultiHeadAttention(2, 2, use_bias=False)(h, h, attention_mask=mask)
    return [x, mask], L.Dense(2)(L.Flatten()(out))


def _mask_feeds():
    mask = (np.random.default_rng(3).random((10, 5, 5)) > 0.4).astype("float32")
    mask[0, 1] = 0.0                      # a query with nothing to attend to
    return [_uniform(10, 5, 4), mask]


def _causal_scores(lib):
    L = lib.layers
    x = L.Input((4, 3))
    h = L.Dense(3)(x)
    out, scores = L.MultiHeadAttention(2, 2, use_bias=False)(h, h, use_causal_mask=True,
                                            return_attention_scores=True)
    joined = L.Concatenate()([L.Flatten()(out), L.Flatten()(scores)])
    return x, L.Dense(2)(joined)


def _padding(lib):
    L = lib.layers
    ids = L.Input((6,), dtype="int32")
    # frozen: an Embedding trained with Adam does not follow Keras (whose sparse update of
    # the rows differs), which is not what this case is about
    e = L.Embedding(9, 4, mask_zero=True, trainable=False)(ids)
    out = L.MultiHeadAttention(2, 3, use_bias=False)(e, e)
    return ids, L.Dense(2)(L.Flatten()(out))


def _ids():
    ids = np.random.default_rng(5).integers(1, 9, size=(10, 6)).astype("int32")
    for row, length in enumerate([6, 3, 4, 1, 5, 2, 6, 4, 3, 5]):
        ids[row, length:] = 0             # padding at the end, as pad_sequences makes it
    return ids


CASES = [
    pytest.param(Case(lambda L: [L.Conv2DTranspose(2, 3, strides=2, padding="same"),
                                 L.Conv2DTranspose(2, (3, 2), strides=(2, 3),
                                                   output_padding=(1, 2), activation="tanh")],
                      shape=(3, 2, 2)), id="conv2dtranspose-same-and-output-padding"),
    pytest.param(Case(lambda L: [L.DepthwiseConv2D(3, strides=2, padding="same",
                                                   depth_multiplier=2),
                                 L.SeparableConv2D(4, 2, depth_multiplier=2,
                                                   activation="tanh")],
                      shape=(5, 5, 2)), id="depthwise-separable-conv2d"),
    pytest.param(Case(lambda L: [L.Conv1DTranspose(2, 4, strides=3, padding="same",
                                                   use_bias=False),
                                 L.DepthwiseConv1D(2, activation="tanh"),
                                 L.SeparableConv1D(2, 3, strides=2, padding="same")],
                      shape=(4, 2)), id="conv1d-transpose-depthwise-separable"),
    pytest.param(Case(lambda L: [_self_attention(L, num_heads=2, key_dim=3, use_bias=False)],
                      shape=(5, 4)), id="mha-self-attention-subclassed"),
    pytest.param(GraphCase(None, (), graph=_cross, feeds=lambda: _uniform(10, 6, 4)),
                 id="mha-cross-attention-key"),
    pytest.param(GraphCase(None, (), graph=_masked, feeds=_mask_feeds),
                 id="mha-attention-mask"),
    pytest.param(GraphCase(None, (), graph=_causal_scores, feeds=lambda: _uniform(10, 4, 3)),
                 id="mha-causal-scores"),
    pytest.param(GraphCase(None, (), graph=_padding, feeds=_ids), id="mha-padding-mask"),
]
