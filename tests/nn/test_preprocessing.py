"""Preprocessing layers of numbers and categories against Keras 3 on the same data:
Normalization, Rescaling, Discretization, CategoryEncoding, Hashing (and the hashes behind
it, FarmHash's Fingerprint64 and SipHash-2-4, against TensorFlow's)."""

from __future__ import annotations

import os

import numpy as np
import pytest

import redes.nn as rn
from redes.nn.layers.preprocessing.farmhash import fingerprint64, siphash24


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def same(ours, theirs, atol=1e-6):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=atol)


X = np.random.default_rng(0).normal(size=(40, 3)).astype("float32") * 3 + 1


# --------------------------------------------------------------------------- the hashes
def _strings():
    rng = np.random.default_rng(1)
    ascii_only, alphabet = list("abcdefghijklmnopqrstuvwxyz0123456789 .,"), list("aé漢ñ z")
    lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 100,
               127, 128, 129, 200, 1000]
    out = ["".join(rng.choice(ascii_only, size=n)) for n in lengths for _ in range(2)]
    out += ["".join(rng.choice(alphabet, size=n)) for n in lengths]     # non-ASCII
    return out + ["ñandú", "日本語のテキスト", "Ä", "a", "ab", "abc", "abcd", "\x00\x01"]


def test_fingerprint64_and_siphash_match_tensorflow(keras):
    import tensorflow as tf

    strings = _strings()
    raw = [s.encode("utf-8") for s in strings]
    assert {len(b) for b in raw} >= {0, 3, 4, 7, 8, 16, 17, 32, 33, 64, 65, 1000}
    bins = 2**63 - 1           # the most bins: nearly all 64 bits of the hash show
    theirs = tf.strings.to_hash_bucket_fast(strings, bins).numpy()
    assert [fingerprint64(b) % bins for b in raw] == theirs.tolist()
    for key in ([1, 2], [2**40 + 3, 7]):
        theirs = tf.strings.to_hash_bucket_strong(strings, bins, key=key).numpy()
        assert [siphash24(key, b) % bins for b in raw] == theirs.tolist()


@pytest.mark.parametrize("kwargs", [
    {"num_bins": 7},
    {"num_bins": 7, "mask_value": ""},
    {"num_bins": 5, "salt": [3, 4]},
    {"num_bins": 5, "salt": 7, "output_mode": "one_hot"},
    {"num_bins": 4, "output_mode": "count"},
], ids=["fast", "mask", "salt", "salt-one-hot", "count"])
def test_hashing_of_strings_matches_keras(keras, kwargs):
    x = np.array([["a"], ["bb"], ["ñandú"], [""], ["a"], ["a long string " * 9]])
    ours = rn.layers.Hashing(**kwargs)(x)
    theirs = np.asarray(keras.layers.Hashing(**kwargs)(x))
    assert ours.dtype == theirs.dtype
    same(ours, theirs)


def test_hashing_of_numbers_matches_keras(keras):
    ints = np.array([[1, -5, 12345678901], [0, 7, 3]])
    floats = np.array([[1.7, -2.5, 3.0]])
    for kwargs in ({"num_bins": 10}, {"num_bins": 10, "mask_value": 0}):
        same(rn.layers.Hashing(**kwargs)(ints), keras.layers.Hashing(**kwargs)(ints))
    same(rn.layers.Hashing(10)(floats), keras.layers.Hashing(10)(floats))   # truncated
    assert rn.layers.Hashing(3, mask_value=0)(np.array([0, 0]))[0] == 0


# ------------------------------------------------------------------------------ numbers
@pytest.mark.parametrize("kwargs", [{}, {"axis": None}, {"invert": True}],
                         ids=["features", "one-mean", "invert"])
def test_normalization_adapt_matches_keras(keras, kwargs):
    ours, theirs = rn.layers.Normalization(**kwargs), keras.layers.Normalization(**kwargs)
    ours.adapt(X)
    theirs.adapt(X)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        same(a, b)
    same(ours(X[:5]), theirs(X[:5]))


def test_normalization_adapt_on_batches_merges_them_as_keras(keras):
    parts = [X[:7], X[7:30], X[30:]]
    ours, theirs = rn.layers.Normalization(), keras.layers.Normalization()
    ours.adapt(iter(parts))
    theirs.adapt(iter(parts))
    same(ours.get_weights()[1], theirs.get_weights()[1], atol=1e-5)
    np.testing.assert_allclose(ours.get_weights()[1], X.var(axis=0), rtol=1e-5)


def test_normalization_with_given_statistics_and_rescaling_match_keras(keras):
    kwargs = {"mean": [1.0, 2.0, 3.0], "variance": [4.0, 0.0, 6.0]}   # a variance of 0
    same(rn.layers.Normalization(**kwargs)(X), keras.layers.Normalization(**kwargs)(X))
    image = np.arange(24, dtype="uint8").reshape(2, 2, 2, 3) * 10
    ours = rn.layers.Rescaling(1 / 127.5, offset=-1)(image)
    assert ours.dtype == np.float32
    same(ours, keras.layers.Rescaling(1 / 127.5, offset=-1)(image))


@pytest.mark.parametrize("kwargs", [
    {"num_bins": 4},
    {"num_bins": 5, "epsilon": 0.1, "output_mode": "multi_hot"},
    {"bin_boundaries": [0.0, 1.0, 2.0], "output_mode": "one_hot"},
    {"bin_boundaries": [-1.0, 1.5], "output_mode": "count"},
], ids=["adapt", "adapt-epsilon-multi-hot", "one-hot", "count"])
def test_discretization_matches_keras(keras, kwargs):
    ours, theirs = rn.layers.Discretization(**kwargs), keras.layers.Discretization(**kwargs)
    if "num_bins" in kwargs:
        ours.adapt([X[:25], X[25:]])          # two batches: their summaries are merged
        theirs.adapt([X[:25], X[25:]])
        same(ours.bin_boundaries, theirs.bin_boundaries)
    out, expected = ours(X[:6]), np.asarray(theirs(X[:6]))
    assert out.dtype == expected.dtype
    same(out, expected)


def test_category_encoding_matches_keras(keras):
    flat, batch = np.array([3, 2, 0, 1]), np.array([[0, 1, 1], [3, 2, 0]])
    for mode in ("one_hot", "multi_hot", "count"):
        same(rn.layers.CategoryEncoding(4, mode)(flat),
             keras.layers.CategoryEncoding(4, mode)(flat))
    for mode in ("multi_hot", "count"):
        same(rn.layers.CategoryEncoding(4, mode)(batch),
             keras.layers.CategoryEncoding(4, mode)(batch))
    weights = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    same(rn.layers.CategoryEncoding(4, "count")(batch, count_weights=weights),
         keras.layers.CategoryEncoding(4, "count")(batch, count_weights=weights))
    with pytest.raises(ValueError, match="inputs: expected indices in \\[0, 4\\)"):
        rn.layers.CategoryEncoding(4)(np.array([[4]]))


# ------------------------------------------------------------------------ errors, saving
@pytest.mark.parametrize("make, message", [
    (lambda: rn.layers.Normalization(mean=1.0), "mean, variance: give both"),
    (lambda: rn.layers.Normalization(mean=[1.0], variance=[1.0, 2.0]), "same shape"),
    (lambda: rn.layers.Rescaling("big"), "scale: expected a number"),
    (lambda: rn.layers.Discretization(), "bin_boundaries, num_bins: give one"),
    (lambda: rn.layers.Discretization(bin_boundaries=[2, 1]), "bin_boundaries: expected a sorted"),
    (lambda: rn.layers.Discretization(num_bins=3, output_mode="dense"), "output_mode: expected"),
    (lambda: rn.layers.CategoryEncoding(), "num_tokens:"),
    (lambda: rn.layers.CategoryEncoding(0), "num_tokens: expected an integer >= 1"),
    (lambda: rn.layers.Hashing(0), "num_bins: expected a positive integer"),
    (lambda: rn.layers.Hashing(3, salt="x"), "salt: expected an integer or a pair"),
])
def test_bad_arguments_are_named(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_numeric_layers_keep_their_state_through_a_model_file(tmp_path):
    norm, disc = rn.layers.Normalization(), rn.layers.Discretization(num_bins=3)
    norm.adapt(X)
    disc.adapt(X)
    inputs = rn.Input(shape=(3,))
    codes = disc(inputs)
    mixed = rn.layers.Concatenate()([rn.layers.Rescaling(0.5)(norm(inputs)),
                                     rn.layers.CategoryEncoding(3, "count")(codes)])
    model = rn.Model(inputs, rn.layers.Dense(2)(rn.layers.Hashing(5, output_mode="multi_hot")(
        codes)) + rn.layers.Dense(2)(mixed))
    model.save(tmp_path / "m.keras")
    loaded = rn.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    restored = [layer for layer in loaded.layers if isinstance(layer, rn.layers.Discretization)]
    assert restored[0].bin_boundaries == disc.bin_boundaries
