"""A recipe is data: it names only layers (and arguments) redes knows, with JSON values, so a
recipe file, an override or a run's config.json cannot make an engine load or run code."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from redes import recipes
from redes.engines import build_model
from redes.recipes import RecipeError, apply_overrides, apply_params, validate
from redes.recipes.model import layer_arguments


def with_layers(*layers, name="wine"):
    recipe = recipes.get(name)
    recipe["model"]["layers"] = [list(layer) for layer in layers] + [
        ["Dense", {"units": 3, "activation": "softmax"}]]
    return recipe


@pytest.mark.parametrize("name", [
    "TFSMLayer",           # keras.layers.TFSMLayer(filepath=...) loads and runs a SavedModel
    "Lambda",              # runs a Python function
    "Densee",              # unknown
    "__class__",           # attribute tricks
    "layers.Dense",
    "Dense.__init__",
    "Layer",               # the abstract base
    "InputLayer",          # the engine makes the input
    "TimeDistributed",     # takes another layer object
])
def test_validate_refuses_a_layer_redes_does_not_know(name):
    recipe = with_layers([name, {"filepath": "/tmp/model"}])
    expected = (r"recipe 'wine': model\.layers\.0\.0: " + re.escape(repr(name))
                + r" is not a layer a recipe can use; expected one of Activation, .*Dense, "
                  r".*Dropout")
    with pytest.raises(RecipeError, match=expected):
        validate(recipe)


def test_the_layers_are_those_of_redes_nn_less_the_ones_data_cannot_build():
    table = layer_arguments()
    assert {"Dense", "Dropout", "Conv2D", "MaxPooling2D", "Flatten", "LSTM"} <= set(table)
    assert not {"Lambda", "Layer", "InputLayer", "Bidirectional", "Input"} & set(table)
    assert "units" in table["Dense"] and "name" in table["Dense"]     # the base Layer's too
    assert "return_sequences" in table["LSTM"]                       # a base class's own
    # the identifier forms redes.nn takes are kept
    recipe = with_layers(
        ["Dense", {"units": 8, "activation": "relu", "kernel_regularizer": "l2",
                   "bias_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.1}},
                   "kernel_initializer": {"class_name": "RandomNormal",
                                          "config": {"stddev": 0.1, "seed": 3}},
                   "bias_initializer": "zeros", "name": "hidden"}],
        ["Dropout", {"rate": 0.1, "seed": None}])
    assert validate(recipe) is recipe


@pytest.mark.parametrize("kwargs,path,message", [
    ({"units": 8, "filepath": "/tmp/model"}, "filepath",
     r"Dense has no argument 'filepath'; expected one of activation, .*units, use_bias"),
    ({"units": 8, "__class__": "Dense"}, "__class__", r"Dense has no argument '__class__'"),
    ({"units": {"class_name": "Constant"}}, "units", r"expected null, true or false, a number, "
                                                     r"a string or a list of them, got \{"),
    ({"units": object()}, "units", r"got <object object"),
    ({"units": 8, "name": ["a", {"b": 1}]}, r"name\.1", r"got \{'b': 1\}"),
    ({"units": float("nan")}, "units", r"got nan"),
    ({"units": 8, "activation": "print"}, "activation", r"expected one of elu, .*relu"),
    ({"units": 8, "kernel_initializer": {"class_name": "GlorotUniform", "config": {},
                                         "module": "os"}},
     "kernel_initializer", r"expected one of Constant, .*GlorotUniform.*, or \{'class_name'"),
    ({"units": 8, "kernel_initializer": {"class_name": "system", "config": {}}},
     "kernel_initializer", r"got \{'class_name': 'system'"),
    ({"units": 8, "kernel_regularizer": {"class_name": "L2", "config": {"l2": {"a": 1}}}},
     r"kernel_regularizer\.config\.l2", r"expected null, true or false"),
])
def test_validate_refuses_an_argument_redes_does_not_take(kwargs, path, message):
    recipe = with_layers(["Dense", kwargs])
    with pytest.raises(RecipeError, match=rf"recipe 'wine': model\.layers\.0\.1\.{path}: "
                                          rf".*{message}"):
        validate(recipe)


def test_overrides_variants_and_search_points_go_through_the_check():
    wine = recipes.get("wine")
    with pytest.raises(RecipeError, match=r"model\.layers\.0\.0: 'TFSMLayer' is not a layer"):
        apply_overrides(wine, ['model.layers.0=["TFSMLayer", {"filepath": "/tmp/model"}]'])
    with pytest.raises(RecipeError, match=r"model\.layers\.0\.1\.filepath: Dense has no "
                                          r"argument 'filepath'.*\(after the overrides"):
        apply_overrides(wine, ["model.layers.0.1.filepath=/tmp/model"])
    wine["variants"] = {"evil": {"model.layers.0.0": "Lambda"}}
    with pytest.raises(RecipeError, match=r"model\.layers\.0\.0: 'Lambda' is not a layer"):
        recipes.variant(wine, "evil")
    head = with_layers(["Reshape", {"target_shape": [13]}], ["Dense", {"units": 8}],
                       name="wine")
    assert apply_params(head, {"units": 4})["model"]["layers"][1] == ["Dense", {"units": 4}]
    head["model"]["layers"][0] = ["Lambda", {"function": "print"}]
    with pytest.raises(RecipeError, match=r"model\.layers\.0\.0: 'Lambda' is not a layer"):
        apply_params(head, {"units": 4})


def test_the_optimizer_names_only_what_redes_nn_knows():
    recipe = recipes.get("wine")
    recipe["model"]["optimizer"] = {"class_name": "Adam", "config": {"learning_rate": {
        "module": "keras.layers", "class_name": "TFSMLayer", "config": {"filepath": "/tmp"}}}}
    with pytest.raises(RecipeError, match=r"model\.optimizer\.config\.learning_rate: expected "
                                          r"one of CosineDecay, .*PiecewiseConstantDecay"):
        validate(recipe)
    recipe["model"]["optimizer"] = {"class_name": "TFSMLayer", "config": {}}
    with pytest.raises(RecipeError, match=r"model\.optimizer: expected one of Adadelta, "):
        validate(recipe)
    recipe["model"]["optimizer"] = {"class_name": "Adam", "config": {"learning_rate": {
        "class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.01,
                                                     "decay_steps": 10, "decay_rate": 0.9}}}}
    assert validate(recipe) is recipe


@pytest.mark.parametrize("layers,message", [
    ([["Lambda", {"function": "print"}]], r"model\.layers\.0\.0: 'Lambda' is not a layer"),
    ([["Dense", {"units": 2}], ["Dense", {"units": 1, "filepath": "x"}]],
     r"model\.layers\.1\.1\.filepath: Dense has no argument 'filepath'"),
    ([["Dense", {"units": 1, "kernel_initializer": {"class_name": "Zeros", "module": "os"}}]],
     r"model\.layers\.0\.1\.kernel_initializer: expected one of"),
])
def test_the_numpy_engine_refuses_what_a_recipe_cannot_name(layers, message):
    with pytest.raises(RecipeError, match=r"^recipe: " + message):
        build_model("numpy", (4,), layers, "adam", "mse")


def test_the_keras_engine_refuses_what_a_recipe_cannot_name(tmp_path):
    pytest.importorskip("keras")
    from redes.engines import import_keras

    keras = import_keras()
    for name in layer_arguments():      # every layer a recipe may name is a Keras layer too
        assert issubclass(getattr(keras.layers, name), keras.layers.Layer), name
    for layers, message in [
        ([["TFSMLayer", {"filepath": str(tmp_path)}]], r"0: 'TFSMLayer' is not a layer"),
        ([["Dense", {"units": 1, "kernel_regularizer": {
            "module": "keras.layers", "class_name": "TFSMLayer",
            "config": {"filepath": str(tmp_path)}}}]], r"1\.kernel_regularizer: expected one of"),
    ]:
        with pytest.raises(RecipeError, match=r"^recipe: model\.layers\.0\." + message):
            build_model("keras", (4,), layers, "adam", "mse")


def test_resume_refuses_a_run_whose_config_names_such_a_layer(tmp_path, monkeypatch):
    from redes.cli import app
    from redes.runs import Run

    monkeypatch.setenv("REDES_RUNS", str(tmp_path / "runs"))
    monkeypatch.chdir(tmp_path)
    cli = CliRunner()
    trained = cli.invoke(app, ["train", "gaussian_quantiles", "--epochs", "2", "--verbose", "0"])
    assert trained.exit_code == 0, trained.output
    (path,) = (tmp_path / "runs").iterdir()
    original = json.loads((path / "config.json").read_text())
    cases = [   # (first layer, planned epochs): 2 scores the saved model, 4 trains on
        (["Lambda", {"function": "print"}], 2, "model.layers.0.0: 'Lambda' is not a layer"),
        (["TFSMLayer", {"filepath": str(tmp_path)}], 4, "model.layers.0.0: 'TFSMLayer' is not"),
        (["Dense", {"units": 8, "filepath": "x"}], 2,
         "model.layers.0.1.filepath: Dense has no argument 'filepath'"),
    ]
    for layer, epochs, message in cases:
        config = json.loads(json.dumps(original))
        config["recipe"]["model"]["layers"][0] = layer
        config["recipe"]["fit"]["epochs"] = epochs
        (path / "config.json").write_text(json.dumps(config))
        Run.open(path).mark_interrupted()
        result = cli.invoke(app, ["train", "--resume", str(path), "--verbose", "0"])
        assert result.exit_code == 2, (layer, result.output)
        assert "error: " in result.output and message in result.output, result.output
        assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
        assert Run.open(path).status == "interrupted"   # refused before the run is touched
    assert (path / "model.redes").is_file()      # what the run saved is still there
