"""The search space: its checks, its mapping to Optuna suggestions and to recipes."""

from __future__ import annotations

import json

import pytest

optuna = pytest.importorskip("optuna")

from redes import recipes  # noqa: E402
from redes.tune import TuneError, check_space, objective_of, suggest, trial_recipe  # noqa: E402
from redes.tune.space import recipe_point  # noqa: E402


def _fixed(values: dict):
    """An Optuna trial that answers ``values`` (and records the distributions asked)."""
    study = optuna.create_study()
    study.enqueue_trial(values)
    return study.ask()


def test_every_distribution_maps_to_its_suggestion():
    space = recipes.get("boston")["search_space"]
    trial = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0)).ask()
    params = suggest(trial, space)
    assert list(params) == list(space)
    dists = trial.distributions
    lr = dists["learning_rate"]
    assert isinstance(lr, optuna.distributions.FloatDistribution) and lr.log
    assert (lr.low, lr.high) == (1e-4, 1e-2)
    assert isinstance(dists["dropout"], optuna.distributions.FloatDistribution)
    assert not dists["dropout"].log
    assert isinstance(dists["layers"], optuna.distributions.IntDistribution)
    assert (dists["layers"].low, dists["layers"].high) == (1, 3)
    assert isinstance(dists["units"], optuna.distributions.CategoricalDistribution)
    assert dists["units"].choices == (16, 32, 64, 128)
    assert dists["optimizer"].choices == ("rmsprop", "adam")
    assert 1e-4 <= params["learning_rate"] <= 1e-2 and params["units"] in (16, 32, 64, 128)


def test_log_uniform_samples_spread_over_decades():
    space = {"learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2}}
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
    values = [suggest(study.ask(), space)["learning_rate"] for _ in range(400)]
    below = sum(v < 1e-3 for v in values) / len(values)
    assert 0.4 < below < 0.6          # half the samples in each decade, not 10% / 90%


def test_a_point_becomes_the_recipe_it_describes():
    recipe = recipes.get("boston")
    original = json.dumps(recipe)
    point = {"learning_rate": 0.003, "units": 32, "layers": 3, "dropout": 0.2, "l2": 1e-3,
             "batch_size": 16, "optimizer": "adam", "epochs": 50}
    out = trial_recipe(recipe, suggest(_fixed(point), check_space(recipe)))
    layers = out["model"]["layers"]
    assert [cls for cls, _ in layers] == ["Dense", "Dropout"] * 3 + ["Dense"]
    hidden = [kw for cls, kw in layers[:-1] if cls == "Dense"]
    assert all(kw["units"] == 32 and kw["activation"] == "relu" for kw in hidden)
    assert all(kw["kernel_regularizer"] == {"class_name": "L2", "config": {"l2": 1e-3}}
               for kw in hidden)
    assert layers[1] == ["Dropout", {"rate": 0.2}]
    assert layers[-1] == ["Dense", {"units": 1}]
    assert out["model"]["optimizer"] == {"class_name": "Adam",
                                         "config": {"learning_rate": 0.003}}
    assert out["fit"]["batch_size"] == 16 and out["fit"]["epochs"] == 50
    assert out["evaluation"]["retrain_epochs"] == 50      # the final model trains as long
    assert json.dumps(recipe) == original                 # the original is untouched


def test_fixed_epochs_leave_the_search_space():
    recipe = recipes.get("boston")
    space = check_space(recipe, epochs=7)
    assert "epochs" not in space and "learning_rate" in space
    out = trial_recipe(recipe, {"units": 16}, epochs=7)
    assert out["fit"]["epochs"] == 7 and out["evaluation"]["retrain_epochs"] == 7


def test_every_recipe_search_space_is_valid():
    for name in recipes.names():
        recipe = recipes.get(name)
        space = check_space(recipe)
        assert space == recipe["search_space"]


@pytest.mark.parametrize("space, message", [
    (None, "search_space: missing or empty"),
    ({}, "search_space: missing or empty"),
    ({"momentum": {"type": "uniform", "low": 0, "high": 1}}, "search_space.momentum"),
    ({"learning_rate": {"type": "log_uniform", "low": 0.0, "high": 1e-2}}, "> 0"),
    ({"units": {"type": "int", "low": 64, "high": 16}}, "low < high"),
    ({"units": {"type": "choice", "values": []}}, "non-empty list"),
    ({"dropout": {"type": "normal", "low": 0, "high": 1}}, "search_space.dropout.type"),
])
def test_bad_search_spaces_are_refused_naming_the_field(space, message):
    recipe = recipes.get("boston")
    recipe["search_space"] = space
    with pytest.raises(TuneError, match=message.replace("(", r"\(")):
        check_space(recipe)


def test_a_point_the_model_cannot_take_is_refused():
    recipe = recipes.get("boston")
    recipe["model"]["layers"] = [["Dense", {"units": 8}], ["Flatten", {}],
                                 ["Dense", {"units": 1}]]
    recipe["search_space"] = {"units": {"type": "choice", "values": [8, 16]}}
    with pytest.raises(TuneError, match="does not apply to the recipe"):
        check_space(recipe)


def test_only_epochs_with_fixed_epochs_is_refused():
    recipe = recipes.get("boston")
    recipe["search_space"] = {"epochs": {"type": "int", "low": 5, "high": 10}}
    with pytest.raises(TuneError, match="nothing is left to tune"):
        check_space(recipe, epochs=3)


def test_the_objective_follows_the_task_and_the_evaluation():
    assert objective_of(recipes.get("boston")) == {
        "name": "kfold_val_mae", "monitor": "val_mae", "direction": "minimize"}
    assert objective_of(recipes.get("breast_cancer")) == {
        "name": "val_accuracy", "monitor": "val_accuracy", "direction": "maximize"}
    recipe = recipes.get("boston")
    recipe["model"]["metrics"] = []
    assert objective_of(recipe)["name"] == "kfold_val_loss"


def test_the_recipe_own_point_is_its_configuration_moved_into_the_space():
    recipe = recipes.get("boston")
    recipe["model"]["layers"] = [["Dense", {"units": 48, "activation": "relu"}],
                                 ["Dense", {"units": 48, "activation": "relu"}],
                                 ["Dense", {"units": 1}]]
    recipe["model"]["optimizer"] = "rmsprop"
    recipe["fit"].update({"epochs": 500, "batch_size": 32})
    assert recipe_point(recipe, check_space(recipe)) == {
        "learning_rate": 0.001,    # RMSprop's default
        "units": 32,               # 48 is between 32 and 64: the first closest choice
        "layers": 2, "dropout": 0.0,
        "l2": 1e-5,                # no L2: the lowest of the range
        "batch_size": 32, "optimizer": "rmsprop",
        "epochs": 200}             # clipped to the range
    recipe["model"]["optimizer"] = "sgd"
    assert recipe_point(recipe, check_space(recipe)) is None   # not a choice of the space
