"""A recipe's model on an engine: the shape of one input sample, and the compiled model,
starting from given weights or from the seed's initialization."""

from __future__ import annotations

import copy

import numpy as np

from redes._base.checks import check_seed
from redes.i18n import _

from . import ENGINES, build_model


def _model(recipe, engine, input_shape, seed, initial_weights):
    """A compiled model of the recipe, starting from ``initial_weights`` when given."""
    spec = recipe["model"]
    layers = [(name, kwargs) for name, kwargs in spec["layers"]]
    lib_layers = _library_layers(engine)
    missing = [name for name, _kwargs in layers if not hasattr(lib_layers, name)]
    if missing:
        raise ValueError(_("model.layers: the {engine} engine has no layer {layer!r} "
                           "(recipe {recipe!r})").format(engine=engine, layer=missing[0],
                                                         recipe=recipe["name"]))
    model = build_model(engine, input_shape, layers, optimizer_spec(spec["optimizer"]),
                        spec["loss"], spec.get("metrics"), seed=seed)
    if initial_weights is not None:
        expected = [tuple(w.shape) for w in model.get_weights()]
        given = [tuple(np.shape(w)) for w in initial_weights]
        if expected != given:
            raise ValueError(_("initial_weights: expected arrays of shapes {expected} for "
                               "recipe {recipe!r}, got {given}").format(
                expected=expected, recipe=recipe["name"], given=given))
        model.set_weights([np.asarray(w, dtype=np.float32) for w in initial_weights])
    return model


def optimizer_spec(optimizer):
    """The recipe's optimizer, with the module Keras needs to find a learning-rate schedule
    given by class name (redes accepts and ignores it)."""
    if not isinstance(optimizer, dict):
        return optimizer
    out = copy.deepcopy(optimizer)
    schedule = out.get("config", {}).get("learning_rate")
    if isinstance(schedule, dict):
        schedule.setdefault("module", "keras.optimizers.schedules")
    return out


def _library_layers(engine):
    from . import library

    return library(engine).layers


def input_shape(recipe: dict) -> tuple:
    """The shape of one input sample of ``recipe``, worked out without loading the data
    (from the dataset's listed shapes and the preprocessing steps)."""
    from math import prod

    from redes import data
    from redes.recipes import validate

    validate(recipe)
    shapes = data.info(recipe["dataset"]["name"]).shapes
    shape = tuple(shapes["x_train"][1:] if "x_train" in shapes else shapes["X"][1:])
    for name, kwargs in recipe["preprocessing"]:
        if name == "flatten":
            shape = (prod(shape),)
        elif name == "reshape":
            shape = tuple(kwargs["shape"])
        elif name == "multi_hot":
            shape = (kwargs["dimension"],)
    return shape


def build(recipe: dict, engine: str, seed: int = 0, initial_weights=None, shape=None):
    """The compiled model of ``recipe`` on ``engine``, untrained (no data is loaded).

    A learning-rate schedule given by class name gets the ``module`` Keras needs to find it.

    Args:
        recipe: a recipe dict.
        engine: ``"numpy"`` or ``"keras"``.
        seed: seed of the initial weights. Defaults to ``0``.
        initial_weights: weights to start from instead. Defaults to ``None``.
        shape: shape of one input sample. Defaults to ``None`` (``input_shape(recipe)``).
    """
    if engine not in ENGINES:
        raise ValueError(_("{name}: expected one of {options}, got {value!r}").format(
            name="engine", options=", ".join(ENGINES), value=engine))
    shape = input_shape(recipe) if shape is None else tuple(shape)
    seed = check_seed("seed", seed, allow_none=False)
    return _model(recipe, engine, shape, seed, initial_weights)


def initial_weights(recipe: dict, seed: int = 0, engine: str = "numpy") -> list:
    """The weights a model of ``recipe`` starts from on ``engine`` with ``seed``.

    Pass them to ``train_recipe(..., initial_weights=...)`` on both engines to compare them
    from the same start.
    """
    return build(recipe, engine, seed).get_weights()
