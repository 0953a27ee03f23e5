"""Losses: values and gradients against Keras, the fused logits path, saturated inputs,
reductions, name resolution, config round trips and the target checks of ``validate``."""

import json
import os
import zlib

import numpy as np
import pytest

from redes.nn import activations, losses

TOL = {"float64": 1e-6, "float32": 1e-5}
N, K = 9, 4


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def keras_value_and_grad(loss, y_true, y_pred, sample_weight=None, transform=None):
    """Keras' loss and d(loss)/d(y_pred) with tf.GradientTape; ``transform`` is applied to
    the watched tensor first (an activation, for the fused path)."""
    import tensorflow as tf

    x = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        value = loss(y_true, transform(x) if transform else x, sample_weight=sample_weight)
    return np.asarray(value), tape.gradient(value, x).numpy()


def assert_close(ours, theirs, dtype):
    ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    assert ours.shape == theirs.shape
    scale = max(float(np.max(np.abs(theirs))), 1e-12) if theirs.size else 1.0
    assert np.all(np.isfinite(ours))
    assert np.max(np.abs(ours - theirs), initial=0.0) <= TOL[dtype] * scale


def data(kind, dtype, rng, n=N, k=K):
    """(y_true, y_pred) for one kind of loss."""
    probs = rng.uniform(0.02, 0.98, (n, k)).astype(dtype)
    logits = (rng.normal(size=(n, k)) * 3).astype(dtype)
    labels = rng.integers(0, k, n)
    if kind == "regression":
        return rng.normal(size=(n, k)).astype(dtype), rng.normal(size=(n, k)).astype(dtype)
    if kind == "binary":
        return (rng.random((n, k)) > 0.5).astype(dtype), probs
    if kind == "binary_logits":
        return (rng.random((n, k)) > 0.5).astype(dtype), logits
    if kind == "onehot":
        return np.eye(k, dtype=dtype)[labels], probs
    if kind == "onehot_logits":
        return np.eye(k, dtype=dtype)[labels], logits
    if kind == "sparse":
        return labels, probs
    return labels.reshape(-1, 1), logits  # "sparse_logits": labels of shape (n, 1)


# (id, our class, keras class name, kwargs for both, kind of data)
CASES = [
    ("mse", losses.MeanSquaredError, "MeanSquaredError", {}, "regression"),
    ("mae", losses.MeanAbsoluteError, "MeanAbsoluteError", {}, "regression"),
    ("huber", losses.Huber, "Huber", {"delta": 0.8}, "regression"),
    ("bce", losses.BinaryCrossentropy, "BinaryCrossentropy", {}, "binary"),
    ("bce_smooth", losses.BinaryCrossentropy, "BinaryCrossentropy",
     {"label_smoothing": 0.2}, "binary"),
    ("bce_logits", losses.BinaryCrossentropy, "BinaryCrossentropy",
     {"from_logits": True}, "binary_logits"),
    ("cce", losses.CategoricalCrossentropy, "CategoricalCrossentropy", {}, "onehot"),
    ("cce_logits_smooth", losses.CategoricalCrossentropy, "CategoricalCrossentropy",
     {"from_logits": True, "label_smoothing": 0.1}, "onehot_logits"),
    ("scce", losses.SparseCategoricalCrossentropy, "SparseCategoricalCrossentropy", {},
     "sparse"),
    ("scce_logits", losses.SparseCategoricalCrossentropy, "SparseCategoricalCrossentropy",
     {"from_logits": True}, "sparse_logits"),
    ("scce_ignore", losses.SparseCategoricalCrossentropy, "SparseCategoricalCrossentropy",
     {"from_logits": True, "ignore_class": 1}, "sparse_logits"),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_value_and_gradient_match_keras(keras, case, weighted, dtype):
    _, ours_cls, keras_name, kwargs, kind = case
    rng = np.random.default_rng(zlib.crc32(f"{case[0]}{weighted}{dtype}".encode()))
    y_true, y_pred = data(kind, dtype, rng)
    sw = rng.uniform(0, 2, N).astype(dtype) if weighted else None
    ours = ours_cls(**kwargs)
    theirs = getattr(keras.losses, keras_name)(**kwargs, dtype=dtype)

    value, grad = ours.loss_and_grad(y_true, y_pred, sw)
    k_value, k_grad = keras_value_and_grad(theirs, y_true, y_pred, sw)

    assert isinstance(value, float)
    assert abs(value - float(k_value)) <= TOL[dtype] * abs(float(k_value))
    assert grad.dtype == np.dtype(dtype) and grad.shape == y_pred.shape
    assert_close(grad, k_grad, dtype)
    assert ours(y_true, y_pred, sw) == pytest.approx(value, rel=1e-12)


FUSED = [
    ("bce_sigmoid", losses.BinaryCrossentropy, "BinaryCrossentropy", "sigmoid",
     "binary_logits"),
    ("cce_softmax", losses.CategoricalCrossentropy, "CategoricalCrossentropy", "softmax",
     "onehot_logits"),
    ("scce_softmax", losses.SparseCategoricalCrossentropy, "SparseCategoricalCrossentropy",
     "softmax", "sparse_logits"),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", FUSED, ids=[c[0] for c in FUSED])
def test_fused_path_matches_keras_activation_then_loss(keras, case, dtype):
    _, ours_cls, keras_name, act, kind = case
    rng = np.random.default_rng(7)
    y_true, z = data(kind, dtype, rng)
    z[0] = 40.0 * np.sign(z[0])  # a saturated row: the activation alone would give 0 and 1
    sw = rng.uniform(0, 2, N).astype(dtype)
    ours = ours_cls()
    assert ours.fuses_with(getattr(activations, act))

    value, grad = ours.loss_and_grad(y_true, z, sw, logits=True)
    k_value, k_grad = keras_value_and_grad(
        getattr(keras.losses, keras_name)(dtype=dtype), y_true, z, sw,
        transform=getattr(keras.activations, act))

    assert abs(value - float(k_value)) <= TOL[dtype] * abs(float(k_value))
    assert_close(grad, k_grad, dtype)


def test_fuses_with_only_its_activation():
    bce, cce = losses.BinaryCrossentropy(), losses.CategoricalCrossentropy()
    scce, mse = losses.SparseCategoricalCrossentropy(), losses.MeanSquaredError()
    assert bce.fuses_with(activations.sigmoid) and not bce.fuses_with(activations.softmax)
    assert cce.fuses_with(activations.softmax) and not cce.fuses_with(activations.sigmoid)
    assert scce.fuses_with(activations.softmax) and not scce.fuses_with(activations.relu)
    assert not mse.fuses_with(activations.linear)
    assert not losses.BinaryCrossentropy(from_logits=True).fuses_with(activations.sigmoid)
    assert not losses.CategoricalCrossentropy(from_logits=True).fuses_with(activations.softmax)


SATURATED = [
    ("bce", "BinaryCrossentropy", {},
     np.array([[1, 0, 1], [0, 1, 0]]), np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])),
    ("bce_logits", "BinaryCrossentropy", {"from_logits": True},
     np.array([[1, 0, 1], [0, 1, 0]]), np.array([[200.0, -200.0, -200.0], [1e4, 90, -90]])),
    ("cce", "CategoricalCrossentropy", {},
     np.array([[1, 0, 0], [0, 0, 1]]), np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])),
    ("cce_logits", "CategoricalCrossentropy", {"from_logits": True},
     np.array([[1, 0, 0], [0, 0, 1]]), np.array([[1e4, 0.0, -1e4], [500.0, 0.0, -500.0]])),
    ("scce", "SparseCategoricalCrossentropy", {},
     np.array([0, 2]), np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])),
    ("scce_logits", "SparseCategoricalCrossentropy", {"from_logits": True},
     np.array([0, 2]), np.array([[1e4, 0.0, -1e4], [500.0, 0.0, -500.0]])),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", SATURATED, ids=[c[0] for c in SATURATED])
def test_saturated_inputs_are_finite_and_equal_keras(keras, case, dtype):
    _, name, kwargs, y_true, y_pred = case
    y_true, y_pred = y_true.astype(dtype), y_pred.astype(dtype)
    if name == "SparseCategoricalCrossentropy":
        y_true = y_true.astype("int64")
    ours = getattr(losses, name)(**kwargs)
    value, grad = ours.loss_and_grad(y_true, y_pred)
    k_value, k_grad = keras_value_and_grad(
        getattr(keras.losses, name)(**kwargs, dtype=dtype), y_true, y_pred)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert abs(value - float(k_value)) <= TOL[dtype] * abs(float(k_value))
    assert_close(grad, k_grad, dtype)


def test_bce_of_a_confident_wrong_probability_is_minus_log_epsilon():
    # p = 0 for a positive target is clipped to 1e-7: loss = -log(1e-7) = 16.118...
    value = losses.BinaryCrossentropy()(np.array([[1.0]]), np.array([[0.0]]))
    assert value == pytest.approx(-np.log(1e-7), rel=1e-6)


@pytest.mark.parametrize("reduction", ["sum", "mean", "mean_with_sample_weight", None, "none"])
def test_reductions_match_keras(keras, reduction):
    rng = np.random.default_rng(3)
    y_true, y_pred = data("onehot_logits", "float64", rng)
    sw = rng.uniform(0, 2, N)
    ours = losses.CategoricalCrossentropy(from_logits=True, reduction=reduction)
    theirs = keras.losses.CategoricalCrossentropy(from_logits=True, reduction=reduction,
                                                  dtype="float64")
    for weights in (None, sw):
        value, grad = ours.loss_and_grad(y_true, y_pred, weights)
        k_value, k_grad = keras_value_and_grad(theirs, y_true, y_pred, weights)
        assert_close(value, k_value, "float64")
        assert_close(grad, k_grad, "float64")


def test_sum_over_batch_size_divides_by_the_batch_not_the_weights():
    y_true, y_pred = np.zeros((4, 1)), np.array([[1.0], [2.0], [3.0], [4.0]])
    w = np.array([1.0, 0.0, 0.0, 2.0])
    # (1 * 1 + 2 * 16) / 4 samples
    assert losses.MeanSquaredError()(y_true, y_pred, w) == pytest.approx(33 / 4)
    value, grad = losses.MeanSquaredError().loss_and_grad(y_true, y_pred, w)
    np.testing.assert_allclose(grad[:, 0], 2 * y_pred[:, 0] * w / 4)  # 2 (y_pred - y) w / n


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_targets_of_shape_n_next_to_one_output_unit(keras, dtype):
    rng = np.random.default_rng(5)
    y_true = (rng.random(N) > 0.5).astype(dtype)  # (n,)
    y_pred = rng.uniform(0.05, 0.95, (N, 1)).astype(dtype)
    sw = rng.uniform(0, 2, (N, 1)).astype(dtype)  # weights of shape (n, 1) also fit
    for name in ("BinaryCrossentropy", "MeanSquaredError", "MeanAbsoluteError"):
        value, grad = getattr(losses, name)().loss_and_grad(y_true, y_pred, sw)
        k_value, k_grad = keras_value_and_grad(
            getattr(keras.losses, name)(dtype=dtype), y_true, y_pred, sw)
        assert abs(value - float(k_value)) <= TOL[dtype] * abs(float(k_value))
        assert_close(grad, k_grad, dtype)


@pytest.mark.parametrize("name, kind, kwargs", [
    ("mean_squared_error", "regression", {}),
    ("mean_absolute_error", "regression", {}),
    ("huber", "regression", {"delta": 0.5}),
    ("binary_crossentropy", "binary", {"label_smoothing": 0.1}),
    ("categorical_crossentropy", "onehot_logits", {"from_logits": True}),
    ("sparse_categorical_crossentropy", "sparse", {}),
])
def test_plain_functions_give_per_sample_losses_like_keras(keras, name, kind, kwargs):
    y_true, y_pred = data(kind, "float64", np.random.default_rng(11))
    ours = getattr(losses, name)(y_true, y_pred, **kwargs)
    theirs = np.asarray(getattr(keras.losses, name)(y_true, y_pred, **kwargs))
    assert ours.shape == (N,)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_mse_is_the_mean_over_the_last_axis():
    y_true = np.array([[0.0, 0.0], [1.0, 1.0]])
    y_pred = np.array([[1.0, 3.0], [1.0, 0.0]])
    np.testing.assert_allclose(losses.mean_squared_error(y_true, y_pred), [5.0, 0.5])
    assert losses.MeanSquaredError()(y_true, y_pred) == pytest.approx(2.75)


def test_one_dimensional_predictions_are_one_sample_as_in_keras(keras):
    # the examples of Keras' docstrings: 1-D arrays, the loss is the mean over them
    y_true, z = np.array([0, 1, 0, 0.0]), np.array([-18.6, 0.51, 2.94, -12.8])
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert bce(y_true, z) == pytest.approx(
        float(keras.losses.BinaryCrossentropy(from_logits=True, dtype="float64")(y_true, z)),
        rel=1e-12)
    assert losses.mean_squared_error([1.0, 0.0, 1.0], [0.9, 0.1, 0.8]) == pytest.approx(0.02)
    value, grad = losses.MeanSquaredError().loss_and_grad([1.0, 0.0, 1.0], [0.9, 0.1, 0.8], 2.0)
    assert value == pytest.approx(0.04)
    np.testing.assert_allclose(grad, 2.0 * 2 * np.array([-0.1, 0.1, -0.2]) / 3)
    with pytest.raises(ValueError, match=r"sample_weight: a 1-D y_pred is a single sample"):
        losses.MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8], [1.0, 2.0, 3.0])


def test_need_grad_false_gives_no_gradient_and_float32_stays_float32():
    y_true, y_pred = data("onehot_logits", "float32", np.random.default_rng(0))
    value, grad = losses.CategoricalCrossentropy(from_logits=True).loss_and_grad(
        y_true, y_pred, need_grad=False)
    assert grad is None and value > 0
    _, grad = losses.CategoricalCrossentropy().loss_and_grad(y_true, activations.softmax(y_pred))
    assert grad.dtype == np.float32


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(128, 10), (5, 3), (1, 2), (300, 46)])
def test_crossentropy_training_path_equals_the_general_one(dtype, shape):
    # a batch of logits without weights takes a shorter path through categorical
    # crossentropy; any other call takes the general one, which must give the same numbers
    rng = np.random.default_rng(shape[0])
    z = (8 * rng.normal(size=shape)).astype(dtype)
    y = rng.random(shape).astype(dtype)            # targets need not be one-hot
    for loss, logits in ((losses.CategoricalCrossentropy(), True),
                         (losses.CategoricalCrossentropy(from_logits=True), False),
                         (losses.CategoricalCrossentropy(label_smoothing=0.1), True)):
        value, grad = loss.loss_and_grad(y, z, logits=logits)
        general_value, general_grad = losses.Loss.loss_and_grad(loss, y, z, logits=logits)
        assert value == general_value
        np.testing.assert_array_equal(grad, general_grad)
        assert grad.dtype == np.dtype(dtype)
        # the shorter path is the one taken: per-sample weights of 1 go the general way
        weighted = loss.loss_and_grad(y, z, np.ones(shape[0]), logits=logits)
        assert weighted[0] == pytest.approx(value, rel=1e-6)


def test_loss_and_grad_does_not_modify_its_inputs():
    y_true, y_pred = data("binary_logits", "float64", np.random.default_rng(2))
    before = (y_true.copy(), y_pred.copy())
    for loss in (losses.BinaryCrossentropy(from_logits=True), losses.MeanSquaredError(),
                 losses.Huber(), losses.MeanAbsoluteError()):
        loss.loss_and_grad(y_true, y_pred, np.ones(N))
    np.testing.assert_array_equal(y_true, before[0])
    np.testing.assert_array_equal(y_pred, before[1])


def test_ignored_class_does_not_count():
    labels = np.array([0, 1, 2, 1])
    z = np.random.default_rng(0).normal(size=(4, 3))
    full = losses.sparse_categorical_crossentropy(labels, z, from_logits=True)
    value = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1)(labels, z)
    assert value == pytest.approx((full[0] + full[2]) / 2)  # average over the 2 kept samples


# ------------------------------------------------------------------ names and config
@pytest.mark.parametrize("name, cls", [
    ("mse", losses.MeanSquaredError),
    ("mean_squared_error", losses.MeanSquaredError),
    ("MeanSquaredError", losses.MeanSquaredError),
    ("mae", losses.MeanAbsoluteError),
    ("mean_absolute_error", losses.MeanAbsoluteError),
    ("huber", losses.Huber),
    ("bce", losses.BinaryCrossentropy),
    ("binary_crossentropy", losses.BinaryCrossentropy),
    ("categorical_crossentropy", losses.CategoricalCrossentropy),
    ("sparse_categorical_crossentropy", losses.SparseCategoricalCrossentropy),
    ("SparseCategoricalCrossentropy", losses.SparseCategoricalCrossentropy),
])
def test_keras_names_resolve(name, cls):
    loss = losses.get(name)
    assert type(loss) is cls and loss.reduction == "sum_over_batch_size"
    assert not getattr(loss, "from_logits", False)


def test_get_accepts_objects_classes_functions_and_configs():
    obj = losses.Huber(delta=2.0)
    assert losses.get(obj) is obj
    assert losses.get(None) is None
    assert type(losses.get(losses.BinaryCrossentropy)) is losses.BinaryCrossentropy
    assert type(losses.get(losses.mean_squared_error)) is losses.MeanSquaredError
    assert type(losses.get(losses.sparse_categorical_crossentropy)) is (
        losses.SparseCategoricalCrossentropy)
    got = losses.get({"class_name": "BinaryCrossentropy", "config": {"from_logits": True}})
    assert got.from_logits is True


def test_get_rejects_unknown_names():
    with pytest.raises(ValueError, match=r"loss: unknown loss 'crossentropia'.*MeanSquaredError"):
        losses.get("crossentropia")
    with pytest.raises(ValueError, match="loss: expected a loss name"):
        losses.get(3)


def test_a_loss_function_gets_its_gradient_from_the_ops_it_runs():
    y_true, y_pred = np.random.default_rng(0).normal(size=(2, 5, 3))
    mine = losses.get(lambda_loss())
    assert mine.name == "my_loss"
    expected = losses.MeanSquaredError().loss_and_grad(y_true, y_pred)
    loss, grad = mine.loss_and_grad(y_true, y_pred)
    assert loss == pytest.approx(expected[0], rel=1e-6)
    np.testing.assert_allclose(grad, expected[1], rtol=1e-6)


def lambda_loss():
    def my_loss(y_true, y_pred):
        return (y_true - y_pred) ** 2

    return my_loss


@pytest.mark.parametrize("loss", [
    losses.MeanSquaredError(reduction="sum", name="mi_mse"),
    losses.MeanAbsoluteError(dtype="float64"),
    losses.Huber(delta=0.3, reduction=None),
    losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
    losses.CategoricalCrossentropy(label_smoothing=0.05, reduction="mean_with_sample_weight"),
    losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1),
], ids=lambda loss: type(loss).__name__)
def test_config_round_trips_through_json(loss):
    text = json.dumps(losses.serialize(loss))
    back = losses.get(json.loads(text))
    assert type(back) is type(loss)
    assert back.get_config() == loss.get_config()


def test_keras_configs_load(keras):
    for cls in ("BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
                "MeanSquaredError", "MeanAbsoluteError"):
        config = getattr(keras.losses, cls)(name="x").get_config()
        config.pop("dtype", None)
        back = losses.get({"class_name": cls, "config": config})
        assert back.name == "x" and back.reduction == "sum_over_batch_size"


@pytest.mark.parametrize("make, message", [
    (lambda: losses.MeanSquaredError(reduction="average"), r"reduction: expected one of"),
    (lambda: losses.BinaryCrossentropy(label_smoothing=1.5),
     r"label_smoothing: expected a number in \[0, 1\], got 1.5"),
    (lambda: losses.CategoricalCrossentropy(axis=1), r"axis: only -1 .* got 1"),
    (lambda: losses.Huber(delta=0), r"delta: expected a positive number, got 0"),
    (lambda: losses.SparseCategoricalCrossentropy(ignore_class=1.5), r"ignore_class"),
    (lambda: losses.MeanSquaredError(dtype="int32"), r"dtype: expected a float type"),
])
def test_arguments_are_checked(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_mismatched_shapes_and_bad_labels_fail_clearly_when_called():
    with pytest.raises(ValueError, match=r"y_true: mean_squared_error expects targets of the "
                                         r"shape of y_pred \(3, 2\), got \(3, 4\)"):
        losses.MeanSquaredError()(np.zeros((3, 4)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"y_true: label 3 is outside \[0, 3\)"):
        losses.SparseCategoricalCrossentropy()(np.array([0, 3]), np.full((2, 3), 1 / 3))
    with pytest.raises(ValueError, match=r"sample_weight: expected one weight per sample"):
        losses.MeanSquaredError()(np.zeros((3, 1)), np.zeros((3, 1)), np.ones(4))


# ----------------------------------------------------------------------- validate
@pytest.mark.parametrize("loss, y, output_shape, message", [
    (losses.SparseCategoricalCrossentropy(), np.array([0, 3, 10, 2]), (None, 10),
     r"y: label 10 is outside \[0, 10\): the model's output has 10 units"),
    (losses.SparseCategoricalCrossentropy(), np.array([0, -1, 2]), (None, 3),
     r"y: label -1 is outside \[0, 3\)"),
    (losses.SparseCategoricalCrossentropy(), np.array([0.0, 1.5]), (None, 3),
     r"y: sparse_categorical_crossentropy needs integer class labels, got non-integer "
     r"values such as 1.5"),
    (losses.SparseCategoricalCrossentropy(), np.eye(3)[[0, 1]], (None, 3),
     r"y: .*one-hot.*categorical_crossentropy"),
    (losses.SparseCategoricalCrossentropy(), np.array([0, 1]), (None, 1),
     r"y: sparse_categorical_crossentropy needs one output unit per class; for two classes "
     r"use a single sigmoid unit with binary_crossentropy"),
    (losses.CategoricalCrossentropy(), np.array([[1.0], [0.0]]), (None, 1),
     r"categorical_crossentropy needs one output unit per class; .*single sigmoid unit"),
    (losses.CategoricalCrossentropy(), np.array([0, 4, 2]), (None, 5),
     r"y: targets of shape \(3,\) do not fit the model's output of shape \(None, 5\); these "
     r"look like integer class labels: use loss='sparse_categorical_crossentropy', or "
     r"one-hot encode them with to_categorical\(y, 5\)"),
    (losses.CategoricalCrossentropy(), np.eye(4), (None, 5),
     r"y: targets of shape \(4, 4\) do not fit .*\(None, 5\)"),
    (losses.BinaryCrossentropy(), np.array([0.0, 1.0, 2.0]), (None, 1),
     r"y: binary_crossentropy needs targets in \[0, 1\], got values from 0.0 to 2.0"),
    (losses.BinaryCrossentropy(), np.array([0, 2, 1]), (None, 3),
     r"y: binary_crossentropy needs one target per output unit.*sparse_categorical"),
    (losses.MeanSquaredError(), np.array([1.0, np.nan, 2.0]), (None, 1),
     r"y: the targets hold 1 NaN or infinite value"),
    (losses.MeanSquaredError(), np.array([[1.0, np.inf]]), None,
     r"y: the targets hold 1 NaN or infinite value"),
    (losses.MeanSquaredError(), np.zeros((5, 3)), (None, 1),
     r"y: mean_squared_error needs one target per output unit, but targets of shape "
     r"\(5, 3\) do not fit the model's output of shape \(None, 1\)"),
    (losses.MeanSquaredError(), np.array(["a", "b"]), (None, 1), r"y: expected numbers"),
])
def test_validate_explains_what_does_not_fit(loss, y, output_shape, message):
    with pytest.raises(ValueError, match=message):
        loss.validate(y, output_shape)


@pytest.mark.parametrize("loss, y, output_shape", [
    (losses.SparseCategoricalCrossentropy(), np.array([0, 9, 3]), (None, 10)),
    (losses.SparseCategoricalCrossentropy(), np.array([[0], [9]], dtype=np.uint8), (None, 10)),
    (losses.SparseCategoricalCrossentropy(), np.array([0.0, 2.0]), (None, 3)),
    (losses.SparseCategoricalCrossentropy(ignore_class=-1), np.array([0, -1]), (None, 3)),
    (losses.CategoricalCrossentropy(), np.eye(3), (None, 3)),
    (losses.BinaryCrossentropy(), np.array([0, 1, 1]), (None, 1)),
    (losses.BinaryCrossentropy(), np.array([[0.0], [1.0]]), (None, 1)),
    (losses.BinaryCrossentropy(), np.array([[0, 1], [1, 1]], dtype=bool), (None, 2)),
    (losses.MeanSquaredError(), np.array([3.5, -2.0]), (None, 1)),
    (losses.MeanAbsoluteError(), np.zeros((2, 3)), (None, 3)),
    (losses.Huber(), np.zeros((2, 3)), None),
])
def test_validate_accepts_targets_that_fit(loss, y, output_shape):
    assert loss.validate(y, output_shape) is None
