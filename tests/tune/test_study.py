"""Tiny studies: the best recipe trains and reproduces its score, pruning prunes, studies
continue and refuse to mix searches, local workers share a study, errors are clear."""

from __future__ import annotations

import json
import math
import os
import signal
import threading
import time

import pytest

optuna = pytest.importorskip("optuna")

from redes import recipes  # noqa: E402
from redes.engines.training import train_recipe  # noqa: E402
from redes.tune import FIGURE_CAPTIONS, TuneError, check_space, figures, load, run_study  # noqa: E402  # noqa: E402
from redes.tune.space import recipe_point  # noqa: E402

GOOD = {"learning_rate": 0.005, "units": 64, "layers": 2, "dropout": 0.0, "l2": 1e-5,
        "batch_size": 16, "optimizer": "rmsprop"}
GOOD_TOO = {**GOOD, "units": 32}
BAD = {"learning_rate": 1e-4, "units": 16, "layers": 1, "dropout": 0.3, "l2": 1e-2,
       "batch_size": 64, "optimizer": "rmsprop"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A 4-trial study of Boston housing (k-fold), 4 epochs per trial, no pruning."""
    root = tmp_path_factory.mktemp("runs")
    return run_study("boston", trials=4, epochs=4, pruner=None, progress=False, root=root)


def test_a_tiny_study_records_every_trial(tiny):
    assert [r["number"] for r in tiny.trials] == [0, 1, 2, 3]
    recipe = recipes.get("boston")
    assert tiny.trials[0]["params"] == recipe_point(recipe, check_space(recipe, epochs=4))
    assert tiny.counts() == {"COMPLETE": 4}
    assert all(r["epochs_trained"] == 4 * 4 for r in tiny.trials)    # 4 folds x 4 epochs
    assert tiny.epochs_trained() == 64
    values = [r["value"] for r in tiny.trials]
    assert tiny.best["value"] == min(values)
    assert tiny.objective == {"name": "kfold_val_mae", "monitor": "val_mae",
                              "direction": "minimize"}
    assert all(math.isfinite(v) and 0 < v < 30 for v in values)
    lines = (tiny.folder / "trials.csv").read_text().splitlines()
    assert len(lines) == 5 and lines[0].startswith("number,state,value,batch_size")
    summary = json.loads((tiny.folder / "study.json").read_text())
    assert summary["best"]["number"] == tiny.best["number"]


def test_the_best_recipe_reproduces_the_best_score(tiny):
    recipe = json.loads(tiny.best_recipe_path.read_text())
    assert recipe == tiny.best_recipe
    assert recipe["name"] == "boston_tuned" and "variants" not in recipe
    assert recipe["fit"]["epochs"] == 4 and recipe["evaluation"]["retrain_epochs"] == 4
    recipes.validate(recipe)
    again = train_recipe(recipe, "numpy", seed=0).measures()["kfold_val_mae"]
    assert again == pytest.approx(tiny.best["value"], rel=1e-6)


def test_the_best_recipe_file_trains_with_redes_train(tiny, tmp_path):
    from typer.testing import CliRunner

    from redes.cli import app

    out = CliRunner().invoke(app, ["train", str(tiny.best_recipe_path), "--epochs", "2",
                                   "--runs", str(tmp_path), "--verbose", "0"])
    assert out.exit_code == 0, out.output
    assert [p.name.split("-")[0] for p in tmp_path.iterdir()] == ["boston_tuned"]


def test_the_study_plots_are_png_files(tiny):
    assert [p.stem for p in tiny.figures] == list(FIGURE_CAPTIONS)
    for path in tiny.figures:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
    again = figures(tiny.study_name, root=tiny.folder.parent.parent)
    assert [p.name for p in again] == [p.name for p in tiny.figures]


def test_running_a_study_again_adds_trials(runs_folder):
    first = run_study("boston", trials=1, epochs=1, progress=False, plots=False)
    more = run_study("boston", trials=1, epochs=1, progress=False, plots=False)
    assert first.study_name == more.study_name == "boston-numpy"
    assert [r["number"] for r in more.trials] == [0, 1]
    assert (runs_folder / "tune" / "boston-numpy.db").is_file()
    assert len(load("boston-numpy").trials) == 2


def test_pruning_stops_a_deliberately_bad_trial():
    kwargs = {"trials": 3, "epochs": 10, "progress": False, "plots": False,
              "enqueue": [GOOD, GOOD_TOO, BAD], "include_recipe": False}
    pruned = run_study("boston", study_name="pruned", pruner="median", **kwargs)
    full = run_study("boston", study_name="full", pruner=None, **kwargs)
    bad = pruned.trials[2]
    assert bad["state"] == "PRUNED" and bad["params"] == BAD
    assert 1 <= bad["epochs_trained"] < 10                 # stopped in its first fold
    assert [r["state"] for r in full.trials] == ["COMPLETE"] * 3
    assert full.trials[2]["value"] > 2 * full.trials[0]["value"]   # it was bad indeed
    assert full.trials[2]["epochs_trained"] == 40
    assert pruned.epochs_trained() < full.epochs_trained() - 30
    assert pruned.best["value"] == pytest.approx(full.best["value"])


def test_a_holdout_study_scores_validation_data_only():
    result = run_study("gaussian_quantiles", trials=2, epochs=3, pruner=None, progress=False,
                       plots=False)
    assert result.objective["name"] == "val_accuracy"
    assert result.objective["direction"] == "maximize"
    assert all(0 <= r["value"] <= 1 for r in result.trials)
    assert result.best["value"] == max(r["value"] for r in result.trials)
    # the tuner held out 20% of the training data; the best recipe keeps the original fit
    assert "validation_split" not in result.best_recipe["fit"]


def test_local_workers_share_one_study():
    result = run_study("boston", trials=4, epochs=2, workers=2, progress=False, plots=False)
    assert sorted(r["number"] for r in result.trials) == [0, 1, 2, 3]
    assert result.counts().get("COMPLETE", 0) + result.counts().get("PRUNED", 0) == 4
    assert len({r["worker"] for r in result.trials}) == 2


# --------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("kwargs, message", [
    ({"trials": 0}, "trials: expected an integer >= 1, got 0"),
    ({"workers": 0}, "workers: expected an integer >= 1, got 0"),
    ({"engine": "torch"}, "engine: expected one of numpy, keras, got 'torch'"),
    ({"pruner": "random"}, "pruner: expected 'median', 'hyperband', None"),
    ({"epochs": 0}, "epochs: expected an integer >= 1, got 0"),
    ({"timeout": -1}, "timeout: expected a number of seconds > 0"),
    ({"seed": -1}, "seed: expected an integer"),
    ({"study_name": "a b"}, "study_name: expected 1 to 100 letters"),
    ({"storage": "mongodb://host/db"}, "storage: expected a URL starting with one of"),
    ({"storage": "study"}, "storage: expected a database URL"),
    *[({"storage": url}, f"storage: '{url}' names no database file")
      for url in ("sqlite://", "sqlite:///", "sqlite:///:memory:")],
    ({"enqueue": [{"momentum": 0.9}]}, "enqueue: unknown parameter 'momentum'"),
    ({"recipe": "bostn"}, "Did you mean 'boston'"),
])
def test_bad_arguments_are_refused_naming_them(kwargs, message):
    args = {"recipe": "boston", "trials": 1, "epochs": 1, "progress": False, "plots": False,
            **kwargs}
    with pytest.raises(TuneError, match=message.replace("(", r"\(")):
        run_study(**args)


def test_an_unreachable_storage_fails_fast_with_a_clear_message(unused_port):
    pytest.importorskip("psycopg2")
    url = f"postgresql://redes:secret@127.0.0.1:{unused_port}/tune"
    start = time.perf_counter()
    with pytest.raises(TuneError) as info:
        run_study("boston", trials=1, epochs=1, storage=url, progress=False)
    assert time.perf_counter() - start < 10
    message = str(info.value)
    assert "storage: cannot open postgresql+psycopg2://redes:***@127.0.0.1" in message
    assert "secret" not in message and "server runs" in message


def test_a_study_name_with_another_search_space_is_refused():
    run_study("boston", trials=1, epochs=1, study_name="s", progress=False, plots=False)
    recipe = recipes.get("boston")
    recipe["search_space"]["units"] = {"type": "choice", "values": [8, 16]}
    with pytest.raises(TuneError, match=r"created with another search space \(differs in "
                                        r"units"):
        run_study(recipe, trials=1, epochs=1, study_name="s", progress=False)
    with pytest.raises(TuneError, match="engine: the study 's' .* was created with "
                                        "engine='numpy', got 'keras'"):
        run_study("boston", trials=1, epochs=1, study_name="s", engine="keras", progress=False)
    with pytest.raises(TuneError, match="epochs: .* created with epochs=1, got 2"):
        run_study("boston", trials=1, epochs=2, study_name="s", progress=False)


def test_joining_needs_an_existing_study():
    with pytest.raises(TuneError, match="give a recipe, or the study_name"):
        run_study(None, trials=1)
    with pytest.raises(TuneError, match="no study 'nothing'"):
        run_study(None, trials=1, study_name="nothing", progress=False)
    with pytest.raises(TuneError, match="no study 'nothing'"):
        load("nothing")


def test_a_cursor_left_open_by_ctrl_c_is_not_logged(tmp_path, caplog):
    # Ctrl+C in the middle of a read of the study: SQLAlchemy cannot close the cursor and
    # logs that with a traceback, which `redes tune`'s one line about what was saved
    # replaces; any other error of the connection pool is still logged
    import logging
    import sqlite3

    from redes.tune.storage import open_storage, resolve

    logger = open_storage(resolve(str(tmp_path / "s.db"), "x")).engine.pool.logger

    def close_fails(interrupted):
        try:
            try:
                if interrupted:
                    raise KeyboardInterrupt
            finally:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        except sqlite3.ProgrammingError:
            logger.error("Error closing cursor", exc_info=True)

    with caplog.at_level(logging.ERROR, logger=logger.name):
        close_fails(interrupted=True)
        assert caplog.records == []
        close_fails(interrupted=False)
        assert [r.getMessage() for r in caplog.records] == ["Error closing cursor"]


def test_processes_creating_a_new_study_file_at_once_all_succeed(tmp_path):
    import subprocess
    import sys

    code = ("from redes.tune.storage import open_storage, resolve; "
            f"open_storage(resolve({str(tmp_path / 'new.db')!r}, 'x')); print('ok')")
    processes = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [p.communicate(timeout=120) for p in processes]
    assert [out.strip() for out, _ in results] == ["ok"] * 3, [err for _, err in results]


def test_a_worker_whose_trial_ended_elsewhere_goes_on_with_its_trials(monkeypatch, tmp_path):
    """A worker paused past the heartbeat grace finds its trial marked failed and cannot
    record it (optuna: "Cannot tell a FAIL trial"). It then runs the trials it still owes
    instead of failing the study."""
    from redes.tune import study as study_module
    from redes.tune import trial as trial_module

    monkeypatch.setattr(trial_module, "Objective", lambda *args: None)
    asked = []

    class Racing:
        """Finishes one trial, then loses the next to the other worker, then runs the rest."""

        def optimize(self, objective, n_trials, timeout, callbacks, gc_after_trial):
            asked.append(n_trials)
            if len(asked) == 1:
                callbacks[-1](self, type("T", (), {"number": 0}))
                raise ValueError("Cannot tell a FAIL trial.")
            for number in range(n_trials):
                callbacks[-1](self, type("T", (), {"number": 10 + number}))

    attrs = {"recipe": "boston", "search_space": {}, "engine": "numpy", "seed": 0,
             "epochs": 1}
    study_module.optimize(Racing(), attrs, tmp_path, trials=3)
    assert asked == [3, 2]

    class Broken(Racing):
        def optimize(self, *args, **kwargs):
            raise ValueError("something else")

    with pytest.raises(ValueError, match="something else"):
        study_module.optimize(Broken(), attrs, tmp_path, trials=3)


def test_processes_taking_queued_trials_at_once_never_take_the_same(tmp_path):
    """SQLite has no row locks: without BEGIN IMMEDIATE two workers both read "waiting" and
    run the same queued trial (seen in most runs of this test before the lock)."""
    import subprocess
    import sys

    from redes.tune.storage import open_storage, resolve

    url = resolve(str(tmp_path / "queue.db"), "q")
    study = optuna.create_study(study_name="q", storage=open_storage(url))
    for x in range(30):
        study.enqueue_trial({"x": x})
    start = time.time() + 4     # both processes ready: they start popping together
    code = ("import time, optuna; from redes.tune.storage import open_storage; "
            f"study = optuna.load_study(study_name='q', storage=open_storage({url!r})); "
            f"[None for _ in iter(lambda: time.time() < {start}, False)]; "
            "taken = []; "
            "[taken.append(t) for t in iter(study._pop_waiting_trial_id, None)]; "
            "print(taken)")
    processes = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in processes]
    taken = [json.loads(out) for out, _ in results]
    assert all(p.returncode == 0 for p in processes), [err for _, err in results]
    assert not set(taken[0]) & set(taken[1])
    assert sorted(taken[0] + taken[1]) == sorted(t._trial_id for t in study.get_trials())


def _busy(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.001)
    return "done"


# a function whose module is Optuna's storage, as a call to the study's database would be
_storage_call = type(_busy)(_busy.__code__, {**_busy.__globals__,
                                             "__name__": "optuna.storages._rdb.storage"})


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timers (Windows)")
def test_ctrl_c_waits_for_the_storage_call_under_way():
    # raised in the middle of a call to the study's database, KeyboardInterrupt would leave
    # Optuna's session broken: it comes once the call is over, and at once elsewhere
    from redes.tune.running import _stops_outside_storage

    with _stops_outside_storage():
        threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)).start()
        assert _storage_call(0.3) == "done"           # not interrupted
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            _busy(5)
        assert time.monotonic() - started < 1
        with pytest.raises(KeyboardInterrupt):      # outside a storage call: at once
            os.kill(os.getpid(), signal.SIGINT)
            _busy(5)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_heartbeat_stopped_by_a_full_disk_leaves_no_traceback(monkeypatch):
    # Optuna's heartbeat thread, whose write a full disk stops, would print its traceback;
    # redes tune says once that the disk is full. Other errors of threads still show.
    import sqlite3

    from redes.tune.running import _heartbeat_quiet_on_full_disk

    shown = []
    monkeypatch.setattr(threading, "excepthook", lambda args: shown.append(args.exc_value))

    def _record_heartbeat():
        raise sqlite3.OperationalError("database or disk is full")

    def other():
        raise ValueError("something else")

    with _heartbeat_quiet_on_full_disk():
        for target in (_record_heartbeat, other):
            thread = threading.Thread(target=target)
            thread.start()
            thread.join()
    assert [type(e) for e in shown] == [ValueError]
    assert threading.excepthook is not None and shown[0].args == ("something else",)
