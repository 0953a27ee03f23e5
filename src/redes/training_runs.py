"""Training a recipe into a run directory: what ``redes train`` and ``redes tour`` do.

``train`` resolves a recipe (name, overrides, epochs), trains it on one engine with
``redes.engines.training.train_recipe`` while a callback records every epoch in a new run
directory (history, TensorBoard events, the model after each epoch), then writes the test
metrics and the figures. Ctrl+C leaves the run marked "interrupted" with its last finished
epoch saved, a full disk leaves it "failed" with every file whole; ``resume`` continues
either (and a run whose process was killed).
"""

from __future__ import annotations

import contextlib

import numpy as np

from .i18n import _, translated


class Interrupted(KeyboardInterrupt):
    """Ctrl+C during training; ``run`` is the run directory, marked "interrupted"."""

    def __init__(self, run):
        super().__init__(str(run.path))
        self.run = run


def resolve_recipe(recipe, overrides=(), epochs=None) -> dict:
    """A recipe dict from a name or a dict, with ``key=value`` overrides and epochs applied."""
    from . import recipes
    from .engines.training import with_epochs

    recipe = recipes.get(recipe) if isinstance(recipe, str) else recipes.validate(recipe)
    if overrides:
        recipe = recipes.apply_overrides(recipe, list(overrides))
    return with_epochs(recipe, epochs)


def check_dataset(dataset: str) -> None:
    """Load every recipe's data that comes from ``dataset`` as training does (the loader's
    checks, then ``load_checked``'s: samples in both sets, enough for the validation and the
    folds), so that ``redes data add`` keeps a file only if the course can train on it.

    Raises:
        ValueError: a recipe cannot train on the dataset; the message names the recipe.
            Recipes whose other files are still missing are not prepared.
    """
    from . import recipes
    from .data import DatasetNotFoundError
    from .engines.recipe_data import load_checked

    for name in recipes.names():
        recipe = recipes.get(name)
        if recipe["dataset"]["name"] != dataset:
            continue
        try:
            load_checked(recipe)
        except DatasetNotFoundError:
            continue  # another file of the dataset is not registered yet
        except ValueError as exc:
            message = _("path: the recipe {recipe} cannot train on this {dataset} data, so "
                        "nothing was saved: {reason}")
            raise ValueError(message.format(recipe=name, dataset=dataset, reason=exc)) from exc


def final_metrics(result) -> dict:
    """The test metrics, plus the k-fold validation scores of k-fold recipes."""
    kfold = {k: v for k, v in result.measures().items() if k.startswith("kfold_")}
    return {**result.test, **kfold}


def _task(recipe) -> str:
    task = recipe["task"]
    return task["type"] if isinstance(task, dict) else task


def write_figures(run, result) -> list:
    """The run's figures: learning curves, then a confusion matrix or the regression panels
    on the test set, the decision boundary of 2D problems and the k-fold validation curve."""
    from .report import figures

    recipe = result.recipe
    data = result.data
    task = _task(recipe)
    y_pred = result.model.predict(data["x_test"], verbose=0)
    y_true = data["y_test"]
    classes = recipe["task"].get("classes") if isinstance(recipe["task"], dict) else None
    predict = x2d = None
    if "decision_boundary" in recipe.get("plots", []):
        pre = data["preprocessor"]

        def predict(points):
            return np.asarray(result.model.predict(pre.transform(
                np.asarray(points, dtype=np.float32))[0], batch_size=4096, verbose=0))

        x2d = data["raw"]["x_test"]
    paths = figures.write_run_figures(run, task=task, y_true=y_true, y_pred=y_pred,
                                      class_names=classes, predict=predict, x=x2d)
    if result.kfold:
        curve = result.kfold["curve_metric"]
        paths.append(figures.compare(
            {_("fold {number}").format(number=i + 1): h
             for i, h in enumerate(result.kfold["histories"])},
            metric=curve, smooth=recipe["evaluation"].get("smoothing", 0.9),
            title=_("{title}: {metric} per fold").format(title=translated(recipe["title"]),
                                                         metric=curve),
            path=run.plots_dir / "kfold_validation.png"))
    return paths


@contextlib.contextmanager
def _training(run, new: bool):
    """``with run:`` while a recipe trains into it, a ``new`` run or one resumed (locked
    first: RunError while another process trains it). Ctrl+C becomes ``Interrupted``, a
    full disk a DiskFullError saying how to continue the run once there is space; a new run
    that fails before its first epoch (a model too large, data that does not fit it) is
    discarded, so that no folder is left behind."""
    from .runs import DiskFullError

    try:
        if not new:
            run.resume()
        with run:
            yield
    except KeyboardInterrupt:
        raise Interrupted(run) from None
    except DiskFullError as exc:
        raise DiskFullError(exc.filename, _(
            "Free some space, then continue the run with: redes train --resume {path}"
        ).format(path=run.path)) from exc
    except Exception:
        if new and run.last_epoch == 0:
            run.discard()
        raise


def train(recipe, engine="numpy", seed=0, epochs=None, overrides=(), root=None, verbose=1,
          initial_weights=None):
    """Train ``recipe`` on ``engine`` into a new run directory; returns (run, result)."""
    from .data import info, load
    from .engines.training import train_recipe
    from .runs import Run

    recipe = resolve_recipe(recipe, overrides, epochs)
    dataset = recipe["dataset"]
    if not info(dataset["name"]).offline:   # say how to get the data before making a run
        load(dataset["name"], **dataset.get("kwargs", {}))
    run = Run.create(recipe["name"], engine, recipe, root=root, seed=seed)
    with _training(run, new=True):
        run.set_epochs(recipe["fit"]["epochs"])
        result = train_recipe(recipe, engine, seed=seed, callbacks=[run.callback(engine)],
                              verbose=verbose, initial_weights=initial_weights)
        write_figures(run, result)
        run.finish(final_metrics(result))
    return run, result


def _final_epochs(recipe) -> int:
    """Epochs of the model a run saves (k-fold recipes: the final one, on all the data)."""
    evaluation = recipe["evaluation"]
    if evaluation == "holdout":
        return recipe["fit"]["epochs"]
    return evaluation.get("retrain_epochs", recipe["fit"]["epochs"])


def _extend(run, recipe, epochs) -> dict:
    """The run's recipe trained up to ``epochs`` in all, recorded in its config.json and as
    its planned epochs (k-fold recipes: every fold and the final model, as ``--epochs``)."""
    from redes._base.files import write_json

    from .engines.training import with_epochs

    recipe = with_epochs(recipe, epochs)
    run.config["recipe"] = recipe
    write_json(run.path / "config.json", run.config, "config")
    run.set_epochs(recipe["fit"]["epochs"])
    return recipe


def _differences(a, b, where="") -> list[str]:
    """The dotted keys (``fit.batch_size``) whose values differ between two recipes."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in {**a, **b} for d in _differences(a.get(k), b.get(k),
                                                            f"{where}{k}.")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y,
                                                                             f"{where}{i}.")]
    return [] if a == b else [where.rstrip(".")]


def _refuse(argument, run, why, new_run):
    return ValueError(_("{argument}: {why}; a run goes on as it started: leave it out to "
                        "continue {name}, or start a new run with redes train {new_run}").format(
        argument=argument, why=why, name=run.name, new_run=new_run))


def _check_recipe(run, recipe) -> None:
    """``recipe`` (a name or a recipe dict) is the one ``run`` trains, but for its epochs."""
    name = recipe if isinstance(recipe, str) else (recipe.get("name")
                                                   if isinstance(recipe, dict) else None)
    if name != run.recipe:
        raise _refuse("recipe", run, _("{run} trains the recipe {recipe!r}, not {name!r}").format(
            run=run.name, recipe=run.recipe, name=name), name)
    if isinstance(recipe, dict):
        ignore = ("fit.epochs", "evaluation.retrain_epochs")   # ``epochs`` changes them
        differ = [k for k in _differences(run.config["recipe"], recipe) if k not in ignore]
        if differ:
            raise _refuse("recipe", run, _("it differs from the recipe {run} was trained with "
                                           "(in {keys})").format(run=run.name,
                                                                 keys=", ".join(differ[:5])),
                          name)


def _check_overrides(run, overrides) -> None:
    """``key=value`` overrides that leave ``run``'s recipe as it is."""
    from . import recipes

    recorded = run.config["recipe"]
    try:
        changed = recipes.apply_overrides(recorded, list(overrides))
    except recipes.RecipeError as exc:
        raise ValueError(f"overrides: {exc}") from None
    differ = _differences(recorded, changed)
    if differ:
        key = differ[0]
        value = recorded
        for part in key.split("."):
            value = value[int(part)] if isinstance(value, list) else value.get(part)
        hint = (_(" (--epochs N with --resume trains it up to N epochs in all)")
                if key in ("fit.epochs", "evaluation.retrain_epochs") else "")
        raise _refuse("overrides", run, _("{run} was trained with {key}={value!r}{hint}").format(
            run=run.name, key=key, value=value, hint=hint),
            f"{run.recipe} " + " ".join(f"--set {o}" for o in overrides))


def check_same_run(run, recipe=None, engine=None, seed=None, overrides=(), root=None) -> None:
    """Refuse a recipe, engine, seed, overrides or runs folder given to resume ``run`` that
    differs from what it recorded: a run goes on as it started, in its own folder (equal
    values, and None, are fine). The errors name the argument."""
    from .runs import runs_root

    if root is not None and runs_root(root).resolve() != run.path.resolve().parent:
        raise ValueError(_("root: {name} is in {folder}, not in {runs}; a resumed run stays "
                           "in its folder: leave it out").format(
            name=run.name, folder=run.path.parent, runs=root))
    if recipe is not None:
        _check_recipe(run, recipe)
    if engine is not None and engine != run.engine:
        raise _refuse("engine", run, _("{run} trains on {engine}, not {given}").format(
            run=run.name, engine=run.engine, given=engine), f"{run.recipe} --engine {engine}")
    recorded_seed = run.config.get("seed") or 0
    if seed is not None and seed != recorded_seed:
        raise _refuse("seed", run, _("{run} was started with seed {seed}, not {given}").format(
            run=run.name, seed=recorded_seed, given=seed), f"{run.recipe} --seed {seed}")
    if overrides:
        _check_overrides(run, overrides)


def resume(path, verbose=1, epochs=None, **same):
    """Continue an interrupted, failed or killed run from the epoch its model file holds;
    returns (run, result).

    Args:
        path: the run's folder.
        verbose: ``fit``'s verbosity (0, 1 or 2). Defaults to 1.
        epochs: train up to this many epochs in all instead of the number the run planned
            (more than its model already holds); recorded in the run's config. Defaults to
            None (the run's own).
        **same: ``recipe``, ``engine``, ``seed``, ``overrides``, ``root`` the caller was given:
            each must be the run's own (``check_same_run``), or nothing is touched.
    """
    from . import recipes
    from .engines.training import train_recipe
    from .runs import Run

    run = Run.open(path)
    check_same_run(run, **same)
    if run.status == "finished":
        more = f" --epochs {epochs}" if epochs else ""
        raise ValueError(_("run: {name} has already finished; start a new one with redes "
                           "train {recipe}{more}").format(name=run.name, recipe=run.recipe,
                                                           more=more))
    # the recipe of a shared run is checked before the run is touched: a tampered
    # config.json is refused, and the run stays as it was
    recipe = recipes.validate(run.config["recipe"])
    extend = epochs is not None and epochs != _final_epochs(recipe)
    if extend and (isinstance(epochs, bool) or not isinstance(epochs, int)
                   or epochs <= run.model_epoch):
        raise ValueError(_("epochs: the model of {name} already holds {done} epochs; give "
                           "more than {done} to train it further, or leave epochs out to "
                           "finish the {planned} it planned; got {value!r}").format(
            name=run.name, done=run.model_epoch, planned=_final_epochs(recipe), value=epochs))
    with _training(run, new=False):
        if extend:
            recipe = _extend(run, recipe, epochs)
        # a run stopped after its last epoch was saved (while it scored the model or drew
        # the figures) starts at its last epoch: the model is only scored
        start = run.model_epoch
        result = train_recipe(recipe, run.engine, seed=run.config.get("seed") or 0,
                              callbacks=[run.callback()], verbose=verbose,
                              model=run.load_model() if start else None, initial_epoch=start)
        write_figures(run, result)
        run.finish(final_metrics(result))
    return run, result


def evaluate(path) -> tuple:
    """``(run, logs, count)``: a run's saved model scored on its recipe's test set of
    ``count`` samples, ``logs`` the loss and metrics by name."""
    from .engines.training import prepare_data
    from .runs import Run

    run = Run.open(path)
    data = prepare_data(run.config["recipe"], run.config.get("seed") or 0)
    logs = run.load_model().evaluate(data["x_test"], data["y_test"], verbose=0,
                                     return_dict=True)
    return run, {k: float(v) for k, v in logs.items()}, len(data["x_test"])


def predict(path, inputs) -> np.ndarray:
    """The outputs of a run's model for raw samples, one row per sample: ``inputs`` is a .csv
    or .npy file (``redes.data.formats.read_samples``) of the recipe's raw inputs, flat rows
    or the recipe's own shape; they go through the run's preprocessing first."""
    from .data.formats import read_samples
    from .engines.training import prepare_data
    from .runs import Run

    run = Run.open(path)
    x = read_samples(inputs)
    data = prepare_data(run.config["recipe"], run.config.get("seed") or 0)
    expected = data["raw"]["x_test"].shape[1:]
    if x.shape[1:] != expected:
        if x.ndim == 2 and int(np.prod(expected)) == x.shape[1]:
            x = x.reshape((len(x), *expected))
        else:
            raise ValueError(_("inputs: expected samples of shape {expected} (one per row), "
                               "got an array of shape {shape}").format(expected=expected,
                                                                       shape=x.shape))
    x, _y = data["preprocessor"].transform(x.astype(np.float32))
    return np.asarray(run.load_model().predict(x, verbose=0)).reshape(len(x), -1)
