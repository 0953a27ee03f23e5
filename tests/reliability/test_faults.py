"""Faults: ``kill -9`` during ``redes train``, during a model save and during ``redes tune``,
and a full disk (a mocked ENOSPC, and a real small tmpfs where this machine can mount one).

After every fault each file on disk is the old complete version or the new complete one,
``redes runs`` lists a killed run as interrupted, and ``--resume`` (or running the same
``redes tune`` again) continues the work. Kill moments come from a seeded generator; the
checks run after every kill.
"""

from __future__ import annotations

import builtins
import csv
import errno
import io
import json
import logging
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from redes.cli import app
from redes.nn.models import load_model
from redes.runs import DiskFullError, Run, list_runs
from redes.runs.tensorboard import crc32c

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or os.name == "nt",
                                reason="kill -9 and fcntl locks need a POSIX system")

SEED = 20240611
RECIPE = "digits"       # offline, Dense 512: a 300 kB model file saved after every epoch
PNG_END = b"IEND\xaeB`\x82"


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def cli(*args) -> subprocess.Popen:
    """``redes ARGS`` as a real process, as a user starts it (it says little: verbose 0)."""
    return subprocess.Popen([sys.executable, "-m", "redes.cli", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def kill9(proc: subprocess.Popen) -> str:
    """SIGKILL ``proc``, reap it (a zombie still has its pid) and return its output."""
    assert proc.poll() is None, f"the process ended before the kill:\n{proc.stdout.read()}"
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    return out


def wait_for(condition, timeout=90.0, step=0.0005, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the process ended early:\n{proc.stdout.read()}")
        time.sleep(step)
    raise AssertionError("timed out")


def mtime(path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return 0


def wait_rewritten(path, proc) -> None:
    """Wait until ``proc`` writes (renames) a new version of ``path``."""
    seen = mtime(path)
    wait_for(lambda: mtime(path) != seen, proc=proc)


# ------------------------------------------------------------------ file checks
def tfrecords(path: Path) -> list[bytes]:
    """The records of a TensorBoard event file; fails on any partial or damaged record."""
    def masked(data):
        crc = crc32c(data)
        return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF

    raw, records, at = path.read_bytes(), [], 0
    while at < len(raw):
        assert at + 12 <= len(raw), f"{path}: partial record header at byte {at}"
        header = raw[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        assert struct.unpack("<I", raw[at + 8:at + 12])[0] == masked(header), path
        data = raw[at + 12:at + 12 + length]
        assert len(data) == length and at + 16 + length <= len(raw), f"{path}: cut record"
        assert struct.unpack("<I", raw[at + 12 + length:at + 16 + length])[0] == masked(data)
        records.append(data)
        at += 16 + length
    return records


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".tmp-*") if p.is_file()]


def check_run_files(path: Path, steps_per_epoch: int | None = None) -> Run:
    """Every file of the run at ``path`` is whole, and the model file holds the epoch the
    run says (its optimizer has taken ``steps_per_epoch`` steps per epoch)."""
    config = json.loads((path / "config.json").read_text())
    status = json.loads((path / "status.json").read_text())
    history = json.loads((path / "history.json").read_text())
    assert config["format"] == "redes-run"
    epochs = history["epoch"]
    assert epochs == list(range(1, len(epochs) + 1))              # no gap, no repeat
    assert all(len(column) == len(epochs) for column in history.values())
    with open(path / "history.csv", newline="") as f:
        rows = list(csv.reader(f))
    # a whole table too; written right after history.json, so it may be a version behind
    assert rows[0][0] == "epoch" and all(len(r) == len(rows[0]) for r in rows)
    assert [int(r[0]) for r in rows[1:]] == list(range(1, len(rows)))
    if (path / "metrics.json").exists():
        json.loads((path / "metrics.json").read_text())
    assert status["status"] in ("running", "finished", "failed", "interrupted")
    run = Run.open(path)
    if steps_per_epoch is not None and (path / "model.redes").exists():
        model = load_model(path / "model.redes")
        # the optimizer counts its steps: the model file holds exactly run.model_epoch epochs
        assert model.optimizer.iterations == run.model_epoch * steps_per_epoch, (
            model.optimizer.iterations, run.model_epoch, status)
        assert 1 <= run.model_epoch <= len(epochs)
    for events in path.glob("tensorboard/*/events.out.tfevents.*"):
        tfrecords(events)
    for png in path.glob("plots/*.png"):
        data = png.read_bytes()
        assert data.startswith(b"\x89PNG") and data.endswith(PNG_END), png
    for tmp in temp_files(path):       # only what a killed process was writing
        assert tmp.name.endswith((".tmp", ".keras")), tmp
    return run


@pytest.fixture()
def runs_dir(tmp_path, monkeypatch):
    root = tmp_path / "runs"
    monkeypatch.setenv("REDES_RUNS", str(root))
    monkeypatch.chdir(tmp_path)
    return root


@pytest.fixture(scope="module")
def steps_per_epoch():
    from redes import training_runs
    from redes.engines.training import train_recipe

    recipe = training_runs.resolve_recipe(RECIPE, epochs=1)
    result = train_recipe(recipe, "numpy", seed=0, verbose=0)
    return result.model.optimizer.iterations


# ------------------------------------------------------------ kill -9 during train
def test_kill_9_during_train_keeps_whole_files_and_resume_finishes(runs_dir, steps_per_epoch):
    """Kill `redes train` (then each `--resume`) six times, half of them a few milliseconds
    after an epoch starts being written (history, events, status, model), half at any
    moment, and once more after its last epoch is saved (while it scores the model and
    draws the figures); check every file after each kill; then resume to the end."""
    rng = random.Random(SEED)
    epochs = 150    # far more than six kills take (they took 24 to 30 on a 2-core machine)
    proc = cli("train", RECIPE, "--epochs", epochs, "--verbose", 0)
    path = None
    kills = 0
    while kills < 6:
        if path is None:
            path = wait_for(lambda: next(iter(runs_dir.glob("*/history.json")), None),
                            proc=proc).parent
        wait_rewritten(path / "history.json", proc)         # an epoch is being written
        if kills % 2:
            time.sleep(rng.uniform(0, 0.2))                       # anywhere in the epoch
        else:
            time.sleep(rng.uniform(0, 0.006))                     # amid its writes
        kill9(proc)
        kills += 1

        run = check_run_files(path, steps_per_epoch)
        assert run.status == "interrupted"                        # not "running" forever
        assert run.status_info["status"] == "running"             # as it was on disk
        (row,) = list_runs(runs_dir)
        assert row["status"] == "interrupted" and row["name"] == path.name
        listed = invoke("runs")
        assert listed.exit_code == 0 and "interrupted" in listed.output
        assert run.last_epoch < epochs
        proc = cli("train", "--resume", path, "--verbose", 0)

    def last_epoch_saved():
        try:
            return json.loads((path / "status.json").read_text())["model_epoch"] == epochs
        except ValueError:     # read while it was replaced (Windows); never half a file here
            return False

    wait_for(last_epoch_saved, proc=proc, timeout=180)
    kill9(proc)
    run = check_run_files(path, steps_per_epoch)
    assert run.status == "interrupted" and run.model_epoch == epochs
    assert not (path / "metrics.json").exists()

    resumed = invoke("train", "--resume", path, "--verbose", 0)   # scores, draws, finishes
    assert resumed.exit_code == 0, resumed.output
    run = check_run_files(path, steps_per_epoch)
    assert run.status == "finished" and run.last_epoch == epochs == run.model_epoch
    assert run.history["epoch"] == list(range(1, epochs + 1))
    assert 0.5 < run.metrics["accuracy"] <= 1
    assert {p.name for p in run.plots_dir.iterdir()} >= {"learning_curves.png",
                                                         "confusion_matrix.png"}
    assert temp_files(path) == []                     # the resumed writes removed them
    tensorboard = [r for p in path.glob("tensorboard/train/*") for r in tfrecords(p)]
    assert len(tensorboard) >= epochs
    assert "interrupted" not in invoke("runs").output


def test_resume_after_a_kill_between_model_save_and_status_uses_the_saved_epoch(tmp_path):
    """The narrowest window: the model file is replaced, then the process dies before
    status.json says so. The model file holds the newer epoch and resume starts there."""
    from redes import nn

    nn.utils.set_random_seed(0)
    model = nn.Sequential([nn.Input(shape=(3,)), nn.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 3), "float32"), np.zeros((8, 2), "float32")
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    model.fit(x, y, epochs=1, verbose=0)
    run.log_epoch(0, {"loss": 1.0})
    run.save_model(model)
    model.fit(x, y, epochs=1, verbose=0)
    run.log_epoch(1, {"loss": 0.5})
    model.save(run.model_path)            # ... and the process is killed here
    run._release()
    killed = Run.open(run.path)
    assert killed.status_info["model_epoch"] == 1
    assert killed.model_epoch == 2 and killed.status == "interrupted"
    killed.resume()                         # records the epoch it resumes from
    again = Run.open(run.path)
    assert again.status_info["model_epoch"] == 2 and again.model_epoch == 2
    assert again.status == "running"        # locked by this process now
    with pytest.raises(ValueError, match="being trained by another process"):
        Run.open(run.path).resume()
    killed._release()


def test_a_run_stopped_while_it_is_created_is_not_listed(tmp_path, monkeypatch):
    """Killed between the first files of a new run: no "unreadable" run in `redes runs`."""
    from redes.runs import run as run_module

    real = run_module.write_json

    def dies_at_status(path, value, where="value"):
        if Path(path).name == "status.json":
            raise SystemExit("killed")          # as if the process ended here
        return real(path, value, where)

    with monkeypatch.context() as patched, pytest.raises(SystemExit):
        patched.setattr(run_module, "write_json", dies_at_status)
        Run.create("toy", "numpy", {}, root=tmp_path)
    assert list_runs(tmp_path) == []
    assert Run.create("toy", "numpy", {}, root=tmp_path).status == "running"


# ------------------------------------------------------- kill -9 during a model save
SAVER = textwrap.dedent("""
    import sys
    import numpy as np
    from redes import nn

    path, version = sys.argv[1], int(sys.argv[2])
    model = nn.Sequential([nn.Input(shape=(512,)), nn.layers.Dense(1024),
                           nn.layers.Dense(512), nn.layers.Dense(10)])
    shapes = [w.shape for w in model.get_weights()]
    while True:                        # save version after version over the same file
        model.set_weights([np.full(s, version, "float32") for s in shapes])
        model.save(path)
        print(version, flush=True)     # printed once the save has returned
        version += 1
""")


def test_kill_9_during_model_save_leaves_the_old_or_the_new_file(tmp_path):
    """A process saves a 4 MB model over the same path again and again; it is killed at
    random moments, ten times, and more (up to 30) until a kill has landed in the middle of
    a save: on a busy machine the moments between saves take longer. Each time the file
    holds a whole model: the last version the process reported, or the one it was writing.
    A temporary file of a killed save is removed by the next save in that folder, so they
    never pile up."""
    rng = random.Random(SEED)
    path = tmp_path / "model.redes"
    version, left_behind, previous = 1, 0, None
    for kill in range(30):
        if kill >= 10 and left_behind:
            break
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(version)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        wait_rewritten(path, proc)                           # its first save is done
        time.sleep(rng.uniform(0, 0.2))
        printed = [int(line) for line in kill9(proc).split()]
        last = printed[-1] if printed else version - 1      # the last save that returned
        weights = load_model(path).get_weights()
        (found,) = {float(v) for w in weights for v in np.unique(w)}   # one version only
        assert found in (last, last + 1) and found >= version
        temps = temp_files(tmp_path)          # .tmp-<host>-<pid>-<random>.tmp
        # this kill's, or the last one's if this process was killed in its first save:
        # the first save of a process removes the older ones
        assert {int(t.name.split("-")[2]) for t in temps} <= {proc.pid, previous}
        left_behind += len(temps)
        version, previous = int(found) + 1, proc.pid
    assert left_behind >= 1                   # the kills did land in the middle of saves
    model = load_model(path)
    model.save(path)                          # the next save cleans up after the dead
    assert temp_files(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.redes"]


# ------------------------------------------------------------ kill -9 during tune
def _trials(db: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
        return connection.execute(
            "SELECT t.number, t.state, (SELECT COUNT(*) FROM trial_intermediate_values v "
            "WHERE v.trial_id = t.trial_id) FROM trials t ORDER BY t.number").fetchall()


def test_kill_9_during_tune_fails_the_running_trial_and_the_study_continues(runs_dir):
    optuna = pytest.importorskip("optuna")
    rng = random.Random(SEED)
    args = ["tune", "wine", "--epochs", 60, "--pruner", "none", "--study", "killed"]
    proc = cli(*args, "--trials", 5)
    db = runs_dir / "tune" / "killed.db"

    def second_trial_running():
        try:
            rows = _trials(db)
        except sqlite3.Error:            # not created yet
            return None
        return [r for r in rows if r[0] >= 1 and r[1] == "RUNNING" and r[2] >= 1]

    wait_for(second_trial_running, proc=proc, step=0.005)
    time.sleep(rng.uniform(0, 0.05))
    kill9(proc)

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (killed,) = [r[0] for r in _trials(db) if r[1] == "RUNNING"]
    for events in (runs_dir / "tune" / "killed").rglob("events.out.tfevents.*"):
        tfrecords(events)
    before = {r[0]: r[1] for r in _trials(db)}

    again = invoke(*args, "--trials", 2)     # the same study: 2 more trials
    assert again.exit_code == 0, again.output
    study = optuna.load_study(study_name="killed", storage=f"sqlite:///{db}")
    trials = {t.number: t for t in study.trials}
    assert trials[killed].state.name == "FAIL"              # marked at once, no heartbeat wait
    (retry,) = [t for t in trials.values() if t.system_attrs.get("failed_trial") == killed]
    assert retry.state.name == "COMPLETE" and retry.params == trials[killed].params
    new = [t for n, t in trials.items() if n not in before]
    assert len(new) == 2 and all(t.state.is_finished() for t in new)   # the goal: 2 more
    assert sorted(trials) == list(range(len(trials)))
    assert not [t for t in trials.values() if t.state.name in ("RUNNING", "WAITING")]
    folder = runs_dir / "tune" / "killed"
    rows = list(csv.DictReader((folder / "trials.csv").open()))
    assert [int(r["number"]) for r in rows] == sorted(trials)
    assert json.loads((folder / "best_recipe.json").read_text())["name"] == "wine_tuned"
    assert json.loads((folder / "study.json").read_text())["counts"]["FAIL"] == 1
    plots = list((folder / "plots").iterdir())
    assert plots and all(p.read_bytes().endswith(PNG_END) for p in plots)
    assert temp_files(runs_dir / "tune") == []


# ----------------------------------------------------------- disk full, mocked
class _FullDisk:
    """Make the writes of redes' temporary files and event files fail with ENOSPC once
    ``budget`` bytes are written, as on a disk that fills up (part of the last write
    lands, as the kernel does)."""

    def __init__(self, monkeypatch, budget: int):
        self.budget = budget
        real_fdopen, real_write = os.fdopen, os.write

        def ours(fd) -> bool:
            try:
                name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                return False
            return name.startswith(".tmp-") or "tfevents" in name

        def spend(n: int) -> int:
            allowed = max(0, min(n, self.budget))
            self.budget -= allowed
            return allowed

        disk = self

        class Filling(io.RawIOBase):
            def __init__(self, f):
                self.f = f

            def write(self, data):
                n = spend(len(data))
                self.f.write(bytes(data[:n]))
                if n < len(data):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return n

            def writable(self):
                return True

            def seekable(self):
                return self.f.seekable()

            def seek(self, *args):
                return self.f.seek(*args)

            def tell(self):
                return self.f.tell()

            def flush(self):
                self.f.flush()

            def close(self):
                super().close()
                self.f.close()

        def fdopen(fd, *args, **kwargs):
            f = real_fdopen(fd, *args, **kwargs)
            return Filling(f) if ours(fd) and disk.budget is not None else f

        def write(fd, data):
            if not ours(fd) or disk.budget is None:
                return real_write(fd, data)
            n = spend(len(data))
            if n == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, bytes(data[:n]))

        real_open = builtins.open

        def open_(file, mode="r", *args, **kwargs):
            f = real_open(file, mode, *args, **kwargs)
            writing = isinstance(file, (str, os.PathLike)) and "w" in mode
            return Filling(f) if writing and ours(f.fileno()) and disk.budget is not None else f

        monkeypatch.setattr(os, "fdopen", fdopen)
        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(builtins, "open", open_)

    def free(self):
        self.budget = None


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"),
                                reason="the mocked disk finds its files through /proc")


def _clear(message: str) -> str:
    return " ".join(message.split())


def squeezed(text: str) -> str:
    """``text`` without any white space (rich folds long lines, even inside a path)."""
    return "".join(text.split())


@needs_proc
def test_disk_full_during_model_save_keeps_the_previous_model(tmp_path, monkeypatch):
    from redes import nn

    path = tmp_path / "model.redes"
    model = nn.Sequential([nn.Input(shape=(64,)), nn.layers.Dense(256), nn.layers.Dense(4)])
    model.save(path)
    before = path.read_bytes()
    model.set_weights([w + 1 for w in model.get_weights()])
    for budget in (0, 100, 30_000, len(before) - 10):
        disk = _FullDisk(monkeypatch, budget)
        with pytest.raises(DiskFullError) as error:
            model.save(path)
        assert isinstance(error.value, OSError) and error.value.errno == errno.ENOSPC
        assert str(path) in str(error.value) and "disk is full" in str(error.value)
        assert path.read_bytes() == before                  # the old file, untouched
        assert sorted(p.name for p in tmp_path.iterdir()) == ["model.redes"]
        disk.free()
    model.save_weights(tmp_path / "weights.redes")
    _FullDisk(monkeypatch, 1000)
    with pytest.raises(DiskFullError, match="weights.redes: the disk is full"):
        model.save_weights(tmp_path / "weights.redes")
    load_model(path)


@needs_proc
def test_disk_full_while_logging_an_epoch_keeps_the_run_files_whole(tmp_path, monkeypatch):
    run = Run.create("toy", "numpy", {}, root=tmp_path)
    run.log_epoch(0, {"loss": 1.0, "val_loss": 1.1})
    files = {p: p.read_bytes() for p in run.path.rglob("*") if p.is_file()}
    disk = _FullDisk(monkeypatch, 0)
    with pytest.raises(DiskFullError, match="history.json: the disk is full"):
        run.log_epoch(1, {"loss": 0.5, "val_loss": 0.6})
    disk.free()
    assert {p: p.read_bytes() for p in run.path.rglob("*") if p.is_file()} == files
    twin = Run.create("toy", "numpy", {}, root=tmp_path / "twin")
    twin.log_epoch(0, {"loss": 1.0, "val_loss": 1.1})
    disk = _FullDisk(monkeypatch, 10**9)
    twin.log_epoch(1, {"loss": 0.5, "val_loss": 0.6})
    needed = 10**9 - disk.budget                  # the bytes that logging an epoch writes
    disk.free()
    for budget in range(40, needed, 90):          # the disk fills up at a later file
        disk = _FullDisk(monkeypatch, budget)
        with pytest.raises(DiskFullError, match="the disk is full"):
            run.log_epoch(1, {"loss": 0.5, "val_loss": 0.6})
        disk.free()
        again = check_run_files(run.path)          # the old or the new version of each
        assert again.history["epoch"] in ([1], [1, 2]) and not temp_files(run.path)
    run.log_epoch(1, {"loss": 0.5, "val_loss": 0.6})
    run._release()
    again = Run.open(run.path)
    assert again.history["epoch"] == [1, 2] and again.status == "interrupted"


@needs_proc
def test_disk_full_event_file_loses_no_record(tmp_path, monkeypatch):
    from redes.runs import EventWriter

    writer = EventWriter(tmp_path)
    writer.scalars(0, {"epoch_loss": 1.0})
    before = writer.path.read_bytes()
    disk = _FullDisk(monkeypatch, 10)                       # room for 10 bytes: half a record
    with pytest.raises(DiskFullError, match="tfevents.*the disk is full"):
        writer.scalars(1, {"epoch_loss": 0.5})
    assert writer.path.read_bytes() == before               # the cut record was taken back
    disk.free()
    writer.scalars(1, {"epoch_loss": 0.5})
    assert len(tfrecords(writer.path)) == 3                 # file version + two epochs


@needs_proc
def test_redes_train_on_a_full_disk_says_so_and_resumes(runs_dir, monkeypatch,
                                                        steps_per_epoch):
    model_size = 320_000       # room for the first model and a few small files, not more
    disk = _FullDisk(monkeypatch, model_size + 60_000)
    result = invoke("train", RECIPE, "--epochs", 4, "--verbose", 0)
    assert result.exit_code == 1, result.output
    message = _clear(result.output)
    assert "the disk is full" in message and "Traceback" not in message
    assert "model.redes: the disk is full" in message
    (path,) = runs_dir.iterdir()
    assert squeezed(f"redes train --resume {path}") in squeezed(message)
    disk.free()
    run = check_run_files(path, steps_per_epoch)
    # status.json could not say "failed" either (the disk stays full); nobody holds the run
    assert run.status == "interrupted" and run.model_epoch == 1
    assert temp_files(path) == []
    listed = invoke("runs")
    assert listed.exit_code == 0 and run.status in listed.output

    resumed = invoke("train", "--resume", path, "--verbose", 0)
    assert resumed.exit_code == 0, resumed.output
    run = check_run_files(path, steps_per_epoch)
    assert run.status == "finished" and run.history["epoch"] == [1, 2, 3, 4]


def test_redes_tune_on_a_full_disk_says_so_and_continues(runs_dir, monkeypatch):
    """SQLite's "database or disk is full" (mocked: Optuna's storage raises it when a trial
    reports an epoch) reaches the user as a clear error; the study goes on afterwards."""
    optuna = pytest.importorskip("optuna")
    import sqlalchemy.exc

    def full(*args, **kwargs):
        raise sqlalchemy.exc.OperationalError(
            "INSERT INTO trial_intermediate_values ...", {},
            sqlite3.OperationalError("database or disk is full"))

    logged = io.StringIO()                   # what Optuna prints about the failed trial
    handler = logging.StreamHandler(logged)
    logging.getLogger("optuna").addHandler(handler)
    args = ["tune", "wine", "--epochs", 3, "--pruner", "none", "--trials", 2]
    try:
        with monkeypatch.context() as disk:
            disk.setattr(optuna.storages.RDBStorage, "set_trial_intermediate_value", full)
            result = invoke(*args)
    finally:
        logging.getLogger("optuna").removeHandler(handler)
    assert result.exit_code == 1, result.output
    message = _clear(result.output)
    db = runs_dir / "tune" / "wine-numpy.db"
    assert squeezed(f"{db.resolve()}: the disk is full") in squeezed(message)
    assert "run the same command again" in message and "Traceback" not in message
    assert "Trial 0 failed" in logged.getvalue() and "Traceback" not in logged.getvalue()
    again = invoke(*args)                    # space again: the same command continues
    assert again.exit_code == 0, again.output
    study = optuna.load_study(study_name="wine-numpy", storage=f"sqlite:///{db}")
    assert [t.state.name for t in study.trials] == ["FAIL", "COMPLETE", "COMPLETE"]


# ------------------------------------------------------- disk full, a real tmpfs
def _can_mount_tmpfs() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /tmp && echo ok"],
                           capture_output=True, text=True)
    return probe.stdout.strip() == "ok"


needs_tmpfs = pytest.mark.skipif(not _can_mount_tmpfs(), reason=(
    "cannot mount a small tmpfs here (unshare -rm: no user or mount namespaces); the "
    "mocked ENOSPC tests above cover the same code"))


def in_small_tmpfs(tmp_path: Path, size: str, script: str, *args) -> subprocess.CompletedProcess:
    """Run the shell ``script`` in a mount namespace where ``$DISK`` is a fresh tmpfs of
    ``size``; it copies what it wants to keep to ``$KEEP`` (the tmpfs goes with it)."""
    keep = tmp_path / "keep"
    keep.mkdir()
    disk = tmp_path / "disk"
    disk.mkdir()
    env = {**os.environ, "DISK": str(disk), "KEEP": str(keep), "PY": sys.executable}
    full = f'set -u\nmount -t tmpfs -o size={size} tmpfs "$DISK"\n{script}'
    return subprocess.run(["unshare", "-rm", "sh", "-c", full, "sh", *args], env=env,
                          capture_output=True, text=True, timeout=240)


@needs_tmpfs
def test_redes_train_on_a_real_full_disk(tmp_path, steps_per_epoch):
    """`redes train` on a 500 kB tmpfs: the second model save finds the disk full. The
    error names the file, the run keeps its first epochs whole; after the disk is grown,
    `--resume` finishes it."""
    script = textwrap.dedent("""
        export REDES_RUNS="$DISK/runs" COLUMNS=200
        "$PY" -m redes.cli train digits --epochs 6 --verbose 0 > "$KEEP/train.txt" 2>&1
        echo $? > "$KEEP/train.rc"
        cp -a "$DISK/runs" "$KEEP/full"
        mount -o remount,size=16m "$DISK"
        "$PY" -m redes.cli train --resume "$DISK"/runs/* --verbose 0 > "$KEEP/resume.txt" 2>&1
        echo $? > "$KEEP/resume.rc"
        cp -a "$DISK/runs" "$KEEP/done"
    """)
    done = in_small_tmpfs(tmp_path, "500k", script)
    keep = tmp_path / "keep"
    assert done.returncode == 0, done.stderr
    out = (keep / "train.txt").read_text()
    assert (keep / "train.rc").read_text().strip() == "1", out
    assert "the disk is full" in out and "Traceback" not in out and "--resume" in out
    (path,) = (keep / "full").iterdir()
    run = check_run_files(path, steps_per_epoch)
    assert run.model_epoch == 1 and run.status == "failed"     # the temp file was freed
    assert "model.redes: the disk is full" in run.status_info["error"]["message"]
    assert (keep / "resume.rc").read_text().strip() == "0", (keep / "resume.txt").read_text()
    (path,) = (keep / "done").iterdir()
    run = check_run_files(path, steps_per_epoch)
    assert run.status == "finished" and run.history["epoch"] == list(range(1, 7))


@needs_tmpfs
def test_redes_tune_on_a_real_full_disk(tmp_path):
    """`redes tune` with its SQLite study on a 400 kB tmpfs: a clear error instead of a
    traceback, and the study file stays a sound database with its finished trials."""
    pytest.importorskip("optuna")
    script = textwrap.dedent("""
        export REDES_RUNS="$DISK/runs" COLUMNS=200
        "$PY" -m redes.cli tune wine --trials 40 --epochs 2 --pruner none \\
            > "$KEEP/tune.txt" 2>&1
        echo $? > "$KEEP/tune.rc"
        cp -a "$DISK/runs" "$KEEP/full"
    """)
    done = in_small_tmpfs(tmp_path, "400k", script)
    keep = tmp_path / "keep"
    assert done.returncode == 0, done.stderr
    out = (keep / "tune.txt").read_text()
    assert (keep / "tune.rc").read_text().strip() == "1", out
    assert "the disk is full" in out and "Traceback" not in out, out
    db = keep / "full" / "tune" / "wine-numpy.db"
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert any(state == "COMPLETE" for _, state, _ in _trials(db))
