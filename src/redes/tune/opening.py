"""Opening the Optuna study of a search: creating it, or joining it after checking that it
was made for the same search; its sampler (TPE with a seed) and its pruner (median or
Hyperband, sized to the study); and failing the trials that killed processes left running.

The study keeps what it was made for (the recipe, the search space, the engine, the epochs,
the seed and the objective) in its user attribute ``"redes"``.
"""

from __future__ import annotations

import contextlib
import copy
import socket

from ..i18n import _
from . import storage as storage_module
from .results import stored_attrs
from .space import TuneError, objective_of


# ------------------------------------------------------------------------ sampler, pruner
def most_epochs(recipe, space, epochs):
    """The most epochs a trial trains: ``epochs``, else the top of the searched
    ``epochs``, else the recipe's."""
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


def make_pruner(spec):
    """The Optuna pruner of a ``pruner_spec`` (or an Optuna pruner, kept)."""
    import optuna

    if spec is None:
        return optuna.pruners.NopPruner()
    if isinstance(spec, optuna.pruners.BasePruner):
        return spec
    kwargs = {k: v for k, v in spec.items() if k != "name"}
    if spec["name"] == "median":
        return optuna.pruners.MedianPruner(**kwargs)
    return optuna.pruners.HyperbandPruner(**kwargs)


def sampler(seed):
    """The sampler of a study: TPE seeded with ``seed`` (with ``constant_liar``, for trials
    that run at the same time)."""
    import optuna

    return optuna.samplers.TPESampler(seed=seed, constant_liar=True)


# ------------------------------------------------------------------------------- study
def search_attrs(recipe, space, engine, epochs, seed) -> dict:
    """What a study is made for, kept in its user attribute ``"redes"``."""
    return {"recipe": recipe, "search_space": space, "engine": engine, "epochs": epochs,
            "seed": seed, "objective": objective_of(recipe)}


def open_study(url, name, attrs, sampler_seed, pruner, heartbeat_interval):
    """Create the study, or load it and check that it was made for the same search
    (``attrs=None`` only loads). Returns ``(study, created)``."""
    import optuna

    st = storage_module.open_storage(url, heartbeat_interval)
    if attrs is not None:
        try:
            study = optuna.create_study(storage=st, study_name=name,
                                        direction=attrs["objective"]["direction"],
                                        sampler=sampler(sampler_seed),
                                        pruner=make_pruner(pruner))
            study.set_user_attr("redes", attrs)
            return study, True
        except optuna.exceptions.DuplicatedStudyError:
            pass
    try:
        study = optuna.load_study(study_name=name, storage=st, sampler=sampler(sampler_seed),
                                  pruner=make_pruner(pruner))
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


def fresh_seed() -> int:
    """A sampler seed for a process that joins a study, so that it does not propose the
    same points as the process that created it."""
    import numpy as np

    return int(np.random.SeedSequence().entropy % 2**32)
