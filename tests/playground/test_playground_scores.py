"""The output panel's numbers and the points drawn by hand, without a browser: scores.py
(confusion matrix, R², divergence), "stop at epoch N", drawing.py's checks and split, and
the exports (model file, CSV, Keras script with the trained weights)."""

from __future__ import annotations

import base64
import contextlib
import io
import math
import re

import numpy as np
import pytest

from redes.data import playground_sets as datasets
from redes.playground import drawing, export, messages, scores
from redes.playground.session import Session
from redes.playground.state import StateError, merge


# ------------------------------------------------------------------ scores
def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    truth, guess = [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2]
    assert scores.confusion_matrix(truth, guess, 3) == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert scores.confusion_matrix([], [], 2) == [[0, 0], [0, 0]]
    assert scores.predicted_classes(np.array([[0.2], [0.7], [0.5]])).tolist() == [0, 1, 0]
    assert scores.predicted_classes(np.array([[0.1, 0.6, 0.3]])).tolist() == [1]


def test_r2_score():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert scores.r2_score(y, y) == 1.0
    assert scores.r2_score(y, np.full(4, 2.5)) == 0.0
    assert scores.r2_score(y, y + 1) == pytest.approx(1 - 4 / 5)
    assert scores.r2_score(np.ones(3), np.ones(3)) is None          # no variance
    assert scores.r2_score([1.0], [1.0]) is None
    assert scores.r2_score(y, [np.nan] * 4) is None


def test_divergence_flags_nan_huge_and_a_loss_grown_100_times():
    d = scores.Divergence()
    assert d.check(1, 0.5, 10) is False
    assert d.check(1, 0.02, 10) is False
    assert d.check(1, 1.9, 10) is False           # 95 times the best
    assert d.check(1, 2.1, 10) is True            # 105 times
    assert d.check(1, None, 10) is True           # NaN or inf: the frame's loss is None
    assert d.check(1, 2e6, 10) is True
    assert d.check(2, 2.1, 10) is False           # a new network starts afresh
    assert d.check(2, None, 0) is False           # no points: nothing to blow up
    small = scores.Divergence()
    small.check(1, 1e-5, 10)
    assert small.check(1, 0.01, 10) is False      # 1000 times a tiny loss is still tiny


def test_frame_scores_of_a_classifier_and_of_a_regression():
    s = Session({"dataset": "blobs", "points": 200})
    s.train_epochs(3)
    header, _ = s.render()
    m = np.array(header["confusion"])
    assert m.shape == (4, 4) and m.sum() == len(s.y_test)
    assert m.sum(axis=1).tolist() == np.bincount(s.y_test, minlength=4).tolist()
    assert np.trace(m) / m.sum() == pytest.approx(header["test_accuracy"])
    assert header["diverged"] is False

    r = Session({"problem": "regression", "points": 200})
    r.train_epochs(2)
    header, _ = r.render()
    for name, x, y in (("test", r.x_test, r.y_test), ("train", r.x_train, r.y_train)):
        p = r.forward(datasets.feature_columns(x, r.state["features"]).T)[1][:, 0]
        expected = 1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)
        assert header[f"r2_{name}"] == pytest.approx(expected, rel=1e-5)
    assert "confusion" not in header

    bad = Session({"problem": "regression", "learning_rate": 10.0,
                   "activations": ["relu", "relu"]})
    bad.train_epochs(2)
    header, _ = bad.render()
    assert header["diverged"] is True and header["r2_test"] is None


# ------------------------------------------------------------------ stop at epoch N
@pytest.mark.parametrize("speed,batch", [(1, 10), (2, 7), (5, 500)])
def test_training_pauses_exactly_at_the_stop_epoch(speed, batch):
    s = Session({"stop_epoch": 3, "speed": speed, "batch_size": batch, "points": 100})
    s.playing = True
    frames = 0
    while s.playing and frames < 100:
        s.advance()
        frames += 1
    assert s.epoch == 3 and s.steps == 3 * s.steps_per_epoch
    header, _ = s.render()
    assert header["playing"] is False and header["epoch"] == 3
    s.playing = True                          # play again: goes on past the stop
    s.advance()
    assert s.playing and s.epoch > 3


def test_stop_epoch_is_a_checked_setting():
    assert merge(Session().state, {"stop_epoch": 100_000})["stop_epoch"] == 100_000
    for bad in (-1, 100_001, 1.5, True, "7"):
        with pytest.raises(StateError, match="^stop_epoch: expected an integer from 0 to 100000"):
            merge(Session().state, {"stop_epoch": bad})


# ------------------------------------------------------------------ drawing
def test_points_are_checked_and_a_refused_point_changes_nothing():
    s = Session()
    before = (len(s.y_train), len(s.y_test), s.state["dataset"])
    cases = [({"x1": math.nan, "x2": 0, "label": 0}, "^x1: expected a number from -6 to 6"),
             ({"x1": 0, "x2": 6.5, "label": 0}, "^x2: expected a number from -6 to 6"),
             ({"x1": "1", "x2": 0, "label": 0}, "^x1: expected"),
             ({"x1": True, "x2": 0, "label": 0}, "^x1: expected"),
             ({"x2": 0, "label": 0}, "^x1: expected.*got None"),
             ({"x1": 0, "x2": 0, "label": 8}, "^label: expected a class, an integer from 0 to 7"),
             ({"x1": 0, "x2": 0, "label": 0.5}, "^label: expected a class"),
             ({"x1": 0, "x2": 0, "label": False}, "^label: expected a class")]
    for msg, match in cases:
        with pytest.raises(ValueError, match=match):
            drawing.add_point(s, {"type": "point", **msg})
    assert (len(s.y_train), len(s.y_test), s.state["dataset"]) == before
    r = Session({"problem": "regression"})
    with pytest.raises(ValueError, match="^label: expected a target value from -1 to 1"):
        drawing.add_point(r, {"x1": 0, "x2": 0, "label": 1.5})
    full = Session({"points": datasets.MAX_POINTS})
    with pytest.raises(ValueError, match="^point: expected at most 2000 points"):
        drawing.add_point(full, {"x1": 0, "x2": 0, "label": 1})


def test_drawn_points_keep_the_split_and_can_add_a_class():
    s = Session({"train_ratio": 70})
    replies, changed = drawing.clear_points(s, {})
    assert changed and replies[1]["train"] == [] and s.state["dataset"] == "custom"
    with pytest.raises(ValueError, match="^points: expected at least 2 training points"):
        messages.carry_out(s, {"type": "play"})
    where = []
    for i in range(10):
        drawing.add_point(s, {"x1": i / 2, "x2": -i / 2, "label": i % 2})
        where.append(len(s.y_test))
    assert where == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3]          # 30 % test, never moving
    assert len(s.y_train) == 7 and s.x_train[1].tolist() == [0.5, -0.5]
    assert s.state["dataset"] == "custom" and s.classes == 2 and s.epoch == 0
    replies, _ = drawing.add_point(s, {"x1": 1, "x2": 1, "label": 2})
    assert s.classes == 3 and s.outputs == 3 and replies[1]["classes"] == 3
    messages.carry_out(s, {"type": "step"})
    assert s.epoch == 1

    one_class = Session()
    drawing.clear_points(one_class, {})
    for x in (1, 2, 3):
        drawing.add_point(one_class, {"x1": x, "x2": 0, "label": 0})
    with pytest.raises(ValueError, match="^points: expected training points of at least 2"):
        messages.carry_out(one_class, {"type": "step"})


# ------------------------------------------------------------------ exports
def test_export_model_file_csv_and_the_keras_script_with_weights(tmp_path):
    from redes.nn import load_model

    s = Session({"dataset": "spiral3", "points": 200, "features": ["x1", "x2", "sinx1"]})
    s.train_epochs(2)
    msg = messages.carry_out(s, {"type": "export"})[0][0]
    path = tmp_path / "m.keras"
    path.write_bytes(base64.b64decode(msg["model"]))
    model = load_model(path)
    f = datasets.feature_columns(s.x_test, s.state["features"])
    assert np.allclose(model.predict(f, verbose=0), s.forward(f.T)[1], atol=1e-6)
    assert msg["model_error"] is None

    x, y, classes = datasets.parse_csv(msg["csv"], "classification")
    assert len(y) == 200 and classes == 3 and msg["csv"].startswith("x1,x2,label\n")
    rows = np.array([line.split(",") for line in msg["csv"].splitlines()[1:]], dtype=np.float32)
    assert np.array_equal(rows[:len(s.y_train), :2], s.x_train)     # exact float32

    code = msg["keras"].replace("import keras\nfrom keras import",
                                "import redes.nn as keras\nfrom redes.nn import")
    code = re.sub(r"^EPOCHS = \d+", "EPOCHS = 0", code, flags=re.M)
    assert "model.set_weights([" in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "exported.py", "exec"), {"__name__": "__main__"})
    loss = float(re.search(r"'loss': ([0-9.e-]+)", out.getvalue()).group(1))
    assert loss == pytest.approx(s.losses()["test_loss"], abs=1e-5)


def test_export_of_a_diverged_network_says_why_there_is_no_model():
    s = Session({"problem": "regression", "learning_rate": 10.0,
                 "activations": ["relu", "relu"]})
    s.train_epochs(3)
    msg = export.message(s)
    assert msg["model"] is None and "NaN or inf" in msg["model_error"]
    assert "model.set_weights" not in msg["keras"] and "training diverged" in msg["keras"]
    compile(msg["keras"], "exported.py", "exec")                     # still a valid program
