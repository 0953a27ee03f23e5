"""Training a recipe on either engine: data, model, fit, evaluation, all from the recipe.

``prepare_data`` loads the recipe's dataset and applies its preprocessing, fitted on training
data only. ``train_recipe`` builds the recipe's model on ``"numpy"`` (redes.nn) or
``"keras"`` (TensorFlow), trains it as the recipe says (hold-out or k-fold validation) and
scores it on the test set. Given the same ``initial_weights`` the two engines start from the
same point, so their results can be compared::

    >>> from redes import recipes
    >>> from redes.engines.training import train_recipe
    >>> recipe = recipes.get("digits")
    >>> ours = train_recipe(recipe, "numpy")
    >>> theirs = train_recipe(recipe, "keras", initial_weights=ours.initial_weights)
    >>> ours.measures()["test_accuracy"], theirs.measures()["test_accuracy"]
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass, field

import numpy as np

from redes._base.checks import check_seed
from redes.i18n import _

from . import ENGINES, build_model


# ----------------------------------------------------------------------------------- data
def _load_splits(recipe: dict, seed: int):
    """``(x_train, y_train), (x_test, y_test)`` of the recipe's dataset, before preprocessing."""
    from redes import data

    spec = recipe["dataset"]
    loaded = data.load(spec["name"], **spec.get("kwargs", {}))
    if "test_split" in spec:  # a dataset without a test set: hold one out, stratified
        x, y = loaded
        (x_tr, y_tr), _validation, (x_te, y_te) = data.holdout(
            x, y, validation=0.0, test=spec["test_split"], seed=seed,
            stratify=recipe["task"]["type"] != "regression")
        return (x_tr, y_tr), (x_te, y_te)
    return loaded


def load_checked(recipe: dict, seed: int = 0):
    """``(x_train, y_train), (x_test, y_test)`` of the recipe's dataset, before preprocessing,
    checked to hold what the recipe needs: samples in both sets, more training samples than
    its validation takes and at least one per fold.

    Raises:
        DatasetNotFoundError: the dataset's files are not on this machine.
        ValueError: the dataset cannot be used as the recipe says.
    """
    (x_tr, y_tr), (x_te, y_te) = _load_splits(recipe, seed)
    _check_sizes(recipe, len(x_tr), len(x_te))
    return (x_tr, y_tr), (x_te, y_te)


def prepare_data(recipe: dict, seed: int = 0) -> dict:
    """The recipe's arrays, preprocessed with statistics of the training data only.

    Args:
        recipe: a recipe dict (see ``redes.recipes``).
        seed: seed of the test split of datasets that come without one (the 2D toy sets).
            Defaults to ``0``.

    Returns:
        A dict with ``x_train``, ``y_train``, ``x_test``, ``y_test`` (preprocessed; for a
        recipe with ``fit.validation = {"first": n}`` also ``x_val``, ``y_val``: the first
        ``n`` training samples, and the preprocessing is fitted on the others),
        ``preprocessor`` (the fitted ``Preprocessor``), ``raw`` (the arrays before
        preprocessing, for k-fold validation which refits per fold) and ``input_shape``.

    Raises:
        DatasetNotFoundError: the dataset's files are not on this machine (the message says
            how to get them; ``recipes.get(recipe["offline_variant"])`` runs offline).
    """
    from redes.recipes import validate
    from redes.recipes.preprocessing import Preprocessor

    validate(recipe)
    seed = check_seed("seed", seed, allow_none=False)
    (x_tr, y_tr), (x_te, y_te) = load_checked(recipe, seed)
    out = {"raw": {"x_train": x_tr, "y_train": y_tr, "x_test": x_te, "y_test": y_te}}
    validation = recipe["fit"].get("validation")
    pre = Preprocessor(recipe["preprocessing"])
    if validation:
        n = validation["first"]
        pre.fit(x_tr[n:], y_tr[n:])
        out["x_val"], out["y_val"] = pre.transform(x_tr[:n], y_tr[:n])
        out["x_train"], out["y_train"] = pre.transform(x_tr[n:], y_tr[n:])
    else:
        out["x_train"], out["y_train"] = pre.fit_transform(x_tr, y_tr)
    out["x_test"], out["y_test"] = pre.transform(x_te, y_te)
    out["preprocessor"] = pre
    out["input_shape"] = tuple(int(s) for s in out["x_train"].shape[1:])
    return out


def _check_sizes(recipe: dict, n_train: int, n_test: int) -> None:
    """The dataset holds enough samples for what the recipe does with them."""
    name = recipe["dataset"]["name"]
    if n_train == 0 or n_test == 0:
        part = _("training") if n_train == 0 else _("test")
        raise ValueError(_("dataset {name}: the {part} set holds no samples; expected at "
                           "least one").format(name=name, part=part))
    first = (recipe["fit"].get("validation") or {}).get("first")
    if first is not None and first >= n_train:
        raise ValueError(_("fit.validation.first: expected fewer than the {n} training samples "
                           "of {name}, got {first}").format(n=n_train, name=name, first=first))
    evaluation = recipe["evaluation"]
    k = evaluation.get("kfold") if isinstance(evaluation, dict) else None
    if k is not None and k > n_train:
        raise ValueError(_("evaluation.kfold: {k} folds need at least {k} training samples; "
                           "{name} holds {n}").format(k=k, name=name, n=n_train))


# ---------------------------------------------------------------------------------- result
@dataclass
class TrainResult:
    """What ``train_recipe`` returns.

    Attributes:
        recipe: the recipe that was trained (with the ``epochs`` override applied).
        engine: ``"numpy"`` or ``"keras"``.
        seed: the seed of weights, shuffles and dropout.
        model: the trained model (for k-fold recipes, the final model trained on all the
            training data).
        history: ``{metric: [value per epoch]}`` of that model's training.
        test: ``{metric: value}`` on the test set, e.g. ``{"loss": 0.1, "accuracy": 0.97}``.
        kfold: for k-fold recipes, ``{"k", "histories" (one per fold), "scores" (validation
            metrics per fold), "mean_val_mae" (validation MAE per epoch averaged over the
            folds), "smoothed_val_mae" (the same, exponentially smoothed), "best_epoch"}``;
            ``None`` otherwise.
        initial_weights: the weights every model of this run started from.
        timings: seconds spent in ``data``, ``fit`` (all folds and the final fit),
            ``evaluate`` and ``total``.
        data: the arrays trained and tested on (``prepare_data``'s dict), for figures.
    """

    recipe: dict
    engine: str
    seed: int
    model: object
    history: dict
    test: dict
    kfold: dict | None
    initial_weights: list
    timings: dict
    data: dict = field(default_factory=dict, repr=False)

    def measures(self) -> dict:
        """The named results that ``recipe["expected"]`` refers to: ``test_accuracy``,
        ``test_loss``, ``test_mae``, ``kfold_val_mae``, ``kfold_val_accuracy``."""
        out = {f"test_{k}": v for k, v in self.test.items() if k in ("loss", "accuracy", "mae")}
        if self.kfold:
            for key in ("mae", "accuracy"):
                scores = [s[f"val_{key}"] for s in self.kfold["scores"] if f"val_{key}" in s]
                if scores:
                    out[f"kfold_val_{key}"] = float(np.mean(scores))
        return out

    def to_dict(self) -> dict:
        """A JSON-ready summary (no model, no weights)."""
        kfold = None
        if self.kfold:
            kfold = {k: v for k, v in self.kfold.items()}
        return {"recipe": self.recipe["name"], "engine": self.engine, "seed": self.seed,
                "history": self.history, "test": self.test, "measures": self.measures(),
                "kfold": kfold, "timings": self.timings}


# -------------------------------------------------------------------------------- training

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
    model = build_model(engine, input_shape, layers, _optimizer(spec["optimizer"]),
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


def _optimizer(optimizer):
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


def _history(history) -> dict:
    return {k: [float(v) for v in values] for k, values in history.history.items()}


def _evaluate(model, x, y, batch_size) -> dict:
    logs = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    return {k: float(v) for k, v in logs.items()}


def smooth(points, factor: float = 0.9) -> list[float]:
    """Exponential moving average of a curve, as in the course's Boston housing lesson::

        smoothed[0] = points[0]
        smoothed[i] = factor * smoothed[i - 1] + (1 - factor) * points[i]

    Args:
        points: a sequence of numbers (NaN or None values keep the previous smoothed value).
        factor: weight of the past, in [0, 1). 0 leaves the curve as it is. Defaults to 0.9.
    """
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) \
            or not 0 <= factor < 1:
        raise ValueError(_("factor: expected a number in [0, 1), got {value!r}").format(
            value=factor))
    out, previous = [], math.nan
    for point in points:
        value = math.nan if point is None else float(point)
        if math.isnan(previous):
            previous = value
        elif not math.isnan(value):
            previous = factor * previous + (1 - factor) * value
        out.append(previous)
    return out


def fit_model(model, recipe: dict, x, y, engine: str, *, epochs: int | None = None, seed: int = 0,
              callbacks=None, verbose=0, validation_data=None, initial_epoch: int = 0) -> dict:
    """``model.fit`` as the recipe says: its batch size, shuffling and validation.

    On the Keras engine the shuffled training data goes through a tf.data pipeline seeded
    with ``seed``: Keras shuffles plain arrays with the same permutation in every epoch once
    the global seed is set, while the NumPy engine (and the course) reshuffle each epoch.
    ``validation_split`` then keeps Keras' meaning: the last fraction, before shuffling.

    Args:
        model: a compiled model of ``engine``.
        recipe: the recipe whose ``fit`` section applies.
        x, y: preprocessed training data.
        engine: ``"numpy"`` or ``"keras"``.
        epochs: defaults to ``None`` (``recipe["fit"]["epochs"]``).
        seed: seed of the Keras shuffle. Defaults to ``0``.
        callbacks: callbacks of ``engine``. Defaults to ``None``.
        verbose: 0, 1 or 2. Defaults to ``0``.
        validation_data: ``(x_val, y_val)``, used instead of the recipe's validation split.
            Defaults to ``None``.
        initial_epoch: epoch to start at (to resume). Defaults to ``0``.

    Returns:
        The history, ``{metric: [value per epoch]}``.
    """
    fit = recipe["fit"]
    kwargs = {"epochs": fit["epochs"] if epochs is None else epochs, "verbose": verbose,
              "callbacks": callbacks, "initial_epoch": initial_epoch}
    split = 0.0 if validation_data is not None else fit.get("validation_split", 0.0)
    if engine == "keras" and fit.get("shuffle", True):
        if split:  # the last fraction, before any shuffling, as validation_split takes it
            cut = int(math.floor(len(x) * (1.0 - split)))
            validation_data, x, y = (x[cut:], y[cut:]), x[:cut], y[:cut]
        x, y = _shuffled_batches(x, y, fit["batch_size"], seed), None
        kwargs.update(shuffle=False, validation_batch_size=fit["batch_size"])
    else:
        kwargs.update(batch_size=fit["batch_size"], shuffle=fit.get("shuffle", True),
                      validation_split=split)
    if validation_data is not None:
        kwargs["validation_data"] = validation_data
    return _history(model.fit(x, y, **kwargs))


def _shuffled_batches(x, y, batch_size, seed):
    """A tf.data pipeline of ``(x, y)`` batches, reshuffled in every epoch from ``seed``."""
    import tensorflow as tf

    return (tf.data.Dataset.from_tensor_slices((x, y))
            .shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
            .batch(batch_size))


def _kfold(recipe, engine, raw, seed, start, epochs, verbose, timings):
    """Train one model per fold (preprocessing fitted on its training folds); their
    histories, validation scores and averaged validation curve."""
    from redes import data
    from redes.recipes.preprocessing import Preprocessor

    evaluation = recipe["evaluation"]
    k = evaluation["kfold"]
    x, y = raw["x_train"], raw["y_train"]
    histories, scores, folds = [], [], []
    for train_idx, val_idx in data.kfold(len(x), k):
        pre = Preprocessor(recipe["preprocessing"]).fit(x[train_idx], y[train_idx])
        x_tr, y_tr = pre.transform(x[train_idx], y[train_idx])
        x_val, y_val = pre.transform(x[val_idx], y[val_idx])
        model = _model(recipe, engine, x_tr.shape[1:], seed, start)
        t0 = time.perf_counter()
        histories.append(fit_model(model, recipe, x_tr, y_tr, engine, epochs=epochs, seed=seed,
                                   verbose=verbose, validation_data=(x_val, y_val)))
        timings["fit"] += time.perf_counter() - t0
        score = _evaluate(model, x_val, y_val, recipe["fit"]["batch_size"])
        scores.append({f"val_{key}": value for key, value in score.items()})
        folds.append(val_idx.tolist())
    out = {"k": k, "histories": histories, "scores": scores, "val_indices": folds}
    key = next((m for m in ("val_mae", "val_accuracy", "val_loss") if m in histories[0]), None)
    mean = np.mean([h[key] for h in histories], axis=0).tolist()
    smoothed = smooth(mean, evaluation.get("smoothing", 0.9))
    best = int(np.argmin(smoothed) if key != "val_accuracy" else np.argmax(smoothed)) + 1
    out.update({"curve_metric": key, f"mean_{key}": mean, f"smoothed_{key}": smoothed,
                "best_epoch": best})
    return out


def train_recipe(recipe: dict, engine: str, seed: int = 0, epochs: int | None = None,
                 callbacks=None, verbose=0, initial_weights=None, model=None,
                 initial_epoch: int = 0) -> TrainResult:
    """Train ``recipe`` on ``engine`` and score it on the test set.

    Hold-out recipes fit once (with the recipe's validation split or set) and evaluate on
    the test set. K-fold recipes (``evaluation = {"kfold": k}``) first train one model per
    fold, each validated on its fold with preprocessing fitted on the other folds, then
    train the final model on all the training data for ``evaluation.retrain_epochs`` epochs
    (default: ``fit.epochs``) and evaluate it on the test set.

    Args:
        recipe: a recipe dict (``redes.recipes.get(name)``).
        engine: ``"numpy"`` or ``"keras"``.
        seed: seed of the initial weights, shuffles, dropout and of the test split of
            datasets that come without one. Defaults to ``0``.
        epochs: train this many epochs instead of the recipe's (also for every fold and
            the final k-fold model). Defaults to ``None``.
        callbacks: callback objects of ``engine`` (``redes.nn.callbacks`` or
            ``keras.callbacks``), passed to the fit of the final model. Defaults to
            ``None``.
        verbose: ``fit``'s verbosity: 0 silent, 1 progress bar, 2 one line per epoch.
            Defaults to ``0``.
        initial_weights: weights to start from, in ``get_weights`` order (e.g. another
            engine's ``result.initial_weights``); every model of the run starts from them.
            Defaults to ``None`` (the engine's own initialization with ``seed``).
        model: a compiled model of ``engine`` to go on training as the final model (e.g.
            one loaded from an interrupted run); k-fold folds still start from
            ``initial_weights`` or the seed's initialization. Defaults to ``None``.
        initial_epoch: the epoch the final fit starts at, to resume training; with a
            ``model`` that already holds every epoch, the recipe's number of epochs (the
            model is then only scored, and k-fold recipes train their folds). Defaults to
            ``0``.

    Returns:
        A ``TrainResult``.
    """
    from redes.recipes import validate

    t_start = time.perf_counter()
    validate(recipe)
    if engine not in ENGINES:
        raise ValueError(_("{name}: expected one of {options}, got {value!r}").format(
            name="engine", options=", ".join(ENGINES), value=engine))
    seed = check_seed("seed", seed, allow_none=False)
    if epochs is not None and (isinstance(epochs, bool) or not isinstance(epochs, int)
                               or epochs < 1):
        raise ValueError(_("{name}: expected an integer >= {minimum} or None, got "
                           "{value!r}").format(name="epochs", minimum=1, value=epochs))
    if callbacks is not None and not isinstance(callbacks, (list, tuple)):
        raise ValueError(_("callbacks: expected a list of callbacks, got {value!r:.80}").format(
            value=callbacks))
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(_("verbose: expected 0, 1 or 2, got {value!r}").format(value=verbose))
    recipe = with_epochs(recipe, epochs)
    evaluation = recipe["evaluation"]
    final_epochs = (recipe["fit"]["epochs"] if evaluation == "holdout"
                    else evaluation.get("retrain_epochs", recipe["fit"]["epochs"]))
    last = final_epochs if model is not None else final_epochs - 1
    if isinstance(initial_epoch, bool) or not isinstance(initial_epoch, int) or not (
            0 <= initial_epoch <= last):
        raise ValueError(_("initial_epoch: expected an integer from 0 to {last} (the recipe "
                           "trains {epochs} epochs), got {value!r}").format(
            last=last, epochs=final_epochs, value=initial_epoch))
    timings = {"data": 0.0, "fit": 0.0, "evaluate": 0.0}

    t0 = time.perf_counter()
    prepared = prepare_data(recipe, seed)
    timings["data"] = time.perf_counter() - t0
    fresh = _model(recipe, engine, prepared["input_shape"], seed, initial_weights)
    start = fresh.get_weights()
    model = fresh if model is None else model
    kfold = None
    if evaluation != "holdout":
        kfold = _kfold(recipe, engine, prepared["raw"], seed, start, recipe["fit"]["epochs"],
                       verbose, timings)
    validation_data = (prepared["x_val"], prepared["y_val"]) if "x_val" in prepared else None
    t0 = time.perf_counter()
    history = {}                 # a model that holds every epoch already is only scored
    if initial_epoch < final_epochs:
        history = fit_model(model, recipe, prepared["x_train"], prepared["y_train"], engine,
                            epochs=final_epochs, seed=seed, verbose=verbose,
                            callbacks=list(callbacks) if callbacks else None,
                            validation_data=validation_data, initial_epoch=initial_epoch)
    timings["fit"] += time.perf_counter() - t0
    t0 = time.perf_counter()
    test = _evaluate(model, prepared["x_test"], prepared["y_test"], recipe["fit"]["batch_size"])
    timings["evaluate"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    return TrainResult(recipe, engine, seed, model, history, test, kfold, start, timings,
                       prepared)


def with_epochs(recipe: dict, epochs):
    """The recipe with every epoch count set to ``epochs`` (unchanged when None)."""
    if epochs is None:
        return recipe
    from redes.recipes import apply_overrides

    overrides = {"fit.epochs": epochs}
    if isinstance(recipe["evaluation"], dict) and "retrain_epochs" in recipe["evaluation"]:
        overrides["evaluation.retrain_epochs"] = epochs
    return apply_overrides(recipe, overrides)
