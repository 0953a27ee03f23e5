"""Normalization, one-hot and multi-hot codes, padding."""

from __future__ import annotations

import json

import numpy as np
import pytest

import redes.data as data
from redes.data import Normalizer


@pytest.fixture(scope="module")
def keras_utils():
    keras = pytest.importorskip("keras")
    return keras.utils


# ----------------------------------------------------------------------------- normalize


def test_normalize_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    train = rng.normal([10.0, -5.0], [2.0, 0.5], size=(200, 2))
    test = rng.normal([30.0, 0.0], [8.0, 3.0], size=(50, 2))  # other distribution
    train_n, test_n = data.normalize(train, test)
    assert train_n.dtype == np.float32 and test_n.dtype == np.float32
    np.testing.assert_allclose(train_n.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(train_n.std(axis=0), 1.0, atol=1e-6)
    expected = (test - train.mean(axis=0)) / train.std(axis=0)
    np.testing.assert_allclose(test_n, expected, rtol=1e-6)
    assert abs(test_n[:, 0].mean() - 10.0) < 1.5  # far from 0: test stats were not used


def test_constant_feature_becomes_zero():
    x = np.array([[1.0, 7.0], [3.0, 7.0], [5.0, 7.0]])
    norm = Normalizer().fit(x)
    np.testing.assert_array_equal(norm.std, [np.std([1, 3, 5]), 1.0])
    out = norm.transform(x)
    assert np.all(np.isfinite(out)) and np.all(out[:, 1] == 0)


def test_images_get_per_pixel_statistics():
    x = np.zeros((4, 3, 3), dtype=np.uint8)
    x[:, 1, 1] = [0, 2, 4, 6]
    norm = Normalizer().fit(x)
    assert norm.mean.shape == (3, 3) and norm.mean[1, 1] == 3.0
    assert norm.transform(x).shape == (4, 3, 3)


def test_config_round_trip_and_inverse():
    x = np.random.default_rng(1).normal(5.0, 3.0, size=(20, 4))
    norm = Normalizer(dtype="float64").fit(x)
    again = Normalizer.from_config(json.loads(json.dumps(norm.get_config())))
    np.testing.assert_array_equal(again.transform(x), norm.transform(x))
    np.testing.assert_allclose(again.inverse_transform(norm.transform(x)), x, rtol=1e-12)
    assert data.normalize(x).shape == (20, 4)


def test_normalizer_errors():
    with pytest.raises(RuntimeError, match="call fit"):
        Normalizer().transform(np.zeros((2, 2)))
    norm = Normalizer().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"^x: expected samples of shape \(2,\)"):
        norm.transform(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="^x: holds NaN"):
        Normalizer().fit(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="^x: expected a non-empty numeric array"):
        Normalizer().fit(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="^dtype: expected a float dtype"):
        Normalizer(dtype="int32")


# ----------------------------------------------------------------------------- one-hot


@pytest.mark.parametrize(
    "y, num_classes",
    [([0, 2, 1], None), ([[1], [0]], None), ([[0, 1, 2], [2, 1, 0]], 4), ([3], 5)],
)
def test_to_categorical_matches_keras(keras_utils, y, num_classes):
    ours = data.to_categorical(y, num_classes)
    theirs = keras_utils.to_categorical(y, num_classes)
    assert ours.shape == theirs.shape and ours.dtype == np.float32
    np.testing.assert_array_equal(ours, theirs)


def test_to_one_hot_course_name():
    out = data.to_one_hot([3, 45], dimension=46)
    assert out.shape == (2, 46) and out[0, 3] == 1 and out[1, 45] == 1 and out.sum() == 2


def test_one_hot_errors():
    with pytest.raises(ValueError, match="^y: class labels must be >= 0"):
        data.to_categorical([-1, 0])
    with pytest.raises(ValueError, match="^num_classes: got 2, but y holds the label 4"):
        data.to_categorical([4], num_classes=2)
    with pytest.raises(ValueError, match="^y: expected integer values"):
        data.to_categorical([0.5])


# ----------------------------------------------------------------------------- multi-hot


def test_multi_hot():
    out = data.multi_hot([[1, 3, 3], [0, 2], []], dimension=4)
    np.testing.assert_array_equal(out, [[0, 1, 0, 1], [1, 0, 1, 0], [0, 0, 0, 0]])
    assert out.dtype == np.float32
    padded = data.vectorize_sequences(np.array([[0, 0, 5], [1, 2, 3]]), dimension=6)
    np.testing.assert_array_equal(padded.sum(axis=1), [2, 3])


def test_multi_hot_matches_course_loop():
    rng = np.random.default_rng(0)
    sequences = [rng.integers(0, 50, rng.integers(1, 20)).tolist() for _ in range(30)]
    expected = np.zeros((30, 50))
    for i, sequence in enumerate(sequences):
        expected[i, sequence] = 1.0
    np.testing.assert_array_equal(data.multi_hot(sequences, dimension=50), expected)


def test_multi_hot_index_out_of_range():
    with pytest.raises(ValueError, match="index 10 does not fit in dimension=10"):
        data.multi_hot([[1, 10]], dimension=10)


# ----------------------------------------------------------------------------- padding

PAD_SEQUENCES = [[1], [2, 3], [4, 5, 6], [], [7, 8, 9, 10, 11]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"maxlen": 2},
        {"maxlen": 4, "padding": "post"},
        {"maxlen": 3, "truncating": "post"},
        {"maxlen": 3, "padding": "post", "truncating": "post", "value": -1},
        {"maxlen": 7, "dtype": "float32", "value": 0.5},
    ],
)
def test_pad_sequences_matches_keras(keras_utils, kwargs):
    ours = data.pad_sequences(PAD_SEQUENCES, **kwargs)
    theirs = keras_utils.pad_sequences(PAD_SEQUENCES, **kwargs)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_vectors_match_keras(keras_utils):
    sequences = [np.ones((2, 3)), np.arange(12.0).reshape(4, 3), np.zeros((0, 3))]
    ours = data.pad_sequences(sequences, maxlen=3, dtype="float32", padding="post")
    theirs = keras_utils.pad_sequences(sequences, maxlen=3, dtype="float32", padding="post")
    assert ours.shape == (3, 3, 3)
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_docstring_example():
    out = data.pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2)
    np.testing.assert_array_equal(out, [[0, 1], [2, 3], [5, 6]])
    assert out.dtype == np.int32


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match="^padding: expected one of 'pre', 'post'"):
        data.pad_sequences([[1]], padding="left")
    with pytest.raises(ValueError, match="^maxlen: expected an integer >= 1"):
        data.pad_sequences([[1]], maxlen=0)
    with pytest.raises(ValueError, match="^sequences: element 1 is not a sequence"):
        data.pad_sequences([[1], 2])
    with pytest.raises(ValueError, match="^sequences: element 1 has items of shape"):
        data.pad_sequences([np.ones((2, 2)), np.ones((2, 3))])
