"""The course's problems as recipes: one module per lesson, each a plain, JSON-ready dict.

A recipe says everything needed to solve one problem: the dataset, the preprocessing, the
model (layers, optimizer, loss, metrics), how to fit it and how to evaluate it, and the
result to expect. Either engine trains it (``redes.engines.training.train_recipe``), so the
NumPy engine and Keras can be compared on every lesson. See ``redes.recipes.spec`` for the
fields.

Example:
    >>> from redes import recipes
    >>> recipes.names()
    ['first_network', 'fashion_mnist_dense', ..., 'mnist1d_cnn']
    >>> recipe = recipes.apply_overrides(recipes.get("boston"), ["fit.epochs=20"])
    >>> recipes.runnable("imdb")["name"]     # IMDB not downloaded: its offline variant
    'breast_cancer'
"""

from __future__ import annotations

import copy
import difflib
import importlib

from ..i18n import _
from .checks import RecipeError
from .overrides import apply_overrides, apply_params
from .spec import check_expected, validate

# one module per lesson, in the order of the course
_MODULES = (
    "first_network",
    "fashion_mnist_dense",
    "fashion_mnist_cnn",
    "imdb",
    "breast_cancer",
    "reuters",
    "wine",
    "digits",
    "boston",
    "gaussian_quantiles",
    "mnist1d_mlp",
    "mnist1d_cnn",
)

__all__ = [
    "RecipeError",
    "apply_overrides",
    "apply_params",
    "check_expected",
    "get",
    "names",
    "needs_download",
    "offline_names",
    "runnable",
    "validate",
    "variant",
]


def names() -> list[str]:
    """Every recipe name, in the order of the course."""
    return list(_MODULES)


def get(name: str) -> dict:
    """A fresh copy of the recipe ``name`` (changing it does not change the original).

    Raises:
        RecipeError: unknown name; the message lists the known ones.
    """
    if not isinstance(name, str) or name not in _MODULES:
        close = difflib.get_close_matches(str(name), _MODULES, n=1)
        hint = (" " + _("Did you mean {name!r}?").format(name=close[0])) if close else ""
        raise RecipeError(_("name: unknown recipe {name!r}; expected one of {names}.").format(
            name=name, names=", ".join(_MODULES)) + hint)
    module = importlib.import_module(f"{__name__}.{name}")
    return validate(copy.deepcopy(module.RECIPE))


def needs_download(name: str) -> bool:
    """Whether the recipe's dataset comes from Keras' files (MNIST, Fashion-MNIST, IMDB,
    Reuters), which must be downloaded or registered once."""
    from redes.data import info

    return info(get(name)["dataset"]["name"]).source == "keras"


def offline_names() -> list[str]:
    """The recipes whose data is always at hand (shipped, from scikit-learn or generated)."""
    return [name for name in _MODULES if not needs_download(name)]


def runnable(name: str) -> dict:
    """The recipe ``name`` when its dataset loads on this machine, else its offline variant.

    Raises:
        RecipeError: unknown name.
        DatasetNotFoundError: the dataset is missing and the recipe has no offline variant.
    """
    from redes.data import info, load

    recipe = get(name)
    if info(recipe["dataset"]["name"]).offline:
        return recipe
    if recipe.get("offline_variant"):
        return get(recipe["offline_variant"])
    load(recipe["dataset"]["name"], **recipe["dataset"].get("kwargs", {}))  # raises, explains
    return recipe


def variant(recipe: dict, name: str) -> dict:
    """The recipe changed as its variant ``name`` says (e.g. ``variant(imdb, "dropout")``).

    The copy is named ``"<recipe>:<variant>"``.

    Raises:
        RecipeError: the recipe has no variant ``name``; the message lists its variants.
    """
    variants = recipe.get("variants", {})
    if name not in variants:
        raise RecipeError(_("variant: recipe {recipe!r} has no variant {name!r}; expected "
                            "one of {names}").format(recipe=recipe.get("name"), name=name,
                                                     names=sorted(variants) or _("none")))
    out = apply_overrides(recipe, variants[name])
    out["name"] = f"{recipe['name']}:{name}"
    out.pop("variants", None)
    return out
