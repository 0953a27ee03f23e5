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
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import math
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

from ..i18n import _
from . import storage as storage_module
from .results import FIGURE_CAPTIONS, StudyResult, collect, stored_attrs
from .space import TuneError, check_space, objective_of, recipe_point, trial_recipe

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


def _max_epochs(recipe, space, epochs):
    if epochs is not None:
        return epochs
    if "epochs" in space:
        return int(space["epochs"]["high"] if space["epochs"]["type"] != "choice"
                   else max(space["epochs"]["values"]))
    return recipe["fit"]["epochs"]


def pruner_spec(pruner, trials: int, max_epochs: int):
    """The pruner of a study as a JSON-ready spec (for worker processes).

    The median pruner prunes nothing until ``min(5, max(2, trials // 2))`` trials have
    completed (Optuna's default is 5; a short study of 8 trials waits for 4, one of 3 for
    2), and never before epoch ``max(3, max_epochs // 10) + 1``: the first epochs of every
    trial are noisy, and a trial is compared with the median of the completed trials at the
    same epoch. Hyperband uses ``max(1, max_epochs // 10)`` epochs as its smallest budget,
    ``max_epochs`` as the largest, and keeps a third of the trials at each rung.
    """
    if pruner is None or not isinstance(pruner, str):
        return pruner
    if pruner == "median":
        return {"name": "median", "n_startup_trials": min(5, max(2, trials // 2)),
                "n_warmup_steps": max(3, max_epochs // 10)}
    return {"name": "hyperband", "min_resource": max(1, max_epochs // 10),
            "max_resource": max_epochs, "reduction_factor": 3}


def _make_pruner(spec):
    import optuna

    if spec is None:
        return optuna.pruners.NopPruner()
    if isinstance(spec, optuna.pruners.BasePruner):
        return spec
    kwargs = {k: v for k, v in spec.items() if k != "name"}
    if spec["name"] == "median":
        return optuna.pruners.MedianPruner(**kwargs)
    return optuna.pruners.HyperbandPruner(**kwargs)


def _sampler(seed):
    import optuna

    return optuna.samplers.TPESampler(seed=seed, constant_liar=True)


# -------------------------------------------------------------------------------- study
def _attrs(recipe, space, engine, epochs, seed) -> dict:
    return {"recipe": recipe, "search_space": space, "engine": engine, "epochs": epochs,
            "seed": seed, "objective": objective_of(recipe)}


def _open_study(url, name, attrs, sampler_seed, pruner, heartbeat_interval):
    """Create the study, or load it and check that it was made for the same search
    (``attrs=None`` only loads). Returns ``(study, created)``."""
    import optuna

    st = storage_module.open_storage(url, heartbeat_interval)
    if attrs is not None:
        try:
            study = optuna.create_study(storage=st, study_name=name,
                                        direction=attrs["objective"]["direction"],
                                        sampler=_sampler(sampler_seed),
                                        pruner=_make_pruner(pruner))
            study.set_user_attr("redes", attrs)
            return study, True
        except optuna.exceptions.DuplicatedStudyError:
            pass
    try:
        study = optuna.load_study(study_name=name, storage=st, sampler=_sampler(sampler_seed),
                                  pruner=_make_pruner(pruner))
    except KeyError:
        raise TuneError(_("study_name: no study {name!r} in {url}; give a recipe to create "
                          "it").format(name=name, url=storage_module.mask(url))) from None
    if attrs is not None:
        _compare(name, url, stored_attrs(study), attrs)
    fail_dead_trials(study, st)
    return study, False


def fail_dead_trials(study, storage) -> list[int]:
    """Mark failed the running trials of ``study`` whose process ran on this machine and
    no longer exists (killed), and queue each one's point again once, as Optuna's heartbeat
    does after ``2 * heartbeat_interval`` seconds. Returns the numbers of those trials."""
    import optuna
    from optuna.trial import TrialState

    from redes._base.files import pid_alive

    host = socket.gethostname()
    failed = []
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        worker_host, _colon, pid = str(trial.user_attrs.get("worker", "")).rpartition(":")
        if worker_host != host or not pid.isdigit() or pid_alive(int(pid)):
            continue
        with contextlib.suppress(optuna.exceptions.UpdateFinishedTrialError):
            if storage.set_trial_state_values(trial._trial_id, state=TrialState.FAIL):
                failed.append(trial)
    # Optuna 4.9 renamed the getter of the retry callback (see storage.open_storage)
    getter = (getattr(storage, "get_heartbeat_stale_trial_callback", None)
              or storage.get_failed_trial_callback)
    retry = getter()
    if retry is not None:
        for trial in failed:
            retry(study, copy.deepcopy(storage.get_trial(trial._trial_id)))
    return [trial.number for trial in failed]


@contextlib.contextmanager
def _disk_full_errors(url):
    """A full disk under the study's database (SQLite says "database or disk is full",
    which Optuna may wrap in its own errors) or under its files becomes a ``DiskFullError``
    naming the file and saying that the finished trials are kept."""
    from redes.runs import DiskFullError

    try:
        yield
    except Exception as exc:
        where = _full_disk_in(exc, url)
        if where is None:
            raise
        raise DiskFullError(where, _("Free some space and run the same command again to "
                                     "continue it."),
                            kept=_("the study keeps every finished trial")) from exc


def _full_disk_in(exc, url) -> str | None:
    """The file (or database) that a full disk stopped, if ``exc`` or an error it comes
    from says so, else None."""
    from redes._base.files import disk_full

    database = (url.removeprefix("sqlite:///") if url.startswith("sqlite:///")
                else storage_module.mask(url))
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if disk_full(exc):
            return exc.filename or database
        text = str(exc).lower()
        if "database or disk is full" in text or "no space left" in text:
            return database
        exc = exc.__cause__ or exc.__context__
    return None


def _compare(name, url, stored, attrs):
    where = storage_module.mask(url)
    if stored["search_space"] != attrs["search_space"]:
        keys = sorted(set(stored["search_space"]) | set(attrs["search_space"]))
        diff = [k for k in keys if stored["search_space"].get(k) != attrs["search_space"].get(k)]
        raise TuneError(
            _("study_name: the study {name!r} in {where} was created with another search "
              "space (differs in {keys}: stored {stored}, given {given}); use another study "
              "name or the same search space").format(
                name=name, where=where, keys=", ".join(diff),
                stored={k: stored["search_space"].get(k) for k in diff},
                given={k: attrs["search_space"].get(k) for k in diff}))
    for key in ("engine", "epochs", "seed"):
        if stored[key] != attrs[key]:
            raise TuneError(_("{key}: the study {name!r} in {where} was created with "
                              "{key}={stored!r}, got {given!r}; use the same value "
                              "or another study name").format(
                key=key, name=name, where=where, stored=stored[key], given=attrs[key]))
    if stored["recipe"] != attrs["recipe"]:
        raise TuneError(_("recipe: the study {name!r} in {where} was created for another "
                          "recipe ({recipe!r} with other settings); use the "
                          "same recipe or another study name").format(
            name=name, where=where, recipe=stored["recipe"]["name"]))


class _QuietTrialLogs(logging.Filter):
    """Optuna logs a failed trial with its traceback. A trial stopped by a full disk stops
    the study, and ``redes tune`` says so once, clearly, without it; a trial stopped by
    Ctrl+C is not logged at all (``redes tune`` says in one line what was saved)."""

    def __init__(self):
        super().__init__()
        self.interrupted: set[str] = set()    # "Trial 7 " of the trials Ctrl+C stopped

    def filter(self, record) -> bool:
        message = record.getMessage()
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, KeyboardInterrupt):
            self.interrupted.add(message.split("failed", 1)[0])
            return False
        if message.split("failed", 1)[0] in self.interrupted:   # "Trial 7 failed with value"
            return False
        if exc is not None and _full_disk_in(exc, "") is not None:
            record.exc_info = None
        return True


def optimize(study, attrs, folder, trials, timeout=None, callbacks=()):
    """Run ``trials`` trials of ``study`` in this process (what each worker does)."""
    import optuna

    from .trial import Objective

    trial_logger = logging.getLogger("optuna.study._optimize")
    if not any(isinstance(f, _QuietTrialLogs) for f in trial_logger.filters):
        trial_logger.addFilter(_QuietTrialLogs())

    logdir = Path(folder) / "tensorboard"
    objective = Objective(attrs["recipe"], attrs["search_space"], attrs["engine"],
                          attrs["seed"], attrs["epochs"], logdir)
    storage_module.quiet_optuna_logs()
    finished = []    # the trials this process ran to the end

    def count(study, trial):
        finished.append(trial.number)

    deadline = None if timeout is None else time.monotonic() + timeout
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        while len(finished) < trials:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            try:
                study.optimize(objective, n_trials=trials - len(finished), timeout=left,
                               callbacks=[*callbacks, count], gc_after_trial=False)
                break
            except ValueError as exc:
                # The trial ended elsewhere: a worker paused longer than the heartbeat
                # grace finds its trial marked failed (and retried by another worker). Its
                # run is not counted: it goes on with the trials it still owes the study.
                if not str(exc).startswith("Cannot tell a"):
                    raise


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
    from redes.engines import ENGINES

    _check_count("trials", trials)
    workers = _check_count("workers", workers)
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
    for name, value in (("progress", progress), ("plots", plots),
                        ("include_recipe", include_recipe)):
        if not isinstance(value, bool):
            raise TuneError(_("{name}: expected True or False, got {value!r}").format(
                name=name, value=value))
    if recipe is None:
        if study_name is None:
            raise TuneError(_("recipe: give a recipe, or the study_name of an existing study "
                              "to join"))
        attrs = None
    else:
        recipe = _resolve_recipe(recipe)
        space = check_space(recipe, epochs)
        attrs = _attrs(recipe, space, engine, epochs, seed)
        if study_name is None:
            study_name = f"{recipe['name'].replace(':', '_')}-{engine}"
    study_name = storage_module.check_study_name(study_name)
    url = storage_module.resolve(storage, study_name, root)
    if enqueue is not None and (not isinstance(enqueue, list)
                                or not all(isinstance(p, dict) for p in enqueue)):
        raise TuneError(_("enqueue: expected a list of {{parameter: value}} dicts, got "
                          "{value!r:.80}").format(value=enqueue))
    for point in enqueue or ():
        if attrs is not None:
            _check_point(attrs, point)

    with _disk_full_errors(url):   # a full disk: a clear error, the trials kept
        study, created = _open_study(url, study_name, attrs, seed, None, heartbeat_interval)
        attrs = stored_attrs(study)
        spec = pruner_spec(pruner, trials, _max_epochs(attrs["recipe"], attrs["search_space"],
                                                       attrs["epochs"]))
        sampler_seed = seed if created else _fresh_seed()
        study.sampler = _sampler(sampler_seed)
        study.pruner = _make_pruner(spec)
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
            with _Progress(progress, trials, attrs["objective"]) as bar:
                if workers == 1:
                    optimize(study, attrs, folder, trials, timeout, [bar.callback])
                else:
                    _run_workers(url, study_name, folder, trials, workers, timeout, sampler_seed,
                                 spec, heartbeat_interval, study, before, bar)
        except KeyboardInterrupt:   # keep what is done: the best recipe so far, the table
            result = collect(study, url, folder, figures=False)
            ended = [t.state.name for t in study.get_trials(deepcopy=False)[before:]]
            raise Interrupted(result, ended.count("COMPLETE") + ended.count("PRUNED"),
                              trials) from None
        return collect(study, url, folder, figures=plots)


def _fresh_seed() -> int:
    """A sampler seed for a process that joins a study, so that it does not propose the
    same points as the process that created it."""
    import numpy as np

    return int(np.random.SeedSequence().entropy % 2**32)


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


def _run_workers(url, study_name, folder, trials, workers, timeout, sampler_seed, spec,
                 heartbeat_interval, study, before, bar):
    """Start ``workers`` processes (``python -m redes.tune.worker``) on the same storage,
    each running its share of ``trials``, and show their progress.

    A worker ends when its standard input closes: this process keeps it open until the
    worker is done, and the system closes it when this process ends, even killed (see
    ``redes.tune.worker``). SIGTERM ends the study as Ctrl+C does: it is passed on to the
    workers, which end at once; their running trials are marked failed (and queued again),
    and ``Interrupted`` says what was kept."""
    shares = [trials // workers + (i < trials % workers) for i in range(workers)]
    processes = []
    stopping = []      # the SIGTERM received

    def terminate(signum, frame):
        # KeyboardInterrupt is raised by the loop below, not here: raised in the middle of
        # a read of the study it would break that read instead of stopping the study
        for p in processes:
            p.send_signal(signal.SIGTERM)     # nothing if it has ended
        stopping.append(signum)

    in_main = threading.current_thread() is threading.main_thread()  # handlers live there
    previous = signal.signal(signal.SIGTERM, terminate) if in_main else None
    try:
        for i, share in enumerate(s for s in shares if s):
            if stopping:
                break
            job = {"storage": url, "study_name": study_name, "folder": str(folder),
                   "trials": share, "timeout": timeout,
                   "sampler_seed": (sampler_seed + i) % 2**32, "pruner": spec,
                   "heartbeat_interval": heartbeat_interval}
            process = subprocess.Popen([sys.executable, "-m", "redes.tune.worker"],
                                       stdin=subprocess.PIPE, text=True)
            process.stdin.write(json.dumps(job) + "\n")
            process.stdin.flush()
            processes.append(process)
        while not stopping and any(p.poll() is None for p in processes):
            bar.poll(study, before)
            time.sleep(0.5)
        if stopping:
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        # Ctrl+C in a terminal reaches the workers too; a SIGINT sent to this process
        # alone is passed on to the workers still running a moment later
        for p in processes:
            try:
                p.wait(timeout=2)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGINT)
        for p in processes:
            p.wait()
        fail_dead_trials(study, study._storage)
        bar.poll(study, before)
        raise
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
        for p in processes:
            with contextlib.suppress(OSError):
                p.stdin.close()
    bar.poll(study, before)
    failed = [(i, p.returncode) for i, p in enumerate(processes) if p.returncode]
    if failed:
        raise TuneError(_("workers: worker {number} exited with code {code} (its message is "
                          "above); the trials of the other workers are saved").format(
                              number=failed[0][0], code=failed[0][1]))


class _Progress:
    """A rich progress bar of the trials (or nothing when ``enabled`` is False)."""

    def __init__(self, enabled, total, objective):
        self.enabled, self.total, self.objective = enabled, total, objective
        self.progress = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(TextColumn(_("trials")), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TextColumn("{task.description}"))
            self.progress.start()
            self.task = self.progress.add_task("", total=self.total)
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()

    def _show(self, done, trials):
        if self.progress is None:
            return
        states = [t.state.name for t in trials]
        values = [t.value for t in trials if t.state.name == "COMPLETE"
                  and t.value is not None and math.isfinite(t.value)]
        best = (min if self.objective["direction"] == "minimize" else max)(values) \
            if values else None
        text = ""
        if best is not None:
            text = _("best {objective} {value:.4g}").format(objective=self.objective["name"],
                                                            value=best)
        text += "  " + _("pruned {pruned}  failed {failed}").format(
            pruned=states.count("PRUNED"), failed=states.count("FAIL"))
        self.progress.update(self.task, completed=min(done, self.total), description=text)

    def callback(self, study, trial):
        trials = study.get_trials(deepcopy=False)
        self._show(self.progress.tasks[0].completed + 1 if self.progress else 0, trials)

    def poll(self, study, before):
        if self.progress is None:
            return
        trials = study.get_trials(deepcopy=False)
        finished = [t for t in trials[before:] if t.state.is_finished()]
        self._show(len(finished), trials)


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
    study, _created = _open_study(url, study_name, None, None, None, 30)
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
