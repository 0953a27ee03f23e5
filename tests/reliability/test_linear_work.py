"""Reading what a user gives costs work in proportion to its size: a recipe, a run folder
and a dataset file of 10 and of 1,000 layers (or members) are read and built once each.
The work is counted, not timed (see docs/reliability.md, "Work in proportion to the input").
The same for model files is in tests/nn/test_engine_checks.py."""

from __future__ import annotations

import copy
import json
import zipfile

import numpy as np
import pytest

from redes import data, recipes, training_runs
from redes._base import files
from redes.data import formats
from redes.engines.building import build
from redes.nn.layers.base import Layer
from redes.recipes import model as recipe_model
from redes.runs import Run
from redes.runs import run as run_module

SIZES = (10, 1000)


@pytest.fixture
def counts(monkeypatch):
    """How many layer calls, recipe argument checks, JSON files and zip members are read."""
    seen = {"layers": 0, "arguments": 0, "json": {}, "members": {}}

    def wrap(owner, name, count):
        real = getattr(owner, name)

        def counting(*args, **kwargs):
            count(*args)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counting)

    def add(key):
        def count(*args):
            seen[key] += 1
        return count

    def per(key, pick):
        def count(*args):
            name = str(pick(args))
            seen[key][name] = seen[key].get(name, 0) + 1
        return count

    wrap(Layer, "_record", add("layers"))
    wrap(recipe_model, "_check_argument", add("arguments"))
    wrap(run_module, "read_json", per("json", lambda args: args[0]))
    wrap(zipfile.ZipFile, "read", per("members", lambda args: getattr(args[1], "filename",
                                                                        args[1])))
    return seen


def _deep_recipe(n: int) -> dict:
    """gaussian_quantiles with ``n`` Dropout layers between its Dense layers."""
    recipe = copy.deepcopy(recipes.get("gaussian_quantiles"))
    first, *rest = recipe["model"]["layers"]
    recipe["model"]["layers"] = [first, *[["Dropout", {"rate": 0.1}]] * n, *rest]
    recipe["fit"]["epochs"] = 1
    return recipe


def test_a_recipe_is_checked_and_built_once_per_layer(tmp_path, counts):
    beyond_layers = set()
    for n in SIZES:
        recipe = _deep_recipe(n)
        path = tmp_path / f"deep{n}.json"
        path.write_text(json.dumps(recipe))
        counts["arguments"] = counts["layers"] = 0
        checked = recipes.validate(json.loads(path.read_text()))
        arguments = sum(len(kwargs) for _name, kwargs in recipe["model"]["layers"])
        beyond_layers.add(counts["arguments"] - arguments)   # the optimizer's, the same for all
        build(checked, "numpy")
        assert counts["layers"] == n + 3                 # each layer called once
    assert len(beyond_layers) == 1 and beyond_layers.pop() < 5    # each layer's arguments once


def test_a_run_folder_is_read_once_per_file_and_its_model_built_once_per_layer(
        tmp_path, counts):
    for n in SIZES:
        trained, _result = training_runs.train(_deep_recipe(n), "numpy", root=tmp_path / f"runs{n}",
                                        verbose=0)
        path = trained.path
        counts["json"].clear()
        run = Run.open(path)
        assert counts["json"] and set(counts["json"].values()) == {1}   # each file once
        counts["layers"] = 0
        model = run.load_model()
        assert counts["layers"] == n + 3 and len(model.layers) == n + 3
        counts["json"].clear()
        (row,) = run_module.list_runs(tmp_path / f"runs{n}")
        assert row["status"] == "finished" and set(counts["json"].values()) == {1}


def test_a_dataset_file_is_read_once_per_member(tmp_path, counts):
    for n in SIZES:
        path = tmp_path / f"many{n}.npz"
        np.savez(path, **{f"a{i}": np.arange(3) for i in range(n)})
        counts["members"].clear()
        arrays = formats.read_npz(path)
        assert len(arrays) == n
        assert len(counts["members"]) == n and set(counts["members"].values()) == {1}


def test_a_registered_dataset_is_read_once_when_it_loads(tmp_path, monkeypatch, counts):
    monkeypatch.setenv("REDES_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    for n in SIZES:
        rng = np.random.default_rng(n)
        arrays = {"x_train": rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
                  "y_train": rng.integers(0, 10, n, dtype=np.uint8),
                  "x_test": rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
                  "y_test": rng.integers(0, 10, n, dtype=np.uint8)}
        np.savez(tmp_path / "mnist.npz", **arrays)
        data.add("mnist", tmp_path / "mnist.npz")
        counts["members"].clear()
        (x_train, _y_train), _test = data.load("mnist")
        assert len(x_train) == n
        assert sorted(counts["members"]) == sorted(f"{k}.npy" for k in arrays)
        assert set(counts["members"].values()) == {1}


def test_json_nested_deeper_than_python_reads_is_refused(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValueError, match="JSON nested too deeply"):
        files.read_json(path)
