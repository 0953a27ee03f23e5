"""Every figure draws the right numbers and saves a PNG of sensible size."""

import struct

import numpy as np
import pytest
from matplotlib.figure import Figure

from redes.report import figures
from redes.runs import Run

RNG = np.random.default_rng(0)
HISTORY = {"loss": [1.0, 0.6, 0.4, 0.3], "accuracy": [0.5, 0.7, 0.8, 0.9],
           "val_loss": [1.1, 0.7, 0.65, 0.8], "val_accuracy": [0.45, 0.6, 0.75, 0.7]}


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 5_000
    return struct.unpack(">II", data[16:24])


def _sensible(path, wide=False):
    width, height = _png_size(path)
    assert 400 <= width <= 2000 and 300 <= height <= 2000
    assert (width > height) if wide else True
    return width, height


def _circles():
    angles = RNG.uniform(0, 2 * np.pi, 120)
    radius = np.r_[np.full(60, 0.4), np.full(60, 1.0)] + RNG.normal(0, 0.05, 120)
    x = np.c_[radius * np.cos(angles), radius * np.sin(angles)]
    y = np.r_[np.ones(60), np.zeros(60)].astype(int)
    return x, y


def _inside(points):
    return 1 / (1 + np.exp(10 * (np.hypot(points[:, 0], points[:, 1]) - 0.7)))


# ------------------------------------------------------------------ helpers
def test_smooth_curve_is_the_course_exponential_moving_average():
    assert figures.smooth_curve([1, 2, 3], 0.5) == pytest.approx([1, 1.5, 2.25])
    assert figures.smooth_curve([4, 8], 0.9) == pytest.approx([4, 4.4])
    assert figures.smooth_curve([3, 1, 2], 0) == pytest.approx([3, 1, 2])
    assert figures.smooth_curve([None, 2, float("nan"), 4], 0.5) == pytest.approx(
        [np.nan, 2, 2, 3], nan_ok=True)
    with pytest.raises(ValueError, match=r"factor: expected a number in \[0, 1\), got 1"):
        figures.smooth_curve([1, 2], 1)


def test_mean_history_averages_folds_epoch_by_epoch():
    folds = [{"val_mae": [3.0, 2.0, 1.0]}, {"val_mae": [5.0, 4.0]}]
    assert figures.mean_history(folds) == {"val_mae": [4.0, 3.0]}
    with pytest.raises(ValueError, match=r"histories\[1\]: has keys"):
        figures.mean_history([{"mae": [1]}, {"loss": [1]}])


def test_predicted_labels_and_metric_direction():
    assert figures.predicted_labels([[0.1, 0.9], [0.8, 0.2]]).tolist() == [1, 0]
    assert figures.predicted_labels([[0.7], [0.2]]).tolist() == [1, 0]
    assert figures.predicted_labels([0.3, 0.6], threshold=0.25).tolist() == [1, 1]
    assert figures.higher_is_better("val_accuracy") and figures.higher_is_better("auc")
    assert not figures.higher_is_better("val_mae") and not figures.higher_is_better("loss")


# ------------------------------------------------------------------ figures
def test_learning_curves_draw_each_metric_and_mark_the_best_epoch(tmp_path):
    fig = figures.learning_curves(HISTORY)
    assert isinstance(fig, Figure)
    loss_ax, acc_ax = [ax for ax in fig.axes if ax.get_visible()]
    assert loss_ax.get_title() == "loss" and acc_ax.get_title() == "accuracy"
    labels = [t.get_text() for t in loss_ax.get_legend().get_texts()]
    assert labels == ["training", "validation, best 0.65 at epoch 3"]
    assert acc_ax.get_legend().get_texts()[1].get_text() == "validation, best 0.75 at epoch 3"
    np.testing.assert_allclose(loss_ax.lines[0].get_ydata(), HISTORY["loss"])
    np.testing.assert_allclose(loss_ax.lines[0].get_xdata(), [1, 2, 3, 4])

    path = figures.learning_curves(HISTORY, smooth=0.5, title="Digits", path=tmp_path / "lc.png")
    assert path == tmp_path / "lc.png"
    _sensible(path, wide=True)
    assert not list(tmp_path.glob(".tmp-*"))


def test_learning_curves_accept_history_objects_and_runs(tmp_path):
    class History:
        history = {"loss": [2.0, 1.0]}

    assert len(figures.learning_curves(History()).axes) == 1
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    run.log_epoch(0, {"loss": 2.0, "mae": 1.5, "val_mae": 1.7})
    fig = figures.learning_curves(run, metrics=["mae"])
    assert [ax.get_title() for ax in fig.axes] == ["MAE"]
    with pytest.raises(ValueError, match="metrics: expected a list of names among"):
        figures.learning_curves(run, metrics=["accuracy"])
    diverged = figures.learning_curves({"loss": [1.0, float("nan")], "val_loss": [None, None]})
    ax = diverged.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training"]
    assert ax.get_xlim() == (0.5, 2.5)
    with pytest.raises(ValueError, match="history: has no epochs"):
        figures.learning_curves({"loss": []})
    with pytest.raises(ValueError, match="every list must have one value per epoch"):
        figures.learning_curves({"loss": [1, 2], "val_loss": [1]})
    with pytest.raises(ValueError, match="history: expected a History"):
        figures.learning_curves([1, 2, 3])


def test_confusion_matrix_counts_and_row_fractions(tmp_path):
    y_true = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2]
    y_pred = [0, 0, 0, 1, 1, 1, 2, 2, 0, 0]
    fig = figures.confusion_matrix(y_true, y_pred, class_names=["cat", "dog", "bird"])
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.images[0].get_array(),
                               [[0.75, 0.25, 0], [0, 1, 0], [0.5, 0, 0.5]])
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["3\n75%", "1\n25%", "0", "0", "2\n100%", "0", "2\n50%", "0", "2\n50%"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "bird"]
    assert ax.get_title() == "Confusion matrix (accuracy 70.0%, n = 10)"

    one_hot = np.eye(3)[y_true]
    same = figures.confusion_matrix(one_hot, np.eye(3)[y_pred])
    np.testing.assert_allclose(same.axes[0].images[0].get_array(), ax.images[0].get_array())

    small = figures.confusion_matrix(y_true, y_pred, path=tmp_path / "cm.png")
    _sensible(small)
    labels = RNG.integers(0, 46, 1000)
    big = _sensible(figures.confusion_matrix(labels, labels, path=tmp_path / "cm46.png"))
    assert big[0] > _png_size(small)[0]


def test_confusion_matrix_rejects_bad_labels():
    with pytest.raises(ValueError, match="y_pred: has 2 labels but y_true has 3"):
        figures.confusion_matrix([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="y_pred: expected whole class labels.*predicted_labels"):
        figures.confusion_matrix([0, 1], [0.2, 0.9])
    with pytest.raises(ValueError, match="class_names: 2 names given, but the labels go up to "
                                         "class 2"):
        figures.confusion_matrix([0, 1, 2], [0, 1, 2], class_names=["a", "b"])


def test_regression_panels(tmp_path):
    y_true = np.array([10.0, 20.0, 30.0, 40.0])
    y_pred = np.array([[12.0], [18.0], [30.0], [44.0]])
    fig = figures.regression(y_true, y_pred, unit="k$")
    left, right = fig.axes
    box = left.texts[0].get_text()
    assert box == "MAE 2\nRMSE 2.449\nR² 0.952"
    np.testing.assert_allclose(right.collections[0].get_offsets(),
                               [[12, -2], [18, 2], [30, 0], [44, -4]])
    assert right.get_ylabel() == "residual: true − predicted (k$)"
    _sensible(figures.regression(y_true, y_pred, path=tmp_path / "reg.png"), wide=True)
    with pytest.raises(ValueError, match="y_pred: expected one number per sample"):
        figures.regression(y_true, np.ones((4, 2)))
    with pytest.raises(ValueError, match="y_pred: has 3 values but y_true has 4"):
        figures.regression(y_true, [1, 2, 3])


def test_decision_boundary_binary_and_multiclass(tmp_path):
    x, y = _circles()
    seen = []

    def predict(points):
        seen.append(points.shape)
        return _inside(points)[:, None]

    fig = figures.decision_boundary(predict, x, y, grid=50, class_names=["outer", "inner"])
    assert seen == [(2500, 2)]
    ax = fig.axes[0]
    surface = ax.collections[0].get_array().reshape(50, 50)
    assert surface[25, 25] > 0.99 and surface[0, 0] < 0.01          # centre vs corner
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["outer", "inner"]
    _sensible(figures.decision_boundary(predict, x, y, path=tmp_path / "db2.png"))

    centres = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    points = np.repeat(centres, 20, axis=0) + RNG.normal(0, 0.3, (60, 2))
    labels = np.repeat([0, 1, 2], 20)

    def softmax(g):
        scores = -((g[:, None, :] - centres[None]) ** 2).sum(-1)
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    path = figures.decision_boundary(softmax, points, np.eye(3)[labels],
                                     grid=(np.linspace(-1, 4, 60), np.linspace(-1, 4, 40)),
                                     path=tmp_path / "db3.png")
    _sensible(path)


def test_decision_boundary_rejects_bad_input():
    x, y = _circles()
    with pytest.raises(ValueError, match=r"x: expected points of shape \(n, 2\)"):
        figures.decision_boundary(_inside, np.ones((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="predict: returned shape"):
        figures.decision_boundary(lambda g: np.ones(3), x, y, grid=20)
    with pytest.raises(ValueError, match="grid: expected 10 to 1000 points per axis, got 5"):
        figures.decision_boundary(_inside, x, y, grid=5)
    with pytest.raises(ValueError, match="predict: expected a function"):
        figures.decision_boundary("model", x, y)


def test_compare_overlays_runs(tmp_path):
    histories = {"dropout": HISTORY, "plain": {"val_loss": [1.2, 0.9, 1.0, 1.3]},
                 "l2": {"val_loss": [1.0, 0.8, 0.7, 0.75]}}
    fig = figures.compare(histories)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "dropout (best 0.65 at 3)", "plain (best 0.9 at 2)", "l2 (best 0.7 at 3)"]
    assert ax.get_title() == "validation loss by run"
    # smoothed val_accuracy: 0.45, 0.525, 0.6375, 0.66875
    acc = figures.compare({"a": HISTORY}, metric="val_accuracy", smooth=0.5)
    assert "best 0.6687 at 4" in acc.axes[0].get_legend().get_texts()[0].get_text()
    _sensible(figures.compare(histories, path=tmp_path / "cmp.png"), wide=True)
    with pytest.raises(ValueError, match="metric: 'val_mae' is not in the history of 'dropout'"):
        figures.compare(histories, metric="val_mae")
    with pytest.raises(ValueError, match="histories: expected a non-empty dict"):
        figures.compare({})


def test_save_figure_wants_a_png_path(tmp_path):
    fig = figures.learning_curves(HISTORY)
    with pytest.raises(ValueError, match="path: expected a file name ending in .png"):
        figures.save_figure(fig, tmp_path / "curves.jpg")
    path = figures.save_figure(fig, tmp_path / "new" / "folder" / "curves.png")
    _sensible(path, wide=True)


def test_write_run_figures_picks_the_figures_of_the_task(tmp_path):
    x, y = _circles()
    run = Run.create("circles", "numpy", {"task": "binary"}, root=tmp_path)
    for e in range(3):
        run.log_epoch(e, {"loss": 1.0 / (e + 1), "val_loss": 1.1 / (e + 1)})
    paths = figures.write_run_figures(run, y_true=y, y_pred=_inside(x)[:, None],
                                      predict=_inside, x=x, class_names=["out", "in"])
    assert [p.name for p in paths] == ["learning_curves.png", "confusion_matrix.png",
                                       "decision_boundary.png"]
    assert all(p.parent == run.plots_dir for p in paths)
    reg = Run.create("boston", "numpy", {"task": "regression"}, root=tmp_path)
    paths = figures.write_run_figures(reg.path, y_true=[1.0, 2.0, 3.0], y_pred=[1.1, 2.2, 2.7])
    assert [p.name for p in paths] == ["regression.png"]
    with pytest.raises(ValueError, match="task: expected 'binary', 'multiclass' or "
                                         "'regression', got 'ranking'"):
        figures.write_run_figures(reg, task="ranking", y_true=[1], y_pred=[1])
