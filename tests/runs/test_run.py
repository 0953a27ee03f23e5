"""The run directory: files, interruption, failure, listing, and input checks."""

import csv
import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import numpy as np
import pytest

import redes.nn as nn
from redes.runs import EpochRecorder, Run, RunError, list_runs, runs_root
from redes.runs import run as run_module

RECIPE = {
    "name": "toy", "title": "Toy problem", "dataset": "toy", "task": "binary", "seed": 3,
    "model": {"layers": [("Dense", {"units": 8, "activation": "relu"}),
                         ("Dense", {"units": 1, "activation": "sigmoid"})],
              "optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]},
    "fit": {"epochs": 3, "batch_size": 16, "validation_split": 0.25},
}


def _logs(e):
    return {"loss": 1.0 / (e + 1), "accuracy": 0.5 + 0.1 * e,
            "val_loss": 1.2 / (e + 1), "val_accuracy": 0.45 + 0.1 * e}


def _tiny_model():
    nn.utils.set_random_seed(0)
    model = nn.Sequential([nn.Input(shape=(2,)), nn.layers.Dense(8, activation="relu"),
                           nn.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.random((80, 2)).astype("float32")
    y = (x.sum(axis=1) > 1).astype("float32")
    return model, x, y


def test_a_trained_run_has_every_file(tmp_path):
    model, x, y = _tiny_model()
    with Run.create("toy", "numpy", RECIPE, root=tmp_path) as run:
        history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25, verbose=0,
                            callbacks=[run.callback()])
        test = model.evaluate(x, y, verbose=0, return_dict=True)
        run.finish(test)
    files = {p.relative_to(run.path).as_posix() for p in run.path.rglob("*") if p.is_file()}
    for name in ("config.json", "status.json", "history.json", "history.csv",
                 "metrics.json", "model.redes"):
        assert name in files
    assert any(f.startswith("tensorboard/train/events.out.tfevents.") for f in files)
    assert any(f.startswith("tensorboard/validation/events.out.tfevents.") for f in files)
    assert run.plots_dir.is_dir()
    assert not [f for f in files if ".tmp-" in f]

    again = Run.open(run.path)
    assert again.status == "finished"
    assert again.last_epoch == 3
    info = again.status_info
    assert info["epochs"] == 3 and info["model_epoch"] == 3 and info["seconds"] >= 0
    assert again.history["epoch"] == [1, 2, 3]
    for key, values in history.history.items():
        assert again.history[key] == pytest.approx(values)
    assert list(again.history) == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    assert again.metrics == pytest.approx(test)

    with open(run.path / "history.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3]
    assert [float(r["val_loss"]) for r in rows] == pytest.approx(history.history["val_loss"])

    config = json.loads((run.path / "config.json").read_text())
    assert config["engine"] == "numpy" and config["recipe_name"] == "toy"
    assert config["seed"] == 3 and config["device"] == "cpu"
    assert config["versions"]["numpy"] == np.__version__
    assert config["recipe"]["model"]["layers"][0] == ["Dense", {"units": 8,
                                                                "activation": "relu"}]
    datetime.fromisoformat(config["started"])

    loaded = again.load_model()
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)


def test_names_are_dated_and_never_collide(tmp_path, monkeypatch):
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    monkeypatch.setattr(run_module, "_now", lambda: moment)
    first = Run.create("boston-kfold", "keras", {}, root=tmp_path, device="cpu")
    second = Run.create("boston-kfold", "keras", {}, root=tmp_path, device="cpu")
    assert first.name == "boston-kfold-keras-20240102-030405"
    assert second.name == "boston-kfold-keras-20240102-030405-1"
    assert second.model_path.name == "model.keras"


def test_runs_root_comes_from_redes_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("REDES_RUNS", str(tmp_path / "elsewhere"))
    assert runs_root() == tmp_path / "elsewhere"
    run = Run.create("toy", "numpy", RECIPE)
    assert run.path.parent == tmp_path / "elsewhere"
    assert [r["name"] for r in list_runs()] == [run.name]
    monkeypatch.delenv("REDES_RUNS")
    assert str(runs_root()) == "runs"


def test_history_survives_a_run_that_never_finishes(tmp_path):
    run = Run.create("toy", "numpy", RECIPE, root=tmp_path)
    run.log_epoch(0, _logs(0))
    run.log_epoch(1, _logs(1))
    reopened = Run.open(run.path)
    assert reopened.status == "running"          # this process is still alive
    assert reopened.last_epoch == 2
    assert reopened.history["val_loss"] == pytest.approx([1.2, 0.6])


def test_a_killed_process_reads_as_interrupted(tmp_path):
    script = textwrap.dedent(f"""
        from redes.runs import Run
        run = Run.create("toy", "numpy", {{}}, root={str(tmp_path)!r})
        run.log_epoch(0, {{"loss": 0.9, "val_loss": 1.0}})
        run.log_epoch(1, {{"loss": 0.7, "val_loss": 0.8}})
        print(run.path)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=60)
    run = Run.open(out.stdout.strip())
    assert run.status == "interrupted"
    assert run.status_info["status"] == "running"      # as recorded on disk
    assert run.last_epoch == 2
    assert run.history == {"epoch": [1, 2], "loss": [0.9, 0.7], "val_loss": [1.0, 0.8]}
    assert list_runs(tmp_path)[0]["status"] == "interrupted"


def test_ctrl_c_marks_interrupted_and_errors_mark_failed(tmp_path):
    with pytest.raises(KeyboardInterrupt), Run.create("toy", "numpy", {}, root=tmp_path) as a:
        a.log_epoch(0, {"loss": 1.0})
        raise KeyboardInterrupt
    a = Run.open(a.path)
    assert a.status == "interrupted" and a.last_epoch == 1 and a.seconds >= 0

    with pytest.raises(ZeroDivisionError), Run.create("toy", "keras", {}, root=tmp_path) as b:
        raise ZeroDivisionError("division by zero")
    b = Run.open(b.path)
    assert b.status == "failed"
    error = b.status_info["error"]
    assert error["type"] == "ZeroDivisionError" and "division" in error["message"]
    assert "test_run.py" in error["traceback"]

    c = Run.create("toy", "numpy", {}, root=tmp_path)
    c.mark_interrupted()
    assert Run.open(c.path).status == "interrupted"


def test_logging_an_epoch_again_replaces_it_and_later_ones(tmp_path):
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    for e in range(4):
        run.log_epoch(e, {"loss": 10.0 - e})
    run.log_epoch(2, {"loss": 1.5, "val_loss": 2.5})       # resumed from epoch 2
    history = Run.open(run.path).history
    assert history == {"epoch": [1, 2, 3], "loss": [10.0, 9.0, 1.5],
                       "val_loss": [None, None, 2.5]}
    assert run.last_epoch == 3


def test_missing_and_non_finite_values_become_null(tmp_path):
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    run.log_epoch(0, {"loss": 1.0, "val_loss": 1.1})
    run.log_epoch(1, {"loss": float("nan")})               # e.g. validation_freq=2
    text = (run.path / "history.json").read_text()
    assert "NaN" not in text
    assert json.loads(text) == {"epoch": [1, 2], "loss": [1.0, None], "val_loss": [1.1, None]}
    assert (run.path / "history.csv").read_text().splitlines() == [
        "epoch,loss,val_loss", "1,1.0,1.1", "2,nan,"]
    run.finish({"loss": np.float32(0.5), "accuracy": np.float64(float("inf"))})
    assert json.loads((run.path / "metrics.json").read_text()) == {"loss": 0.5,
                                                                    "accuracy": None}


def test_list_runs_rows(tmp_path, monkeypatch):
    assert list_runs(tmp_path / "missing") == []
    clock = {"now": datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)}
    monkeypatch.setattr(run_module, "_now", lambda: clock["now"])
    done = Run.create("digits", "numpy", {"title": "Digits"}, root=tmp_path)
    done.set_epochs(5)
    for e in range(5):
        done.log_epoch(e, _logs(e))
    clock["now"] = datetime(2024, 5, 1, 10, 0, 2, tzinfo=UTC)
    done.finish({"loss": 0.2, "accuracy": 0.95})
    clock["now"] = datetime(2024, 5, 1, 11, 0, 0, tzinfo=UTC)
    broken = Run.create("boston", "keras", {}, root=tmp_path, device="GPU:0")
    broken.log_epoch(0, {"loss": 3.0, "mae": 1.0})
    broken.fail(RuntimeError("out of memory"))
    (tmp_path / "notes").mkdir()                               # not a run: skipped
    damaged = tmp_path / "damaged-run"
    damaged.mkdir()
    (damaged / "config.json").write_text("{not json")

    rows = list_runs(tmp_path)
    assert [r["name"] for r in rows] == ["damaged-run", done.name, broken.name]
    assert rows[0]["status"] == "unreadable" and "damaged-run" in rows[0]["error"]
    row = rows[1]
    assert row["recipe"] == "digits" and row["title"] == "Digits" and row["engine"] == "numpy"
    assert row["status"] == "finished" and row["epochs"] == 5 and row["planned_epochs"] == 5
    assert row["metrics"] == {"loss": 0.2, "accuracy": 0.95}
    assert row["val"] == pytest.approx({"val_loss": 0.24, "val_accuracy": 0.85})
    assert row["started"] == "2024-05-01T10:00:00+00:00"
    assert row["seconds"] == 2.0
    assert rows[2]["status"] == "failed" and rows[2]["epochs"] == 1 and rows[2]["val"] == {}


def test_recorder_keeps_the_last_good_model_when_saving_fails(tmp_path):
    class Diverged:
        def save(self, path):
            raise ValueError("weight dense/kernel holds NaN or inf values")

    run = Run.create("toy", "numpy", {}, root=tmp_path)
    recorder = EpochRecorder(run)
    recorder.on_train_begin({"epochs": 4})
    recorder.on_epoch_end(0, {"loss": float("nan")}, Diverged())
    info = Run.open(run.path).status_info
    assert info["last_epoch"] == 1 and info["epochs"] == 4 and info["model_epoch"] is None
    assert "epoch 1: model not saved" in info["warning"]


def test_callback_for_the_numpy_engine_is_a_redes_callback(tmp_path):
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    assert isinstance(run.callback(), nn.callbacks.Callback)
    with pytest.raises(ValueError, match="engine: expected 'numpy' or 'keras', got 'jax'"):
        run.callback("jax")


@pytest.mark.parametrize("kwargs, message", [
    ({"recipe_name": "../evil"}, "recipe_name: expected a name"),
    ({"recipe_name": ""}, "recipe_name: expected a name"),
    ({"engine": "torch"}, "engine: expected one of numpy, keras, got 'torch'"),
    ({"config": ["not", "a", "dict"]}, "config: expected a dict"),
    ({"config": {"callback": print}}, r"config\['callback'\]: cannot be written as JSON"),
])
def test_create_rejects_bad_input_and_writes_nothing(tmp_path, kwargs, message):
    args = {"recipe_name": "toy", "engine": "numpy", "config": {}, **kwargs}
    with pytest.raises(ValueError, match=message):
        Run.create(**args, root=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_logging_rejects_bad_input(tmp_path):
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    with pytest.raises(ValueError, match="epoch: expected an integer >= 0"):
        run.log_epoch(-1, {"loss": 1.0})
    with pytest.raises(ValueError, match="epoch: expected an integer >= 0"):
        run.log_epoch(1.5, {"loss": 1.0})
    with pytest.raises(ValueError, match="logs: expected a dict"):
        run.log_epoch(0, [1.0])
    with pytest.raises(ValueError, match=r"logs\['loss'\]: expected a number, got 'low'"):
        run.log_epoch(0, {"loss": "low"})
    with pytest.raises(ValueError, match="metrics: expected a dict"):
        run.finish([0.9])
    with pytest.raises(ValueError, match="epochs: expected an integer >= 0"):
        run.set_epochs(-3)
    assert Run.open(run.path).history == {"epoch": []}


def test_open_rejects_what_is_not_a_run(tmp_path):
    with pytest.raises(RunError, match="is not a run directory"):
        Run.open(tmp_path)
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    (run.path / "history.json").write_text('{"epoch": [1], "loss": []}')
    with pytest.raises(RunError, match="history.json is not a table"):
        Run.open(run.path)
    (run.path / "status.json").write_text("[]")
    with pytest.raises(RunError, match="status.json has no valid status"):
        Run.open(run.path)


def test_files_are_readable_by_others(tmp_path):
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    mask = os.umask(0)
    os.umask(mask)
    assert (run.path / "config.json").stat().st_mode & 0o777 == 0o666 & ~mask
