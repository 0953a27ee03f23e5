"""Studies shared through PostgreSQL: several processes (as on several machines) run one
study, every trial is recorded once, and a worker killed mid-trial leaves its trial marked
failed and queued again, the study still usable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

optuna = pytest.importorskip("optuna")

from redes.tune import run_study  # noqa: E402
from redes.tune.storage import open_storage, resolve  # noqa: E402

WORKER = """
import json, sys
from redes.tune import run_study
run_study(**json.loads(sys.argv[1]))
"""


def _trials(storage, name):
    return optuna.load_study(study_name=name, storage=storage).get_trials()


def _new_database(postgres_url, name) -> str:
    """The URL of a new, empty database on the test server."""
    import psycopg2

    server = postgres_url.rsplit("/", 1)[0]
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    return f"{server}/{name}"


def test_two_workers_share_one_study_and_another_process_joins_it(postgres_url):
    shared = {"storage": postgres_url, "study_name": "shared", "progress": False,
              "plots": False}
    first = run_study("boston", trials=4, workers=2, epochs=2, **shared)
    assert sorted(r["number"] for r in first.trials) == [0, 1, 2, 3]
    assert len({r["worker"] for r in first.trials}) == 2          # two processes
    assert first.storage.startswith("postgresql+psycopg2://redes@127.0.0.1:")
    # another process (as on another machine) joins with the study name only
    joined = run_study(None, trials=2, **shared)
    assert joined.recipe["name"] == "boston"
    trials = _trials(open_storage(resolve(postgres_url, "shared")), "shared")
    numbers = [t.number for t in trials]
    assert sorted(numbers) == list(range(6)) and len(set(numbers)) == 6
    assert all(t.state.is_finished() for t in trials)
    assert len({t.user_attrs["worker"] for t in trials}) == 3


def test_a_worker_killed_mid_trial_leaves_its_trial_failed_and_retried(postgres_url):
    # a new database: the two workers also race to create its tables, which must work
    url = _new_database(postgres_url, "killing")
    job = {"recipe": "boston", "storage": url, "study_name": "killed", "epochs": 30,
           "pruner": None, "progress": False, "plots": False, "heartbeat_interval": 2}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, json.dumps({**job, "trials": n})],
                                stderr=subprocess.PIPE, text=True) for n in (4, 2)]
    victim, survivor = workers
    storage = open_storage(resolve(url, "killed"))
    killed = None
    deadline = time.monotonic() + 90
    while killed is None and time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            running = [t for t in _trials(storage, "killed")
                       if t.state.name == "RUNNING"
                       and t.user_attrs.get("worker", "").endswith(f":{victim.pid}")]
        except KeyError:       # the study is not created yet
            continue
        if running:
            os.kill(victim.pid, signal.SIGKILL)
            killed = running[0]
    assert killed is not None, "the first worker never ran a trial"
    victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    _, errors = survivor.communicate(timeout=180)
    assert survivor.returncode == 0, errors

    time.sleep(4.5)            # past the grace period (2 heartbeats) in any case
    after = run_study(None, trials=1, storage=url, study_name="killed", pruner=None,
                      progress=False, plots=False, heartbeat_interval=2)
    trials = {t.number: t for t in _trials(storage, "killed")}
    assert trials[killed.number].state.name == "FAIL"
    retries = [t for t in trials.values()
               if t.system_attrs.get("failed_trial") == killed.number]
    assert len(retries) == 1 and retries[0].params == killed.params
    assert retries[0].state.name == "COMPLETE"
    assert not [t for t in trials.values() if t.state.name in ("RUNNING", "WAITING")]
    assert sorted(trials) == list(range(len(trials)))
    assert after.best is not None and after.counts()["FAIL"] == 1
