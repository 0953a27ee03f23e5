"""Changing a recipe: fields set from the command line (``fit.epochs=5``), and a point of
its search space applied (``{"units": 64, "dropout": 0.2}``). Either way the changed copy
is validated again.
"""

from __future__ import annotations

import copy
import json

from ..i18n import _
from .checks import RecipeError
from .spec import SEARCH_PARAMS, validate


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
