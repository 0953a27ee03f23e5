"""The playground without a browser or a server: datasets, state checks, sessions, frames."""

from __future__ import annotations

import numpy as np
import pytest

from redes.data import playground_sets as datasets
from redes.playground.session import (
    GRID,
    Session,
    decode_frame,
    encode_frame,
    grid_points,
    quantize,
)
from redes.playground.state import DEFAULT, FEATURES, FIELDS, StateError, merge

BIG = {"layers": [8] * 6, "activations": ["tanh"] * 6, "features": list(FEATURES)}


# ------------------------------------------------------------------ datasets
@pytest.mark.parametrize("name", list(datasets.DATASETS))
def test_every_dataset_is_deterministic_and_in_the_square(name):
    problem, classes, _ = datasets.DATASETS[name]
    x1, y1 = datasets.make(name, 300, 0.1, seed=5)
    x2, y2 = datasets.make(name, 300, 0.1, seed=5)
    x3, _ = datasets.make(name, 300, 0.1, seed=6)
    assert x1.shape == (300, 2) and x1.dtype == np.float32 and y1.shape == (300,)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(x1, x3)
    assert np.all(np.abs(x1) <= datasets.DOMAIN + 3)
    if problem == "classification":
        assert y1.dtype == np.int64
        assert set(np.unique(y1)) == set(range(classes))
        counts = np.bincount(y1)
        assert counts.min() >= 300 / classes * 0.5          # no class is starved
    else:
        assert y1.dtype == np.float32 and np.all(np.abs(y1) <= 1)


def test_noise_free_labels_follow_the_rule():
    x, y = datasets.make("xor", 500, 0.0, seed=0)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] >= 0).astype(int))
    x, y = datasets.make("circle", 500, 0.0, seed=0)
    np.testing.assert_array_equal(y, (np.hypot(x[:, 0], x[:, 1]) < 2.5).astype(int))
    x, y = datasets.make("checkerboard", 500, 0.0, seed=0)
    np.testing.assert_array_equal(y, (np.sin(x[:, 0]) * np.sin(x[:, 1]) > 0).astype(int))
    x, y = datasets.make("plane", 500, 0.0, seed=0)
    np.testing.assert_allclose(y, np.clip((x[:, 0] + x[:, 1]) / 10, -1, 1), atol=1e-6)


def test_split_keeps_the_ratio():
    x, y = datasets.make("gauss", 500, 0.0, seed=0)
    (xt, yt), (xs, ys) = datasets.split(x, y, 30)
    assert len(yt) == 150 and len(ys) == 350


# ------------------------------------------------------------------ CSV upload
def test_csv_upload_is_read_scaled_and_renumbered():
    rows = ["x1,x2,label"] + [f"{i},{2 * i},{(i % 3) * 5}" for i in range(30)]
    x, y, classes = datasets.parse_csv("\n".join(rows), "classification")
    assert classes == 3 and set(y) == {0, 1, 2} and x.shape == (30, 2)
    assert np.max(np.abs(x)) == pytest.approx(5)
    x, y, classes = datasets.parse_csv("\n".join(rows), "regression")
    assert classes == 0 and np.max(np.abs(y)) == pytest.approx(1)


@pytest.mark.parametrize("text, reason", [
    ("1,2,0\n" * 5, "at least 10 rows"),
    ("1,2,0\n" * 2001, "at most 2000 rows, got more"),
    ("1,2,0\n" * 20 + "1,nan,0\n", "line 21: expected finite numbers.*got '1,nan,0'"),
    ("1,2,0\n" * 20 + "1,inf,0\n", "line 21: expected finite numbers"),
    ("1,2,0\n" * 20 + "1,1e300,0\n", "from -1e9 to 1e9, got '1,1e300,0'"),
    ("1,2,0\n" * 20 + "1,2\n", "line 21: expected 3 columns .*got 2"),
    ("1,2,0\n" * 20 + "1,x,0\n", "line 21: expected numbers, got '1,x,0'"),
    ("1,2,0\n" * 20 + "1,2,0.5\n", "integer class labels.*got 0.5"),
    ("1,2,0\n" * 20, "2 to 8 classes"),
    ("".join(f"1,2,{i}\n" for i in range(12)), "2 to 8 classes"),
    ("1" * 300_000, r"at most 256 KB \(262144 bytes\), got 300000 bytes"),
])
def test_bad_csv_is_refused_with_a_reason(text, reason):
    with pytest.raises(datasets.DataError, match=reason):
        datasets.parse_csv(text, "classification")


# ------------------------------------------------------------------ state
@pytest.mark.parametrize("changes", [
    {"layers": [8] * 7}, {"layers": [9]}, {"layers": [0]}, {"layers": [True]},
    {"layers": "8,8"}, {"noise": 51}, {"noise": 1.5}, {"learning_rate": float("nan")},
    {"learning_rate": float("inf")}, {"learning_rate": 0}, {"learning_rate": "0.1"},
    {"learning_rate": 11}, {"reg_rate": -1}, {"dropout": 0.95}, {"points": 10**9},
    {"seed": -1}, {"seed": 2**31}, {"batch_size": 0}, {"features": []},
    {"features": ["x1", "x1"]}, {"features": ["x3"]}, {"activations": ["softmax"]},
    {"optimizer": "lbfgs"}, {"problem": 1}, {"show_test": 1}, {"dataset": "mnist"},
    {"dataset": "plane"}, {"unknown": 1}, {"speed": 0},
])
def test_bad_changes_are_refused(changes):
    (field,) = changes
    name = field if field in FIELDS else "changes"      # an unknown setting
    with pytest.raises(StateError, match=f"^{name}: expected .+, got "):
        merge(DEFAULT, changes)


def test_merge_keeps_one_activation_per_layer_and_a_matching_dataset():
    s = merge(DEFAULT, {"layers": [3, 3, 5], "activations": ["relu"]})
    assert s["activations"] == ["relu", "relu", "relu"]
    assert merge(s, {"layers": [3]})["activations"] == ["relu"]
    s = merge(DEFAULT, {"problem": "regression"})
    assert s["dataset"] == "plane"
    assert merge(DEFAULT, {"features": ["x2", "x1"]})["features"] == ["x1", "x2"]


# ------------------------------------------------------------------ sessions and frames
def test_quantize_maps_minus_one_zero_one_to_bytes():
    q = quantize(np.array([-5, -1, 0, 1, 5, np.nan], dtype=np.float32))
    assert q.tolist() == [0, 0, 128, 255, 255, 255]


def test_grid_runs_from_top_left():
    g = grid_points()
    assert g.shape == (GRID * GRID, 2)
    assert g[0, 0] < 0 < g[0, 1]                 # first pixel: left, top
    assert g[-1, 0] > 0 > g[-1, 1]


def test_frame_holds_every_neuron_map_and_weight():
    s = Session(BIG)
    header, arrays = decode_frame(s.frame())
    assert arrays["surface"].shape == (GRID, GRID) and arrays["surface"].dtype == np.uint8
    assert arrays["neurons"].shape == (9 + 48, 50, 50)
    assert [arrays[f"w{i}"].shape for i in range(7)] == [(9, 8)] + [(8, 8)] * 5 + [(8, 1)]
    np.testing.assert_array_equal(arrays["w6"], s.dense[-1].kernel)
    assert header["epoch"] == 0 and 0 < header["test_loss"] < 5
    # the neuron maps are the network's own outputs at the grid pixels
    f = datasets.feature_columns(grid_points(), s.state["features"])
    first = np.tanh(f @ s.dense[0].kernel + s.dense[0].bias)[:, 3].reshape(GRID, GRID)
    scale = max(1.0, np.abs(first[::2, ::2]).max())
    np.testing.assert_array_equal(arrays["neurons"][9 + 3], quantize(first[::2, ::2] / scale))
    assert len(s.frame()) < 200_000


def test_encoding_round_trips_and_aligns_arrays():
    arrays = [("a", np.arange(5, dtype=np.uint8)), ("b", np.ones((2, 3), np.float32))]
    data = encode_frame({"epoch": 3}, arrays)
    header, back = decode_frame(data)
    assert header["epoch"] == 3
    np.testing.assert_array_equal(back["a"], arrays[0][1])
    np.testing.assert_array_equal(back["b"], arrays[1][1])
    assert all(s["offset"] % 4 == 0 for s in header["sections"])
    n = int.from_bytes(data[4:8], "little")
    assert (8 + n) % 4 == 0


def test_multiclass_surface_has_classes():
    s = Session({"dataset": "blobs"})
    _, arrays = decode_frame(s.frame())
    assert s.outputs == 4 and arrays["w" + str(len(s.dense) - 1)].shape[1] == 4
    assert arrays["surface_class"].max() <= 3


def test_training_lowers_the_loss_and_counts_epochs():
    s = Session({"dataset": "gauss", "optimizer": "adam", "learning_rate": 0.03})
    before = s.losses()["train_loss"]
    s.train_epochs(5)
    assert s.epoch == 5 and s.steps == 5 * s.steps_per_epoch == 5 * 25
    assert s.losses()["train_loss"] < before / 2


def test_same_seed_same_network_and_reset_draws_anew():
    a, b = Session({"seed": 4}), Session({"seed": 4})
    np.testing.assert_array_equal(a.dense[0].kernel, b.dense[0].kernel)
    a.train_epochs(2)
    b.train_epochs(2)
    np.testing.assert_array_equal(a.dense[0].kernel, b.dense[0].kernel)
    first = a.dense[0].kernel.copy()
    a.reset()
    assert a.epoch == 0 and not np.array_equal(a.dense[0].kernel, first)


def test_live_changes_keep_the_weights_structural_changes_rebuild():
    s = Session({"optimizer": "adam"})
    s.train_epochs(1)
    kernel = s.dense[0].kernel.copy()
    assert s.apply({"learning_rate": 0.3, "regularization": "l2", "reg_rate": 0.01,
                    "dropout": 0.2, "batch_size": 20}) == "live"
    assert s.model.optimizer.learning_rate == pytest.approx(0.3)
    assert s.regularizer.l2 == 0.01 and s.regularizer.l1 == 0
    assert all(d.rate == 0.2 for d in s.dropouts)
    np.testing.assert_array_equal(s.dense[0].kernel, kernel)
    assert s.epoch == 1
    builds = s.builds
    assert s.apply({"layers": [3]}) == "model" and s.epoch == 0 and s.builds == builds + 1
    assert s.apply({"noise": 20}) == "data"


def test_regularization_pulls_weights_down():
    plain = Session({"dataset": "xor", "layers": [8], "activations": ["tanh"]})
    l2 = Session({"dataset": "xor", "layers": [8], "activations": ["tanh"],
                  "regularization": "l2", "reg_rate": 0.1})
    plain.train_epochs(20)
    l2.train_epochs(20)
    norm = [sum(float(np.sum(d.kernel ** 2)) for d in s.dense) for s in (plain, l2)]
    assert norm[1] < norm[0] * 0.5


def test_upload_becomes_the_custom_dataset():
    s = Session()
    rows = "\n".join(f"{i % 7},{i % 5},{i % 2}" for i in range(40))
    s.upload(rows)
    assert s.state["dataset"] == "custom" and len(s.y_train) + len(s.y_test) == 40
    with pytest.raises(StateError, match="upload"):
        Session().apply({"dataset": "custom"})
    s.apply({"problem": "regression"})
    assert s.custom is None and s.state["dataset"] == "plane"


def test_a_diverging_network_keeps_streaming():
    s = Session({"learning_rate": 10.0, "optimizer": "sgd", "layers": [8, 8],
                 "activations": ["relu", "relu"], "problem": "regression"})
    s.train_epochs(3)
    header, arrays = decode_frame(s.frame())       # no exception, JSON without NaN
    assert arrays["surface"].shape == (GRID, GRID)
    assert header["train_loss"] is None or header["train_loss"] >= 0


def test_advance_respects_speed_and_budget():
    s = Session({"speed": 3})
    s.advance(budget=10)
    assert s.epoch == 3
    slow = Session({"speed": 100, "batch_size": 1, "points": 2000, **BIG})
    slow.advance(budget=0.01)
    assert 1 <= slow.steps < 100 * slow.steps_per_epoch


def test_importing_the_playground_does_not_import_the_web_server():
    import subprocess
    import sys

    code = ("import sys, redes.playground, redes.playground.session, redes.playground.export; "
            "print('fastapi' in sys.modules, 'uvicorn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False False"
