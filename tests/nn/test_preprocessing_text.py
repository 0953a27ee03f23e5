"""StringLookup, IntegerLookup and TextVectorization against Keras 3 on the same data
(adapted vocabularies, outputs of every output mode), in models, through a model file, and a
small text classifier trained five Adam steps as Keras does."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

import redes.nn as rn


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def texts_of(values) -> np.ndarray:
    """Keras' string outputs (bytes) as ``str``."""
    array = np.asarray(values)
    return np.vectorize(lambda v: v.decode() if isinstance(v, bytes) else str(v),
                        otypes=[str])(array) if array.size else array.astype(str)


def same(ours, theirs):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape
    if theirs.dtype.kind in "OSU":
        np.testing.assert_array_equal(ours.astype(str), texts_of(theirs))
    else:     # codes: Keras gives int64 counts eagerly (float32 in a model), redes float32
        assert ours.dtype == (np.float32 if ours.dtype.kind == "f" else theirs.dtype)
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


WORDS = np.array([["a", "b", "c", "a"], ["d", "b", "a", "z"], ["c", "c", "e", "f"]])
ASKED = np.array([["a", "q", "z", "[M]"], ["e", "f", "zz", "b"]])
NUMBERS = np.array([[12, 1138, 42, 42], [42, 7, -1, 7], [5, 5, 5, 0]])
TEXTS = np.array(["The cat sat on the mat.", "The dog, the DOG! ate my homework", "",
                  "  spaces\tand\nnewlines  ", "Ñandú ÁB über cat-dog", "the cat"])


@pytest.mark.parametrize("kwargs", [
    {},
    {"max_tokens": 4},
    {"mask_token": "[M]", "num_oov_indices": 2},
    {"num_oov_indices": 3, "salt": 5},
    {"output_mode": "count"},
    {"output_mode": "multi_hot", "mask_token": "z"},
    {"output_mode": "tf_idf", "pad_to_max_tokens": True, "max_tokens": 10},
], ids=["int", "max-tokens", "mask-two-oov", "salted-oov", "count", "multi-hot-mask",
        "tf-idf-padded"])
def test_string_lookup_adapts_and_maps_as_keras(keras, kwargs):
    ours, theirs = rn.layers.StringLookup(**kwargs), keras.layers.StringLookup(**kwargs)
    ours.adapt(WORDS)
    theirs.adapt(WORDS)
    assert ours.get_vocabulary() == theirs.get_vocabulary()
    assert ours.vocabulary_size() == theirs.vocabulary_size()
    same(ours(ASKED), theirs(ASKED))


def test_string_lookup_with_a_vocabulary_inverts_and_weighs_as_keras(keras):
    kwargs = {"vocabulary": ["x", "y"], "invert": True}
    indices = np.array([[0, 1, 2, 3]])
    same(rn.layers.StringLookup(**kwargs)(indices), keras.layers.StringLookup(**kwargs)(indices))
    kwargs = {"vocabulary": ["x", "y"], "output_mode": "tf_idf", "idf_weights": [0.5, 0.25]}
    words = np.array([["x", "y", "x", "w"]])
    same(rn.layers.StringLookup(**kwargs)(words), keras.layers.StringLookup(**kwargs)(words))
    one_hot = {"vocabulary": ["[UNK]", "x", "y"], "output_mode": "one_hot"}   # specials given
    same(rn.layers.StringLookup(**one_hot)(np.array(["y", "w"])),
         keras.layers.StringLookup(**one_hot)(np.array(["y", "w"])))


@pytest.mark.parametrize("kwargs", [
    {"mask_token": 0, "num_oov_indices": 3},
    {"num_oov_indices": 2, "oov_method": "farmhash", "max_tokens": 5},
    {"output_mode": "multi_hot"},
], ids=["mask-floormod", "farmhash", "multi-hot"])
def test_integer_lookup_adapts_and_maps_as_keras(keras, kwargs):
    ours, theirs = rn.layers.IntegerLookup(**kwargs), keras.layers.IntegerLookup(**kwargs)
    ours.adapt(NUMBERS)
    theirs.adapt(NUMBERS)
    assert ours.get_vocabulary() == [int(v) for v in theirs.get_vocabulary()]
    asked = np.array([[12, 99, 0, -1], [5, 6, 7, -8]])
    same(ours(asked), theirs(asked))
    inverse = {"vocabulary": [12, 36], "invert": True, "mask_token": 0}
    same(rn.layers.IntegerLookup(**inverse)(asked), keras.layers.IntegerLookup(**inverse)(asked))


@pytest.mark.parametrize("kwargs", [
    {},
    {"max_tokens": 8, "output_sequence_length": 6},
    {"standardize": "lower", "split": "character", "output_sequence_length": 5},
    {"standardize": "strip_punctuation", "ngrams": 2, "output_mode": "count"},
    {"output_mode": "tf_idf", "ngrams": (1, 3)},
    {"output_mode": "multi_hot", "pad_to_max_tokens": True, "max_tokens": 20},
    {"standardize": None, "split": None, "output_sequence_length": 2},
], ids=["default", "max-tokens-length", "characters", "bigrams-count", "tf-idf-ngrams",
        "multi-hot-padded", "whole-strings"])
def test_text_vectorization_adapts_and_encodes_as_keras(keras, kwargs):
    ours, theirs = rn.layers.TextVectorization(**kwargs), keras.layers.TextVectorization(**kwargs)
    ours.adapt(TEXTS)
    theirs.adapt(TEXTS)
    assert ours.get_vocabulary() == theirs.get_vocabulary()
    asked = np.array(["the cat ate the unknown mat", "dog", ""])
    if kwargs.get("split", "whitespace") is None:
        asked = np.array([["the cat sat on the mat."], ["zz"]])
    same(ours(asked), theirs(asked))


def test_text_vectorization_with_functions_batches_and_steps(keras):
    def shout(texts):
        return np.char.upper(texts)

    def on_commas(texts):
        return [t.split(",") for t in texts.tolist()]

    layer = rn.layers.TextVectorization(standardize=shout, split=on_commas)
    layer.adapt(iter([np.array(["a,b", "b,c"]), np.array(["c,c"]), np.array(["z,z,z,z"])]),
                steps=2)
    assert layer.get_vocabulary() == ["", "[UNK]", "C", "B", "A"]   # z never read
    np.testing.assert_array_equal(layer(["c,a", "b"]), [[2, 4], [3, 0]])
    chunked = rn.layers.TextVectorization()
    chunked.adapt(TEXTS, batch_size=2)
    whole = keras.layers.TextVectorization()
    whole.adapt(TEXTS)
    assert chunked.get_vocabulary() == whole.get_vocabulary()


@pytest.mark.parametrize("make, message", [
    (lambda: rn.layers.StringLookup(output_mode="bag"), "output_mode: expected one of"),
    (lambda: rn.layers.StringLookup(max_tokens=1), "max_tokens: expected an integer >= 2"),
    (lambda: rn.layers.StringLookup(invert=True, output_mode="count"), "invert: needs"),
    (lambda: rn.layers.StringLookup(vocabulary=["a", "a"]), "vocabulary: repeated tokens"),
    (lambda: rn.layers.StringLookup(vocabulary=["a"], output_mode="tf_idf"), "idf_weights:"),
    (lambda: rn.layers.IntegerLookup(oov_token="x"), "oov_token: expected an integer"),
    (lambda: rn.layers.TextVectorization(split="words"), "split: expected one of"),
    (lambda: rn.layers.TextVectorization(ngrams=0), "ngrams: expected"),
    (lambda: rn.layers.TextVectorization(output_mode="count", output_sequence_length=3),
     "output_sequence_length: only used"),
])
def test_bad_arguments_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_unknown_tokens_without_oov_indices_are_refused():
    layer = rn.layers.StringLookup(vocabulary=["a"], num_oov_indices=0)
    np.testing.assert_array_equal(layer(["a"]), [0])
    with pytest.raises(ValueError, match=r"\['b'\] are not in the vocabulary"):
        layer(["a", "b"])


def _classifier(lib, vectorizer):
    inputs = lib.Input(shape=(1,), dtype="string")
    x = lib.layers.Embedding(vectorizer.vocabulary_size(), 4, mask_zero=True)(
        vectorizer(inputs))
    x = lib.layers.GlobalAveragePooling1D()(x)
    return lib.Model(inputs, lib.layers.Dense(1, activation="sigmoid")(x))


def test_a_text_classifier_trains_as_keras(keras):
    # every word appears once in the batch, as in tests/nn/test_rnn.py: Keras on TensorFlow
    # gives Adam an embedding's gradient as one slice per occurrence, and squares the slices
    # before adding up a repeated id; padding (id 0, masked) has zero gradients
    texts = np.array(["good fun film", "bad boring movie", "great and nice", "awful dull",
                      "a fine one", "the worst thing", "really lovely", "truly poor plot"])
    labels = np.array([1, 0, 1, 0, 1, 0, 1, 0], dtype="float32")
    # Not seed 0: its starting weights put every prediction so near 0.5 that the first
    # gradient of the output bias is 3.8e-5, and Adam's first step, lr m / (sqrt(v) + eps)
    # with sqrt(v) = 0.03 |g|, then turns the float32 rounding of that gradient (2.6e-8
    # between the engines) into 2.4e-6 of bias. Seeds 1-9 stay within a fifth of the tolerance.
    keras.utils.set_random_seed(1)
    models = []
    for lib in (keras, rn):
        vectorizer = lib.layers.TextVectorization(output_sequence_length=4)
        vectorizer.adapt(texts)
        models.append(_classifier(lib, vectorizer))
    theirs, ours = models
    start = theirs.get_weights()
    ours.set_weights(start)
    import tensorflow as tf

    column = texts[:, None]     # Keras' fit reads strings from a tf tensor, redes from NumPy
    for model, lib, x in ((ours, rn, column), (theirs, keras, tf.constant(column))):
        model.compile(optimizer=lib.optimizers.Adam(0.05), loss="binary_crossentropy")
        model.fit(x, labels, batch_size=8, epochs=5, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.predict(column, verbose=0),
                               theirs.predict(tf.constant(column), verbose=0),
                               rtol=1e-5, atol=1e-6)
    assert np.abs(ours.get_weights()[0] - start[0]).max() > 1e-3    # the steps moved it


def test_text_layers_keep_their_vocabulary_through_a_model_file(tmp_path):
    vectorizer = rn.layers.TextVectorization(output_mode="tf_idf", ngrams=2)
    vectorizer.adapt(TEXTS)
    words = rn.layers.StringLookup(output_mode="one_hot", mask_token="[M]")
    words.adapt(WORDS)
    sequences = rn.layers.TextVectorization(max_tokens=10, output_sequence_length=5)
    sequences.adapt(TEXTS)
    model = rn.Sequential([sequences, rn.layers.Embedding(10, 3),
                           rn.layers.GlobalAveragePooling1D(), rn.layers.Dense(2)])
    inputs = rn.Input(shape=(), dtype="string")
    other = rn.Model(inputs, rn.layers.Dense(2)(vectorizer(inputs))
                     + rn.layers.Dense(2)(words(inputs)))
    for net in (model, other):
        before = net.predict(TEXTS, verbose=0)
        net.save(tmp_path / "m.keras")
        loaded = rn.models.load_model(tmp_path / "m.keras")
        np.testing.assert_array_equal(loaded.predict(TEXTS, verbose=0), before)
    layer = [x for x in loaded.layers if isinstance(x, rn.layers.TextVectorization)][0]
    assert layer.get_vocabulary() == vectorizer.get_vocabulary()
    np.testing.assert_array_equal(layer.lookup_layer.idf, vectorizer.lookup_layer.idf)


def test_layers_are_called_on_lists_and_arrays_of_strings():
    layer = rn.layers.TextVectorization(vocabulary=["cat", "mat"])
    np.testing.assert_array_equal(layer(["the cat", "mat"]), [[1, 2], [3, 0]])
    np.testing.assert_array_equal(layer(np.array([["cat mat"]], dtype=object)), [[2, 3]])
    lookup = rn.layers.StringLookup(vocabulary=["a", "b"])
    assert lookup(np.array([b"b", b"c"])).tolist() == [2, 0]
    with pytest.raises(ValueError, match="inputs: expected an array of strings"):
        lookup(np.array([1.5]))


def test_every_layer_rebuilds_from_its_json_config():
    import json

    made = [rn.layers.StringLookup(output_mode="count"), rn.layers.IntegerLookup(invert=True),
            rn.layers.TextVectorization(ngrams=(1, 2), output_mode="multi_hot"),
            rn.layers.Hashing(6, salt=3), rn.layers.Normalization(axis=None),
            rn.layers.Discretization(num_bins=3), rn.layers.CategoryEncoding(5, "one_hot"),
            rn.layers.Rescaling([1.0, 2.0], offset=0.5)]
    data = [WORDS, NUMBERS, TEXTS, WORDS, NUMBERS.astype("float32"),
            NUMBERS.astype("float32"), NUMBERS % 5, NUMBERS[:, :2]]
    for layer, x in zip(made, data):
        if hasattr(layer, "adapt"):
            layer.adapt(x)
        config = json.loads(json.dumps(layer.get_config()))
        config.pop("name")
        twin = type(layer).from_config(config)
        twin(x)
        twin.set_weights(layer.get_weights())   # Normalization's statistics are weights
        np.testing.assert_array_equal(twin(x), layer(x))


def test_a_vocabulary_file_is_read_one_token_a_line(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("[UNK]\ngato\nñandú\n\n", encoding="utf-8")    # specials first: kept once
    layer = rn.layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "gato", "ñandú"]
    np.testing.assert_array_equal(layer(["ñandú", "perro"]), [2, 0])


def test_errors_read_in_spanish(spanish):
    with pytest.raises(ValueError, match=re.escape(
            "output_mode: se esperaba uno de 'int', 'one_hot', 'multi_hot', 'count', "
            "'tf_idf', se recibió 'bag'")):
        rn.layers.StringLookup(output_mode="bag")
    with pytest.raises(ValueError, match=re.escape(
            "inputs: ['b'] no están en el vocabulario y num_oov_indices=0; usa "
            "num_oov_indices=1")):
        rn.layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(["b"])
    with pytest.raises(ValueError, match=re.escape("mean, variance: da ambos o ninguno")):
        rn.layers.Normalization(variance=2.0)
