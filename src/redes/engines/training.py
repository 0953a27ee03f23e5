"""Training a recipe on either engine: data, model, fit, evaluation, all from the recipe.

``train_recipe`` prepares the recipe's data (``recipe_data.prepare_data``: its dataset with its
preprocessing, fitted on training data only), builds the recipe's model on ``"numpy"``
(redes.nn) or ``"keras"`` (TensorFlow) (``building``), trains it as the recipe says
(``fitting``; with k-fold validation, ``kfold``) and scores it on the test set. Given the
same ``initial_weights`` the two engines start from the same point, so their results can be
compared::

    >>> from redes import recipes
    >>> from redes.engines.training import train_recipe
    >>> recipe = recipes.get("digits")
    >>> ours = train_recipe(recipe, "numpy")
    >>> theirs = train_recipe(recipe, "keras", initial_weights=ours.initial_weights)
    >>> ours.measures()["test_accuracy"], theirs.measures()["test_accuracy"]
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from redes._base.checks import check_seed
from redes.i18n import _

from . import ENGINES
from .building import _model
from .fitting import _evaluate, fit_model
from .kfold import train_folds
from .recipe_data import prepare_data


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
        kfold = train_folds(recipe, engine, prepared["raw"], seed, start,
                            recipe["fit"]["epochs"], verbose, timings)
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
