"""Turning objects into JSON-ready configs and back.

Every layer, activation, loss, optimizer, initializer, regularizer and schedule registers its
class under a name. ``get(kind, identifier)`` accepts what Keras accepts: a name string
(``"relu"``, ``"adam"``), a config dict ``{"class_name": ..., "config": {...}}``, an object,
or ``None`` where that means "nothing".
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from ..i18n import _


def snake_case(name: str) -> str:
    """A class name as Keras writes it in default names: ``Conv2D`` -> ``conv2d``,
    ``BatchNormalization`` -> ``batch_normalization``, ``KLDivergence`` -> ``kl_divergence``.

    An underscore goes before each capitalized word that does not start the name, and
    between a lowercase letter and the capital after it; digits stay with their word."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", name)
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()

_REGISTRY: dict[str, dict[str, Any]] = {}


def _norm(name: str) -> str:
    return name.replace("_", "").lower()


def register(kind: str, *aliases: str):
    """Class or function decorator: make it known to ``get(kind, ...)`` by name and aliases."""

    def deco(obj):
        table = _REGISTRY.setdefault(kind, {})
        for name in (obj.__name__, *aliases):
            table[_norm(name)] = obj
        return obj

    return deco


def names(kind: str) -> list[str]:
    """The registered names of one kind, for error messages."""
    table = _REGISTRY.get(kind, {})
    return sorted({getattr(obj, "__name__", key) for key, obj in table.items()})


_CUSTOM: dict[str, Any] = {}       # what register_keras_serializable made known
_SCOPES: list[dict] = []            # the custom_objects of the loads under way


def register_keras_serializable(package="Custom", name=None):
    """Class decorator, as ``keras.saving.register_keras_serializable``: a layer, model,
    loss or metric of your own that saved models may name, found again when they load."""

    def deco(cls):
        key = name or cls.__name__
        _CUSTOM[key] = _CUSTOM[f"{package}>{key}"] = cls
        return cls

    return deco


@contextlib.contextmanager
def custom_object_scope(custom_objects):
    """Within the ``with`` block, configs may name the classes of ``custom_objects`` (a
    dict of name to class), as ``keras.saving.custom_object_scope``."""
    custom_objects = {} if custom_objects is None else custom_objects
    if not isinstance(custom_objects, dict) or not all(
            isinstance(k, str) and callable(v) for k, v in custom_objects.items()):
        raise ValueError(_(
            "custom_objects: expected a dict of names to classes or functions, such as "
            "{{'MyLayer': MyLayer}}, got {value!r:.80}").format(value=custom_objects))
    _SCOPES.append(dict(custom_objects))
    try:
        yield
    finally:
        _SCOPES.pop()


def _custom(name: str):
    for scope in reversed(_SCOPES):
        if name in scope:
            return scope[name]
    return _CUSTOM.get(name)


def lookup(kind: str, name: str, argument: str | None = None):
    """The class (or function) registered as ``name``, or a clear error."""
    obj = None
    if isinstance(name, str):
        obj = _custom(name) or _REGISTRY.get(kind, {}).get(_norm(name))
    if obj is None:
        raise ValueError(_(
            "{argument}: unknown {kind} {name!r}; expected one of {names} (one of your own: "
            "give it in custom_objects={{...}} or decorate it with "
            "@keras.saving.register_keras_serializable())"
        ).format(argument=argument or kind, kind=kind, name=name,
                 names=", ".join(names(kind))))
    return obj


def serialize(obj) -> dict | str | None:
    """``{"class_name": ..., "config": ...}`` for objects, the name for plain functions."""
    if obj is None:
        return None
    if callable(obj) and not hasattr(obj, "get_config"):
        return obj.__name__
    return {"class_name": type(obj).__name__, "config": obj.get_config()}


def deserialize(kind: str, config, argument: str | None = None):
    if isinstance(config, str):
        return lookup(kind, config, argument)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(_(
            "{argument}: expected a name or a dict with 'class_name' and 'config', "
            "got {value!r}"
        ).format(argument=argument or kind, value=config))
    cls = lookup(kind, config["class_name"], argument)
    if _norm(config["class_name"]) == _norm(kind):   # e.g. "Layer": the base of every layer
        concrete = [n for n in names(kind) if _norm(n) != _norm(kind)]
        raise ValueError(_(
            "{argument}: {name!r} is the abstract base class of every "
            "{kind} and cannot run; expected one of {names}"
        ).format(argument=argument or kind, name=config["class_name"], kind=kind,
                 names=", ".join(concrete)))
    return cls.from_config(dict(config.get("config", {})))


class Configurable:
    """What an object that Keras saves by its config has: ``get_config`` (the arguments that
    rebuild it; none here), ``from_config`` (``cls(**config)``) and a ``repr`` that shows
    them, as ``L2(l2=0.01)``."""

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
