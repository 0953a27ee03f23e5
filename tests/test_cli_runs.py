"""`redes train`, `evaluate`, `predict`, `runs`, `compare`, `report`, `data`: end to end on
small offline recipes, in a temporary runs folder."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from redes.cli import app
from redes.runs import Run, list_runs

runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, list(args))
    return result


@pytest.fixture()
def runs_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REDES_RUNS", str(tmp_path / "runs"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "runs"


def test_train_writes_a_complete_run(runs_dir):
    result = invoke("train", "gaussian_quantiles", "--epochs", "3", "--verbose", "0")
    assert result.exit_code == 0, result.output
    (path,) = runs_dir.iterdir()
    run = Run.open(path)
    assert run.status == "finished" and run.last_epoch == 3
    for name in ("config.json", "history.csv", "history.json", "metrics.json", "status.json",
                 "model.redes"):
        assert (path / name).is_file(), name
    plots = {p.name for p in (path / "plots").iterdir()}
    assert {"learning_curves.png", "confusion_matrix.png", "decision_boundary.png"} <= plots
    assert any((path / "tensorboard").rglob("events.out.tfevents.*"))
    assert 0 <= run.metrics["accuracy"] <= 1

    evaluated = invoke("evaluate", str(path))
    assert evaluated.exit_code == 0 and "accuracy" in evaluated.output

    np.savetxt("points.csv", np.array([[0.0, 0.0], [3.0, 3.0]]), delimiter=",")
    predicted = invoke("predict", str(path), "points.csv", "-o", "out.csv")
    assert predicted.exit_code == 0, predicted.output
    out = np.loadtxt("out.csv", delimiter=",", skiprows=1)
    assert out.shape == (2,) and np.all((out >= 0) & (out <= 1))
    assert out[0] < 0.5 < out[1]  # the centre is one class, far away the other

    listed = invoke("runs")
    assert listed.exit_code == 0, listed.output
    assert "gaussian_quan" in listed.output and "finished" in listed.output

    compared = invoke("compare", str(path), str(path), "--metric", "loss", "-o", "c.png")
    assert compared.exit_code == 0 and os.path.getsize("c.png") > 1000
    reported = invoke("report", str(path), "-o", "r.html")
    assert reported.exit_code == 0 and "<img" in open("r.html").read()


def test_train_with_overrides_and_a_recipe_file(runs_dir):
    result = invoke("train", "wine", "--epochs", "2", "--set", "fit.batch_size=8",
                    "--verbose", "0")
    assert result.exit_code == 0, result.output
    (run,) = [Run.open(p) for p in runs_dir.iterdir()]
    assert run.config["recipe"]["fit"]["batch_size"] == 8

    from redes import recipes

    recipe = recipes.get("wine")
    recipe["fit"]["epochs"] = 1
    with open("mine.json", "w") as f:
        json.dump(recipe, f)
    assert invoke("train", "mine.json", "--verbose", "0").exit_code == 0
    assert len(list_runs()) == 2


def test_clear_errors(runs_dir):
    unknown = invoke("train", "digitz")
    assert unknown.exit_code == 2 and "digits" in unknown.output
    bad_set = invoke("train", "wine", "--set", "fit.epochs=-3")
    assert bad_set.exit_code == 2 and "fit.epochs" in bad_set.output
    engine = invoke("train", "wine", "--engine", "torch")
    assert engine.exit_code == 2 and "--engine" in engine.output
    assert not runs_dir.exists() or not any(runs_dir.iterdir())


def test_missing_course_dataset_stops_at_once_with_instructions(runs_dir, tmp_path,
                                                                monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty-keras"))
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "empty-redes"))
    for name in ("imdb", "first_network_mnist", "fashion_mnist_dense", "reuters"):
        from redes import recipes

        if name not in recipes.names():
            continue
        result = invoke("train", name)
        assert result.exit_code == 2
        assert "redes data add" in result.output
    assert not runs_dir.exists() or not any(runs_dir.iterdir())


def test_ctrl_c_keeps_the_last_epoch_and_resume_continues(runs_dir, tmp_path):
    env = {**os.environ, "REDES_RUNS": str(runs_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "redes.cli", "train", "digits", "--epochs", "150",
         "--verbose", "0"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        runs = list(runs_dir.glob("*/status.json")) if runs_dir.exists() else []
        if runs and (json.loads(runs[0].read_text()).get("model_epoch") or 0) >= 2:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "--resume" in out
    (path,) = runs_dir.iterdir()
    run = Run.open(path)
    assert run.status == "interrupted"
    done = run.status_info["model_epoch"]
    assert done >= 2 and run.last_epoch >= done
    assert (path / "model.redes").is_file()

    resumed = invoke("train", "--resume", str(path), "--verbose", "0")
    assert resumed.exit_code == 0, resumed.output
    run = Run.open(path)
    assert run.status == "finished" and run.last_epoch == 150
    assert run.history["epoch"] == list(range(1, 151))


def test_data_list_and_add(runs_dir):
    listed = invoke("data", "list")
    assert listed.exit_code == 0 and "boston_housing" in listed.output
    bad = invoke("data", "add", "mnist", "no-such-file.npz")
    assert bad.exit_code == 2 and "no-such-file.npz" in bad.output
