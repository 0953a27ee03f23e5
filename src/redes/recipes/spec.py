"""What a recipe is: its fields, their checks, and how to change them from the command line.

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
  of ``layer_arguments()`` (the layers of ``redes.nn`` that Keras has too, except those that
  take a function or another layer), with arguments its ``redes.nn`` constructor takes and
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

import copy
import functools
import inspect
import json
import math

from ..i18n import _

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


class RecipeError(ValueError):
    """A recipe, an override or a search point that is not valid; the message names the
    field (``fit.epochs``), what was given and what was expected."""


def _fail(recipe, path: str, message: str):
    name = recipe.get("name") if isinstance(recipe, dict) else None
    if isinstance(name, str) and name:
        prefix = _("recipe {name!r}: ").format(name=name)
    else:
        prefix = _("recipe: ")
    raise RecipeError(f"{prefix}{path}: {message}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_count(value, minimum=1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _check_dict(recipe, path, value, keys=None):
    if not isinstance(value, dict):
        _fail(recipe, path, _("expected a dict, got {value!r:.80}").format(value=value))
    if keys is not None:
        unknown = [k for k in value if k not in keys]
        if unknown:
            _fail(recipe, f"{path}.{unknown[0]}", _("unknown key; expected one of "
                                                     "{keys}").format(keys=list(keys)))


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


def _check_model(recipe, model):
    _check_dict(recipe, "model", model, ("layers", "optimizer", "loss", "metrics"))
    layers = model.get("layers")
    if not isinstance(layers, list) or not layers:
        _fail(recipe, "model.layers", _("expected a non-empty list of [class_name, kwargs], "
                                        "got {value!r:.80}").format(value=layers))
    check_layers(layers, recipe)
    optimizer = model.get("optimizer")
    if not (isinstance(optimizer, str) or (
            isinstance(optimizer, dict) and isinstance(optimizer.get("class_name"), str)
            and isinstance(optimizer.get("config", {}), dict))):
        _fail(recipe, "model.optimizer", _("expected a name such as 'adam' or "
                                           "{{'class_name': ..., 'config': {{...}}}}, got "
                                           "{value!r:.80}").format(value=optimizer))
    _check_identifier(recipe, "model.optimizer", "optimizer", optimizer)
    if not isinstance(model.get("loss"), str):
        _fail(recipe, "model.loss", _("expected a loss name, got {value!r}").format(
            value=model.get("loss")))
    metrics = model.get("metrics", [])
    if not isinstance(metrics, list) or not all(isinstance(m, str) for m in metrics):
        _fail(recipe, "model.metrics", _("expected a list of metric names, got "
                                         "{value!r}").format(value=metrics))


# ------------------------------------------------------------------ layers a recipe may name
# Layers of redes.nn that a recipe cannot name: the abstract base, the input (the engine
# makes it), and the layers that take a Python function or another layer object.
NOT_IN_RECIPES = ("Layer", "InputLayer", "Lambda", "Bidirectional", "TimeDistributed")
# Arguments that take an identifier (a name or {"class_name", "config"}), by name ending.
IDENTIFIERS = (("activation", "activation"), ("_initializer", "initializer"),
               ("_regularizer", "regularizer"), ("_constraint", "constraint"))


def _constructor_arguments(cls) -> set:
    """The keyword arguments of ``cls(...)``: those of its ``__init__`` and, through
    ``**kwargs``, of its base classes' up to ``Layer``."""
    from redes.nn.layers import Layer

    names = set()
    for klass in cls.__mro__[:cls.__mro__.index(Layer) + 1]:
        if "__init__" not in vars(klass):
            continue
        params = inspect.signature(klass.__init__).parameters.values()
        names |= {p.name for p in params if p.name != "self" and p.kind in (
            p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            break
    return names


@functools.cache
def layer_arguments() -> dict:
    """``{class_name: arguments}``: the layers a recipe may name and the keyword arguments
    each takes. They are the layer classes ``redes.nn.layers`` exports under the name they
    are registered with, less ``NOT_IN_RECIPES``; the Keras engine also checks that
    ``keras.layers`` has a layer of that name."""
    from redes.nn import layers
    from redes.nn.serialization import lookup

    table = {}
    for name in layers.__all__:
        cls = getattr(layers, name)
        if name in NOT_IN_RECIPES or not (isinstance(cls, type) and issubclass(cls, layers.Layer)):
            continue
        try:
            registered = lookup("layer", name) is cls
        except ValueError:
            registered = False
        if registered:
            table[name] = tuple(sorted(_constructor_arguments(cls)))
    return table


def _check_value(recipe, path, value):
    """JSON data only: null, true/false, a finite number, a string or a list of them."""
    if value is None or isinstance(value, (bool, str)) or _is_number(value):
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_value(recipe, f"{path}.{i}", item)
        return
    _fail(recipe, path, _("expected null, true or false, a number, a string or a list of "
                          "them, got {value!r:.80}").format(value=value))


def _check_identifier(recipe, path, kind, value):
    """A name redes.nn knows for ``kind`` (``"l2"``), or ``{"class_name": that name,
    "config": {argument: JSON value}}``, or null."""
    from redes.nn.serialization import lookup, names

    if value is None:
        return
    name, config = value, {}
    if isinstance(value, dict) and set(value) <= {"class_name", "config"}:
        name, config = value.get("class_name"), value.get("config", {})
    try:
        known = isinstance(name, str) and lookup(kind, name) is not None
    except ValueError:
        known = False
    if not (known and isinstance(config, dict)):
        _fail(recipe, path, _("expected one of {names}, or {{'class_name': one of them, "
                              "'config': {{...}}}}, got {value!r:.80}").format(
            names=", ".join(names(kind)), value=value))
    for key, item in config.items():
        _check_argument(recipe, f"{path}.config.{key}", key, item)


def _check_argument(recipe, path, key, value):
    """An identifier for the arguments named like those of ``IDENTIFIERS`` (and a
    learning-rate schedule given as a dict), JSON data for the others."""
    kind = next((k for end, k in IDENTIFIERS if str(key).endswith(end)), None)
    if key == "learning_rate" and isinstance(value, dict):
        kind = "schedule"
    if kind is None:
        _check_value(recipe, path, value)
    else:
        _check_identifier(recipe, path, kind, value)


def check_layers(layers, recipe=None, within=None):
    """Check that every ``[class_name, {kwargs}]`` of ``layers`` names a layer of
    ``layer_arguments()`` with arguments it takes and JSON values.

    Args:
        layers: the list of a recipe's ``model.layers``.
        recipe: the recipe, to name it in errors. Defaults to None.
        within: the ``layers`` module of an engine (``keras.layers``): a layer must also be
            a layer class of it. Defaults to None (redes.nn's only).

    Raises:
        RecipeError: names the key path (``model.layers.2.1.units``), what was given and what
            was expected.
    """
    table = layer_arguments()
    if within is not None:
        table = {name: args for name, args in table.items()
                 if isinstance(getattr(within, name, None), type)
                 and issubclass(getattr(within, name), within.Layer)}
    for i, layer in enumerate(layers):
        ok = (isinstance(layer, (list, tuple)) and len(layer) == 2
              and isinstance(layer[0], str) and isinstance(layer[1], dict))
        if not ok:
            _fail(recipe, f"model.layers.{i}", _("expected [class_name, {{kwargs}}], "
                                                 "got {value!r:.80}").format(value=layer))
        name, kwargs = layer
        if name not in table:
            _fail(recipe, f"model.layers.{i}.0", _(
                "{name!r} is not a layer a recipe can use; expected one of {names}").format(
                name=name, names=", ".join(sorted(table))))
        for key, value in kwargs.items():
            path = f"model.layers.{i}.1.{key}"
            if key not in table[name]:
                _fail(recipe, path, _("{layer} has no argument {key!r}; expected one of "
                                      "{names}").format(layer=name, key=key,
                                                        names=", ".join(table[name])))
            _check_argument(recipe, path, key, value)


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


# ---------------------------------------------------------------------------- overrides
def parse_value(text: str):
    """``"5"`` -> 5, ``"0.01"`` -> 0.01, ``"true"`` -> True, ``'{"a": 1}'`` -> a dict;
    anything that is not JSON stays a string (``"adam"`` -> ``"adam"``)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _set(recipe: dict, key: str, value) -> None:
    """Set the dotted ``key`` (``fit.epochs``, ``model.layers.0.1.units``) to ``value``."""
    parts = key.split(".")
    if not key or any(not p for p in parts):
        raise RecipeError(_("override: expected a key such as 'fit.epochs', got "
                            "{key!r}").format(key=key))
    node, walked = recipe, []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = ".".join(walked) or _("the recipe")
        if isinstance(node, dict):
            if last:
                node[part] = value
                return
            if part not in node:
                raise RecipeError(_("override {key!r}: {where} has no {part!r}; it has "
                                    "{keys}").format(key=key, where=where, part=part,
                                                     keys=sorted(node)))
            child_key = part
        elif isinstance(node, list):
            if not part.lstrip("-").isdigit() or not -len(node) <= int(part) < len(node):
                raise RecipeError(_("override {key!r}: {where} is a list of {count} items; "
                                    "expected an index from 0 to {last}, got {part!r}").format(
                    key=key, where=where, count=len(node), last=len(node) - 1, part=part))
            child_key = int(part)
            if last:
                node[child_key] = value
                return
        else:
            raise RecipeError(_("override {key!r}: {where} is {node!r:.60}, not a dict or a "
                                "list, so it has no {part!r}").format(key=key, where=where,
                                                                      node=node, part=part))
        node = node[child_key]
        walked.append(part)


def apply_overrides(recipe: dict, overrides) -> dict:
    """A copy of ``recipe`` with some fields changed, then validated.

    Example:
        >>> apply_overrides(get("digits"), ["fit.epochs=5", "model.optimizer=adam"])

    Args:
        recipe: a recipe dict (not modified).
        overrides: a list of ``"key=value"`` strings, where ``key`` is a dotted path
            (``fit.epochs``, ``model.optimizer.config.learning_rate``,
            ``model.layers.0.1.units``: list items by index) and ``value`` is parsed as
            JSON when possible (``5``, ``0.01``, ``true``, ``[1, 2]``) and kept as a string
            otherwise (``adam``); or a dict ``{key: value}`` with values already parsed.

    Returns:
        The changed copy.

    Raises:
        RecipeError: a malformed override, a path that does not exist, or a value that makes
            the recipe invalid; the message names the key.
    """
    if isinstance(overrides, str):
        raise RecipeError(_("overrides: expected a list of 'key=value' strings, got the "
                            "string {value!r}; wrap it in a list").format(value=overrides))
    if isinstance(overrides, dict):
        pairs = list(overrides.items())
    else:
        pairs = []
        for item in overrides:
            if not isinstance(item, str) or "=" not in item:
                raise RecipeError(_("override: expected 'key=value' (e.g. 'fit.epochs=5'), "
                                    "got {value!r}").format(value=item))
            key, text = item.split("=", 1)
            pairs.append((key.strip(), parse_value(text.strip())))
    out = copy.deepcopy(recipe)
    for key, value in pairs:
        _set(out, key, copy.deepcopy(value))
    try:
        return validate(out)
    except RecipeError as exc:
        keys = ", ".join(k for k, _value in pairs)
        raise RecipeError(_("{error} (after the overrides {keys})").format(
            error=exc, keys=keys)) from None


# --------------------------------------------------------------------------- search space
def _hidden_stack(recipe) -> tuple[list, list]:
    """(layers before the hidden Dense stack, [output layer]) of a recipe whose model is
    optional Flatten/Conv/Pool layers, then Dense/Dropout layers, then a Dense output."""
    layers = recipe["model"]["layers"]
    first_dense = next(i for i, (cls, _kwargs) in enumerate(layers) if cls == "Dense")
    if any(cls not in ("Dense", "Dropout") for cls, _kwargs in layers[first_dense:]):
        raise RecipeError(_("recipe {name!r}: units, layers, dropout and l2 need a "
                            "model that ends with Dense and Dropout layers only").format(
            name=recipe["name"]))
    return layers[:first_dense], layers[-1:]


def apply_params(recipe: dict, params: dict) -> dict:
    """A copy of ``recipe`` changed to one point of its search space.

    The hidden layers are the Dense layers before the output layer: ``units`` sets their
    width, ``layers`` their number, ``dropout`` puts a Dropout of that rate after each one
    (0 removes them), ``l2`` puts an L2 penalty on their kernels (0 removes it).
    ``learning_rate`` and ``optimizer`` change the optimizer, ``batch_size`` and ``epochs``
    the fit.

    Args:
        recipe: a recipe dict (not modified).
        params: ``{parameter: value}`` with keys from ``search_space``.

    Returns:
        The changed, validated copy.
    """
    if not isinstance(params, dict):
        raise RecipeError(_("params: expected a dict, got {value!r:.80}").format(value=params))
    unknown = [k for k in params if k not in SEARCH_PARAMS]
    if unknown:
        raise RecipeError(_("params: unknown parameter {name!r}; expected one of "
                            "{options}").format(name=unknown[0], options=list(SEARCH_PARAMS)))
    out = copy.deepcopy(recipe)
    model, fit = out["model"], out["fit"]
    if "optimizer" in params or "learning_rate" in params:
        opt = model["optimizer"]
        name = opt if isinstance(opt, str) else opt["class_name"]
        config = {} if isinstance(opt, str) else dict(opt.get("config", {}))
        if "optimizer" in params:
            name = params["optimizer"]
            config = {k: v for k, v in config.items() if k == "learning_rate"}
        if "learning_rate" in params:
            config["learning_rate"] = float(params["learning_rate"])
        model["optimizer"] = {"class_name": OPTIMIZER_CLASSES.get(name.lower(), name),
                              "config": config} if config else name
    for key in ("batch_size", "epochs"):
        if key in params:
            fit[key] = int(params[key])
    if any(k in params for k in ("units", "layers", "dropout", "l2")):
        head, output = _hidden_stack(out)
        hidden = [kw for cls, kw in model["layers"][len(head):-1] if cls == "Dense"]
        dropouts = [kw["rate"] for cls, kw in model["layers"][len(head):-1] if cls == "Dropout"]
        template = dict(hidden[0]) if hidden else {"units": 16, "activation": "relu"}
        count = int(params.get("layers", len(hidden)))
        rate = float(params.get("dropout", dropouts[0] if dropouts else 0.0))
        stack = []
        for i in range(count):
            kwargs = dict(hidden[i]) if i < len(hidden) else dict(template)
            if "units" in params:
                kwargs["units"] = int(params["units"])
            if "l2" in params:
                kwargs.pop("kernel_regularizer", None)
                if params["l2"]:
                    kwargs["kernel_regularizer"] = {"class_name": "L2",
                                                    "config": {"l2": float(params["l2"])}}
            stack.append(["Dense", kwargs])
            if rate:
                stack.append(["Dropout", {"rate": rate}])
        model["layers"] = head + stack + output
    return validate(out)


OPTIMIZER_CLASSES = {"adam": "Adam", "rmsprop": "RMSprop", "sgd": "SGD", "adamw": "AdamW",
                     "adagrad": "Adagrad", "adadelta": "Adadelta", "adamax": "Adamax",
                     "nadam": "Nadam"}


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
