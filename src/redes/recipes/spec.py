"""What a recipe is: its fields and their checks. The ``model`` field is checked in
``redes.recipes.model``; ``redes.recipes.overrides`` changes fields from the command line.

A recipe is a plain dict that ``json.dumps`` can write, with these fields:

* ``name``, ``title``, ``lesson``: the recipe's name (the CLI's), a one-line title and a
  short text of the lesson it implements.
* ``dataset``: ``{"name": ..., "kwargs": {...}}`` for ``redes.data.load``, plus
  ``"test_split"`` for datasets that come without a test set (the 2D toy problems).
* ``preprocessing``: a list of steps ``[step, {arguments}]`` from the vocabulary in
  ``redes.recipes.preprocessing`` (``normalize``, ``scale``, ``flatten``, ``reshape``,
  ``multi_hot``, ``one_hot``), fitted on training data only.
* ``task``: ``{"type": "binary" | "multiclass" | "regression", "classes": [...]}``.
* ``model``: ``{"layers": [[class_name, {kwargs}], ...], "optimizer": name or
  {"class_name": ..., "config": {...}}, "loss": name, "metrics": [names]}``. A layer is one
  of ``model.layer_arguments()`` (the layers of ``redes.nn`` that Keras has too, except those
  that take a function or another layer), with arguments its ``redes.nn`` constructor takes and
  JSON values: null, true/false, numbers, strings and lists of them, and for activations,
  initializers, regularizers and constraints a name or ``{"class_name": name, "config":
  {...}}`` that ``redes.nn`` knows. So a recipe (or a run's ``config.json``) cannot make
  either engine load or run code of its own.
* ``fit``: ``{"epochs", "batch_size"}`` and optionally ``"validation_split"`` (Keras' last
  fraction) or ``"validation": {"first": n}`` (the first ``n`` training samples, as the
  course does for IMDB and Reuters), and ``"shuffle"``.
* ``evaluation``: ``"holdout"`` (train, then score the test set) or ``{"kfold": k}`` with
  optional ``"retrain_epochs"`` (epochs of the final model trained on all training data)
  and ``"smoothing"`` (factor of the smoothed validation curve).
* ``expected``: the results to expect, ``{"test_accuracy": {"min": 0.97}}`` or
  ``{"test_mae": {"max": 2.9}}``.
* optional: ``offline_variant`` (the name of the recipe to run when the course's dataset is
  not on this machine), ``variants`` (named sets of overrides, e.g. the overfitting study),
  ``search_space`` (hyperparameter ranges for a tuner), ``plots`` (e.g.
  ``["decision_boundary"]``).
"""

from __future__ import annotations

import json
import math

from ..i18n import _
from .checks import RecipeError, _check_dict, _fail, _is_count, _is_number
from .model import _check_model

REQUIRED = ("name", "title", "lesson", "dataset", "preprocessing", "task", "model", "fit",
            "evaluation", "expected")
OPTIONAL = ("offline_variant", "variants", "search_space", "plots")
TASKS = ("binary", "multiclass", "regression")
FIT_KEYS = ("epochs", "batch_size", "validation_split", "validation", "shuffle")
MEASURES = ("test_accuracy", "test_loss", "test_mae", "kfold_val_mae", "kfold_val_accuracy")
PLOTS = ("decision_boundary", "learning_curves", "kfold_curve")
SEARCH_PARAMS = ("learning_rate", "units", "layers", "dropout", "l2", "batch_size", "optimizer",
                 "epochs")
DISTRIBUTIONS = {
    "log_uniform": ("low", "high"),
    "uniform": ("low", "high"),
    "int": ("low", "high"),
    "choice": ("values",),
}


def _check_dataset(recipe, dataset):
    _check_dict(recipe, "dataset", dataset, ("name", "kwargs", "test_split"))
    if not isinstance(dataset.get("name"), str):
        _fail(recipe, "dataset.name", _("expected a dataset name, got {value!r}").format(
            value=dataset.get("name")))
    _check_dict(recipe, "dataset.kwargs", dataset.get("kwargs", {}))
    from ..data.registry import check_arguments  # before a run folder is made for it

    try:
        check_arguments(dataset["name"], dataset.get("kwargs", {}))
    except ValueError as exc:
        _fail(recipe, "dataset", str(exc))
    split = dataset.get("test_split")
    if split is not None and not (_is_number(split) and 0 < split < 1):
        _fail(recipe, "dataset.test_split", _("expected a number in (0, 1), got "
                                              "{value!r}").format(value=split))


def _check_fit(recipe, fit):
    _check_dict(recipe, "fit", fit, FIT_KEYS)
    for key in ("epochs", "batch_size"):
        if not _is_count(fit.get(key)):
            _fail(recipe, f"fit.{key}", _("expected an integer >= 1, got {value!r}").format(
                value=fit.get(key)))
    split = fit.get("validation_split", 0.0)
    if not (_is_number(split) and 0 <= split < 1):
        _fail(recipe, "fit.validation_split", _("expected a number in [0, 1), got "
                                                "{value!r}").format(value=split))
    validation = fit.get("validation")
    if validation is not None:
        _check_dict(recipe, "fit.validation", validation, ("first",))
        if not _is_count(validation.get("first")):
            _fail(recipe, "fit.validation.first",
                  _("expected a number of samples >= 1, got {value!r}").format(
                      value=validation.get("first")))
        if split:
            _fail(recipe, "fit.validation", _("give either validation or validation_split"))
    if not isinstance(fit.get("shuffle", True), bool):
        _fail(recipe, "fit.shuffle", _("expected true or false, got {value!r}").format(
            value=fit.get("shuffle")))


def _check_evaluation(recipe, evaluation):
    if evaluation == "holdout":
        return
    _check_dict(recipe, "evaluation", evaluation, ("kfold", "retrain_epochs", "smoothing"))
    if not _is_count(evaluation.get("kfold"), 2):
        _fail(recipe, "evaluation.kfold", _("expected an integer >= 2, got "
                                            "{value!r}").format(value=evaluation.get("kfold")))
    retrain = evaluation.get("retrain_epochs")
    if retrain is not None and not _is_count(retrain):
        _fail(recipe, "evaluation.retrain_epochs", _("expected an integer >= 1, got "
                                                     "{value!r}").format(value=retrain))
    smoothing = evaluation.get("smoothing", 0.9)
    if not (_is_number(smoothing) and 0 <= smoothing < 1):
        _fail(recipe, "evaluation.smoothing", _("expected a number in [0, 1), got "
                                                "{value!r}").format(value=smoothing))


def _check_expected(recipe, expected):
    _check_dict(recipe, "expected", expected, MEASURES)
    for key, bound in expected.items():
        _check_dict(recipe, f"expected.{key}", bound, ("min", "max"))
        if not bound or not all(_is_number(v) for v in bound.values()):
            _fail(recipe, f"expected.{key}", _("expected {{'min': number}} and/or "
                                               "{{'max': number}}, got {value!r}").format(
                value=bound))


def _check_search_space(recipe, space):
    _check_dict(recipe, "search_space", space, SEARCH_PARAMS)
    for key, dist in space.items():
        path = f"search_space.{key}"
        _check_dict(recipe, path, dist)
        kind = dist.get("type")
        if kind not in DISTRIBUTIONS:
            _fail(recipe, f"{path}.type", _("expected one of {options}, got {value!r}").format(
                options=list(DISTRIBUTIONS), value=kind))
        _check_dict(recipe, path, dist, ("type", *DISTRIBUTIONS[kind]))
        if kind == "choice":
            if not isinstance(dist.get("values"), list) or not dist["values"]:
                _fail(recipe, f"{path}.values", _("expected a non-empty list, got "
                                                  "{value!r}").format(value=dist.get("values")))
            continue
        low, high = dist.get("low"), dist.get("high")
        if not (_is_number(low) and _is_number(high) and low < high):
            _fail(recipe, path, _("expected numbers low < high, got low={low!r} "
                                  "high={high!r}").format(low=low, high=high))
        if kind == "log_uniform" and low <= 0:
            _fail(recipe, f"{path}.low", _("expected a number > 0 for log_uniform, got "
                                           "{value!r}").format(value=low))
        if kind == "int" and not (isinstance(low, int) and isinstance(high, int)):
            _fail(recipe, path, _("expected integers, got low={low!r} high={high!r}").format(
                low=low, high=high))


def validate(recipe) -> dict:
    """Check every field of ``recipe``; return it unchanged.

    Raises:
        RecipeError: a field is missing, unknown or of the wrong kind; the message names it.
    """
    if not isinstance(recipe, dict):
        raise RecipeError(_("recipe: expected a dict, got {kind}").format(
            kind=type(recipe).__name__))
    for key in REQUIRED:
        if key not in recipe:
            _fail(recipe, key, _("missing"))
    unknown = [k for k in recipe if k not in REQUIRED + OPTIONAL]
    if unknown:
        _fail(recipe, unknown[0], _("unknown field; expected one of {fields}").format(
            fields=list(REQUIRED + OPTIONAL)))
    for key in ("name", "title", "lesson"):
        if not isinstance(recipe[key], str) or not recipe[key]:
            _fail(recipe, key, _("expected a non-empty string, got {value!r:.80}").format(
                value=recipe[key]))
    _check_dataset(recipe, recipe["dataset"])
    from .preprocessing import check_steps

    try:
        check_steps(recipe["preprocessing"])
    except ValueError as exc:
        _fail(recipe, "preprocessing", str(exc))
    _check_dict(recipe, "task", recipe["task"], ("type", "classes", "target"))
    if recipe["task"].get("type") not in TASKS:
        _fail(recipe, "task.type", _("expected one of {options}, got {value!r}").format(
            options=list(TASKS), value=recipe["task"].get("type")))
    _check_model(recipe, recipe["model"])
    _check_fit(recipe, recipe["fit"])
    _check_evaluation(recipe, recipe["evaluation"])
    _check_expected(recipe, recipe["expected"])
    variant = recipe.get("offline_variant")
    if variant is not None and not isinstance(variant, str):
        _fail(recipe, "offline_variant", _("expected a recipe name or null, got "
                                           "{value!r}").format(value=variant))
    variants = recipe.get("variants", {})
    _check_dict(recipe, "variants", variants)
    for name, overrides in variants.items():
        _check_dict(recipe, f"variants.{name}", overrides)
    if "search_space" in recipe:
        _check_search_space(recipe, recipe["search_space"])
    plots = recipe.get("plots", [])
    if not isinstance(plots, list) or any(p not in PLOTS for p in plots):
        _fail(recipe, "plots", _("expected a list drawn from {options}, got {value!r}").format(
            options=list(PLOTS), value=plots))
    try:
        json.dumps(recipe, allow_nan=False)
    except (TypeError, ValueError) as exc:
        _fail(recipe, _("(whole recipe)"), _("not JSON data: {problem}").format(problem=exc))
    return recipe


def check_expected(recipe: dict, measures: dict) -> list[dict]:
    """Compare measured values with ``recipe["expected"]``.

    Args:
        recipe: a recipe dict.
        measures: ``{measure: value}``, e.g. ``{"test_accuracy": 0.975}``.

    Returns:
        One dict per expectation: ``{"measure", "value", "min", "max", "ok"}`` (``value`` is
        ``None`` and ``ok`` False when the measure is missing).
    """
    rows = []
    for key, bound in recipe["expected"].items():
        value = measures.get(key)
        ok = value is not None and bound.get("min", -math.inf) <= value <= bound.get(
            "max", math.inf)
        rows.append({"measure": key, "value": value, "min": bound.get("min"),
                     "max": bound.get("max"), "ok": bool(ok)})
    return rows
