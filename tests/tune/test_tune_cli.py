"""`redes tune` from the command line: a short study keeps several completed trials and
says how many were pruned; Ctrl+C prints one line saying how to continue."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

optuna = pytest.importorskip("optuna")

from redes.cli import app  # noqa: E402
from redes.tune import load, run_study  # noqa: E402
from redes.tune.study import pruner_spec  # noqa: E402


def test_the_median_pruner_waits_in_short_studies():
    assert pruner_spec("median", 8, 10) == {"name": "median", "n_startup_trials": 4,
                                            "n_warmup_steps": 3}
    assert pruner_spec("median", 3, 10)["n_startup_trials"] == 2
    assert pruner_spec("median", 30, 200) == {"name": "median", "n_startup_trials": 5,
                                              "n_warmup_steps": 20}
    assert pruner_spec(None, 8, 10) is None


def test_a_short_study_keeps_several_completed_trials():
    """8 trials of 10 epochs: the median pruner used to prune 7 of them at epoch 2."""
    result = run_study("breast_cancer", trials=8, epochs=10, progress=False, plots=False)
    counts = result.counts()
    assert sum(counts.values()) == 8
    assert counts.get("COMPLETE", 0) >= 4, counts
    pruned_at = [r["epochs_trained"] for r in result.trials if r["state"] == "PRUNED"]
    assert all(e >= 4 for e in pruned_at), pruned_at       # never in the first 3 epochs


def test_tune_prints_the_counts_of_every_state_in_one_line():
    out = CliRunner().invoke(app, ["tune", "wine", "--trials", "3", "--epochs", "2"],
                             env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    (summary,) = [line for line in out.output.splitlines() if line.startswith("study wine-numpy:")]
    assert re.fullmatch(r"study wine-numpy: 3 trials \(\d complete, \d pruned, \d failed\); "
                        r"val_accuracy, higher is better", summary), summary


def test_ctrl_c_prints_one_line_that_says_how_to_continue(runs_folder, tmp_path):
    env = {**os.environ, "REDES_RUNS": str(runs_folder), "COLUMNS": "200"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "redes.cli", "tune", "boston", "--trials", "200", "--epochs",
         "20", "--study", "ci"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    database = runs_folder / "tune" / "ci.db"
    deadline = time.time() + 120
    finished = 0
    while time.time() < deadline and finished < 2:
        time.sleep(0.2)
        try:
            with sqlite3.connect(database) as db:
                finished = db.execute("SELECT count(*) FROM trials WHERE state IN "
                                      "('COMPLETE', 'PRUNED')").fetchone()[0]
        except sqlite3.Error:
            pass
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) <= 2, out                    # the progress bar, then the one line
    match = re.search(r"interrupted: (\d+) of 200 trials finished; the study ci is saved in "
                      r"(\S+); continue it with: (redes tune --study ci --trials (\d+))$",
                      lines[-1])
    assert match, out
    done = int(match[1])
    assert done >= 2 and int(match[4]) == 200 - done
    assert match[2] == str(database)
    states = [r["state"] for r in load("ci").trials]
    assert states.count("COMPLETE") + states.count("PRUNED") == done

    command = match[3].split()[1:]
    command[command.index("--trials") + 1] = "1"            # continue, with one more trial
    more = CliRunner().invoke(app, command, env={"COLUMNS": "200"})
    assert more.exit_code == 0, more.output
    states = [r["state"] for r in load("ci").trials]
    assert states.count("COMPLETE") + states.count("PRUNED") == done + 1
