"""Metrics: values against keras.metrics over several batches (with and without sample
weights), reset, Keras' choice and naming of "accuracy", name resolution and configs."""

import json
import os

import numpy as np
import pytest

from redes.nn import losses, metrics


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


N, K = 12, 5


def batches(kind, rng, count=3):
    """``count`` batches of (y_true, y_pred) of one kind, of different sizes."""
    out = []
    for i in range(count):
        n = N + 3 * i
        labels = rng.integers(0, K, n)
        probs = rng.dirichlet(np.ones(K), n).astype("float32")
        if kind == "binary":
            y = (rng.random((n, 1)) > 0.5).astype("float32")
            p = rng.random((n, 1)).astype("float32")
            p[:2, 0] = 0.5  # exactly on the threshold: counts as 0
            out.append((y, p))
        elif kind == "binary_flat":
            out.append(((rng.random(n) > 0.5).astype("float32"), rng.random((n, 1))))
        elif kind == "onehot":
            out.append((np.eye(K, dtype="float32")[labels], probs))
        elif kind == "sparse":
            out.append((labels, probs))
        elif kind == "sparse_column":
            out.append((labels.reshape(-1, 1), probs))
        elif kind == "exact":
            out.append((labels.reshape(-1, 1), rng.integers(0, K, (n, 1))))
        else:  # regression, several outputs
            out.append((rng.normal(size=(n, 3)), rng.normal(size=(n, 3))))
    return out


CASES = [
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "binary"),
    ("BinaryAccuracy", {}, "binary_flat"),
    ("CategoricalAccuracy", {}, "onehot"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_column"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, "sparse"),
    ("Accuracy", {}, "exact"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanSquaredError", {}, "regression"),
    ("RootMeanSquaredError", {}, "regression"),
    ("BinaryCrossentropy", {}, "binary"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, "onehot"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[2]}-{c[1]}" for c in CASES])
def test_metric_matches_keras_over_several_batches(keras, case, weighted):
    name, kwargs, kind = case
    rng = np.random.default_rng(len(name) * 31 + len(kind))
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    assert ours.name == theirs.name
    for y_true, y_pred in batches(kind, rng):
        sw = rng.uniform(0, 2, len(y_true)) if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=sw)
        theirs.update_state(y_true, y_pred, sample_weight=sw)
        value = ours.result()
        assert isinstance(value, float)
        assert value == pytest.approx(float(theirs.result()), rel=1e-6, abs=1e-7)
    ours.reset_state()
    assert ours.result() == 0.0


def test_mean_matches_keras_with_weights_of_every_rank(keras):
    ours, theirs = metrics.Mean(), keras.metrics.Mean()
    values = np.arange(12, dtype="float64").reshape(4, 3)
    for sw in (None, np.array([1.0, 0.0, 2.0, 1.0]), np.array([[1.0], [2.0], [0.0], [1.0]]),
               np.full((4, 3), 0.5), 3.0):
        ours.update_state(values, sample_weight=sw)
        theirs.update_state(values, sample_weight=sw)
        assert ours.result() == pytest.approx(float(theirs.result()), rel=1e-6)
    assert (ours.total, ours.count) == pytest.approx(
        (float(theirs.total), float(theirs.count)), rel=1e-6)


def test_mean_by_hand():
    m = metrics.Mean()
    m.update_state([1, 3, 5, 7])
    assert m.result() == 4.0
    m.reset_state()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert m.result() == 2.0
    assert metrics.Mean().result() == 0.0  # nothing seen yet: 0, not NaN


def test_binary_accuracy_takes_probabilities_with_threshold_half():
    acc = metrics.BinaryAccuracy()
    # 0.5 is not above the threshold: predicted 0
    acc.update_state([[1], [0], [1], [0]], [[0.9], [0.5], [0.5], [0.1]])
    assert acc.result() == 0.75


def test_call_updates_and_returns_the_result():
    m = metrics.MeanAbsoluteError()
    assert m([[0.0], [0.0]], [[1.0], [3.0]]) == 2.0
    assert m([[0.0]], [[5.0]]) == pytest.approx(3.0)  # (1 + 3 + 5) / 3


def test_ignored_class_does_not_count_in_the_crossentropy_metric(keras):
    labels, probs = np.array([0, 1, 2, 1]), np.random.default_rng(0).dirichlet(np.ones(3), 4)
    ours = metrics.SparseCategoricalCrossentropy(ignore_class=1)
    theirs = keras.metrics.SparseCategoricalCrossentropy(ignore_class=1)
    ours.update_state(labels, probs, sample_weight=[1.0, 1.0, 2.0, 1.0])
    theirs.update_state(labels, probs, sample_weight=[1.0, 1.0, 2.0, 1.0])
    assert ours.result() == pytest.approx(float(theirs.result()), rel=1e-6)


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_top_k_ties_and_non_finite_rows_as_in_keras(keras, k):
    y_pred = np.array([[0.2, 0.2, 0.2, 0.4], [0.1, 0.3, 0.3, 0.3], [0.5, 0.5, 0.0, 0.0],
                       [np.nan, 0.1, 0.2, 0.3], [np.inf, 0.1, 0.2, 0.3]], dtype="float32")
    labels = np.array([0, 3, 1, 1, 1])
    np.testing.assert_array_equal(
        metrics.sparse_top_k_categorical_accuracy(labels, y_pred, k=k),
        keras.metrics.sparse_top_k_categorical_accuracy(labels, y_pred, k=k))
    np.testing.assert_array_equal(
        metrics.top_k_categorical_accuracy(np.eye(4)[labels], y_pred, k=k),
        keras.metrics.top_k_categorical_accuracy(np.eye(4)[labels], y_pred, k=k))


def test_sparse_top_k_from_sorted_ids_as_in_keras(keras):
    ids = np.array([[2, 0, 1], [1, 2, 0], [0, 1, 2], [2, 2, 1]])
    labels = np.array([0, 0, 2, 2])
    for k in (1, 2, 3):
        np.testing.assert_array_equal(
            metrics.sparse_top_k_categorical_accuracy(labels, ids, k=k, from_sorted_ids=True),
            keras.metrics.sparse_top_k_categorical_accuracy(labels, ids, k=k,
                                                            from_sorted_ids=True))
    ours = metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
    assert ours(labels, ids) == 0.5 and ours.get_config()["from_sorted_ids"] is True


def test_sample_weight_of_the_wrong_shape_fails_clearly():
    with pytest.raises(ValueError, match=r"sample_weight: expected one weight per sample"):
        metrics.MeanSquaredError().update_state(np.zeros((4, 1)), np.ones((4, 1)), np.ones(3))


# ------------------------------------------------------------------ "accuracy" and names
@pytest.mark.parametrize("identifier", ["accuracy", "acc", "Accuracy"])
@pytest.mark.parametrize("y_shape, out_shape", [
    ((8, 1), (8, 1)), ((8,), (8, 1)), ((8,), (8, 10)), ((8, 1), (8, 10)), ((8, 10), (8, 10)),
])
def test_accuracy_is_chosen_and_named_as_in_keras(keras, identifier, y_shape, out_shape):
    from keras.src.trainers.compile_utils import get_metric

    expected = get_metric(identifier, np.zeros(y_shape), np.zeros(out_shape, "float32"))
    got = metrics.get(identifier, output_shape=(None, *out_shape[1:]), y_true_shape=y_shape)
    assert type(got).__name__ == type(expected).__name__
    assert got.name == expected.name == identifier


@pytest.mark.parametrize("loss, output_shape, expected", [
    (losses.BinaryCrossentropy(), (None, 1), metrics.BinaryAccuracy),
    (losses.BinaryCrossentropy(), None, metrics.BinaryAccuracy),
    (losses.SparseCategoricalCrossentropy(), (None, 10), metrics.SparseCategoricalAccuracy),
    (losses.SparseCategoricalCrossentropy(), None, metrics.SparseCategoricalAccuracy),
    (losses.CategoricalCrossentropy(), (None, 10), metrics.CategoricalAccuracy),
    (losses.MeanSquaredError(), (None, 1), metrics.BinaryAccuracy),
    (None, (None, 4), metrics.CategoricalAccuracy),
])
def test_accuracy_follows_the_loss_when_the_target_shape_is_unknown(loss, output_shape,
                                                                      expected):
    got = metrics.get("accuracy", loss=loss, output_shape=output_shape)
    assert type(got) is expected and got.name == "accuracy"


@pytest.mark.parametrize("identifier", [
    "mae", "mse", "mean_absolute_error", "MeanAbsoluteError", "binary_accuracy",
    "categorical_accuracy", "sparse_categorical_accuracy", "root_mean_squared_error",
    "binary_crossentropy", "sparse_categorical_crossentropy", "top_k_categorical_accuracy",
])
def test_names_resolve_to_the_keras_class_and_keep_the_string_as_name(keras, identifier):
    from keras.src.trainers.compile_utils import get_metric

    expected = get_metric(identifier, np.zeros((4, 1)), np.zeros((4, 1), "float32"))
    got = metrics.get(identifier)
    assert type(got).__name__ == type(expected).__name__
    assert got.name == expected.name == identifier


def test_objects_keep_their_names_and_functions_are_wrapped(keras):
    m = metrics.MeanAbsoluteError()
    assert metrics.get(m) is m and m.name == keras.metrics.MeanAbsoluteError().name
    assert metrics.get(metrics.RootMeanSquaredError).name == "root_mean_squared_error"
    wrapped = metrics.get(losses.mean_squared_error)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "mean_squared_error"
    wrapped.update_state(np.zeros((2, 2)), np.ones((2, 2)))
    assert wrapped.result() == 1.0

    def my_error(y_true, y_pred):
        return np.abs(np.asarray(y_true) - np.asarray(y_pred))

    custom = metrics.get(my_error)
    custom.update_state([[1.0], [2.0]], [[0.0], [0.0]])
    assert custom.name == "my_error" and custom.result() == 1.5


def test_unknown_metrics_fail_clearly():
    with pytest.raises(ValueError, match=r"metrics: unknown metric 'precisión'"):
        metrics.get("precisión")
    with pytest.raises(ValueError, match=r"metrics: expected a metric name such as 'accuracy'"):
        metrics.get(3)
    with pytest.raises(ValueError, match=r"threshold: expected a number"):
        metrics.BinaryAccuracy(threshold="0.5")
    with pytest.raises(ValueError, match=r"k: expected a positive integer, got 0"):
        metrics.TopKCategoricalAccuracy(k=0)


@pytest.mark.parametrize("metric", [
    metrics.Mean(name="media"),
    metrics.Accuracy(),
    metrics.BinaryAccuracy(threshold=0.3, name="acc"),
    metrics.CategoricalAccuracy(),
    metrics.SparseCategoricalAccuracy(name="accuracy"),
    metrics.TopKCategoricalAccuracy(k=3),
    metrics.SparseTopKCategoricalAccuracy(k=2),
    metrics.MeanAbsoluteError(name="mae"),
    metrics.MeanSquaredError(),
    metrics.RootMeanSquaredError(),
    metrics.BinaryCrossentropy(label_smoothing=0.1),
    metrics.CategoricalCrossentropy(from_logits=True),
    metrics.SparseCategoricalCrossentropy(ignore_class=0),
    metrics.MeanMetricWrapper(losses.huber, name="huber", delta=0.5),
], ids=lambda m: type(m).__name__)
def test_config_round_trips_through_json(metric):
    back = metrics.get(json.loads(json.dumps(metrics.serialize(metric))))
    assert type(back) is type(metric)
    assert back.get_config() == metric.get_config()
    assert back.name == metric.name


def test_keras_metric_configs_load(keras):
    for cls, kwargs in (("BinaryAccuracy", {"threshold": 0.4}),
                        ("SparseCategoricalAccuracy", {}), ("MeanAbsoluteError", {}),
                        ("TopKCategoricalAccuracy", {"k": 2})):
        config = getattr(keras.metrics, cls)(name="x", **kwargs).get_config()
        back = metrics.get({"class_name": cls, "config": config})
        assert back.get_config() == config
