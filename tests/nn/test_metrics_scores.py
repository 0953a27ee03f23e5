"""F1Score, FBetaScore and R2Score against keras.metrics; the names Keras gives metrics
(as objects, by string, repeated); configs; and one compiled model whose history of
precision, recall and AUC matches Keras' over 2 epochs from the same weights."""

import json
import os
import warnings

import numpy as np
import pytest
from keras_parity import metric_results as both

import redes.nn as rn
from redes.nn import metrics


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras



def multi_hot(seed, weighted, n=30, classes=4):
    rng = np.random.default_rng(seed)
    return [((rng.random((n, classes)) > 0.6).astype("float32"),
             rng.random((n, classes)).astype("float32"),
             rng.uniform(0, 2, n) if weighted else None) for _ in range(2)]


F_CASES = [
    ("F1Score", {}),
    ("F1Score", {"average": "micro"}),
    ("F1Score", {"average": "macro", "threshold": 0.4}),
    ("F1Score", {"average": "weighted"}),
    ("FBetaScore", {"beta": 2.0, "average": "weighted", "threshold": 0.5}),
    ("FBetaScore", {"beta": 0.5}),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", F_CASES, ids=[f"{c[0]}-{c[1]}" for c in F_CASES])
def test_f_scores_match_keras(keras, case, weighted):
    ours, theirs = both(keras, *case, multi_hot(len(case[1]), weighted))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)
    assert np.shape(ours) == theirs.shape


def test_f_scores_with_one_class_present_or_none_match_keras(keras):
    p = np.random.default_rng(2).random((12, 3)).astype("float32")
    one_class = np.zeros((12, 3), "float32")
    one_class[:, 1] = 1
    for average in (None, "micro", "macro", "weighted"):
        for y in (one_class, np.zeros((12, 3))):
            ours, theirs = both(keras, "F1Score", {"average": average}, [(y, p, None)])
            np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


def test_f1_by_hand():
    y_true = [[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]]
    y_pred = [[0.8, 0.1, 0.1], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]]
    # class 0: TP 1, FP 1 -> P 1/2, R 1 -> F1 2/3; class 1: P 1, R 1/2 -> 2/3; class 2: 1
    np.testing.assert_allclose(metrics.F1Score()(y_true, y_pred), [2 / 3, 2 / 3, 1], rtol=1e-5)
    assert metrics.F1Score(average="micro")(y_true, y_pred) == pytest.approx(0.75, rel=1e-5)


R2_CASES = [
    ({}, 1),
    ({}, 3),
    ({"class_aggregation": "variance_weighted_average"}, 3),
    ({"class_aggregation": None}, 2),
    ({"num_regressors": 3}, 1),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", R2_CASES, ids=[f"{c[0]}-{c[1]}" for c in R2_CASES])
def test_r2_score_matches_keras(keras, case, weighted):
    kwargs, columns = case
    rng = np.random.default_rng(columns)
    batches = []
    for n in (20, 13):
        y = rng.normal(size=(n, columns)).astype("float32")
        batches.append((y, (y + rng.normal(0, 0.7, (n, columns))).astype("float32"),
                        rng.uniform(0, 2, n) if weighted else None))
    ours, theirs = both(keras, "R2Score", kwargs, batches)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)   # Keras sums in float32


def test_r2_score_edges_as_in_keras(keras):
    y = np.linspace(0, 1, 10).reshape(-1, 1)
    assert metrics.R2Score()(y, y) == 1.0
    assert metrics.R2Score()(y, np.full_like(y, y.mean())) == pytest.approx(0.0, abs=1e-12)
    constant = (np.ones((10, 2)), np.random.default_rng(0).random((10, 2)))
    ours, theirs = both(keras, "R2Score", {}, [(*constant, None)])
    assert ours == float(theirs) == 0.0   # constant targets: the score is 0, as in Keras
    with pytest.warns(UserWarning, match="num_regressors=20"):
        few = metrics.R2Score(num_regressors=20)(y, y * 0.9)
    assert few == metrics.R2Score()(y, y * 0.9)   # the plain R^2 instead


@pytest.mark.parametrize("make, match", [
    (lambda: metrics.F1Score(average="mean"), r"average: expected one of \[None, 'micro'"),
    (lambda: metrics.FBetaScore(beta=0), r"beta: expected a number > 0, got 0"),
    (lambda: metrics.F1Score(threshold=1.5), r"threshold: expected a number in \(0, 1\]"),
    (lambda: metrics.F1Score()(np.ones(3), np.ones(3)), r"y_true, y_pred: F1Score expects 2D"),
    (lambda: metrics.F1Score()(np.ones((3, 2)), np.ones((3, 2)), [1, 2]),
     r"sample_weight: expected one weight per sample, shape \(3,\), got shape \(2,\)"),
    (lambda: metrics.R2Score()(np.ones((3, 2)), np.ones((3, 2)), [1, 2]),
     r"sample_weight: expected one weight per sample"),
    (lambda: metrics.R2Score(class_aggregation="mean"), r"class_aggregation: expected one of"),
    (lambda: metrics.R2Score(num_regressors=-1), r"num_regressors: expected an integer >= 0"),
    (lambda: metrics.R2Score()(np.ones((2, 2, 2)), np.ones((2, 2, 2))), r"R2Score expects 2D"),
])
def test_bad_arguments_fail_clearly(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# --------------------------------------------------------------------- names, configs
NEW = ["Precision", "Recall", "AUC", "TruePositives", "FalsePositives", "TrueNegatives",
       "FalseNegatives", "F1Score", "FBetaScore", "R2Score"]


def test_default_names_are_made_unique_as_in_keras(keras):
    keras.utils.clear_session()
    rn.utils.clear_session()
    for name in NEW + ["Precision", "AUC", "AUC"]:
        assert getattr(metrics, name)().name == getattr(keras.metrics, name)().name
    assert metrics.AUC().name == "auc_3"
    rn.utils.clear_session()
    assert metrics.AUC().name == "auc"


@pytest.mark.parametrize("identifier", [
    "precision", "Precision", "recall", "auc", "AUC", "true_positives", "FalseNegatives",
    "f1_score", "f_beta_score", "r2_score", "top_k_categorical_accuracy",
])
def test_strings_resolve_to_the_keras_class_and_name(keras, identifier):
    from keras.src.trainers.compile_utils import get_metric

    expected = get_metric(identifier, np.zeros((4, 1)), np.zeros((4, 1), "float32"))
    got = metrics.get(identifier)
    assert type(got).__name__ == type(expected).__name__
    assert got.name == expected.name == identifier


@pytest.mark.parametrize("name, kwargs", [
    ("Precision", {"thresholds": [0.3, 0.6], "class_id": 1, "name": "p"}),
    ("Recall", {"top_k": 2}),
    ("TrueNegatives", {"thresholds": 0.4}),
    ("AUC", {"curve": "PR", "num_thresholds": 50, "summation_method": "minoring"}),
    ("AUC", {"thresholds": [0.2, 0.5], "multi_label": True, "num_labels": 2,
             "label_weights": [1.0, 2.0], "from_logits": True}),
    ("F1Score", {"average": "macro", "threshold": 0.5}),
    ("FBetaScore", {"beta": 2.0}),
    ("R2Score", {"class_aggregation": None, "num_regressors": 2}),
])
def test_configs_round_trip_and_keras_configs_load(keras, name, kwargs):
    ours = getattr(metrics, name)(**kwargs)
    back = metrics.get(json.loads(json.dumps(metrics.serialize(ours))))
    assert type(back) is type(ours) and back.get_config() == ours.get_config()
    theirs = getattr(keras.metrics, name)(**kwargs).get_config()
    loaded = metrics.get({"class_name": name, "config": theirs}).get_config()
    assert json.loads(json.dumps(loaded)) == json.loads(json.dumps(
        theirs, default=lambda tensor: np.asarray(tensor).tolist()))


# ------------------------------------------------------------------ compiled model
def test_history_of_precision_recall_and_auc_matches_keras(keras):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] > 0.2).astype("float32").reshape(-1, 1)
    histories = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                   keras.layers.Dense(1, activation="sigmoid")])
    ours = rn.Sequential([rn.Input((4,)), rn.layers.Dense(8, activation="relu"),
                          rn.layers.Dense(1, activation="sigmoid")])
    ours.set_weights(theirs.get_weights())
    for model, lib in ((ours, rn), (theirs, keras)):
        lib.utils.clear_session()
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="binary_crossentropy",
                      run_eagerly=True, metrics=["precision", lib.metrics.Recall(), "auc",
                               lib.metrics.AUC(curve="PR", name="pr_auc")])
        histories[lib] = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0,
                                   validation_split=0.25).history
    assert sorted(histories[rn]) == sorted(histories[keras]) == sorted(
        f"{prefix}{key}" for prefix in ("", "val_")
        for key in ("loss", "precision", "recall", "auc", "pr_auc"))
    for key, values in histories[keras].items():
        np.testing.assert_allclose(histories[rn][key], values, rtol=1e-5, atol=1e-6,
                                   err_msg=key)
