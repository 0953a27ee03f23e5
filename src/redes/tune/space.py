"""A recipe's ``search_space`` as Optuna suggestions, and the objective a study optimizes.

A search space maps each parameter of ``redes.recipes.spec.SEARCH_PARAMS`` to a
distribution::

    {"learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2},
     "units": {"type": "choice", "values": [16, 32, 64]},
     "layers": {"type": "int", "low": 1, "high": 3},
     "dropout": {"type": "uniform", "low": 0.0, "high": 0.3}}

``suggest`` asks an Optuna trial for one value of each (``log_uniform`` is
``suggest_float(log=True)``, ``uniform`` is ``suggest_float``, ``int`` is ``suggest_int``,
``choice`` is ``suggest_categorical``); ``redes.recipes.apply_params`` turns the values into
a recipe.
"""

from __future__ import annotations

import copy

from redes.i18n import _
from redes.recipes import RecipeError, apply_params, validate
from redes.recipes.spec import SEARCH_PARAMS


class TuneError(ValueError):
    """A study that cannot run as asked; the message names the argument or field."""


def check_space(recipe: dict, epochs=None) -> dict:
    """The recipe's search space, checked: every distribution valid and every point
    applicable to the recipe's model.

    Args:
        recipe: a recipe dict with a ``search_space``.
        epochs: when given, every trial trains this many epochs, so ``epochs`` is removed
            from the space. Defaults to ``None``.

    Returns:
        The search space (a copy) that the study samples.

    Raises:
        TuneError: no search space, an invalid distribution, or a parameter the recipe's
            model cannot take (e.g. ``units`` on a model without a Dense stack).
    """
    if not isinstance(recipe, dict):
        raise TuneError(_("recipe: expected a recipe dict, got {kind}").format(
            kind=type(recipe).__name__))
    name = recipe.get("name")
    space = recipe.get("search_space")
    if not space:
        example = '{"learning_rate": {"type": "log_uniform", "low": 1e-4, "high": 1e-2}}'
        raise TuneError(_("recipe {name!r}: search_space: missing or empty; expected e.g. "
                          "{example} with parameters from {params}").format(
            name=name, example=example, params=list(SEARCH_PARAMS)))
    try:
        validate(recipe)
    except RecipeError as exc:
        raise TuneError(str(exc)) from None
    space = copy.deepcopy(space)
    if epochs is not None:
        space.pop("epochs", None)
        if not space:
            raise TuneError(_("recipe {name!r}: search_space: only 'epochs' is searched and "
                              "epochs={epochs} fixes it; nothing is left to tune").format(
                name=name, epochs=epochs))
    for point in (_corner(space, 0), _corner(space, -1)):
        try:
            apply_params(recipe, point)
        except (RecipeError, StopIteration) as exc:
            raise TuneError(_("recipe {name!r}: search_space: the point {point} does not "
                              "apply to the recipe: {problem}").format(
                name=name, point=point, problem=exc or _("no Dense layer"))) from None
    return space


def _corner(space: dict, end: int) -> dict:
    """The point of ``space`` at its low (``end=0``) or high (``end=-1``) corner."""
    point = {}
    for key, dist in space.items():
        if dist["type"] == "choice":
            point[key] = dist["values"][end]
        else:
            point[key] = dist["low"] if end == 0 else dist["high"]
    return point


def suggest(trial, space: dict) -> dict:
    """One point of ``space`` asked from an Optuna trial, in the order of ``space``.

    Args:
        trial: an ``optuna.Trial``.
        space: a checked search space (``check_space``).

    Returns:
        ``{parameter: value}``, ready for ``redes.recipes.apply_params``.
    """
    params = {}
    for key, dist in space.items():
        kind = dist["type"]
        if kind == "log_uniform":
            params[key] = trial.suggest_float(key, dist["low"], dist["high"], log=True)
        elif kind == "uniform":
            params[key] = trial.suggest_float(key, dist["low"], dist["high"])
        elif kind == "int":
            params[key] = trial.suggest_int(key, dist["low"], dist["high"])
        else:
            params[key] = trial.suggest_categorical(key, dist["values"])
    return params


def _nearest(value, dist):
    """``value`` moved into ``dist``: the closest choice, or clipped to ``[low, high]``."""
    if value is None:
        return None
    if dist["type"] == "choice":
        if value in dist["values"]:
            return value
        numbers = [v for v in dist["values"] if isinstance(v, (int, float))
                   and not isinstance(v, bool)]
        if not isinstance(value, (int, float)) or not numbers:
            return None
        return min(numbers, key=lambda v: abs(v - value))
    out = min(max(value, dist["low"]), dist["high"])
    return int(round(out)) if dist["type"] == "int" else float(out)


def recipe_point(recipe: dict, space: dict) -> dict | None:
    """The recipe's own configuration as a point of ``space`` (each value moved to the
    nearest one the space holds: no L2 becomes the lowest L2, no dropout the lowest rate).

    A study tries it first, so its best result is never worse than the recipe it started
    from. ``None`` when a value has no counterpart (an optimizer that is not a choice).
    """
    model, fit = recipe["model"], recipe["fit"]
    optimizer = model["optimizer"]
    name = (optimizer if isinstance(optimizer, str) else optimizer["class_name"]).lower()
    config = {} if isinstance(optimizer, str) else optimizer.get("config", {})
    layers = model["layers"]
    first = next((i for i, (cls, _kwargs) in enumerate(layers) if cls == "Dense"),
                 len(layers))
    hidden = [kw for cls, kw in layers[first:-1] if cls == "Dense"]
    rates = [kw.get("rate", 0.0) for cls, kw in layers[first:-1] if cls == "Dropout"]
    regularizer = (hidden[0].get("kernel_regularizer") if hidden else None) or {}
    current = {
        "learning_rate": config.get("learning_rate", 0.01 if name == "sgd" else 0.001),
        "units": hidden[0].get("units") if hidden else None,
        "layers": len(hidden),
        "dropout": rates[0] if rates else 0.0,
        "l2": (regularizer.get("config", {}).get("l2", 0.0)
               if isinstance(regularizer, dict) else 0.0),
        "batch_size": fit["batch_size"],
        "optimizer": name,
        "epochs": fit["epochs"],
    }
    point = {}
    for key, dist in space.items():
        value = current[key]
        if not isinstance(value, (int, float, str)) or isinstance(value, bool):
            return None
        point[key] = _nearest(value, dist)
        if point[key] is None:
            return None
    return point


def trial_recipe(recipe: dict, params: dict, epochs=None) -> dict:
    """The recipe one trial trains: ``apply_params`` plus the fixed ``epochs``.

    When ``epochs`` is searched or fixed, a k-fold recipe's ``retrain_epochs`` follows it, so
    the final model trains as long as the models that were validated.

    Args:
        recipe: the study's recipe.
        params: a point of its search space.
        epochs: a fixed number of epochs, or ``None``.
    """
    params = dict(params)
    if epochs is not None:
        params["epochs"] = epochs
    out = apply_params(recipe, params)
    if "epochs" in params and isinstance(out["evaluation"], dict) \
            and "retrain_epochs" in out["evaluation"]:
        out["evaluation"]["retrain_epochs"] = int(params["epochs"])
    return out


def objective_of(recipe: dict) -> dict:
    """What a study of ``recipe`` optimizes.

    K-fold recipes use the mean validation score over the folds (``kfold_val_mae`` for
    regression, ``kfold_val_accuracy`` for classification), the measure ``redes train``
    reports. Hold-out recipes use the validation score of the last epoch (``val_mae`` or
    ``val_accuracy``; ``val_loss`` when the recipe has neither metric). The test set is never
    used to choose.

    Returns:
        ``{"name": measure, "monitor": per-epoch log key, "direction": "minimize" |
        "maximize"}``.
    """
    metrics = recipe["model"].get("metrics", [])
    if recipe["task"]["type"] == "regression" and "mae" in metrics:
        monitor, direction = "val_mae", "minimize"
    elif recipe["task"]["type"] != "regression" and "accuracy" in metrics:
        monitor, direction = "val_accuracy", "maximize"
    else:
        monitor, direction = "val_loss", "minimize"
    kfold = recipe["evaluation"] != "holdout"
    name = f"kfold_{monitor}" if kfold else monitor
    return {"name": name, "monitor": monitor, "direction": direction}
