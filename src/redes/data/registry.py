"""Every dataset by name: ``load("mnist")``, and ``available()`` to see what is here.

``available()`` is what ``redes data list`` prints: each dataset's task, its shapes with the
default arguments, where it comes from, and whether it can be loaded offline right now.
"""

from __future__ import annotations

import difflib
import inspect
from dataclasses import asdict, dataclass
from importlib import util

from ..i18n import N_, _
from . import boston, keras_sets, mnist1d_data, sklearn_sets, toy


@dataclass(frozen=True)
class DatasetInfo:
    """What one dataset is, as listed by ``available()``.

    Attributes:
        name: the name ``load`` takes, e.g. ``"imdb"``.
        task: ``"binary"``, ``"multiclass"`` or ``"regression"``.
        num_classes: number of classes, ``None`` for regression.
        shapes: array shapes with the default arguments, e.g.
            ``{"x_train": (60000, 28, 28), ...}``; sequence sets give the number of
            sequences.
        source: ``"keras"`` (Keras' files), ``"redes"`` (shipped with redes),
            ``"scikit-learn"``, ``"mnist1d"`` or ``"generated"`` (toy 2D sets).
        description: one line about the data, in English (marked with ``N_``: show it with
            ``redes.i18n.translated``).
        offline: whether ``load(name)`` works on this machine now, without internet.
    """

    name: str
    task: str
    num_classes: int | None
    shapes: dict
    source: str
    description: str
    offline: bool

    def to_dict(self) -> dict:
        """A JSON-ready dict (shapes as lists)."""
        out = asdict(self)
        out["shapes"] = {k: list(v) for k, v in self.shapes.items()}
        return out


def _split_shapes(n_train, n_test, *sample):
    return {
        "x_train": (n_train, *sample),
        "y_train": (n_train,),
        "x_test": (n_test, *sample),
        "y_test": (n_test,),
    }


def _toy_shapes(n):
    return {"X": (n, 2), "y": (n,)}


def _has(module: str) -> bool:
    return util.find_spec(module) is not None


# name: (loader, task, num_classes, shapes, source, description, offline check)
_TABLE = {
    "mnist": (
        keras_sets.mnist, "multiclass", 10, _split_shapes(60000, 10000, 28, 28), "keras",
        N_("handwritten digits, 28x28 grayscale images"),
        lambda: keras_sets.is_available("mnist"),
    ),
    "fashion_mnist": (
        keras_sets.fashion_mnist, "multiclass", 10, _split_shapes(60000, 10000, 28, 28),
        "keras", N_("clothing items, 28x28 grayscale images"),
        lambda: keras_sets.is_available("fashion_mnist"),
    ),
    "imdb": (
        keras_sets.imdb, "binary", 2, _split_shapes(25000, 25000), "keras",
        N_("movie reviews as word-index sequences, positive or negative"),
        lambda: keras_sets.is_available("imdb"),
    ),
    "reuters": (
        keras_sets.reuters, "multiclass", 46, _split_shapes(8982, 2246), "keras",
        N_("newswires as word-index sequences, 46 topics"),
        lambda: keras_sets.is_available("reuters"),
    ),
    "boston_housing": (
        boston.boston_housing, "regression", None, _split_shapes(404, 102, 13), "redes",
        N_("median house prices of Boston suburbs, 1970s (column B is ethically problematic)"),
        lambda: True,
    ),
    "digits": (
        sklearn_sets.digits, "multiclass", 10, _split_shapes(1438, 359, 64), "scikit-learn",
        N_("handwritten digits, 8x8 images flattened to 64 values"),
        lambda: _has("sklearn"),
    ),
    "breast_cancer": (
        sklearn_sets.breast_cancer, "binary", 2, _split_shapes(455, 114, 30), "scikit-learn",
        N_("breast tumours, 30 measurements, malignant or benign"),
        lambda: _has("sklearn"),
    ),
    "wine": (
        sklearn_sets.wine, "multiclass", 3, _split_shapes(142, 36, 13), "scikit-learn",
        N_("wines, 13 chemical measurements, 3 cultivars"),
        lambda: _has("sklearn"),
    ),
    "mnist1d": (
        mnist1d_data.mnist1d, "multiclass", 10, _split_shapes(4000, 1000, 40), "mnist1d",
        N_("1D signals from 10 digit templates, generated locally"),
        lambda: mnist1d_data.cache_path().is_file() or _has("mnist1d"),
    ),
    "gaussian_quantiles": (
        toy.gaussian_quantiles, "binary", 2, _toy_shapes(1000), "generated",
        N_("2D: inner disc against outer ring of one Gaussian cloud (the course's circles)"),
        lambda: _has("sklearn"),
    ),
    "circles": (
        toy.circles, "binary", 2, _toy_shapes(500), "generated",
        N_("2D: two concentric circles"), lambda: _has("sklearn"),
    ),
    "moons": (
        toy.moons, "binary", 2, _toy_shapes(500), "generated",
        N_("2D: two interleaving half circles"), lambda: _has("sklearn"),
    ),
    "xor": (
        toy.xor, "binary", 2, _toy_shapes(500), "generated",
        N_("2D: opposite quadrants share a class"), lambda: True,
    ),
    "two_gaussians": (
        toy.two_gaussians, "binary", 2, _toy_shapes(500), "generated",
        N_("2D: two Gaussian clouds, linearly separable"), lambda: True,
    ),
    "spiral": (
        toy.spiral, "multiclass", 3, _toy_shapes(300), "generated",
        N_("2D: interleaved spiral arms, one per class"), lambda: True,
    ),
    "playground": (
        lambda **kwargs: _playground_load(**kwargs), "binary", 2, _toy_shapes(500), "generated",
        N_("2D: a dataset exported from the playground (its own points and input features)"),
        lambda: True,
    ),
}  # fmt: skip


def _playground_load(**kwargs):
    from .playground_sets import load

    return load(**kwargs)


_ALIASES = {
    "boston": "boston_housing",
    "fashion": "fashion_mnist",
    "mnist_1d": "mnist1d",
    "quantiles": "gaussian_quantiles",
}


def names() -> list[str]:
    """Every dataset name ``load`` accepts, in the order of the course."""
    return list(_TABLE)


def resolve(name) -> str:
    """The canonical name of ``name`` (case, ``-`` and spaces are forgiven)."""
    if not isinstance(name, str):
        raise ValueError(_("name: expected a dataset name (str), got {value!r}").format(
            value=name))
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key not in _TABLE:
        close = difflib.get_close_matches(key, _TABLE, n=1)
        hint = (" " + _("Did you mean {name!r}?").format(name=close[0])) if close else ""
        raise ValueError(_("name: unknown dataset {name!r}; expected one of {names}.").format(
            name=name, names=names()) + hint)
    return key


def info(name) -> DatasetInfo:
    """The ``DatasetInfo`` of one dataset (its ``offline`` field is checked now)."""
    key = resolve(name)
    _loader, task, num_classes, shapes, source, description, offline = _TABLE[key]
    return DatasetInfo(key, task, num_classes, shapes, source, description, bool(offline()))


def available() -> list[DatasetInfo]:
    """Every dataset with its task, shapes, source and whether it loads offline now."""
    return [info(name) for name in _TABLE]


def check_arguments(name, kwargs) -> None:
    """Refuse arguments the loader of dataset ``name`` does not take, naming those it takes."""
    loader = _TABLE[resolve(name)][0]
    params = inspect.signature(loader).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    unknown = sorted(set(kwargs) - set(params))
    if unknown:
        raise ValueError(_("kwargs: the dataset {name!r} takes no argument {unknown}; "
                           "expected some of {known}").format(
                               name=resolve(name), unknown=", ".join(map(repr, unknown)),
                               known=", ".join(params) or _("none")))


def load(name, **kwargs):
    """Load a dataset by name: ``load("imdb", num_words=10000)`` is ``imdb(num_words=10000)``.

    Args:
        name: a name from ``names()``, e.g. ``"mnist"``, ``"boston_housing"``, ``"xor"``.
        **kwargs: the arguments of that dataset's loader.

    Returns:
        What the loader returns: ``(x_train, y_train), (x_test, y_test)`` for datasets with
        a split, ``(X, y)`` for the 2D toy sets.
    """
    check_arguments(name, kwargs)
    return _TABLE[resolve(name)][0](**kwargs)
