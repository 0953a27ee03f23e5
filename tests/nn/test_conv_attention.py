"""Transposed, depthwise and separable convolutions and MultiHeadAttention: output shapes
equal to Keras', configs, argument checks, the attention's masks and gradients (the ones the
common gradient checks cannot see), and the Transformer encoder of the keras.io example
"Text classification with Transformer" trained on both engines.

The common parity and gradient checks of these layers are in tests/nn/parity/conv_attention.py
and tests/nn/cases/conv_attention.py."""

from __future__ import annotations

import os

import numpy as np
import pytest

import redes.nn as rn
from redes.nn import layers


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("keras")


# ------------------------------------------------------------------ output shapes
SHAPES = [
    ("Conv2DTranspose", (2, 3), dict(strides=2, padding="valid"), (None, 5, 4, 3)),
    ("Conv2DTranspose", (2, 3), dict(strides=2, padding="same"), (None, 5, 4, 3)),
    ("Conv2DTranspose", (2, 1), dict(strides=3, padding="valid"), (None, 5, 4, 3)),
    ("Conv2DTranspose", (2, 4), dict(strides=3, output_padding=2, padding="same"),
     (None, 5, 4, 3)),
    ("Conv2DTranspose", (2, (3, 2)), dict(strides=(2, 1)), (None, None, None, 3)),
    ("Conv1DTranspose", (2, 3), dict(strides=2, output_padding=1), (None, 7, 3)),
    ("DepthwiseConv2D", (3,), dict(strides=2, padding="same", depth_multiplier=3),
     (None, 5, 4, 3)),
    ("DepthwiseConv1D", (2,), dict(depth_multiplier=2), (None, 7, 3)),
    ("SeparableConv2D", (4, 3), dict(strides=2), (None, 7, 6, 3)),
    ("SeparableConv1D", (4, 3), dict(padding="same", strides=2), (None, 7, 3)),
]


@pytest.mark.parametrize("name, args, kwargs, shape", SHAPES,
                         ids=[f"{s[0]}-{i}" for i, s in enumerate(SHAPES)])
def test_output_shapes_and_weights_are_keras(name, args, kwargs, shape, keras):
    theirs = getattr(keras.layers, name)(*args, **kwargs)
    ours = getattr(layers, name)(*args, **kwargs)
    out_theirs = theirs(keras.Input(shape[1:]))
    out_ours = ours(rn.Input(shape[1:]))
    assert tuple(out_ours.shape) == tuple(out_theirs.shape)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.weights]
    assert [w.path.split("/")[-1] for w in ours.weights] == \
        [w.path.split("/")[-1] for w in theirs.weights]
    if None not in shape:      # and on arrays
        x = np.ones((2, *shape[1:]), dtype="float32")
        assert ours(x).shape == tuple(theirs(x).shape)


def test_attention_output_shapes_weights_and_masks_are_keras(keras):
    q, v, k = (np.random.default_rng(i).normal(size=s).astype("float32")
               for i, s in enumerate([(2, 4, 6), (2, 5, 3), (2, 5, 7)]))
    theirs = keras.layers.MultiHeadAttention(3, 2, value_dim=4, output_shape=5)
    ours = layers.MultiHeadAttention(3, 2, value_dim=4, output_shape=5)
    out, scores = theirs(q, v, key=k, return_attention_scores=True)
    ours(q, v, key=k)
    ours.set_weights(theirs.get_weights())
    assert [w.path.split("/", 1)[1] for w in ours.weights] == \
        [w.path.split("/", 1)[1] for w in theirs.weights]
    mine, my_scores = ours(q, v, key=k, return_attention_scores=True)
    np.testing.assert_allclose(mine, out, atol=1e-6)
    np.testing.assert_allclose(my_scores, scores, atol=1e-6)
    assert my_scores.shape == (2, 3, 4, 5)
    mask = np.random.default_rng(4).random((2, 4, 5)) > 0.5
    mask[1, 2] = False                     # a query with nothing to attend to
    for scores_too in (False, True):       # Keras' two paths for such a query
        a = theirs(q, v, key=k, attention_mask=mask, use_causal_mask=True,
                   return_attention_scores=scores_too)
        b = ours(q, v, key=k, attention_mask=mask, use_causal_mask=True,
                 return_attention_scores=scores_too)
        for x, y in zip(*([a, b] if scores_too else [[a], [b]])):
            np.testing.assert_allclose(y, x, atol=1e-6)


def test_symbolic_attention_has_keras_output_shapes(keras):
    for lib in (keras, rn):
        q, v = lib.Input((4, 6)), lib.Input((None, 3))
        out, scores = lib.layers.MultiHeadAttention(2, 3, output_shape=8)(
            q, v, return_attention_scores=True)
        assert tuple(out.shape) == (None, 4, 8)
    assert tuple(scores.shape) == (None, 2, 4, None)   # (Keras says (None, 2, 4, 4))


# ------------------------------------------------------- gradients the cases cannot see
def _numeric(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


@pytest.mark.parametrize("how", ["attention-mask-key", "query-value-masks", "causal-scores"])
def test_attention_gradients_of_inputs_biases_and_masks(how):
    rng = np.random.default_rng(7)
    q, v, k = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 2))
    mha = layers.MultiHeadAttention(2, 2, dtype="float64",
                                    bias_initializer=rn.initializers.RandomNormal(seed=1))
    kwargs, mask = {}, None
    if how == "attention-mask-key":
        kwargs = dict(key=k, attention_mask=rng.random((2, 3, 4)) > 0.3)
    elif how == "query-value-masks":
        mask = [np.array([[1, 1, 0], [1, 0, 0]], bool), np.array([[1, 1, 1, 0], [1, 1, 0, 0]])]
    else:
        kwargs = dict(use_causal_mask=True, return_attention_scores=True)
    r = [rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 2, 3, 4))]

    def loss():
        out = mha(q, v, mask=mask, **kwargs)
        outs = out if isinstance(out, list) else [out]
        return sum(float(np.sum(ri * np.asarray(o))) for ri, o in zip(r, outs))

    loss()
    dx = mha.backward(r if kwargs.get("return_attention_scores") else r[0])
    inputs = [q, v] + ([k] if "key" in kwargs else [])
    for x, d in zip(inputs, dx):
        np.testing.assert_allclose(d, _numeric(loss, x), rtol=1e-6, atol=1e-8)
    for w, g, name in zip(mha.trainable_weights, mha.grads, [w.path for w in mha.weights]):
        numeric = _numeric(loss, w.value)
        np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-8, err_msg=name)
        if name.endswith("key/bias"):      # a shift of a whole row of scores: exactly 0
            assert not np.any(g) and np.allclose(numeric, 0, atol=1e-8)
    if len(dx) > len(inputs):
        assert dx[-1] is None              # a mask has no gradient


def test_a_masked_padding_query_keeps_its_mask_in_a_model():
    ids = rn.Input((4,), dtype="int32")
    e = layers.Embedding(5, 3, mask_zero=True)(ids)
    mha = layers.MultiHeadAttention(1, 2)
    out = layers.LSTM(2, return_sequences=True)(mha(e, e))
    model = rn.Model(ids, out)
    y = model.predict(np.array([[1, 2, 0, 0]]), verbose=0)
    np.testing.assert_allclose(y[0, 2], y[0, 1])     # the LSTM skipped the padded steps
    assert mha.compute_mask(None, [np.array([[True, False]]), None]).tolist() == [[True, False]]


def test_a_model_with_attention_saves_and_loads_how_it_calls_it(tmp_path):
    x, m = rn.Input((4, 3)), rn.Input((4, 4))
    h = layers.Dense(3)(x)
    out, scores = layers.MultiHeadAttention(2, 2)(h, h, attention_mask=m, use_causal_mask=True,
                                                  return_attention_scores=True)
    model = rn.Model([x, m], [layers.Dense(1)(layers.Flatten()(out)), scores])
    model.save(tmp_path / "attention.keras")
    again = rn.models.load_model(tmp_path / "attention.keras")
    data = [np.random.default_rng(0).random((2, 4, 3)), np.ones((2, 4, 4))]
    for a, b in zip(model.predict(data, verbose=0), again.predict(data, verbose=0)):
        np.testing.assert_array_equal(a, b)
    assert np.all(again.predict(data, verbose=0)[1][:, :, 0, 1:] == 0)   # still causal


# ------------------------------------------------------------------------ arguments
@pytest.mark.parametrize("make, match", [
    (lambda: layers.Conv2DTranspose(2, 3, strides=2, output_padding=2), "output_padding"),
    (lambda: layers.Conv2DTranspose(0, 3), "filters"),
    (lambda: layers.Conv1DTranspose(2, 3, dilation_rate=2), "dilation_rate"),
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=0), "depth_multiplier"),
    (lambda: layers.SeparableConv2D(2, 3, padding="causal"), "padding"),
    (lambda: layers.MultiHeadAttention(0, 2), "num_heads"),
    (lambda: layers.MultiHeadAttention(2, 2, dropout=1.0), "dropout"),
    (lambda: layers.MultiHeadAttention(2, 2, attention_axes=(1, 2)), "attention_axes"),
    (lambda: layers.MultiHeadAttention(2, 2, output_shape=(3, 4)), "output_shape"),
])
def test_bad_arguments_are_refused_by_name(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_attention_calls_say_what_is_wrong():
    mha = layers.MultiHeadAttention(2, 2)
    x = np.ones((2, 3, 4), dtype="float32")
    with pytest.raises(TypeError, match="value"):
        mha(x)
    with pytest.raises(ValueError, match="attention_mask"):
        mha(x, x, attention_mask=np.ones((2, 3, 5)))
    with pytest.raises(ValueError, match="key"):
        mha(x, x, key=np.ones((2, 4, 4)))
    with pytest.raises(TypeError, match="attention_mask"):
        q = rn.Input((3, 4))
        mha(q, q, attention_mask=np.ones((3, 3)))


@pytest.mark.parametrize("make", [
    lambda: layers.Conv2DTranspose(3, 2, strides=2, padding="same", output_padding=1),
    lambda: layers.SeparableConv1D(2, 3, depth_multiplier=2, activation="relu"),
    lambda: layers.DepthwiseConv2D(3, depth_multiplier=2, use_bias=False),
    lambda: layers.MultiHeadAttention(2, 3, value_dim=4, dropout=0.1, output_shape=5),
])
def test_config_round_trips(make):
    layer = make()
    again = type(layer).from_config(layer.get_config())
    assert again.get_config() == layer.get_config()


# ------------------------------------------------------ the keras.io Transformer example
def transformer_example(lib, maxlen, vocab_size, embed_dim=8, num_heads=2, ff_dim=8):
    """The model of keras.io's "Text classification with Transformer", as written there
    (dropout rates 0 so that both engines compute the same numbers)."""
    layers, ops = lib.layers, lib.ops

    class TransformerBlock(layers.Layer):
        def __init__(self, embed_dim, num_heads, ff_dim, rate=0.0):
            super().__init__()
            self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.ffn = lib.Sequential(
                [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
            )
            self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
            self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
            self.dropout1 = layers.Dropout(rate)
            self.dropout2 = layers.Dropout(rate)

        def call(self, inputs):
            attn_output = self.att(inputs, inputs)
            attn_output = self.dropout1(attn_output)
            out1 = self.layernorm1(inputs + attn_output)
            ffn_output = self.ffn(out1)
            ffn_output = self.dropout2(ffn_output)
            return self.layernorm2(out1 + ffn_output)

    class TokenAndPositionEmbedding(layers.Layer):
        def __init__(self, maxlen, vocab_size, embed_dim):
            super().__init__()
            self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

        def call(self, x):
            maxlen = ops.shape(x)[-1]
            positions = ops.arange(start=0, stop=maxlen, step=1)
            positions = self.pos_emb(positions)
            x = self.token_emb(x)
            return x + positions

    inputs = layers.Input(shape=(maxlen,))
    x = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
    x = TransformerBlock(embed_dim, num_heads, ff_dim)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.0)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.0)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return lib.Model(inputs=inputs, outputs=outputs)


def test_transformer_example_trains_as_in_keras(keras):
    maxlen, vocab = 6, 30
    keras.utils.set_random_seed(0)
    theirs, ours = transformer_example(keras, maxlen, vocab), transformer_example(rn, maxlen, vocab)
    rng = np.random.default_rng(0)
    # one sample per batch, no token twice in a sample: Keras' Adam squares the gradient of
    # an Embedding row once per occurrence (its sparse IndexedSlices), not once per batch
    x = np.stack([rng.permutation(vocab)[:maxlen] for _ in range(5)]).astype("float32")
    y = np.array([0, 1, 1, 0, 1])
    start = theirs.get_weights()
    ours.set_weights(start)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    for model, lib in ((ours, rn), (theirs, keras)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
        model.fit(x, y, batch_size=1, epochs=1, shuffle=False, verbose=0)
    for w, a, b, s in zip(theirs.weights, ours.get_weights(), theirs.get_weights(), start,
                          strict=True):
        if w.path.endswith("key/bias"):
            # its gradient is 0 exactly (softmax ignores a shift of a row of scores): ours
            # stays, Keras' moves by Adam's normalised rounding noise
            np.testing.assert_array_equal(a, s)
            continue
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5, err_msg=w.path)
        assert not np.allclose(a, s), w.path          # every other weight was trained
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)
