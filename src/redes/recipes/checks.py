"""How a recipe's errors are told, and the small checks every field of a recipe is made of.

``RecipeError`` names the field (``fit.epochs``), what was given and what was expected;
``_fail`` raises it with the recipe's name in front.
"""

from __future__ import annotations

import math

from ..i18n import _


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
