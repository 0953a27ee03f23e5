"""The losses added after the first ones, as in Keras 3 (Huber's siblings, KL divergence,
Poisson, cosine similarity, hinge and focal losses): values and gradients against Keras and
TensorFlow, names, configs, argument and target checks, and a few training steps."""

import json
import os
import zlib

import numpy as np
import pytest
from keras_parity import train_both

import redes.nn as rn
from redes.nn import activations, losses

TOL = {"float64": 1e-6, "float32": 1e-5}
N, K = 8, 4


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def keras_value_and_grad(loss, y_true, y_pred, sample_weight=None, transform=None):
    """Keras' loss and TensorFlow's d(loss)/d(y_pred); ``transform`` (an activation) is
    applied to the watched tensor first."""
    import tensorflow as tf

    x = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        value = loss(y_true, transform(x) if transform else x, sample_weight=sample_weight)
    return np.asarray(value), tape.gradient(value, x).numpy()


def assert_close(ours, theirs, dtype):
    ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    assert ours.shape == theirs.shape and np.all(np.isfinite(ours))
    scale = max(float(np.max(np.abs(theirs), initial=0.0)), 1e-12)
    assert np.max(np.abs(ours - theirs), initial=0.0) <= TOL[dtype] * scale


def data(kind, rng):
    """(y_true, y_pred) in float64 for one kind of loss."""
    normal = rng.normal(size=(N, K))
    if kind == "regression":          # large errors too: log_cosh's linear part, huber's
        return rng.normal(size=(N, K)), 4 * normal
    if kind == "positive":            # counts and positive rates
        return rng.integers(0, 5, (N, K)).astype(float), rng.uniform(0.1, 3.0, (N, K))
    if kind == "distribution":        # y_true with values above 1 and near 0: both clipped
        y = np.exp(2 * rng.normal(size=(N, K)))
        return y / y.sum(axis=1, keepdims=True) * 1.3, rng.uniform(0.02, 0.98, (N, K))
    if kind == "signs":
        return rng.choice([-1.0, 1.0], (N, K)), normal
    if kind == "binary":
        return rng.choice([0.0, 1.0], (N, K)), rng.uniform(0.02, 0.98, (N, K))
    if kind == "binary_logits":
        return rng.choice([0.0, 1.0], (N, K)), 3 * normal
    onehot = np.eye(K)[rng.integers(0, K, N)]
    if kind == "onehot":
        return onehot, rng.uniform(0.02, 0.98, (N, K))
    return onehot, 3 * normal         # "onehot_logits" (and scores for categorical_hinge)


# (id, class name in both libraries, kwargs for both, kind of data)
CASES = [
    ("mape", "MeanAbsolutePercentageError", {}, "regression"),
    ("msle", "MeanSquaredLogarithmicError", {}, "regression"),  # negatives: clipped at eps
    ("log_cosh", "LogCosh", {}, "regression"),
    ("cosine", "CosineSimilarity", {}, "regression"),
    ("kld", "KLDivergence", {}, "distribution"),
    ("poisson", "Poisson", {}, "positive"),
    ("hinge", "Hinge", {}, "signs"),
    ("hinge_01", "Hinge", {}, "binary"),
    ("squared_hinge_01", "SquaredHinge", {}, "binary"),
    ("categorical_hinge", "CategoricalHinge", {}, "onehot_logits"),
    ("bfce", "BinaryFocalCrossentropy", {}, "binary"),
    ("bfce_balanced_smooth", "BinaryFocalCrossentropy",
     {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5, "label_smoothing": 0.1},
     "binary"),
    ("bfce_logits", "BinaryFocalCrossentropy", {"from_logits": True, "gamma": 3.0},
     "binary_logits"),
    ("cfce", "CategoricalFocalCrossentropy", {}, "onehot"),
    ("cfce_logits", "CategoricalFocalCrossentropy",
     {"from_logits": True, "label_smoothing": 0.1, "alpha": [0.1, 0.2, 0.3, 0.4],
      "gamma": 1.5}, "onehot_logits"),
]


@pytest.mark.parametrize("dtype, weighted", [("float64", True), ("float32", False)],
                         ids=["float64-weighted", "float32"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_value_and_gradient_match_keras_and_tensorflow(keras, case, dtype, weighted):
    case_id, name, kwargs, kind = case
    rng = np.random.default_rng(zlib.crc32(f"{case_id}{dtype}".encode()))
    y_true, y_pred = (a.astype(dtype) for a in data(kind, rng))
    sw = rng.uniform(0, 2, N).astype(dtype) if weighted else None
    ours = getattr(losses, name)(**kwargs)

    value, grad = ours.loss_and_grad(y_true, y_pred, sw)
    k_value, k_grad = keras_value_and_grad(
        getattr(keras.losses, name)(**kwargs, dtype=dtype), y_true, y_pred, sw)

    assert isinstance(value, float)
    assert abs(value - float(k_value)) <= TOL[dtype] * abs(float(k_value))
    assert grad.dtype == np.dtype(dtype)
    assert_close(grad, k_grad, dtype)
    assert ours(y_true, y_pred, sw) == pytest.approx(value, rel=1e-12)


def test_binary_focal_after_a_sigmoid_uses_the_logits_as_keras(keras):
    # Keras computes the crossentropy of a sigmoid output from its logits; so does the
    # fused path, which must then equal Keras with the sigmoid in front (saturated row too)
    rng = np.random.default_rng(4)
    y_true, z = data("binary_logits", rng)
    z[0] = 40.0 * np.sign(z[0])
    ours = losses.BinaryFocalCrossentropy(apply_class_balancing=True)
    assert ours.fuses_with(activations.sigmoid)
    assert not losses.BinaryFocalCrossentropy(from_logits=True).fuses_with(activations.sigmoid)
    assert not losses.CategoricalFocalCrossentropy().fuses_with(activations.softmax)
    value, grad = ours.loss_and_grad(y_true, z, logits=True)
    k_value, k_grad = keras_value_and_grad(
        keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, dtype="float64"),
        y_true, z, transform=keras.activations.sigmoid)
    assert abs(value - float(k_value)) <= 1e-9 * abs(float(k_value))
    assert_close(grad, k_grad, "float64")


@pytest.mark.parametrize("reduction", ["sum", "mean_with_sample_weight", None])
def test_reductions_match_keras(keras, reduction):
    rng = np.random.default_rng(9)
    y_true, y_pred = data("signs", rng)
    sw = rng.uniform(0, 2, N)
    value, grad = losses.SquaredHinge(reduction=reduction).loss_and_grad(y_true, y_pred, sw)
    k_value, k_grad = keras_value_and_grad(
        keras.losses.SquaredHinge(reduction=reduction, dtype="float64"), y_true, y_pred, sw)
    assert_close(value, k_value, "float64")
    assert_close(grad, k_grad, "float64")


FUNCTIONS = [
    ("mean_absolute_percentage_error", "regression", {}),
    ("mean_squared_logarithmic_error", "regression", {}),
    ("log_cosh", "regression", {}),
    ("cosine_similarity", "regression", {"axis": -1}),
    ("kl_divergence", "distribution", {}),
    ("poisson", "positive", {}),
    ("hinge", "binary", {}),
    ("squared_hinge", "signs", {}),
    ("categorical_hinge", "onehot_logits", {}),
    ("binary_focal_crossentropy", "binary_logits",
     {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.0, "from_logits": True}),
    ("categorical_focal_crossentropy", "onehot", {"alpha": 0.5, "label_smoothing": 0.2}),
]


@pytest.mark.parametrize("name, kind, kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_plain_functions_give_per_sample_losses_like_keras(keras, name, kind, kwargs):
    y_true, y_pred = data(kind, np.random.default_rng(zlib.crc32(name.encode())))
    ours = getattr(losses, name)(y_true, y_pred, **kwargs)
    theirs = np.asarray(getattr(keras.losses, name)(y_true, y_pred, **kwargs))
    assert ours.shape == (N,)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert type(losses.get(getattr(losses, name))).__name__ in {c[1] for c in CASES}


def test_hinge_turns_0_1_labels_into_minus_1_1():
    y01 = np.array([[0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    y_pred = np.array([[0.3, -0.5], [2.0, 0.4], [-1.5, 0.2]])
    for loss in (losses.Hinge(), losses.SquaredHinge()):
        value, grad = loss.loss_and_grad(y01, y_pred)
        signed = loss.loss_and_grad(2 * y01 - 1, y_pred)
        assert value == signed[0]
        np.testing.assert_array_equal(grad, signed[1])
    # by hand: max(1 - y p, 0) with y = -1, 1 / 1, 1 / -1, -1
    np.testing.assert_allclose(losses.hinge(y01, y_pred), [(1.3 + 1.5) / 2, 0.6 / 2, 1.2 / 2])


@pytest.mark.parametrize("name, cls", [
    ("kld", losses.KLDivergence), ("KLD", losses.KLDivergence),
    ("kl_divergence", losses.KLDivergence), ("KLDivergence", losses.KLDivergence),
    ("mape", losses.MeanAbsolutePercentageError), ("MAPE", losses.MeanAbsolutePercentageError),
    ("mean_absolute_percentage_error", losses.MeanAbsolutePercentageError),
    ("msle", losses.MeanSquaredLogarithmicError), ("MSLE", losses.MeanSquaredLogarithmicError),
    ("mean_squared_logarithmic_error", losses.MeanSquaredLogarithmicError),
    ("log_cosh", losses.LogCosh), ("LogCosh", losses.LogCosh),
    ("poisson", losses.Poisson), ("Poisson", losses.Poisson),
    ("cosine_similarity", losses.CosineSimilarity), ("hinge", losses.Hinge),
    ("squared_hinge", losses.SquaredHinge), ("categorical_hinge", losses.CategoricalHinge),
    ("binary_focal_crossentropy", losses.BinaryFocalCrossentropy),
    ("BinaryFocalCrossentropy", losses.BinaryFocalCrossentropy),
    ("categorical_focal_crossentropy", losses.CategoricalFocalCrossentropy),
])
def test_keras_names_resolve(keras, name, cls):
    assert keras.losses.get(name) is not None           # a name Keras takes too
    loss = losses.get(name)
    assert type(loss) is cls and loss.reduction == "sum_over_batch_size"


@pytest.mark.parametrize("loss", [
    losses.MeanAbsolutePercentageError(reduction="sum"),
    losses.MeanSquaredLogarithmicError(name="msle_mia"),
    losses.LogCosh(dtype="float64"),
    losses.CosineSimilarity(reduction=None),
    losses.KLDivergence(), losses.Poisson(), losses.Hinge(), losses.SquaredHinge(),
    losses.CategoricalHinge(),
    losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=1.0,
                                   from_logits=True, label_smoothing=0.1),
    losses.CategoricalFocalCrossentropy(alpha=[0.2, 0.8], gamma=0.5),
], ids=lambda loss: type(loss).__name__)
def test_config_round_trips_through_json(loss):
    back = losses.deserialize(json.loads(json.dumps(losses.serialize(loss))))
    assert type(back) is type(loss)
    assert back.get_config() == loss.get_config()


def test_keras_configs_load(keras):
    for cls in ("BinaryFocalCrossentropy", "CategoricalFocalCrossentropy", "CosineSimilarity",
                "KLDivergence", "LogCosh", "Hinge", "MeanSquaredLogarithmicError"):
        config = getattr(keras.losses, cls)(name="x").get_config()
        config.pop("dtype", None)
        back = losses.get({"class_name": cls, "config": config})
        assert type(back).__name__ == cls and back.name == "x"
        mine = back.get_config()
        assert {key: mine[key] for key in config} == config   # (Keras' cosine omits axis)


@pytest.mark.parametrize("make, message", [
    (lambda: losses.BinaryFocalCrossentropy(alpha=1.5), r"alpha: expected a number in \[0, 1\]"),
    (lambda: losses.CategoricalFocalCrossentropy(alpha="x"),
     r"alpha: expected a number >= 0 or a list of them, one per class, got 'x'"),
    (lambda: losses.BinaryFocalCrossentropy(gamma=-1), r"gamma: expected a number >= 0, got -1"),
    (lambda: losses.CategoricalFocalCrossentropy(label_smoothing=2),
     r"label_smoothing: expected a number in \[0, 1\]"),
    (lambda: losses.CosineSimilarity(axis=0), r"axis: only -1 .* got 0"),
])
def test_arguments_are_checked(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("loss, y, output_shape, message", [
    (losses.Hinge(), np.array([0, 1, 2]), (None, 1),
     r"y: hinge needs labels -1/1 \(or 0/1, which it turns into -1/1\), got the values "
     r"0, 1, 2; for several classes use one-hot targets with categorical_hinge"),
    (losses.SquaredHinge(), np.array([[-1.0], [0.0], [1.0]]), (None, 1),
     r"y: squared_hinge needs labels -1/1"),
    (losses.BinaryFocalCrossentropy(), np.array([0.0, 3.0]), (None, 1),
     r"y: binary_focal_crossentropy needs targets in \[0, 1\], got values from 0.0 to 3.0"),
    (losses.CategoricalFocalCrossentropy(), np.array([0, 2, 1]), (None, 3),
     r"these look like integer class labels"),
    (losses.KLDivergence(), np.zeros((4, 2)), (None, 3),
     r"y: kl_divergence needs one target per output unit"),
])
def test_validate_explains_what_does_not_fit(loss, y, output_shape, message):
    with pytest.raises(ValueError, match=message):
        loss.validate(y, output_shape)


@pytest.mark.parametrize("loss, y", [
    (losses.Hinge(), np.array([-1, 1, 1])), (losses.Hinge(), np.array([0, 1, 1])),
    (losses.SquaredHinge(), np.array([[1.0], [1.0]])),
    (losses.BinaryFocalCrossentropy(), np.array([0, 1])),
])
def test_validate_accepts_targets_that_fit(loss, y):
    assert loss.validate(y, (None, 1)) is None


def _model(lib, units, activation):
    return lib.Sequential([lib.Input(shape=(5,)), lib.layers.Dense(6, activation="tanh"),
                           lib.layers.Dense(units, activation=activation)])


@pytest.mark.parametrize("loss, units, activation", [
    ("binary_focal_crossentropy", 1, "sigmoid"),   # the fused sigmoid path
    ("kld", 3, "softmax"),
])
def test_a_model_compiled_with_a_new_loss_by_name_trains_like_keras(keras, loss, units,
                                                                     activation):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20, 5)).astype("float32")
    if units == 1:
        y = (rng.random((20, 1)) > 0.5).astype("float32")
    else:
        y = rng.dirichlet(np.ones(units), 20).astype("float32")
    keras.utils.set_random_seed(2)
    train_both(_model(rn, units, activation), _model(keras, units, activation), x, y, loss=loss)


@pytest.mark.parametrize("name, keras_metric, kind", [
    ("poisson", "Poisson", "positive"),
    ("kl_divergence", "KLDivergence", "distribution"),
    ("squared_hinge", "SquaredHinge", "signs"),
])
def test_a_loss_function_as_a_metric_averages_like_the_keras_metric(keras, name,
                                                                     keras_metric, kind):
    rng = np.random.default_rng(6)
    y_true, y_pred = data(kind, rng)
    sw = rng.uniform(0, 2, N)
    ours = rn.metrics.get(getattr(losses, name))
    theirs = getattr(keras.metrics, keras_metric)(dtype="float64")
    for part in (slice(0, 3), slice(3, N)):       # two batches
        ours.update_state(y_true[part], y_pred[part], sw[part])
        theirs.update_state(y_true[part], y_pred[part], sw[part])
    assert ours.name == name
    assert ours.result() == pytest.approx(float(theirs.result()), rel=1e-6)
