"""Every preset really solves its dataset, and the export runs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest

from redes.data import playground_sets as datasets
from redes.playground import export
from redes.playground.presets import PRESETS, preset_state
from redes.playground.session import Session


def epochs_to_goal(name: str, seed: int) -> int | None:
    """Epochs until the test loss is below the preset's goal (checked every epoch)."""
    preset = PRESETS[name]
    session = Session({**preset_state(name), "seed": seed})
    while session.epoch < preset["epochs"]:
        session.train_epochs(1)
        if session.losses()["test_loss"] < preset["goal"]:
            return session.epoch
    return None


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_reaches_its_goal(name, seed):
    epochs = epochs_to_goal(name, seed)
    assert epochs is not None, (
        f"{name}: test loss still above {PRESETS[name]['goal']} after "
        f"{PRESETS[name]['epochs']} epochs")


def test_every_dataset_has_a_preset():
    from redes.data.playground_sets import DATASETS

    assert set(PRESETS) == set(DATASETS)


def trained(name="spiral3", **changes):
    session = Session({**preset_state(name), **changes})
    session.train_epochs(3)
    return session


def test_recipe_is_json_with_the_network():
    session = trained(regularization="l2", reg_rate=0.001, dropout=0.1)
    recipe = json.loads(json.dumps(export.recipe(session)))
    assert recipe["fit"] == {"epochs": 3, "batch_size": 10}
    model = recipe["model"]
    assert model["loss"] == "sparse_categorical_crossentropy"
    assert model["metrics"] == ["accuracy"]
    assert model["optimizer"] == {"class_name": "Adam", "config": {"learning_rate": 0.01}}
    assert [name for name, _ in model["layers"]] == ["Dense", "Dropout"] * 3 + ["Dense"]
    assert model["layers"][0][1] == {"units": 8, "activation": "tanh", "kernel_regularizer": {
        "class_name": "L2", "config": {"l2": 0.001}}}
    assert model["layers"][-1][1]["units"] == 3
    assert model["layers"][-1][1]["activation"] == "softmax"
    assert recipe["task"] == {"type": "multiclass", "classes": ["0", "1", "2"]}
    assert recipe["dataset"] == {"name": "playground", "kwargs": {
        "features": ["x1", "x2", "sinx1", "sinx2", "cosx1", "cosx2"], "dataset": "spiral3",
        "n_samples": 1000, "noise": 0.0, "seed": 1, "train_ratio": 50}}
    accuracy = session.losses()["test_accuracy"]
    assert recipe["expected"] == {"test_accuracy": {"min": round(0.9 * accuracy, 2)}}


def test_recipe_dataset_gives_back_the_sessions_points():
    session = trained("moons", noise=10, features=["x1", "x2", "x1x2"])
    (x_train, y_train), (x_test, y_test) = datasets.load(
        **export.recipe(session)["dataset"]["kwargs"])
    np.testing.assert_array_equal(x_train, session._f_train)
    np.testing.assert_array_equal(y_test, session.y_test)
    session.upload("\n".join(f"{i % 7},{i % 5},{i % 2}" for i in range(40)))
    (x_train, y_train), (x_test, y_test) = datasets.load(
        **export.recipe(session)["dataset"]["kwargs"])
    np.testing.assert_allclose(x_train, session._f_train, rtol=1e-3, atol=1e-4)
    np.testing.assert_array_equal(y_train, session.y_train)


def test_recipe_follows_the_recipe_spec_and_trains(monkeypatch):
    recipes = pytest.importorskip("redes.recipes", reason="redes.recipes is not there")
    training = pytest.importorskip("redes.engines.training", reason="no recipe training")
    import redes.data

    session = trained("xor")
    session.train_epochs(27)
    recipe = recipes.validate(export.recipe(session))
    load = redes.data.load
    monkeypatch.setattr(redes.data, "load", lambda name, **kwargs: datasets.load(**kwargs)
                        if name == "playground" else load(name, **kwargs))
    result = training.train_recipe(recipe, engine="numpy")
    assert result.test["accuracy"] >= recipe["expected"]["test_accuracy"]["min"]


def run_script(code: str, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_text(code)
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_keras_script_runs_on_the_numpy_engine(tmp_path):
    session = trained("moons", optimizer="momentum", regularization="l1", reg_rate=0.001)
    code = export.keras_script(session)
    assert "import keras\n" in code and "keras.optimizers.SGD(learning_rate=0.03, " \
        "momentum=0.9)" in code
    out = run_script(code.replace("import keras\nfrom keras import",
                                  "import redes.nn as keras\nfrom redes.nn import"),
                     tmp_path, "with_redes.py")
    assert "test:" in out


@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="keras is not installed")
def test_keras_script_runs_on_keras(tmp_path):
    session = trained("spiral3", dropout=0.1, regularization="l2", reg_rate=0.001)
    out = run_script(export.keras_script(session), tmp_path, "with_keras.py")
    line = out.strip().splitlines()[-1]
    assert line.startswith("test:") and "accuracy" in line
