"""Initializers: formulas (statistics on large shapes), Keras' defaults and fans,
determinism under set_random_seed, names, configs and errors."""

from __future__ import annotations

import inspect
import json
import math
import os

import numpy as np
import pytest

from redes.nn import backend, initializers, layers

SHAPE = (500, 300)           # fan_in 500, fan_out 300: 150 000 values
CONV = (3, 3, 64, 128)       # fan_in 576, fan_out 1152: 73 728 values
CLASSES = ["Constant", "Zeros", "Ones", "Identity", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeUniform",
           "HeNormal", "LecunUniform", "LecunNormal", "Orthogonal"]


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def _fans(shape):
    if len(shape) == 2:
        return shape
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


# (name, variance of the values as a function of (fan_in, fan_out), uniform?)
VARIANCE_SCALING = [
    ("glorot_uniform", lambda i, o: 2 / (i + o), True),
    ("glorot_normal", lambda i, o: 2 / (i + o), False),
    ("he_uniform", lambda i, o: 2 / i, True),
    ("he_normal", lambda i, o: 2 / i, False),
    ("lecun_uniform", lambda i, o: 1 / i, True),
    ("lecun_normal", lambda i, o: 1 / i, False),
]


@pytest.mark.parametrize("shape", [SHAPE, CONV])
@pytest.mark.parametrize("name, variance, uniform", VARIANCE_SCALING)
def test_variance_scaling_formulas(name, variance, uniform, shape):
    backend.set_random_seed(0)
    w = initializers.get(name)(shape, dtype="float64")
    fan_in, fan_out = _fans(shape)
    std = math.sqrt(variance(fan_in, fan_out))
    n = w.size
    assert w.shape == shape and w.dtype == np.float64
    assert abs(w.mean()) < 5 * std / math.sqrt(n)
    assert w.std() == pytest.approx(std, rel=0.02)
    if uniform:  # uniform in [-limit, limit], limit = sqrt(3 var): glorot's sqrt(6/(in+out))
        limit = math.sqrt(3) * std
        assert np.abs(w).max() <= limit and np.abs(w).max() > 0.99 * limit
    else:  # a normal truncated at 2 of its stddevs, stddev = std / 0.8796...
        bound = 2 * std / 0.87962566103423978
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.98 * bound


def test_glorot_uniform_limit_is_the_textbook_one():
    w = initializers.GlorotUniform(seed=1)((784, 128))
    assert np.abs(w).max() <= math.sqrt(6 / (784 + 128))


@pytest.mark.parametrize("init, mean, std, low, high", [
    (initializers.RandomNormal(), 0.0, 0.05, -np.inf, np.inf),
    (initializers.RandomNormal(mean=1.0, stddev=2.0), 1.0, 2.0, -np.inf, np.inf),
    (initializers.RandomUniform(), 0.0, 0.1 / math.sqrt(12), -0.05, 0.05),
    (initializers.RandomUniform(minval=2.0, maxval=4.0), 3.0, 2 / math.sqrt(12), 2.0, 4.0),
    (initializers.TruncatedNormal(), 0.0, 0.05 * 0.87962566103423978, -0.1, 0.1),
    (initializers.TruncatedNormal(mean=-1.0, stddev=0.5), -1.0, 0.5 * 0.87962566103423978,
     -2.0, 0.0),
    (initializers.VarianceScaling(scale=3.0, mode="fan_out", distribution="untruncated_normal"),
     0.0, math.sqrt(3.0 / 300), -np.inf, np.inf),
    (initializers.VarianceScaling(scale=0.5, mode="fan_avg", distribution="normal"),
     0.0, math.sqrt(0.5 / 400), -2 * math.sqrt(0.5 / 400) / 0.87962566103423978,
     2 * math.sqrt(0.5 / 400) / 0.87962566103423978),
])
def test_random_statistics(init, mean, std, low, high):
    backend.set_random_seed(0)
    w = init(SHAPE, dtype="float64")
    assert abs(w.mean() - mean) < 5 * std / math.sqrt(w.size)
    assert w.std() == pytest.approx(std, rel=0.02)
    assert w.min() >= low and w.max() <= high


def test_constants():
    np.testing.assert_array_equal(initializers.get("zeros")((2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(initializers.get("ones")((4,)), np.ones(4))
    np.testing.assert_array_equal(initializers.Constant(2.5)((2, 2)), np.full((2, 2), 2.5))
    np.testing.assert_array_equal(initializers.get("identity")((2, 3)), np.eye(2, 3))
    np.testing.assert_array_equal(initializers.Identity(gain=3.0)((3, 3)), 3 * np.eye(3))
    assert initializers.Zeros()((2,)).dtype == np.float32


@pytest.mark.parametrize("shape", [(6, 6), (10, 4), (4, 10), (3, 3, 4, 8)])
def test_orthogonal(shape):
    w = initializers.Orthogonal(gain=2.0, seed=3)(shape, dtype="float64")
    assert w.shape == shape
    m = w.reshape(-1, shape[-1])
    gram = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(len(gram)), atol=1e-12)


def test_fans_match_keras(keras):
    from keras.src.initializers.random_initializers import compute_fans

    for shape in [(), (7,), (5, 3), (3, 3, 16, 32), (2, 5, 5, 4, 6)]:
        assert initializers.compute_fans(shape) == compute_fans(shape)
    assert initializers.compute_fans((3, 4, 5), [0, 1], [2]) == compute_fans((3, 4, 5), [0, 1],
                                                                            [2])


@pytest.mark.parametrize("name", ["glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
                                  "lecun_uniform", "lecun_normal", "random_normal",
                                  "random_uniform", "truncated_normal", "orthogonal"])
def test_same_distribution_as_keras(keras, name):
    shape = CONV  # 73 728 values: each std is within 0.3% of the true one
    ours = initializers.get(name)(shape, dtype="float64")
    theirs = np.asarray(keras.initializers.get(name)(shape, dtype="float64"))
    assert ours.std() == pytest.approx(theirs.std(), rel=0.02)
    if name not in ("random_normal", "orthogonal"):  # bounded: the same bounds
        assert np.abs(ours).max() == pytest.approx(np.abs(theirs).max(), rel=0.01)


@pytest.mark.parametrize("name", CLASSES)
def test_keras_signatures_and_defaults(keras, name):
    ours = inspect.signature(getattr(initializers, name)).parameters
    theirs = inspect.signature(getattr(keras.initializers, name)).parameters
    assert list(ours) == list(theirs)
    assert [p.default for p in ours.values()] == [p.default for p in theirs.values()]


def test_determinism_with_set_random_seed():
    backend.set_random_seed(42)
    a = [initializers.get(n)((20, 10)) for n in ("glorot_uniform", "he_normal", "orthogonal")]
    backend.set_random_seed(42)
    b = [initializers.get(n)((20, 10)) for n in ("glorot_uniform", "he_normal", "orthogonal")]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    init = initializers.GlorotUniform()
    assert not np.array_equal(init((20, 10)), init((20, 10)))  # unseeded: new draws each call
    backend.set_random_seed(42)
    l1 = layers.Dense(5)
    l1.build_for((None, 3))
    backend.set_random_seed(42)
    l2 = layers.Dense(5)
    l2.build_for((None, 3))
    np.testing.assert_array_equal(l1.kernel, l2.kernel)


def test_seeded_initializers_repeat():
    for cls in ("RandomNormal", "RandomUniform", "TruncatedNormal", "GlorotNormal",
                "HeUniform", "Orthogonal"):
        init = getattr(initializers, cls)(seed=7)
        np.testing.assert_array_equal(init((6, 4)), init((6, 4)))
        other = getattr(initializers, cls)(seed=8)
        assert not np.array_equal(init((6, 4)), other((6, 4)))
    backend.set_random_seed(1)
    a = initializers.HeNormal(seed=3)((5, 5))
    backend.set_random_seed(2)
    np.testing.assert_array_equal(a, initializers.HeNormal(seed=3)((5, 5)))


@pytest.mark.parametrize("name, cls", [
    ("glorot_uniform", "GlorotUniform"), ("GlorotUniform", "GlorotUniform"),
    ("he_normal", "HeNormal"), ("HeNormal", "HeNormal"), ("lecun_uniform", "LecunUniform"),
    ("normal", "RandomNormal"), ("random_normal", "RandomNormal"),
    ("uniform", "RandomUniform"), ("zero", "Zeros"), ("zeros", "Zeros"), ("one", "Ones"),
    ("constant", "Constant"), ("truncated_normal", "TruncatedNormal"),
    ("orthogonal", "Orthogonal"), ("OrthogonalInitializer", "Orthogonal"),
    ("IdentityInitializer", "Identity"), ("variance_scaling", "VarianceScaling"),
])
def test_names(name, cls):
    init = initializers.get(name)
    assert type(init).__name__ == cls
    assert init((3, 3)).shape == (3, 3)


def test_get_other_identifiers():
    init = initializers.HeUniform(seed=1)
    assert initializers.get(init) is init
    assert isinstance(initializers.get(initializers.Ones), initializers.Ones)
    assert initializers.get(None) is None
    table = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(initializers.get(table)((2, 3)), table)
    with pytest.raises(ValueError, match="shape"):
        initializers.get(table)((3, 2))

    def fn(shape, dtype=None):
        return np.full(shape, 7.0)

    assert initializers.get(fn) is fn


@pytest.mark.parametrize("name", CLASSES)
def test_config_round_trip_through_json(name):
    cls = getattr(initializers, name)
    init = cls(seed=5) if "seed" in inspect.signature(cls).parameters else cls()
    text = json.dumps(initializers.serialize(init))
    again = initializers.deserialize(json.loads(text))
    assert type(again) is cls and again.get_config() == init.get_config()
    shape = (4, 4)
    np.testing.assert_array_equal(again(shape), init(shape))


def test_keras_configs_are_understood(keras):
    config = keras.initializers.serialize(keras.initializers.HeNormal(seed=3))
    init = initializers.get(config)
    assert isinstance(init, initializers.HeNormal) and init.seed == 3
    config = keras.initializers.serialize(keras.initializers.RandomUniform(-1.0, 2.0))
    init = initializers.get(config)
    assert (init.minval, init.maxval) == (-1.0, 2.0)


def test_dense_defaults_and_string_initializers():
    layer = layers.Dense(64, kernel_initializer="he_normal", bias_initializer="ones")
    layer.build_for((None, 128))
    assert layer.kernel.dtype == np.float32
    assert layer.kernel.std() == pytest.approx(math.sqrt(2 / 128), rel=0.1)
    np.testing.assert_array_equal(layer.bias, 1.0)
    default = layers.Dense(32)
    default.build_for((None, 16))
    assert np.abs(default.kernel).max() <= math.sqrt(6 / 48)
    np.testing.assert_array_equal(default.bias, 0.0)


@pytest.mark.parametrize("make, match", [
    (lambda: initializers.VarianceScaling(scale=0), "scale"),
    (lambda: initializers.VarianceScaling(mode="fan_sum"), "mode"),
    (lambda: initializers.VarianceScaling(distribution="cauchy"), "distribution"),
    (lambda: initializers.GlorotUniform(seed=-1), "seed"),
    (lambda: initializers.GlorotUniform(seed=1.5), "seed"),
    (lambda: initializers.RandomNormal(stddev=-1), "stddev"),
    (lambda: initializers.RandomUniform(minval=1, maxval=0), "minval"),
    (lambda: initializers.Constant("a"), "value"),
    (lambda: initializers.get("glorot_unifrom"), "initializer: unknown initializer"),
    (lambda: initializers.get(3), "initializer"),
    (lambda: initializers.Zeros()((2, -1)), "shape"),
    (lambda: initializers.Zeros()((2, 2), dtype="int32"), "dtype"),
    (lambda: initializers.Orthogonal()((5,)), "shape"),
    (lambda: initializers.Identity()((2, 2, 2)), "shape"),
])
def test_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()
