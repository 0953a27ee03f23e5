"""One trial of a study: train the recipe at one point of its search space and score it.

Hold-out recipes train with ``redes.engines.training.train_recipe`` and score the
validation metric of the last epoch. A recipe without a validation set gets
``fit.validation_split = 0.2`` for tuning (the last 20% of the training data), so the test
set is never used to choose.

K-fold recipes train one model per fold exactly as ``train_recipe`` does (same folds, same
per-fold preprocessing, same seeds), and score the mean validation metric over the folds, the
``kfold_val_mae`` that ``redes train`` reports; the final model on all training data is
not trained (``redes train best_recipe.json`` does that).

Pruning: after every epoch the monitored validation metric is reported to Optuna
(``trial.report(value, epoch)``) and the trial stops when the pruner says so. For k-fold
recipes this happens during the **first fold only**: epoch ``e`` of fold 1 is comparable
across trials, a running mean over folds would mix epochs of different folds, and stopping a
bad trial in its first fold saves the most work. Later folds run to the end.
"""

from __future__ import annotations

import functools
import math
import os
import socket

import numpy as np

from ..i18n import _
from .space import TuneError, suggest, trial_recipe


class EpochReporter:
    """What a trial does at the end of each epoch, for either engine.

    It counts the epoch, writes its logs to the trial's TensorBoard run and, while
    ``prune`` is on, reports ``logs[monitor]`` to Optuna and raises ``optuna.TrialPruned``
    when the pruner says the trial is worse than the others at this epoch.

    Args:
        trial: an ``optuna.Trial``.
        monitor: the log key to report, e.g. ``"val_mae"``.
        tracker: a ``redes.tune.tracking.TrialTracker`` or ``None``.
    """

    def __init__(self, trial, monitor: str, tracker=None):
        self.trial = trial
        self.monitor = monitor
        self.tracker = tracker
        self.epochs = 0
        self.prune = True

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        import optuna

        self.epochs += 1
        logs = dict(logs or {})
        if self.tracker is not None:
            self.tracker.epoch(epoch, logs)
        if not self.prune:
            return
        if self.monitor not in logs:
            raise TuneError(_("monitor: the epoch logs have no {monitor!r}; they have "
                              "{keys} (does the recipe validate every epoch?)").format(
                monitor=self.monitor, keys=sorted(logs)))
        value = float(logs[self.monitor])
        self.trial.report(value, epoch)
        if self.trial.should_prune():
            self.trial.set_user_attr("epochs_trained", self.epochs)
            raise optuna.TrialPruned(_("pruned at epoch {number}: {monitor} = "
                                       "{value:.4g}").format(number=epoch + 1,
                                                             monitor=self.monitor, value=value))


@functools.cache
def _pruning_class(engine):
    """The pruning callback class of ``engine``: a subclass of its ``Callback`` that hands
    every finished epoch to an ``EpochReporter``."""
    if engine == "numpy":
        from redes.nn.callbacks import Callback
    else:
        from redes.engines import import_keras

        Callback = import_keras().callbacks.Callback

    class PruningCallback(Callback):
        """Reports each epoch to a trial (see ``redes.tune.trial.EpochReporter``)."""

        def __init__(self, reporter):
            super().__init__()
            self.reporter = reporter

        def on_epoch_end(self, epoch, logs=None):
            self.reporter.on_epoch_end(epoch, logs)

    return PruningCallback


def pruning_callback(engine: str, reporter: EpochReporter):
    """A callback of ``engine`` (``"numpy"`` or ``"keras"``) that calls ``reporter`` after
    every epoch."""
    if engine not in ("numpy", "keras"):
        raise ValueError(_("engine: expected 'numpy' or 'keras', got {value!r}").format(
            value=engine))
    return _pruning_class(engine)(reporter)


# ------------------------------------------------------------------------------ scoring
def _with_validation(recipe: dict) -> dict:
    fit = recipe["fit"]
    if fit.get("validation_split") or fit.get("validation"):
        return recipe
    from redes.recipes import apply_overrides

    return apply_overrides(recipe, {"fit.validation_split": 0.2})


def score(recipe: dict, engine: str, seed: int, objective: dict, reporter=None) -> float:
    """Train ``recipe`` and return its objective value (see the module docstring).

    Args:
        recipe: the recipe of one trial.
        engine: ``"numpy"`` or ``"keras"``.
        seed: seed of weights, shuffles and dropout.
        objective: ``redes.tune.space.objective_of(recipe)``.
        reporter: an ``EpochReporter``, or ``None`` to train without reporting.
    """
    if recipe["evaluation"] == "holdout":
        from redes.engines.training import train_recipe

        callbacks = [pruning_callback(engine, reporter)] if reporter else None
        result = train_recipe(_with_validation(recipe), engine, seed=seed, callbacks=callbacks)
        return float(result.history[objective["monitor"]][-1])
    return _kfold_score(recipe, engine, seed, objective["monitor"], reporter)


def _kfold_score(recipe, engine, seed, monitor, reporter) -> float:
    """Mean validation ``monitor`` over the folds, trained as ``train_recipe`` trains them."""
    from redes import data
    from redes.engines import build_model
    from redes.engines.building import optimizer_spec
    from redes.engines.training import prepare_data
    from redes.recipes.preprocessing import Preprocessor

    raw = prepare_data(recipe, seed)["raw"]
    x, y = raw["x_train"], raw["y_train"]
    model_spec, fit = recipe["model"], recipe["fit"]
    scores = []
    for fold, (train_idx, val_idx) in enumerate(data.kfold(len(x), recipe["evaluation"]["kfold"])):
        pre = Preprocessor(recipe["preprocessing"]).fit(x[train_idx], y[train_idx])
        x_tr, y_tr = pre.transform(x[train_idx], y[train_idx])
        x_val, y_val = pre.transform(x[val_idx], y[val_idx])
        model = build_model(engine, x_tr.shape[1:], model_spec["layers"],
                            optimizer_spec(model_spec["optimizer"]), model_spec["loss"],
                            model_spec.get("metrics"), seed=seed)
        callbacks = None
        if reporter is not None:
            reporter.prune = fold == 0
            if reporter.tracker is not None:
                reporter.tracker.prefix = f"fold_{fold + 1}/"
            callbacks = [pruning_callback(engine, reporter)]
        model.fit(x_tr, y_tr, epochs=fit["epochs"], batch_size=fit["batch_size"], verbose=0,
                  shuffle=fit.get("shuffle", True), callbacks=callbacks,
                  validation_data=(x_val, y_val))
        logs = model.evaluate(x_val, y_val, batch_size=fit["batch_size"], verbose=0,
                              return_dict=True)
        scores.append(float(logs[monitor.removeprefix("val_")]))
    return float(np.mean(scores))


# ----------------------------------------------------------------------------- objective
class Objective:
    """The function a study optimizes: one trial from suggestion to score.

    It suggests a point of the search space, applies it to the recipe, trains it with a
    pruning callback and returns the objective value. Each trial records
    ``epochs_trained`` and ``worker`` (``host:pid``) as user attributes, and writes its
    TensorBoard run when ``logdir`` is given.

    Args:
        recipe: the study's recipe.
        space: its checked search space.
        engine: ``"numpy"`` or ``"keras"``.
        seed: training seed of every trial (so the best score is reproducible).
        epochs: fixed epochs of every trial, or ``None``.
        logdir: the study's TensorBoard folder, or ``None``.
    """

    def __init__(self, recipe, space, engine, seed, epochs=None, logdir=None):
        from .space import objective_of

        self.recipe, self.space, self.engine = recipe, space, engine
        self.seed, self.epochs, self.logdir = seed, epochs, logdir
        self.objective = objective_of(recipe)

    def __call__(self, trial) -> float:
        import optuna

        from .tracking import TrialTracker

        params = suggest(trial, self.space)
        recipe = trial_recipe(self.recipe, params, self.epochs)
        trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
        tracker = TrialTracker(self.logdir, trial.number, params) if self.logdir else None
        reporter = EpochReporter(trial, self.objective["monitor"], tracker)
        try:
            value = score(recipe, self.engine, self.seed, self.objective, reporter)
        except optuna.TrialPruned:
            self._end(tracker, "pruned", reporter)
            raise
        except BaseException:
            self._end(tracker, "failed", reporter)
            raise
        trial.set_user_attr("epochs_trained", reporter.epochs)
        self._end(tracker, "complete", reporter, value)
        if not math.isfinite(value):  # Optuna records the trial as failed and goes on
            trial.set_user_attr("error", _("{objective} is {value}: training "
                                           "diverged").format(objective=self.objective["name"],
                                                              value=value))
        return value

    def _end(self, tracker, state, reporter, value=None):
        if tracker is None:
            return
        values = {"epochs_trained": reporter.epochs}
        if value is not None:
            values[self.objective["name"]] = value
        tracker.prefix = ""
        tracker.end(state, values, step=max(reporter.epochs - 1, 0))
