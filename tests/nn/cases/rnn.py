"""Gradient-check cases of the sequence layers: SimpleRNN, LSTM and GRU (both reset_after
conventions) with and without return_sequences, go_backwards, masks, dropout, regularizers;
Bidirectional in every merge mode; TimeDistributed(Dense); and small Sequential models that
start with an Embedding (whose token ids have no gradient, so it is checked through a model).

Masks reach a layer in two ways here: ``_masked(layer, mask)`` fixes the mask a layer is
called with (``check_layer`` calls ``layer(x, training)``), and ``Sequential`` passes the
mask of an ``Embedding(mask_zero=True)`` from layer to layer.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from redes.nn import gradcheck, initializers, regularizers

from . import data

F64 = "float64"
HIGH = 1.0

# which steps are real (True) and which are padding (False): a pre-padded sequence, a
# post-padded one, a hole in the middle, a full one
MASK = np.array([[False, False, True, True, True],
                 [True, True, True, False, False],
                 [True, True, False, True, True],
                 [True, True, True, True, True]])
# token ids with 0 as padding, placed like MASK
IDS = np.array([[0, 0, 3, 7, 2],
                [5, 1, 6, 0, 0],
                [4, 2, 0, 8, 1],
                [9, 3, 3, 5, 6]])


# A gradient element that happens to be near 0 (say 1e-6) is compared with a central
# difference whose rounding error is about 1e-11, which alone gives a relative error near
# 1e-5. The cases run with seed 0 except these, whose seed 0 draws such an element; with
# these seeds every case stays below 2e-7 (the test's limit is 1e-6).
_SEEDS = {
    "layer-gru-masked": 2,
    "layer-gru-reset-before-masked-backwards": 1,
    "layer-lstm-no-forget-bias": 1,
    "model-embedding-gru": 1,
    "model-embedding-mask-zero-stacked-lstm": 2,
    "model-embedding-mask-zero-stacked-gru": 2,
    "model-embedding-bidirectional-gru-timedistributed": 11,
    "model-embedding-mask-zero-bidirectional-gru-timedistributed": 11,
    "model-embedding-mask-zero-bidirectional-lstm-timedistributed": 4,
}


def _case(fn, *args, id, **kwargs):
    kwargs.setdefault("seed", _SEEDS.get(id, 0))
    return pytest.param(functools.partial(fn, *args, **kwargs), id=id)


def _modules():
    from redes.nn.layers import core, embedding, rnn, wrappers

    return core, embedding, rnn, wrappers


def _masked(layer, mask):
    """The layer, always called with ``mask`` (check_layer calls ``layer(x, training)``)."""
    call = layer.call

    def call_with_mask(x, training=False, mask=None, _fixed=mask):
        return call(x, training=training, mask=_fixed)

    layer.call = call_with_mask
    return layer


def _recurrent(cls_name, units=3, seed=0, **kwargs):
    _, _, rnn, _ = _modules()
    kwargs.setdefault("kernel_initializer", initializers.GlorotUniform(seed=50 + seed))
    kwargs.setdefault("recurrent_initializer", initializers.Orthogonal(seed=60 + seed))
    kwargs.setdefault("bias_initializer", initializers.RandomNormal(stddev=0.3, seed=70 + seed))
    return getattr(rnn, cls_name)(units, dtype=F64, **kwargs)


def _rnn_case(cls_name, mask=None, training=False, shape=(4, 5, 3), seed=0, **kwargs):
    layer = _recurrent(cls_name, seed=seed, **kwargs)
    if mask is not None:
        layer = _masked(layer, mask)
    return gradcheck.check_layer(layer, data(shape, seed=21 + seed, high=HIGH),
                                 training=training)


# ---------------------------------------------------------------------- recurrent layers
_KINDS = [("SimpleRNN", {}), ("LSTM", {}), ("GRU", {}), ("GRU", {"reset_after": False})]


def _kind_id(cls_name, extra):
    return cls_name.lower() + ("-reset-before" if extra.get("reset_after") is False else "")


_VARIANTS = [
    # (id suffix, keyword arguments)
    ("last", {}),
    ("sequences", {"return_sequences": True}),
    ("backwards", {"go_backwards": True}),
    ("backwards-sequences", {"go_backwards": True, "return_sequences": True}),
    ("masked", {"mask": MASK}),
    ("masked-sequences", {"mask": MASK, "return_sequences": True}),
    ("masked-backwards", {"mask": MASK, "go_backwards": True}),
    ("masked-backwards-sequences", {"mask": MASK, "go_backwards": True,
                                    "return_sequences": True}),
    ("masked-zero-output-sequences", {"mask": MASK, "zero_output_for_mask": True,
                                      "return_sequences": True}),
    ("masked-zero-output-last", {"mask": MASK, "zero_output_for_mask": True}),
    ("no-bias", {"use_bias": False, "return_sequences": True}),
    ("dropout-training", {"dropout": 0.3, "recurrent_dropout": 0.4, "seed": 9,
                          "training": True, "return_sequences": True}),
    ("dropout-masked-training", {"dropout": 0.25, "recurrent_dropout": 0.25, "seed": 4,
                                 "training": True, "mask": MASK}),
    ("dropout-inference", {"dropout": 0.3, "recurrent_dropout": 0.4, "seed": 9}),
    ("regularized", {"kernel_regularizer": regularizers.L2(0.1), "recurrent_regularizer": "l1",
                     "bias_regularizer": regularizers.L1L2(l1=0.05, l2=0.2)}),
    ("frozen", {"trainable": False}),
]

RNN_CASES = [
    _case(_rnn_case, cls_name, id=f"layer-{_kind_id(cls_name, extra)}-{suffix}",
          **extra, **kwargs)
    for cls_name, extra in _KINDS
    for suffix, kwargs in _VARIANTS
]
RNN_CASES += [
    _case(_rnn_case, "LSTM", activation="softsign", recurrent_activation="hard_sigmoid",
          return_sequences=True, id="layer-lstm-softsign-hard-sigmoid"),
    _case(_rnn_case, "LSTM", unit_forget_bias=False, bias_initializer="zeros",
          id="layer-lstm-no-forget-bias"),
    _case(_rnn_case, "GRU", activation="elu", recurrent_activation="sigmoid",
          return_sequences=True, id="layer-gru-elu"),
    _case(_rnn_case, "SimpleRNN", activation="softplus", return_sequences=True,
          id="layer-simplernn-softplus"),
    _case(_rnn_case, "LSTM", units=1, shape=(2, 7, 1), id="layer-lstm-1-unit-1-feature"),
    _case(_rnn_case, "GRU", units=4, shape=(1, 1, 2), return_sequences=True,
          id="layer-gru-one-step"),
    _case(_rnn_case, "SimpleRNN", mask=np.zeros((4, 5), bool), return_sequences=True,
          id="layer-simplernn-all-masked"),
]
# longer than one chunk of the weight gradients' sums (cell_math.CHUNK, 16 steps): 37 steps
# are three chunks, the last one short
RNN_CASES += [
    _case(_rnn_case, cls_name, units=2, shape=(2, 37, 2), return_sequences=True,
          id=f"layer-{_kind_id(cls_name, extra)}-37-steps", **extra)
    for cls_name, extra in _KINDS
]


# --------------------------------------------------------------------------- wrappers
def _bidirectional_case(cls_name, merge_mode, mask=None, seed=0, **kwargs):
    _, _, _, wrappers = _modules()
    layer = wrappers.Bidirectional(_recurrent(cls_name, seed=3 + seed, **kwargs),
                                   merge_mode=merge_mode)
    layer.build_for((None, 5, 3))
    # the backward copy was initialized by the same seeded initializers: make it differ
    rng = np.random.default_rng(7 + seed)
    layer.set_weights([w + 0.2 * rng.standard_normal(w.shape) for w in layer.get_weights()])
    if mask is not None:
        layer = _masked(layer, mask)
    return gradcheck.check_layer(layer, data((4, 5, 3), seed=22 + seed, high=HIGH))


WRAPPER_CASES = [
    _case(_bidirectional_case, cls_name, mode, return_sequences=seq,
          id=f"layer-bidirectional-{cls_name.lower()}-{mode}-{'sequences' if seq else 'last'}")
    for cls_name in ("LSTM", "GRU")
    for mode in ("concat", "sum", "ave", "mul")
    for seq in (False, True)
]
WRAPPER_CASES += [
    _case(_bidirectional_case, cls_name, mode, mask=MASK, return_sequences=seq,
          id=f"layer-bidirectional-{cls_name.lower()}-{mode}-masked-"
             f"{'sequences' if seq else 'last'}")
    for cls_name, mode in (("LSTM", "concat"), ("GRU", "mul"), ("SimpleRNN", "ave"))
    for seq in (False, True)
]


def _time_distributed_case(activation, shape=(3, 4, 5), seed=0):
    return gradcheck.check_layer(_modules()[3].TimeDistributed(_dense(3, activation, seed)),
                                 data(shape, seed=23 + seed))


WRAPPER_CASES += [
    _case(_time_distributed_case, "tanh", id="layer-timedistributed-dense-tanh"),
    _case(_time_distributed_case, "softmax", id="layer-timedistributed-dense-softmax"),
    _case(_time_distributed_case, None, shape=(2, 3, 2, 4),
          id="layer-timedistributed-dense-4d-input"),
]


# ----------------------------------------------------------------- models with Embedding
def _embedding(mask_zero=False, seed=0, **kwargs):
    _, embedding, _, _ = _modules()
    kwargs.setdefault("embeddings_initializer",
                      initializers.RandomUniform(-0.8, 0.8, seed=90 + seed))
    return embedding.Embedding(10, 4, mask_zero=mask_zero, dtype=F64, **kwargs)


def _dense(units, activation=None, seed=0):
    core, _, _, _ = _modules()
    return core.Dense(units, activation=activation, dtype=F64,
                      kernel_initializer=initializers.GlorotUniform(seed=91 + seed),
                      bias_initializer=initializers.RandomNormal(stddev=0.3, seed=92 + seed))


def _model(stack, loss, y, masked=False, ids=IDS):
    from redes.nn import Input, Sequential

    model = Sequential([Input(shape=ids.shape[1:]), *stack])
    model.compile(optimizer="sgd", loss=loss)
    return gradcheck.check_model(model, ids, y)


def _embedding_flatten(seed=0):
    core, _, _, _ = _modules()
    stack = [_embedding(seed=seed, embeddings_regularizer=regularizers.L2(0.05)),
             core.Flatten(dtype=F64), _dense(3, "softmax", seed)]
    return _model(stack, "sparse_categorical_crossentropy", np.array([0, 2, 1, 2]))


def _embedding_recurrent(cls_name, masked, loss="binary_crossentropy", seed=0, **kwargs):
    stack = [_embedding(masked, seed), _recurrent(cls_name, seed=5 + seed, **kwargs),
             _dense(1, "sigmoid", seed)]
    return _model(stack, loss, np.array([[0.0], [1.0], [1.0], [0.0]]), masked=masked)


def _stacked(masked, cls_name="LSTM", seed=0):
    wide = initializers.RandomUniform(-1.5, 1.5, seed=90 + seed)   # strong inputs: the first
    stack = [_embedding(masked, seed, embeddings_initializer=wide),   # layer's gradients are
             _recurrent(cls_name, seed=6 + seed, return_sequences=True),   # not too small
             _recurrent(cls_name, seed=7 + seed),
             _dense(2, None, seed)]
    return _model(stack, "mse", data((4, 2), seed=30 + seed, high=1.0), masked=masked)


def _bidirectional_model(masked, cls_name="GRU", seed=0):
    _, _, _, wrappers = _modules()
    stack = [_embedding(masked, seed),
             wrappers.Bidirectional(_recurrent(cls_name, seed=8 + seed, return_sequences=True)),
             wrappers.TimeDistributed(_dense(2, seed=seed))]
    y = data((4, 5, 2), seed=24 + seed)
    return _model(stack, "mse", y, masked=masked)


MODEL_CASES = [
    _case(_embedding_flatten, id="model-embedding-flatten-dense-l2"),
    *[_case(_embedding_recurrent, cls_name, masked,
            id=f"model-embedding-{cls_name.lower()}{'-mask-zero' if masked else ''}")
      for cls_name in ("SimpleRNN", "LSTM", "GRU") for masked in (False, True)],
    _case(_embedding_recurrent, "LSTM", True, go_backwards=True,
          id="model-embedding-mask-zero-lstm-backwards"),
    _case(_stacked, False, id="model-embedding-stacked-lstm"),
    _case(_stacked, True, id="model-embedding-mask-zero-stacked-lstm"),
    _case(_stacked, True, "GRU", id="model-embedding-mask-zero-stacked-gru"),
    _case(_bidirectional_model, False, id="model-embedding-bidirectional-gru-timedistributed"),
    _case(_bidirectional_model, True,
          id="model-embedding-mask-zero-bidirectional-gru-timedistributed"),
    _case(_bidirectional_model, True, "LSTM",
          id="model-embedding-mask-zero-bidirectional-lstm-timedistributed"),
]

CASES = RNN_CASES + WRAPPER_CASES + MODEL_CASES
