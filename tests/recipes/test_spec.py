"""Recipes are valid JSON data; overrides, variants and search points change them safely."""

from __future__ import annotations

import json

import pytest

from redes import recipes
from redes.recipes import RecipeError, apply_overrides, apply_params, validate

OFFLINE = ["breast_cancer", "wine", "digits", "boston", "gaussian_quantiles", "mnist1d_mlp",
           "mnist1d_cnn"]
NEED_DATA = ["first_network", "fashion_mnist_dense", "fashion_mnist_cnn", "imdb", "reuters"]


def test_names_in_course_order():
    assert recipes.names() == [
        "first_network", "fashion_mnist_dense", "fashion_mnist_cnn", "imdb", "breast_cancer",
        "reuters", "wine", "digits", "boston", "gaussian_quantiles", "mnist1d_mlp",
        "mnist1d_cnn",
    ]
    assert recipes.offline_names() == OFFLINE
    assert [n for n in recipes.names() if recipes.needs_download(n)] == NEED_DATA


@pytest.mark.parametrize("name", recipes.names())
def test_recipe_is_json_data(name):
    recipe = recipes.get(name)
    assert recipe["name"] == name
    assert json.loads(json.dumps(recipe)) == recipe
    assert validate(json.loads(json.dumps(recipe))) == recipe
    module = __import__(f"redes.recipes.{name}", fromlist=["RECIPE"])
    assert module.__doc__.strip() and "Expected result" in module.__doc__
    assert "EXPECTED" not in module.__doc__
    if recipe.get("offline_variant"):
        assert recipe["offline_variant"] in OFFLINE
    for variant in recipe.get("variants", {}):
        assert validate(recipes.variant(recipe, variant))["name"] == f"{name}:{variant}"


def test_get_returns_a_copy_and_names_unknown_recipes():
    a = recipes.get("wine")
    a["fit"]["epochs"] = 1
    assert recipes.get("wine")["fit"]["epochs"] != 1
    with pytest.raises(RecipeError, match=r"unknown recipe 'winee'.*first_network.*"
                                          r"Did you mean 'wine'"):
        recipes.get("winee")


def test_course_models():
    layers = recipes.get("imdb")["model"]["layers"]
    assert [kw["units"] for _, kw in layers] == [16, 16, 1]
    assert [kw["units"] for _, kw in recipes.get("reuters")["model"]["layers"]] == [64, 64, 46]
    bottleneck = recipes.variant(recipes.get("reuters"), "bottleneck")
    assert [kw["units"] for _, kw in bottleneck["model"]["layers"]] == [64, 4, 46]
    study = recipes.get("imdb")["variants"]
    assert sorted(study) == ["baseline", "bigger", "dropout", "l2", "smaller"]
    l2 = recipes.variant(recipes.get("imdb"), "l2")["model"]["layers"][0][1]
    assert l2["kernel_regularizer"] == {"class_name": "L2", "config": {"l2": 0.002}}
    boston = recipes.get("boston")
    assert boston["evaluation"]["kfold"] == 4
    assert [kw["units"] for _, kw in boston["model"]["layers"]] == [64, 64, 1]
    assert boston["model"]["loss"] == "mse" and boston["model"]["metrics"] == ["mae"]
    first = recipes.get("first_network")
    assert [kw["units"] for _, kw in first["model"]["layers"]] == [512, 10]
    assert first["dataset"]["name"] == "mnist" and first["offline_variant"] == "digits"


def test_overrides_parse_json_values():
    recipe = apply_overrides(recipes.get("wine"), [
        "fit.epochs=5", "model.optimizer=adam", "fit.shuffle=false",
        "model.layers.0.1.units=8", 'dataset.kwargs={"test_split": 0.3}',
        "fit.batch_size=4",
    ])
    assert recipe["fit"]["epochs"] == 5 and isinstance(recipe["fit"]["epochs"], int)
    assert recipe["model"]["optimizer"] == "adam"
    assert recipe["fit"]["shuffle"] is False
    assert recipe["model"]["layers"][0][1]["units"] == 8
    assert recipe["dataset"]["kwargs"] == {"test_split": 0.3}
    recipe = apply_overrides(recipe, ['model.optimizer={"class_name": "Adam", "config": {}}',
                                      "model.optimizer.config.learning_rate=0.01"])
    assert recipe["model"]["optimizer"]["config"]["learning_rate"] == 0.01
    assert apply_overrides(recipes.get("wine"), {"fit.epochs": 3})["fit"]["epochs"] == 3


@pytest.mark.parametrize("override,message", [
    ("fit.epochs", r"expected 'key=value'"),
    ("fit.epochs=zero", r"fit\.epochs: expected an integer >= 1, got 'zero'"),
    ("fit.epochs=0", r"fit\.epochs: expected an integer >= 1, got 0"),
    ("fit.epoch=5", r"fit\.epoch: unknown key; expected one of \['epochs'"),
    ("fitt.epochs=5", r"override 'fitt\.epochs': the recipe has no 'fitt'"),
    ("model.layers.7.1.units=3", r"model\.layers is a list of 3 items; expected an index"),
    ("model.optimizer.config.learning_rate=0.1", r"model\.optimizer is 'rmsprop', not a dict"),
    ("fit.validation_split=1.5", r"fit\.validation_split: expected a number in \[0, 1\)"),
    ("evaluation=cross", r"evaluation: expected a dict, got 'cross'"),
    ("preprocessing=[[\"standardize\", {}]]", r"unknown step 'standardize'; expected one of"),
    ("=3", r"expected a key such as 'fit\.epochs'"),
])
def test_bad_overrides_name_the_key(override, message):
    with pytest.raises(RecipeError, match=message):
        apply_overrides(recipes.get("wine"), [override])


def test_overrides_leave_the_original_alone_and_refuse_a_plain_string():
    recipe = recipes.get("boston")
    apply_overrides(recipe, ["fit.epochs=1", "model.layers.0.1.units=2"])
    assert recipe["fit"]["epochs"] == 50 and recipe["model"]["layers"][0][1]["units"] == 64
    with pytest.raises(RecipeError, match="wrap it in a list"):
        apply_overrides(recipe, "fit.epochs=1")


@pytest.mark.parametrize("field,value,message", [
    ("task", {"type": "ranking"}, r"task\.type: expected one of \['binary'"),
    ("expected", {"test_accuracy": {"atleast": 0.9}}, r"expected\.test_accuracy\.atleast"),
    ("evaluation", {"kfold": 1}, r"evaluation\.kfold: expected an integer >= 2, got 1"),
    ("colour", "red", r"colour: unknown field"),
    ("search_space", {"learning_rate": {"type": "log_uniform", "low": 0, "high": 1}},
     r"search_space\.learning_rate\.low: expected a number > 0"),
    ("fit", {"epochs": 2, "batch_size": 8, "validation_split": 0.2,
             "validation": {"first": 10}},
     r"fit\.validation: give either validation or validation_split"),
])
def test_validate_names_the_bad_field(field, value, message):
    recipe = recipes.get("wine")
    recipe[field] = value
    with pytest.raises(RecipeError, match=r"recipe 'wine': " + message):
        validate(recipe)


def test_bad_name_and_missing_field_and_unknown_variant():
    with pytest.raises(RecipeError, match=r"^recipe: name: expected a non-empty string, got ''"):
        validate({**recipes.get("wine"), "name": ""})
    recipe = recipes.get("wine")
    del recipe["model"]
    with pytest.raises(RecipeError, match=r"recipe 'wine': model: missing"):
        validate(recipe)
    with pytest.raises(RecipeError, match=r"has no variant 'tiny'; expected one of \['baseline'"):
        recipes.variant(recipes.get("reuters"), "tiny")


def test_search_space_points_rebuild_the_hidden_stack():
    recipe = recipes.get("breast_cancer")
    point = apply_params(recipe, {"units": 32, "layers": 3, "dropout": 0.25, "l2": 1e-4,
                                  "learning_rate": 3e-3, "optimizer": "adam",
                                  "batch_size": 64})
    layers = point["model"]["layers"]
    assert [cls for cls, _ in layers] == ["Dense", "Dropout"] * 3 + ["Dense"]
    assert [kw["units"] for cls, kw in layers if cls == "Dense"] == [32, 32, 32, 1]
    assert all(kw["kernel_regularizer"]["config"]["l2"] == 1e-4
               for cls, kw in layers[:-1] if cls == "Dense")
    assert point["model"]["optimizer"] == {"class_name": "Adam",
                                           "config": {"learning_rate": 3e-3}}
    assert point["fit"]["batch_size"] == 64
    fewer = apply_params(point, {"layers": 1, "dropout": 0.0, "l2": 0.0})
    assert fewer["model"]["layers"] == [["Dense", {"units": 32, "activation": "relu"}],
                                        ["Dense", {"units": 1, "activation": "sigmoid"}]]
    with pytest.raises(RecipeError, match=r"unknown parameter 'momentum'"):
        apply_params(recipe, {"momentum": 0.9})
    for name in recipes.names():   # every declared search space applies to its recipe
        space = recipes.get(name)["search_space"]
        low = {k: d["values"][0] if d["type"] == "choice" else d["low"] for k, d in space.items()}
        assert validate(apply_params(recipes.get(name), low))


def test_check_expected():
    recipe = recipes.get("boston")
    rows = recipes.check_expected(recipe, {"kfold_val_mae": 2.4, "test_mae": 3.1})
    assert [(r["measure"], r["ok"]) for r in rows] == [("kfold_val_mae", True),
                                                       ("test_mae", False)]
