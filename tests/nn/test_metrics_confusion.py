"""Precision, Recall, the four confusion counts and AUC against keras.metrics: random
batches with and without sample weights, the code paths (one threshold, a list, evenly
spread thresholds, top_k, class_id, multi_label) and edge inputs (all positives, all
negatives, predictions exactly on the thresholds, one constant prediction)."""

import os

import numpy as np
import pytest
from keras_parity import metric_results as both

from redes.nn import metrics


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras



def random_batches(seed, columns=1, weighted=False, sizes=(40, 25)):
    """Batches of 0/1 targets and probabilities; a few predictions lie exactly on 0, 0.25,
    0.5, 0.75 and 1, where a threshold may be."""
    rng = np.random.default_rng(seed)
    out = []
    for n in sizes:
        y_true = (rng.random((n, columns)) > 0.5).astype("float32")
        y_pred = rng.random((n, columns)).astype("float32")
        y_pred[:6] = np.round(y_pred[:6] * 4) / 4
        out.append((y_true, y_pred, rng.uniform(0, 2, n) if weighted else None))
    return out


EVEN = [0.0, 0.25, 0.5, 0.75, 1.0]     # evenly spread: counted by buckets
UNEVEN = [0.1, 0.5, 0.7]               # compared one by one
CASES = [   # (metric, kwargs, columns of y)
    ("Precision", {}, 1),
    ("Recall", {}, 1),
    ("Precision", {"thresholds": EVEN}, 1),
    ("Recall", {"thresholds": UNEVEN}, 3),
    ("Precision", {"top_k": 2}, 4),
    ("Recall", {"top_k": 1, "class_id": 2}, 4),
    ("Precision", {"class_id": 1, "thresholds": 0.3}, 3),
    ("TruePositives", {}, 1),
    ("FalsePositives", {"thresholds": EVEN}, 2),
    ("TrueNegatives", {"thresholds": UNEVEN}, 1),
    ("FalseNegatives", {"thresholds": EVEN}, 1),
    ("AUC", {}, 1),
    ("AUC", {"curve": "PR"}, 1),
    ("AUC", {"summation_method": "minoring", "num_thresholds": 7}, 2),
    ("AUC", {"curve": "pr", "summation_method": "majoring"}, 1),
    ("AUC", {"thresholds": [0.2, 0.5, 0.6]}, 1),
    ("AUC", {"curve": "PRGAIN"}, 1),
    ("AUC", {"from_logits": True}, 1),
    ("AUC", {"label_weights": [1.0, 2.0, 0.5]}, 3),
    ("AUC", {"multi_label": True, "curve": "PR"}, 3),
    ("AUC", {"multi_label": True, "num_labels": 3, "label_weights": [1.0, 2.0, 0.5],
             "thresholds": [0.3, 0.5]}, 3),
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_matches_keras_on_random_batches(keras, case, weighted):
    name, kwargs, columns = case
    ours, theirs = both(keras, name, kwargs, random_batches(len(CASES) + columns, columns,
                                                            weighted))
    if name.endswith(("Positives", "Negatives")) and not weighted:
        np.testing.assert_array_equal(ours, theirs)       # counts: exact
    else:   # Keras sums weights in float32: TN = (all negatives) - FP loses ~1e-6 of 100
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-5 if weighted else 1e-6)
    assert np.ndim(ours) == np.ndim(theirs)
    assert isinstance(ours, float) or ours.dtype == np.float32


GRID = (np.arange(200) / 199).astype("float32")   # every prediction on a threshold of AUC
EDGES = {
    "all_positive": (np.ones(30), np.linspace(0, 1, 30), None),
    "all_negative": (np.zeros(30), np.linspace(0, 1, 30), None),
    "ties_at_thresholds": ((np.arange(200) % 3 == 0).astype("float32"), GRID,
                           np.linspace(0.5, 1.5, 200)),
    "one_constant_prediction": (np.arange(30) % 2, np.full(30, 0.5, "float32"), None),
    "hard_zero_one": ((np.arange(30) % 2), (np.arange(30) % 3 == 0).astype("float32"), None),
}


@pytest.mark.parametrize("edge", sorted(EDGES))
def test_edge_inputs_match_keras(keras, edge):
    batch = [EDGES[edge]]
    for name, kwargs in (("Precision", {"thresholds": [0.0, 0.5, 1.0]}), ("Recall", {}),
                         ("TrueNegatives", {"thresholds": EVEN}), ("AUC", {}),
                         ("AUC", {"curve": "PR"}), ("AUC", {"num_thresholds": 3})):
        ours, theirs = both(keras, name, kwargs, batch)
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-5, err_msg=name)


# ------------------------------------------------------------------------- by hand
def test_precision_recall_and_counts_by_hand():
    y_true, y_pred = [1, 1, 0, 0, 1], [0.9, 0.4, 0.6, 0.5, 0.5]   # 0.5 is not above 0.5
    counts = {cls: getattr(metrics, cls)()(y_true, y_pred) for cls in (
        "TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives")}
    assert counts == {"TruePositives": 1.0, "FalsePositives": 1.0, "TrueNegatives": 1.0,
                      "FalseNegatives": 2.0}
    assert metrics.Precision()(y_true, y_pred) == 0.5
    assert metrics.Recall()(y_true, y_pred) == pytest.approx(1 / 3)
    np.testing.assert_allclose(metrics.Recall(thresholds=[0.0, 0.45, 0.95])(y_true, y_pred),
                               [1.0, 2 / 3, 0.0])
    weighted = metrics.Precision()
    weighted.update_state(y_true, y_pred, sample_weight=[3, 1, 1, 1, 1])
    assert weighted.result() == 0.75
    weighted.reset_state()
    assert weighted.result() == 0.0   # 0 / 0 gives 0


def test_top_k_and_class_id_by_hand():
    y_true = [[0, 1, 0], [1, 0, 0]]
    y_pred = [[0.2, 0.7, 0.6], [0.3, 0.3, 0.1]]   # tie in row 2: the first column is kept
    assert metrics.Precision(top_k=2)(y_true, y_pred) == 0.5   # 2 hits of 4 kept
    assert metrics.Precision(top_k=1)(y_true, y_pred) == 1.0
    assert metrics.Recall(class_id=2)(y_true, y_pred) == 0.0   # no positive of class 2
    assert metrics.Precision(class_id=1)(y_true, y_pred) == 1.0


def test_auc_is_the_probability_that_a_positive_scores_above_a_negative():
    rng = np.random.default_rng(0)
    y = rng.random(400) > 0.6
    scores = np.clip(rng.normal(0.4 + 0.2 * y, 0.15), 0, 1)
    pairs = scores[y][:, None] - scores[~y][None, :]
    exact = np.mean(pairs > 0) + 0.5 * np.mean(pairs == 0)   # Mann-Whitney
    assert metrics.AUC(num_thresholds=2000)(y, scores) == pytest.approx(exact, abs=2e-3)
    assert metrics.AUC()([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert metrics.AUC(curve="PR")([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == pytest.approx(1.0)
    logits = metrics.AUC(from_logits=True)([0, 1, 1], [-2.0, 3.0, 0.5])
    assert logits == metrics.AUC()([0, 1, 1], 1 / (1 + np.exp(-np.array([-2.0, 3.0, 0.5]))))


def test_multi_label_auc_is_the_mean_of_each_labels_auc():
    rng = np.random.default_rng(1)
    y, p = (rng.random((50, 3)) > 0.5), rng.random((50, 3))
    each = [metrics.AUC()(y[:, j], p[:, j]) for j in range(3)]
    assert metrics.AUC(multi_label=True)(y, p) == pytest.approx(np.mean(each))
    weighted = metrics.AUC(multi_label=True, label_weights=[1, 0, 3])(y, p)
    assert weighted == pytest.approx((each[0] + 3 * each[2]) / 4)


# ------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize("make, match", [
    (lambda: metrics.Precision(thresholds=1.5), r"thresholds: expected a number or a list"),
    (lambda: metrics.Recall(thresholds=["0.5"]), r"thresholds: .*got \['0.5'\]"),
    (lambda: metrics.TruePositives(thresholds=[]), r"thresholds: "),
    (lambda: metrics.Precision(top_k=0), r"top_k: expected a positive integer or None"),
    (lambda: metrics.Recall(class_id="dog"), r"class_id: expected an integer"),
    (lambda: metrics.AUC(curve="RUC"),
     r"curve: expected one of \['ROC', 'PR', 'PRGAIN'\], got 'RUC'"),
    (lambda: metrics.AUC(summation_method="trapezoid"), r"summation_method: expected one of"),
    (lambda: metrics.AUC(num_thresholds=1), r"num_thresholds: expected an integer > 1, got 1"),
    (lambda: metrics.AUC(num_labels=3), r"num_labels: only used with multi_label=True"),
    (lambda: metrics.Precision(class_id=5)([1, 0], [0.3, 0.6]), r"class_id: 5 needs y_pred"),
    (lambda: metrics.Precision()(np.ones(4), np.ones(4), np.ones(3)),
     r"y_true, y_pred, sample_weight: shapes"),
    (lambda: metrics.AUC(label_weights=[[1.0]]), r"label_weights: expected a list of numbers"),
    (lambda: metrics.AUC(label_weights=[1, 2])(np.ones((4, 3)), np.ones((4, 3))),
     r"label_weights: expected one weight per column of y_pred, \(3,\), got 2"),
    (lambda: metrics.AUC(multi_label=True)(np.ones(4), np.ones(4)),
     r"y_pred: multi_label=True expects shape \(samples, labels\)"),
])
def test_bad_arguments_fail_clearly(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_counting_by_buckets_equals_comparing_with_every_threshold():
    from redes.nn.metrics.confusion import confusion_counts

    rng = np.random.default_rng(3)
    y, p, w = rng.random(500) > 0.5, rng.random(500), rng.random(500)
    even = np.linspace(0, 1, 11)
    above = p[None, :] > even[:, None].astype("float32")
    expected = (above @ (w * y), above @ (w * ~y), ~above @ (w * ~y), ~above @ (w * y))
    for got, want in zip(confusion_counts(y, p, list(even), w, dtype="float64"), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)
