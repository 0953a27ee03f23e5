"""The ``model`` field of a recipe: the layers it may name, the arguments each takes, and the
identifiers (activations, initializers, regularizers, constraints, optimizers) it may give.

A layer is one of ``layer_arguments()``: the layers of ``redes.nn`` that Keras has too, except
those that take a function or another layer. Its arguments are JSON values, and an identifier
is a name or ``{"class_name": name, "config": {...}}`` that ``redes.nn`` knows, so a recipe
cannot make either engine load or run code of its own.
"""

from __future__ import annotations

import functools
import inspect

from ..i18n import _
from .checks import _check_dict, _fail, _is_number


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
