"""``run_study``: an Optuna study over a recipe's search space, and what it leaves behind.

::

    <runs>/tune/<study>.db            the study (SQLite, the default storage)
    <runs>/tune/<study>/
        best_recipe.json              the best configuration: `redes train best_recipe.json`
        trials.csv                    one row per trial: number, state, value, parameters...
        study.json                    the summary: objective, best trial, counts
        plots/*.png                   optimization history, parameter importances,
                                      parallel coordinates, intermediate values
        tensorboard/                  one TensorBoard run per trial, with HParams data

Sampling is TPE with a fixed seed; pruning (median or Hyperband) stops bad trials from
their per-epoch validation metric (see ``redes.tune.trial``). Every trial trains with the
same ``seed``, so ``train_recipe(best_recipe, engine, seed)`` reproduces the best score.

A process killed during a trial leaves that trial "running" in the storage. The next
process of the same machine that opens the study marks it failed at once (its recorded
``host:pid`` no longer runs) and queues its point again once; trials of other machines are
left to Optuna's heartbeat (see ``redes.tune.storage``).

The study is opened in ``redes.tune.opening``, its trials run in ``redes.tune.running`` and
what it leaves behind is written by ``redes.tune.results``.
"""

from __future__ import annotations

import copy
from pathlib import Path

from ..i18n import _
from . import storage as storage_module
from .opening import (
    fresh_seed,
    make_pruner,
    most_epochs,
    open_study,
    pruner_spec,
    sampler,
    search_attrs,
)
from .progress import Progress
from .results import FIGURE_CAPTIONS, StudyResult, collect, stored_attrs
from .running import disk_full_errors, optimize, run_workers
from .space import TuneError, check_space, recipe_point, trial_recipe

PRUNERS = ("median", "hyperband", None)


class Interrupted(KeyboardInterrupt):
    """Ctrl+C during ``run_study``. The trials that ended are saved in the study.

    Attributes:
        result: the ``StudyResult`` so far (its files written, without the plots).
        finished: the trials of this call that ended, completed or pruned.
        trials: the trials this call was asked to run.
    """

    def __init__(self, result, finished: int, trials: int):
        super().__init__(result.study_name)
        self.result, self.finished, self.trials = result, finished, trials


# ------------------------------------------------------------------------------- checks
def _check_count(name, value, minimum=1):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise TuneError(_("{name}: expected an integer >= {minimum}, got {value!r}").format(
            name=name, minimum=minimum, value=value))
    return value


def _check_pruner(pruner, workers):
    if pruner == "none":
        return None
    if pruner in PRUNERS:
        return pruner
    import optuna

    if isinstance(pruner, optuna.pruners.BasePruner):
        if workers > 1:
            raise TuneError(_("pruner: with workers > 1 give a pruner by name ('median', "
                              "'hyperband' or None), got {kind}").format(
                kind=type(pruner).__name__))
        return pruner
    raise TuneError(_("pruner: expected 'median', 'hyperband', None or an optuna pruner, "
                      "got {value!r}").format(value=pruner))


def _resolve_recipe(recipe):
    from redes import recipes

    if isinstance(recipe, str):
        try:
            return recipes.get(recipe)
        except recipes.RecipeError as exc:
            raise TuneError(f"recipe: {exc}") from None
    if not isinstance(recipe, dict):
        raise TuneError(_("recipe: expected a recipe name or dict, got {kind}").format(
            kind=type(recipe).__name__))
    return copy.deepcopy(recipe)


def _check_arguments(trials, workers, pruner, engine, seed, epochs, timeout, flags):
    """Check the arguments of ``run_study`` that need no study; returns the pruner (see
    ``_check_pruner``)."""
    from redes.engines import ENGINES

    _check_count("trials", trials)
    _check_count("workers", workers)
    pruner = _check_pruner(pruner, workers)
    if engine not in ENGINES:
        raise TuneError(_("{name}: expected one of {options}, got {value!r}").format(
            name="engine", options=", ".join(ENGINES), value=engine))
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise TuneError(_("{name}: expected an integer in [0, 2**32), got {value!r}").format(
            name="seed", value=seed))
    if epochs is not None:
        _check_count("epochs", epochs)
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not timeout > 0):
        raise TuneError(_("timeout: expected a number of seconds > 0 or None, got "
                          "{value!r}").format(value=timeout))
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise TuneError(_("{name}: expected True or False, got {value!r}").format(
                name=name, value=value))
    return pruner


def _search(recipe, study_name, engine, epochs, seed):
    """``(attrs, study_name)``: what the study is made for (None to join the study
    ``study_name`` with its own recipe) and its name (``"<recipe>-<engine>"`` by default)."""
    if recipe is None:
        if study_name is None:
            raise TuneError(_("recipe: give a recipe, or the study_name of an existing study "
                              "to join"))
        return None, study_name
    recipe = _resolve_recipe(recipe)
    space = check_space(recipe, epochs)
    if study_name is None:
        study_name = f"{recipe['name'].replace(':', '_')}-{engine}"
    return search_attrs(recipe, space, engine, epochs, seed), study_name


def _check_enqueue(enqueue, attrs):
    if enqueue is not None and (not isinstance(enqueue, list)
                                or not all(isinstance(p, dict) for p in enqueue)):
        raise TuneError(_("enqueue: expected a list of {{parameter: value}} dicts, got "
                          "{value!r:.80}").format(value=enqueue))
    for point in enqueue or ():
        if attrs is not None:
            _check_point(attrs, point)


def _check_point(attrs, point):
    unknown = [k for k in point if k not in attrs["search_space"]]
    if unknown:
        raise TuneError(_("enqueue: unknown parameter {name!r}; expected parameters of "
                          "the search space {params}").format(
            name=unknown[0], params=sorted(attrs["search_space"])))
    trial_recipe(attrs["recipe"], point, attrs["epochs"])


def _folder(root, study_name) -> Path:
    from redes.runs import runs_root

    folder = runs_root(root) / "tune" / study_name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_study(recipe, trials: int, engine: str = "numpy", storage=None, study_name=None,
              workers: int = 1, seed: int = 0, pruner="median", epochs=None, timeout=None,
              progress: bool = True, root=None, enqueue=None, include_recipe: bool = True,
              heartbeat_interval: int = 30, plots: bool = True) -> StudyResult:
    """Search a recipe's hyperparameters with Optuna.

    Each trial samples a point of ``recipe["search_space"]`` (TPE sampler seeded with
    ``seed``), applies it with ``redes.recipes.apply_params``, trains it on ``engine`` and
    scores it on validation data (``redes.tune.space.objective_of``: the k-fold mean for
    k-fold recipes). Bad trials are pruned from their per-epoch validation metric. At the end
    the best configuration is written as a recipe JSON file that ``redes train`` accepts,
    with a table of the trials, plots and TensorBoard data (see the module docstring).

    Running the same study name again adds trials to it; several processes (``workers``
    here, or ``redes tune --study NAME --storage postgresql://...`` on other machines) can
    share one study.

    Args:
        recipe: a recipe name or dict with a ``search_space``; ``None`` to join the existing
            study ``study_name`` with its own recipe.
        trials: trials to run (this call, over all its workers).
        engine: ``"numpy"`` or ``"keras"``. Defaults to ``"numpy"``.
        storage: ``None`` for the SQLite file ``<runs>/tune/<study>.db``, a database URL
            (``postgresql://user:password@host:5432/db``, ``sqlite:///file.db``) or a
            ``.db`` path. Defaults to ``None``.
        study_name: the study's name. Defaults to ``"<recipe>-<engine>"``.
        workers: local worker processes sharing the study; the trials are split between
            them. Defaults to ``1`` (this process).
        seed: seed of the sampler and of every trial's training. Defaults to ``0``.
        pruner: ``"median"``, ``"hyperband"``, ``None`` (no pruning) or, with one worker, an
            ``optuna.pruners`` object. Defaults to ``"median"``.
        epochs: train every trial this many epochs (``epochs`` leaves the search space).
            Defaults to ``None`` (the recipe's, or the searched value).
        timeout: stop starting trials after this many seconds. Defaults to ``None``.
        progress: show a progress bar. Defaults to ``True``.
        root: the runs folder. Defaults to ``REDES_RUNS`` or ``./runs``.
        enqueue: points ``{parameter: value}`` to try first. Defaults to ``None``.
        include_recipe: make the first trial of a new study the recipe's own
            configuration (``redes.tune.space.recipe_point``), so the best result is never
            worse than the recipe you started from. Defaults to ``True``.
        heartbeat_interval: seconds between the heartbeats of running trials; a trial whose
            process died is marked failed after twice this time and retried once. Defaults
            to ``30``.
        plots: draw the study's plots at the end. Defaults to ``True``.

    Returns:
        A ``StudyResult``.

    Raises:
        TuneError: a bad argument, a bad search space, an unreachable storage, or a study
            name that exists with another recipe, engine or search space.
        Interrupted: Ctrl+C (a ``KeyboardInterrupt``); the trials that ended are saved.
    """
    pruner = _check_arguments(trials, workers, pruner, engine, seed, epochs, timeout,
                              {"progress": progress, "plots": plots,
                               "include_recipe": include_recipe})
    attrs, study_name = _search(recipe, study_name, engine, epochs, seed)
    study_name = storage_module.check_study_name(study_name)
    url = storage_module.resolve(storage, study_name, root)
    _check_enqueue(enqueue, attrs)

    with disk_full_errors(url):   # a full disk: a clear error, the trials kept
        study, created = open_study(url, study_name, attrs, seed, None, heartbeat_interval)
        attrs = stored_attrs(study)
        spec = pruner_spec(pruner, trials, most_epochs(attrs["recipe"], attrs["search_space"],
                                                       attrs["epochs"]))
        sampler_seed = seed if created else fresh_seed()
        study.sampler = sampler(sampler_seed)
        study.pruner = make_pruner(spec)
        before = len(study.trials)     # the trials of this call come after (enqueued too)
        points = list(enqueue or ())
        if created and include_recipe:
            own = recipe_point(attrs["recipe"], attrs["search_space"])
            points = ([own] if own else []) + points
        for point in points:
            _check_point(attrs, point)
            study.enqueue_trial(point, skip_if_exists=True)
        folder = _folder(root, study_name)
        from .tracking import write_experiment

        write_experiment(folder / "tensorboard", attrs["search_space"],
                         attrs["objective"]["name"])
        try:
            with Progress(progress, trials, attrs["objective"]) as bar:
                if workers == 1:
                    optimize(study, attrs, folder, trials, timeout, [bar.callback])
                else:
                    run_workers(url, study_name, folder, trials, workers, timeout, sampler_seed,
                                spec, heartbeat_interval, study, before, bar)
        except KeyboardInterrupt:   # keep what is done: the best recipe so far, the table
            result = collect(study, url, folder, figures=False)
            ended = [t.state.name for t in study.get_trials(deepcopy=False)[before:]]
            raise Interrupted(result, ended.count("COMPLETE") + ended.count("PRUNED"),
                              trials) from None
        return collect(study, url, folder, figures=plots)


def load(study_name: str, storage=None, root=None) -> StudyResult:
    """The ``StudyResult`` of an existing study, its files rewritten.

    Args:
        study_name: the study's name.
        storage: its storage (see ``run_study``). Defaults to the SQLite file in the runs
            folder.
        root: the runs folder. Defaults to ``REDES_RUNS`` or ``./runs``.
    """
    study_name = storage_module.check_study_name(study_name)
    if storage is None:
        from redes.runs import runs_root

        db = runs_root(root) / "tune" / f"{study_name}.db"
        if not db.is_file():
            raise TuneError(_("study_name: no study {name!r}: {path} does not exist").format(
                name=study_name, path=db))
    url = storage_module.resolve(storage, study_name, root)
    study, _created = open_study(url, study_name, None, None, None, 30)
    return collect(study, url, _folder(root, study_name))


def figures(study_name: str, storage=None, root=None) -> list[Path]:
    """The PNG plots of a study, for the HTML report: drawn again from its storage when it
    can be opened, else the files already in ``<runs>/tune/<study>/plots``.

    Captions: ``FIGURE_CAPTIONS[path.stem]``.
    """
    try:
        return load(study_name, storage, root).figures
    except TuneError:
        from redes.runs import runs_root

        folder = runs_root(root) / "tune" / study_name / "plots"
        return [folder / f"{n}.png" for n in FIGURE_CAPTIONS if (folder / f"{n}.png").exists()]
