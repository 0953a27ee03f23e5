"""The worker processes of `redes tune --workers N` stop with it: killed (SIGKILL) or
stopped (SIGTERM, which ends the study as Ctrl+C does, keeping the finished trials). Two
workers share one study reliably even on a busy machine (REDES_STRESS=1: 20 studies in a
row while another process keeps every core busy)."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

optuna = pytest.importorskip("optuna")

from redes.tune import load, run_study  # noqa: E402

pytestmark = pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")

STUDY = "stop"
PR_SET_CHILD_SUBREAPER = 36     # from <linux/prctl.h>


@pytest.fixture
def adopt_orphans():
    """On Linux, this process adopts the workers whose parent a test kills, as the first
    process of a system does, so that ``_alive`` can reap them (some containers' first
    process never does, and the pid of an unreaped process still exists)."""
    libc = ctypes.CDLL(None) if sys.platform.startswith("linux") else None
    if libc is not None:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
    yield
    if libc is not None:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (reaped first if it is an ended child of this process)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _study_rows(database, sql):
    try:
        with sqlite3.connect(database) as db:
            return db.execute(sql).fetchall()
    except sqlite3.Error:            # not created yet, or busy
        return None


def _start_tune(runs_folder, tmp_path, finished, workers=2):
    """`redes tune --workers 2` with trials long enough to be running, once every worker
    runs a trial and ``finished`` trials have ended. Returns the process and the workers'
    pids (read from the running trials' ``worker`` attribute, ``host:pid``). Its output
    goes to ``tmp_path / "out.txt"`` (a pipe would stay open as long as any worker runs)."""
    env = {**os.environ, "REDES_RUNS": str(runs_folder), "COLUMNS": "200"}
    with open(tmp_path / "out.txt", "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "redes.cli", "tune", "boston", "--trials", "200",
             "--epochs", "30", "--pruner", "none", "--workers", str(workers), "--study", STUDY],
            env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    database = runs_folder / "tune" / f"{STUDY}.db"
    deadline = time.time() + 180
    pids, done = set(), 0
    while time.time() < deadline and proc.poll() is None and (len(pids) < workers
                                                              or done < finished):
        time.sleep(0.2)
        running = _study_rows(database, "SELECT a.value_json FROM trial_user_attributes a "
                                        "JOIN trials t USING (trial_id) WHERE a.key = 'worker' "
                                        "AND t.state = 'RUNNING'")
        if running is not None:
            pids = {int(json.loads(v).rpartition(":")[2]) for (v,) in running}
        ended = _study_rows(database, "SELECT count(*) FROM trials WHERE state = 'COMPLETE'")
        done = ended[0][0] if ended else 0
    if len(pids) < workers or done < finished:
        proc.kill()
        proc.wait()
        pytest.fail(f"the workers did not start: {(tmp_path / 'out.txt').read_text()}")
    return proc, pids


def _ended_within(pids, seconds) -> list[int]:
    """The pids still running after ``seconds``."""
    deadline = time.time() + seconds
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def _stop(pids):
    """End the workers a failing test would leave behind."""
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _sound(runs_folder):
    """The study's database passes SQLite's integrity check and opens; no trial is left
    running (a killed worker's trial is marked failed when the study is opened)."""
    with sqlite3.connect(runs_folder / "tune" / f"{STUDY}.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    states = [r["state"] for r in load(STUDY).trials]
    assert "RUNNING" not in states, states
    return states


def test_workers_stop_when_tune_is_killed(runs_folder, tmp_path, adopt_orphans):
    proc, pids = _start_tune(runs_folder, tmp_path, finished=0)
    try:
        proc.kill()
        proc.wait(timeout=30)
        assert _ended_within(pids, 5) == [], (tmp_path / "out.txt").read_text()
    finally:
        _stop(pids)
    _sound(runs_folder)


@pytest.mark.parametrize("workers", [2, 1])
def test_sigterm_stops_tune_and_its_workers_keeping_the_finished_trials(runs_folder,
                                                                       tmp_path,
                                                                       adopt_orphans,
                                                                       workers):
    """With one worker the trials run in the ``redes tune`` process itself, which takes
    SIGTERM as it takes Ctrl+C."""
    proc, pids = _start_tune(runs_folder, tmp_path, finished=1, workers=workers)
    try:
        proc.terminate()
        proc.wait(timeout=60)
        assert _ended_within(pids, 5) == [], (tmp_path / "out.txt").read_text()
    finally:
        _stop(pids)
    out = (tmp_path / "out.txt").read_text()
    assert proc.returncode == 130, out
    assert "Traceback" not in out, out
    match = re.search(r"interrupted: (\d+) of 200 trials finished; the study stop is saved "
                      r"in \S+; continue it with: redes tune --study stop --trials (\d+) "
                      r"--pruner none" + (" --workers 2" if workers == 2 else ""), out)
    assert match, out
    done = int(match[1])
    assert done >= 1 and int(match[2]) == 200 - done
    database = runs_folder / "tune" / f"{STUDY}.db"       # the workers' trials marked failed
    assert _study_rows(database, "SELECT count(*) FROM trials WHERE state = 'RUNNING'") == [(0,)]
    assert _sound(runs_folder).count("COMPLETE") == done


SPIN = """
import os, time
end = time.time() + {seconds}
for _ in range((os.cpu_count() or 1) - 1):
    if os.fork() == 0:
        break
while time.time() < end:
    pass
"""


def test_two_workers_share_one_study_while_the_machine_is_busy(tmp_path):
    """``test_study.py::test_local_workers_share_one_study``, once, or 20 times in a row
    with REDES_STRESS=1, while a process spins on every core."""
    repeats = 20 if os.environ.get("REDES_STRESS") == "1" else 1
    spinner = subprocess.Popen([sys.executable, "-c", SPIN.format(seconds=60 * repeats)],
                               start_new_session=True)
    try:
        for i in range(repeats):
            result = run_study("boston", trials=4, epochs=2, workers=2, progress=False,
                               plots=False, root=tmp_path / f"runs{i}")
            assert sorted(r["number"] for r in result.trials) == [0, 1, 2, 3], i
            counts = result.counts()
            assert counts.get("COMPLETE", 0) + counts.get("PRUNED", 0) == 4, (i, counts)
            assert len({r["worker"] for r in result.trials}) == 2, i
    finally:
        os.killpg(spinner.pid, signal.SIGKILL)     # the spinner and the copies it forked
        spinner.wait()
